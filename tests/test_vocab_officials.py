"""The officials table: its rows against the vocabularies, the lookups, and its RDF."""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kg.errors import InputError, UsageError
from kg.officials import COLUMNS, Officials, day, fold, load_officials, parse_officials
from kg.rdf import ontology_quads
from kg.rdf.officials import officials_triples
from kg.resources import ontology_file
from kg.store.validate import validate_graph, vocabulary_graph
from kg.vocab import load_vocabulary

CM = "https://w3id.org/cmkg/ontology#"
HEADER = ",".join(COLUMNS) + "\n"


@pytest.fixture(scope="module")
def officials() -> Officials:
    return load_officials()


def _un_members() -> set[str]:
    members = set()
    for t in ox.parse(ontology_file("vocab", "countries.ttl").read_bytes(), ox.RdfFormat.TURTLE):
        if t.predicate.value == CM + "unMember" and t.object.value == "true":
            members.add(t.subject.value.rsplit("/", 1)[-1])
    return members


# --- the table ---------------------------------------------------------------------------------


def test_every_role_and_place_is_a_vocabulary_concept(officials: Officials) -> None:
    vocab = load_vocabulary()
    for h in officials:
        for role in h.roles:
            assert vocab.get(f"https://w3id.org/cmkg/id/role/{role}"), (h.line, role)
        base = "country" if h.of.isupper() else "org"
        assert vocab.get(f"https://w3id.org/cmkg/id/{base}/{h.of}"), (h.line, h.of)


def test_dates_are_ordered_and_confirmations_fall_in_the_term(officials: Officials) -> None:
    for h in officials:
        if h.end:
            assert day(h.start) <= day(h.end), h.line
        if h.checked:
            assert day(h.start) <= day(h.checked), h.line
            assert h.end is None or day(h.checked) <= day(h.end), h.line
            assert day(h.checked) <= day("2026-12-31"), h.line


def test_no_two_holders_of_a_post_overlap_unless_marked(officials: Officials) -> None:
    by_post = defaultdict(list)
    for h in officials:
        by_post[h.post].append(h)
    clashes = []
    for post, rows in by_post.items():
        rows.sort(key=lambda h: day(h.start))
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                overlap = a.end is None or day(b.start) < day(a.end)
                if overlap and not (a.status or b.status):
                    clashes.append((post, a.name, b.name))
    assert not clashes


def test_every_un_member_has_heads_of_state_and_government_on_2025_06_01(
    officials: Officials,
) -> None:
    members = _un_members()
    assert len(members) == 193
    missing = [
        (iso, function)
        for iso in sorted(members)
        for function in ("head-of-state", "head-of-government")
        if not officials.holders(function, iso, "2025-06-01")
    ]
    assert not missing


def test_ministers_of_the_critical_minerals_countries() -> None:
    ministries = ("foreign-minister", "finance-minister", "trade-minister", "defence-minister")
    countries = {
        h.of for h in load_officials() if h.of.isupper() and set(h.roles) & set(ministries)
    }
    assert len(countries) >= 40
    assert {"USA", "CHN", "AUS", "CHL", "COD", "IDN", "IND", "PAK", "ZAF", "DEU"} <= countries


def test_wikidata_ids_are_well_formed_and_name_one_person(officials: Officials) -> None:
    names = defaultdict(set)
    for h in officials:
        if h.wikidata:
            assert re.fullmatch(r"Q[1-9]\d*", h.wikidata)
            names[h.wikidata].add(fold(h.name))
    assert {q: n for q, n in names.items() if len(n) > 1} == {}
    people = defaultdict(set)
    for h in officials:
        people[fold(h.name)].add(h.wikidata)
    assert "Q22686" in people["donald trump"]


def test_every_row_has_a_source_and_known_status(officials: Officials) -> None:
    for h in officials:
        assert h.source.startswith(("https://", "http://")), h.line
        assert h.status in ("", "acting", "joint"), h.line


def test_the_table_is_package_data() -> None:
    pyproject = tomllib.loads(Path(__file__).parents[1].joinpath("pyproject.toml").read_text())
    assert "vocab/*.csv" in pyproject["tool"]["setuptools"]["package-data"]["kg.ontology"]
    assert ontology_file("vocab", "officials.csv").is_file()


