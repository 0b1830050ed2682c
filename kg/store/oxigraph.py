"""The embedded pyoxigraph store, and the named SPARQL queries of ``ontology/queries``."""

from __future__ import annotations

import os
import re
import weakref
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.errors import QueryError, StoreError, StoreLockedError, UsageError
from kg.resources import ontology_file, ontology_files
from kg.store._facts import REBUILD, default_quads, replace_update
from kg.store._guard import check_read_only_query
from kg.store._lock import lock_store
from kg.store._marker import check_folder, is_store, mark

CM = "https://w3id.org/cmkg/ontology#"


def named_queries() -> dict[str, str]:
    """Named analyst queries: file stem → SPARQL text (files starting with ``_`` are internal)."""
    return {
        f.name[:-3]: f.read_text("utf-8")
        for f in ontology_files("queries", ".rq")
        if not f.name.startswith("_")
    }


def load_query(name: str) -> str:
    """The text of a named query, internal ones included; the error lists the valid names."""
    resource = ontology_file("queries", f"{name}.rq")
    if not resource.is_file():
        raise UsageError(
            f"no named query {name!r}; choose one of: {', '.join(sorted(named_queries()))}"
        )
    return resource.read_text("utf-8")


def _term(value: Any) -> ox.NamedNode | ox.Literal:
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value
    text = str(value)
    if re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]+$", text, re.I) and text.split(":", 1)[0] in {
        "http",
        "https",
        "urn",
    }:
        return ox.NamedNode(text)
    return ox.Literal(text)


def bind_values(sparql: str, bindings: Mapping[str, Any] | None) -> str:
    """``sparql`` with a trailing ``VALUES`` clause binding variables to IRIs or strings.

    A trailing VALUES clause binds any variable, projected or not; each term is written by
    pyoxigraph's own serialiser, so a value can never close the clause early.

    >>> print(bind_values("SELECT ?x WHERE { ?x ?p ?o }", {"o": "a } ; DROP ALL"}))
    SELECT ?x WHERE { ?x ?p ?o }
    VALUES (?o) { ("a } ; DROP ALL") }
    """
    terms = {k: _term(v) for k, v in (bindings or {}).items()}
    bad = [k for k in terms if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k)]
    if bad:
        raise UsageError(f"not a SPARQL variable name: {bad[0]!r}")
    if not terms:
        return sparql
    names = " ".join(f"?{k}" for k in terms)
    row = " ".join(str(t) for t in terms.values())
    return f"{sparql.rstrip()}\nVALUES ({names}) {{ ({row}) }}"


