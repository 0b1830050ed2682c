"""The endpoint's SPARQL 1.1 Service Description, answered to a GET of ``/sparql`` without a query.

It names the endpoint, the query language, the result formats, the default dataset (the default
graph of facts with its size, the named graphs that are not articles, how many article graphs
there are) and the kg version, so that a client (YASGUI, Comunica, a crawler) learns what it may
ask without trying.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg import __version__
from kg.store.oxigraph import load_query

SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_DCT = "http://purl.org/dc/terms/"
_VOID = "http://rdfs.org/ns/void#"
_SCHEMA = "https://schema.org/"
_BUNDLE = ox.NamedNode("http://www.w3.org/ns/prov#Bundle")
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
#: Result formats (W3C format IRIs) of SELECT/ASK and of CONSTRUCT/DESCRIBE answers.
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
)
PREFIXES = {"sd": SD, "formats": _FORMATS, "dcterms": _DCT, "void": _VOID, "schema": _SCHEMA}


def service_description(store: ox.Store, endpoint: str) -> list[ox.Triple]:
    """The triples describing the endpoint at ``endpoint`` over ``store``.

    >>> triples = service_description(ox.Store(), "http://127.0.0.1:7878/sparql")
    >>> endpoint = ox.NamedNode(SD + "endpoint")
    >>> [t.object.value for t in triples if t.predicate == endpoint]
    ['http://127.0.0.1:7878/sparql']
    """
    service, dataset = ox.NamedNode(endpoint + "#service"), ox.BlankNode("dataset")
    default = ox.BlankNode("default")
    result = store.query(load_query("_describe"))
    assert isinstance(result, ox.QuerySolutions)
    row = next(iter(result))
    triples, articles = (int(row[name].value) for name in ("triples", "articles"))
    out = [
        _t(service, _RDF + "type", ox.NamedNode(SD + "Service")),
        _t(service, SD + "endpoint", ox.NamedNode(endpoint)),
        _t(service, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Query")),
        _t(service, _DCT + "title", ox.Literal("kg SPARQL endpoint (read-only)")),
        _t(service, _SCHEMA + "softwareVersion", ox.Literal(f"kg {__version__}")),
        *(_t(service, SD + "resultFormat", ox.NamedNode(_FORMATS + f)) for f in RESULT_FORMATS),
        _t(service, SD + "defaultDataset", dataset),
        _t(dataset, _RDF + "type", ox.NamedNode(SD + "Dataset")),
        _t(
            dataset,
            _DCT + "description",
            ox.Literal(
                "The default graph holds each fact (entities, labels, relations, the ontology) "
                f"once; {articles} named graphs, one per article (prov:Bundle), hold the "
                "statements, evidence and provenance: query them with GRAPH."
            ),
        ),
        _t(dataset, SD + "defaultGraph", default),
        _t(default, _RDF + "type", ox.NamedNode(SD + "Graph")),
        _t(default, _VOID + "triples", ox.Literal(str(triples), datatype=_INTEGER)),
    ]
    for graph in sorted(store.named_graphs(), key=str):
        if isinstance(graph, ox.NamedNode) and not _is_article(store, graph):
            named = ox.BlankNode()
            out += [
                _t(dataset, SD + "namedGraph", named),
                _t(named, _RDF + "type", ox.NamedNode(SD + "NamedGraph")),
                _t(named, SD + "name", graph),
            ]
    return out


def _t(subject: ox.NamedNode | ox.BlankNode, predicate: str, value: object) -> ox.Triple:
    return ox.Triple(subject, ox.NamedNode(predicate), value)  # type: ignore[arg-type]


def _is_article(store: ox.Store, graph: ox.NamedNode) -> bool:
    kind = ox.NamedNode(_RDF + "type")
    return next(store.quads_for_pattern(graph, kind, _BUNDLE, graph), None) is not None
