"""Every named query of ontology/queries, run on a tiny store built from hand-made records."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.pipeline import ensure_ontology
from kg.rdf import article_graph, extraction_quads
from kg.records import Article, Entity, Event, Extraction, Relation
from kg.store import GraphStore, load_query, named_queries

ID = "https://w3id.org/cmkg/id/"
PAK, CHN, USA, IND = (ID + f"country/{c}" for c in ("PAK", "CHN", "USA", "IND"))
COPPER, GALLIUM = ID + "mineral/copper", ID + "mineral/gallium"
KHAN, DOE = ID + "person/amir-khan", ID + "person/jane-doe"
FORUM = ID + "org/test-minerals-forum"
PACT = ID + "agreement/test-defence-framework"
CM = "https://w3id.org/cmkg/ontology#"

TEXT_1 = (
    "Finance Minister Amir Khan met Jane Doe of the Test Minerals Forum in Islamabad. "
    "Pakistan exports copper to several buyers. "
    "Pakistan does not restrict exports of copper."
)
TEXT_2 = (
    "China restricts exports of gallium. "
    "The United States depends on China for gallium. "
    "The United States and India signed a defence framework, and India is still negotiating."
)

TEXT_3 = "The United States and China agreed to cooperate on trade statistics."


def _relation(
    text: str,
    sentence: str,
    head: str,
    kind: str,
    tail: str,
    status: str = "asserted",
    role: str | None = None,
) -> Relation:
    start = text.index(sentence)
    end = start + len(sentence)
    return Relation(head, kind, tail, 0.8, sentence, start, end, status=status, role=role)


def extractions() -> list[Extraction]:
    """Two articles written for this test, with every relation the named queries ask about."""
    countries = {
        PAK: ("Pakistan", "Q843"),
        CHN: ("China", "Q148"),
        USA: ("United States", "Q30"),
        IND: ("India", "Q668"),
    }
    ent = {
        iri: Entity(iri, name, "Country", (name,), qid) for iri, (name, qid) in countries.items()
    }
    ent[COPPER] = Entity(COPPER, "copper", "Mineral", ("copper",))
    ent[GALLIUM] = Entity(GALLIUM, "gallium", "Mineral", ("gallium",))
    ent[KHAN] = Entity(KHAN, "Amir Khan", "Person", ("Amir Khan",), role="Finance Minister")
    ent[DOE] = Entity(DOE, "Jane Doe", "Person", ("Jane Doe",))
    ent[FORUM] = Entity(FORUM, "Test Minerals Forum", "Organization", ("Test Minerals Forum",))
    ent[PACT] = Entity(PACT, "defence framework", "Agreement", ("defence framework",))
    s1, s2, s3 = (s if s.endswith(".") else s + "." for s in TEXT_1.split(". "))
    first = Extraction(
        Article(
            "q1", TEXT_1, "Talks in Islamabad", "https://example.org/q1", dt.date(2025, 10, 31)
        ),
        tuple(ent[k] for k in (PAK, COPPER, KHAN, DOE, FORUM)),
        (
            _relation(TEXT_1, s1, KHAN, "holds_role_in", PAK, role="Finance Minister"),
            _relation(TEXT_1, s1, KHAN, "meets_with", DOE),
            _relation(TEXT_1, s2, PAK, "exports", COPPER),
            _relation(TEXT_1, s3, PAK, "restricts_export_of", COPPER, status="negated"),
        ),
        model="test-model",
        events=(Event("meeting", (DOE, KHAN), s1, 0, len(s1), place="Islamabad"),),
    )
    t1, t2, t3 = (s if s.endswith(".") else s + "." for s in TEXT_2.split(". "))
    second = Extraction(
        Article("q2", TEXT_2, "Gallium", "https://example.org/q2", dt.date(2025, 11, 2)),
        tuple(ent[k] for k in (CHN, USA, IND, GALLIUM, PACT)),
        (
            _relation(TEXT_2, t1, CHN, "restricts_export_of", GALLIUM),
            _relation(TEXT_2, t1, CHN, "produces", GALLIUM),
            _relation(TEXT_2, t2, USA, "depends_on", CHN),
            _relation(TEXT_2, t3, USA, "party_to", PACT),
            _relation(TEXT_2, t3, IND, "party_to", PACT, status="negotiating"),
        ),
        model="test-model",
    )
    # A third article names the same entities again, so each label is in several graphs: the
    # queries must not multiply their rows by the number of articles naming an entity.
    third = Extraction(
        Article("q3", TEXT_3, "Trade talks", None, dt.date(2025, 11, 5)),
        tuple(ent[k] for k in (PAK, CHN, USA, IND, COPPER, GALLIUM, KHAN, DOE, PACT)),
        (_relation(TEXT_3, TEXT_3, USA, "cooperates_with", CHN),),
        model="test-model",
    )
    return [first, second, third]


@pytest.fixture(scope="module")
def store() -> GraphStore:
    built = GraphStore(None)
    ensure_ontology(built)
    for extraction in extractions():
        graph = article_graph(extraction.article).value
        built.replace_graph(graph, extraction_quads(extraction, "kg test"))
    return built


CHECKED = {
    "meetings",
    "agreements",
    "country_minerals",
    "dependencies",
    "officials",
    "entity_facts",
    "export_restrictions",
    "evidence",
    "events",
}


def test_every_named_query_is_tested_and_documented() -> None:
    assert set(named_queries()) == CHECKED
    for name, text in named_queries().items():
        assert text.startswith("# "), name


def test_meetings(store: GraphStore) -> None:
    rows = store.select(load_query("meetings"))
    assert rows == [
        {
            "actor": "Amir Khan",
            "met": "Jane Doe",
            "date": "2025-10-31",
            "headline": "Talks in Islamabad",
        }
    ]


def test_agreements(store: GraphStore) -> None:
    rows = store.select(load_query("agreements"))
    assert rows == [
        {
            "agreement": "defence framework",
            "party": "India",
            "status": "negotiating",
            "articles": 1,
        },
        {
            "agreement": "defence framework",
            "party": "United States",
            "status": "asserted",
            "articles": 1,
        },
    ]


def test_country_minerals_leave_out_negated_statements(store: GraphStore) -> None:
    rows = {
        (r["actor"], r["relation"], r["mineral"])
        for r in store.select(load_query("country_minerals"))
    }
    assert rows == {
        ("Pakistan", "exports", "copper"),
        ("China", "restricts export of", "gallium"),
        ("China", "produces", "gallium"),
    }


def test_dependencies(store: GraphStore) -> None:
    rows = store.select(load_query("dependencies"))
    assert rows == [
        {
            "dependent": "United States",
            "on": "China",
            "evidence": "The United States depends on China for gallium.",
            "confidence": 0.8,
        }
    ]


def test_officials(store: GraphStore) -> None:
    rows = store.select(load_query("officials"))
    assert rows == [{"person": "Amir Khan", "title": "Finance Minister", "of": "Pakistan"}]


def test_entity_facts_of_one_entity(store: GraphStore) -> None:
    rows = store.select(load_query("entity_facts"), {"entity": CHN})
    facts = {(r["subject"], r["relation"], r["object"], r["url"]) for r in rows}
    assert facts == {
        ("China", "restricts export of", "gallium", "https://example.org/q2"),
        ("China", "produces", "gallium", "https://example.org/q2"),
        ("United States", "depends on", "China", "https://example.org/q2"),
        ("United States", "cooperates with", "China", None),
    }


def test_export_restrictions(store: GraphStore) -> None:
    rows = store.select(load_query("export_restrictions"))
    assert rows == [{"country": "China", "mineral": "gallium", "articles": 1}]


def test_evidence_by_iri_and_by_label(store: GraphStore) -> None:
    sentence = "The United States depends on China for gallium."
    expected = {
        "headLabel": "United States",
        "relation": "depends on",
        "tailLabel": "China",
        "evidence": sentence,
        "start": TEXT_2.index(sentence),
        "end": TEXT_2.index(sentence) + len(sentence),
        "confidence": 0.8,
        "status": "asserted",
        "url": "https://example.org/q2",
        "title": "Gallium",
        "date": "2025-11-02",
        "software": "kg test",
        "model": "test-model",
    }
    by_iri = store.select(
        load_query("evidence"), {"head": USA, "predicate": CM + "dependsOn", "tail": CHN}
    )
    assert [{k: row[k] for k in expected} for row in by_iri] == [expected]
    by_label = store.select(
        load_query("evidence"),
        {"headLabel": "United States", "relation": "depends on", "tailLabel": "China"},
    )
    assert by_label == by_iri
    assert TEXT_2[by_iri[0]["start"] : by_iri[0]["end"]] == sentence


def test_evidence_shows_negated_statements_with_their_status(store: GraphStore) -> None:
    rows = store.select(load_query("evidence"), {"head": PAK, "tail": COPPER})
    assert {(r["relation"], r["status"]) for r in rows} == {
        ("exports", "asserted"),
        ("restricts export of", "negated"),
    }


def test_events(store: GraphStore) -> None:
    rows = store.select(load_query("events"))
    assert rows == [
        {
            "kind": "meeting",
            "actors": "Amir Khan; Jane Doe",
            "place": "Islamabad",
            "when": "2025-10-31",
            "headline": "Talks in Islamabad",
        }
    ]
