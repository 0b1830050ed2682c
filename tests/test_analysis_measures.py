"""Centrality measures: the sparse implementations agree with networkx, and scale."""

from __future__ import annotations

import importlib
import math
import warnings

import networkx as nx
import pytest

from kg.analysis import centrality, top_actors
from kg.analysis.measures import betweenness_centrality, eigenvector_centrality, pagerank
from kg.errors import UsageError

centrality_module = importlib.import_module("kg.analysis.centrality")


def _close(a: dict, b: dict, tol: float = 1e-9) -> bool:  # type: ignore[type-arg]
    return a.keys() == b.keys() and all(math.isclose(a[k], b[k], abs_tol=tol) for k in a)


def _messy(seed: int) -> nx.MultiDiGraph:
    """Random multigraph with parallel edges, reciprocal edges, self-loops and isolates."""
    base = nx.gnm_random_graph(60, 90, seed=seed, directed=True)
    g = nx.MultiDiGraph()
    g.add_nodes_from(range(65))
    for u, v in base.edges():
        g.add_edge(u, v, weight=1.0 + (u + v) % 3)
    g.add_edge(0, 1, weight=2.0)
    g.add_edge(3, 3, weight=1.0)
    return g


@pytest.mark.parametrize("seed", range(4))
def test_betweenness_equals_networkx_exact_and_sampled(seed: int) -> None:
    g = _messy(seed)
    simple = nx.Graph(g)
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    assert _close(betweenness_centrality(g), nx.betweenness_centrality(simple))
    for k in (2, 10, 64):
        ours = betweenness_centrality(g, k=k, seed=seed)
        assert _close(ours, nx.betweenness_centrality(simple, k=k, seed=seed)), k
    assert _close(betweenness_centrality(g, k=len(g)), betweenness_centrality(g))


def test_betweenness_of_tiny_graphs() -> None:
    assert betweenness_centrality(nx.Graph()) == {}
    assert betweenness_centrality(nx.path_graph(2)) == {0: 0.0, 1: 0.0}
    assert betweenness_centrality(nx.path_graph(3))[1] == 1.0


def test_eigenvector_per_component() -> None:
    karate = nx.karate_club_graph()
    assert _close(
        eigenvector_centrality(karate), nx.eigenvector_centrality(karate, weight="weight"), 1e-4
    )
    big, small = nx.complete_graph(6), nx.path_graph(["x", "y"])
    g = nx.union(big, small)
    g.add_node("alone")
    g.add_edge("loop", "loop")
    scores = eigenvector_centrality(g)
    assert scores["alone"] == 0.0 and scores["loop"] == 0.0
    # each component's unit vector is scaled by its share of the 8 linked nodes
    assert math.isclose(math.sqrt(sum(scores[v] ** 2 for v in big)), 6 / 8)
    assert math.isclose(math.hypot(scores["x"], scores["y"]), 2 / 8)
    assert min(scores[v] for v in big) > scores["x"] == scores["y"] > 0


def test_eigenvector_converges_on_bipartite_stars_and_warns_otherwise() -> None:
    star = nx.star_graph(5)  # bipartite: plain power iteration on A oscillates
    scores = eigenvector_centrality(star)
    assert scores[0] > scores[1] > 0
    with pytest.warns(RuntimeWarning, match="did not converge"):
        eigenvector_centrality(nx.path_graph(50), max_iter=2)


def test_pagerank_equals_networkx_with_parallel_edges_and_dangling_nodes() -> None:
    g = _messy(7)
    assert _close(pagerank(g), nx.pagerank(g), 1e-9)
    undirected = nx.karate_club_graph()
    assert _close(pagerank(undirected), nx.pagerank(undirected), 1e-9)


def test_centrality_returns_four_finite_measures() -> None:
    g = _messy(1)
    scores = centrality(g)
    assert set(scores) == set(g)
    for values in scores.values():
        assert set(values) == {"degree", "betweenness", "eigenvector", "pagerank"}
        assert all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in values.values())
    only = centrality(g, measures=("degree",))
    assert set(next(iter(only.values()))) == {"degree"}
    with pytest.raises(UsageError, match="degree, betweenness, eigenvector, pagerank"):
        centrality(g, measures=("closeness",))
    with pytest.raises(UsageError, match="choose one of"):
        top_actors(g, only, by="pagerank")


def test_betweenness_is_sampled_above_the_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    g = _messy(2)
    simple = nx.Graph(g)
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    monkeypatch.setattr(centrality_module, "SAMPLE_ABOVE", 10)
    monkeypatch.setattr(centrality_module, "SAMPLE_K", 8)
    sampled = {n: s["betweenness"] for n, s in centrality(g, seed=3).items()}
    assert _close(sampled, nx.betweenness_centrality(simple, k=8, seed=3))
    exact = {n: s["betweenness"] for n, s in centrality(g, k=len(g)).items()}
    assert _close(exact, nx.betweenness_centrality(simple))


def test_no_warnings_on_a_disconnected_view() -> None:
    g = nx.MultiDiGraph([("a", "b"), ("c", "d"), ("e", "e")])
    g.add_node("f")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = centrality(g)
    assert scores["f"] == {"degree": 0.0, "betweenness": 0.0, "eigenvector": 0.0,
                           "pagerank": pytest.approx(scores["f"]["pagerank"])}  # fmt: skip
