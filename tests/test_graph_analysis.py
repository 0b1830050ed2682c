"""NetworkX views projected from the store, and centrality on them."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.analysis import centrality, top_actors
from kg.errors import UsageError
from kg.graph import project, view_of


def test_views_keep_only_their_relations_and_scalar_attributes(sample_store) -> None:  # type: ignore[no-untyped-def]
    supply = view_of(sample_store, "supply")
    diplomatic = view_of(sample_store, "diplomatic")
    assert supply.number_of_edges() > 10 and diplomatic.number_of_edges() > 10
    assert {d["relation"] for *_, d in supply.edges(data=True)} <= {
        "produces",
        "has_reserves_of",
        "exports",
        "imports",
        "restricts_export_of",
        "invests_in",
        "depends_on",
        "dominates_supply_of",
    }
    assert "meets_with" not in {d["relation"] for *_, d in supply.edges(data=True)}
    for _, data in supply.nodes(data=True):
        assert all(isinstance(v, str | int | float | bool) for v in data.values())
    weights = [d["weight"] for *_, d in supply.edges(data=True)]
    assert min(weights) >= 1.0


def test_unknown_view_lists_the_choices() -> None:
    with pytest.raises(UsageError, match="diplomatic, supply, all"):
        project([], [], "trade")


def test_centrality_handles_empty_isolated_and_self_loops() -> None:
    assert centrality(nx.MultiDiGraph()) == {}
    g = nx.MultiDiGraph()
    g.add_node("alone")
    g.add_edge("a", "a", weight=1.0)
    g.add_edge("a", "b", weight=2.0)
    scores = centrality(g)
    assert set(scores) == {"alone", "a", "b"}
    assert all(0.0 <= v <= 1.0 for s in scores.values() for v in s.values())


def test_top_actors_of_the_sample_include_major_powers(sample_store) -> None:  # type: ignore[no-untyped-def]
    graph = view_of(sample_store, "all")
    top = [row["label"] for row in top_actors(graph, centrality(graph), n=15, by="degree")]
    assert "United States" in top and "China" in top
