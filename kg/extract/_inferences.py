"""Relations an analyst infers from what is named together, with the vocabulary's knowledge.

- A country named in the same sentence as a grouping it belongs to (``org:hasMember`` in
  ``ontology/vocab/memberships.ttl``), or as a body of that grouping, is a member of it: "projects
  in 13 EU countries: Belgium, Estonia, …".
- A body of an organisation (``org:subOrganizationOf``) named in an article where its parent
  is named too is a member of it ("the World Bank's International Finance Corporation").
- Countries and organisations party to one agreement in one sentence cooperate.
- Countries named in an agreement's name are its parties ("the US-India framework").
- A restriction stated in a sentence is not also a supply relation of the same mineral by the
  restricting country there, nor an import of it.

Each rule's confidence is data (``ontology/patterns/inferences.json``); the evidence is the
sentence that names them together.
"""

from __future__ import annotations

import itertools
import json
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from typing import Any

from kg.patterns import word_set
from kg.records import Mention, MentionRelation
from kg.resources import ontology_file
from kg.vocab import Vocabulary

#: Relations of a country or company supplying a mineral.
SUPPLY_RELATIONS = frozenset({"produces", "exports", "imports", "has_reserves_of"})


@cache
def _settings() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        ontology_file("patterns", "inferences.json").read_text("utf-8")
    )
    return data


@cache
def confidences() -> dict[str, float]:
    """Confidence of each inference rule, from ``patterns/inferences.json``."""
    return {k: float(v) for k, v in _settings()["confidence"].items()}


def inferred_relations(
    mentions: list[Mention],
    sentences: list[tuple[int, int]],
    vocabulary: Vocabulary,
    found: list[MentionRelation],
) -> list[MentionRelation]:
    """Memberships and co-parties' cooperation inferred from ``mentions`` and the relations
    ``found`` so far (see the module docstring)."""
    starts = [s for s, _ in sentences]

    def sentence(m: Mention) -> tuple[int, int]:
        at = bisect_right(starts, m.start) - 1
        return sentences[at] if at >= 0 else (m.start, m.end)

    return [
        *_memberships(mentions, sentence, vocabulary),
        *_co_parties(found, mentions),
    ]


def _memberships(
    mentions: list[Mention],
    sentence: Callable[[Mention], tuple[int, int]],
    vocabulary: Vocabulary,
) -> list[MentionRelation]:
    by_concept: dict[str, int] = {}
    for i, m in enumerate(mentions):
        if m.concept and m.label in {"Organization", "Country"}:
            by_concept.setdefault(m.concept, i)
    found: list[MentionRelation] = []
    member, body = confidences()["grouping_member"], confidences()["sub_organization"]
    in_sentence: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        in_sentence[sentence(m)].append(i)
    for span, group in in_sentence.items():
        for i in group:
            concept = vocabulary.get(mentions[i].concept)
            if concept is None or mentions[i].label != "Organization":
                continue
            parent = vocabulary.get(concept.parent)
            if parent is not None and parent.iri in by_concept and parent.iri != concept.iri:
                found.append(MentionRelation(i, "member_of", by_concept[parent.iri], body, *span))
            grouping = concept if concept.members else parent
            if grouping is None or not grouping.members or grouping.iri not in by_concept:
                continue
            tail = i if grouping is concept else by_concept[grouping.iri]
            for j in group:
                if mentions[j].label == "Country" and mentions[j].concept in grouping.members:
                    found.append(MentionRelation(j, "member_of", tail, member, *span))
    return found


