"""Roles without guessing: a title's country or organisation comes from the text or from an
officials vocabulary, never from what the article is mostly about."""

from __future__ import annotations

import datetime as dt

from kg.extract._roles import role_relations
from kg.records import Analysis, Article, Mention, Post
from kg.resolve import resolve

USA = "https://w3id.org/cmkg/id/country/USA"
CHL = "https://w3id.org/cmkg/id/country/CHL"
JPN = "https://w3id.org/cmkg/id/country/JPN"
UKR = "https://w3id.org/cmkg/id/country/UKR"


def mentions_of(text: str, spans: list[tuple[str, str, str | None]]) -> list[Mention]:
    found, cursor = [], 0
    for surface, label, concept in spans:
        start = text.index(surface, cursor)
        found.append(Mention(surface, start, start + len(surface), label, concept))
        cursor = start + len(surface)
    return found


def roles(text: str, spans: list[tuple[str, str, str | None]]) -> set[tuple[str, str, str]]:
    ms = mentions_of(text, spans)
    return {(ms[r.head].text, r.type, ms[r.tail].text) for r in role_relations(text, ms)}


def test_a_title_with_no_holder_in_the_text_gets_no_country() -> None:
    text = "Chile and Chile's copper buyers cheered as President Rosa Vidal spoke in Santiago."
    spans = [
        ("Chile", "Country", CHL),
        ("Chile", "Country", CHL),
        ("President", "Role", None),
        ("Rosa Vidal", "Person", None),
        ("Santiago", "Country", CHL),
    ]
    assert roles(text, spans) == {("Rosa Vidal", "has_title", "President")}


def test_holders_from_possessives_nationality_words_and_appositions() -> None:
    text = (
        "Japanese Trade Minister Kenji Sato met Ivan Petrenko, Ukraine's First Deputy Prime "
        "Minister, and Chile's mines minister Ana Soto."
    )
    spans = [
        ("Japanese", "Country", JPN),
        ("Trade Minister", "Role", None),
        ("Kenji Sato", "Person", None),
        ("Ivan Petrenko", "Person", None),
        ("Ukraine", "Country", UKR),
        ("Deputy Prime Minister", "Role", None),
        ("Chile", "Country", CHL),
        ("mines minister", "Role", None),
        ("Ana Soto", "Person", None),
    ]
    assert roles(text, spans) == {
        ("Kenji Sato", "holds_role_in", "Japanese"),
        ("Ivan Petrenko", "holds_role_in", "Ukraine"),
        ("Ana Soto", "holds_role_in", "Chile"),
    }


def test_the_title_of_a_holder_then_a_comma_and_the_name() -> None:
    text = (
        "The report went to the president of Chile, Rosa Vidal, and to the EU Ambassador to "
        "Japan Ivan Petrenko, not to a minister of Ukraine, who declined."
    )
    spans = [
        ("president", "Role", None),
        ("Chile", "Country", CHL),
        ("Rosa Vidal", "Person", None),
        ("EU", "Organization", None),
        ("Ambassador", "Role", None),
        ("Japan", "Country", JPN),
        ("Ivan Petrenko", "Person", None),
        ("minister", "Role", None),
        ("Ukraine", "Country", UKR),
    ]
    assert roles(text, spans) == {
        ("Rosa Vidal", "holds_role_in", "Chile"),
        ("Ivan Petrenko", "holds_role_in", "EU"),
    }


def test_a_title_belongs_to_the_name_it_precedes() -> None:
    text = "Leo Marsh, President Tom Hale's adviser, toured the Prime Minister's House."
    spans = [
        ("Leo Marsh", "Person", None),
        ("President", "Role", None),
        ("Tom Hale", "Person", None),
        ("Prime Minister", "Role", None),
        ("House", "Person", None),
    ]
    assert roles(text, spans) == {("Tom Hale", "has_title", "President")}


def _titled_analysis(published: dt.date | None) -> Analysis:
    text = "President Tom Hale and Chile's Finance Minister Ana Soto met in Santiago."
    spans = [
        ("President", "Role", None),
        ("Tom Hale", "Person", None),
        ("Chile", "Country", CHL),
        ("Finance Minister", "Role", None),
        ("Ana Soto", "Person", None),
    ]
    ms = mentions_of(text, spans)
    return Analysis(
        article=Article("roles", text, published=published),
        mentions=tuple(ms),
        relations=tuple(role_relations(text, ms)),
    )


