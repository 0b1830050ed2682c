"""Events and agreement details as RDF: SEM events typed by kind, OWL-Time durations."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import cache

import pyoxigraph as ox

from kg.rdf._terms import Triple, cm, oa, owltime, rdf, schema, sem, xsd
from kg.records import Entity, Event
from kg.vocab import load_vocabulary

EVENT_CLASS = {
    "meeting": cm.Meeting,
    "signing": cm.Signing,
    "agreement": cm.AgreementEvent,
    "export restriction": cm.ExportRestriction,
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
    yield node, rdf.type, sem.Event
    yield node, rdf.type, EVENT_CLASS.get(event.kind, cm.AgreementEvent)
    for actor in event.participants:
        yield node, sem.hasActor, ox.NamedNode(actor)
    if event.agreement:
        yield node, cm.agreement, ox.NamedNode(event.agreement)
    for mineral in event.minerals:
        yield node, cm.mineral, ox.NamedNode(mineral)
    if event.target:
        yield node, cm.target, ox.NamedNode(event.target)
    if event.place:
        yield node, cm.placeName, ox.Literal(event.place)
    if event.date and _ISO_DATE.match(event.date):
        yield (
            node,
            sem.hasTimeStamp,
            ox.Literal(event.date, datatype=xsd.date),
        )
    elif event.date:
        yield node, cm.dateText, ox.Literal(event.date)
    yield node, cm.status, ox.Literal(event.status)
    yield node, cm.sourceArticle, article
    selector = ox.NamedNode(node.value + "-evidence")
    yield node, cm.evidence, selector
    yield selector, rdf.type, oa.TextQuoteSelector
    yield selector, oa.exact, ox.Literal(event.evidence)
    yield (
        selector,
        oa.start,
        ox.Literal(str(event.start), datatype=xsd.integer),
    )
    yield (
        selector,
        oa.end,
        ox.Literal(str(event.end), datatype=xsd.integer),
    )
    yield selector, cm.sourceArticle, article


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
        yield node, cm.agreementType, ox.NamedNode(kind)
    if "duration" in details:
        yield (
            node,
            owltime.hasXSDDuration,
            ox.Literal(details["duration"], datatype=xsd.duration),
        )
    if "status" in details:
        yield node, cm.status, ox.Literal(details["status"])
    if "date" in details and _ISO_DATE.match(details["date"]):
        yield (
            node,
            schema.startDate,
            ox.Literal(details["date"], datatype=xsd.date),
        )
