"""Tests of the GEXF 1.3 export (kg.export.gexf): schema validity, typing, sanitising, atomicity."""

from __future__ import annotations

import doctest
import os
import stat
import warnings
import zipfile
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from kg.errors import ExportError
from kg.export import gexf
from kg.export.gexf import GEXF_NS, PALETTE, VIZ_NS, validate_gexf, write_gexf

NS = {"g": GEXF_NS, "viz": VIZ_NS}


def _write(graph: nx.MultiDiGraph, path: Path) -> etree._ElementTree:
    """Write without any warning expected, check validity, return the parsed file."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        write_gexf(graph, path)
    assert validate_gexf(path) == []
    return etree.parse(str(path))


def _attributes(doc: etree._ElementTree, cls: str) -> dict[str, tuple[str, str]]:
    """{title: (id, type)} of the attributes declared for ``cls``."""
    return {
        a.get("title", ""): (a.get("id", ""), a.get("type", ""))
        for a in doc.iterfind(f".//g:attributes[@class='{cls}']/g:attribute", NS)
    }


def _values(doc: etree._ElementTree, cls: str, title: str) -> dict[str, str]:
    """{element id: attvalue} for one attribute."""
    aid = _attributes(doc, cls)[title][0]
    return {
        el.get("id", ""): av.get("value", "")
        for el in doc.iterfind(f".//g:{cls}", NS)
        for av in el.iterfind(f"g:attvalues/g:attvalue[@for='{aid}']", NS)
    }


@pytest.fixture
def news_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("ex:pk", label="Pakistan", type="Country", wikidata="Q843", pagerank=0.4)
    g.add_node(
        "ex:minister",
        label="Finance Minister",
        type="Person",
        pagerank=0.1,
        start="2025-09-01",
        end="2025-09-03",
    )
    g.add_node("ex:cmf", label="Critical Minerals Forum", type="Organization", pagerank=0.3)
    g.add_node("ex:cu", label="copper", type="Mineral", critical_lists="EU; US", pagerank=0.2)
    g.add_node("ex:deal", label="Framework", type="Agreement", pagerank=0.25)
    g.add_node("ex:x", label="misc", type="Event", pagerank=0.15)
    meet = {"relation": "meets_with", "confidence": 0.9}
    g.add_edge("ex:cmf", "ex:minister", **meet, weight=2, start="2025-09-01", end="2025-09-02")
    g.add_edge("ex:cmf", "ex:minister", **meet, weight=1.0, start="2025-09-03", end="2025-09-03")
    g.add_edge("ex:cmf", "ex:minister", relation="cooperates_with", weight=1)
    g.add_edge("ex:pk", "ex:cu", relation="exports", weight=3, confidence=0.75)
    g.add_edge("ex:pk", "ex:deal", relation="party_to", weight=1)
    return g


def test_dynamic_multigraph_with_parallel_edges_validates(
    news_graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    out = tmp_path / "news.gexf"
    doc = _write(news_graph, out)
    root = doc.getroot()
    assert root.tag == f"{{{GEXF_NS}}}gexf"
    assert root.get("version") == "1.3"
    assert root.nsmap["viz"] == VIZ_NS
    graph = root.find("g:graph", NS)
    assert graph is not None
    assert graph.get("mode") == "dynamic"
    assert graph.get("timeformat") == "date"
    assert graph.get("defaultedgetype") == "directed"
    assert graph.get("name") is None
    assert not any("schemaLocation" in k for el in root.iter() for k in el.attrib)

    edges = doc.findall(".//g:edge", NS)
    assert len(edges) == 5
    assert len({e.get("id") for e in edges}) == 5
    parallel = [e for e in edges if (e.get("source"), e.get("target")) == ("ex:cmf", "ex:minister")]
    assert [(e.get("label"), e.get("kind")) for e in parallel] == [
        ("meets_with", "meets_with"),
        ("meets_with", "meets_with"),
        ("cooperates_with", "cooperates_with"),
    ]
    assert [(e.get("weight"), e.get("start"), e.get("end")) for e in parallel] == [
        ("2.0", "2025-09-01", "2025-09-02"),
        ("1.0", "2025-09-03", "2025-09-03"),
        ("1.0", None, None),
    ]
    minister = doc.find(".//g:node[@id='ex:minister']", NS)
    assert minister is not None
    assert minister.get("label") == "Finance Minister"
    assert (minister.get("start"), minister.get("end")) == ("2025-09-01", "2025-09-03")

    # weight is the <edge> attribute, not an attvalue; relation and confidence are attvalues.
    assert set(_attributes(doc, "edge")) == {"relation", "confidence"}
    assert _attributes(doc, "edge")["confidence"][1] == "double"
    assert set(_attributes(doc, "node")) == {
        "type",
        "wikidata",
        "pagerank",
        "critical_lists",
    }
    assert [a[0] for a in _attributes(doc, "node").values()] == ["0", "1", "2", "3"]
    assert _values(doc, "node", "type")["ex:cu"] == "Mineral"

    # networkx reads it back with all parallel edges.
    back = nx.read_gexf(out, version="1.3")
    assert back.number_of_nodes() == 6
    assert back.number_of_edges() == 5
    assert back.number_of_edges("ex:cmf", "ex:minister") == 3


def test_viz_colour_by_type_and_size_from_pagerank(
    news_graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    doc = _write(news_graph, tmp_path / "viz.gexf")
    colours: dict[str, tuple[int, int, int]] = {}
    sizes: dict[str, float] = {}
    for node in doc.iterfind(".//g:node", NS):
        c = node.find("viz:color", NS)
        s = node.find("viz:size", NS)
        assert c is not None
        assert s is not None
        nid = node.get("id", "")
        colours[nid] = (int(c.get("r", "")), int(c.get("g", "")), int(c.get("b", "")))
        sizes[nid] = float(s.get("value", ""))
    assert colours["ex:pk"] == PALETTE["Country"]
    assert colours["ex:minister"] == PALETTE["Person"]
    assert colours["ex:cmf"] == PALETTE["Organization"]
    assert colours["ex:cu"] == PALETTE["Mineral"]
    assert colours["ex:deal"] == PALETTE["Agreement"]
    assert colours["ex:x"] == PALETTE["other"]
    assert sizes["ex:pk"] == 50.0
    assert sizes["ex:minister"] == 5.0
    assert sizes["ex:cmf"] == pytest.approx(5 + 45 * (0.3 - 0.1) / 0.3, abs=1e-3)


def test_size_falls_back_to_degree_and_graph_is_static(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_edges_from([("a", "b"), ("a", "c"), ("a", "d")])
    doc = _write(g, tmp_path / "deg.gexf")
    graph = doc.find("g:graph", NS)
    assert graph is not None
    assert graph.get("mode") == "static"
    assert graph.get("timeformat") is None
    sizes = {
        n.get("id"): n.xpath("string(viz:size/@value)", namespaces=NS)
        for n in doc.iterfind(".//g:node", NS)
    }
    assert sizes == {"a": "50.0", "b": "5.0", "c": "5.0", "d": "5.0"}
    assert {n.get("label") for n in doc.iterfind(".//g:node", NS)} == {"a", "b", "c", "d"}


def test_hostile_labels_are_cleaned_with_one_warning(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("ex:a\x00", label="Acme\x00 Corp\x0b\x1b", type="Organization", note='<b>&"')
    g.add_node("ex:b", label='<b>&"', type="Person", note="lone \ud800 surrogate \ufffe")
    g.add_node("ex:c", label=" tab\there\nnew line  ", type="Person")
    g.add_edge("ex:a\x00", "ex:b", relation="meets\x1bwith", weight=1)
    out = tmp_path / "hostile.gexf"
    with pytest.warns(UserWarning, match=r"from 5 value") as caught:
        write_gexf(g, out)
    assert len(caught) == 1
    raw = out.read_bytes()
    raw.decode("utf-8")  # strict UTF-8: no surrogate slipped through
    doc = etree.parse(str(out))  # well-formed XML 1.0
    assert validate_gexf(out) == []
    labels = {n.get("id"): n.get("label") for n in doc.iterfind(".//g:node", NS)}
    assert labels == {"ex:a": "Acme Corp", "ex:b": '<b>&"', "ex:c": " tab\there\nnew line  "}
    assert _values(doc, "node", "note") == {"ex:a": '<b>&"', "ex:b": "lone  surrogate "}
    edge = doc.find(".//g:edge", NS)
    assert edge is not None
    assert (edge.get("source"), edge.get("label")) == ("ex:a", "meetswith")
    assert b"&lt;b&gt;&amp;&quot;" in raw


def test_mixed_bool_int_float_types(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("n1", mixed=1, flag=True, count=3, score=1, empty=None)
    g.add_node("n2", mixed="high", flag=False, count=-(2**40), score=0.5, empty=None)
    g.add_node("n3", flag=None)
    g.add_edge("n1", "n2", relation="r", weight=1, certain=True, hits=2)
    doc = _write(g, tmp_path / "types.gexf")
    types = {t: kind for t, (_, kind) in _attributes(doc, "node").items()}
    assert types == {
        "mixed": "string",
        "flag": "boolean",
        "count": "long",
        "score": "double",
        "empty": "string",
    }
    assert _values(doc, "node", "mixed") == {"n1": "1", "n2": "high"}
    assert _values(doc, "node", "flag") == {"n1": "true", "n2": "false"}
    assert _values(doc, "node", "count") == {"n1": "3", "n2": str(-(2**40))}
    assert _values(doc, "node", "score") == {"n1": "1.0", "n2": "0.5"}
    assert _values(doc, "node", "empty") == {}
    assert {t: k for t, (_, k) in _attributes(doc, "edge").items()} == {
        "relation": "string",
        "certain": "boolean",
        "hits": "long",
    }


def test_type_and_id_keys_and_case_clashes(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("n1", type="Country", Type="upper", id="Q1", Label="shadow", label="N1")
    g.add_node("n2", type="Mineral")
    g.add_edge("n1", "n2", relation="exports", weight=2, type="trade", Weight=7)
    doc = _write(g, tmp_path / "clash.gexf")
    node_titles = set(_attributes(doc, "node"))
    assert node_titles == {"type", "Type_2", "id_2", "Label_2"}
    assert _values(doc, "node", "type") == {"n1": "Country", "n2": "Mineral"}
    assert _values(doc, "node", "Type_2") == {"n1": "upper"}
    assert _values(doc, "node", "id_2") == {"n1": "Q1"}
    assert set(_attributes(doc, "edge")) == {"relation", "type", "Weight_2"}
    titles = [t.lower() for cls in ("node", "edge") for t in _attributes(doc, cls)]
    assert len(titles) == len(set(titles)) + 1  # only "type" is shared, across classes


def test_empty_graph_is_valid(tmp_path: Path) -> None:
    doc = _write(nx.MultiDiGraph(), tmp_path / "empty.gexf")
    assert doc.find(".//g:nodes", NS) is not None
    assert doc.find(".//g:edges", NS) is not None
    assert doc.findall(".//g:node", NS) == []


def test_non_str_keys_are_converted_and_collisions_rejected(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_edge(1, 2, relation="r", weight=1)
    doc = _write(g, tmp_path / "ints.gexf")
    assert [n.get("id") for n in doc.iterfind(".//g:node", NS)] == ["1", "2"]

    g.add_node("1")
    out = tmp_path / "collide.gexf"
    with pytest.raises(ValueError, match="both become id '1'"):
        write_gexf(g, out)
    assert list(tmp_path.iterdir()) == [tmp_path / "ints.gexf"]


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ({"start": "2025-13-01"}, "not an ISO date"),
        ({"start": "1 May 2025"}, "not an ISO date"),
        ({"start": "2025-05-02", "end": "2025-05-01"}, "after end"),
    ],
)
def test_bad_dates_raise(tmp_path: Path, attrs: dict[str, Any], message: str) -> None:
    g = nx.MultiDiGraph()
    g.add_node("n", **attrs)
    with pytest.raises(ValueError, match=message):
        write_gexf(g, tmp_path / "bad.gexf")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("weight", ["heavy", float("nan"), True])
def test_bad_weight_raises(tmp_path: Path, weight: object) -> None:
    g = nx.MultiDiGraph()
    g.add_edge("a", "b", relation="r", weight=weight)
    with pytest.raises(ValueError, match="weight"):
        write_gexf(g, tmp_path / "bad.gexf")
    assert list(tmp_path.iterdir()) == []


def test_missing_directory_fails_and_creates_nothing(
    news_graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    with pytest.raises(ExportError, match="cannot write GEXF"):
        write_gexf(news_graph, tmp_path / "no" / "such" / "dir" / "g.gexf")
    assert list(tmp_path.iterdir()) == []


def test_failure_while_writing_keeps_old_file_and_leaves_no_temp(
    news_graph: nx.MultiDiGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "g.gexf"
    out.write_text("previous export")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(ExportError, match="No space left"):
        write_gexf(news_graph, out)
    assert list(tmp_path.iterdir()) == [out]
    assert out.read_text() == "previous export"


def test_overwrite_keeps_umask_permissions(news_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "g.gexf"
    out.write_text("old")
    write_gexf(news_graph, out)
    assert validate_gexf(out) == []
    assert list(tmp_path.iterdir()) == [out]
    umask = os.umask(0)
    os.umask(umask)
    if os.name == "posix":
        assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


def test_validate_gexf_reports_problems(news_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "g.gexf"
    write_gexf(news_graph, out)
    text = out.read_text(encoding="utf-8")

    def problems(new: str) -> list[str]:
        bad = tmp_path / "bad.gexf"
        bad.write_text(new, encoding="utf-8")
        return validate_gexf(bad)

    assert problems(text.replace("<graph ", '<graph name="" ', 1))[0].startswith("schema:")
    # viz.rng and dynamics.rng, included by gexf.rng, are in force.
    assert problems(text.replace('r="44"', 'r="300"', 1))[0].startswith("schema:")
    assert problems(text.replace('start="2025-09-01"', 'start="soon"', 1))[0].startswith("schema:")
    assert problems(text.replace('value="0.4"', 'value="high"', 1)) == [
        "node 'ex:pk': 'high' is not double"
    ]
    assert any("duplicate node id" in p for p in problems(text.replace('"ex:cu"', '"ex:pk"', 1)))
    assert any("is not a node" in p for p in problems(text.replace('target="ex:cu"', 'target="z"')))
    assert any("duplicate edge id" in p for p in problems(text.replace('"e1"', '"e0"', 1)))
    assert problems(text.replace("Pakistan", "Pak\x01istan"))[0].startswith("not well-formed")


def test_schema_loads_from_a_zipped_package(
    news_graph: nx.MultiDiGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The includes of gexf.rng resolve without a file system path (zip or wheel install)."""
    schemas = Path(gexf.__file__).parent / "schemas" / "gexf-1.3"
    archive = tmp_path / "kg.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for rng in schemas.glob("*.rng"):
            zf.write(rng, f"kg/export/schemas/gexf-1.3/{rng.name}")
    monkeypatch.setattr(gexf, "files", lambda package: zipfile.Path(archive, "kg/export/"))
    gexf._schema.cache_clear()
    try:
        out = tmp_path / "g.gexf"
        write_gexf(news_graph, out)
        assert validate_gexf(out) == []
        out.write_text(out.read_text(encoding="utf-8").replace('r="44"', 'r="300"'), "utf-8")
        assert validate_gexf(out)[0].startswith("schema:")
    finally:
        gexf._schema.cache_clear()


def test_docstring_examples_run() -> None:
    result = doctest.testmod(gexf, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
