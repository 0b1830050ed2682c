"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over an on-disk store.

``/sparql`` takes queries by GET (``?query=``) and POST (form or ``application/sparql-query``) and
answers SELECT/ASK as SPARQL JSON, XML, CSV or TSV and CONSTRUCT/DESCRIBE as Turtle or N-Triples,
by content negotiation; relative IRIs resolve against the endpoint's URL. Updates are answered
403; queries naming ``SERVICE`` or ``LOAD`` are refused with 400 before anything runs (by a
parser, :mod:`kg.store._guard`), so the server never fetches anything. Each query runs in a
worker process (:mod:`kg.store.worker`) killed at the time limit. A GET of ``/sparql`` without a
query answers the SPARQL 1.1 Service Description (:mod:`kg.store.description`). Answers carry
CORS headers (any origin by default, the endpoint being read-only) and preflight requests are
answered, so query tools in a page on another origin can use it. ``/`` serves a small query page
that needs no network, reads ``?query=`` from its address and links result IRIs to their facts.
"""

from __future__ import annotations

import json
import re
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
from kg.resources import data_file
from kg.store import GraphStore, check_read_only_query, is_endpoint, load_query
from kg.store.worker import Answer, Job, QueryPool

MAX_BODY = 1_000_000
_UPDATE_TYPES = ("application/sparql-update",)


class SparqlServer:
    """The endpoint: an HTTP server, a pool of query workers, and a reader's lock on the store.

    The store is held open read-only for as long as the server runs: other readers (``kg
    query``) may open it too, and a ``kg build`` on the same folder fails fast instead of
    changing the data under the workers' feet. ``cors`` is ``*`` (any origin), the
    space-separated origins allowed to read answers in a browser, or None (no CORS headers).
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
        cors: str | None = "*",
    ) -> None:
        if is_endpoint(store):
            raise UsageError("kg serve needs a store folder, not an endpoint URL")
        self._guard: GraphStore | None = GraphStore(store, must_exist=True, read_only=True)
        self.pool = QueryPool(store, workers=workers, timeout=timeout, max_rows=max_rows)
        try:
            self.httpd = _HTTPServer((host, port), _Handler)
        except OSError as exc:
            self.pool.close()
            self._guard = None
            raise StoreError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        self.httpd.pool = self.pool
        self.httpd.cors = cors.split() if cors else []
        self.httpd.page = page()
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
    cors: list[str]
    page: bytes


def page() -> bytes:
    """The query page, with the named query ``entity_facts`` that its result links run.

    >>> b'const ENTITY_FACTS = "# An entity' in page()
    True
    """
    facts = json.dumps(load_query("entity_facts")).replace("</", "<\\/")
    html = data_file("sparql.html").read_text("utf-8")
    return html.replace('/*ENTITY_FACTS*/""', facts).encode()


#: A Host header that names a host and port, usable in the endpoint's URL.
_HOST = re.compile(r"[A-Za-z0-9.-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = f"kg-sparql/{__version__}"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: one line per request would drown the terminal; errors are still answered."""

    def do_GET(self) -> None:
        path, _, query_string = self.path.partition("?")
        if path in {"/", "/index.html"}:
            self._send(Answer(200, "text/html; charset=utf-8", self.server.page))
        elif path == "/sparql" and not query_string:
            accept = self.headers.get("Accept")
            self._send(self.server.pool.run(Job("", accept, base=self._endpoint(), describe=True)))
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

    def do_OPTIONS(self) -> None:
        """A CORS preflight: the methods and headers a page on another origin may use."""
        path = self.path.partition("?")[0]
        if path not in {"/", "/index.html", "/sparql"}:
            self._send(Answer.text(404, f"not found: {path} (the endpoint is /sparql)"))
            return
        asked = self.headers.get("Access-Control-Request-Headers") or ""
        headers = {
            "Allow": "GET, HEAD, POST, OPTIONS",
            "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
            "Access-Control-Allow-Headers": ", ".join(re.findall(r"[A-Za-z0-9-]+", asked))
            or "Accept, Content-Type",
            "Access-Control-Max-Age": "600",
        }
        self._send(Answer(204, "text/plain; charset=utf-8", b"", headers))

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
            base=self._endpoint(),
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
            for key, value in {**self._cors(), **answer.headers}.items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _cors(self) -> dict[str, str]:
        """CORS headers: which origins may read the answer in a browser."""
        allowed = self.server.cors
        if not allowed:
            return {}
        expose = {"Access-Control-Expose-Headers": "X-SPARQL-MaxRows"}
        if "*" in allowed:
            return {"Access-Control-Allow-Origin": "*", **expose}
        origin = self.headers.get("Origin")
        if origin in allowed:
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin", **expose}
        return {"Vary": "Origin"}

    def _endpoint(self) -> str:
        """The endpoint's URL as the client addressed it: the base of relative IRIs."""
        host = self.headers.get("Host") or ""
        if not _HOST.fullmatch(host):
            address, port = (str(part) for part in self.server.server_address[:2])
            host = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
        return f"http://{host}/sparql"
