"""SHACL validation of a store against ``ontology/shapes.ttl`` with pySHACL.

The data graph is the union of the article graphs (the named graphs typed ``prov:Bundle``) and the
vocabularies (``ontology/vocab/*.ttl``, reference data such as the role concepts that memberships
point to); the ontology (``ontology/cm.ttl``) is given to pySHACL as the ontology graph, whose
class and property axioms it mixes into the data graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.errors import QueryError
from kg.resources import ontology_file, ontology_files
from kg.store.oxigraph import PREFIXES as _PREFIXES

#: Every triple of every article graph (the ontology graph is no ``prov:Bundle``).
ARTICLE_TRIPLES = """PREFIX prov: <http://www.w3.org/ns/prov#>
CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?g a prov:Bundle . ?s ?p ?o } }"""


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result: the focus node, the property path, the message and the severity."""

    focus: str
    path: str
    message: str
    severity: str = "Violation"

    def line(self) -> str:
        """The result on one line.

        >>> Violation("cm:x", "cm:confidence", "too big").line()
        'cm:x  cm:confidence  too big'
        """
        return f"{self.focus}  {self.path or '-'}  {self.message}"


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """Whether the data conforms, and every result, sorted."""

    conforms: bool
    violations: tuple[Violation, ...]
    triples: int

    def lines(self, limit: int = 20) -> list[str]:
        """The first ``limit`` results, one per line, then how many were left out."""
        shown = [v.line() for v in self.violations[:limit]]
        if len(self.violations) > limit:
            shown.append(f"… and {len(self.violations) - limit} more")
        return shown


def shapes_graph() -> Graph:
    """The shapes of ``ontology/shapes.ttl`` as an rdflib graph.

    >>> from rdflib import URIRef
    >>> shape = URIRef("https://w3id.org/cmkg/shapes#RelationStatementShape")
    >>> (shape, RDF.type, SH.NodeShape) in shapes_graph()
    True
    """
    return Graph().parse(data=ontology_file("shapes.ttl").read_text("utf-8"), format="turtle")


def ontology_graph() -> Graph:
    """The ontology (``ontology/cm.ttl``) as shipped with this version of kg."""
    return Graph().parse(data=ontology_file("cm.ttl").read_text("utf-8"), format="turtle")


def vocabulary_graph(graph: Graph | None = None) -> Graph:
    """The SKOS vocabularies of ``ontology/vocab``, added to ``graph`` (or to a new one).

    >>> from rdflib import URIRef
    >>> role = URIRef("https://w3id.org/cmkg/id/role/finance-minister")
    >>> (role, RDF.type, None) in vocabulary_graph()
    True
    """
    graph = Graph() if graph is None else graph
    for resource in ontology_files("vocab", ".ttl"):
        graph.parse(data=resource.read_text("utf-8"), format="turtle")
    return graph


def store_graph(store: Any) -> Graph:
    """The union of a store's article graphs as an rdflib graph (through N-Triples).

    >>> from kg.store import GraphStore
    >>> len(store_graph(GraphStore(None)))
    0
    """
    result = store.query(ARTICLE_TRIPLES)
    if not isinstance(result, ox.QueryTriples):
        raise QueryError("the store did not answer a CONSTRUCT query with triples")
    data = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=data.decode("utf-8"), format="nt")


def validate_graph(data: Graph, shapes: Graph | None = None) -> ValidationReport:
    """Validate ``data`` (article triples and vocabularies) against the shapes.

    >>> from rdflib import Namespace
    >>> CM = Namespace("https://w3id.org/cmkg/ontology#")
    >>> g = Graph()
    >>> _ = g.add((CM.s1, RDF.type, CM.Quantity))
    >>> report = validate_graph(g)
    >>> report.conforms, report.violations[0].focus
    (False, 'cm:s1')
    """
    from pyshacl import validate

    conforms, results, _text = validate(
        data,
        shacl_graph=shapes if shapes is not None else shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
    )
    return ValidationReport(bool(conforms), _violations(results), len(data))


def validate_store(store: Any) -> ValidationReport:
    """Validate the article graphs of a store (embedded or remote) with the vocabularies."""
    return validate_graph(vocabulary_graph(store_graph(store)))


def _violations(results: Graph) -> tuple[Violation, ...]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        found.append(
            Violation(
                focus=_show(focus),
                path=_show_path(results, path),
                message=str(message) if message is not None else "",
                severity=_show(severity).removeprefix("sh:").removeprefix(str(SH)),
            )
        )
    return tuple(sorted(found, key=lambda v: (v.focus, v.path, v.message)))


def _show(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, base in _PREFIXES.items():
            if text.startswith(base) and "/" not in text[len(base) :]:
                return f"{prefix}:{text[len(base) :]}"
        if text.startswith(str(SH)):
            return "sh:" + text[len(str(SH)) :]
        return f"<{text}>"
    if isinstance(term, Literal):
        return repr(str(term))
    return f"_:{term}"


def _show_path(results: Graph, path: Node | None) -> str:
    inverse = results.value(path, SH.inversePath) if path is not None else None
    if inverse is not None:
        return "^" + _show(inverse)
    return _show(path)
