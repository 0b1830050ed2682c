"""The query cases of the W3C SPARQL 1.1 Protocol test suite, against `kg serve`.

Each case sends the request the suite describes (method, parameters, media type, body) to a store
of three small graphs written here, and checks what the suite expects: the status class, the
kind of answer (a boolean, a table, RDF) and, for ASK, its value. Requests go through
http.client, which sends exactly the headers given (urllib would add a form media type).
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest

from kg.serve import SparqlServer
from kg.store import GraphStore

DOC = "http://example.org/protocol/"
ONE, TWO, THREE, NOWHERE = (DOC + name for name in ("one", "two", "three", "none"))
BOTH_TYPED = f"ASK {{ <{ONE}> a ?type . <{TWO}> a ?type . }}"
BOTH_NAMED = f"ASK {{ GRAPH ?g1 {{ <{ONE}> a ?type }} GRAPH ?g2 {{ <{TWO}> a ?type }} }}"
FULL = (
    f"ASK {{ <{THREE}> a ?type GRAPH ?g1 {{ <{ONE}> a ?type }} GRAPH ?g2 {{ <{TWO}> a ?type }} }}"
)
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
TABULAR = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
BOOLEAN = {"application/sparql-results+json", "application/sparql-results+xml"}
RDF = {"text/turtle", "application/n-triples", "application/rdf+xml"}


class Case(NamedTuple):
    method: str
    params: list[tuple[str, str]]
    media: str | None = None
    body: bytes = b""
    status: int = 2  # the class: 2xx, or 4xx
    kind: set[str] | None = None
    boolean: bool | None = None


def defaults(*graphs: str) -> list[tuple[str, str]]:
    return [("default-graph-uri", g) for g in graphs]


def named(*graphs: str) -> list[tuple[str, str]]:
    return [("named-graph-uri", g) for g in graphs]


def form(query: str) -> bytes:
    return urllib.parse.urlencode({"query": query}).encode()


CASES = {
    "query_post_form": Case("POST", defaults(NOWHERE), FORM, form("ASK {}"), 2, BOOLEAN, True),
    "query_dataset_default_graphs_get": Case(
        "GET", [("query", BOTH_TYPED), *defaults(ONE, TWO)], kind=BOOLEAN, boolean=True
    ),
    "query_dataset_default_graphs_post": Case(
        "POST", defaults(ONE, TWO), DIRECT, BOTH_TYPED.encode(), 2, BOOLEAN, True
    ),
    "query_dataset_named_graphs_post": Case(
        "POST", named(ONE, TWO), DIRECT, BOTH_NAMED.encode(), 2, BOOLEAN, True
    ),
    "query_dataset_named_graphs_get": Case(
        "GET", [("query", BOTH_NAMED), *named(ONE, TWO)], kind=BOOLEAN, boolean=True
    ),
    "query_dataset_full": Case(
        "POST", defaults(THREE) + named(ONE, TWO), DIRECT, FULL.encode(), 2, BOOLEAN, True
    ),
    "query_multiple_dataset": Case(  # the protocol's dataset wins over FROM in the query
        "POST",
        named(ONE, TWO),
        DIRECT,
        BOTH_NAMED.replace("ASK {", f"ASK FROM <{THREE}> {{").encode(),
        2,
        BOOLEAN,
        True,
    ),
    "query_get": Case("GET", [("query", "ASK {}"), *defaults(NOWHERE)], kind=BOOLEAN, boolean=True),
    "query_content_type_select": Case(
        "POST", defaults(NOWHERE), DIRECT, b"SELECT (1 AS ?value) {}", 2, TABULAR
    ),
    "query_content_type_ask": Case("POST", defaults(NOWHERE), DIRECT, b"ASK {}", 2, BOOLEAN),
    "query_content_type_describe": Case(
        "POST", defaults(NOWHERE), DIRECT, b"DESCRIBE <http://example.org/>", 2, RDF
    ),
    "query_content_type_construct": Case(  # relative IRIs: the endpoint's URL is the base
        "POST", defaults(NOWHERE), DIRECT, b"CONSTRUCT { <s> <p> 1 } WHERE {}", 2, RDF
    ),
    "query_post_direct": Case("POST", [], DIRECT, b"ASK {}", 2, BOOLEAN, True),
    "bad_query_method": Case("PUT", [("query", "ASK {}"), *defaults(NOWHERE)], FORM, status=4),
    "bad_multiple_queries": Case("GET", [("query", "ASK {}"), ("query", "SELECT * {}")], status=4),
    "bad_query_wrong_media_type": Case("POST", [], "text/plain", b"ASK {}", status=4),
    "bad_query_missing_form_type": Case("POST", [], None, form("ASK {}"), status=4),
    "bad_query_missing_direct_type": Case("POST", [], None, b"ASK {}", status=4),
    "bad_query_non_utf8": Case(
        "POST", [], DIRECT + "; charset=UTF-16", "ASK {}".encode("utf-16"), status=4
    ),
    "bad_query_syntax": Case("GET", [("query", "ASK {")], status=4),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    path = tmp_path_factory.mktemp("protocol") / "store"
    store = GraphStore(path)
    document = ox.NamedNode("http://xmlns.com/foaf/0.1/Document")
    kind = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for graph in (ONE, TWO, THREE):
        name = ox.NamedNode(graph)
        store.replace_graph(graph, [ox.Quad(name, kind, document, name)])
    store.flush()
    del store
    with SparqlServer(Path(path), port=0, workers=1).start() as running:
        yield running


def answer(body: bytes, media: str) -> bool:
    if media == "application/sparql-results+json":
        return bool(json.loads(body)["boolean"])
    root = ElementTree.fromstring(body)
    found = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert found is not None
    return found.text == "true"


@pytest.mark.parametrize("name", sorted(CASES))
def test_w3c_protocol_query_case(server: SparqlServer, name: str) -> None:
    case = CASES[name]
    host, port = server.httpd.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=20)
    path = "/sparql" + ("?" + urllib.parse.urlencode(case.params) if case.params else "")
    headers = {"Content-Type": case.media} if case.media else {}
    try:
        connection.request(case.method, path, body=case.body or None, headers=headers)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status // 100 == case.status, (response.status, body)
    if case.kind is not None:
        media = (response.getheader("Content-Type") or "").split(";")[0].strip()
        assert media in case.kind, media
        if case.boolean is not None:
            assert answer(body, media) is case.boolean
        if name == "query_content_type_construct":
            triples = list(ox.parse(body, format=ox.RdfFormat.from_media_type(media)))
            assert [t.subject.value for t in triples] == [f"http://{host}:{port}/s"]
