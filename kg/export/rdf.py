"""RDF dumps of the store through pyoxigraph's serialisers."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from kg.errors import ExportError

RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}


class Dumpable(Protocol):
    """A store that can write itself in an RDF format (:class:`kg.store.GraphStore`)."""

    def dump(self, path: str | Path, fmt: ox.RdfFormat) -> None: ...


def write_rdf(store: Dumpable, fmt: str, path: str | Path) -> None:
    """Write the store as ``fmt`` (ttl merges the named graphs; the others keep them)."""
    path = Path(path)
    try:
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(handle)
        store.dump(tmp, RDF_FORMATS[fmt])
        os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
