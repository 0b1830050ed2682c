"""Agreements with their own identity: named ones keep their names; unnamed ones are told apart
by type, parties and month, and never labelled by a determiner or a bare type word."""

from __future__ import annotations

import datetime as dt

from kg.records import Analysis, Article, Entity, Extraction, Mention, MentionRelation
from kg.resolve import resolve

ID = "https://w3id.org/cmkg/id/"
CHL, JPN, KOR, USA = (ID + f"country/{c}" for c in ("CHL", "JPN", "KOR", "USA"))
MOU = ID + "agreement-type/memorandum-of-understanding"
DEAL = ID + "agreement-type/deal"
AGREEMENT = ID + "agreement-type/agreement"
ACCORD = ID + "agreement-type/accord"
PARTNERSHIP = ID + "agreement-type/partnership"
LITHIUM = ID + "mineral/lithium"


def analysis(
    ident: str,
    text: str,
    spans: list[tuple[str, str, str | None]],
    parties: list[tuple[int, int]] = (),  # type: ignore[assignment]
    published: dt.date | None = None,
) -> Analysis:
    mentions, cursor = [], 0
    for surface, label, concept in spans:
        start = text.index(surface, cursor)
        mentions.append(Mention(surface, start, start + len(surface), label, concept))
        # The names inside an agreement's name follow it.
        cursor = start if label == "Agreement" else start + len(surface)
    relations = tuple(MentionRelation(h, "party_to", t, 0.7, 0, len(text)) for h, t in parties)
    return Analysis(Article(ident, text, published=published), tuple(mentions), relations=relations)


def agreements(extraction: Extraction) -> list[Entity]:
    return [e for e in extraction.entities if e.type == "Agreement"]


def mou(ident: str, second: str, second_iri: str, published: dt.date | None) -> Analysis:
    text = f"Chile and {second} signed a memorandum of understanding on lithium. That accord…"
    return analysis(
        ident,
        text,
        [
            ("Chile", "Country", CHL),
            (second, "Country", second_iri),
            ("memorandum of understanding", "Agreement", MOU),
            ("lithium", "Mineral", LITHIUM),
            ("That accord", "Agreement", ACCORD),
        ],
        parties=[(0, 2), (1, 2)],
        published=published,
    )


def test_unnamed_agreements_meet_across_articles_only_with_type_parties_and_month() -> None:
    nov, nov_later, feb = dt.date(2025, 11, 3), dt.date(2025, 11, 28), dt.date(2026, 2, 3)
    first, same, other, later, undated_1, undated_2 = resolve(
        [
            mou("a1", "Japan", JPN, nov),
            mou("a2", "Japan", JPN, nov_later),
            mou("a3", "South Korea", KOR, nov),
            mou("a4", "Japan", JPN, feb),
            mou("a5", "Japan", JPN, None),
            mou("a6", "Japan", JPN, None),
        ]
    )
    extractions = (first, same, other, later, undated_1, undated_2)
    [a1], [a2], [a3], [a4], [a5], [a6] = map(agreements, extractions)
    assert a1.name == "Chile–Japan memorandum of understanding on lithium (2025-11)"
    assert a1.id == a2.id
    assert len({a1.id, a3.id, a4.id, a5.id, a6.id}) == 5
    assert a5.name == "Chile–Japan memorandum of understanding on lithium"
    # "That accord" is the memorandum, and what the text calls it stays among its mentions.
    assert {"memorandum of understanding", "That accord"} <= set(a1.mentions)


def test_named_agreements_keep_their_names_whatever_the_order_of_parties() -> None:
    text = (
        "Japan joined the US-Japan Critical Minerals Pact in March. Manila wants to accede to "
        "the Japanese and American Critical Minerals Pact."
    )
    spans = [
        ("Japan", "Country", JPN),
        ("US-Japan Critical Minerals Pact", "Agreement", None),
        ("US", "Country", USA),
        ("Japan", "Country", JPN),
        ("Japanese and American Critical Minerals Pact", "Agreement", None),
        ("Japanese", "Country", JPN),
        ("American", "Country", USA),
    ]
    one = next(resolve([analysis("n1", text, spans, published=dt.date(2025, 4, 1))]))
    [pact] = agreements(one)
    assert pact.name == "US-Japan Critical Minerals Pact"
    other = next(resolve([analysis("n2", text, spans, published=dt.date(2027, 1, 1))]))
    assert agreements(other)[0].id == pact.id


def test_determiners_decide_what_a_bare_agreement_word_names() -> None:
    text = (
        "Chile and Japan signed a lithium supply deal. That deal runs ten years. Chile has not "
        "reached any agreement with Peru, but Chile and South Korea signed a new agreement."
    )
    spans = [
        ("Chile", "Country", CHL),
        ("Japan", "Country", JPN),
        ("lithium supply deal", "Agreement", DEAL),
        ("That deal", "Agreement", DEAL),
        ("Chile", "Country", CHL),
        ("agreement", "Agreement", AGREEMENT),
        ("Chile", "Country", CHL),
        ("South Korea", "Country", KOR),
        ("a new agreement", "Agreement", AGREEMENT),
    ]
    extraction = next(
        resolve([analysis("d1", text, spans, parties=[(0, 2), (1, 2), (6, 8), (7, 8)])])
    )
    by_name = {e.name: e for e in agreements(extraction)}
    assert set(by_name) == {"Chile–Japan lithium supply deal", "Chile–South Korea agreement"}
    assert "That deal" in by_name["Chile–Japan lithium supply deal"].mentions
    assert "any agreement" not in {m for e in agreements(extraction) for m in e.mentions}


def test_no_label_is_a_determiner_phrase_or_a_bare_type_word() -> None:
    text = "The deal was welcomed. That agreement, officials said, would help."
    spans = [("The deal", "Agreement", DEAL), ("That agreement", "Agreement", AGREEMENT)]
    [deal] = agreements(next(resolve([analysis("bare", text, spans)])))
    assert deal.name == "deal in article bare"
    assert not deal.name.lower().startswith(("the ", "that ", "this ", "a "))


def test_a_described_partnership_with_only_descriptive_words_is_the_agreement_before_it() -> None:
    # "public-private", "long-term" and "binding" say what kind of partnership, not which one.
    text = (
        "Norvik Mining and Baltic Metals signed a partnership agreement that sets the terms of "
        "the public-private partnership. The long-term partnership starts next year."
    )
    spans = [
        ("Norvik Mining", "Organization", None),
        ("Baltic Metals", "Organization", None),
        ("partnership agreement", "Agreement", AGREEMENT),
        ("the public-private partnership", "Agreement", PARTNERSHIP),
        ("The long-term partnership", "Agreement", PARTNERSHIP),
    ]
    extraction = next(resolve([analysis("p1", text, spans, parties=[(0, 2), (1, 2)])]))
    [partnership] = agreements(extraction)
    assert {"the public-private partnership", "The long-term partnership"} <= set(
        partnership.mentions
    )
