"""GraphML and Gephi spreadsheet CSV exports: declared keys, unique ids, clean XML, intervals."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from kg.export import write_csv, write_graphml
from kg.export.tables import GRAPHML_NS

NS = {"g": GRAPHML_NS}


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("ex:cn", label="China", type="Country", pagerank=0.4, articles=3,
               start="2024-12-03", end="2025-11-19")  # fmt: skip
    g.add_node(
        "ex:ga", label="gallium", type="Mineral", critical=True, critical_lists="EU CRM 2024"
    )
    g.add_node("ex:x", label="misc", type="Mineral", critical=False)
    g.add_edge("ex:cn", "ex:ga", key="produces", relation="produces", weight=2.0,
               start="2024-12-03", end="2025-04-04", dates="2024-12-03 2025-04-04")  # fmt: skip
    g.add_edge("ex:cn", "ex:ga", key="exports", relation="exports", weight=1.0, confidence=0.7)
    return g


def test_graphml_declares_every_key_and_keeps_parallel_edges(
    graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    out = tmp_path / "g.graphml"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        write_graphml(graph, out)
    doc = etree.parse(str(out))
    keys = {
        (k.get("for"), k.get("attr.name")): (k.get("id"), k.get("attr.type"))
        for k in doc.iterfind("g:key", NS)
    }
    assert all(k.get("for") and k.get("attr.name") and k.get("attr.type")
               for k in doc.iterfind("g:key", NS))  # fmt: skip
    assert len({kid for kid, _ in keys.values()}) == len(keys)
    assert keys[("node", "label")][1] == "string"
    assert keys[("node", "pagerank")][1] == "double"
    assert keys[("node", "articles")][1] == "long"
    assert keys[("node", "critical")][1] == "boolean"
    assert keys[("edge", "label")][1] == keys[("edge", "relation")][1] == "string"
    assert keys[("edge", "weight")][1] == "double"
    edges = doc.findall(".//g:edge", NS)
    assert [e.get("id") for e in edges] == ["e0", "e1"]
    critical = keys[("node", "critical")][0]
    assert {d.text for d in doc.iterfind(f".//g:data[@key='{critical}']", NS)} == {"true", "false"}
    back = nx.read_graphml(out)
    assert back.number_of_edges("ex:cn", "ex:ga") == 2
    assert back.nodes["ex:ga"]["critical"] is True
    assert {d["label"] for *_, d in back.edges(data=True)} == {"produces", "exports"}


def test_graphml_cleans_control_characters_with_one_warning(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("ex:a\x01", label='Acme\x00 <Corp> & "Sons"\x1b', note="\ud800x")
    g.add_edge("ex:a\x01", "ex:b", relation="meets\x0bwith", weight=1.0)
    out = tmp_path / "hostile.graphml"
    with pytest.warns(UserWarning, match="GraphML export: removed") as caught:
        write_graphml(g, out)
    assert len(caught) == 1
    back = nx.read_graphml(out)
    assert back.nodes["ex:a"]["label"] == 'Acme <Corp> & "Sons"'
    assert next(iter(back.edges(data=True)))[2]["label"] == "meetswith"


def test_csv_follows_gephi_spreadsheet_conventions(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    nodes_path, edges_path = write_csv(graph, tmp_path / "g.csv")
    assert (nodes_path.name, edges_path.name) == ("g-nodes.csv", "g-edges.csv")
    with open(nodes_path, newline="", encoding="utf-8") as f:
        nodes = list(csv.DictReader(f))
    with open(edges_path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        edges = list(reader)
    assert list(nodes[0])[:2] == ["Id", "Label"] and list(nodes[0])[-1] == "Time Interval"
    assert header[:7] == ["Source", "Target", "Type", "Kind", "Id", "Label", "Weight"]
    assert header[-1] == "Time Interval"
    china = next(n for n in nodes if n["Id"] == "ex:cn")
    assert china["Time Interval"] == "<[2024-12-03, 2025-11-19]>"
    # Two relations between the same nodes: Gephi's importer keeps them apart by Kind.
    assert [(e["Kind"], e["Label"], e["Weight"], e["Type"]) for e in edges] == [
        ("produces", "produces", "2.0", "Directed"),
        ("exports", "exports", "1.0", "Directed"),
    ]
    assert (
        edges[0]["Time Interval"] == "<[2024-12-03, 2025-04-04]>"
        and edges[1]["Time Interval"] == ""
    )
    assert len({e["Id"] for e in edges}) == 2
