"""Events and agreement details read off resolved relations: who met whom (where, when), who
signed what (when, for how long), who restricted exports of what (against whom, from when)."""

from __future__ import annotations

import re
from collections import defaultdict

from kg.patterns import cues
from kg.records import Entity, Event, Mention, Relation

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "twenty-five": 25,
    "thirty": 30,
    "fifty": 50,
    "99": 99,
}
_DURATION = re.compile(r"\b(\d+|[a-z]+(?:-[a-z]+)?)[- ](year|month)s?(?:-long)?\b", re.I)
_PLACE = re.compile(r"\b(?:in|at)\s+((?:[A-Z][\w'’.-]+)(?:\s+(?:[A-Z][\w'’.-]+|of|de))*)")


def duration(text: str) -> str | None:
    """An ISO 8601 duration for "10-year", "ten-year", "six-month" in ``text``.

    >>> duration("a 10-year defense framework agreement"), duration("a six-month waiver")
    ('P10Y', 'P6M')
    """
    for match in _DURATION.finditer(text):
        raw = match.group(1).lower()
        number = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
        if number:
            return f"P{number}{'Y' if match.group(2).lower() == 'year' else 'M'}"
    return None


def agreement_details(
    entity: Entity, relations: list[Relation], type_label: str | None, date: str | None
) -> tuple[tuple[str, str], ...]:
    """Type, duration, status and date of one agreement from what the article says of it."""
    details: list[tuple[str, str]] = []
    if type_label:
        details.append(("agreement_type", type_label))
    said = [r for r in relations if r.tail == entity.id and r.type == "party_to"]
    found = duration(" ".join(entity.mentions)) or next(
        (d for d in (duration(r.evidence) for r in said) if d), None
    )
    if found:
        details.append(("duration", found))
    sign_verbs = tuple(cues()["sign_verbs"])
    statuses = {r.status for r in said}
    if any(
        re.search(r"\b(?:" + "|".join(sign_verbs) + r")\b", r.evidence.lower())
        for r in said
        if r.status == "asserted"
    ):
        details.append(("status", "signed"))
    elif "negotiating" in statuses:
        details.append(("status", "under negotiation"))
    elif "planned" in statuses:
        details.append(("status", "proposed"))
    if date and said:
        details.append(("date", date))
    return tuple(details)


def events(
    text: str,
    relations: list[Relation],
    names: dict[str, str],
    dates: list[Mention],
    article_date: str | None,
) -> list[Event]:
    """Meetings, signings and export restrictions, one per clause that states them."""
    by_clause: dict[tuple[int, int, str], list[Relation]] = defaultdict(list)
    for r in relations:
        if r.type in {"meets_with", "party_to", "restricts_export_of"} and r.status != "negated":
            by_clause[(r.start, r.end, r.type)].append(r)
    found: list[Event] = []
    for (start, end, kind), group in sorted(by_clause.items()):
        evidence = text[start:end]
        date = _date_in(dates, start, end) or article_date
        status = group[0].status
        if kind == "meets_with":
            people = sorted({x for r in group for x in (r.head, r.tail)})
            found.append(
                Event(
                    "meeting",
                    tuple(people),
                    evidence,
                    start,
                    end,
                    place=_place(evidence, names),
                    date=date,
                    status=status,
                )
            )
        elif kind == "party_to":
            for agreement in sorted({r.tail for r in group}):
                parties = tuple(sorted({r.head for r in group if r.tail == agreement}))
                signed = re.search(
                    r"\b(?:" + "|".join(cues()["sign_verbs"]) + r")\b", evidence.lower()
                )
                found.append(
                    Event(
                        "signing" if signed else "agreement",
                        parties,
                        evidence,
                        start,
                        end,
                        agreement=agreement,
                        place=_place(evidence, names),
                        date=date,
                        status=status,
                    )
                )
        else:
            for head in sorted({r.head for r in group}):
                minerals = tuple(sorted({r.tail for r in group if r.head == head}))
                found.append(
                    Event(
                        "export restriction",
                        (head,),
                        evidence,
                        start,
                        end,
                        minerals=minerals,
                        target=_target(evidence, names),
                        date=date,
                        status=status,
                    )
                )
    return found


def _date_in(dates: list[Mention], start: int, end: int) -> str | None:
    inside = [d.text for d in dates if start <= d.start and d.end <= end and not duration(d.text)]
    return inside[0] if inside else None


def _place(evidence: str, names: dict[str, str]) -> str | None:
    """Where it happened: the capitalised name after "in" or "at" ("in Islamabad")."""
    for match in _PLACE.finditer(evidence):
        place = match.group(1).rstrip(".,")
        if place.endswith(("’s", "'s")):
            continue  # "in Pakistan's mining sector" is not a place
        if place.split()[0] not in {
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        }:
            return place
    return None


def _target(evidence: str, names: dict[str, str]) -> str | None:
    """Against whom: the entity named after "to" or "against" ("exports … to the United States")."""
    low = evidence.lower()
    best: tuple[int, str] | None = None
    for iri, name in names.items():
        for cue in (" to ", " against ", " to the ", " against the "):
            at = low.find(cue + name.lower())
            if at >= 0 and (best is None or at < best[0]):
                best = (at, iri)
    return best[1] if best else None
