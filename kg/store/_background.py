"""Article graphs committed by a writer thread while the next articles are being analysed.

RocksDB writes (and a remote store's HTTP requests) run with the GIL released, so on a machine
with a spare core they cost the build almost nothing if spaCy goes on meanwhile. The writer
commits graphs in the order they were given, one transaction each, exactly as the build would;
graphs queued but not yet committed stay visible through :meth:`BackgroundWriter.pending_value`,
so a build still sees an article it has just written (a duplicate in the input).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence
from types import TracebackType
from typing import Protocol

import pyoxigraph as ox


class WritableStore(Protocol):
    """What the writer needs of a store (:class:`GraphStore` and :class:`RemoteStore` have it)."""

    def replace_graph(self, graph: str, quads: Sequence[ox.Quad]) -> None: ...

    def flush(self) -> None: ...


class BackgroundWriter:
    """Replace named graphs of ``store`` in a writer thread, in order, one transaction each.

    At most ``backlog`` graphs wait in memory; :meth:`put` blocks when they are all waiting, so
    memory stays bounded. ``flush_every`` commits are followed by a flush of the store. A
    failure in the writer is raised by the next :meth:`put` or by :meth:`close`; nothing after
    the failed graph is written.

    >>> from kg.store import GraphStore
    >>> store = GraphStore(None)
    >>> g = ox.NamedNode("urn:g")
    >>> with BackgroundWriter(store) as writer:
    ...     writer.put("urn:g", [ox.Quad(g, g, ox.Literal("v"), g)], {"urn:g": "v"})
    >>> store.graph_value("urn:g", "urn:g")
    'v'
    """

    def __init__(self, store: WritableStore, *, backlog: int = 32, flush_every: int = 100) -> None:
        self.store = store
        self.flush_every = flush_every
        # Graphs to write, in order; None asks the writer to finish.
        self._queue: queue.Queue[tuple[str, Sequence[ox.Quad]] | None] = queue.Queue(backlog)
        self._pending: dict[str, list[dict[str, str]]] = {}  # queued values, oldest first
        self._lock = threading.Lock()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="kg-store-writer", daemon=True)
        self._thread.start()

    def put(self, graph: str, quads: Sequence[ox.Quad], values: dict[str, str]) -> None:
        """Queue ``graph`` to be replaced by ``quads``; ``values`` are predicate → value pairs
        of the graph (its content hash) that :meth:`pending_value` answers until it is written."""
        self._raise_error()
        with self._lock:
            self._pending.setdefault(graph, []).append(values)
        while True:
            try:
                self._queue.put((graph, quads), timeout=0.5)
                return
            except queue.Full:
                self._raise_error()  # the writer stopped: do not wait for room forever

    def pending_value(self, graph: str, predicate: str) -> str | None:
        """``predicate``'s value in a graph queued but not yet committed, else None."""
        with self._lock:
            queued = self._pending.get(graph)
            return queued[-1].get(predicate) if queued else None

    def is_pending(self, graph: str) -> bool:
        """Whether ``graph`` is queued and not yet committed."""
        with self._lock:
            return graph in self._pending

    def close(self) -> None:
        """Wait for every queued graph to be committed, flush, and raise the writer's error."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._raise_error()

    def __enter__(self) -> BackgroundWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
            return
        # The build failed or was interrupted: commit what was queued (each graph is whole),
        # then let the original error through.
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def _raise_error(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _run(self) -> None:
        written = 0
        while True:
            item = self._queue.get()
            if item is None:
                break
            if self._error is not None:
                continue  # drain after a failure, writing nothing more
            graph, quads = item
            try:
                self.store.replace_graph(graph, quads)
                written += 1
                if written % self.flush_every == 0:
                    self.store.flush()
            except BaseException as exc:
                self._error = exc
            finally:
                with self._lock:
                    queued = self._pending[graph]
                    queued.pop(0)
                    if not queued:
                        del self._pending[graph]
        if self._error is None:
            try:
                self.store.flush()
            except BaseException as exc:
                self._error = exc