def _co_parties(found: list[MentionRelation], mentions: list[Mention]) -> list[MentionRelation]:
    """Countries and organisations party to one agreement in one sentence cooperate."""
    parties: dict[tuple[int, int], list[MentionRelation]] = defaultdict(list)
    for r in found:
        if r.type == "party_to" and mentions[r.head].label in {"Country", "Organization"}:
            parties[(r.tail, r.evidence_start)].append(r)
    extra = []
    at_most = int(_settings()["co_parties_at_most"])
    for group in parties.values():
        heads = sorted({r.head for r in group}, key=lambda i: mentions[i].start)
        if len(heads) > at_most:
            continue
        for a, b in itertools.combinations(heads, 2):
            if mentions[a].concept and mentions[a].concept == mentions[b].concept:
                continue
            r = group[0]
            extra.append(
                MentionRelation(
                    a,
                    "cooperates_with",
                    b,
                    confidences()["co_parties"],
                    r.evidence_start,
                    r.evidence_end,
                    status=r.status,
                )
            )
    return extra


def named_parties(
    mentions: list[Mention], sentences: list[tuple[int, int]]
) -> list[MentionRelation]:
    """ "the US-India framework", "the India-Australia Critical Minerals Investment Partnership":
    countries named in an agreement's name are its parties."""
    found = []
    sentence_starts = [s for s, _ in sentences]
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
    starts = [mentions[i].start for i in order]
    for a, agreement in enumerate(mentions):
        if agreement.label != "Agreement":
            continue
        at = bisect_right(sentence_starts, agreement.start) - 1
        span = sentences[at] if at >= 0 else (agreement.start, agreement.end)
        lo, hi = bisect_left(starts, agreement.start), bisect_left(starts, agreement.end)
        for i in order[lo:hi]:
            if mentions[i].label == "Country":
                found.append(MentionRelation(i, "party_to", a, 0.6, span[0], span[1]))
    return found


def prefer_specific(
    found: list[MentionRelation], sentences: list[tuple[int, int]]
) -> list[MentionRelation]:
    """A restriction stated in a sentence is not also an export of the same mineral by the
    restricting country ("China restricted exports of gallium"), nor an import of it by anyone;
    a production stated with it stays ("Congo, the top cobalt producer, halted exports")."""
    starts = [s for s, _ in sentences]

    def sentence(r: MentionRelation) -> int:
        return bisect_right(starts, r.evidence_start) - 1

    restricted = {(sentence(r), r.head, r.tail) for r in found if r.type == "restricts_export_of"}
    minerals = {(at, tail) for at, _, tail in restricted}
    return [
        r
        for r in found
        if r.type not in SUPPLY_RELATIONS - {"produces"}
        or (
            (sentence(r), r.head, r.tail) not in restricted
            and not (r.type == "imports" and (sentence(r), r.tail) in minerals)
        )
    ]


def trades_no_minerals(
    relation: MentionRelation, mentions: list[Mention], vocabulary: Vocabulary
) -> bool:
    """An international organisation, forum, bank, research body, news agency or an office of
    state (a ministry, a geological survey) neither mines, holds, sells nor buys minerals ("the
    WTO ruled against the nickel ore export ban"; ``office_words`` of ``cues.json``).
    """
    if relation.type not in SUPPLY_RELATIONS:
        return False
    head = mentions[relation.head]
    concept = vocabulary.get(head.concept)
    if concept is not None:
        return (concept.scope or "").rsplit("#", 1)[-1] in _NO_TRADERS
    words = {w.lower() for w in head.text.split()}
    return head.label == "Organization" and not words.isdisjoint(word_set("office_words"))


_NO_TRADERS = frozenset(
    {"IntergovernmentalOrganization", "Forum", "NewsAgency", "FinancialInstitution"}
    | {"ResearchOrganization", "GovernmentBody"}
)


def with_itself(relation: MentionRelation, mentions: list[Mention], vocabulary: Vocabulary) -> bool:
    """A country cooperating with one of its own government bodies ("the Pentagon agreed an
    investment that made the US government its largest shareholder") says nothing."""
    if relation.type != "cooperates_with":
        return False
    a, b = mentions[relation.head], mentions[relation.tail]
    if b.label == "Country":
        a, b = b, a
    body = vocabulary.get(b.concept)
    return (
        a.label == "Country"
        and body is not None
        and (body.scope or "").endswith("GovernmentBody")
        and body.country == a.concept
    )
