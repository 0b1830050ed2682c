"""Syndicated copies: found at build time, linked to their original, counted once in weights."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.graph import view_of
from kg.ingest import syndication as syn
from kg.ingest.syndication import Candidate, Fingerprint, SyndicationIndex, fingerprint
from kg.pipeline import build
from kg.rdf import article_iri
from kg.records import Article
from kg.store import GraphStore
from kg.store.validate import validate_store

STORY = (
    "Chile exports copper to China under a new supply agreement signed in Santiago on Monday, "
    "the mining ministry said. The state company Codelco will ship cathodes from its northern "
    "smelters for five years, and prices will follow the London benchmark with a small premium. "
    "Officials said the deal would help fund a new concentrator and cut the backlog at the port "
    "of Antofagasta, where shipments slowed last year after storms damaged two loading berths."
)
COPY = (
    "SANTIAGO (Metals Wire) — "
    + STORY.replace("on Monday", "this week").replace("a small premium", "a modest premium")
    + "\n\nReporting by Ana Ruiz; editing by Tom Berg"
)
OTHER = (
    "Chile exports copper to China, and Peru is racing to catch up. Lima approved three mine "
    "expansions in the southern Andes on Wednesday, betting on higher demand from power grids "
    "and electric cars, while community groups asked for water studies before any digging "
    "starts near the headwaters of rivers that farmers in the valleys below depend on."
)
SHIPMENT = ("chile", "exports", "copper")


def key(ident: str) -> str:
    return article_iri(Article(ident, "")).value


def test_a_copy_links_to_the_first_article_of_its_story() -> None:
    index = SyndicationIndex()
    assert index.check("wire", fingerprint(STORY)) is None
    assert index.check("copy", fingerprint(COPY)) == "wire"
    assert index.check("other", fingerprint(OTHER)) is None
    half = STORY[: len(STORY) // 2]  # an outlet running only the first half
    assert index.check("half", fingerprint(half + " More on our website soon, as it happens.")) in {
        "wire"
    }
    # A copy of a copy points to the original, not to the copy it came through.
    assert index.check("again", fingerprint(COPY + " Updated at noon.")) == "wire"


def test_short_texts_are_not_fingerprinted() -> None:
    assert fingerprint("Chile exports copper to China.") is None
    assert SyndicationIndex().check("short", None) is None


def test_fingerprints_are_stable_and_round_trip() -> None:
    first = fingerprint(STORY)
    assert first is not None and first == fingerprint(STORY)
    assert Fingerprint.decode(first.encode()) == first
    assert Fingerprint.decode("mh9.1.1.x:3:AAAA") is None  # other settings: never compared
    # Stored band keys must not drift between versions of kg without a new VERSION.
    assert first.encode().startswith(f"{syn.VERSION}:{len(syn.shingles(STORY))}:")
    assert first.bands()[0] == "f1843c1732686dc603fbb26d"


def test_stored_articles_are_found_through_the_lookup() -> None:
    stored = Candidate("stored-wire", fingerprint(STORY), None)  # type: ignore[arg-type]
    asked: list[int] = []

    def lookup(bands):  # type: ignore[no-untyped-def]
        asked.append(len(bands))
        return [stored] if set(bands) & set(stored.fingerprint.bands()) else []

    index = SyndicationIndex(lookup)
    assert index.check("copy", fingerprint(COPY)) == "stored-wire"
    assert asked == [syn.lsh_shape()[0]]
    index.forget("copy")
    assert len(index) == 0


def test_the_compact_band_table_merges_and_forgets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(syn._BandTable, "MERGE", 8)  # merge into the sorted arrays at once
    index = SyndicationIndex()
    assert index.check("wire", fingerprint(STORY)) is None
    assert index.check("other", fingerprint(OTHER)) is None
    assert index._table.recent == {} and len(index._table.bands) > 0
    assert index.check("copy", fingerprint(COPY)) == "wire"
    index.forget("wire")
    index.forget("copy")
    assert index.check("late copy", fingerprint(COPY)) is None  # the store answers for them now
    assert set(index._table.ordinals.tolist()) <= {1, 3}


def rows(path: Path, *items: tuple[str, str, str]) -> Path:
    path.write_text(
        "".join(json.dumps({"id": i, "text": t, "published": d}) + "\n" for i, t, d in items)
    )
    return path


def test_build_links_copies_and_weights_count_stories(
    tmp_path: Path, rules_extractor: Extractor
) -> None:
    store = GraphStore(tmp_path / "store")
    first = rows(
        tmp_path / "a.jsonl",
        ("wire", STORY, "2025-03-03"),
        ("copy", COPY, "2025-03-04"),
        ("other", OTHER, "2025-03-05"),
    )
    report = build([first], store, extractor=rules_extractor)
    assert (report.added, report.copies) == (3, 1)
    assert "1 copies of stories seen before" in report.summary()
    based = "SELECT ?a ?o WHERE { GRAPH ?g { ?a <https://schema.org/isBasedOn> ?o } }"
    assert store.select(based) == [{"a": key("copy"), "o": key("wire")}]

    def shipment() -> dict[str, object]:
        graph = view_of(store)
        [edge] = [
            d
            for u, v, d in graph.edges(data=True)
            if (graph.nodes[u]["label"].lower(), d["relation"], graph.nodes[v]["label"].lower())
            == SHIPMENT
        ]
        return edge

    # Three articles state it, in two stories: the copy is its original's story.
    edge = shipment()
    assert edge["weight"] == 2.0 and edge["dates"] == "2025-03-03 2025-03-05"

    # A later build finds the stored original through the bands in the store.
    later = rows(tmp_path / "b.jsonl", ("late", COPY.replace("Metals Wire", "Ore Daily"), None))
    assert build([later], store, extractor=rules_extractor).copies == 1
    assert {r["o"] for r in store.select(based)} == {key("wire")}
    assert shipment()["weight"] == 2.0

    # Built again, nothing changes; the store still validates against the shapes.
    before = len(store)
    again = build([first, later], store, extractor=rules_extractor)
    assert (again.unchanged, again.added, again.copies, len(store)) == (4, 0, 0, before)
    assert validate_store(store).conforms


def test_near_copies_are_not_indexed_and_big_stories_stay_cheap() -> None:
    index = SyndicationIndex()
    assert index.match("wire", fingerprint(STORY)) == (None, True)
    # Republished unchanged but for a credit line: linked, and not looked up in its turn.
    assert index.match("same", fingerprint(STORY + " Editing by Sam Ng.")) == ("wire", False)
    # An edited version is looked up: a later article may resemble it more than the original.
    assert index.match("edited", fingerprint(COPY)) == ("wire", True)
    assert len(index) == 2
    hits = {f"c{n}": (n % 5, "wire") for n in range(100)} | {"wire": (3, None)}
    assert len(syn.most_shared(hits)) == syn.PER_STORY
