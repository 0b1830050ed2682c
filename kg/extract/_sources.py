"""News sources: mentions a statement comes from, never an actor of it.

"…, two officials told Reuters", "according to the International Energy Agency", "Bloomberg
reported": the agency is where the sentence's facts come from. Those mentions are left out of
the relation readers and recorded on each relation of their sentence as its source (PROV-O's
``prov:wasAttributedTo`` on the statement). The cue words are data (``cues.json``,
``source_before`` and ``source_after``); an organisation the vocabulary types as a news agency
is a source wherever it is named. The agency of a dateline ("LIMA, May 2 (Reuters) -") is the
source of every statement of the article that names no other.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from functools import cache

from kg.extract._mentions import DATELINE, cues
from kg.records import Mention, MentionRelation
from kg.vocab import Vocabulary

_NEWS_AGENCY = "https://w3id.org/cmkg/ontology#NewsAgency"
_SPACES = re.compile(r"\s+")


@cache
def _cues() -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(cues()["source_before"]), tuple(cues()["source_after"])


def source_mentions(text: str, mentions: list[Mention], vocabulary: Vocabulary) -> set[int]:
    """Indexes of the mentions that name where a statement comes from.

    >>> from kg.vocab import load_vocabulary
    >>> text = "Chile signed the deal, officials told Reuters."
    >>> found = [Mention("Chile", 0, 5, "Country"), Mention("Reuters", 38, 45, "Organization")]
    >>> source_mentions(text, found, load_vocabulary())
    {1}
    """
    before_cues, after_cues = _cues()
    found: set[int] = set()
    for i, m in enumerate(mentions):
        if m.label not in {"Organization", "Person"}:
            continue
        concept = vocabulary.get(m.concept)
        if concept is not None and concept.scope == _NEWS_AGENCY:
            found.add(i)
            continue
        before = _SPACES.sub(" ", text[max(0, m.start - 40) : m.start].lower()).rstrip()
        before = before.removesuffix(" the").removesuffix(" a")
        after = _SPACES.sub(" ", text[m.end : m.end + 40].lower()).lstrip(" ,")
        if before.endswith(before_cues) or after.startswith(after_cues):
            found.add(i)
    return found


def attribute(
    relations: list[MentionRelation], mentions: list[Mention], sources: set[int], text: str = ""
) -> list[MentionRelation]:
    """Each relation with the source named in its evidence sentence, else with the agency of
    the article's dateline ("LIMA, May 2 (Reuters) -": a wire story is the agency's report)."""
    if not sources:
        return relations
    ordered = sorted(sources, key=lambda i: mentions[i].start)
    starts = [mentions[i].start for i in ordered]
    dateline = DATELINE.match(text[:200])
    agency = next((i for i in ordered if dateline and mentions[i].end <= dateline.end()), None)
    out = []
    for r in relations:
        at = bisect_right(starts, r.evidence_end - 1) - 1
        if at >= 0 and starts[at] >= r.evidence_start and ordered[at] not in {r.head, r.tail}:
            r = dataclasses.replace(r, source=ordered[at])
        elif agency is not None and agency not in {r.head, r.tail}:
            r = dataclasses.replace(r, source=agency)
        out.append(r)
    return out
