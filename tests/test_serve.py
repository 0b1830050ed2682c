"""`kg serve`: the SPARQL 1.1 Protocol endpoint, used through SPARQLWrapper."""

from __future__ import annotations

import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from SPARQLWrapper import CSV, JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.serve import SparqlServer
from kg.store import GraphStore

CHL = "https://w3id.org/cmkg/id/country/CHL"
CU = "https://w3id.org/cmkg/id/mineral/copper"
EXPORTS = "https://w3id.org/cmkg/ontology#exports"
TIMEOUT = 2.0
MAX_ROWS = 50
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, make_store: Callable[[Path], Path]
) -> Iterator[SparqlServer]:
    path = make_store(tmp_path_factory.mktemp("serve") / "store")
    with SparqlServer(
        path, port=0, timeout=TIMEOUT, max_rows=MAX_ROWS, workers=2
    ).start() as running:
        yield running


def client(server: SparqlServer, query: str, fmt: str = JSON) -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.url + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


def test_select_as_json(server: SparqlServer) -> None:
    result = client(server, "SELECT ?c WHERE { ?c <https://w3id.org/cmkg/ontology#exports> ?m }")
    bindings = result.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert bindings == [{"c": {"type": "uri", "value": CHL}}]


def test_select_as_csv_by_post(server: SparqlServer) -> None:
    sparql = client(
        server,
        f"SELECT ?l WHERE {{ <{CU}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}",
        CSV,
    )
    sparql.setMethod(POST)
    assert sparql.queryAndConvert() == b"l\r\ncopper\r\n"


def test_ask_and_construct_as_turtle(server: SparqlServer) -> None:
    assert (
        client(server, "ASK { ?s a <https://schema.org/Country> }").queryAndConvert()["boolean"]
        is True
    )  # type: ignore[index]
    graph = client(
        server, "CONSTRUCT WHERE { ?s <https://w3id.org/cmkg/ontology#exports> ?o }", TURTLE
    )
    turtle = graph.query()
    assert turtle.response.headers["Content-Type"].startswith("text/turtle")
    converted = turtle.convert()
    assert f"<{CHL}>".encode() in converted and f"<{CU}>".encode() in converted  # type: ignore[operator]


def test_xml_tsv_and_n_triples_by_accept_header(server: SparqlServer) -> None:
    query = urllib.parse.urlencode({"query": f"SELECT ?x WHERE {{ BIND(<{CHL}> AS ?x) }}"})
    for accept, expected in [
        ("application/sparql-results+xml", f"<uri>{CHL}</uri>"),
        ("text/tab-separated-values", f"?x\n<{CHL}>\n"),
    ]:
        request = urllib.request.Request(f"{server.url}/sparql?{query}", headers={"Accept": accept})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Content-Type"].startswith(accept)
            assert expected in response.read().decode()
    construct = urllib.parse.urlencode({"query": f"CONSTRUCT WHERE {{ ?s <{EXPORTS}> ?o }}"})
    request = urllib.request.Request(
        f"{server.url}/sparql?{construct}", headers={"Accept": "application/n-triples"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.read().decode().strip() == f"<{CHL}> <{EXPORTS}> <{CU}> ."


def test_updates_are_forbidden(server: SparqlServer) -> None:
    sparql = SPARQLWrapper(server.url + "/sparql")
    sparql.setMethod(POST)
    sparql.setQuery("DROP ALL")
    with pytest.raises(urllib.error.HTTPError) as caught:
        sparql.query()
    assert caught.value.code == 403
    count = client(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").queryAndConvert()
    assert int(count["results"]["bindings"][0]["n"]["value"]) > 0  # type: ignore[index]


def test_service_and_load_are_refused_without_a_connection(server: SparqlServer) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        for query in [
            f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
        ]:
            with pytest.raises(QueryBadFormed):
                client(server, query).query()
        # LOAD sent as a query is refused (400); sent as an update, it is an update (403).
        with pytest.raises(urllib.error.HTTPError) as caught:
            params = urllib.parse.urlencode({"query": f"LOAD <{target}>"})
            urllib.request.urlopen(f"{server.url}/sparql?{params}", timeout=10)
        assert caught.value.code == 400
        update = SPARQLWrapper(server.url + "/sparql")
        update.setMethod(POST)
        update.setQuery(f"LOAD <{target}>")
        with pytest.raises(urllib.error.HTTPError) as caught:
            update.query()
        assert caught.value.code == 403
        listener.settimeout(0.5)
        with pytest.raises(TimeoutError):
            listener.accept()


def test_runaway_query_is_killed_and_the_server_goes_on(server: SparqlServer) -> None:
    before = set(server.pool.pids)
    started = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as caught:
        client(server, RUNAWAY).query()
    elapsed = time.monotonic() - started
    assert caught.value.code == 503 and b"time limit" in caught.value.read()
    assert TIMEOUT - 0.1 <= elapsed < TIMEOUT + 3
    killed = before - set(server.pool.pids)
    assert len(killed) == 1
    for pid in killed:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    result = client(server, "ASK { ?s ?p ?o }").queryAndConvert()
    assert result["boolean"] is True  # type: ignore[index]


def test_results_are_capped(server: SparqlServer) -> None:
    ten = "{ 0 1 2 3 4 5 6 7 8 9 }"
    query = f"SELECT ?i WHERE {{ VALUES ?a {ten} VALUES ?b {ten} BIND(?a * 10 + ?b AS ?i) }}"
    result = client(server, query).query()
    assert result.response.headers["X-SPARQL-MaxRows"] == str(MAX_ROWS)
    assert len(result.convert()["results"]["bindings"]) == MAX_ROWS  # type: ignore[index]


def test_query_page_and_bad_requests(server: SparqlServer) -> None:
    with urllib.request.urlopen(server.url + "/", timeout=10) as page:
        html = page.read().decode()
    assert "<textarea" in html and "http://" not in html.replace("http://www.w3.org", "")
    with pytest.raises(QueryBadFormed):
        client(server, "SELECT * WHERE { ?s ?p }").query()
    with pytest.raises(urllib.error.HTTPError) as caught:  # parameters, but no query
        urllib.request.urlopen(server.url + "/sparql?default-graph-uri=urn%3Ax", timeout=10)
    assert caught.value.code == 400


def test_closing_leaves_no_process(tmp_path: Path, make_store: Callable[[Path], Path]) -> None:
    running = SparqlServer(make_store(tmp_path / "store"), port=0, workers=1).start()
    pids = running.pool.pids
    assert client(running, "ASK { }").queryAndConvert()["boolean"] is True  # type: ignore[index]
    running.close()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    GraphStore(tmp_path / "store")  # the store is free again


def test_kg_serve_command(
    tmp_path: Path, make_store: Callable[[Path], Path], kg_serve: Callable[..., Any]
) -> None:
    with kg_serve(make_store(tmp_path / "store"), "--timeout", "3") as (url, process):
        sparql = SPARQLWrapper(url)
        sparql.setQuery("ASK { ?s a <https://schema.org/Country> }")
        sparql.setReturnFormat(JSON)
        assert sparql.queryAndConvert()["boolean"] is True  # type: ignore[index]
    # The workers (and multiprocessing's resource tracker) end with the server.
    deadline = time.monotonic() + 5
    with pytest.raises(ProcessLookupError):
        while time.monotonic() < deadline:
            os.killpg(process.pid, 0)
            time.sleep(0.05)
