"""NetworkX views of the knowledge graph.

The relation types of each view are declared once, in :data:`VIEWS`. Nodes are entity IRIs with
``label``, ``type``, ``wikidata``, ``articles``, ``start`` and ``end``; edges carry ``relation``,
``weight`` (the number of independent articles stating it), ``confidence``, ``start``, ``end``.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from kg.errors import UsageError
from kg.store import GraphStore, load_query

CM = "https://w3id.org/cmkg/ontology#"
TYPE_OF_CLASS = {
    "http://xmlns.com/foaf/0.1/Person": "Person",
    "http://www.w3.org/ns/org#Organization": "Organization",
    "https://schema.org/Country": "Country",
    CM + "Mineral": "Mineral",
    CM + "Agreement": "Agreement",
}
VIEWS: dict[str, frozenset[str]] = {
    "diplomatic": frozenset(
        {"meets_with", "holds_role_in", "party_to", "cooperates_with", "member_of"}
    ),
    "supply": frozenset(
        {
            "produces",
            "has_reserves_of",
            "exports",
            "imports",
            "restricts_export_of",
            "invests_in",
            "depends_on",
            "dominates_supply_of",
        }
    ),
}
VIEWS["all"] = VIEWS["diplomatic"] | VIEWS["supply"]


def relation_name(predicate_iri: str) -> str:
    """``https://…#restrictsExportOf`` → ``restricts_export_of``.

    >>> relation_name("https://w3id.org/cmkg/ontology#hasReservesOf")
    'has_reserves_of'
    """
    local = predicate_iri.rsplit("#", 1)[-1]
    return "".join("_" + c.lower() if c.isupper() else c for c in local)


def project(
    nodes: list[dict[str, Any]], edges: list[dict[str, Any]], view: str = "all"
) -> nx.MultiDiGraph:
    """A MultiDiGraph from node and edge rows (as :func:`view_of` reads them from the store).

    >>> country = "https://schema.org/Country"
    >>> g = project(
    ...     [{"entity": "urn:a", "label": "A", "class": country, "articles": 1},
    ...      {"entity": "urn:b", "label": "B", "class": country, "articles": 2}],
    ...     [{"head": "urn:a", "predicate": CM + "cooperatesWith", "tail": "urn:b", "articles": 2}])
    >>> [(u, v, d["relation"], d["weight"]) for u, v, d in g.edges(data=True)]
    [('urn:a', 'urn:b', 'cooperates_with', 2.0)]
    """
    if view not in VIEWS:
        raise UsageError(f"unknown view {view!r}; choose one of: {', '.join(VIEWS)}")
    wanted = VIEWS[view]
    graph = nx.MultiDiGraph(view=view)
    known = {row["entity"]: row for row in nodes}
    for row in edges:
        relation = relation_name(row["predicate"])
        if relation not in wanted or row["head"] not in known or row["tail"] not in known:
            continue
        for end in (row["head"], row["tail"]):
            if end not in graph:
                graph.add_node(end, **_node_attributes(known[end]))
        attributes = {
            "relation": relation,
            "weight": float(row.get("articles") or 1),
            "confidence": row.get("confidence"),
            "start": row.get("first"),
            "end": row.get("last"),
        }
        graph.add_edge(
            row["head"],
            row["tail"],
            key=relation,
            **{k: v for k, v in attributes.items() if v is not None},
        )
    return graph


def _node_attributes(row: dict[str, Any]) -> dict[str, Any]:
    wikidata = row.get("wikidata") or ""
    attributes = {
        "label": row.get("label") or row["entity"],
        "type": TYPE_OF_CLASS.get(row.get("class") or "", "Other"),
        "wikidata": wikidata.rsplit("/", 1)[-1] if wikidata else None,
        "articles": int(row.get("articles") or 0),
        "start": row.get("first"),
        "end": row.get("last"),
    }
    return {k: v for k, v in attributes.items() if v is not None}


def view_of(store: GraphStore, view: str = "all") -> nx.MultiDiGraph:
    """Project one view of the store into NetworkX."""
    nodes = store.select(load_query("_graph_nodes"))
    edges = store.select(load_query("_graph_edges"))
    return project(nodes, edges, view)
