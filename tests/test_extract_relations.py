"""Relations and quantities read from sentences by the rules (vocabulary ruler + real NER)."""

from __future__ import annotations

import pytest

from kg.extract import normalize


def rels(extraction) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    names = {e.id: e.name for e in extraction.entities}
    return {(names[r.head], r.type, names[r.tail]) for r in extraction.relations}


def subjects_of_quantities(extraction) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each quantity's value as written → the name of its subject."""
    names = {e.id: e.name for e in extraction.entities}
    return {q.value: names[q.subject] for q in extraction.quantities}


def test_roles_meetings_and_delegations(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Zambia's Mines Minister Paul Chanda, along with Ambassador Lucy Ward, met Japanese Trade "
        "Minister Kenji Sato in Tokyo on Monday."
    )
    found = rels(extract_text(text))
    assert ("Paul Chanda", "holds_role_in", "Zambia") in found
    assert ("Paul Chanda", "meets_with", "Kenji Sato") in found or (
        "Kenji Sato",
        "meets_with",
        "Paul Chanda",
    ) in found
    assert ("Lucy Ward", "meets_with", "Kenji Sato") in found or (
        "Kenji Sato",
        "meets_with",
        "Lucy Ward",
    ) in found


def test_apposition_gives_the_role(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = "Kenji Sato, Japan's trade minister, said the talks went well."
    assert ("Kenji Sato", "holds_role_in", "Japan") in rels(extract_text(text))


def test_signing_parties_and_agreement_name(extract_text) -> None:  # type: ignore[no-untyped-def]
    extraction = extract_text("Chile signed a lithium supply agreement with Japan on Tuesday.")
    agreements = [e for e in extraction.entities if e.type == "Agreement"]
    assert len(agreements) == 1
    assert "lithium supply agreement" in agreements[0].name
    found = rels(extraction)
    assert ("Chile", "party_to", agreements[0].name) in found and (
        "Japan",
        "party_to",
        agreements[0].name,
    ) in found


def test_supply_relations_passive_and_negation(extract_text) -> None:  # type: ignore[no-untyped-def]
    found = rels(extract_text("The market for tungsten is dominated by China."))
    assert ("China", "dominates_supply_of", "tungsten") in found
    extraction = extract_text("Peru did not restrict exports of copper this year.")
    statuses = {r.type: r.status for r in extraction.relations}
    assert statuses.get("restricts_export_of") == "negated"


def test_quantities_keep_value_unit_and_subject(extract_text) -> None:  # type: ignore[no-untyped-def]
    extraction = extract_text("Indonesia produced 2.2 million tonnes of nickel in 2024.")
    names = {e.id: e.name for e in extraction.entities}
    quantity = next(q for q in extraction.quantities if "2.2" in q.value)
    assert names[quantity.subject] == "Indonesia"
    assert quantity.unit == "t" and quantity.normalized == pytest.approx(2.2e6)
    assert quantity.mineral is not None and names[quantity.mineral] == "nickel"


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("US $8.5 billion", 8.5e9, "USD"),
        ("70%", 70.0, "%"),
        ("600,000 square kilometres", 6e5, "km2"),
        ("two to three percent", 2.0, "%"),
        ("15 Mt", 15.0, "t"),
    ],
)
def test_normalize(text: str, value: float, unit: str) -> None:
    assert normalize(text) == (pytest.approx(value), unit)


def test_agreement_details_and_events(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Chile and Japan signed a 10-year lithium supply agreement in Tokyo on Tuesday. "
        "Separately, China banned exports of gallium to the United States."
    )
    extraction = extract_text(text)
    names = {e.id: e.name for e in extraction.entities}
    [agreement] = [e for e in extraction.entities if e.type == "Agreement"]
    details = dict(agreement.details)
    assert details["duration"] == "P10Y" and details["status"] == "signed"
    assert details["agreement_type"] == "supply agreement"
    kinds = {e.kind: e for e in extraction.events}
    signing = kinds["signing"]
    assert {names[p] for p in signing.participants} == {"Chile", "Japan"}
    assert signing.place == "Tokyo" and signing.date == "Tuesday"
    restriction = kinds["export restriction"]
    assert [names[m] for m in restriction.minerals] == ["gallium"]
    assert names[restriction.target] == "United States"


def test_quantity_ranges_rates_and_world_shares(extract_text) -> None:  # type: ignore[no-untyped-def]
    extraction = extract_text(
        "Peru's copper output grew two to three percent per year. "
        "Chile accounts for 24% of global copper mining."
    )
    by_value = {q.value: q for q in extraction.quantities}
    growth = next(q for v, q in by_value.items() if "two" in v)
    assert (growth.normalized, growth.maximum, growth.unit) == (2.0, 3.0, "%/yr")
    share = next(q for v, q in by_value.items() if "24" in v)
    assert share.share == pytest.approx(0.24)


def test_shares_written_in_words(extract_text) -> None:  # type: ignore[no-untyped-def]
    extraction = extract_text(
        "By most estimates Zambia sits on almost a third of the world's known cobalt. "
        "China refines two-thirds of the world's lithium."
    )
    names = {e.id: e.name for e in extraction.entities}
    found = {(names[q.subject], q.value): q for q in extraction.quantities}
    third = found[("Zambia", "almost a third")]
    assert third.normalized == pytest.approx(1 / 3)
    assert third.share == pytest.approx(1 / 3)
    assert found[("China", "two-thirds")].share == pytest.approx(2 / 3)