def test_bad_rows_name_the_line_and_value() -> None:
    good = "Ann Example,,finance-minister,PAK,Minister,2024-03-11,,,,https://example.org,,\n"
    assert len(parse_officials(HEADER + good)) == 1
    cases = {
        good.replace("finance-minister", "grand-vizier"): "line 2: unknown role 'grand-vizier'",
        good.replace("2024-03-11,", "2024-03-11,2023-01-01"): "end 2023-01-01 is before start",
        good.replace("2024-03-11", "11/03/2024"): "start '11/03/2024' is not an ISO day",
        good.replace(",,,https", ",,P31,https"): "wikidata 'P31' is not a Wikidata id",
        good.replace("https://example.org", "example.org"): "source 'example.org' is not a URL",
        good.replace(",,,,https", ",,acting-ish,,https"): "status 'acting-ish'",
    }
    for row, message in cases.items():
        with pytest.raises(InputError, match=re.escape(message)):
            parse_officials(HEADER + row)
    with pytest.raises(InputError, match="the columns must be"):
        parse_officials("name,role\nAnn,finance-minister\n")


# --- lookups -----------------------------------------------------------------------------------


def test_the_date_picks_the_holder(officials: Officials) -> None:
    def president(on: str) -> str | None:
        found = officials.holder("president", "USA", on)
        return found.name if found else None

    assert president("2021-01-19") == "Donald Trump"
    assert president("2021-01-20") == "Joe Biden"  # the successor holds the post from day one
    assert president("2025-01-20") == "Donald Trump"
    assert officials.holder("prime-minister", "GBR", "2022-10-01").name == "Liz Truss"
    assert officials.holder("head-of-government", "DEU", "2025-05-06").name == "Friedrich Merz"
    assert officials.holder("finance-minister", "PAK", "2025-10-31").name == "Muhammad Aurangzeb"
    assert officials.holder("president", "USA", "2016-06-01") is None  # before the table


def test_functions_and_us_titles_find_the_same_people(officials: Officials) -> None:
    rubio = officials.holder("secretary-of-state", "USA", "2025-06-01")
    assert rubio is not None and rubio.name == "Marco Rubio"
    assert officials.holder("foreign-minister", "USA", "2025-06-01") == rubio
    assert officials.holder("head-of-state", "CHN", "2024-01-01").name == "Xi Jinping"
    assert officials.holder("head-of-government", "CHN", "2024-01-01").name == "Li Qiang"


def test_acting_and_joint_holders(officials: Officials) -> None:
    korea = officials.holders("president", "KOR", "2025-01-15")
    assert {h.name for h in korea} == {"Yoon Suk Yeol", "Choi Sang-mok"}
    assert officials.holder("president", "KOR", "2025-01-15").name == "Yoon Suk Yeol"
    bosnia = officials.holders("head-of-state", "BIH", "2024-01-01")
    assert len(bosnia) >= 2 and all(h.status == "joint" for h in bosnia)
    assert officials.holder("head-of-state", "BIH", "2024-01-01") is None


def test_confirmed_lookups_stop_at_the_last_confirmation(officials: Officials) -> None:
    open_rows = [h for h in officials if h.end is None and h.checked]
    sample = open_rows[0]
    after = day(sample.checked).replace(year=day(sample.checked).year + 1)
    assert sample.covers(after)
    assert not sample.covers(after, confirmed=True)
    assert officials.holders(sample.role, sample.of, after, confirmed=True) == tuple(
        h
        for h in officials.holders(sample.role, sample.of, after)
        if h is not sample and h.covers(after, confirmed=True)
    )


def test_people_by_name_alias_and_surname_with_a_title(officials: Officials) -> None:
    assert [p.name for p in officials.find("MBS")] == ["Mohammed bin Salman"]
    assert [p.name for p in officials.find("Xi")] == ["Xi Jinping"]
    assert [p.name for p in officials.find("nicusor dan")] == ["Nicușor Dan"]
    posts = officials.posts("Aurangzeb", "2025-10-31", role="finance-minister", of="PAK")
    assert [(h.name, h.title) for h in posts] == [
        ("Muhammad Aurangzeb", "Minister of Finance and Revenue")
    ]
    rubio = officials.posts("Rubio", "2026-01-10")
    assert {h.role for h in rubio} == {"secretary-of-state"}
    # one person, several posts over time: Shehbaz Sharif's two terms
    terms = officials.posts("Shehbaz Sharif", role="prime-minister")
    assert [h.start for h in terms] == ["2022-04-11", "2024-03-04"]
    assert officials.posts("Nobody Inparticular") == ()


