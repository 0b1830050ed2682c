"""RDF: pure functions from extraction records to quads, one named graph per article."""

from kg.rdf.mapping import (
    ARTICLE_BASE,
    GRAPH_BASE,
    article_graph,
    article_hash,
    article_iri,
    extraction_quads,
    ontology_quads,
)
from kg.rdf.namespace import CM, predicate

__all__ = [
    "ARTICLE_BASE",
    "CM",
    "GRAPH_BASE",
    "article_graph",
    "article_hash",
    "article_iri",
    "extraction_quads",
    "ontology_quads",
    "predicate",
]
