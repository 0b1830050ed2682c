"""RDF mapping and the Oxigraph store: named graphs, evidence, idempotence, safety."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import ForbiddenQueryError, StoreError, StoreLockedError
from kg.rdf import article_graph, extraction_quads
from kg.records import Article, Entity, Extraction, Relation
from kg.store import GraphStore

CHL = "https://w3id.org/cmkg/id/country/CHL"
CU = "https://w3id.org/cmkg/id/mineral/copper"
HOSTILE = 'Evil " } ; DROP ALL ; INSERT DATA { <a> <b> <c> }'


def sample() -> Extraction:
    text = "Chile exports copper."
    article = Article(id="a1", text=text, title=HOSTILE, url="https://example.org/a1")
    entities = (
        Entity(CHL, "Chile", "Country", ("Chile",), "Q298"),
        Entity(CU, HOSTILE, "Mineral", ("copper",)),
    )
    relations = (Relation(CHL, "exports", CU, 0.6, text, 0, len(text)),)
    return Extraction(article, entities, relations, model="test-model")


def test_one_named_graph_with_statement_and_evidence() -> None:
    store = GraphStore(None)
    graph = article_graph(sample().article).value
    store.replace_graph(graph, extraction_quads(sample(), "kg test"))
    rows = store.select(
        """PREFIX cm: <https://w3id.org/cmkg/ontology#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?g ?quote ?conf WHERE { GRAPH ?g { ?s rdf:predicate cm:exports ; rdf:subject ?who ;
          cm:confidence ?conf ; cm:evidence/oa:exact ?quote } }""",
        {"who": CHL},
    )
    assert rows == [{"g": graph, "quote": "Chile exports copper.", "conf": 0.6}]
    named = store.raw.quads_for_pattern(None, None, None)
    assert {q.graph_name.value for q in named if q.graph_name != ox.DefaultGraph()} == {graph}
    # The default graph holds the facts: the entities and the relation, not the statement.
    facts = store.raw.quads_for_pattern(None, None, None, ox.DefaultGraph())
    local = {(q.subject.value, q.predicate.value.rsplit("#")[-1].rsplit("/")[-1]) for q in facts}
    assert local == {
        (CHL, "type"),
        (CHL, "label"),
        (CHL, "sameAs"),
        (CHL, "exports"),
        (CU, "type"),
        (CU, "label"),
        (CU, "altLabel"),
    }


def test_replacing_is_idempotent_and_hostile_labels_are_inert() -> None:
    store = GraphStore(None)
    graph = article_graph(sample().article).value
    quads = extraction_quads(sample(), "kg test")
    store.replace_graph(graph, quads)
    first = len(store)
    store.replace_graph(graph, quads)
    assert len(store) == first
    labels = store.select(
        "SELECT ?l WHERE { ?m <http://www.w3.org/2000/01/rdf-schema#label> ?l }", {"m": CU}
    )
    assert labels == [{"l": HOSTILE}]


def test_service_load_and_updates_are_refused() -> None:
    store = GraphStore(None)
    for bad in [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "LOAD <http://x/>",
        "DROP ALL",
        "INSERT DATA { <a> <b> <c> }",
    ]:
        with pytest.raises(ForbiddenQueryError):
            store.query(bad)
    assert store.select('SELECT ?x WHERE { BIND("SERVICE and LOAD" AS ?x) }') == [
        {"x": "SERVICE and LOAD"}
    ]


def test_second_writer_gets_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = GraphStore(tmp_path / "s")
    with pytest.raises(StoreLockedError, match="in use by another"):
        GraphStore(tmp_path / "s")
    del first
    with pytest.raises(StoreError, match="no kg store"):
        GraphStore(tmp_path / "elsewhere", must_exist=True)


def test_export_formats_parse(sample_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kg.export import export

    for fmt, rdf_format in [
        ("trig", ox.RdfFormat.TRIG),
        ("nq", ox.RdfFormat.N_QUADS),
        ("ttl", ox.RdfFormat.TURTLE),
        ("jsonld", ox.RdfFormat.JSON_LD),
    ]:
        [path] = export(sample_store, fmt, tmp_path / f"dump.{fmt}")
        parsed = list(ox.parse(path=str(path), format=rdf_format))
        assert len(parsed) > 1000, fmt
