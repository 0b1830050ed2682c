"""Communities (Louvain) and time slices (centrality per month) of a view."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable
from typing import Any

import networkx as nx

from kg.analysis.centrality import MEASURES, centrality
from kg.errors import UsageError

#: Seed of the Louvain method, so that communities are the same on every run.
SEED = 42


def _weighted_undirected(graph: nx.Graph) -> nx.Graph:
    """Undirected simple graph, parallel and reciprocal edges summed, self-loops dropped."""
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    for u, v, weight in graph.edges(data="weight", default=1.0):
        if u == v:
            continue
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += float(weight)
        else:
            simple.add_edge(u, v, weight=float(weight))
    return simple


def communities(
    graph: nx.Graph, *, seed: int = SEED, resolution: float = 1.0
) -> list[set[Hashable]]:
    """Louvain communities of the undirected graph weighted by article counts, largest first.

    Calls :func:`networkx.community.louvain_communities` with a fixed ``seed``, so the result is
    the same on every run; ties in size are ordered by their smallest node. Isolated nodes are
    communities of their own.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"),
    ...                      ("z", "x"), ("c", "x")])
    >>> [sorted(c) for c in communities(g)]
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    if graph.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(
        _weighted_undirected(graph), weight="weight", resolution=resolution, seed=seed
    )
    return sorted(found, key=lambda c: (-len(c), min(str(n) for n in c)))


def community_of(parts: list[set[Hashable]]) -> dict[Hashable, int]:
    """node → index of its community in ``parts`` (0 is the largest).

    >>> community_of([{"a", "b"}, {"c"}]) == {"a": 0, "b": 0, "c": 1}
    True
    """
    return {node: i for i, part in enumerate(parts) for node in part}


def community_table(
    graph: nx.Graph, parts: list[set[Hashable]], members: int = 5
) -> list[dict[str, Any]]:
    """One row per community: size, types and its best-connected members by label.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="A", type="Country")
    >>> g.add_edge("a", "b")
    0
    >>> community_table(g, communities(g))[0]["members"]
    'A, b'
    """
    degree = dict(graph.degree())
    rows = []
    for i, part in enumerate(parts):
        ranked = sorted(part, key=lambda n: (-degree[n], str(graph.nodes[n].get("label", n))))
        types = Counter(str(graph.nodes[n].get("type", "Other")) for n in part)
        rows.append(
            {
                "community": i,
                "size": len(part),
                "types": ", ".join(f"{t} {c}" for t, c in sorted(types.items())),
                "members": ", ".join(str(graph.nodes[n].get("label", n)) for n in ranked[:members]),
            }
        )
    return rows


def _dates(data: dict[str, Any]) -> list[str]:
    if data.get("dates"):
        return str(data["dates"]).split()
    return [d for d in {data.get("start"), data.get("end")} if d]


def timeline(
    graph: nx.MultiDiGraph,
    *,
    measure: str = "pagerank",
    top: int = 5,
    cumulative: bool = False,
) -> list[dict[str, Any]]:
    """Centrality per month of article dates: the ``top`` actors of each month.

    Each month's slice holds the relations stated by articles published that month (with
    ``cumulative=True``: in that month or before), weighted by the number of those articles. An
    edge's article dates are its ``dates`` attribute (one per article, as :func:`kg.graph.view_of`
    sets it), else its ``start`` and ``end``. Undated edges are left out.

    Returns
    -------
    list of dict
        Rows with ``period`` (``YYYY-MM``), ``rank``, ``id``, ``label``, ``type``, ``score``
        (``measure`` in that slice), ``nodes`` and ``edges`` (the slice's size).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", relation="meets_with", dates="2025-01-10")
    >>> _ = g.add_edge("b", "c", relation="meets_with", dates="2025-01-20 2025-02-02")
    >>> [(r["period"], r["id"], r["edges"]) for r in timeline(g, measure="degree", top=1)]
    [('2025-01', 'b', 2), ('2025-02', 'b', 1)]
    """
    if measure not in MEASURES:
        raise UsageError(f"unknown measure {measure!r}; choose one of: {', '.join(MEASURES)}")
    by_month: dict[str, list[tuple[Any, Any, dict[str, Any], int]]] = defaultdict(list)
    for u, v, data in graph.edges(data=True):
        for month, count in Counter(d[:7] for d in _dates(data)).items():
            by_month[month].append((u, v, data, count))
    rows: list[dict[str, Any]] = []
    months = sorted(by_month)
    for i, month in enumerate(months):
        window = months[: i + 1] if cumulative else [month]
        piece = nx.MultiDiGraph()
        for m in window:
            for u, v, data, count in by_month[m]:
                key = (data.get("relation"), data.get("agreement"))
                if piece.has_edge(u, v, key):
                    piece[u][v][key]["weight"] += count
                else:
                    piece.add_edge(u, v, key=key, weight=float(count))
        scores = centrality(piece, measures=(measure,))
        ranked = sorted(scores, key=lambda n: (-scores[n][measure], str(n)))[:top]
        for rank, node in enumerate(ranked, start=1):
            rows.append(
                {
                    "period": month,
                    "rank": rank,
                    "id": node,
                    "label": graph.nodes[node].get("label", node),
                    "type": graph.nodes[node].get("type", ""),
                    "score": round(scores[node][measure], 4),
                    "nodes": piece.number_of_nodes(),
                    "edges": piece.number_of_edges(),
                }
            )
    return rows
