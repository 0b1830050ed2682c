"""The default graph: every fact of the named graphs, once.

An article's named graph (a ``prov:Bundle``) holds its statements, evidence and provenance; its
*facts* are the triples about entities (subjects under ``https://w3id.org/cmkg/id/``: their
types, labels, Wikidata links, agreement details and the relation triples), except the
``cm:quantity`` links to the article's own quantity nodes. Any other named graph (the ontology and
vocabularies, analysis results, imported files) counts as facts whole. The default graph is the
set union of the facts of all named graphs, so a query that does not say ``GRAPH`` counts each
fact once, however many articles state it.

Every write keeps it so in the same transaction as the named graph it changes: a new graph adds
its facts; a replaced graph first drops the facts no other graph states (:func:`replace_update`);
new graphs bulk-loaded in a group get theirs with their content hashes (an article counts as
stored once its hash is, and so do its facts). :data:`REBUILD` makes the default graph again from
the named graphs (a store written by an older kg). Whether a triple is a fact depends only on the
triple and on whether its graph is an article, which is what lets a replacement ask "does another
graph still state it?" with one index lookup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox

#: Subjects whose triples are facts: the entities kg resolves (countries, people, minerals…).
ENTITY_BASE = "https://w3id.org/cmkg/id/"
#: Changed whenever what counts as a fact changes: stores then rebuild their default graph.
MODEL = "facts-1"

_CM = "https://w3id.org/cmkg/ontology#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_BUNDLE = ox.NamedNode("http://www.w3.org/ns/prov#Bundle")
_QUANTITY = ox.NamedNode(_CM + "quantity")


def is_article(graph: ox.NamedNode, quads: Sequence[ox.Quad]) -> bool:
    """Whether ``quads`` make ``graph`` an article graph (it says it is a ``prov:Bundle``)."""
    return any(
        q.subject == graph and q.predicate == _RDF_TYPE and q.object == _BUNDLE for q in quads
    )


def default_quads(graph: ox.NamedNode, quads: Sequence[ox.Quad]) -> list[ox.Quad]:
    """The default-graph quads of the facts of ``graph``, made of ``quads``.

    >>> g, e = ox.NamedNode("urn:g"), ox.NamedNode(ENTITY_BASE + "country/CHL")
    >>> label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    >>> quads = [ox.Quad(g, _RDF_TYPE, _BUNDLE, g), ox.Quad(e, label, ox.Literal("Chile"), g)]
    >>> [str(q) for q in default_quads(g, quads)]
    ['<https://w3id.org/cmkg/id/country/CHL> <http://www.w3.org/2000/01/rdf-schema#label> "Chile"']
    >>> len(default_quads(ox.NamedNode("urn:other"), quads))  # not an article: all of it
    2
    """
    if not is_article(graph, quads):
        return [ox.Quad(q.subject, q.predicate, q.object) for q in quads]
    return [
        ox.Quad(q.subject, q.predicate, q.object)
        for q in quads
        if type(q.subject) is ox.NamedNode
        and q.subject.value.startswith(ENTITY_BASE)
        and q.predicate != _QUANTITY
    ]


def _states(graph: str) -> str:
    """A SPARQL condition: the graph ``graph`` (a variable) counts ``?s ?p ?o`` as a fact.

    The same rule as :func:`default_quads`; a test checks that the two agree on a whole store.
    """
    return (
        f'((isIRI(?s) && STRSTARTS(STR(?s), "{ENTITY_BASE}") && ?p != {_QUANTITY}) '
        f"|| NOT EXISTS {{ GRAPH {graph} {{ {graph} a {_BUNDLE} }} }})"
    )


#: Make the default graph again from the named graphs, in one transaction.
REBUILD = (
    "DROP SILENT DEFAULT ;\n"
    f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER {_states('?g')} }}"
)


def _body(quads: Iterable[ox.Quad]) -> str:
    # pyoxigraph writes each term, so a value can never close the block early.
    return "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)


def replace_update(graph: str, quads: Sequence[ox.Quad]) -> str:
    """One SPARQL update that replaces ``graph`` by ``quads`` and keeps the default graph.

    The facts of the old graph that no other graph states leave the default graph, the graph is
    dropped and written again, and its facts added: one request, so one transaction.

    >>> g = ox.NamedNode("urn:g")
    >>> print(replace_update("urn:g", [ox.Quad(g, g, ox.Literal("v"), g)]))
    ... # doctest: +ELLIPSIS
    DELETE { ?s ?p ?o } WHERE { GRAPH <urn:g> { ?s ?p ?o } ?s ?p ?o FILTER NOT EXISTS { ...
    DROP SILENT GRAPH <urn:g> ;
    INSERT DATA { GRAPH <urn:g> {
    <urn:g> <urn:g> "v" .
    }
    <urn:g> <urn:g> "v" .
    }
    """
    name = ox.NamedNode(graph)
    named = [q for q in quads if q.graph_name == name]
    others = f"FILTER (?h != {name} && {_states('?h')})"
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }} ?s ?p ?o "
        f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} {others} }} }} ;\n"
        f"DROP SILENT GRAPH {name} ;\n"
        f"INSERT DATA {{ GRAPH {name} {{\n{_body(named)}\n}}\n"
        f"{_body(default_quads(name, named))}\n}}"
    )
