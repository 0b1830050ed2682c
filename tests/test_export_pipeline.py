"""Exports through the whole path: store → view → scored attributes → GEXF / GraphML / CSV."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from kg.cli import main
from kg.export import export, scored_view, validate_gexf
from kg.export.gexf import GEXF_NS
from kg.rdf import article_graph, extraction_quads
from kg.records import Article, Entity, Extraction, Relation
from kg.store import GraphStore

NS = {"g": GEXF_NS}
CHN = "https://w3id.org/cmkg/id/country/CHN"
GA = "https://w3id.org/cmkg/id/mineral/gallium"
ORG = "https://w3id.org/cmkg/id/org/acme"
HOSTILE = 'Acme\x01 <b>Corp</b> & "Sons"\x1b]0;pwn\x07'


def _hostile_store() -> GraphStore:
    store = GraphStore(None)
    text = "Acme Corp exports gallium; China restricts gallium."
    for i, day in enumerate(["2025-01-02", "2025-03-04"]):
        article = Article(id=f"h{i}", text=text, published=dt.date.fromisoformat(day))
        entities = (
            Entity(ORG, HOSTILE, "Organization", ("Acme Corp",)),
            Entity(CHN, "China", "Country", ("China",), "Q148"),
            Entity(GA, "gallium\x0c", "Mineral", ("gallium",), "Q861"),
        )
        relations = (
            Relation(ORG, "exports", GA, 0.7, text, 0, len(text)),
            Relation(CHN, "restricts_export_of", GA, 0.8, text, 0, len(text)),
            Relation(CHN, "produces", GA, 0.8, text, 0, len(text)),
        )
        extraction = Extraction(article, entities, relations, model="test")
        store.replace_graph(article_graph(article).value, extraction_quads(extraction, "kg test"))
    return store


def test_hostile_labels_give_valid_files_through_the_whole_export(tmp_path: Path) -> None:
    store = _hostile_store()
    with pytest.warns(UserWarning, match="removed characters"):
        [gexf] = export(store, "gexf", tmp_path / "g.gexf")
    assert validate_gexf(gexf) == []
    doc = etree.parse(str(gexf))
    labels = {n.get("id"): n.get("label") for n in doc.iterfind(".//g:node", NS)}
    assert labels[ORG] == 'Acme <b>Corp</b> & "Sons"]0;pwn'
    assert labels[GA] == "gallium"
    with pytest.warns(UserWarning, match="GraphML export: removed"):
        [graphml] = export(store, "graphml", tmp_path / "g.graphml")
    assert nx.read_graphml(graphml).nodes[ORG]["label"] == labels[ORG]
    with pytest.warns(UserWarning, match="CSV export: removed"):
        nodes, _ = export(store, "csv", tmp_path / "g.csv")
    assert "\x01" not in nodes.read_text(encoding="utf-8")


def test_gexf_carries_typed_attributes_parallel_edges_and_time(tmp_path: Path) -> None:
    store = _hostile_store()
    graph = scored_view(store)
    gallium = graph.nodes[GA]
    # no ontology graph in this store: the lists of the bundled vocabulary
    assert gallium["critical"] is True and "USGS 2025" in gallium["critical_lists"]
    assert gallium["hhi"] == pytest.approx(9738.6, abs=0.1) and gallium["wikidata"] == "Q861"
    assert {"degree", "betweenness", "eigenvector", "pagerank", "community"} <= set(gallium)
    assert graph.nodes[CHN]["start"] == "2025-01-02" and graph.nodes[CHN]["end"] == "2025-03-04"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        [out] = export(store, "gexf", tmp_path / "g.gexf")
    doc = etree.parse(str(out))
    attributes = {
        a.get("title"): a.get("type")
        for a in doc.iterfind(".//g:attributes[@class='node']/g:attribute", NS)
    }
    assert attributes["type"] == "string" and attributes["wikidata"] == "string"
    assert attributes["eigenvector"] == attributes["pagerank"] == "double"
    assert attributes["community"] == "long" and attributes["critical"] == "boolean"
    parallel = [e for e in doc.iterfind(".//g:edge", NS)
                if (e.get("source"), e.get("target")) == (CHN, GA)]  # fmt: skip
    assert sorted(e.get("kind") for e in parallel) == ["produces", "restricts_export_of"]
    assert {(e.get("start"), e.get("end"), e.get("weight")) for e in parallel} == {
        ("2025-01-02", "2025-03-04", "2.0")
    }
    graph_el = doc.find("g:graph", NS)
    assert graph_el is not None and graph_el.get("mode") == "dynamic"


def test_critical_lists_come_from_the_ontology_graph(sample_store) -> None:  # type: ignore[no-untyped-def]
    graph = scored_view(sample_store)
    gallium = graph.nodes["https://w3id.org/cmkg/id/mineral/gallium"]
    assert gallium["critical"] and "USGS 2025" in gallium["critical_lists"]
    assert all(d.get("type") == "Mineral" for _, d in graph.nodes(data=True) if "critical" in d)


def test_export_command_on_the_sample(sample_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for view, agreements in [("all", "nodes"), ("diplomatic", "project")]:
        [out] = export(sample_store, "gexf", tmp_path / f"{view}.gexf", view, agreements)
        assert validate_gexf(out) == []
    assert main(["export", "--store", str(tmp_path / "none"), "--format", "gexf",
                 "--out", str(tmp_path / "x.gexf"), "--agreements", "merge"]) == 2  # fmt: skip
