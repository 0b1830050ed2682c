"""The officials table as RDF: people, posts and dated holdings, in W3C ORG and OWL-Time.

Each person is a ``foaf:Person`` with ``owl:sameAs`` its Wikidata item; each post (a role at a
country or organisation) an ``org:Post`` with ``org:role`` and ``org:postIn``, ``org:holds``
linking the person to it; each term an ``org:Membership`` (member, organisation, the post's role,
``schema:jobTitle``, ``dcterms:source``) whose ``org:memberDuring`` is a ``time:Interval`` with
``time:hasBeginning`` and, once the term is over, ``time:hasEnd``. A day is a ``time:inXSDDate``,
a month known without its day a ``time:inXSDgYearMonth``. Nothing is minted: every term is from
ORG, FOAF, OWL-Time, schema.org, SKOS or Dublin Core. The mapping is pure and its order fixed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from kg.officials import ID_BASE, ROLE_BASE, Holding, Officials, load_officials, place_iri
from kg.rdf._terms import Triple, foaf, org, owl, owltime, rdf, rdfs, schema, skos, xsd
from kg.rdf._terms import literal as _lit

WIKIDATA = "http://www.wikidata.org/entity/"
DCTERMS_SOURCE = ox.NamedNode("http://purl.org/dc/terms/source")


def post_iri(holding: Holding) -> ox.NamedNode:
    """The IRI of a holding's post: its country or organisation and its role.

    >>> h = Holding("Ann Example", ("finance-minister",), "PAK", "Minister", "2024-03-11")
    >>> post_iri(h).value
    'https://w3id.org/cmkg/id/post/PAK/finance-minister'
    """
    return ox.NamedNode(f"{ID_BASE}post/{holding.of}/{holding.role}")


def membership_iri(holding: Holding) -> ox.NamedNode:
    """The IRI of one term: the post, the person and the first day.

    >>> h = Holding("Ann Example", ("finance-minister",), "PAK", "Minister", "2024-03-11",
    ...             person="https://w3id.org/cmkg/id/person/ann-example")
    >>> membership_iri(h).value
    'https://w3id.org/cmkg/id/holding/PAK/finance-minister/ann-example/2024-03-11'
    """
    person = holding.person.rsplit("/", 1)[-1]
    return ox.NamedNode(f"{ID_BASE}holding/{holding.of}/{holding.role}/{person}/{holding.start}")


def _instant(node: ox.NamedNode, when: str) -> Iterator[Triple]:
    yield node, rdf.type, owltime.Instant
    if len(when) == 10:
        yield node, owltime.inXSDDate, _lit(when, xsd.date)
    else:
        yield node, owltime.inXSDgYearMonth, _lit(when, xsd.gYearMonth)


def holding_triples(holding: Holding) -> Iterator[Triple]:
    """The ``org:Membership`` of one term, with its interval.

    >>> h = Holding("Ann Example", ("finance-minister",), "PAK", "Minister", "2024-03",
    ...             end="2025-01-10", source="https://example.org/a",
    ...             person="https://w3id.org/cmkg/id/person/ann-example")
    >>> [(p.value.rsplit("#", 1)[-1], o.value) for s, p, o in holding_triples(h)
    ...  if p.value.startswith("http://www.w3.org/2006/time#in")]
    [('inXSDgYearMonth', '2024-03'), ('inXSDDate', '2025-01-10')]
    """
    membership = membership_iri(holding)
    during = ox.NamedNode(membership.value + "#during")
    yield membership, rdf.type, org.Membership
    yield membership, org.member, ox.NamedNode(holding.person)
    yield membership, org.organization, ox.NamedNode(place_iri(holding.of))
    yield membership, org.role, ox.NamedNode(ROLE_BASE + holding.role)
    yield membership, schema.jobTitle, _lit(holding.title)
    yield membership, DCTERMS_SOURCE, ox.NamedNode(holding.source)
    if holding.note:
        yield membership, skos.note, ox.Literal(holding.note, language="en")
    yield membership, org.memberDuring, during
    yield during, rdf.type, owltime.Interval
    yield during, owltime.hasBeginning, ox.NamedNode(membership.value + "#start")
    yield from _instant(ox.NamedNode(membership.value + "#start"), holding.start)
    if holding.end:
        yield during, owltime.hasEnd, ox.NamedNode(membership.value + "#end")
        yield from _instant(ox.NamedNode(membership.value + "#end"), holding.end)


def officials_triples(officials: Officials | None = None) -> Iterator[Triple]:
    """People, posts and holdings of the officials table, in a fixed order.

    >>> triples = list(officials_triples())
    >>> person = ox.NamedNode("https://w3id.org/cmkg/id/person/muhammad-aurangzeb")
    >>> (person, rdf.type, foaf.Person) in triples
    True
    """
    officials = officials or load_officials()
    for iri in sorted(officials.people):
        person = officials.people[iri]
        node = ox.NamedNode(iri)
        yield node, rdf.type, foaf.Person
        yield node, rdfs.label, ox.Literal(person.name, language="en")
        for alias in person.aliases:
            yield node, skos.altLabel, ox.Literal(alias, language="en")
        if person.wikidata:
            yield node, owl.sameAs, ox.NamedNode(WIKIDATA + person.wikidata)
    posts: dict[str, list[Holding]] = {}
    for holding in officials:
        posts.setdefault(post_iri(holding).value, []).append(holding)
    for iri in sorted(posts):
        node, rows = ox.NamedNode(iri), posts[iri]
        yield node, rdf.type, org.Post
        yield node, rdfs.label, ox.Literal(f"{rows[-1].title} ({rows[-1].of})", language="en")
        yield node, org.postIn, ox.NamedNode(place_iri(rows[0].of))
        for role in sorted({r for h in rows for r in h.roles}):
            yield node, org.role, ox.NamedNode(ROLE_BASE + role)
        for holder in sorted({h.person for h in rows}):
            yield ox.NamedNode(holder), org.holds, node
    for holding in sorted(officials, key=lambda h: membership_iri(h).value):
        yield from holding_triples(holding)