def test_a_number_without_an_actor_before_it_is_about_the_article_s_topic(extract_text) -> None:  # type: ignore[no-untyped-def]
    extraction = extract_text(
        "The United States has launched a broad plan to secure minerals for its industry. "
        "The United States wants allies on board. "
        "The plan includes a $12 billion loan facility for miners to cut reliance on China."
    )
    names = {e.id: e.name for e in extraction.entities}
    loan = next(q for q in extraction.quantities if q.normalized == 12e9)
    assert names[loan.subject] == "United States"


def test_counts_written_in_words_but_not_a_set_named_before(extract_text) -> None:  # type: ignore[no-untyped-def]
    extraction = extract_text(
        "Brussels picked eleven projects in Portugal for fast permits. "
        "The two countries will review them next year."
    )
    values = {q.value for q in extraction.quantities}
    assert "eleven" in values
    assert not any("two" in v for v in values)  # "the two countries" counts nobody new


def test_a_share_of_a_country_s_exports_is_that_country_s(extract_text) -> None:  # type: ignore[no-untyped-def]
    extraction = extract_text(
        "Vietnam, the market for 70% of Laotian potash exports, signed a trade deal with Japan."
    )
    assert subjects_of_quantities(extraction)["70%"] == "Laos"


def test_a_stake_sold_and_its_price_are_the_buyer_s(extract_text) -> None:  # type: ignore[no-untyped-def]
    extraction = extract_text(
        "Nordvik Mining sold 40% of the Kallio mine to Baltic Metals Corp for $90 million."
    )
    found = subjects_of_quantities(extraction)
    assert found == {"40%": "Baltic Metals Corp", "$90 million": "Baltic Metals Corp"}


def test_a_country_named_only_as_a_place_is_neither_the_topic_nor_it(extract_text) -> None:  # type: ignore[no-untyped-def]
    extraction = extract_text(
        "Canada will tax steel from China, and Ottawa has told buyers of graphite from China "
        "to look elsewhere. Buyers in China and traders from China were not consulted.\n"
        "From 2027, imports of graphite will be subject to a 30% duty.\n"
        "Canada bought no cobalt from China this spring. A year earlier it imported 80 t."
    )
    found = subjects_of_quantities(extraction)
    assert found["30%"] == "Canada"  # China is named more often, but only as a place
    assert found["80 t"] == "Canada"


def test_a_country_word_before_officials_names_people_not_an_owner(extract_text) -> None:  # type: ignore[no-untyped-def]
    extraction = extract_text(
        "Peru has handed Japanese officials a list of state-owned mining assets, including "
        "copper, zinc and silver deposits."
    )
    names = {e.id: e.name for e in extraction.entities}
    owners = {names[r.head] for r in extraction.relations if r.type == "has_reserves_of"}
    assert owners == {"Peru"}


def test_international_bodies_and_banks_trade_no_minerals(extract_text) -> None:  # type: ignore[no-untyped-def]
    extraction = extract_text(
        "The World Trade Organization ruled against the nickel ore export ban, and the IMF "
        "praised copper exports from Zambia."
    )
    names = {e.id: e.name for e in extraction.entities}
    traders = {names[r.head] for r in extraction.relations if r.type in {"exports", "produces"}}
    assert not traders & {"World Trade Organization", "International Monetary Fund"}


def test_a_passive_without_its_agent_names_no_seller(extract_text) -> None:  # type: ignore[no-untyped-def]
    extraction = extract_text(
        "Nordvik Mining and Toyota signed an offtake deal covering half of the output that can "
        "be sold under long term contracts, mostly cobalt."
    )
    names = {e.id: e.name for e in extraction.entities}
    assert not [names[r.head] for r in extraction.relations if r.type == "exports"]


def test_a_country_does_not_cooperate_with_its_own_ministry() -> None:
    from kg.extract._inferences import with_itself
    from kg.records import Mention, MentionRelation
    from kg.vocab import load_vocabulary

    ids = "https://w3id.org/cmkg/id/"
    mentions = [
        Mention("the US government", 0, 17, "Country", ids + "country/USA"),
        Mention("the Pentagon", 20, 32, "Organization", ids + "org/us-department-of-defense"),
        Mention("Mota-Engil", 40, 50, "Organization"),
        Mention("Japan", 55, 60, "Country", ids + "country/JPN"),
    ]
    vocabulary = load_vocabulary()

    def pair(a: int, b: int) -> bool:
        return with_itself(
            MentionRelation(a, "cooperates_with", b, 0.6, 0, 60), mentions, vocabulary
        )

    assert pair(0, 1) and pair(1, 0)  # the US and its own Department of Defense
    assert not pair(3, 1)  # Japan and the Pentagon
    assert not pair(0, 2)  # a country and a company


def test_a_number_about_exports_from_a_country_is_the_country_s(extract_text) -> None:  # type: ignore[no-untyped-def]
    extraction = extract_text("Exports of cobalt from Congo rose 12% to 98,000 tonnes last year.")
    found = subjects_of_quantities(extraction)
    assert found == {
        "12%": "Democratic Republic of the Congo",
        "98,000 tonnes": "Democratic Republic of the Congo",
    }
