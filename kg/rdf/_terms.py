"""Small helpers shared by the RDF writers: pyoxigraph terms and evidence spans."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import pyoxigraph as ox
from rdflib import RDF, XSD

from kg.rdf.namespace import CM

OA = "http://www.w3.org/ns/oa#"
Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]


@lru_cache(maxsize=4096)
def iri(term: object) -> ox.NamedNode:
    """A pyoxigraph IRI from an rdflib term or a string (the vocabulary's terms recur in every
    article, so they are made once and shared: pyoxigraph terms are immutable)."""
    return ox.NamedNode(str(term))


def literal(value: object, datatype: object = None) -> ox.Literal:
    """A plain literal, or one typed with ``datatype`` (an rdflib term or IRI string)."""
    if datatype is None:
        return ox.Literal(str(value))
    return ox.Literal(str(value), datatype=iri(datatype))


def evidence(
    subject: ox.NamedNode, article: ox.NamedNode, text: str, start: int, end: int
) -> Iterator[Triple]:
    """The text span that states ``subject``: an ``oa:TextQuoteSelector`` with its offsets.

    >>> s, a = ox.NamedNode("urn:s"), ox.NamedNode("urn:a")
    >>> list(evidence(s, a, "Chile exports.", 0, 14))[0][2].value
    'urn:s-evidence'
    """
    selector = ox.NamedNode(subject.value + "-evidence")
    yield subject, iri(CM.evidence), selector
    yield selector, iri(RDF.type), ox.NamedNode(OA + "TextQuoteSelector")
    yield selector, ox.NamedNode(OA + "exact"), literal(text)
    yield selector, ox.NamedNode(OA + "start"), literal(start, XSD.integer)
    yield selector, ox.NamedNode(OA + "end"), literal(end, XSD.integer)
    yield selector, iri(CM.sourceArticle), article
