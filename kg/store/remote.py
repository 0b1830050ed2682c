"""A store behind any SPARQL 1.1 Query/Update and Graph Store Protocol server.

:class:`RemoteStore` offers the methods of :class:`~kg.store.GraphStore` that the pipeline, the
graph views and the exports use, over HTTP with the standard library. An article graph is replaced
by one SPARQL update request (``DROP SILENT GRAPH … ; INSERT DATA …``), which servers run as one
transaction; the data are written by pyoxigraph's N-Triples serialiser, never from raw text.

The URL is a server's base or its query endpoint. A base (``http://127.0.0.1:7878`` for an
``oxigraph serve``) gives ``/query``, ``/update`` and ``/store``, and queries fall back to
``/sparql`` when ``/query`` is not found (``kg serve``). A URL ending in ``/sparql`` or ``/query``
is the query endpoint itself: any plain SPARQL 1.1 Protocol endpoint can be read; writing and
dumping need the update and Graph Store Protocol endpoints beside it. Other layouts (Fuseki's
``/ds/query``, ``/ds/update``, ``/ds/data``) are given by keyword. The default graph is the
server's own: kg keeps there each fact once (:mod:`kg.store._facts`), with the same updates.
"""

from __future__ import annotations

import ipaddress
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.errors import QueryError, StoreError, UsageError
from kg.store._facts import REBUILD, replace_update
from kg.store.oxigraph import (
    GraphStore,
    bind_values,
    check_read_only_query,
    load_query,
    rows_of,
)

SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"


def is_endpoint(location: str | Path) -> bool:
    """Whether a ``--store`` value is an HTTP(S) endpoint rather than a folder.

    >>> is_endpoint("http://127.0.0.1:7878"), is_endpoint("./kg-demo/store")
    (True, False)
    """
    return str(location).lower().startswith(("http://", "https://"))


class RemoteStore:
    """A SPARQL 1.1 server used as the store.

    >>> store = RemoteStore("http://127.0.0.1:7878/")
    >>> store.query_url, store.update_url, store.store_url
    ('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
    >>> RemoteStore("http://127.0.0.1:7878/sparql").query_url
    'http://127.0.0.1:7878/sparql'
    """

    path = None

    def __init__(
        self,
        url: str,
        *,
        query_url: str | None = None,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout: float = 300.0,
    ) -> None:
        if not is_endpoint(url):
            raise UsageError(f"{url}: not an http:// or https:// endpoint URL")
        self.url = url.rstrip("/")
        path = urllib.parse.urlsplit(self.url).path
        endpoint = path.rsplit("/", 1)[-1] in {"sparql", "query"}
        base = self.url.rsplit("/", 1)[0] if endpoint else self.url
        # Where to look for the query endpoint when the first choice is not found.
        self._fallback = None if endpoint or query_url else f"{base}/sparql"
        self.query_url = query_url or (self.url if endpoint else f"{base}/query")
        self.update_url = update_url or f"{base}/update"
        self.store_url = store_url or f"{base}/store"
        self.timeout = timeout
        host = urllib.parse.urlsplit(self.url).hostname or ""
        # Loopback servers are reached directly, whatever proxy the environment names.
        handlers = [urllib.request.ProxyHandler({})] if _is_loopback(host) else []
        self._opener = urllib.request.build_opener(*handlers)

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"

    def __len__(self) -> int:
        rows = self.select(load_query("_count_quads"))
        return int(rows[0]["quads"]) if rows else 0

    def graph_value(self, graph: str, predicate: str) -> str | None:
        """One value of ``predicate`` inside ``graph`` (e.g. an article's content hash)."""
        rows = self.select(
            load_query("_graph_value"),
            {"graph": ox.NamedNode(graph), "predicate": ox.NamedNode(predicate)},
        )
        return str(rows[0]["value"]) if rows else None

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        """Replace a named graph by ``quads`` with one update request: all of it or nothing
        (the graph's facts in the default graph too)."""
        name = ox.NamedNode(graph)
        quads = [ox.Quad(q.subject, q.predicate, q.object, name) for q in quads]
        self._update(replace_update(graph, quads), f"cannot write graph {graph}")

    def rebuild_default_graph(self) -> None:
        """Make the default graph again from the facts of the named graphs (one request)."""
        self._update(REBUILD, "cannot rebuild the default graph")

    def _update(self, update: str, what: str) -> None:
        self._send(
            "POST",
            self.update_url,
            update.encode(),
            {"Content-Type": "application/sparql-update; charset=utf-8"},
            StoreError,
            what,
        )

    def replace_graphs(self, graphs: Iterable[tuple[str, Iterable[ox.Quad]]]) -> int:
        """Replace many named graphs, one update request each (as :meth:`replace_graph`);
        returns the quads written."""
        written = 0
        for graph, quads in graphs:
            quads = list(quads)
            self.replace_graph(graph, quads)
            written += len(quads)
        return written

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Any:
        """Run a read-only query; results come back as pyoxigraph objects, as from GraphStore."""
        check_read_only_query(sparql)
        sparql = bind_values(sparql, bindings)
        request = (
            urllib.parse.urlencode({"query": sparql}).encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": f"{SPARQL_JSON}, {N_TRIPLES};q=0.9",
            },
            QueryError,
            "query failed",
        )
        try:
            body, content_type = self._send("POST", self.query_url, *request)
        except NotFound:
            if self._fallback is None:
                raise
            # No /query here: a plain SPARQL 1.1 endpoint at /sparql (kg serve) is tried once.
            self.query_url, self._fallback = self._fallback, None
            body, content_type = self._send("POST", self.query_url, *request)
        if content_type.startswith(SPARQL_JSON) or content_type.startswith("application/json"):
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        rdf_format = ox.RdfFormat.from_media_type(content_type) or ox.RdfFormat.N_TRIPLES
        # A CONSTRUCT or DESCRIBE answer, handed back as pyoxigraph's own triple iterator.
        scratch = ox.Store()
        scratch.load(body, format=rdf_format)
        return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")

    def select(
        self, sparql: str, bindings: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Rows of a SELECT query as dicts of Python values (str, int, float, or None)."""
        return rows_of(self.query(sparql, bindings))

    def dump(self, output: str | Path | IO[bytes], fmt: ox.RdfFormat) -> None:
        """Write the whole store, fetched as N-Quads through the Graph Store Protocol."""
        body, _ = self._send(
            "GET", self.store_url, None, {"Accept": N_QUADS}, StoreError, "cannot read the store"
        )
        local = GraphStore(None)
        local.raw.load(body, format=ox.RdfFormat.N_QUADS)
        local.dump(output, fmt)

    def flush(self) -> None:
        """Nothing to do: the server made each update durable when it answered."""

    def _send(
        self,
        method: str,
        url: str,
        data: bytes | None,
        headers: dict[str, str],
        error: type[StoreError] | type[QueryError],
        what: str,
    ) -> tuple[bytes, str]:
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            reason = detail[0][:300] if detail else exc.reason
            kind = NotFound if exc.code == 404 else error
            raise kind(f"{what}: {url} answered {exc.code} ({reason})") from None
        except (urllib.error.URLError, OSError) as exc:
            cause = exc.reason if isinstance(exc, urllib.error.URLError) else exc
            raise StoreError(f"{self.url}: cannot reach the SPARQL endpoint ({cause})") from None


class NotFound(StoreError):
    """The server answered 404: no such endpoint there."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
