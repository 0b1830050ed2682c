"""Article graphs made and written by a writer thread while the next articles are analysed.

The writer takes the graphs in the order they were given, in groups of ``group`` graphs; it makes
their quads when it is given a function for them (a build's RDF mapping runs there, while the
analysis thread is inside spaCy with the GIL released) and hands each group to the store's
``replace_graphs``: the embedded store bulk-loads the new graphs of a group (Oxigraph's bulk
loader, with the GIL released, is three times as fast as a transaction per article once a group
holds a few dozen articles) and writes their content hashes last; a remote store sends one
update request per graph. Graphs queued but not yet written stay
visible through :meth:`BackgroundWriter.pending_value`, so a build still sees an article it has
just written (a duplicate in the input).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import Protocol

import pyoxigraph as ox

#: A graph's quads, or a function that makes them.
Quads = Sequence[ox.Quad] | Callable[[], Sequence[ox.Quad]]


class WritableStore(Protocol):
    """What the writer needs of a store (:class:`GraphStore` and :class:`RemoteStore` have it)."""

    def replace_graphs(self, graphs: Iterable[tuple[str, Iterable[ox.Quad]]]) -> int: ...

    def flush(self) -> None: ...


class BackgroundWriter:
    """Replace named graphs of ``store`` in a writer thread, in order, a group at a time.

    At most ``backlog`` graphs wait in the queue, besides the group being gathered; :meth:`put`
    blocks when the queue is full, so memory stays bounded. The store is flushed after every
    ``flush_every`` graphs. A failure in the writer is raised by the next :meth:`put` or by
    :meth:`close`; nothing after the failed group is written.

    >>> from kg.store import GraphStore
    >>> store = GraphStore(None)
    >>> g = ox.NamedNode("urn:g")
    >>> with BackgroundWriter(store) as writer:
    ...     writer.put("urn:g", [ox.Quad(g, g, ox.Literal("v"), g)], {"urn:g": "v"})
    >>> store.graph_value("urn:g", "urn:g")
    'v'
    """

    def __init__(
        self,
        store: WritableStore,
        *,
        backlog: int = 32,
        flush_every: int = 100,
        group: int = 64,
    ) -> None:
        self.store = store
        self.flush_every = flush_every
        self.group = group
        #: Quads written so far.
        self.written = 0
        # Graphs to write, in order; None asks the writer to finish.
        self._queue: queue.Queue[tuple[str, Quads] | None] = queue.Queue(backlog)
        self._pending: dict[str, list[dict[str, str]]] = {}  # queued values, oldest first
        self._lock = threading.Lock()
        self._error: BaseException | None = None
        # Set for good at the first failure: raising the error (once) must not let the writer
        # go on writing the groups queued after it.
        self._failed = False
        self._thread = threading.Thread(target=self._run, name="kg-store-writer", daemon=True)
        self._thread.start()

    def put(self, graph: str, quads: Quads, values: dict[str, str]) -> None:
        """Queue ``graph`` to be replaced by ``quads``, or by what the function ``quads`` returns
        when the writer calls it (a build maps its articles to RDF there, off the analysis
        thread). ``values`` are predicate → value pairs of the graph (its content hash) that
        :meth:`pending_value` answers until it is written."""
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

    def _next_group(self) -> tuple[list[tuple[str, Sequence[ox.Quad]]], bool]:
        """The next graphs to write, and whether the build has finished.

        Quads are made as their graphs arrive, so that at the end of a build only the last
        group's write remains. After a failure, graphs are taken off the queue and dropped.
        """
        group: list[tuple[str, Sequence[ox.Quad]]] = []
        while len(group) < self.group:
            item = self._queue.get()
            if item is None:
                return group, True
            graph, quads = item
            if callable(quads) and not self._failed:
                try:
                    quads = quads()
                except BaseException as exc:
                    self._fail(exc)
            group.append((graph, quads if not callable(quads) else []))
        return group, False

    def _run(self) -> None:
        graphs = 0
        finished = False
        while not finished:
            group, finished = self._next_group()
            if not group or self._failed:
                self._done(group)  # after a failure: drain, writing nothing more
                continue
            try:
                self.written += self.store.replace_graphs(group)
                if (graphs + len(group)) // self.flush_every > graphs // self.flush_every:
                    self.store.flush()
                graphs += len(group)
            except BaseException as exc:
                self._fail(exc)
            finally:
                self._done(group)
        if not self._failed:
            try:
                self.store.flush()
            except BaseException as exc:
                self._fail(exc)

    def _fail(self, error: BaseException) -> None:
        self._error, self._failed = error, True

    def _done(self, group: list[tuple[str, Sequence[ox.Quad]]]) -> None:
        """Forget the queued values of graphs written (or given up)."""
        with self._lock:
            for graph, _ in group:
                queued = self._pending[graph]
                queued.pop(0)
                if not queued:
                    del self._pending[graph]
