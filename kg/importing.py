"""``kg import``: RDF files from elsewhere into the store, refusing what could attack the parser.

RDF/XML with a ``<!DOCTYPE>`` or ``<!ENTITY>`` declaration is refused before any parsing (entity
expansion turns a few hundred bytes into gigabytes; external entities read files), and so is
JSON-LD whose ``@context`` (or ``@import``) is fetched from elsewhere: nothing is downloaded.
Each named graph in the file replaces the graph of that name in the store, in one transaction;
triples outside a named graph go to ``graph`` (by default one named after the file), so
importing the same file again changes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import InputError, UsageError
from kg.resolve import slug

IMPORT_BASE = "https://w3id.org/cmkg/graph/import/"
FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "n3": ox.RdfFormat.N3,
    "rdf": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "owl": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json": ox.RdfFormat.JSON_LD,
}
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def check_rdf_xml(data: bytes, name: str) -> None:
    """Refuse XML with a document type or entity declaration.

    >>> check_rdf_xml(b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', "a")
    >>> check_rdf_xml(b'<!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>', "bomb.rdf")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: bomb.rdf: RDF/XML with a DOCTYPE declaration is refused (entity ...
    """
    match = _DECLARATION.search(data.replace(b"\x00", b""))  # UTF-16 and -32 too
    if match:
        raise InputError(
            f"{name}: RDF/XML with a {match.group(1).decode().upper()} declaration is refused "
            "(entity expansion and external entities are not allowed)"
        )


def _contexts(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"@context", "@import"}:
                yield value
            yield from _contexts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _contexts(item)


def _remote(context: Any) -> str | None:
    if isinstance(context, str):
        return context
    if isinstance(context, list):
        return next((r for r in map(_remote, context) if r), None)
    if isinstance(context, dict):
        return _remote(context.get("@import"))
    return None


def check_json_ld(data: bytes, name: str) -> None:
    """Refuse JSON-LD that names a context to fetch (a URL or file instead of an object).

    >>> check_json_ld(b'{"@context": {"name": "http://schema.org/name"}, "name": "x"}', "a")
    >>> check_json_ld(b'{"@context": "http://169.254.169.254/ctx", "name": "x"}', "a.jsonld")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: a.jsonld: JSON-LD with a remote @context is refused ...
    """
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{name}: not valid JSON ({exc})") from None
    for context in _contexts(document):
        remote = _remote(context)
        if remote:
            raise InputError(
                f"{name}: JSON-LD with a remote @context is refused ({remote!r}); "
                "inline the context instead (kg fetches nothing)"
            )


def read_rdf(path: str | Path, fmt: str | None = None) -> tuple[ox.RdfFormat, bytes]:
    """The format and the checked bytes of an RDF file to import.

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "x.ttl"
    >>> _ = f.write_text("<urn:a> <urn:b> <urn:c> .")
    >>> read_rdf(f)[0] == ox.RdfFormat.TURTLE
    True
    """
    path = Path(path)
    key = (fmt or path.suffix.lstrip(".")).lower()
    if key not in FORMATS:
        raise UsageError(
            f"{path}: unknown RDF format {key!r}; choose one of: {', '.join(sorted(FORMATS))}"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    rdf_format = FORMATS[key]
    if rdf_format == ox.RdfFormat.RDF_XML or data.lstrip()[:5].lower() == b"<?xml":
        check_rdf_xml(data, str(path))
    if rdf_format == ox.RdfFormat.JSON_LD:
        check_json_ld(data, str(path))
    return rdf_format, data


def import_rdf(
    store: Any, path: str | Path, fmt: str | None = None, graph: str | None = None
) -> int:
    """Import one RDF file into ``store``; returns the number of quads written.

    An imported graph is not an article: all its triples are facts of the default graph too.

    >>> import tempfile
    >>> from kg.store import GraphStore
    >>> f = Path(tempfile.mkdtemp()) / "extra.ttl"
    >>> _ = f.write_text("<urn:a> <urn:b> <urn:c> .")
    >>> store = GraphStore(None)
    >>> import_rdf(store, f), import_rdf(store, f), len(store)
    (1, 1, 2)
    """
    rdf_format, data = read_rdf(path, fmt)
    target = ox.NamedNode(graph or IMPORT_BASE + slug(Path(path).stem))
    graphs: dict[str, list[ox.Quad]] = {}
    try:
        for quad in ox.parse(data, format=rdf_format, base_iri=Path(path).resolve().as_uri()):
            name = quad.graph_name if isinstance(quad.graph_name, ox.NamedNode) else target
            graphs.setdefault(name.value, []).append(
                ox.Quad(quad.subject, quad.predicate, quad.object, name)
            )
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(f"{path}: not valid {rdf_format.name}: {exc}") from None
    for iri, quads in graphs.items():
        store.replace_graph(iri, quads)
    store.flush()
    return sum(len(q) for q in graphs.values())
