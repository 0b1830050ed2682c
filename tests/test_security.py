"""An attacker's queries: SERVICE smuggled past the refusal, queries nested to crash the parser;
and the rest of issue 15 an attacker or a careless user meets: folders that are not stores,
formulas in spreadsheet cells, the endpoint's malformed requests.

Every query of the corpus below makes raw Oxigraph call the URL it names (the control test shows
it, with a loopback listener); through kg's store API, ``kg query`` and ``kg serve`` each one
must be refused before anything runs, and the listener must see nothing.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import ForbiddenQueryError, QueryError, UpdateForbiddenError
from kg.rdf import article_graph
from kg.serve import SparqlServer
from kg.store import GraphStore, check_read_only_query, named_queries
from kg.store._guard import MAX_NESTING
from kg.store._marker import MARKER


def smuggled(url: str, base: str) -> dict[str, str]:
    """SERVICE calls written the ways a keyword scan misses them."""
    return {
        "after a prefixed name ending in an escaped #": (
            f"PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ex:a\\# ?o . "
            f"SERVICE <{url}> {{ ?s ?p ?o }} }}"
        ),
        "after a prefixed name ending in an escaped quote": (
            f"PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ex:a\\' ?o . "
            f"SERVICE <{url}> {{ ?s ?p ?o }} }} # '"
        ),
        "lower case across line breaks": f"select * where {{\n service\n<{url}>\n{{ ?s ?p ?o }} }}",
        "mixed case and tabs": f"SELECT * WHERE {{\tSeRvIcE\t<{url}>\t{{ ?s ?p ?o }} }}",
        "SILENT in a sub-select": (
            f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }} }}"
        ),
        "prefixed-name endpoint": (
            f"PREFIX r: <{base}> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}"
        ),
        "relative endpoint against BASE": (
            f"BASE <{base}> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}"
        ),
        "inside FILTER EXISTS": (
            f"SELECT * WHERE {{ BIND(1 AS ?x) FILTER EXISTS {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}"
        ),
        "inside OPTIONAL": (
            f"SELECT * WHERE {{ BIND(1 AS ?x) OPTIONAL {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}"
        ),
        "inside UNION": (
            f"SELECT * WHERE {{ {{ BIND(1 AS ?x) }} UNION {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}"
        ),
        "ASK": f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "CONSTRUCT": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "DESCRIBE": f"DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "after a string holding #": (
            f'SELECT * WHERE {{ ?s ?p "a # b" . SERVICE <{url}> {{ ?s ?p ?o }} }}'
        ),
        "after an escaped quote in a string": (
            f'SELECT * WHERE {{ ?s ?p "a\\"" . SERVICE <{url}> {{ ?s ?p ?o }} }}'
        ),
        "after a long string": (
            f"SELECT * WHERE {{ ?s ?p '''it's \"x\"''' . SERVICE <{url}> {{ ?s ?p ?o }} }}"
        ),
        "after an IRI holding #": (
            f"SELECT * WHERE {{ ?s <urn:a#b> ?o . SERVICE <{url}> {{ ?s ?p ?o }} }}"
        ),
        "after a less-than": (
            f"SELECT * WHERE {{ BIND(1 AS ?a) FILTER(?a<2) SERVICE <{url}> {{ ?s ?p ?o }} }}"
        ),
        "without spaces": f"SELECT*WHERE{{SERVICE<{url}>{{?s?p?o}}}}",
    }


def also_refused(url: str) -> dict[str, str]:
    """Forms raw Oxigraph does not run, refused all the same (kg cannot know they are harmless)."""
    return {
        "code-point escaped keyword": f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        "code-point newline ending a comment": (
            f"SELECT * WHERE {{ ?s ?p ?o # \\u000a SERVICE <{url}> {{ ?s ?p ?o }} \n}}"
        ),
        "variable endpoint": (
            f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}"
        ),
        "LOAD sent as a query": f"LOAD <{url}>",
    }


class Listener:
    """A loopback TCP server that counts the connections made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()
        port = self.sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}/"
        self.url = self.base + "sparql"

    def _accept(self) -> None:
        while not self._stop:
            try:
                connection, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def settle(self) -> int:
        time.sleep(0.3)
        return self.connections

    def close(self) -> None:
        self._stop = True
        self._thread.join()
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    running = Listener()
    yield running
    running.close()


