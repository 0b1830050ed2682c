"""Quads that mark a syndicated copy and let later builds find an article's copies.

In the article's own named graph: its text signature (``cm:textSignature``), one
``cm:signatureBand`` per LSH band (what a later build looks up; not for a near copy), and, for
a copy, ``schema:isBasedOn`` the original article. Analyses count a copy under its original, so one
story republished twenty times weighs as one.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.ingest.syndication import Fingerprint
from kg.rdf._terms import cm, schema
from kg.rdf._terms import literal as _lit
from kg.rdf.mapping import article_graph, article_iri
from kg.records import Article


def syndication_quads(
    article: Article, fingerprint: Fingerprint | None, original: str | None, bands: bool = True
) -> list[ox.Quad]:
    """The signature quad of one article, its band quads (when later builds are to look it
    up: ``bands``), and its ``schema:isBasedOn`` if it is a copy (none without a fingerprint: a
    text too short to compare).

    >>> from kg.ingest.syndication import fingerprint
    >>> art = Article(id="c", text=" ".join(f"word{n}" for n in range(60)))
    >>> copy = syndication_quads(art, fingerprint(art.text), "https://w3id.org/cmkg/article/o")
    >>> sorted({q.predicate.value.rsplit("/", 1)[-1] for q in copy})
    ['isBasedOn', 'ontology#signatureBand', 'ontology#textSignature']
    >>> len(syndication_quads(art, fingerprint(art.text), None))  # the signature and 37 bands
    38
    >>> len(syndication_quads(art, fingerprint(art.text), "urn:o", bands=False))
    2
    """
    if fingerprint is None:
        return []
    node, graph = article_iri(article), article_graph(article)
    quads = [ox.Quad(node, cm.textSignature, _lit(fingerprint.encode()), graph)]
    if bands:
        quads.extend(ox.Quad(node, cm.signatureBand, _lit(b), graph) for b in fingerprint.bands())
    if original is not None:
        quads.append(ox.Quad(node, schema.isBasedOn, ox.NamedNode(original), graph))
    return quads
