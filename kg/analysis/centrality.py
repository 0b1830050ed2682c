"""Centrality measures in networkx style: a graph in, plain dicts out."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import networkx as nx

from kg.analysis.measures import scores
from kg.errors import UsageError

MEASURES = ("degree", "betweenness", "eigenvector", "pagerank")
#: Above this many nodes betweenness is estimated from ``SAMPLE_K`` sampled sources.
SAMPLE_ABOVE = 50_000
SAMPLE_K = 100


def centrality(
    graph: nx.Graph,
    *,
    k: int | None = None,
    seed: int = 0,
    measures: tuple[str, ...] = MEASURES,
) -> dict[Hashable, dict[str, float]]:
    """Degree, betweenness, eigenvector and PageRank centrality of every node.

    Degree is normalised as in :func:`networkx.degree_centrality` over the undirected graph
    without self-loops; betweenness is computed on the undirected, unweighted graph (a meeting
    links both sides; an article count is not a distance); eigenvector centrality on the undirected
    graph weighted by article counts, per connected component (see
    :func:`kg.analysis.measures.eigenvector_centrality`); PageRank follows edge direction and
    weights (the number of articles).

    Parameters
    ----------
    graph : networkx graph
        A view from :func:`kg.graph.view_of` (a MultiDiGraph) or any networkx graph.
    k : int, optional
        Sources sampled to estimate betweenness. By default betweenness is exact up to
        ``SAMPLE_ABOVE`` (50,000) nodes and estimated from ``SAMPLE_K`` (100) sources above;
        ``k=len(graph)`` forces the exact value.
    seed : int
        Seed of the sampled sources (results are reproducible).
    measures : tuple of str
        A subset of :data:`MEASURES` to compute; the others are left out of the result. They
        share one pass over the edges (see :func:`kg.analysis.measures.scores`).

    Returns
    -------
    dict
        node → {measure: float}; empty for an empty graph.

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
    >>> round(scores["b"]["eigenvector"], 3), round(scores["c"]["pagerank"], 3)
    (0.707, 0.474)
    """
    unknown = [m for m in measures if m not in MEASURES]
    if unknown:
        raise UsageError(f"unknown measure {unknown[0]!r}; choose one of: {', '.join(MEASURES)}")
    if graph.number_of_nodes() == 0:
        return {}
    if k is None and graph.number_of_nodes() > SAMPLE_ABOVE:
        k = SAMPLE_K
    results = scores(graph, measures, k=k, seed=seed)
    return {node: {m: results[m][node] for m in MEASURES if m in results} for node in graph}


def top_actors(
    graph: nx.Graph, scores: dict[Any, dict[str, float]], n: int = 10, by: str = "pagerank"
) -> list[dict[str, Any]]:
    """The ``n`` nodes with the highest ``by`` score, as rows with label and type.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="A", type="Country")
    >>> g.add_edge("a", "b")
    0
    >>> [row["label"] for row in top_actors(g, centrality(g), n=1, by="degree")]
    ['A']
    """
    if scores and by not in next(iter(scores.values())):
        raise UsageError(f"cannot rank by {by!r}; choose one of: {', '.join(MEASURES)}")
    ranked = sorted(scores, key=lambda node: (-scores[node][by], str(node)))[:n]
    return [
        {
            "id": node,
            "label": graph.nodes[node].get("label", node),
            "type": graph.nodes[node].get("type", ""),
            **{m: round(v, 4) for m, v in scores[node].items()},
        }
        for node in ranked
    ]
