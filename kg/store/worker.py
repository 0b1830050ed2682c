"""Queries in worker processes, killed at a wall-clock deadline.

pyoxigraph cannot cancel a running query from Python, so the endpoint runs each one in a worker
process that has the store open read-only (:meth:`pyoxigraph.Store.read_only`). A worker that is
still busy when the time limit runs out is killed and replaced; a SELECT stops after ``max_rows``
rows (the answer then says so in an ``X-SPARQL-MaxRows`` header), so neither a cartesian product
nor a huge result can hold the server.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import signal
import threading
import time
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import StoreError
from kg.store.description import PREFIXES, service_description
from kg.store.results import CONTENT_TYPES, GRAPH_TYPES, RESULT_TYPES, negotiate, write_solutions


@dataclass(frozen=True, slots=True)
class Job:
    """A query to run: the text, the client's Accept header, dataset parameters, and the base
    IRI relative IRIs resolve against (the endpoint's URL). ``describe`` asks for the service
    description of the endpoint at ``base`` instead of a query."""

    sparql: str
    accept: str | None = None
    fmt: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base: str | None = None
    describe: bool = False


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer: status, content type, body and extra headers."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def text(cls, status: int, message: str) -> Answer:
        """A plain-text answer (errors)."""
        return cls(status, "text/plain; charset=utf-8", (message + "\n").encode())


def execute(store: ox.Store, job: Job, max_rows: int) -> Answer:
    """Run ``job`` on ``store`` and serialise the result as the client asked.

    >>> store = ox.Store()
    >>> answer = execute(store, Job("ASK { }", accept="application/sparql-results+json"), 10)
    >>> answer.status, answer.body
    (200, b'{"head":{},"boolean":true}')
    >>> execute(store, Job("SELECT ?x WHERE { VALUES ?x { 1 2 3 } }", fmt="csv"), 2).headers
    {'X-SPARQL-MaxRows': '2'}
    >>> execute(store, Job("ASK { }", accept="text/csv"), 10).body
    b'true'
    >>> execute(store, Job("CONSTRUCT { <s> <p> 1 } WHERE {}", base="http://h/sparql"), 1).body
    b'<http://h/s> <http://h/p> 1 .\\n'
    """
    if job.describe:
        return _describe(store, job)
    options: dict[str, Any] = {"base_iri": job.base}
    if job.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    if job.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    try:
        result = store.query(job.sparql, **options)
        if isinstance(result, ox.QueryTriples):
            media = negotiate(job.accept, list(GRAPH_TYPES), job.fmt)
            if media is None:
                return Answer.text(406, f"no acceptable format; offered: {', '.join(GRAPH_TYPES)}")
            triples = list(islice(result, max_rows + 1))
            headers = _cap(triples, max_rows)
            rdf_format = GRAPH_TYPES[media]
            body = ox.serialize(triples, format=rdf_format) or b""
            return Answer(200, f"{rdf_format.media_type}; charset=utf-8", body, headers)
        media = negotiate(job.accept, list(RESULT_TYPES), job.fmt)
        if media is None:
            return Answer.text(406, f"no acceptable format; offered: {', '.join(RESULT_TYPES)}")
        key = RESULT_TYPES[media]
        if isinstance(result, ox.QueryBoolean):
            body = result.serialize(format=_BOOLEAN_FORMATS[key]) or b""
            return Answer(200, CONTENT_TYPES[key], body)
        variables = [v.value for v in result.variables]
        rows = list(islice(result, max_rows + 1))
        headers = _cap(rows, max_rows)
        return Answer(200, CONTENT_TYPES[key], write_solutions(variables, rows, key), headers)
    except SyntaxError as exc:
        return Answer.text(400, f"SPARQL syntax error: {exc}")
    except (OSError, ValueError, RuntimeError) as exc:
        return Answer.text(500, f"query failed: {exc}")


#: ASK answers in each result format (CSV and TSV hold the bare ``true`` or ``false``).
_BOOLEAN_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def _describe(store: ox.Store, job: Job) -> Answer:
    """The service description of the endpoint at ``job.base``, in the format asked for."""
    media = negotiate(job.accept, list(GRAPH_TYPES), job.fmt)
    if media is None:
        return Answer.text(406, f"no acceptable format; offered: {', '.join(GRAPH_TYPES)}")
    rdf_format = GRAPH_TYPES[media]
    triples = service_description(store, job.base or "http://localhost/sparql")
    body = ox.serialize(triples, format=rdf_format, prefixes=PREFIXES) or b""
    return Answer(200, f"{rdf_format.media_type}; charset=utf-8", body)


def _cap(items: list[Any], max_rows: int) -> dict[str, str]:
    if len(items) <= max_rows:
        return {}
    del items[max_rows:]
    return {"X-SPARQL-MaxRows": str(max_rows)}


def _worker_main(path: str, conn: Connection, max_rows: int) -> None:
    """A worker: open the store read-only, then answer jobs until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        store = ox.Store.read_only(path)
    except OSError as exc:
        conn.send(("error", str(exc)))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(execute(store, job, max_rows))


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection


class QueryPool:
    """Worker processes that run queries with a wall-clock time limit and a row cap."""

    def __init__(
        self, path: str | Path, *, workers: int = 2, timeout: float = 10.0, max_rows: int = 100_000
    ) -> None:
        self.path = str(path)
        self.timeout = timeout
        self.max_rows = max_rows
        self._context = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._spawners: list[threading.Thread] = []
        started = [self._start() for _ in range(workers)]
        try:
            for worker in started:
                self._wait_ready(worker)
                self._idle.put(worker)
        except StoreError:
            self.close()
            raise

    @property
    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.is_alive()]

    def run(self, job: Job) -> Answer:
        """Run ``job`` in an idle worker; 503 when none frees up or the time limit is hit."""
        deadline = time.monotonic() + self.timeout
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return Answer.text(503, "all query workers are busy; try again later")
        try:
            worker.conn.send(job)
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                answer: Answer = worker.conn.recv()
                self._idle.put(worker)
                return answer
        except (EOFError, OSError):
            self._replace(worker)
            return Answer.text(500, "the query worker died; the query was not answered")
        self._replace(worker)
        return Answer.text(503, f"query stopped: it ran past the time limit of {self.timeout:g} s")

    def close(self) -> None:
        """Stop every worker (and wait for them to end)."""
        with self._lock:
            self._closed = True
            spawners = list(self._spawners)
        for thread in spawners:
            thread.join(60)
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            _stop(worker, graceful=True)

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main,
            args=(self.path, child, self.max_rows),
            name="kg-sparql-worker",
            daemon=True,
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _wait_ready(self, worker: _Worker) -> None:
        if not worker.conn.poll(60):
            raise StoreError(f"{self.path}: a query worker did not start")
        try:
            status, detail = worker.conn.recv()
        except EOFError:
            status, detail = "error", "the worker process ended"
        if status != "ready":
            raise StoreError(f"{self.path}: cannot open the store read-only ({detail})")

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
            closed = self._closed
        _stop(worker)
        if not closed:
            thread = threading.Thread(target=self._add_worker, daemon=True)
            with self._lock:
                self._spawners = [t for t in self._spawners if t.is_alive()] + [thread]
            thread.start()

    def _add_worker(self) -> None:
        worker = self._start()
        try:
            self._wait_ready(worker)
        except StoreError:
            with self._lock:
                self._workers.discard(worker)
            _stop(worker)
            return
        self._idle.put(worker)


def _stop(worker: _Worker, graceful: bool = False) -> None:
    if graceful and worker.process.is_alive():
        try:
            worker.conn.send(None)
            worker.process.join(1)
        except OSError:
            pass
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join(5)
    worker.conn.close()
