"""`kg serve` as browser tools and clients see it: CORS, the service description, ASK in any
result format, relative IRIs, the default graph of facts, the query page, and `kg query` against
the endpoint."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from lxml import html as lxml_html  # type: ignore[import-untyped,unused-ignore]
from rdflib import Graph, Literal, Namespace, URIRef
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, SPARQLWrapper

from kg.cli import main
from kg.serve import SparqlServer
from kg.store import load_query

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
CHL = "https://w3id.org/cmkg/id/country/CHL"
CU = "https://w3id.org/cmkg/id/mineral/copper"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, make_store: Callable[[Path], Path]) -> Path:
    return make_store(tmp_path_factory.mktemp("clients") / "store")


@pytest.fixture(scope="module")
def server(store_dir: Path) -> Iterator[SparqlServer]:
    with SparqlServer(store_dir, port=0, workers=2).start() as running:
        yield running


def fetch(url: str, method: str = "GET", **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_cors_preflight_and_answers_for_a_page_on_another_origin(server: SparqlServer) -> None:
    status, headers, _ = fetch(
        server.url + "/sparql",
        "OPTIONS",
        Origin="https://yasgui.example",
        **{"Access-Control-Request-Method": "POST"},
        **{"Access-Control-Request-Headers": "content-type, accept"},
    )
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert headers["Access-Control-Allow-Headers"].lower() == "content-type, accept"
    query = urllib.parse.urlencode({"query": "ASK {}"})
    status, headers, body = fetch(f"{server.url}/sparql?{query}", Origin="https://yasgui.example")
    assert status == 200 and json.loads(body)["boolean"] is True
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "X-SPARQL-MaxRows" in headers["Access-Control-Expose-Headers"]


def test_cors_limited_to_configured_origins(store_dir: Path) -> None:
    copy = store_dir.parent / "cors-store"
    if not copy.exists():
        shutil.copytree(store_dir, copy)
    with SparqlServer(copy, port=0, workers=1, cors="https://a.example").start() as running:
        url = running.url + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})
        _, allowed, _ = fetch(url, Origin="https://a.example")
        _, other, _ = fetch(url, Origin="https://b.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://a.example"
    assert "Access-Control-Allow-Origin" not in other and other["Vary"] == "Origin"


def test_service_description_read_by_rdflib(server: SparqlServer) -> None:
    endpoint = URIRef(server.url + "/sparql")
    graph = Graph().parse(str(endpoint))  # rdflib negotiates an RDF format and parses it
    services = set(graph.subjects(SD.endpoint, endpoint))
    assert len(services) == 1
    service = services.pop()
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    formats = {str(f).rsplit("/", 1)[-1] for f in graph.objects(service, SD.resultFormat)}
    assert {"SPARQL_Results_JSON", "SPARQL_Results_CSV", "Turtle"} <= formats
    assert str(graph.value(service, URIRef("https://schema.org/softwareVersion"))).startswith("kg ")
    dataset = graph.value(service, SD.defaultDataset)
    default = graph.value(dataset, SD.defaultGraph)
    size = graph.value(default, URIRef("http://rdfs.org/ns/void#triples"))
    assert isinstance(size, Literal)
    count = SPARQLWrapper(str(endpoint))
    count.setQuery("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    count.setReturnFormat(JSON)
    rows = count.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert int(size) == int(rows[0]["n"]["value"]) > 0
    names = {str(graph.value(g, SD.name)) for g in graph.objects(dataset, SD.namedGraph)}
    assert names == {"https://w3id.org/cmkg/graph/ontology"}  # the article graph is counted
    status, headers, body = fetch(str(endpoint), Accept="application/n-triples")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert b"#SPARQL11Query>" in body


def test_ask_honours_accept(server: SparqlServer) -> None:
    for fmt, expected in ((CSV, b"true"), (TSV, b"true"), (JSON, {"head": {}, "boolean": True})):
        sparql = SPARQLWrapper(server.url + "/sparql")
        sparql.setQuery(f"ASK {{ <{CHL}> ?p ?o }}")
        sparql.setReturnFormat(fmt)
        result = sparql.query()
        assert result.response.headers["Content-Type"].startswith(
            {CSV: "text/csv", TSV: "text/tab-separated-values", JSON: "application/sparql"}[fmt]
        )
        assert result.convert() == expected
    query = urllib.parse.urlencode({"query": "ASK {}"})
    status, _, _ = fetch(f"{server.url}/sparql?{query}", Accept="image/png")
    assert status == 406


def test_relative_iris_resolve_against_the_endpoint(server: SparqlServer) -> None:
    sparql = SPARQLWrapper(server.url + "/sparql")
    sparql.setQuery("CONSTRUCT { <s> <p> 1 } WHERE {}")
    sparql.setReturnFormat(TURTLE)
    graph = Graph().parse(data=sparql.queryAndConvert(), format="turtle")  # type: ignore[arg-type]
    base = server.url + "/"
    assert set(graph) == {(URIRef(base + "s"), URIRef(base + "p"), Literal(1))}
    # Relative IRIs pass the same guard: SERVICE at a relative IRI (the endpoint itself, once
    # resolved) is refused before anything runs.
    for query in ("SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }", "ASK { <s> ?p <o> }"):
        status, _, body = fetch(f"{server.url}/sparql?{urllib.parse.urlencode({'query': query})}")
        assert (status, b"SERVICE is not allowed" in body) == (
            (400, True) if "SERVICE" in query else (200, False)
        )


def test_the_default_graph_counts_each_fact_once(server: SparqlServer) -> None:
    sparql = SPARQLWrapper(server.url + "/sparql")
    sparql.setQuery(
        "SELECT ?s ?o WHERE { ?s <https://w3id.org/cmkg/ontology#exports> ?o } ORDER BY ?s LIMIT 10"
    )
    sparql.setReturnFormat(JSON)
    rows = sparql.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert [(r["s"]["value"], r["o"]["value"]) for r in rows] == [(CHL, CU)]


def test_kg_query_against_the_endpoint(
    server: SparqlServer, capsys: pytest.CaptureFixture[str]
) -> None:
    for url in (server.url, server.url + "/sparql"):
        query = ["query", "--store", url, "--name", "country_minerals", "--format", "csv"]
        assert main(query) == 0
        assert "Chile,exports,copper,1" in capsys.readouterr().out


def test_query_page_is_offline_and_links_results_to_their_facts(server: SparqlServer) -> None:
    status, _, body = fetch(server.url + "/")
    assert status == 200
    page = lxml_html.fromstring(body)
    # Offline: nothing is loaded from elsewhere (no src, no stylesheet link, no import).
    assert not page.xpath("//*[@src] | //link | //iframe | //object")
    assert "@import" not in body.decode() and "url(" not in body.decode()
    script = page.xpath("//script/text()")[0]
    assert "URLSearchParams(location.search)" in script
    constant = next(line for line in script.splitlines() if "const ENTITY_FACTS" in line)
    assert json.loads(constant.split("=", 1)[1].strip().rstrip(";")) == load_query("entity_facts")


NODE_HARNESS = r"""
const BASE = process.argv[2];
globalThis.location = {search: process.argv[3]};
globalThis.history = {pushState() {}};
globalThis.window = {addEventListener() {}};
function el(tag) {
  return {tag, children: [], textContent: "", value: "", href: undefined, title: "",
          append(...items) { this.children.push(...items); },
          insertRow() { const row = el("tr"); this.children.push(row); return row; },
          insertCell() { const td = el("td"); this.children.push(td); return td; }};
}
const elements = {};
globalThis.document = {getElementById: id => elements[id] || (elements[id] = el(id)),
                       createElement: el};
