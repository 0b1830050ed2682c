"""The SKOS vocabularies of ``ontology/vocab/`` as plain Python records.

Minerals, countries, organisations, role titles and agreement types are data (Turtle files);
the extractor generates its rule patterns from them and the resolver takes canonical names, IRIs
and Wikidata ids from them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox

from kg.resources import ontology_files

SKOS = "http://www.w3.org/2004/02/skos/core#"
CM = "https://w3id.org/cmkg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
WIKIDATA = "http://www.wikidata.org/entity/"
ORG = "http://www.w3.org/ns/org#"

#: rdf:type (or scheme) → the kind of concept, which is also the mention label it produces.
KIND_BY_CLASS = {
    CM + "Mineral": "Mineral",
    "https://schema.org/Country": "Country",
    "http://www.w3.org/ns/org#Organization": "Organization",
    "http://www.w3.org/ns/org#Role": "Role",
    CM + "AgreementType": "AgreementType",
    CM + "Agreement": "Agreement",
}
KIND_BY_SCHEME = {CM + "agreementTypes": "AgreementType"}


@dataclass(frozen=True, slots=True)
class Concept:
    """One concept of a vocabulary."""

    iri: str
    kind: str
    label: str
    alt_labels: tuple[str, ...] = ()
    wikidata: str | None = None
    broader: tuple[str, ...] = ()
    #: Countries: demonyms, capitals and metonyms for the government, all used as the country.
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    government_aliases: tuple[str, ...] = ()
    #: Countries whose capital's name often means something else ("Brussels": the EU).
    ambiguous_capital: bool = False
    iso2: str | None = None
    iso3: str | None = None
    #: Roles: GovernmentRole, OrganizationRole or AnyRole. Organisations: their kind. Agreement
    #: types: Agreement, Exemption or Restriction.
    scope: str | None = None
    #: Organisations: the country of a national body.
    country: str | None = None
    collections: tuple[str, ...] = ()
    #: Organisations: the body it is part of (``org:subOrganizationOf``), and for groupings the
    #: member countries (``org:hasMember``, ``memberships.ttl``).
    parent: str | None = None
    members: frozenset[str] = frozenset()

    def surface_forms(self) -> Iterator[tuple[str, str]]:
        """(form, how) pairs the text may use for this concept; ``how`` says which field."""
        yield self.label, "label"
        for form in self.alt_labels:
            yield form, "alias"
        for form in self.demonyms:
            yield form, "demonym"
        if not self.ambiguous_capital:
            for form in self.capitals:
                yield form, "capital"
        for form in self.government_aliases:
            yield form, "government"


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """All concepts, by IRI, with the collections (critical-mineral lists) they belong to."""

    concepts: dict[str, Concept]
    collection_labels: dict[str, str]

    def of_kind(self, kind: str) -> list[Concept]:
        """The concepts of one kind, sorted by IRI."""
        return sorted((c for c in self.concepts.values() if c.kind == kind), key=lambda c: c.iri)

    def get(self, iri: str | None) -> Concept | None:
        """The concept with this IRI, if any."""
        return self.concepts.get(iri) if iri else None


def _local(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def parse_vocabulary(sources: Iterable[bytes]) -> Vocabulary:
    """Build a :class:`Vocabulary` from Turtle documents.

    >>> ttl = b'''@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ... @prefix cm: <https://w3id.org/cmkg/ontology#> .
    ... <https://w3id.org/cmkg/id/mineral/copper> a skos:Concept, cm:Mineral ;
    ...     skos:prefLabel "copper"@en ; skos:altLabel "copper ore"@en ;
    ...     skos:exactMatch <http://www.wikidata.org/entity/Q753> .'''
    >>> copper = parse_vocabulary([ttl]).get("https://w3id.org/cmkg/id/mineral/copper")
    >>> copper.kind, copper.label, copper.alt_labels, copper.wikidata
    ('Mineral', 'copper', ('copper ore',), 'Q753')
    """
    props: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for source in sources:
        for triple in ox.parse(source, format=ox.RdfFormat.TURTLE):
            props[_local(triple.subject)][_local(triple.predicate)].append(_local(triple.object))
    members: dict[str, list[str]] = defaultdict(list)
    collection_labels: dict[str, str] = {}
    for subject, p in props.items():
        if SKOS + "Collection" in p.get(RDF_TYPE, ()):
            collection_labels[subject] = (p.get(SKOS + "prefLabel") or [subject])[0]
            for member in p.get(SKOS + "member", ()):
                members[member].append(subject)
    concepts: dict[str, Concept] = {}
    for subject, p in props.items():
        kind = next((KIND_BY_CLASS[t] for t in p.get(RDF_TYPE, ()) if t in KIND_BY_CLASS), None)
        kind = kind or next(
            (KIND_BY_SCHEME[s] for s in p.get(SKOS + "inScheme", ()) if s in KIND_BY_SCHEME), None
        )
        labels = p.get(SKOS + "prefLabel")
        if kind is None or not labels:
            continue
        wikidata = next(
            (m[len(WIKIDATA) :] for m in p.get(SKOS + "exactMatch", ()) if m.startswith(WIKIDATA)),
            None,
        )
        concepts[subject] = Concept(
            iri=subject,
            kind=kind,
            label=labels[0],
            alt_labels=tuple(
                sorted(set(p.get(SKOS + "altLabel", []) + p.get(SKOS + "hiddenLabel", [])))
            ),
            wikidata=wikidata,
            broader=tuple(sorted(p.get(SKOS + "broader", ()))),
            demonyms=tuple(sorted(p.get(CM + "demonym", ()))),
            capitals=tuple(sorted(p.get(CM + "capital", ()))),
            government_aliases=tuple(sorted(p.get(CM + "governmentAlias", ()))),
            ambiguous_capital="true" in p.get(CM + "ambiguousCapital", ()),
            iso2=next(iter(p.get(CM + "iso3166Alpha2", ())), None),
            iso3=next(iter(p.get(CM + "iso3166Alpha3", ())), None),
            scope=next(
                iter(
                    p.get(CM + "roleScope", ())
                    or p.get(CM + "orgKind", ())
                    or p.get(CM + "agreementKind", ())
                ),
                None,
            ),
            country=next(iter(p.get(CM + "country", ())), None),
            collections=tuple(sorted(members.get(subject, ()))),
            parent=next(iter(p.get(ORG + "subOrganizationOf", ())), None),
            members=frozenset(p.get(ORG + "hasMember", ())),
        )
    return Vocabulary(concepts, collection_labels)


@cache
def load_vocabulary() -> Vocabulary:
    """The vocabulary shipped in ``ontology/vocab/`` (parsed once per process)."""
    return parse_vocabulary(f.read_bytes() for f in ontology_files("vocab", ".ttl"))