def matching_store() -> ox.Store:
    """An in-memory store where every pattern of the corpus that precedes SERVICE has a match."""
    store = ox.Store()
    s, o, p = ox.NamedNode("urn:s"), ox.NamedNode("urn:o"), ox.NamedNode("urn:p")
    for predicate in ("http://e/a#", "http://e/a'", "urn:a#b"):
        store.add(ox.Quad(s, ox.NamedNode(predicate), o))
    for literal in ("a # b", 'a"', 'it\'s "x"'):
        store.add(ox.Quad(s, p, ox.Literal(literal)))
    return store


@pytest.mark.parametrize("name", sorted(smuggled("u", "b")))
def test_raw_oxigraph_would_call_out(name: str, listener: Listener) -> None:
    """The control: without kg's refusal, each query of the corpus reaches the listener."""
    with pytest.raises((OSError, RuntimeError)):
        result = matching_store().query(smuggled(listener.url, listener.base)[name])
        list(result) if not isinstance(result, ox.QueryBoolean) else bool(result)
        raise RuntimeError("the service answered")  # an empty answer is still a call out
    assert listener.settle() >= 1


def test_the_store_api_refuses_every_form_without_a_connection(
    tmp_path: Path, listener: Listener
) -> None:
    store = GraphStore(tmp_path / "s")
    queries = smuggled(listener.url, listener.base) | also_refused(listener.url)
    for name, query in queries.items():
        with pytest.raises(ForbiddenQueryError, match=r"^(SERVICE|LOAD) is not allowed"):
            store.query(query)
        assert listener.settle() == 0, name


