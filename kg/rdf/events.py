"""Events and agreement details as RDF: SEM events typed by kind, OWL-Time durations."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import cache

import pyoxigraph as ox
from rdflib import RDF, XSD

from kg.rdf._terms import Triple
from kg.rdf._terms import iri as _n
from kg.rdf.namespace import CM
from kg.records import Entity, Event
from kg.vocab import load_vocabulary

SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
TIME = "http://www.w3.org/2006/time#"
SCHEMA = "https://schema.org/"
EVENT_CLASS = {
    "meeting": CM.Meeting,
    "signing": CM.Signing,
    "agreement": CM.AgreementEvent,
    "export restriction": CM.ExportRestriction,
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@cache
def _agreement_types() -> dict[str, str]:
    return {c.label: c.iri for c in load_vocabulary().of_kind("AgreementType")}


def event_triples(event: Event, graph: ox.NamedNode, article: ox.NamedNode) -> Iterator[Triple]:
    """One event: ``sem:Event`` and its kind, actors, agreement, minerals, target, place, date.

    >>> ev = Event("meeting", ("urn:x:a", "urn:x:b"), "A met B in Lima.", 0, 16, place="Lima")
    >>> triples = list(event_triples(ev, ox.NamedNode("urn:g"), ox.NamedNode("urn:art")))
    >>> sorted(str(o) for _, p, o in triples if p.value.endswith("hasActor"))
    ['<urn:x:a>', '<urn:x:b>']
    """
    key = hashlib.sha1(
        f"{graph.value}|{event.kind}|{event.start}|{event.agreement}|{event.participants}".encode()
    )
    node = ox.NamedNode(f"https://w3id.org/cmkg/event/{key.hexdigest()[:20]}")
    yield node, _n(RDF.type), ox.NamedNode(SEM + "Event")
    yield node, _n(RDF.type), _n(EVENT_CLASS.get(event.kind, CM.AgreementEvent))
    for actor in event.participants:
        yield node, ox.NamedNode(SEM + "hasActor"), ox.NamedNode(actor)
    if event.agreement:
        yield node, _n(CM.agreement), ox.NamedNode(event.agreement)
    for mineral in event.minerals:
        yield node, _n(CM.mineral), ox.NamedNode(mineral)
    if event.target:
        yield node, _n(CM.target), ox.NamedNode(event.target)
    if event.place:
        yield node, _n(CM.placeName), ox.Literal(event.place)
    if event.date and _ISO_DATE.match(event.date):
        yield (
            node,
            ox.NamedNode(SEM + "hasTimeStamp"),
            ox.Literal(event.date, datatype=_n(XSD.date)),
        )
    elif event.date:
        yield node, _n(CM.dateText), ox.Literal(event.date)
    yield node, _n(CM.status), ox.Literal(event.status)
    yield node, _n(CM.sourceArticle), article
    selector = ox.NamedNode(node.value + "-evidence")
    yield node, _n(CM.evidence), selector
    yield selector, _n(RDF.type), ox.NamedNode("http://www.w3.org/ns/oa#TextQuoteSelector")
    yield selector, ox.NamedNode("http://www.w3.org/ns/oa#exact"), ox.Literal(event.evidence)
    yield (
        selector,
        ox.NamedNode("http://www.w3.org/ns/oa#start"),
        ox.Literal(str(event.start), datatype=_n(XSD.integer)),
    )
    yield (
        selector,
        ox.NamedNode("http://www.w3.org/ns/oa#end"),
        ox.Literal(str(event.end), datatype=_n(XSD.integer)),
    )
    yield selector, _n(CM.sourceArticle), article


def agreement_triples(entity: Entity) -> Iterator[Triple]:
    """An agreement's type (a concept of the agreement-types scheme), duration, status, date.

    >>> e = Entity("urn:x:a", "deal", "Agreement", (), details=(("duration", "P10Y"),))
    >>> [(p.value.rsplit("#", 1)[-1], o.value) for _, p, o in agreement_triples(e)]
    [('hasXSDDuration', 'P10Y')]
    """
    node = ox.NamedNode(entity.id)
    details = dict(entity.details)
    kind = _agreement_types().get(details.get("agreement_type", ""))
    if kind:
        yield node, _n(CM.agreementType), ox.NamedNode(kind)
    if "duration" in details:
        yield (
            node,
            ox.NamedNode(TIME + "hasXSDDuration"),
            ox.Literal(details["duration"], datatype=_n(XSD.duration)),
        )
    if "status" in details:
        yield node, _n(CM.status), ox.Literal(details["status"])
    if "date" in details and _ISO_DATE.match(details["date"]):
        yield (
            node,
            ox.NamedNode(SCHEMA + "startDate"),
            ox.Literal(details["date"], datatype=_n(XSD.date)),
        )
