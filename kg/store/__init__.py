"""Store: the embedded Oxigraph database on disk (or in memory), with one named graph per article.

A build replaces a changed article's graph in one transaction and bulk-loads new ones in groups,
their content hashes written last (:meth:`GraphStore.replace_graphs`). The default graph holds
the facts of all named graphs, each once (:mod:`kg.store._facts`). Readers open a store
read-only, any number at a time; a writer has it alone (:mod:`kg.store._lock`).

A ``--store`` value that is an ``http(s)://`` URL names a SPARQL 1.1 server instead
(:class:`~kg.store.remote.RemoteStore`).
"""

from __future__ import annotations

from pathlib import Path

from kg.store._facts import default_quads
from kg.store.oxigraph import GraphStore, check_read_only_query, load_query, named_queries
from kg.store.remote import RemoteStore, is_endpoint

__all__ = [
    "GraphStore",
    "RemoteStore",
    "check_read_only_query",
    "default_quads",
    "is_endpoint",
    "load_query",
    "named_queries",
    "open_store",
]


def open_store(
    location: str | Path, *, must_exist: bool = True, read_only: bool = False
) -> GraphStore | RemoteStore:
    """The store a ``--store`` value names: a folder (embedded Oxigraph) or an endpoint URL.

    ``read_only`` opens a folder for reading only, beside other readers (a ``kg serve``).

    >>> open_store("http://127.0.0.1:7878")
    RemoteStore('http://127.0.0.1:7878')
    """
    if is_endpoint(location):
        return RemoteStore(str(location))
    return GraphStore(location, must_exist=must_exist, read_only=read_only)
