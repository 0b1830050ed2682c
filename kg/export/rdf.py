"""RDF dumps of the store through pyoxigraph's serialisers."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Protocol

import pyoxigraph as ox

from kg.export._atomic import write_atomically

RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}


class Dumpable(Protocol):
    """A store that can write itself in an RDF format (:class:`kg.store.GraphStore`)."""

    def dump(self, output: str | Path | IO[bytes], fmt: ox.RdfFormat) -> None: ...


def write_rdf(store: Dumpable, fmt: str, path: str | Path) -> None:
    """Write the store as ``fmt`` (ttl merges the named graphs; the others keep them).

    The file is replaced only once the whole dump is on disk (:mod:`kg.export._atomic`).
    """
    write_atomically({Path(path): lambda fh: store.dump(fh, RDF_FORMATS[fmt])})
