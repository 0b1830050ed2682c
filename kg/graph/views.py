"""NetworkX views of the knowledge graph.

The relation types of each view are declared once, in :data:`VIEWS`. Nodes are entity IRIs with
``label``, ``type``, ``wikidata``, ``articles``, ``start`` and ``end``; edges carry ``relation``,
``weight`` (the number of independent stories stating it), ``confidence``, ``start``, ``end``
and ``dates`` (the publication date of each of those stories, space-separated). A syndicated
copy of a story (``schema:isBasedOn`` its original, see :mod:`kg.ingest.syndication`) counts as
its original, in ``weight``, ``dates`` and a node's ``articles``: twenty outlets running one
wire story weigh as one story.

Agreements can be kept as nodes (``party_to`` edges), projected away into ``co_party`` edges that
link the parties of one agreement (actors related *through* agreements), or both: see
:data:`AGREEMENT_MODES` and :func:`coparty_projection`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import networkx as nx

from kg.errors import UsageError
from kg.store import load_query


class Source(Protocol):
    """Anything that answers SELECT queries as rows of Python values (a store or an endpoint)."""

    def select(
        self, sparql: str, bindings: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]: ...


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
#: ``nodes``: agreements are nodes joined by ``party_to``; ``project``: agreements are replaced by
#: ``co_party`` edges between their parties; ``both``: agreement nodes and ``co_party`` edges.
AGREEMENT_MODES = ("nodes", "project", "both")
#: The relation of the edges :func:`coparty_projection` derives from ``party_to``.
CO_PARTY = "co_party"


def relation_name(predicate_iri: str) -> str:
    """``https://…#restrictsExportOf`` → ``restricts_export_of``.

    >>> relation_name("https://w3id.org/cmkg/ontology#hasReservesOf")
    'has_reserves_of'
    """
    local = predicate_iri.rsplit("#", 1)[-1]
    return "".join("_" + c.lower() if c.isupper() else c for c in local)


def project(
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    view: str = "all",
    agreements: str = "nodes",
) -> nx.MultiDiGraph:
    """A MultiDiGraph from node and edge rows (as :func:`view_of` reads them from the store).

    Only the relations of ``view`` are kept (see :data:`VIEWS`), with the entities they join;
    ``agreements`` (one of :data:`AGREEMENT_MODES`) says how agreements appear in views that have
    ``party_to``. Parallel relations between two entities stay separate edges, keyed by relation.

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
    if agreements not in AGREEMENT_MODES:
        raise UsageError(
            f"unknown agreements mode {agreements!r}; choose one of: {', '.join(AGREEMENT_MODES)}"
        )
    wanted = VIEWS[view]
    graph = nx.MultiDiGraph(view=view, agreements=agreements)
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
            "dates": " ".join(sorted(row["dates"].split())) if row.get("dates") else None,
        }
        graph.add_edge(
            row["head"],
            row["tail"],
            key=relation,
            **{k: v for k, v in attributes.items() if v is not None},
        )
    if agreements != "nodes" and "party_to" in wanted:
        graph = coparty_projection(graph, keep_agreements=agreements == "both")
    return graph


def coparty_projection(graph: nx.MultiDiGraph, keep_agreements: bool = False) -> nx.MultiDiGraph:
    """Link the parties of each agreement by a ``co_party`` edge (actors related via agreements).

    For every agreement and every pair of its parties ``u``, ``v`` (``party_to`` edges), one edge
    ``u → v`` (``u`` the smaller IRI; the relation is symmetric) with key ``co_party:<agreement>``,
    so two actors party to two agreements get two parallel edges. Attributes stay scalar:
    ``relation`` (``co_party``), ``agreement`` (its IRI), ``agreement_label``, ``weight`` (the
    smaller of the two ``party_to`` weights: the articles that support the weaker membership),
    ``start`` (the later of the two starts: when both were known) and ``end`` (the later end).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A view with ``Agreement`` nodes and ``party_to`` edges.
    keep_agreements : bool
        Keep the agreement nodes and ``party_to`` edges beside the new edges (default: drop them,
        with any agreement left without other relations).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("ex:deal", label="Deal", type="Agreement")
    >>> for party, w in [("ex:us", 2.0), ("ex:pk", 1.0), ("ex:pt", 1.0)]:
    ...     g.add_node(party, type="Country")
    ...     _ = g.add_edge(party, "ex:deal", key="party_to", relation="party_to", weight=w)
    >>> p = coparty_projection(g)
    >>> sorted((u, v, d["weight"]) for u, v, d in p.edges(data=True))
    [('ex:pk', 'ex:pt', 1.0), ('ex:pk', 'ex:us', 1.0), ('ex:pt', 'ex:us', 1.0)]
    >>> "ex:deal" in p, "ex:deal" in coparty_projection(g, keep_agreements=True)
    (False, True)
    """
    out = graph.copy()
    agreements = [n for n, t in graph.nodes(data="type") if t == "Agreement"]
    for agreement in agreements:
        parties = sorted(
            (
                (u, d)
                for u, _, d in graph.in_edges(agreement, data=True)
                if d.get("relation") == "party_to"
            ),
            key=lambda item: str(item[0]),
        )
        for i, (u, du) in enumerate(parties):
            for v, dv in parties[i + 1 :]:
                if u == v:
                    continue
                starts = [d["start"] for d in (du, dv) if d.get("start")]
                ends = [d["end"] for d in (du, dv) if d.get("end")]
                attributes = {
                    "relation": CO_PARTY,
                    "agreement": agreement,
                    "agreement_label": graph.nodes[agreement].get("label", agreement),
                    "weight": min(float(du.get("weight", 1.0)), float(dv.get("weight", 1.0))),
                    "start": max(starts) if len(starts) == 2 else None,
                    "end": max(ends) if len(ends) == 2 else None,
                }
                out.add_edge(
                    u,
                    v,
                    key=f"{CO_PARTY}:{agreement}",
                    **{k: x for k, x in attributes.items() if x is not None},
                )
    if not keep_agreements:
        out.remove_nodes_from(agreements)
    return out


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


def view_of(store: Source, view: str = "all", agreements: str = "nodes") -> nx.MultiDiGraph:
    """Project one view of the store into NetworkX (see :func:`project`).

    >>> from kg.store import GraphStore
    >>> view_of(GraphStore(None), "supply", agreements="project").number_of_nodes()
    0
    """
    nodes = store.select(load_query("_graph_nodes"))
    edges = store.select(load_query("_graph_edges"))
    dates = {
        (row["head"], row["predicate"], row["tail"]): row["dates"]
        for row in store.select(load_query("_graph_edge_dates"))
    }
    for row in edges:
        row["dates"] = dates.get((row["head"], row["predicate"], row["tail"]))
    return project(nodes, edges, view, agreements)