def test_unknown_roles_and_places_are_usage_errors(officials: Officials) -> None:
    with pytest.raises(UsageError, match="unknown role 'grand-vizier'"):
        officials.holders("grand-vizier", "PAK", "2025-01-01")
    with pytest.raises(UsageError, match="ISO 3166 alpha-3"):
        officials.holders("president", "Pakistan", "2025-01-01")
    iri = "https://w3id.org/cmkg/id/country/PAK"
    assert officials.holders("https://w3id.org/cmkg/id/role/president", iri, "2025-01-01")


def test_surface_forms_cover_names_aliases_and_plain_spellings(officials: Officials) -> None:
    forms = {(f.text, f.how) for f in officials.surface_forms()}
    assert {("Xi Jinping", "name"), ("Modi", "alias"), ("Nicusor Dan", "name")} <= forms
    by_text = defaultdict(set)
    for f in officials.surface_forms():
        by_text[f.text].add(f.person)
    assert by_text["Elizabeth II"] == {"https://w3id.org/cmkg/id/person/elizabeth-ii"}


# --- RDF ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def triples() -> list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]]:
    return list(officials_triples())


def _n(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def test_rdf_people_posts_and_terms(triples: list) -> None:  # type: ignore[type-arg]
    person = _n("https://w3id.org/cmkg/id/person/muhammad-aurangzeb")
    post = _n("https://w3id.org/cmkg/id/post/PAK/finance-minister")
    term = _n("https://w3id.org/cmkg/id/holding/PAK/finance-minister/muhammad-aurangzeb/2024-03-11")
    org = "http://www.w3.org/ns/org#"
    time = "http://www.w3.org/2006/time#"
    facts = set(triples)
    assert (person, _n(org + "holds"), post) in facts
    assert (post, _n(org + "postIn"), _n("https://w3id.org/cmkg/id/country/PAK")) in facts
    assert (post, _n(org + "role"), _n("https://w3id.org/cmkg/id/role/finance-minister")) in facts
    assert (term, _n(org + "member"), person) in facts
    during = _n(term.value + "#during")
    assert (term, _n(org + "memberDuring"), during) in facts
    start = _n(term.value + "#start")
    assert (during, _n(time + "hasBeginning"), start) in facts
    date = ox.Literal("2024-03-11", datatype=_n("http://www.w3.org/2001/XMLSchema#date"))
    assert (start, _n(time + "inXSDDate"), date) in facts
    assert not any(s == during and p.value == time + "hasEnd" for s, p, _ in triples)
    trump = _n("https://w3id.org/cmkg/id/person/donald-trump")
    same = _n("http://www.w3.org/2002/07/owl#sameAs")
    assert (trump, same, _n("http://www.wikidata.org/entity/Q22686")) in facts


def test_rdf_is_deterministic_and_in_the_ontology_graph(triples: list) -> None:  # type: ignore[type-arg]
    assert list(officials_triples()) == triples
    quads = ontology_quads()
    assert {(q.subject, q.predicate, q.object) for q in quads} >= set(triples[:50])


def test_rdf_conforms_to_the_shapes(triples: list) -> None:  # type: ignore[type-arg]
    data = vocabulary_graph()
    nt = ox.serialize([ox.Triple(*t) for t in triples], format=ox.RdfFormat.N_TRIPLES) or b""
    data.parse(data=nt.decode("utf-8"), format="nt")
    report = validate_graph(data)
    assert report.conforms, report.lines(10)


def test_shapes_reject_a_broken_term() -> None:
    turtle = """
    @prefix org: <http://www.w3.org/ns/org#> . @prefix time: <http://www.w3.org/2006/time#> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    <urn:p> a foaf:Person ; rdfs:label "P"@en .
    <urn:m> a org:Membership ; org:member <urn:p> ; org:organization <urn:o> ;
        org:memberDuring <urn:d> .
    <urn:d> a time:Interval ; time:hasBeginning <urn:s> .
    <urn:s> a time:Instant ; time:inXSDDate "2024-01-01"^^xsd:date ;
        time:inXSDgYearMonth "2024-01"^^xsd:gYearMonth .
    <urn:post> a org:Post ; rdfs:label "Post"@en .
    """
    report = validate_graph(Graph().parse(data=turtle, format="turtle"))
    messages = " ".join(v.message for v in report.violations)
    assert not report.conforms
    assert "exactly one xsd:date" in messages and "org:postIn" in messages


def test_csv_round_trips_through_the_standard_reader() -> None:
    text = ontology_file("vocab", "officials.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(load_officials())
    assert tuple(rows[0]) == COLUMNS
