"""The default graph: each fact once, kept exact as articles are added, replaced and removed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.extract import Extractor
from kg.pipeline import build, ensure_ontology
from kg.rdf import article_graph, extraction_quads
from kg.records import Article, Entity, Extraction, Relation
from kg.store import GraphStore, load_query, named_queries
from kg.store.oxigraph import bind_values, rows_of

ID = "https://w3id.org/cmkg/id/"
CHL, PER, CU, ZN = (
    ID + "country/CHL",
    ID + "country/PER",
    ID + "mineral/copper",
    ID + "mineral/zinc",
)
CM = "https://w3id.org/cmkg/ontology#"
PREFIXES = """PREFIX cm: <https://w3id.org/cmkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def default_graph(store: GraphStore) -> set[str]:
    return {str(q) for q in store.raw.quads_for_pattern(None, None, None, ox.DefaultGraph())}


def count(store: GraphStore, query: str) -> int:
    return int(store.select(PREFIXES + query)[0]["n"])


def article(ident: str, text: str, *relations: tuple[str, str, str]) -> Extraction:
    names = {CHL: "Chile", PER: "Peru", CU: "copper", ZN: "zinc"}
    kinds = {CHL: "Country", PER: "Country", CU: "Mineral", ZN: "Mineral"}
    used = sorted({iri for h, _, t in relations for iri in (h, t)})
    return Extraction(
        Article(ident, text, f"About {ident}", f"https://example.org/{ident}", dt.date(2025, 3, 1)),
        tuple(Entity(iri, names[iri], kinds[iri], (names[iri],)) for iri in used),
        tuple(Relation(h, kind, t, 0.7, text, 0, len(text)) for h, kind, t in relations),
        model="test-model",
    )


def store_articles(store: GraphStore, *extractions: Extraction) -> None:
    for extraction in extractions:
        graph = article_graph(extraction.article).value
        store.replace_graph(graph, extraction_quads(extraction, "kg test"))


FIRST = article("a", "Chile exports copper.", (CHL, "exports", CU))
SECOND = article("b", "Chile exports copper and Peru mines zinc.", (CHL, "exports", CU),
                 (PER, "produces", ZN))  # fmt: skip
SECOND_CHANGED = article("b", "Peru mines zinc.", (PER, "produces", ZN))
THIRD = article("c", "Peru exports copper.", (PER, "exports", CU))


#: What an analyst counts: countries, labels, relation triples; each as a pattern and the
#: variables that make one answer.
COUNTED = [
    ("?c a schema:Country", "?c"),
    ("?e rdfs:label ?l", "?e ?l"),
    (f'?h ?p ?t FILTER (STRSTARTS(STR(?h), "{ID}") && STRSTARTS(STR(?t), "{ID}"))', "?h ?p ?t"),
]
#: The facts of every named graph, in SPARQL: the rule of kg.store._facts.
FACTS = f"""GRAPH ?g {{ ?s ?p ?o }}
FILTER (NOT EXISTS {{ GRAPH ?g {{ ?g a prov:Bundle }} }}
        || (STRSTARTS(STR(?s), "{ID}") && ?p != cm:quantity))"""


@pytest.mark.parametrize(("pattern", "variables"), COUNTED)
def test_default_graph_counts_equal_distinct_counts_on_the_demo_store(
    sample_store: GraphStore, pattern: str, variables: str
) -> None:
    plain = count(sample_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    distinct = count(
        sample_store,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT {variables} "
        f"WHERE {{ GRAPH ?g {{ {pattern} }} }} }}",
    )
    summed = count(sample_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ {pattern} }} }}")
    assert plain == distinct and summed > distinct > 10


