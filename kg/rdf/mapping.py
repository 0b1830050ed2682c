"""Extraction records to pyoxigraph quads.

Each article's statements go to its own named graph (a ``prov:Bundle``) together with the
article's description and the extraction run that produced them, so replacing an article replaces
exactly its graph. Relations are written twice: as the plain triple (for traversal and NetworkX)
and as a ``cm:RelationStatement`` carrying confidence, status and the evidence span.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import cache

import pyoxigraph as ox

from kg.patterns import FORMAT_CHARACTERS
from kg.rdf._terms import Terms, cm, evidence, foaf, org, owl, prov, rdf, rdfs, schema, skos, xsd
from kg.rdf._terms import literal as _lit
from kg.rdf.events import agreement_triples, event_triples
from kg.rdf.namespace import predicate
from kg.rdf.officials import officials_triples
from kg.records import Article, Extraction
from kg.resolve import slug
from kg.resources import ontology_file, ontology_files
from kg.vocab import load_vocabulary

ARTICLE_BASE = "https://w3id.org/cmkg/article/"
GRAPH_BASE = "https://w3id.org/cmkg/graph/"
RUN_BASE = "https://w3id.org/cmkg/run/"
STATEMENT_BASE = "https://w3id.org/cmkg/statement/"
ONTOLOGY_GRAPH = "https://w3id.org/cmkg/graph/ontology"
WIKIDATA = "http://www.wikidata.org/entity/"
#: Dublin Core elements: a byline and a site name are plain text (as RSS writes ``dc:creator``).
dc = Terms("http://purl.org/dc/elements/1.1/")

CLASS_OF_TYPE = {
    "Person": foaf.Person,
    "Organization": org.Organization,
    "Country": schema.Country,
    "Mineral": cm.Mineral,
    "Agreement": cm.Agreement,
}


def _key(article: Article) -> str:
    digest = hashlib.sha1(article.id.encode()).hexdigest()[:8]
    return f"{slug(article.id)}-{digest}"


def article_graph(article: Article) -> ox.NamedNode:
    """The named graph holding one article's statements.

    >>> article_graph(Article(id="01", text="")).value
    'https://w3id.org/cmkg/graph/01-ddfe1633'
    """
    return ox.NamedNode(GRAPH_BASE + _key(article))


def article_iri(article: Article) -> ox.NamedNode:
    """The article itself (a ``schema:NewsArticle``), described in its named graph.

    >>> article_iri(Article(id="01", text="")).value
    'https://w3id.org/cmkg/article/01-ddfe1633'
    """
    return ox.NamedNode(ARTICLE_BASE + _key(article))


def article_hash(article: Article, software: str, model: str) -> str:
    """SHA-256 over what determines an article's graph: its text, metadata, software and model.

    Format characters (zero-width, bidirectional marks) do not count: extraction removes them,
    so an article and its extraction's cleaned copy have one hash.
    """
    parts = [
        article.id,
        FORMAT_CHARACTERS.sub("", article.text),
        article.title or "",
        article.url or "",
        article.published.isoformat() if article.published else "",
        software,
        model,
    ]
    if article.author or article.site:  # only then, so older articles keep their hashes
        parts += [article.author or "", article.site or ""]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def extraction_quads(extraction: Extraction, software: str) -> list[ox.Quad]:
    """All quads of one article's named graph.

    >>> from kg.records import Entity
    >>> art = Article(id="a", text="Chile exports copper.")
    >>> ent = Entity("https://w3id.org/cmkg/id/country/CHL", "Chile", "Country", ("Chile",))
    >>> quads = extraction_quads(Extraction(art, (ent,), model="m"), "kg 0.1")
    >>> sorted({q.graph_name.value for q in quads})
    ['https://w3id.org/cmkg/graph/a-86f7e437']
    """
    article = extraction.article
    graph = article_graph(article)
    node = article_iri(article)
    digest = article_hash(article, software, extraction.model)
    run = ox.NamedNode(RUN_BASE + digest[:16])
    triples: list[
        tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.Literal | ox.BlankNode]
    ] = []
    add = triples.append
    # The bundle, the article and the run.
    add((graph, rdf.type, prov.Bundle))
    add((graph, prov.wasDerivedFrom, node))
    add((graph, prov.wasGeneratedBy, run))
    add((node, rdf.type, schema.NewsArticle))
    add((node, rdf.type, prov.Entity))
    add((node, schema.identifier, _lit(article.id)))
    add((node, cm.contentHash, _lit(digest)))
    if article.title:
        add((node, schema.headline, _lit(article.title)))
    if article.url:
        add((node, schema.url, _lit(article.url, xsd.anyURI)))
    if article.published:
        add((node, schema.datePublished, _lit(article.published.isoformat(), xsd.date)))
    if article.author:
        add((node, dc.creator, _lit(article.author)))
    if article.site:
        add((node, dc.publisher, _lit(article.site)))
    for teaser in article.teasers:
        add((node, cm.teaser, _lit(teaser)))
    add((run, rdf.type, cm.ExtractionRun))
    add((run, prov.used, node))
    add((run, cm.softwareVersion, _lit(software)))
    add((run, cm.modelName, _lit(extraction.model)))
    # Entities.
    for entity in extraction.entities:
        e = ox.NamedNode(entity.id)
        add((e, rdf.type, CLASS_OF_TYPE.get(entity.type, prov.Entity)))
        add((e, rdfs.label, ox.Literal(entity.name, language="en")))
        for mention in entity.mentions:
            if mention != entity.name:
                add((e, skos.altLabel, ox.Literal(mention, language="en")))
        if entity.wikidata:
            add((e, owl.sameAs, ox.NamedNode(WIKIDATA + entity.wikidata)))
        if entity.role:
            add((e, schema.jobTitle, _lit(entity.role)))
        add((node, schema.mentions, e))
    # Relations, each also as a statement with its evidence.
    for relation in extraction.relations:
        h, p, t = (
            ox.NamedNode(relation.head),
            _predicate(relation.type),
            ox.NamedNode(relation.tail),
        )
        if relation.status in {"asserted", "planned", "negotiating"}:
            add((h, p, t))
        key = hashlib.sha1(
            f"{graph.value}|{relation.head}|{relation.type}|{relation.tail}".encode()
        )
        stmt = ox.NamedNode(STATEMENT_BASE + key.hexdigest()[:20])
        add((stmt, rdf.type, cm.RelationStatement))
        add((stmt, rdf.subject, h))
        add((stmt, rdf.predicate, p))
        add((stmt, rdf.object, t))
        add((stmt, cm.confidence, _lit(f"{relation.confidence:.3f}", xsd.decimal)))
        add((stmt, cm.status, _lit(relation.status)))
        add((stmt, cm.sourceArticle, node))
        if relation.role:
            add((stmt, cm.roleTitle, _lit(relation.role)))
        if relation.source:
            add((stmt, prov.wasAttributedTo, ox.NamedNode(relation.source)))
        triples.extend(evidence(stmt, node, relation.evidence, relation.start, relation.end))
        if relation.type == "holds_role_in" and relation.status != "negated":
            triples.extend(_membership(stmt, node, h, t, relation.role))
    for index, quantity in enumerate(extraction.quantities):
        q = ox.NamedNode(f"{STATEMENT_BASE}{_key(article)}-q{index}")
        add((ox.NamedNode(quantity.subject), cm.quantity, q))
        add((q, rdf.type, cm.Quantity))
        add((q, cm.valueText, _lit(quantity.value)))
        add((q, cm.measures, _lit(quantity.what)))
        add((q, cm.sourceArticle, node))
        if quantity.normalized is not None:
            add((q, cm.numericValue, _lit(repr(float(quantity.normalized)), xsd.double)))
        if quantity.unit:
            add((q, cm.unit, _lit(quantity.unit)))
        if quantity.maximum is not None:
            add((q, cm.maximumValue, _lit(repr(float(quantity.maximum)), xsd.double)))
        if quantity.share is not None:
            add((q, cm.shareOfWorld, _lit(f"{quantity.share:.6f}", xsd.decimal)))
        if quantity.mineral:
            add((q, cm.mineral, ox.NamedNode(quantity.mineral)))
        triples.extend(evidence(q, node, quantity.evidence, quantity.start, quantity.end))
    for entity in extraction.entities:
        if entity.type == "Agreement":
            triples.extend(agreement_triples(entity))
    for event in extraction.events:
        triples.extend(event_triples(event, graph, node))
    return [ox.Quad(s, p, o, graph) for s, p, o in triples]


def _membership(
    stmt: ox.NamedNode,
    article: ox.NamedNode,
    person: ox.NamedNode,
    organization: ox.NamedNode,
    title: str | None,
) -> Iterator[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]]:
    """A ``holds_role_in`` statement as a W3C ORG membership (person, organisation, role)."""
    membership = ox.NamedNode(stmt.value + "-membership")
    yield membership, rdf.type, org.Membership
    yield membership, org.member, person
    yield membership, org.organization, organization
    role = role_concept(title) if title else None
    if role:
        yield membership, org.role, ox.NamedNode(role)
    if title:
        yield membership, cm.roleTitle, _lit(title)
    yield membership, cm.sourceArticle, article
    yield membership, cm.evidence, ox.NamedNode(stmt.value + "-evidence")


@cache
def _predicate(relation: str) -> ox.NamedNode:
    return ox.NamedNode(str(predicate(relation)))


@cache
def _role_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for concept in load_vocabulary().of_kind("Role"):
        for label in (concept.label, *concept.alt_labels):
            labels.setdefault(" ".join(label.casefold().split()), concept.iri)
    return labels


def role_concept(title: str) -> str | None:
    """The role concept of ``ontology/vocab/roles.ttl`` whose label is ``title``, if any.

    The match ignores case and extra spaces; titles that are not in the vocabulary give None.

    >>> role_concept("Finance  Minister")
    'https://w3id.org/cmkg/id/role/finance-minister'
    >>> role_concept("Grand Vizier") is None
    True
    """
    return _role_labels().get(" ".join(title.casefold().split()))


def ontology_quads() -> list[ox.Quad]:
    """The ontology, the vocabularies and the officials table, in the graph ``…/graph/ontology``."""
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    files = [ontology_file("cm.ttl"), *ontology_files("vocab", ".ttl")]
    quads: list[ox.Quad] = []
    for f in files:
        for triple in ox.parse(f.read_bytes(), format=ox.RdfFormat.TURTLE):
            quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
    quads.extend(ox.Quad(s, p, o, graph) for s, p, o in officials_triples())
    return quads
