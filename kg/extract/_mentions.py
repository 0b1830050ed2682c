"""From a processed spaCy ``Doc`` to plain :class:`~kg.records.Mention` records.

Agreement mentions are grown from the agreement-type words the vocabulary matched ("framework
agreement") over their modifiers ("a 10-year defense framework agreement"); acronyms defined in
parentheses ("… Forum (CMF)") become mentions linked to the name they abbreviate.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from kg.records import Mention
from kg.resources import ontology_file

KEPT_LABELS = {"Person", "Organization", "Country", "Mineral", "Role", "AgreementType"}
NUMERIC_LABELS = {"MONEY", "PERCENT", "QUANTITY", "CARDINAL"}
_MODIFIER_POS = {"ADJ", "NOUN", "PROPN", "NUM"}
_HYPHENS = {"-", "–", "—"}
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&]*[A-Z][A-Za-z&]*$")


@cache
def cues() -> dict[str, Any]:
    """Cue word lists from ``ontology/patterns/cues.json``."""
    data: dict[str, Any] = json.loads(ontology_file("patterns", "cues.json").read_text("utf-8"))
    return data


@dataclass(frozen=True, slots=True)
class DocMentions:
    """Mentions of one doc (sorted by offset) and acronym links (long index, short index)."""

    mentions: list[Mention]
    acronyms: list[tuple[int, int]]
    numbers: list[Span]


def collect_mentions(doc: Doc, offset: int, excluded: tuple[tuple[int, int], ...]) -> DocMentions:
    """Mentions in ``doc``, with offsets shifted by ``offset``, outside ``excluded`` spans."""
    sent_index = {s.start: i for i, s in enumerate(doc.sents)}
    starts = sorted(sent_index)

    def sentence_of(token_i: int) -> int:
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= token_i:
                lo = mid
            else:
                hi = mid - 1
        return sent_index[starts[lo]] if starts else 0

    def is_excluded(span: Span) -> bool:
        a, b = span.start_char + offset, span.end_char + offset
        return any(s <= a < e or s < b <= e for s, e in excluded)

    spans: list[tuple[Span, str, str | None]] = []
    numbers: list[Span] = []
    for ent in doc.ents:
        if is_excluded(ent):
            continue
        if ent.label_ in NUMERIC_LABELS:
            numbers.append(ent)
        elif ent.label_ == "AgreementType":
            grown = _grow_agreement(doc, ent)
            if grown is not None:
                spans.append((grown, "Agreement", ent.kb_id_ or None))
        elif ent.label_ in KEPT_LABELS:
            spans.append((ent, ent.label_, ent.kb_id_ or None))
    mentions = [
        Mention(
            text=span.text,
            start=span.start_char + offset,
            end=span.end_char + offset,
            label=label,
            concept=concept,
            sentence=sentence_of(span.start),
        )
        for span, label, concept in spans
    ]
    acronyms = _acronym_links(doc, spans, mentions, offset, sentence_of)
    order = sorted(range(len(mentions)), key=lambda i: (mentions[i].start, -mentions[i].end))
    position = {old: new for new, old in enumerate(order)}
    return DocMentions(
        mentions=[mentions[i] for i in order],
        acronyms=[(position[a], position[b]) for a, b in acronyms],
        numbers=numbers,
    )


def _grow_agreement(doc: Doc, ent: Span) -> Span | None:
    """The agreement-type match with its left modifiers; None for a bare evaluative 'framework'."""
    sent_start = ent.sent.start if doc.has_annotation("SENT_START") else 0
    start = ent.start
    while start > sent_start:
        token = doc[start - 1]
        if token.text in _HYPHENS or _is_modifier(token):
            start -= 1
        else:
            break
    while start < ent.start and (
        doc[start].text in _HYPHENS or (doc[start].pos_ == "ADJ" and _empty_descriptor(doc[start]))
    ):
        start += 1
    grown = doc[start : ent.end]
    head = ent.text.lower()
    if (
        head in {"framework", "partnership", "deal", "agreement", "accord", "pact"}
        and start == ent.start
    ):
        # A bare noun: kept when the sentence shows an actual instrument (handled by the resolver
        # as an anaphor); a "detailed framework for collaboration" is not an agreement.
        prev = doc[ent.start - 1] if ent.start > 0 else None
        if prev is not None and prev.lower_ in cues()["agreement_descriptors_without_content"]:
            return None
    if any(t.pos_ == "VERB" for t in ent):
        return None
    return grown


def _is_modifier(token: Token) -> bool:
    if token.ent_type_ in {"Country", "Organization", "Mineral"}:
        return True
    if token.pos_ in _MODIFIER_POS and token.tag_ != "POS" and not token.is_stop:
        return not _empty_descriptor(token)
    return False


def _empty_descriptor(token: Token) -> bool:
    return token.lower_ in cues()["agreement_descriptors_without_content"]


def _acronym_links(
    doc: Doc,
    spans: list[tuple[Span, str, str | None]],
    mentions: list[Mention],
    offset: int,
    sentence_of: Any,
) -> list[tuple[int, int]]:
    """Mentions for acronyms defined as ``Long Name (ACR)`` and for their later uses, linked to
    the long name's mention (the NER may have missed or mislabelled them)."""
    defined: dict[str, int] = {}
    for index, (span, label, _) in enumerate(list(spans)):
        if label not in {"Organization", "Agreement"} or span.end + 2 >= len(doc):
            continue
        short = doc[span.end + 1]
        if (
            doc[span.end].text == "("
            and doc[span.end + 2].text == ")"
            and _ACRONYM.match(short.text)
        ):
            defined.setdefault(short.text, index)
    if not defined:
        return []
    at = {(m.start, m.end): i for i, m in enumerate(mentions)}
    links: list[tuple[int, int]] = []
    for token in doc:
        long_index = defined.get(token.text)
        if long_index is None:
            continue
        start = token.idx + offset
        key = (start, start + len(token))
        if key in at:
            links.append((long_index, at[key]))
            continue
        if any(m.start <= start < m.end for m in mentions):
            continue
        long = mentions[long_index]
        mentions.append(
            Mention(token.text, key[0], key[1], long.label, long.concept, sentence_of(token.i))
        )
        at[key] = len(mentions) - 1
        links.append((long_index, len(mentions) - 1))
    return links