let finished;
const done = new Promise(resolve => { finished = resolve; });
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, options) => {
  const response = await realFetch(BASE + "/" + url, options);
  const text = await response.text();
  setTimeout(finished, 0);
  return {ok: response.ok, status: response.status, headers: response.headers,
          text: async () => text};
};
"""
NODE_REPORT = r"""
done.then(() => {
  const table = elements["r"].children[0];
  const cells = row => row.children.map(td => td.children.length
      ? {text: td.children[0].textContent, href: td.children[0].href} : {text: td.textContent});
  console.log(JSON.stringify({status: elements["s"].textContent, query: elements["q"].value,
                              rows: table ? table.children.map(cells) : []}));
});
"""


def run_page(server: SparqlServer, search: str, tmp_path: Path) -> dict:  # type: ignore[type-arg]
    """The page's own script, run by Node with the address ``search``, a stand-in for the
    DOM and the real server behind fetch."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    _, _, body = fetch(server.url + "/")
    script = lxml_html.fromstring(body).xpath("//script/text()")[0]
    program = tmp_path / "page.js"
    program.write_text(NODE_HARNESS + script + NODE_REPORT, encoding="utf-8")
    done = subprocess.run(
        [node, str(program), server.url, search], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_query_page_runs_the_query_in_its_address_and_opens_facts(
    server: SparqlServer, tmp_path: Path
) -> None:
    query = f"SELECT ?c WHERE {{ ?c <https://w3id.org/cmkg/ontology#exports> <{CU}> }}"
    shown = run_page(server, "?" + urllib.parse.urlencode({"query": query}), tmp_path)
    assert shown["query"] == query and shown["status"].startswith("200")
    header, *rows = shown["rows"]
    assert [c["text"] for c in header] == ["c"] and len(rows) == 1
    link = rows[0][0]
    assert link["text"] == CHL and link["href"].startswith("?query=")
    # The link is a shareable address that runs the named query entity_facts for Chile.
    facts = run_page(server, link["href"], tmp_path)
    assert facts["query"].startswith(load_query("entity_facts"))
    header, *rows = facts["rows"]
    got = {c["text"]: i for i, c in enumerate(header)}
    assert [(r[got["subject"]]["text"], r[got["relation"]]["text"], r[got["object"]]["text"])
            for r in rows] == [("Chile", "exports", "copper")]  # fmt: skip
