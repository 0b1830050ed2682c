"""Views: agreements as nodes or projected into co-party edges, article dates, supply context."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.errors import UsageError
from kg.graph import coparty_projection, project, supply_context, view_of
from kg.graph.context import named_in

CM = "https://w3id.org/cmkg/ontology#"
COUNTRY = "https://schema.org/Country"
AGREEMENT = CM + "Agreement"


def _rows() -> tuple[list[dict], list[dict]]:  # type: ignore[type-arg]
    nodes = [
        {"entity": "urn:us", "label": "US", "class": COUNTRY, "articles": 3},
        {"entity": "urn:pk", "label": "Pakistan", "class": COUNTRY, "articles": 2},
        {"entity": "urn:pt", "label": "Portugal", "class": COUNTRY, "articles": 1},
        {"entity": "urn:mou", "label": "MoU", "class": AGREEMENT, "articles": 2},
        {"entity": "urn:deal", "label": "Deal", "class": AGREEMENT, "articles": 1},
    ]
    party = CM + "partyTo"
    edges = [
        {"head": "urn:us", "predicate": party, "tail": "urn:mou", "articles": 2,
         "first": "2025-09-08", "last": "2025-10-31", "dates": "2025-10-31 2025-09-08"},
        {"head": "urn:pk", "predicate": party, "tail": "urn:mou", "articles": 1,
         "first": "2025-09-08", "last": "2025-09-08", "dates": "2025-09-08"},
        {"head": "urn:pt", "predicate": party, "tail": "urn:mou", "articles": 1,
         "first": "2025-09-10", "last": "2025-09-10"},
        {"head": "urn:us", "predicate": party, "tail": "urn:deal", "articles": 1},
        {"head": "urn:pk", "predicate": party, "tail": "urn:deal", "articles": 1},
        {"head": "urn:us", "predicate": CM + "meetsWith", "tail": "urn:pk", "articles": 1},
    ]  # fmt: skip
    return nodes, edges


def test_agreement_modes() -> None:
    nodes, edges = _rows()
    as_nodes = project(nodes, edges, "diplomatic")
    assert {d["relation"] for *_, d in as_nodes.edges(data=True)} == {"party_to", "meets_with"}
    projected = project(nodes, edges, "diplomatic", agreements="project")
    assert {t for _, t in projected.nodes(data="type")} == {"Country"}
    co = [(u, v, d) for u, v, d in projected.edges(data=True) if d["relation"] == "co_party"]
    # two agreements between US and Pakistan: two parallel edges, keyed by agreement
    assert projected.number_of_edges("urn:pk", "urn:us") == 2
    assert set(projected["urn:pk"]["urn:us"]) == {"co_party:urn:mou", "co_party:urn:deal"}
    mou = projected["urn:pk"]["urn:us"]["co_party:urn:mou"]
    assert (mou["weight"], mou["start"], mou["end"], mou["agreement_label"]) == (
        1.0, "2025-09-08", "2025-10-31", "MoU")  # fmt: skip
    assert len(co) == 4  # pk-us twice, pk-pt, pt-us
    both = project(nodes, edges, "diplomatic", agreements="both")
    assert "urn:mou" in both and both.number_of_edges() == as_nodes.number_of_edges() + 4
    for graph in (as_nodes, projected, both):
        for *_, data in graph.edges(data=True):
            assert all(isinstance(v, str | int | float | bool) for v in data.values())
    assert project(nodes, edges, "supply", agreements="project").number_of_edges() == 0
    with pytest.raises(UsageError, match="nodes, project, both"):
        project(nodes, edges, "diplomatic", agreements="merge")


def test_dates_are_sorted_one_per_article() -> None:
    nodes, edges = _rows()
    graph = project(nodes, edges, "diplomatic")
    assert graph["urn:us"]["urn:mou"]["party_to"]["dates"] == "2025-09-08 2025-10-31"
    assert "dates" not in graph["urn:pt"]["urn:mou"]["party_to"]


def test_projection_ignores_self_parties_and_keeps_isolated_agreements_when_asked() -> None:
    g = nx.MultiDiGraph()
    g.add_node("a", type="Agreement")
    g.add_edge("x", "a", relation="party_to", weight=1.0)
    assert coparty_projection(g).number_of_edges() == 0
    assert "a" in coparty_projection(g, keep_agreements=True)


def test_sample_views(sample_store) -> None:  # type: ignore[no-untyped-def]
    diplomatic = view_of(sample_store, "diplomatic", agreements="project")
    assert "Agreement" not in {t for _, t in diplomatic.nodes(data="type")}
    assert any(d["relation"] == "co_party" for *_, d in diplomatic.edges(data=True))
    full = view_of(sample_store, "all")
    dated = [d for *_, d in full.edges(data=True) if "dates" in d]
    assert len(dated) > 0.9 * full.number_of_edges()
    for data in dated:
        dates = data["dates"].split()
        assert dates == sorted(dates) and len(dates) == data["weight"]
        assert (dates[0], dates[-1]) == (data["start"], data["end"])


def test_supply_context_of_the_sample(sample_store) -> None:  # type: ignore[no-untyped-def]
    context = supply_context(sample_store)
    us_china = context.dependency_minerals[
        ("https://w3id.org/cmkg/id/country/USA", "https://w3id.org/cmkg/id/country/CHN")
    ]
    assert "https://w3id.org/cmkg/id/mineral/rare-earth-elements" in us_china
    assert "USGS 2025" in context.critical_lists["https://w3id.org/cmkg/id/mineral/gallium"]
    assert any(context.agreement_minerals.values())


def test_named_in_matches_whole_words() -> None:
    assert named_in("China's REEs and gallium.", "gallium")
    assert named_in("Rare Earths", "rare earths")
    assert not named_in("continuing", "tin")
    assert named_in("a (REE) deal", "(REE)")