def test_untied_titles_are_job_titles_not_posts() -> None:
    extraction = next(resolve([_titled_analysis(None)]))
    by_name = {e.name: e for e in extraction.entities}
    assert by_name["Tom Hale"].role == "President"
    names = {e.id: e.name for e in extraction.entities}
    assert {(names[r.head], r.type, names[r.tail]) for r in extraction.relations} == {
        ("Ana Soto", "holds_role_in", "Chile")
    }


def test_an_officials_vocabulary_settles_the_post_by_date() -> None:
    asked: list[tuple[str, str, dt.date | None]] = []

    def posts(title: str, name: str, date: dt.date | None) -> Post | None:
        asked.append((title, name, date))
        if title == "President" and name.endswith("Hale") and date and date.year == 2025:
            return Post("Thomas Hale", USA, "President of the United States", "Q4242")
        if title == "Finance Minister" and name == "Ana Soto":  # a table that disagrees
            return Post("Ana Soto Ruiz", USA, "Secretary of the Treasury", "Q999")
        return None

    extraction = next(resolve([_titled_analysis(dt.date(2025, 3, 1))], posts=posts))
    by_name = {e.name: e for e in extraction.entities}
    hale = by_name["Thomas Hale"]
    assert hale.wikidata == "Q4242" and hale.role == "President"
    assert USA in {e.id for e in extraction.entities}
    held = {(r.head, r.tail, r.role) for r in extraction.relations if r.type == "holds_role_in"}
    assert (hale.id, USA, "President") in held
    # The text settles Ana Soto's post: the vocabulary may only confirm it, and a table that
    # gives her another country's post changes nothing.
    assert ("President", "Tom Hale") in [a[:2] for a in asked]
    soto = by_name["Ana Soto"]
    assert soto.wikidata is None
    assert {r.tail for r in extraction.relations if r.head == soto.id} == {CHL}
    # Another year, another holder: no post.
    later = next(resolve([_titled_analysis(dt.date(2031, 1, 1))], posts=posts))
    assert not any(r.tail == USA for r in later.relations)


def test_a_name_of_an_organisation_works_there() -> None:
    text = "The study was led by Rosa Vidal of Norvik Mining and Ivan Petrenko of Ukraine."
    spans = [
        ("Rosa Vidal", "Person", None),
        ("Norvik Mining", "Organization", None),
        ("Ivan Petrenko", "Person", None),
        ("Ukraine", "Country", UKR),
    ]
    # an organisation after "of" employs the person; a country is only where they come from
    assert roles(text, spans) == {("Rosa Vidal", "holds_role_in", "Norvik Mining")}


def test_a_company_title_belongs_to_the_company_named_before() -> None:
    text = (
        "Output at the Kallio mine that Norvik Mining bought in 2019 doubled, company "
        "spokesman Lars Berg said. Minister Ana Soto, a company critic, disagreed."
    )
    spans = [
        ("Norvik Mining", "Organization", None),
        ("spokesman", "Role", None),
        ("Lars Berg", "Person", None),
        ("Minister", "Role", None),
        ("Ana Soto", "Person", None),
    ]
    # "company spokesman": the company the text last named; a plain title gets no holder
    assert roles(text, spans) == {
        ("Lars Berg", "holds_role_in", "Norvik Mining"),
        ("Ana Soto", "has_title", "Minister"),
    }


def test_the_rest_of_a_portfolio_between_title_and_name() -> None:
    text = "Zambia's Minister of Mines and Minerals Development Paul Banda spoke."
    spans = [
        ("Zambia", "Country", None),
        ("Minister of Mines and Minerals", "Role", None),
        ("Paul Banda", "Person", None),
    ]
    assert roles(text, spans) == {("Paul Banda", "holds_role_in", "Zambia")}
    # a lower-case gap is no portfolio: the title is not his
    text = "Zambia's Minister said on Monday Paul Banda spoke."
    spans = [
        ("Zambia", "Country", None),
        ("Minister", "Role", None),
        ("Paul Banda", "Person", None),
    ]
    assert roles(text, spans) == set()
