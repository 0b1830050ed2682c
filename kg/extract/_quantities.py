"""Quantities the article states: value as written, unit, a normalised number, subject."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from spacy.tokens import Span

from kg.records import Mention, MentionQuantity
from kg.resources import ontology_file

_SOURCE_CUES = ("according to", "report by", "data from", "figures from", "estimates by")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")


@cache
def _units() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ontology_file("patterns", "units.json").read_text("utf-8"))
    return data


def normalize(text: str) -> tuple[float | None, str | None]:
    """The number a quantity phrase states, scaled, and its unit.

    >>> normalize("68.5 million metric tons")
    (68500000.0, 't')
    >>> normalize("US $8.5 billion")
    (8500000000.0, 'USD')
    >>> normalize("two to three percent")
    (2.0, '%')
    """
    low = text.lower().replace("\u00a0", " ")
    value: float | None = None
    match = _NUMBER.search(low)
    words = re.findall(r"[a-z]+|[%$€²]", low)
    if match:
        value = float(match.group().replace(",", ""))
        tail = low[match.end() :]
    else:
        found = next((w for w in words if w in _units()["words"]), None)
        if found is None:
            return None, _unit_of(low)
        value = float(_units()["words"][found])
        tail = low[low.index(found) + len(found) :]
    scale = re.match(r"\s*([a-z]+)", tail)
    if scale and scale.group(1) in _units()["scales"]:
        value *= float(_units()["scales"][scale.group(1)])
    return value, _unit_of(low)


def _unit_of(low: str) -> str | None:
    for row in _units()["units"]:
        for form in row["forms"]:
            pattern = re.escape(form) if not form[0].isalpha() else r"\b" + re.escape(form) + r"\b"
            if re.search(pattern, low):
                return str(row["unit"])
    return None


def extract_quantities(
    numbers: list[Span], offset: int, mentions: list[Mention], focus: int | None, text: str
) -> list[MentionQuantity]:
    """One quantity per MONEY/PERCENT/QUANTITY span (and CARDINAL with digits)."""
    found: list[MentionQuantity] = []
    for span in numbers:
        if span.label_ == "CARDINAL" and not any(ch.isdigit() for ch in span.text):
            continue
        start = span.start_char + offset
        sentence = span.sent
        s_start, s_end = sentence.start_char + offset, sentence.end_char + offset
        subject = _subject(mentions, text, start, s_start)
        if subject is None:
            subject = focus
        if subject is None:
            continue
        mineral = _nearest(mentions, start, s_start, s_end, {"Mineral"})
        value, unit = normalize(span.text)
        found.append(
            MentionQuantity(
                subject=subject,
                value=span.text,
                unit=unit,
                what=_what(span),
                evidence_start=s_start,
                evidence_end=s_end,
                normalized=value,
                mineral=mineral,
            )
        )
    return found


def _subject(mentions: list[Mention], text: str, at: int, s_start: int) -> int | None:
    """The nearest country or organisation before the number in its sentence, leaving out
    sources ("according to a report by X")."""
    for i in range(len(mentions) - 1, -1, -1):
        m = mentions[i]
        if m.end > at or m.start < s_start or m.label not in {"Country", "Organization"}:
            continue
        lead = text[s_start : m.start].lower()
        cue = max(lead.rfind(c) for c in _SOURCE_CUES)
        if cue >= 0 and "," not in lead[cue:]:
            continue
        return i
    return None


def _nearest(
    mentions: list[Mention], at: int, s_start: int, s_end: int, kinds: set[str]
) -> int | None:
    inside = [
        i
        for i, m in enumerate(mentions)
        if s_start <= m.start and m.end <= s_end and m.label in kinds
    ]
    return min(inside, key=lambda i: abs(mentions[i].start - at)) if inside else None


def _what(span: Span) -> str:
    """The few words after the number that say what it measures ("of copper a year")."""
    doc = span.doc
    words: list[str] = []
    for token in doc[span.end : min(len(doc), span.end + 8)]:
        if token.is_punct or token.is_sent_start:
            break
        words.append(token.text)
    if not words:
        words = [
            t.text for t in doc[max(span.sent.start, span.start - 5) : span.start] if not t.is_punct
        ]
    return " ".join(words)
