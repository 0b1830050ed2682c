"""Analysis results written back as RDF, and `kg analyze` as a user runs it."""

from __future__ import annotations

import gc
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.analysis import ANALYSIS_GRAPH, hhi
from kg.analysis.report import write_back
from kg.cli import main
from kg.export import validate_gexf
from kg.extract import Extractor
from kg.graph import view_of
from kg.store import GraphStore

PREFIXES = """PREFIX cm: <https://w3id.org/cmkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


@pytest.fixture
def copy_path(sample_store, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """An on-disk copy of the sample store, free to be written to (closed)."""
    dump = tmp_path / "sample.nq"
    sample_store.dump(dump, ox.RdfFormat.N_QUADS)
    copy = GraphStore(tmp_path / "store")
    copy.raw.load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    copy.flush()
    del copy
    gc.collect()  # closes the store and releases its lock
    return tmp_path / "store"


@pytest.fixture
def store_copy(copy_path: Path) -> GraphStore:
    return GraphStore(copy_path)


def test_write_back_is_visible_to_sparql_and_replaces_itself(store_copy: GraphStore) -> None:
    before = view_of(store_copy, "all")
    count = write_back(store_copy, restrictor="CHN", mineral="gallium")
    assert count > 500
    graphs = {q.graph_name for q in store_copy.raw.quads_for_pattern(None, None, None)}
    assert ox.NamedNode(ANALYSIS_GRAPH) in graphs
    china = store_copy.select(
        PREFIXES
        + """SELECT ?pr ?eig ?community WHERE { GRAPH ?g {
          ?s cm:scoreOf <https://w3id.org/cmkg/id/country/CHN> ; cm:view "all" ;
             cm:pageRank ?pr ; cm:eigenvectorCentrality ?eig ; cm:community ?community } }"""
    )
    assert len(china) == 1 and 0 < china[0]["pr"] < 1 and isinstance(china[0]["community"], int)
    gallium = store_copy.select(
        PREFIXES
        + """SELECT ?hhi ?share ?top WHERE { ?c a cm:SupplyConcentration ;
          cm:mineral <https://w3id.org/cmkg/id/mineral/gallium> ; cm:hhi ?hhi ;
          cm:share ?share ; cm:topProducer ?top }"""
    )
    assert gallium == [
        {"hhi": pytest.approx(hhi([750 / 760])), "share": pytest.approx(750 / 760),
         "top": "https://w3id.org/cmkg/id/country/CHN"}
    ]  # fmt: skip
    exposed = store_copy.select(
        PREFIXES
        + """SELECT ?label ?level WHERE { ?e a cm:Exposure ;
          cm:restrictor <https://w3id.org/cmkg/id/country/CHN> ; cm:exposedActor ?a ;
          cm:exposureLevel ?level . ?a rdfs:label ?label }"""
    )
    assert "United States" in {row["label"] for row in exposed}
    months = store_copy.select(PREFIXES + "SELECT DISTINCT ?p WHERE { ?s cm:period ?p }")
    assert len(months) >= 8
    # a second write replaces the first; the facts and the views are untouched
    total = len(store_copy)
    assert write_back(store_copy, restrictor="CHN", mineral="gallium") == count
    assert len(store_copy) == total
    after = view_of(store_copy, "all")
    assert sorted(after.edges(keys=True)) == sorted(before.edges(keys=True))


def test_analyze_command(copy_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(copy_path)
    for analysis in ("centrality", "concentration", "dependencies", "communities", "timeline"):
        assert main(["analyze", "--store", path, "--analysis", analysis, "--format", "csv"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) > 2, analysis
    assert main(["analyze", "--store", path, "--format", "csv", "--measure", "eigenvector"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header == "label,type,pagerank,eigenvector,betweenness,degree"
    args = ["analyze", "--store", path, "--analysis", "exposure", "--restrictor", "CHN"]
    assert main([*args, "--mineral", "gallium", "--write-back"]) == 0
    captured = capsys.readouterr()
    assert "If China restricts gallium" in captured.out and "98.7%" in captured.out
    assert "analysis triples" in captured.err
    assert main(["query", "--store", path, "--format", "csv",
                 PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?e a cm:Exposure }"]) == 0  # fmt: skip
    assert int(capsys.readouterr().out.splitlines()[1]) > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--analysis", "exposure", "--mineral", "gallium"], "needs --restrictor"),
        (["--analysis", "exposure", "--restrictor", "CHN", "--mineral", "unobtainium"],
         "choose one of: antimony, chromite, cobalt"),
        (["--analysis", "exposure", "--restrictor", "Narnia", "--mineral", "gallium"],
         "ISO 3166 alpha-3"),
        (["--analysis", "pagerank"], "centrality"),
    ],
)  # fmt: skip
def test_analyze_usage_errors_list_choices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    empty = GraphStore(tmp_path / "empty")
    empty.flush()
    del empty
    gc.collect()
    assert main(["analyze", "--store", str(tmp_path / "empty"), *args]) == 2
    err = capsys.readouterr().err
    assert message in " ".join(err.split()) and "Traceback" not in err


def test_demo_summary_shows_top_actors_and_concentrated_minerals(
    tmp_path: Path, model_extractor: Extractor, capsys: pytest.CaptureFixture[str]
) -> None:
    from kg.cli._build import _print_summary
    from kg.demo import run_demo

    summary = run_demo(tmp_path / "demo", extractor=model_extractor, warn=lambda message: None)
    assert [row["label"] for row in summary["concentration"]][:2] == ["gallium", "germanium"]
    assert summary["concentration"][0]["top_share"] == "99%"
    assert validate_gexf(tmp_path / "demo" / "graph.gexf") == []
    _print_summary(summary)
    out = " ".join(capsys.readouterr().out.split())
    assert "Top actors by PageRank" in out and "eigenvector" in out
    assert "Most concentrated minerals" in out and "gallium" in out
