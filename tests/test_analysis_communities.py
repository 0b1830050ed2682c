"""Louvain communities (seeded, reproducible) and time slices by article month."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.analysis import communities, community_of, community_table, timeline
from kg.errors import UsageError


def test_louvain_is_reproducible_and_covers_every_node() -> None:
    g = nx.MultiDiGraph(nx.karate_club_graph())
    g.add_node("alone")
    first, second = communities(g), communities(g)
    assert first == second
    assert set().union(*first) == set(g)
    assert [len(c) for c in first] == sorted((len(c) for c in first), reverse=True)
    assert community_of(first)["alone"] == len(first) - 1
    rows = community_table(g, first, members=3)
    assert [r["community"] for r in rows] == list(range(len(first)))
    assert communities(nx.MultiDiGraph()) == []


def test_timeline_per_month_and_cumulative() -> None:
    g = nx.MultiDiGraph()
    g.add_node("hub", label="Hub", type="Country")
    for i, month in enumerate(["2025-01-05", "2025-01-20", "2025-02-03", "2025-03-09"]):
        g.add_edge("hub", f"n{i}", relation="meets_with", dates=month)
    g.add_edge("x", "y", relation="exports", start="2025-03-01", end="2025-03-01")
    g.add_edge("u", "v", relation="exports")  # undated: left out
    rows = timeline(g, measure="degree", top=1)
    assert [(r["period"], r["label"], r["edges"]) for r in rows] == [
        ("2025-01", "Hub", 2),
        ("2025-02", "Hub", 1),
        ("2025-03", "Hub", 2),
    ]
    cumulative = timeline(g, measure="degree", top=1, cumulative=True)
    assert [r["edges"] for r in cumulative] == [2, 3, 5]
    with pytest.raises(UsageError, match="pagerank"):
        timeline(g, measure="closeness")


def test_timeline_of_the_sample(sample_store) -> None:  # type: ignore[no-untyped-def]
    from kg.graph import view_of

    rows = timeline(view_of(sample_store, "all"), top=3)
    periods = [r["period"] for r in rows]
    assert periods == sorted(periods) and len(set(periods)) >= 8
    assert all(1 <= r["rank"] <= 3 for r in rows)
