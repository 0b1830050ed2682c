"""SPARQL results on the wire: content negotiation and the four result formats.

pyoxigraph serialises a whole result; the endpoint must stop a SELECT after ``max_rows`` rows,
so the rows it keeps are written here (SPARQL 1.1 Query Results JSON, XML, CSV and TSV).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: Media types offered for SELECT and ASK results, first is the default; value: format key.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: Media types offered for CONSTRUCT and DESCRIBE results, first is the default.
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
#: ``format=`` request parameter values (as SPARQLWrapper and browsers send them).
FORMAT_PARAM = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "n3": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "rdf": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "json-ld": "application/ld+json",
    "jsonld": "application/ld+json",
}
CONTENT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}


def negotiate(accept: str | None, offered: Sequence[str], fmt: str | None = None) -> str | None:
    """The offered media type that ``accept`` prefers; the first offered one for ``*/*``.

    ``fmt`` (a ``format=`` parameter) decides when the Accept header is absent or a wildcard.
    None means that nothing offered is acceptable.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", list(RESULT_TYPES))
    'application/sparql-results+xml'
    >>> negotiate("*/*", list(GRAPH_TYPES), fmt="nt")
    'application/n-triples'
    >>> negotiate("image/png", list(RESULT_TYPES)) is None
    True
    """
    ranges: list[tuple[float, int, str]] = []
    for index, item in enumerate((accept or "").split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        if not media:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((quality, index, media.lower()))
    wildcard = not ranges or all(m in {"*/*", "application/*", "text/*"} for _, _, m in ranges)
    if fmt and wildcard:
        wanted = FORMAT_PARAM.get(fmt.lower(), fmt.lower())
        if wanted in offered:
            return wanted
    if not ranges:
        return offered[0]
    for quality, _, media in sorted(ranges, key=lambda r: (-r[0], r[1])):
        if quality <= 0:
            continue
        if media in offered:
            return media
        if media == "*/*":
            return offered[0]
        if media.endswith("/*"):
            match = next((o for o in offered if o.startswith(media[:-1])), None)
            if match:
                return match
    return None


def write_solutions(variables: Sequence[str], rows: Sequence[Any], fmt: str) -> bytes:
    """SELECT results as ``json``, ``xml``, ``csv`` or ``tsv`` (rows of pyoxigraph solutions).

    >>> sol = list(ox.Store().query('SELECT ?x WHERE { BIND("a,b" AS ?x) }'))
    >>> write_solutions(["x"], sol, "csv")
    b'x\\r\\n"a,b"\\r\\n'
    >>> write_solutions(["x"], sol, "tsv")
    b'?x\\n"a,b"\\n'
    """
    if fmt == "json":
        bindings = [
            {v: _json_term(row[v]) for v in variables if row[v] is not None} for row in rows
        ]
        document = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        return json.dumps(document, ensure_ascii=False).encode()
    if fmt == "xml":
        return _xml(variables, rows).encode()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow([_csv_term(row[v]) for v in variables])
        return buffer.getvalue().encode()
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines.extend(
        "\t".join("" if row[v] is None else str(row[v]) for v in variables) for row in rows
    )
    return ("\n".join(lines) + "\n").encode()


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    return {"type": "literal", "value": str(term)}


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            attr = quoteattr(term.datatype.value)
            return f"<literal datatype={attr}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _xml(variables: Sequence[str], rows: Sequence[Any]) -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>',
        *(f"<variable name={quoteattr(v)}/>" for v in variables),
        "</head><results>",
    ]
    for row in rows:
        parts.append("<result>")
        for v in variables:
            if row[v] is not None:
                parts.append(f"<binding name={quoteattr(v)}>{_xml_term(row[v])}</binding>")
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts)


def _csv_term(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return str(term.value)
    return str(term)
