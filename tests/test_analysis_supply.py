"""Supply concentration, dependency paths and what-if exposure (reference table + news facts)."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest

from kg.analysis import concentration, dependency_paths, exposure, hhi, load_reference, shares
from kg.analysis.supply import COUNTRY_BASE, MINERAL_BASE, WORLD, related_minerals
from kg.errors import InputError
from kg.graph import SupplyContext
from kg.resources import ontology_file
from kg.vocab import load_vocabulary

C, M = COUNTRY_BASE, MINERAL_BASE


def test_reference_rows_have_vocabulary_keys_source_and_year() -> None:
    vocab = load_vocabulary()
    rows = load_reference()
    assert len(rows) > 40
    isos = {c.iso3 for c in vocab.of_kind("Country")}
    for row in rows:
        assert vocab.get(row.mineral) is not None and vocab.get(row.mineral).kind == "Mineral"
        assert row.country == WORLD or row.country in isos
        assert row.source.startswith("https://") and row.year in (2022, 2024)
        assert row.unit
    figures = {(r.mineral[len(M) :], r.stage, r.country): r.value for r in rows}
    # spot checks against the research notes (USGS MCS 2025, 2024 estimates)
    assert figures[("gallium", "primary", "CHN")] == 750_000
    assert figures[("gallium", "primary", WORLD)] == 760_000
    assert figures[("cobalt", "mine", "COD")] == 220_000
    assert figures[("rare-earth-elements", "mine", WORLD)] == 390_000
    assert figures[("copper", "refinery", "CHN")] == 12_000
    assert figures[("germanium", "primary", "CHN")] == 180
    assert all(r.year == 2022 for r in rows if r.mineral.endswith("/germanium"))


def test_reference_table_is_package_data() -> None:
    assert ontology_file("reference", "usgs-mcs-2025-production.csv").is_file()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda rows: [r[:7] for r in rows], "missing columns note"),
        (lambda rows: [*rows[:2], [*rows[2][:3], "lots", *rows[2][4:]]], ":3: value and year"),
        (lambda rows: [r for r in rows if r[2] != WORLD], "exactly one WLD row"),
        (lambda rows: [*rows, [*rows[1][:2], "USA", "9999999", *rows[1][4:]]], "exceed"),
        (lambda rows: [*rows[:2], [*rows[2][:6], "", rows[2][7]]], "needs a mineral IRI"),
    ],
)
def test_bad_reference_tables_are_refused(tmp_path: Path, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    text = ontology_file("reference", "usgs-mcs-2025-production.csv").read_text("utf-8")
    rows = list(csv.reader(text.splitlines()))
    bad = tmp_path / "bad.csv"
    with open(bad, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(edit(rows))
    with pytest.raises(InputError, match=message):
        load_reference(bad)


def test_concentration_hhi_and_top_three() -> None:
    rows = concentration()
    assert [r["hhi"] for r in rows] == sorted((r["hhi"] for r in rows), reverse=True)
    gallium = rows[0]
    assert (gallium["label"], gallium["top_producer"]) == ("gallium", "CHN")
    assert gallium["hhi"] == pytest.approx(hhi([750 / 760]))
    ree = next(r for r in rows if r["mineral"] == M + "rare-earth-elements")
    assert ree["top3_share"] == pytest.approx((270 + 45 + 31) / 390)
    assert ree["covered"] == pytest.approx(385 / 390)
    copper = {r["stage"]: r for r in rows if r["mineral"] == M + "copper"}
    assert copper["refinery"]["top_producer"] == "CHN" and copper["mine"]["top_producer"] == "CHL"
    assert 0 < copper["mine"]["hhi"] < copper["refinery"]["hhi"] < 10_000


def test_concentration_joins_news_facts_through_broader_and_narrower_minerals() -> None:
    g = nx.MultiDiGraph()
    g.add_node(C + "CHN", label="China", type="Country")
    g.add_node(C + "USA", label="United States", type="Country")
    g.add_node(M + "dysprosium", label="dysprosium", type="Mineral")
    g.add_edge(C + "CHN", M + "dysprosium", relation="restricts_export_of")
    g.add_edge(C + "USA", M + "rare-earth-elements", relation="produces")
    g.add_edge(C + "CHN", M + "graphite", relation="exports")
    rows = {(r["mineral"], r["stage"]): r for r in concentration(graph=g)}
    ree = rows[(M + "rare-earth-elements", "mine")]
    assert ree["news_restrictors"] == "China"
    assert ree["news_suppliers"] == "United States" and not ree["news_names_top"]
    assert rows[(M + "natural-graphite", "mine")]["news_names_top"]
    assert M + "rare-earth-elements" in related_minerals(M + "dysprosium")


@pytest.fixture
def news() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for iso, name in [("USA", "United States"), ("CHN", "China"), ("IND", "India"),
                      ("AUS", "Australia"), ("JPN", "Japan")]:  # fmt: skip
        g.add_node(C + iso, label=name, type="Country")
    g.add_node("ex:deal", label="US–Australia framework", type="Agreement")
    g.add_node("ex:ban", label="China export controls", type="Agreement")
    g.add_node("ex:firm", label="Magnet Maker", type="Organization")
    g.add_node("ex:person", label="A Minister", type="Person")
    g.add_edge(C + "USA", C + "CHN", relation="depends_on", weight=2.0)
    g.add_edge(C + "IND", C + "CHN", relation="depends_on", weight=1.0)
    g.add_edge(C + "JPN", M + "gallium", relation="imports", weight=1.0)
    g.add_edge(C + "CHN", M + "gallium", relation="produces", weight=3.0)
    g.add_edge(C + "CHN", M + "gallium", relation="restricts_export_of", weight=1.0)
    for party in (C + "USA", C + "AUS", "ex:person"):
        g.add_edge(party, "ex:deal", relation="party_to", weight=1.0)
    for party in (C + "CHN", "ex:firm"):
        g.add_edge(party, "ex:ban", relation="party_to", weight=1.0)
    return g


CONTEXT = SupplyContext(
    dependency_minerals={(C + "USA", C + "CHN"): frozenset({M + "gallium"})},
    agreement_minerals={"ex:ban": frozenset({M + "gallium"}), "ex:deal": frozenset({M + "copper"})},
)


def test_exposure_levels_channels_and_alternatives(news: nx.MultiDiGraph) -> None:
    what_if = exposure(news, C + "CHN", M + "gallium", context=CONTEXT)
    assert what_if["share_at_risk"] == pytest.approx(750 / 760)
    assert what_if["stage"] == "primary" and what_if["news_restricts"]
    rows = {r["label"]: r for r in what_if["exposed"]}
    assert set(rows) == {"United States", "India", "Japan", "Magnet Maker"}
    assert rows["United States"]["level"] == "direct"
    assert rows["United States"]["channels"] == "depends on China for gallium"
    assert rows["Japan"]["channels"] == "imports gallium" and rows["Japan"]["level"] == "direct"
    assert rows["India"]["level"] == rows["Magnet Maker"]["level"] == "indirect"
    assert [r["level"] for r in what_if["exposed"]] == ["direct", "direct", "indirect", "indirect"]
    # rare earths: Australia is a producer the United States has an agreement with
    ree = exposure(news, C + "CHN", M + "rare-earth-elements", context=CONTEXT)
    us = next(r for r in ree["exposed"] if r["label"] == "United States")
    assert us["level"] == "indirect" and us["alternatives"] == "Australia 3%"
    assert us["alternative_share"] == pytest.approx(13 / 390)


def test_exposure_without_figures_or_share(news: nx.MultiDiGraph) -> None:
    assert exposure(news, C + "CHN", M + "gypsum")["share_at_risk"] is None
    none = exposure(news, C + "JPN", M + "gallium")
    assert none["share_at_risk"] == 0.0 and none["stage"] is None


def test_dependency_paths_stated_and_from_imports(news: nx.MultiDiGraph) -> None:
    rows = dependency_paths(news, context=CONTEXT)
    found = {(r["dependent_label"], r["supplier_label"], r["mineral_label"]): r for r in rows}
    us = found[("United States", "China", "gallium")]
    assert us["basis"] == "stated" and us["share"] == pytest.approx(750 / 760)
    assert found[("Japan", "China", "gallium")]["basis"] == "imports"
    assert found[("India", "China", "")]["share"] is None  # the sentence names no mineral
    shared = dependency_paths(news, context=SupplyContext(
        dependency_minerals=CONTEXT.dependency_minerals,
        agreement_minerals={"ex:deal": frozenset({M + "gallium"})}))  # fmt: skip
    assert next(r for r in shared if r["dependent_label"] == "United States")["agreements"] == (
        "US–Australia framework"
    )


def test_shares_are_fractions_of_the_world_total() -> None:
    for fractions in shares(load_reference()).values():
        assert 0 < sum(fractions.values()) <= 1.0 + 1e-9


def test_sample_store_china_gallium(sample_store) -> None:  # type: ignore[no-untyped-def]
    from kg.analysis.report import analyze

    table = analyze(sample_store, "exposure", restrictor="China", mineral="gallium", top=50)
    assert table.rows and all(r["level"] in {"direct", "indirect"} for r in table.rows)
    assert "United States" in {r["label"] for r in table.rows}
    assert any("98.7%" in note for note in table.notes)
    concentrated = analyze(sample_store, "concentration", top=3)
    assert concentrated.rows[0]["label"] == "gallium" and "China" in concentrated.rows[0][
        "news_suppliers"]  # fmt: skip
