"""Centrality measures in networkx style: a graph in, plain dicts out."""

from __future__ import annotations

from typing import Any

import networkx as nx

MEASURES = ("degree", "betweenness", "pagerank")


def _simple(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """Collapse parallel edges, summing their weights."""
    simple = nx.DiGraph()
    simple.add_nodes_from(graph.nodes)
    for u, v, data in graph.edges(data=True):
        weight = float(data.get("weight", 1.0))
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += weight
        else:
            simple.add_edge(u, v, weight=weight)
    return simple


def centrality(graph: nx.MultiDiGraph) -> dict[Any, dict[str, float]]:
    """Degree, betweenness and PageRank centrality of every node.

    Degree is normalised as in :func:`networkx.degree_centrality` over the undirected graph;
    betweenness is computed on the undirected graph (a meeting links both sides); PageRank follows
    edge direction and weights (the number of articles).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A view from :func:`kg.graph.view_of`.

    Returns
    -------
    dict
        node → {"degree": float, "betweenness": float, "pagerank": float}; empty for an empty graph.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("a", "b", weight=1.0)
    0
    >>> g.add_edge("b", "c", weight=2.0)
    0
    >>> scores = centrality(g)
    >>> round(scores["b"]["betweenness"], 2), round(scores["b"]["degree"], 2)
    (1.0, 1.0)
    """
    if graph.number_of_nodes() == 0:
        return {}
    simple = _simple(graph)
    undirected = simple.to_undirected()
    # A self-loop (an actor related to itself) says nothing about its position among others.
    undirected.remove_edges_from(list(nx.selfloop_edges(undirected)))
    degree = (
        nx.degree_centrality(undirected) if len(undirected) > 1 else dict.fromkeys(undirected, 0.0)
    )
    betweenness = nx.betweenness_centrality(undirected, normalized=True)
    pagerank = nx.pagerank(simple, weight="weight")
    return {
        node: {"degree": degree[node], "betweenness": betweenness[node], "pagerank": pagerank[node]}
        for node in graph.nodes
    }


def top_actors(
    graph: nx.MultiDiGraph, scores: dict[Any, dict[str, float]], n: int = 10, by: str = "pagerank"
) -> list[dict[str, Any]]:
    """The ``n`` nodes with the highest ``by`` score, as rows with label and type.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="A", type="Country")
    >>> g.add_edge("a", "b")
    0
    >>> [row["label"] for row in top_actors(g, centrality(g), n=1, by="degree")]
    ['A']
    """
    ranked = sorted(scores, key=lambda node: (-scores[node][by], str(node)))[:n]
    return [
        {
            "id": node,
            "label": graph.nodes[node].get("label", node),
            "type": graph.nodes[node].get("type", ""),
            **{m: round(scores[node][m], 4) for m in MEASURES},
        }
        for node in ranked
    ]
