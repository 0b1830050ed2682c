"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over an on-disk store.

``/sparql`` takes queries by GET (``?query=``) and POST (form or ``application/sparql-query``) and
answers SELECT/ASK as SPARQL JSON, XML, CSV or TSV and CONSTRUCT/DESCRIBE as Turtle or N-Triples,
by content negotiation. Updates are answered 403; queries naming ``SERVICE`` or ``LOAD`` are
refused with 400 before anything runs (by a parser, :mod:`kg.store._guard`), so the server never
fetches anything. Each query runs in a
worker process (:mod:`kg.store.worker`) killed at the time limit. ``/`` serves a small query page
that needs no network.
"""

from __future__ import annotations

import threading
import time
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import __version__
from kg.errors import QueryError, StoreError, UpdateForbiddenError, UsageError
from kg.store import GraphStore, check_read_only_query, is_endpoint
from kg.store.worker import Answer, Job, QueryPool

MAX_BODY = 1_000_000
_UPDATE_TYPES = ("application/sparql-update",)


class SparqlServer:
    """The endpoint: an HTTP server, a pool of query workers, and the store's writer lock.

    The store is held open (not written) for as long as the server runs, so a ``kg build`` on
    the same folder fails fast instead of changing the data under the workers' feet.
    """

    def __init__(
        self,
        store: str | Path,
        *,
        host: str = "127.0.0.1",
        port: int = 7878,
        timeout: float = 10.0,
        max_rows: int = 100_000,
        workers: int = 2,
    ) -> None:
        if is_endpoint(store):
            raise UsageError("kg serve needs a store folder, not an endpoint URL")
        self._guard: GraphStore | None = GraphStore(store, must_exist=True)
        self.pool = QueryPool(store, workers=workers, timeout=timeout, max_rows=max_rows)
        try:
            self.httpd = _HTTPServer((host, port), _Handler)
        except OSError as exc:
            self.pool.close()
            self._guard = None
            raise StoreError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        self.httpd.pool = self.pool
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The server's base URL (the endpoint is ``url + "/sparql"``)."""
        host, port = self.httpd.server_address[:2]
        host = str(host)
        return f"http://{f'[{host}]' if ':' in host else host}:{port}"

    def serve_forever(self) -> None:
        """Answer requests until :meth:`shutdown` (or Ctrl-C)."""
        self.httpd.serve_forever(poll_interval=0.2)

    def start(self) -> SparqlServer:
        """Serve from a background thread (for notebooks and tests)."""
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving, stop the workers, release the store."""
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(10)
            self._thread = None
        self.httpd.server_close()
        self.pool.close()
        self._guard = None

    def __enter__(self) -> SparqlServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    pool: QueryPool


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = f"kg-sparql/{__version__}"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: one line per request would drown the terminal; errors are still answered."""

    def do_GET(self) -> None:
        path, _, query_string = self.path.partition("?")
        if path in {"/", "/index.html"}:
            self._send(Answer(200, "text/html; charset=utf-8", PAGE.encode()))
        elif path == "/sparql":
            self._protocol(urllib.parse.parse_qs(query_string, keep_blank_values=True))
        else:
            self._send(Answer.text(404, f"not found: {path} (the endpoint is /sparql)"))

    def do_POST(self) -> None:
        path, _, query_string = self.path.partition("?")
        params = urllib.parse.parse_qs(query_string, keep_blank_values=True)
        if path == "/update":
            self._send(Answer.text(403, "this endpoint is read-only: updates are not accepted"))
            return
        if path != "/sparql":
            self._send(Answer.text(404, f"not found: {path} (the endpoint is /sparql)"))
            return
        body = self._read_body()
        if body is None:
            return
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media in _UPDATE_TYPES:
            self._send(Answer.text(403, "this endpoint is read-only: updates are not accepted"))
            return
        if media == "application/sparql-query":
            params.setdefault("query", []).append(body.decode("utf-8", "replace"))
        elif media == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        else:
            self._send(Answer.text(415, f"unsupported content type {media or '(none)'}"))
            return
        self._protocol(params)

    def _read_body(self) -> bytes | None:
        """The request body, or None once a 400, 408 or 413 is answered.

        The Content-Length must be a plain integer, and the whole body must arrive within the
        query time limit: a client that announces more than it sends cannot hold a thread.
        """
        value = (self.headers.get("Content-Length") or "0").strip()
        if not (value.isascii() and value.isdigit()):
            refusal = Answer.text(400, f"Content-Length {value[:40]!r} is not a number of bytes")
        elif len(value) > 9 or int(value) > MAX_BODY:
            refusal = Answer.text(413, f"request body over {MAX_BODY} bytes")
        else:
            length, limit = int(value), self.server.pool.timeout
            deadline, body = time.monotonic() + limit, bytearray()
            try:
                while len(body) < length and time.monotonic() < deadline:
                    self.connection.settimeout(max(deadline - time.monotonic(), 0.001))
                    chunk = self.rfile.read1(length - len(body))
                    if not chunk:
                        break
                    body += chunk
            except TimeoutError:  # the deadline passed mid-read: answered with 408 below
                pass
            self.connection.settimeout(None)  # the answer is written without a deadline
            if len(body) == length:
                return bytes(body)
            refusal = Answer.text(
                408, f"request body incomplete after {limit:g} s: {len(body)} of {length} bytes"
            )
        self.close_connection = True  # what is left of the body must not be read as a request
        self._send(refusal)
        return None

    def do_PUT(self) -> None:
        self._send(Answer.text(403, "this endpoint is read-only"))

    do_DELETE = do_PATCH = do_PUT

    def do_HEAD(self) -> None:
        self.do_GET()

    def _protocol(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            self._send(Answer.text(403, "this endpoint is read-only: updates are not accepted"))
            return
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            self._send(Answer.text(400, "give exactly one query parameter"))
            return
        try:
            check_read_only_query(queries[0])
        except QueryError as exc:
            # An update is forbidden (403); SERVICE, LOAD and what does not parse are bad requests.
            self._send(Answer.text(403 if isinstance(exc, UpdateForbiddenError) else 400, str(exc)))
            return
        for key in ("default-graph-uri", "named-graph-uri"):
            for value in params.get(key, []):
                try:
                    ox.NamedNode(value)
                except ValueError as exc:
                    self._send(Answer.text(400, f"invalid {key} {value!r}: {exc}"))
                    return
        if self.command == "HEAD":  # a valid request; running it only to drop the body would
            self._send_head()  # tie up a worker, so HEAD answers without running the query
            return
        job = Job(
            sparql=queries[0],
            accept=self.headers.get("Accept"),
            fmt=next(iter(params.get("format") or params.get("output") or []), None),
            default_graphs=tuple(params.get("default-graph-uri", [])),
            named_graphs=tuple(params.get("named-graph-uri", [])),
        )
        self._send(self.server.pool.run(job))

    def _send_head(self) -> None:
        """200 with no Content-Type or Content-Length: only running the query would tell them."""
        try:
            self.send_response(200, HTTPStatus(200).phrase)
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, answer: Answer) -> None:
        try:
            self.send_response(answer.status, HTTPStatus(answer.status).phrase)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            for key, value in answer.headers.items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            pass


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL endpoint</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5em;max-width:70em}
textarea{width:100%;height:14em;font:13px monospace}
table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;padding:2px 6px}
th{background:#eee}pre{background:#f6f6f6;padding:.5em;white-space:pre-wrap}
</style></head><body>
<h1>kg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 over the union of the article graphs. Endpoint: <code>/sparql</code>.</p>
<form id="f"><textarea id="q" name="query">PREFIX cm: <https://w3id.org/cmkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?subject ?relation ?object WHERE {
  ?s a cm:RelationStatement ; rdf:subject ?a ; rdf:predicate ?p ; rdf:object ?b .
  ?a rdfs:label ?subject . ?p rdfs:label ?relation . ?b rdfs:label ?object .
} LIMIT 50</textarea>
<p><button>Run</button> <span id="s"></span></p></form><div id="r"></div>
<script>
const f=document.getElementById("f"),r=document.getElementById("r"),s=document.getElementById("s");
function cell(b){return b===undefined?"":b.value}
f.onsubmit=async e=>{e.preventDefault();s.textContent="running…";r.textContent="";
 const t0=performance.now();
 const res=await fetch("sparql",{method:"POST",headers:{"Content-Type":"application/sparql-query",
   "Accept":"application/sparql-results+json, text/turtle;q=0.9"},
   body:document.getElementById("q").value});
 const text=await res.text();s.textContent=res.status+" in "+Math.round(performance.now()-t0)+" ms";
 const type=res.headers.get("Content-Type")||"";
 if(!res.ok||!type.includes("json")){
  const p=document.createElement("pre");p.textContent=text;r.append(p);return}
 const data=JSON.parse(text);
 if("boolean" in data){r.textContent=String(data.boolean);return}
 const tb=document.createElement("table"),h=tb.insertRow();
 for(const v of data.head.vars){const th=document.createElement("th");th.textContent=v;h.append(th)}
 for(const b of data.results.bindings){const row=tb.insertRow();
  for(const v of data.head.vars){row.insertCell().textContent=cell(b[v])}}
 r.append(tb);s.textContent+=", "+data.results.bindings.length+" rows"};
</script></body></html>
"""