def test_the_default_graph_is_the_facts_of_the_named_graphs_once(
    sample_store: GraphStore,
) -> None:
    facts = count(
        sample_store,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {FACTS} }} }}",
    )
    assert count(sample_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == facts
    # Statements and evidence are not facts: they stay in the articles' graphs.
    statement = "?s a cm:RelationStatement"
    assert not sample_store.select(f"{PREFIXES}SELECT ?s WHERE {{ {statement} }}")
    assert sample_store.select(f"{PREFIXES}SELECT ?s WHERE {{ GRAPH ?g {{ {statement} }} }}")


def test_the_incremental_default_graph_equals_a_rebuild(sample_store: GraphStore) -> None:
    # The build writes the facts in Python (kg.store._facts.default_quads); REBUILD chooses them
    # in SPARQL. Both must give the same default graph.
    copy = GraphStore(None)
    copy.raw.extend(list(sample_store.raw))
    built = default_graph(copy)
    assert len(built) > 1000
    copy.rebuild_default_graph()
    assert default_graph(copy) == built


def test_named_queries_keep_the_results_they_had_over_the_union_of_the_graphs(
    sample_store: GraphStore,
) -> None:
    # Before the default graph of facts, queries ran over the union of the named graphs (a bag);
    # the named queries say GRAPH where it matters, so they give the same rows as then.
    before = ox.Store()
    before.extend([q for q in sample_store.raw if q.graph_name != ox.DefaultGraph()])
    bindings = {"entity_facts": {"entity": CHL}, "evidence": {"headLabel": "China"}}
    for name, text in sorted(named_queries().items()):
        bound = bind_values(text, bindings.get(name))
        union = rows_of(before.query(bound, use_default_graph_as_union=True))
        rows = sample_store.select(text, bindings.get(name))
        assert rows, name
        assert canonical(rows) == canonical(union), name


def canonical(rows: list[dict[str, object]]) -> list[str]:
    """Rows in a fixed order, with GROUP_CONCAT lists sorted (SPARQL leaves both open)."""

    def one(value: object) -> object:
        return "; ".join(sorted(value.split("; "))) if isinstance(value, str) else value

    return sorted(repr({key: one(value) for key, value in row.items()}) for row in rows)


def test_replaced_and_removed_articles_leave_exactly_the_facts_still_stated(
    tmp_path: Path,
) -> None:
    store = GraphStore(tmp_path / "s")
    ensure_ontology(store)
    store_articles(store, FIRST, SECOND, THIRD)
    exports = f"<{CHL}> <{CM}exports> <{CU}>"
    assert exports in default_graph(store)
    # "Chile exports copper" is stated by a and b: replacing b without it keeps it (a states it).
    store_articles(store, SECOND_CHANGED)
    assert exports in default_graph(store)
    # Removing a too: no graph states it any more, so it leaves the default graph.
    store.replace_graph(article_graph(FIRST.article).value, [])
    assert exports not in default_graph(store)
    assert f"<{PER}> <{CM}produces> <{ZN}>" in default_graph(store)
    # The same as a store that only ever saw the articles left.
    clean = GraphStore(None)
    ensure_ontology(clean)
    store_articles(clean, SECOND_CHANGED, THIRD)
    assert default_graph(store) == default_graph(clean)
    assert sorted(str(q) for q in store.raw) == sorted(str(q) for q in clean.raw)


def test_a_changed_build_keeps_the_default_graph_exact(
    tmp_path: Path, rules_extractor: Extractor, write: Callable[[str, str], Path]
) -> None:
    first = write("v1.jsonl", '{"id": "x", "text": "Chile exports copper."}\n'
                              '{"id": "y", "text": "Peru exports zinc."}\n')  # fmt: skip
    second = write("v2.jsonl", '{"id": "x", "text": "Chile exports lithium."}\n')
    store = GraphStore(tmp_path / "s")
    build([first], store, extractor=rules_extractor)
    build([second], store, extractor=rules_extractor)  # x replaced, y kept
    clean = GraphStore(tmp_path / "clean")
    build([first], clean, extractor=rules_extractor)
    clean.replace_graph(article_graph(Article("x", "")).value, [])
    build([second], clean, extractor=rules_extractor)
    assert default_graph(store) == default_graph(clean)
    copper = f"<{CHL}> <{CM}exports> <{CU}>"
    assert copper not in default_graph(store)


def test_a_store_without_a_default_graph_is_warned_of_then_rebuilt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A store written by an older kg: article graphs, nothing in the default graph.
    old = GraphStore(tmp_path / "old")
    old.raw.extend(extraction_quads(FIRST, "kg old"))
    del old
    assert main(["query", "--store", str(tmp_path / "old"), "--name", "export_restrictions"]) == 0
    assert "no default graph of facts" in capsys.readouterr().err
    store = GraphStore(tmp_path / "old")
    ensure_ontology(store)  # what kg build does first
    assert f"<{CHL}> <{CM}exports> <{CU}>" in default_graph(store)
    clean = GraphStore(None)
    ensure_ontology(clean)
    store_articles(clean, FIRST)
    assert len(default_graph(store)) == len(default_graph(clean))
    countries = "SELECT (COUNT(*) AS ?n) WHERE { ?c a schema:Country }"
    assert count(store, countries) == count(clean, countries)


def test_internal_queries_read_the_default_graph_they_describe(sample_store: GraphStore) -> None:
    rows = sample_store.select(load_query("_count_quads"))
    assert rows == [{"quads": len(sample_store)}]