def test_kg_query_refuses_smuggled_service(
    tmp_path: Path, listener: Listener, make_store: Callable[[Path], Path]
) -> None:
    store = str(make_store(tmp_path / "s"))
    queries = smuggled(listener.url, listener.base)
    for name in ("after a prefixed name ending in an escaped #", "relative endpoint against BASE"):
        result = subprocess.run(
            [sys.executable, "-m", "kg", "query", "--store", store, queries[name]],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("kg: error: SERVICE is not allowed")
        assert len(result.stderr.strip().splitlines()) == 1
    assert listener.settle() == 0


def test_the_endpoint_refuses_every_form_without_a_connection(
    tmp_path: Path, listener: Listener, make_store: Callable[[Path], Path]
) -> None:
    queries = smuggled(listener.url, listener.base) | also_refused(listener.url)
    with SparqlServer(make_store(tmp_path / "s"), port=0, workers=1).start() as server:
        for name, query in queries.items():
            body = urllib.parse.urlencode({"query": query}).encode()
            with pytest.raises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(server.url + "/sparql", body, timeout=10)
            assert caught.value.code == 400, name
            assert b"is not allowed" in caught.value.read()
    assert listener.settle() == 0


def test_what_the_parser_cannot_read_is_refused() -> None:
    with pytest.raises(QueryError, match=r"^SPARQL syntax error at line 1, column \d+"):
        check_read_only_query("SELECT * WHERE { ?s ?p }")
    with pytest.raises(UpdateForbiddenError, match="DROP is not allowed"):
        check_read_only_query("DROP ALL")
    with pytest.raises(UpdateForbiddenError):
        check_read_only_query("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }")


def test_ordinary_queries_still_run(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "s")
    rows = store.select(
        "PREFIX ex: <http://e/> SELECT ?x WHERE { BIND(\"SERVICE, LOAD # 'x'\" AS ?x) "
        "FILTER(?x != ex:a\\#b) }"
    )
    assert rows == [{"x": "SERVICE, LOAD # 'x'"}]
    # Each named query also passes the parser (not only as kg's own trusted text).
    for name, text in named_queries().items():
        check_read_only_query(text + "\n")
        assert name


def test_deep_nesting_is_refused_by_kg_query_with_one_line(
    tmp_path: Path, make_store: Callable[[Path], Path]
) -> None:
    store = str(make_store(tmp_path / "s"))
    deep = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
    result = subprocess.run(
        [sys.executable, "-m", "kg", "query", "--store", store, deep],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("kg: error: query nested 5000 levels deep")
    assert len(result.stderr.strip().splitlines()) == 1
    at_limit = (
        "SELECT * WHERE { FILTER(" + "(" * (MAX_NESTING - 2) + "1" + ")" * (MAX_NESTING - 1) + " }"
    )
    check_read_only_query(at_limit)


def test_deep_nesting_is_a_bad_request_at_the_endpoint(
    tmp_path: Path, make_store: Callable[[Path], Path]
) -> None:
    deep = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
    with SparqlServer(make_store(tmp_path / "s"), port=0, workers=1).start() as server:
        pids = set(server.pool.pids)
        body = urllib.parse.urlencode({"query": deep}).encode()
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(server.url + "/sparql", body, timeout=10)
        assert caught.value.code == 400 and b"nested" in caught.value.read()
        assert set(server.pool.pids) == pids  # no worker died
        with urllib.request.urlopen(server.url + "/sparql?query=ASK%7B%7D", timeout=10) as ok:
            assert ok.status == 200


# Issue 15, point 2: a folder that is not a store is never written into.


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_folder_of_other_files_is_refused_and_left_byte_identical(tmp_path: Path) -> None:
    folder = tmp_path / "my-files"
    folder.mkdir()
    (folder / "LOG").write_text("my own log, not RocksDB's\n")
    (folder / "MANIFEST-000001").write_bytes(b"my manifest\x00\x01")
    (folder / "CURRENT").write_text("MANIFEST-000001\n")  # even with a CURRENT naming it
    before = snapshot(folder)
    article = tmp_path / "a.txt"
    article.write_text("Chile exports copper to China.")
    for args in (
        ["build", str(article), "--store", str(folder)],
        ["query", "--store", str(folder), "ASK {}"],
        ["export", "--store", str(folder), "--format", "nq", "--out", str(tmp_path / "x.nq")],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(f"kg: error: {folder}: not a kg store"), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(folder) == before
    assert not (tmp_path / "x.nq").exists()


def test_new_and_empty_folders_become_marked_stores(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (tmp_path / "new", empty):
        store = GraphStore(folder)
        store.raw.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o")))
        store.flush()
        del store
        assert (folder / MARKER).is_file()
        assert len(GraphStore(folder, must_exist=True)) == 1  # reopened: a store, not refused


def test_a_store_made_before_the_marker_is_recognised_and_marked(tmp_path: Path) -> None:
    folder = tmp_path / "old-store"
    old = ox.Store(str(folder))  # what kg wrote before markers: a bare Oxigraph store
    old.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o")))
    old.flush()
    del old
    assert not (folder / MARKER).exists()
    assert len(GraphStore(folder, must_exist=True)) == 1
    assert (folder / MARKER).is_file()


# Issue 15, point 4: spreadsheet formulas in labels stay text in spreadsheet-facing CSVs.

FORMULAS = ["=SUM(1+1)", "@Acme", "+1+1", "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def formula_store(path: Path) -> Path:
    """A closed store whose entities are named like spreadsheet formulas, all linked to Chile."""
    from kg.pipeline import ensure_ontology
    from kg.rdf import extraction_quads
    from kg.records import Article, Entity, Extraction, Relation

    chile = Entity("https://w3id.org/cmkg/id/country/CHL", "Chile", "Country", ("Chile",))
    store = GraphStore(path)
    ensure_ontology(store)
    for i, name in enumerate(FORMULAS):
        org = Entity(f"https://w3id.org/cmkg/id/org/formula-{i}", name, "Organization", (name,))
        text = f"{name} invests in Chile."
        extraction = Extraction(
            Article(f"f{i}", text, "t", f"https://example.org/f{i}"),
            (org, chile),
            (Relation(org.id, "invests_in", chile.id, 0.6, text, 0, len(text)),),
            model="test-model",
        )
        store.replace_graph(
            article_graph(extraction.article).value, extraction_quads(extraction, "kg test")
        )
    store.flush()
    del store
    return path


def cells(text: str) -> set[str]:
    import csv
    import io

    return {cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row}


def test_spreadsheet_csvs_neutralise_formulas_and_sparql_csv_stays_w3c(tmp_path: Path) -> None:
    store = str(formula_store(tmp_path / "s"))
    neutralised = {"'" + f for f in FORMULAS}

    def run(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "kg", *args], capture_output=True, timeout=300
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.decode("utf-8")  # no newline translation: "\r" stays in its cell

    analysis = cells(run("analyze", "--store", store, "--format", "csv", "--top", "20"))
    assert neutralised <= analysis and not set(FORMULAS) & analysis
    run("export", "--store", store, "--format", "csv", "--out", str(tmp_path / "g.csv"))
    nodes = cells((tmp_path / "g-nodes.csv").read_bytes().decode("utf-8"))
    assert neutralised <= nodes and not set(FORMULAS) & nodes
    assert "Chile" in nodes
    # A SPARQL result is data for programs, in the W3C format: the labels come back as stored.
    sparql = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?l { ?s rdfs:label ?l }"
    assert set(FORMULAS) <= cells(run("query", "--store", store, "--format", "csv", sparql))


# Issue 15, point 9: the endpoint's edge cases answer 4xx and keep every worker.


def raw_request(url: str, request: bytes, wait: float = 15.0) -> tuple[str, float]:
    """Send raw bytes to the server; its status line, and the seconds the answer took."""
    host, port = urllib.parse.urlsplit(url).netloc.rsplit(":", 1)
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=wait) as sock:
        sock.sendall(request)
        reply = sock.makefile("rb").readline().decode("latin-1").strip()
    return reply, time.monotonic() - started


@pytest.fixture()
def endpoint(tmp_path: Path, make_store: Callable[[Path], Path]) -> Iterator[SparqlServer]:
    """A server with a one-second time limit and one worker, which must survive the test."""
    with SparqlServer(make_store(tmp_path / "s"), port=0, workers=1, timeout=1.0) as server:
        server.start()
        pids = set(server.pool.pids)
        yield server
        assert set(server.pool.pids) == pids  # no worker died, was killed or replaced
        with urllib.request.urlopen(server.url + "/sparql?query=ASK%7B%7D", timeout=10) as ok:
            assert ok.status == 200


POST = b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"


def test_an_invalid_dataset_iri_is_a_bad_request(endpoint: SparqlServer) -> None:
    for key in ("default-graph-uri", "named-graph-uri"):
        for bad in ("not an iri", "http://a b/"):
            query = urllib.parse.urlencode({"query": "ASK {}", key: bad})
            with pytest.raises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(f"{endpoint.url}/sparql?{query}", timeout=10)
            assert caught.value.code == 400, (key, bad)
            assert f"invalid {key}".encode() in caught.value.read()


def test_a_content_length_that_is_no_number_is_a_bad_request(endpoint: SparqlServer) -> None:
    for length in (b"abc", b"-5", b"1e3", b"\xd9\xa1\xd9\xa2"):
        status, _ = raw_request(endpoint.url, POST + b"Content-Length: " + length + b"\r\n\r\n")
        assert status.split()[1:2] == ["400"], (length, status)
    status, _ = raw_request(endpoint.url, POST + b"Content-Length: " + b"9" * 5000 + b"\r\n\r\n")
    assert status.split()[1:2] == ["413"], status


def test_a_body_shorter_than_announced_is_answered_408_in_time(endpoint: SparqlServer) -> None:
    status, took = raw_request(endpoint.url, POST + b"Content-Length: 100\r\n\r\nASK {}")
    assert status.split()[1:2] == ["408"] and took < 10, status


def test_head_answers_without_running_the_query(endpoint: SparqlServer) -> None:
    values = " ".join(str(i) for i in range(40))  # 40⁶ rows to count: far past the 1 s limit
    product = " ".join(f"VALUES ?v{i} {{ {values} }}" for i in range(6))
    url = (
        endpoint.url
        + "/sparql?"
        + urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {product} }}"})
    )
    # Run, the query would be stopped at the time limit (503) and its worker replaced, which
    # the fixture would see.
    with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=10) as head:
        assert head.status == 200 and head.read() == b""
        assert head.headers["Content-Length"] is None  # unknown without running the query
    bad = endpoint.url + "/sparql?query=SELECT"
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(urllib.request.Request(bad, method="HEAD"), timeout=10)
    assert caught.value.code == 400  # a HEAD is checked as a GET would be