class GraphStore:
    """An Oxigraph store on disk (``path``) or in memory (``path=None``).

    ``read_only`` opens a store on disk for reading only, beside other readers (a ``kg serve``)
    and on a copy without write permission; a writer has it alone (:mod:`kg.store._lock`).

    >>> store = GraphStore(None)
    >>> store.replace_graph("https://w3id.org/cmkg/graph/x", [])
    >>> len(store)
    0
    """

    def __init__(
        self, path: str | Path | None, *, must_exist: bool = False, read_only: bool = False
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only and self.path is not None
        if self.path is not None:
            if self.path.exists() and not self.path.is_dir():
                raise StoreError(f"{self.path}: not a folder")
            check_folder(self.path)  # before RocksDB touches a folder of someone else's files
            if must_exist and not is_store(self.path):
                raise StoreError(
                    f"{self.path}: no kg store here (run 'kg build PATH --store {self.path}' first)"
                )
            lock = lock_store(self.path, shared=self.read_only)
            if lock is not None:
                weakref.finalize(self, os.close, lock)  # held while the store is open
        try:
            if self.path is None:
                self._store = ox.Store()
            elif self.read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(
                    f"{self.path}: the store is in use by another kg process "
                    "(only one may open it at a time)"
                ) from None
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from None
        if self.path is not None and not self.read_only:
            mark(self.path)

    def __len__(self) -> int:
        return len(self._store)

    @property
    def raw(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store`."""
        return self._store

    def graph_value(self, graph: str, predicate: str) -> str | None:
        """One value of ``predicate`` inside ``graph`` (e.g. an article's content hash)."""
        for quad in self._store.quads_for_pattern(
            None, ox.NamedNode(predicate), None, ox.NamedNode(graph)
        ):
            term = quad.object
            return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)
        return None

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> None:
        """Replace a named graph by ``quads`` in one transaction: all of it or nothing.

        The default graph keeps the facts of every graph (:mod:`kg.store._facts`) in the same
        transaction.
        """
        name = ox.NamedNode(graph)
        quads = list(quads)
        if any(q.graph_name != name for q in quads):
            quads = list(_in_graph(quads, name))
        if not self._store.contains_named_graph(name):
            # A new graph: one plain transaction, without a SPARQL round trip (twice as fast).
            # A list, not a generator: pyoxigraph then holds the GIL only to copy it.
            try:
                self._store.extend(quads + default_quads(name, quads))
            except OSError as exc:
                raise StoreError(f"cannot write graph {graph}: {exc}") from None
            return
        try:
            self._store.update(replace_update(graph, quads))
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"cannot write graph {graph}: {exc}") from None

    def replace_graphs(self, graphs: Iterable[tuple[str, Iterable[ox.Quad]]]) -> int:
        """Replace many named graphs; returns the quads written.

        Graphs already in the store are replaced one transaction each, as :meth:`replace_graph`
        does. The new ones go through Oxigraph's bulk loader, three to ten times faster and with
        the GIL released, but not atomic: so their ``cm:contentHash`` quads, and their facts in
        the default graph, are written last, in one transaction. A graph cut short by a crash
        has no hash yet, and the next build replaces it whole. A graph given twice is written as
        given last.

        >>> store = GraphStore(None)
        >>> g, h = ox.NamedNode("urn:g"), ox.NamedNode(CM + "contentHash")
        >>> store.replace_graphs([("urn:g", [ox.Quad(g, h, ox.Literal("0"), g)])])
        1
        >>> store.graph_value("urn:g", CM + "contentHash")
        '0'
        """
        fresh: dict[str, list[ox.Quad]] = {}
        written = 0
        for graph, quads in graphs:
            name = ox.NamedNode(graph)
            if graph in fresh or not self._store.contains_named_graph(name):
                fresh[graph] = list(_in_graph(quads, name))
                continue
            quads = list(quads)
            self.replace_graph(graph, quads)
            written += len(quads)
        hash_predicate = ox.NamedNode(CM + "contentHash")
        body: list[ox.Quad] = []
        last: list[ox.Quad] = []
        facts: dict[ox.Quad, None] = {}  # articles of a group share many facts: each once
        for graph, quads in fresh.items():
            written += len(quads)
            for quad in quads:
                (last if quad.predicate == hash_predicate else body).append(quad)
            facts.update(dict.fromkeys(default_quads(ox.NamedNode(graph), quads)))
        last.extend(facts)
        try:
            if body:
                # Lenient: pyoxigraph wrote these bytes from terms it has checked already;
                # parsing them again without the checks costs a sixth less.
                data = ox.serialize(body, format=ox.RdfFormat.N_QUADS)
                self._store.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
            self._store.extend(last)
        except OSError as exc:
            raise StoreError(f"cannot bulk load the store: {exc}") from None
        return written

    def rebuild_default_graph(self) -> None:
        """Make the default graph again from the facts of the named graphs (one transaction).

        >>> store = GraphStore(None)
        >>> store.raw.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c")))
        >>> store.rebuild_default_graph()
        >>> len(store)
        0
        """
        try:
            self._store.update(REBUILD)
        except OSError as exc:
            raise StoreError(f"cannot rebuild the default graph: {exc}") from None

    def lacks_default_graph(self) -> bool:
        """Whether the store has named graphs but no default graph of facts (written by a kg
        older than the default graph).

        >>> GraphStore(None).lacks_default_graph()
        False
        """
        default = self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        if next(default, None) is not None:
            return False
        return next(iter(self._store.named_graphs()), None) is not None

    def has_article_graphs(self, ontology_graph: str) -> bool:
        """Whether any named graph other than ``ontology_graph`` is in the store.

        >>> GraphStore(None).has_article_graphs("urn:ontology")
        False
        """
        return any(g.value != ontology_graph for g in self._store.named_graphs())

    def bulk_load_partitions(self, partitions: Iterable[tuple[Path, Path]]) -> None:
        """Load N-Quads partitions of new graphs: ``(data, hashes)`` file pairs.

        A bulk-load helper for a store that has none of these graphs yet: the data files go
        through Oxigraph's bulk loader (fast, not atomic), then, once they are flushed to disk,
        each hash file in one transaction: the ``cm:contentHash`` quads of its graphs and their
        facts in the default graph (:func:`kg.store.default_quads`). A graph cut short by a
        crash has no hash, so the next build replaces it whole.

        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> data, hashes = folder / "p.nq", folder / "p.hash.nq"
        >>> _ = data.write_text("<urn:s> <urn:p> <urn:o> <urn:g> .\\n")
        >>> _ = hashes.write_text(f'<urn:g> <{CM}contentHash> "0" <urn:g> .\\n')
        >>> store = GraphStore(folder / "store")
        >>> store.bulk_load_partitions([(data, hashes)])
        >>> len(store), store.graph_value("urn:g", CM + "contentHash")
        (2, '0')
        """
        partitions = list(partitions)
        try:
            for data, _ in partitions:
                self._store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
            self.flush()
            for _, hashes in partitions:
                self._store.load(path=str(hashes), format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"cannot bulk load the store: {exc}") from None

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Any:
        """Run a read-only query, with variables bound safely.

        The default graph holds each fact once; the named graphs (``GRAPH ?g``) hold each
        article's statements, evidence and provenance, the ontology and analysis results.
        """
        check_read_only_query(sparql)
        sparql = bind_values(sparql, bindings)
        try:
            return self._store.query(sparql)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from None

    def select(
        self, sparql: str, bindings: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Rows of a SELECT query as dicts of Python values (str, int, float, or None)."""
        return rows_of(self.query(sparql, bindings))

    def dump(self, output: str | Path | IO[bytes], fmt: ox.RdfFormat) -> None:
        """Write the whole store to a file or a binary stream (named graphs kept where the
        format allows)."""
        target = str(output) if isinstance(output, str | Path) else output
        if fmt.supports_datasets:
            self._store.dump(target, fmt, prefixes=PREFIXES)
        else:
            _dump_union(self._store, target, fmt)

    def flush(self) -> None:
        """Make sure what was written is on disk."""
        if self.path is not None:
            self._store.flush()


def _in_graph(quads: Iterable[ox.Quad], name: ox.NamedNode) -> Iterator[ox.Quad]:
    for q in quads:
        yield q if q.graph_name == name else ox.Quad(q.subject, q.predicate, q.object, name)


def _dump_union(store: ox.Store, target: str | IO[bytes], fmt: ox.RdfFormat) -> None:
    triples = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None)
    }
    ox.serialize(sorted(triples, key=str), target, fmt, prefixes=PREFIXES)


#: Prefixes for readable Turtle, TriG and validation reports.
PREFIXES = {
    "cm": CM,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
}


def rows_of(result: Any) -> list[dict[str, Any]]:
    """The rows of SELECT results as dicts of Python values (str, int, float, or None).

    >>> store = GraphStore(None)
    >>> rows_of(store.raw.query("SELECT ?n ?x ?s WHERE { BIND(1 AS ?n) BIND(0.5 AS ?x) }"))
    [{'n': 1, 'x': 0.5, 's': None}]
    """
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("expected a SELECT query")
    names = [v.value for v in result.variables]
    # A solution iterates its values in the order of the variables, unbound ones as None.
    return [dict(zip(names, map(_python, row), strict=True)) for row in result]


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = frozenset(ox.NamedNode(_XSD + t) for t in ("integer", "long", "int", "short"))
_FLOATS = frozenset(ox.NamedNode(_XSD + t) for t in ("decimal", "double", "float"))


def _python(term: Any) -> Any:
    if term is None:
        return None
    if type(term) is ox.Literal:
        datatype = term.datatype
        if datatype in _INTEGERS:
            return int(term.value)
        if datatype in _FLOATS:
            return float(term.value)
    return term.value
