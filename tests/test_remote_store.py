"""The remote store against a real `oxigraph serve` started on 127.0.0.1 by the test."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.errors import ForbiddenQueryError, QueryError, StoreError
from kg.extract import Extractor
from kg.rdf import article_graph, extraction_quads
from kg.records import Article, Entity, Extraction, Relation
from kg.store import RemoteStore, default_quads, open_store

CHL = "https://w3id.org/cmkg/id/country/CHL"
CU = "https://w3id.org/cmkg/id/mineral/copper"
HOSTILE = 'Evil " } ; DROP ALL ; INSERT DATA { <a> <b> <c> }'
DATA = Path(__file__).parent / "data"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.skip("the oxigraph server (PyPI package oxigraph, in the test extras) is missing")
    return found


@pytest.fixture()
def endpoint(tmp_path: Path) -> Iterator[str]:
    """An `oxigraph serve` on a free loopback port, stopped (and reaped) afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [
            oxigraph_binary(),
            "serve",
            "--location",
            str(tmp_path / "ox"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("oxigraph serve did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def sample() -> Extraction:
    text = "Chile exports copper."
    article = Article(id="r1", text=text, title=HOSTILE, url="https://example.org/r1")
    entities = (
        Entity(CHL, "Chile", "Country", ("Chile",), "Q298"),
        Entity(CU, HOSTILE, "Mineral", ("copper",)),
    )
    relations = (Relation(CHL, "exports", CU, 0.6, text, 0, len(text)),)
    return Extraction(article, entities, relations, model="test-model")


def test_remote_store_does_what_the_embedded_one_does(endpoint: str, tmp_path: Path) -> None:
    store = open_store(endpoint)
    assert isinstance(store, RemoteStore)
    graph = article_graph(sample().article).value
    quads = extraction_quads(sample(), "kg test")
    store.replace_graph(graph, quads)
    store.replace_graph(graph, quads)  # replacing is idempotent
    facts = default_quads(ox.NamedNode(graph), quads)
    assert len(store) == len(quads) + len(facts)
    assert store.graph_value(graph, "https://w3id.org/cmkg/ontology#contentHash")
    labels = store.select(
        "SELECT ?l WHERE { ?m <http://www.w3.org/2000/01/rdf-schema#label> ?l }", {"m": CU}
    )
    assert labels == [{"l": HOSTILE}]
    statement = "?s a <https://w3id.org/cmkg/ontology#RelationStatement>"
    assert bool(store.query(f"ASK {{ GRAPH ?g {{ {statement} }} }}"))
    assert not bool(store.query(f"ASK {{ {statement} }}"))  # the default graph holds facts
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isinstance(triples, ox.QueryTriples)
    assert {str(t) for t in triples} == {str(q.triple) for q in facts}
    store.dump(tmp_path / "dump.trig", ox.RdfFormat.TRIG)
    parsed = list(ox.parse(path=str(tmp_path / "dump.trig"), format=ox.RdfFormat.TRIG))
    assert len(parsed) == len(quads) + len(facts)
    assert {str(q.triple) for q in parsed if q.graph_name == ox.DefaultGraph()} == {
        str(q.triple) for q in facts
    }
    store.replace_graph(graph, [])
    assert len(store) == 0


def test_remote_store_read_through_the_query_endpoint_url(endpoint: str) -> None:
    graph = article_graph(sample().article).value
    RemoteStore(endpoint).replace_graph(graph, extraction_quads(sample(), "kg test"))
    reader = open_store(endpoint + "/query")  # the query endpoint itself, as clients name it
    assert isinstance(reader, RemoteStore) and reader.query_url == endpoint + "/query"
    rows = reader.select("SELECT ?c WHERE { ?c <https://w3id.org/cmkg/ontology#exports> ?m }")
    assert rows == [{"c": CHL}]


def test_remote_store_refuses_and_reports(endpoint: str) -> None:
    store = RemoteStore(endpoint)
    with pytest.raises(ForbiddenQueryError):
        store.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="SPARQL syntax error"):  # refused before sending
        store.query("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryError, match="answered 400"):  # parses, but the server refuses it
        store.query("SELECT (1 AS ?x) (2 AS ?x) WHERE {}")
    with pytest.raises(StoreError, match="cannot reach"):
        RemoteStore(f"http://127.0.0.1:{free_port()}", timeout=2).select("SELECT * {}")


def test_cli_build_query_and_validate_against_a_server(
    endpoint: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    rules_extractor: Extractor,
) -> None:
    import kg.cli._build

    # Rules only (spacy.blank), to keep the test fast; the store is what is being tested.
    monkeypatch.setattr(kg.cli._build, "_extractor", lambda model, parse=True: rules_extractor)
    assert main(["build", str(DATA / "small.jsonl"), "--store", endpoint]) == 0
    assert "added" in capsys.readouterr().err
    assert main(["build", str(DATA / "small.jsonl"), "--store", endpoint]) == 0
    assert "0 added" in capsys.readouterr().err
    query = ["query", "--store", endpoint, "--name", "export_restrictions", "--format", "csv"]
    assert main(query) == 0
    assert "gallium" in capsys.readouterr().out
    assert main(["validate", "--store", endpoint]) == 0
