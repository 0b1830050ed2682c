"""Relations between mentions: role titles next to names (see ``_roles``), and trigger words
between entities within one clause.

The trigger lexicon is data (``ontology/patterns/relations.jsonl``); this module only knows how to
read a clause: which mentions stand before and after a trigger, which cue words (negation, plans,
negotiation) change the status of what it states, and which mentions are places or units rather
than actors ("talks in Beijing", "US $200 million").
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from kg.extract._clauses import Clause, after_be, clauses, global_before
from kg.extract._grammar import GrammarReading, group_nouns
from kg.extract._inferences import (
    SUPPLY_RELATIONS,
    inferred_relations,
    named_parties,
    prefer_specific,
    trades_no_minerals,
    with_itself,
)
from kg.extract._mentions import cues
from kg.extract._places import names_people
from kg.extract._roles import role_relations
from kg.extract._sources import attribute
from kg.records import Mention, MentionRelation
from kg.resources import ontology_file, read_jsonl
from kg.vocab import Vocabulary

_WORD = re.compile(r"[\w'’.-]+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Rule:
    """One line of the trigger lexicon."""

    relation: str
    head: frozenset[str]
    tail: frozenset[str]
    order: str
    confidence: float
    triggers: tuple[tuple[str, ...], ...]
    derives: dict[str, Any] | None = None
    head_side: str = "any"
    in_parsed_sentences: bool = True


@cache
def rules() -> tuple[Rule, ...]:
    """The trigger rules of ``ontology/patterns/relations.jsonl``."""
    return tuple(
        Rule(
            relation=row["relation"],
            head=frozenset(row["head"]),
            tail=frozenset(row["tail"]),
            order=row["order"],
            confidence=float(row["confidence"]),
            triggers=tuple(tuple(t.lower().split()) for t in row["triggers"]),
            derives=row.get("derives"),
            head_side=row.get("head_side", "any"),
            in_parsed_sentences=bool(row.get("in_parsed_sentences", True)),
        )
        for row in read_jsonl(ontology_file("patterns", "relations.jsonl"))
    )


@cache
def _by_first_word() -> dict[str, list[tuple[Rule, tuple[str, ...]]]]:
    index: dict[str, list[tuple[Rule, tuple[str, ...]]]] = defaultdict(list)
    for rule in rules():
        for trigger in rule.triggers:
            index[trigger[0]].append((rule, trigger))
    return index


def extract_relations(
    text: str,
    mentions: list[Mention],
    sentences: list[tuple[int, int]],
    vocabulary: Vocabulary,
    focus: int | None = None,
    parsed: GrammarReading | None = None,
    sources: set[int] | None = None,
    cut: list[tuple[int, int]] | None = None,
) -> list[MentionRelation]:
    """All relations found in ``text`` between ``mentions`` (indexes into that list); ``focus``
    is the mention of the country the article is about.

    ``parsed`` holds what the grammar reader (:mod:`kg.extract._grammar`) found in the parsed
    sentences. There the clause reader reads only the triggers the grammar did not read, and
    only for the relations whose rules say ``"in_parsed_sentences": true`` (those where its
    reading adds more than it gets wrong). ``sources`` are mentions that only say where a
    statement comes from (:mod:`kg.extract._sources`): never arguments, recorded as the source
    of the relations of their sentence. Clauses read in pieces (see :func:`clauses`) are added
    to ``cut``.
    """
    sources = sources or set()
    found = role_relations(text, mentions, sentences)
    read = bytearray(len(text))  # 2 in parsed sentences, 1 on the triggers the grammar read
    if parsed is not None:
        found.extend(parsed.relations)
        for start, end in parsed.sentences:
            read[start:end] = b"\x02" * (end - start)
        for start, end in parsed.triggers:
            read[start:end] = b"\x01" * (end - start)
    for clause in clauses(text, mentions, sentences, sources, cut):
        found.extend(_clause_relations(text, clause, mentions, focus, vocabulary, read))
    found.extend(named_parties(mentions, sentences))
    found.extend(inferred_relations(mentions, sentences, vocabulary, found))
    found = [
        r
        for r in found
        if not (trades_no_minerals(r, mentions, vocabulary) or with_itself(r, mentions, vocabulary))
    ]
    return attribute(prefer_specific(found, sentences), mentions, sources, text)


def _clause_relations(
    text: str,
    clause: Clause,
    mentions: list[Mention],
    focus: int | None,
    vocabulary: Vocabulary,
    read: bytearray,
) -> list[MentionRelation]:
    actors = [i for i in clause.mentions if mentions[i].label not in {"Role", "Date"}]
    minerals = any(mentions[i].label == "Mineral" for i in actors)
    if len(actors) < 2 and not (minerals and focus is not None):
        return []
    tokens = [
        (m.group().lower(), clause.start + m.start(), clause.start + m.end())
        for m in _WORD.finditer(clause.text)
    ]
    words = [t[0] for t in tokens]
    covered = bytearray(len(clause.text))  # 1 where a mention of the clause covers the text
    for i in clause.mentions:
        a, b = mentions[i].start - clause.start, mentions[i].end - clause.start
        covered[a:b] = b"\x01" * (b - a)
    inside = [covered[s - clause.start] == 1 for _, s, _ in tokens]
    found: list[MentionRelation] = []
    index = _by_first_word()
    for at, word in enumerate(words):
        for rule, trigger in index.get(word, ()):
            n = len(trigger)
            if tuple(words[at : at + n]) != trigger or any(inside[at : at + n]):
                continue
            marks = read[tokens[at][1] : tokens[at + n - 1][2]]
            if 1 in marks or (2 in marks and not rule.in_parsed_sentences):
                continue  # the grammar reader read this trigger, or reads this relation
            trig = _Trigger(tokens[at][1], tokens[at + n - 1][2], _status(words, at), trigger)
            found.extend(_apply(rule, clause, mentions, trig, text, focus, vocabulary))
    return found


@dataclass(frozen=True, slots=True)
class _Trigger:
    start: int
    end: int
    status: str
    words: tuple[str, ...]


def _status(words: list[str], at: int) -> str:
    window = words[max(0, at - int(cues()["window"])) : at]
    if any(w in cues()["negated"] for w in window):
        return "negated"
    if any(w in cues()["negotiating"] for w in window + words[at : at + 1]):
        return "negotiating"
    if any(w in cues()["planned"] for w in window):
        return "planned"
    return "asserted"


def _not_an_actor(text: str, mention: Mention, trigger_end: int) -> bool:
    """A country named as a place ("talks in Beijing") or a unit ("US $200 million"); an
    organisation named as a venue ("on the sidelines of ADMM-Plus", "at an ASEAN summit")."""
    if mention.label == "Organization":
        lead = " ".join(text[max(0, mention.start - 30) : mention.start].lower().split()[-4:])
        lead = lead.removesuffix(" the").removesuffix(" an").removesuffix(" a")
        trail = text[mention.end : mention.end + 10].lower().split()[:1]
        return any(lead.endswith(v) for v in cues()["venue_words"]) or trail == ["summit"]
    if mention.label != "Country":
        return False
    after = text[mention.end : mention.end + 12].strip().lower().split()
    if after and (after[0] in cues()["unit_words"] or after[0][:1] == "$"):
        return True
    before = text[max(0, mention.start - 16) : mention.start].split()
    if before and re.fullmatch(r"[\d.,]+|million|billion", before[-1].lower()):
        return True
    if text[mention.end : mention.end + 1] in {"-", "–"}:
        return False  # "Pakistan-US relations": a modifier, not a place
    if not before or mention.start - len(before[-1]) - 1 < trigger_end <= mention.start:
        return False
    return before[-1].lower() in cues()["place_prepositions"]


def _apply(
    rule: Rule,
    clause: Clause,
    mentions: list[Mention],
    trig: _Trigger,
    text: str,
    focus: int | None,
    vocabulary: Vocabulary,
) -> list[MentionRelation]:
    def usable(i: int, kinds: frozenset[str]) -> bool:
        if mentions[i].label not in kinds:
            return False
        if rule.relation == "restricts_export_of" and mentions[i].label == "Organization":
            return _government_body(mentions[i], vocabulary)
        if rule.relation in SUPPLY_RELATIONS and names_people(text, mentions[i], group_nouns()):
            return False  # "provided U.S. officials with mining assets": not the owner
        return mentions[i].label in kinds and not _not_an_actor(text, mentions[i], trig.end)

    before = [i for i in clause.mentions if mentions[i].end <= trig.start]
    after = [i for i in clause.mentions if mentions[i].start >= trig.end]
    heads_before = [i for i in before if usable(i, rule.head)]
    heads_after = [i for i in after if usable(i, rule.head)]
    tails_before = [i for i in before if usable(i, rule.tail)]
    tails_after = [i for i in after if usable(i, rule.tail)]
    passive = trig.words[-1] == "by" or text[trig.end : trig.end + 4].lower() == " by "
    if not passive and rule.relation in SUPPLY_RELATIONS and after_be(text, trig.start):
        return []  # "output that can be sold under contracts": nobody named sells
    pairs: list[tuple[int, int]] = []
    derived: list[MentionRelation] = []
    if rule.relation == "meets_with":
        if not passive:
            heads = heads_before or _pronoun_subject(text, clause, mentions)
            tails = tails_after or _counterparts(text, after, mentions)
            pairs = [(h, t) for h in heads for t in tails]
    elif rule.relation == "party_to":
        agreements = [i for i in clause.mentions if mentions[i].label == "Agreement"]
        signing = trig.words[0] in cues()["sign_verbs"]
        if agreements:
            agreement = agreements[0]
            allowed = [i for i in heads_before if mentions[i].label != "Person" or signing]
            parties = _subject_group(text, allowed, mentions)
            parties += _with_group(text, heads_after + heads_before, mentions, agreement, trig)
            parties += [
                i
                for i in clause.mentions
                if mentions[i].label == "Country"
                and mentions[agreement].start <= mentions[i].start < mentions[agreement].end
            ]
            pairs = [(h, agreement) for h in dict.fromkeys(parties)]
    elif rule.order == "head-trigger-tail":
        global_subject = global_before(text, trig.start)
        pair = _hyphen_pair(text, heads_before, mentions, trig.start)
        if rule.relation == "cooperates_with" and pair:
            pairs = [pair]  # "Pakistan-US relations"
        elif heads_before and tails_after and not global_subject:
            pairs = [(heads_before[0], t) for t in tails_after[:1] if rule.relation == "depends_on"]
            pairs = pairs or [(heads_before[0], t) for t in tails_after]
        if rule.derives and tails_after:
            derived = _derive(rule.derives, tails_after[0], after, mentions, text, clause, trig)
    elif passive:
        pairs = [(heads_after[0], t) for t in tails_before] if heads_after else []
    else:
        tails = tails_after or tails_before
        after_ok = heads_after if rule.head_side == "any" else []
        heads = [h for h in heads_before[::-1] + after_ok if h not in tails]
        if (
            not heads
            and rule.relation in SUPPLY_RELATIONS
            and focus is not None
            and not _has_actor(clause, mentions)
        ):
            heads = [focus]  # "zinc and salt show good export potential": the article's country
        pairs = [(heads[0], t) for t in tails] if heads else []
    made = [_relation(h, rule.relation, t, rule.confidence, clause, trig.status) for h, t in pairs]
    return [r for r in made + derived if _distinct(mentions, r.head, r.tail)]


def _hyphen_pair(
    text: str, heads: list[int], mentions: list[Mention], at: int
) -> tuple[int, int] | None:
    """The two actors joined right before a trigger: "Pakistan-US relations", "US and EU ties"."""
    if len(heads) < 2:
        return None
    a, b = heads[-2], heads[-1]
    joined = text[mentions[a].end : mentions[b].start].strip() in {"-", "–", "and", "/"}
    close = len(text[mentions[b].end : at].split()) <= 2
    return (a, b) if joined and close else None


def _subject_group(text: str, heads: list[int], mentions: list[Mention]) -> list[int]:
    """The actors right before a verb, joined by "and" or commas: "Chile and Japan signed"."""
    if not heads:
        return []
    group = [heads[-1]]
    for i in reversed(heads[:-1]):
        gap = text[mentions[i].end : mentions[group[0]].start].strip().lower()
        gap = gap.removesuffix(" the").removesuffix("the").strip()
        if gap in {"and", ",", ", and", "-", "–", "/", "along with", "together with"}:
            group.insert(0, i)
        else:
            break
    return group


def _with_group(
    text: str, heads: list[int], mentions: list[Mention], agreement: int, trig: _Trigger
) -> list[int]:
    """The other side: "… with India", "between X and Y", after the trigger or the agreement."""
    found: list[int] = []
    anchor = max(trig.end, mentions[agreement].end)
    start = min(trig.end, mentions[agreement].end)
    for i in sorted(h for h in heads if mentions[h].start >= start):
        gap = text[anchor : mentions[i].start].strip().lower()
        if gap.endswith(("with", "between", "and", ",", "with the", "between the", "and the")):
            found.append(i)
            anchor = mentions[i].end
        elif found:
            break
    return found


def _government_body(mention: Mention, vocabulary: Vocabulary) -> bool:
    """A ministry or government that acts for its country ("the commerce ministry banned …")."""
    concept = vocabulary.get(mention.concept)
    if concept is not None:
        return concept.country is not None and (concept.scope or "").endswith("GovernmentBody")
    words = set(mention.text.lower().split())
    return bool(words & {"ministry", "government", "department", "cabinet"})


def _has_actor(clause: Clause, mentions: list[Mention]) -> bool:
    return any(mentions[i].label in {"Country", "Organization", "Person"} for i in clause.mentions)


def _derive(
    spec: dict[str, Any],
    head: int,
    after: list[int],
    mentions: list[Mention],
    text: str,
    clause: Clause,
    trig: _Trigger,
) -> list[MentionRelation]:
    """A second relation the same words state ("dependence on China for rare earths" → China
    dominates the supply of rare earths)."""
    marker = text.find(f" {spec['after']} ", mentions[head].end, clause.end)
    if marker < 0 or mentions[head].label != "Country":
        return []
    tails = [i for i in after if mentions[i].start > marker and mentions[i].label in spec["tail"]]
    return [
        _relation(head, spec["relation"], t, float(spec["confidence"]), clause, trig.status)
        for t in tails
    ]


def _relation(
    head: int, kind: str, tail: int, confidence: float, clause: Clause, status: str
) -> MentionRelation:
    lead = len(clause.text) - len(clause.text.lstrip())
    return MentionRelation(
        head,
        kind,
        tail,
        confidence,
        clause.start + lead,
        clause.start + len(clause.text.rstrip()),
        status=status,
    )


def _distinct(mentions: list[Mention], h: int, t: int) -> bool:
    return h != t and not (mentions[h].concept and mentions[h].concept == mentions[t].concept)


def _pronoun_subject(text: str, clause: Clause, mentions: list[Mention]) -> list[int]:
    """ "he held talks with …": the person last named before the clause."""
    first = clause.text.strip().split(" ", 1)[0].lower()
    if first not in cues()["pronouns"]:
        return []
    earlier = [i for i, m in enumerate(mentions) if m.label == "Person" and m.end <= clause.start]
    return earlier[-1:]


def _counterparts(text: str, after: list[int], mentions: list[Mention]) -> list[int]:
    """ "met his Chinese and Indian counterparts": the countries whose officials were met."""
    found: list[int] = []
    pattern = (
        r"^(?:\s*(?:and|,)\s*\w+)*\s*"
        r"(?:counterparts?|officials?|delegations?|ministers?|leaders?)\b"
    )
    for i in after:
        if mentions[i].label == "Country" and re.match(
            pattern, text[mentions[i].end : mentions[i].end + 60].lower()
        ):
            found.append(i)
    return found
