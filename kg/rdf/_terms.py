"""Small helpers shared by the RDF writers: pyoxigraph terms and evidence spans."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, SKOS, XSD
from rdflib.namespace import FOAF, ORG, PROV

from kg.rdf.namespace import CM

OA = "http://www.w3.org/ns/oa#"
TIME = "http://www.w3.org/2006/time#"
Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]


@lru_cache(maxsize=4096)
def iri(term: object) -> ox.NamedNode:
    """A pyoxigraph IRI from an rdflib term or a string (the vocabulary's terms recur in every
    article, so they are made once and shared: pyoxigraph terms are immutable)."""
    return ox.NamedNode(str(term))


class Terms:
    """The pyoxigraph IRIs of a namespace, each made on first use and kept.

    Mapping an article names the same few dozen terms a hundred times; an attribute of an
    rdflib ``DefinedNamespace`` costs a Python call each time (a quarter of the mapping's time),
    an attribute kept here costs nothing. A term the namespace does not define fails as it
    does in rdflib. A plain string makes an open namespace.

    >>> Terms(RDF).type.value
    'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'
    >>> Terms(RDF).tyep
    Traceback (most recent call last):
    ...
    AttributeError: term 'tyep' not in namespace 'http://www.w3.org/1999/02/22-rdf-syntax-ns#'
    """

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        if isinstance(self._namespace, str):
            term = ox.NamedNode(self._namespace + name)
        else:
            term = ox.NamedNode(str(getattr(self._namespace, name)))
        setattr(self, name, term)  # found as a plain attribute from now on
        return term


# The namespaces the RDF writers use, as pyoxigraph terms: ``rdf.type``, ``schema.NewsArticle``.
rdf, rdfs, skos, owl, xsd = Terms(RDF), Terms(RDFS), Terms(SKOS), Terms(OWL), Terms(XSD)
foaf, org, prov, cm = Terms(FOAF), Terms(ORG), Terms(PROV), Terms(CM)
oa, schema = Terms(OA), Terms("https://schema.org/")
sem, owltime = Terms("http://semanticweb.cs.vu.nl/2009/11/sem/"), Terms(TIME)


def literal(value: object, datatype: object = None) -> ox.Literal:
    """A plain literal, or one typed with ``datatype`` (a pyoxigraph IRI, rdflib term or string)."""
    if datatype is None:
        return ox.Literal(str(value))
    if not isinstance(datatype, ox.NamedNode):
        datatype = iri(datatype)
    return ox.Literal(str(value), datatype=datatype)


def evidence(
    subject: ox.NamedNode, article: ox.NamedNode, text: str, start: int, end: int
) -> Iterator[Triple]:
    """The text span that states ``subject``: an ``oa:TextQuoteSelector`` with its offsets.

    >>> s, a = ox.NamedNode("urn:s"), ox.NamedNode("urn:a")
    >>> list(evidence(s, a, "Chile exports.", 0, 14))[0][2].value
    'urn:s-evidence'
    """
    selector = ox.NamedNode(subject.value + "-evidence")
    yield subject, cm.evidence, selector
    yield selector, rdf.type, oa.TextQuoteSelector
    yield selector, oa.exact, ox.Literal(text)
    yield selector, oa.start, ox.Literal(str(start), datatype=xsd.integer)
    yield selector, oa.end, ox.Literal(str(end), datatype=xsd.integer)
    yield selector, cm.sourceArticle, article
