"""Relations between mentions: role titles next to names, and trigger words between entities.

The trigger lexicon is data (``ontology/patterns/relations.jsonl``); this module only knows how to
read a sentence: which mentions stand before and after a trigger within one clause, and which cue
words (negation, plans, negotiation) change the status of what it states.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache

from kg.extract._mentions import cues
from kg.records import Mention, MentionRelation
from kg.resources import ontology_file, read_jsonl
from kg.vocab import Vocabulary

_WORD = re.compile(r"[\w'’.-]+|[^\w\s]")
# What may stand between a role title and the name it precedes, or an organisation and its role.
_GLUE = re.compile(r"^(?:\s|['’]s\b|\([A-Z][A-Za-z&]*\)|[(),])*$")


@dataclass(frozen=True, slots=True)
class Rule:
    """One line of the trigger lexicon."""

    relation: str
    head: frozenset[str]
    tail: frozenset[str]
    order: str
    confidence: float
    triggers: tuple[tuple[str, ...], ...]


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
        )
        for row in read_jsonl(ontology_file("patterns", "relations.jsonl"))
    )


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (or the part of one before a semicolon) with its mentions."""

    start: int
    end: int
    text: str
    mentions: list[int]


def extract_relations(
    text: str,
    mentions: list[Mention],
    sentences: list[tuple[int, int]],
    vocabulary: Vocabulary,
) -> list[MentionRelation]:
    """All relations found in ``text`` between ``mentions`` (indexes into that list)."""
    found: list[MentionRelation] = []
    focus = _focus_country(mentions)
    found.extend(_role_relations(text, mentions, vocabulary, focus))
    for clause in _clauses(text, mentions, sentences):
        entities = [i for i in clause.mentions if mentions[i].label != "Role"]
        if len(entities) < 2:
            continue
        found.extend(_trigger_relations(text, clause, mentions))
    return found


def people_by_role(text: str, mentions: list[Mention]) -> list[Mention]:
    """Names the model took for organisations but that carry a title are people:
    "Trade Minister Kenji Sato", "Kenji Sato, Japan's trade minister"."""
    fixed = list(mentions)
    for i, m in enumerate(mentions):
        if m.label != "Organization" or m.concept is not None or len(m.text.split()) > 4:
            continue
        titled = (
            i > 0 and mentions[i - 1].label == "Role" and _glued(text, mentions[i - 1].end, m.start)
        )
        if not titled:
            roles, _ = _roles_after(
                text, [*mentions[:i], replace(m, label="Person"), *mentions[i + 1 :]], i
            )
            titled = bool(roles)
        if titled and all(w[:1].isupper() for w in m.text.split()):
            fixed[i] = replace(m, label="Person")
    return fixed


def _focus_country(mentions: list[Mention]) -> int | None:
    counts = Counter(m.concept for m in mentions if m.label == "Country" and m.concept)
    if not counts:
        return None
    best = counts.most_common(1)[0][0]
    return next(i for i, m in enumerate(mentions) if m.concept == best)


@cache
def _clause_break() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in cues()["clause_breaks"]))


def _clauses(
    text: str, mentions: list[Mention], sentences: list[tuple[int, int]]
) -> list[Sentence]:
    """Sentences cut into clauses at semicolons and subordinate conjunctions ("as", "after")."""
    clauses: list[Sentence] = []
    starts = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
    for start, end in sentences:
        cuts = [start] + [m.end() for m in _clause_break().finditer(text, start, end)] + [end]
        for a, b in itertools.pairwise(cuts):
            piece = text[a:b]
            if not piece.strip():
                continue
            inside = [i for i in starts if a <= mentions[i].start and mentions[i].end <= b]
            clauses.append(Sentence(a, b, piece, inside))
    return clauses


def _role_relations(
    text: str, mentions: list[Mention], vocabulary: Vocabulary, focus: int | None
) -> list[MentionRelation]:
    """``holds_role_in`` from "X Chairman P", "X's Finance Minister P" and "P, X's minister"."""
    found: list[MentionRelation] = []
    for p_index, person in enumerate(mentions):
        if person.label != "Person":
            continue
        roles, holder = _roles_before(text, mentions, p_index)
        if not roles:
            roles, holder = _roles_after(text, mentions, p_index)
        if not roles:
            continue
        role_text = " ".join(mentions[r].text for r in roles)
        left, right = min(mentions[r].start for r in roles), max(mentions[r].end for r in roles)
        evidence = (min(left, person.start), max(right, person.end))
        if holder is not None:
            found.append(
                MentionRelation(p_index, "holds_role_in", holder, 0.85, *evidence, role=role_text)
            )
            continue
        concepts = [vocabulary.get(mentions[r].concept) for r in roles]
        scopes = {concept.scope for concept in concepts if concept is not None}
        if focus is not None and scopes & {_CM + "GovernmentRole"}:
            found.append(
                MentionRelation(p_index, "holds_role_in", focus, 0.5, *evidence, role=role_text)
            )
    return found


_CM = "https://w3id.org/cmkg/ontology#"
_HOLDERS = {"Organization", "Country"}


def _roles_before(text: str, mentions: list[Mention], p_index: int) -> tuple[list[int], int | None]:
    roles: list[int] = []
    cursor = mentions[p_index].start
    j = p_index - 1
    while j >= 0 and mentions[j].label == "Role" and _glued(text, mentions[j].end, cursor):
        roles.insert(0, j)
        cursor = mentions[j].start
        j -= 1
    if not roles:
        return [], None
    while j >= 0 and mentions[j].end > cursor:
        j -= 1
    if j >= 0 and mentions[j].label in _HOLDERS and _glued(text, mentions[j].end, cursor):
        return roles, j
    return roles, _holder_after_of(text, mentions, roles[-1], p_index)


def _holder_after_of(text: str, mentions: list[Mention], role: int, stop: int) -> int | None:
    """ "Minister of Finance of Pakistan": a holder right after "of" inside the title."""
    for k in range(role + 1, stop):
        between = text[mentions[role].end : mentions[k].start].strip().lower()
        if mentions[k].label in _HOLDERS and between in {"of", "of the", "for", "at"}:
            return k
    return None


def _roles_after(text: str, mentions: list[Mention], p_index: int) -> tuple[list[int], int | None]:
    """Appositions: "Aurangzeb, Pakistan's finance minister", "Bristow, chief executive of X"."""
    person = mentions[p_index]
    k = p_index + 1
    if k >= len(mentions) or not text[person.end : mentions[k].start].strip().startswith(","):
        return [], None
    gap = text[person.end : mentions[k].start].strip(" ,").lower()
    if gap not in {"", "the", "a", "an", "then"}:
        return [], None
    holder: int | None = None
    if (
        mentions[k].label in _HOLDERS
        and k + 1 < len(mentions)
        and mentions[k + 1].label == "Role"
        and _glued(text, mentions[k].end, mentions[k + 1].start)
    ):
        holder, k = k, k + 1
    if mentions[k].label != "Role":
        return [], None
    roles = [k]
    if holder is None:
        holder = _holder_after_of(text, mentions, k, min(len(mentions), k + 3))
    return roles, holder


def _glued(text: str, left: int, right: int) -> bool:
    if right < left:
        return False
    gap = text[left:right]
    if _GLUE.match(gap):
        return True
    honorifics = set(cues()["honorifics"])
    words = [w for w in gap.lower().split() if w]
    return bool(words) and len(words) <= 2 and all(w.strip(",") in honorifics for w in words)


def _tokens(text: str, start: int) -> list[tuple[str, int, int]]:
    return [(m.group().lower(), start + m.start(), start + m.end()) for m in _WORD.finditer(text)]


def _trigger_relations(
    text: str, clause: Sentence, mentions: list[Mention]
) -> list[MentionRelation]:
    tokens = _tokens(clause.text, clause.start)
    words = [t[0] for t in tokens]
    covered = [
        any(mentions[i].start <= s < mentions[i].end for i in clause.mentions) for _, s, _ in tokens
    ]
    found: list[MentionRelation] = []
    for rule in rules():
        for trigger in rule.triggers:
            n = len(trigger)
            for at in range(len(words) - n + 1):
                if tuple(words[at : at + n]) != trigger or any(covered[at : at + n]):
                    continue
                t_start, t_end = tokens[at][1], tokens[at + n - 1][2]
                status = _status(words, at)
                found.extend(_apply(rule, clause, mentions, t_start, t_end, status, tokens, text))
    return found


def _status(words: list[str], at: int) -> str:
    window = words[max(0, at - int(cues()["window"])) : at]
    if any(w in cues()["negated"] for w in window):
        return "negated"
    if any(w in cues()["negotiating"] for w in window + words[at : at + 1]):
        return "negotiating"
    if any(w in cues()["planned"] for w in window):
        return "planned"
    return "asserted"


def _is_place(text: str, mention: Mention, trigger_end: int) -> bool:
    before = text[max(0, mention.start - 12) : mention.start].split()
    if not before or mention.start - len(before[-1]) - 1 < trigger_end <= mention.start:
        return False
    return before[-1].lower() in cues()["place_prepositions"] and mention.label == "Country"


def _apply(
    rule: Rule,
    clause: Sentence,
    mentions: list[Mention],
    t_start: int,
    t_end: int,
    status: str,
    tokens: list[tuple[str, int, int]],
    text: str,
) -> list[MentionRelation]:
    def usable(i: int, kinds: frozenset[str]) -> bool:
        return mentions[i].label in kinds and not _is_place(text, mentions[i], t_end)

    before = [i for i in clause.mentions if mentions[i].end <= t_start]
    after = [i for i in clause.mentions if mentions[i].start >= t_end]
    heads_before = [i for i in before if usable(i, rule.head)]
    tails_after = [i for i in after if usable(i, rule.tail)]
    tails_before = [i for i in before if usable(i, rule.tail)]
    heads_after = [i for i in after if usable(i, rule.head)]
    pairs: list[tuple[int, int]] = []
    if rule.relation == "meets_with":
        tails = tails_after or _counterparts(text, after, mentions)
        pairs = [(h, t) for h in heads_before for t in tails]
    elif rule.relation == "party_to":
        agreements = [i for i in clause.mentions if mentions[i].label == "Agreement"]
        parties = [
            i for i in clause.mentions if usable(i, rule.head) and mentions[i].label != "Person"
        ]
        parties += [i for i in heads_before if mentions[i].label == "Person"]
        pairs = [(h, a) for a in agreements[:1] for h in parties]
    elif rule.order == "head-trigger-tail":
        if heads_before and tails_after:
            pairs = [(heads_before[0], t) for t in tails_after]
        elif rule.relation == "cooperates_with" and len(heads_before) >= 2:
            a, b = heads_before[-2], heads_before[-1]
            if text[mentions[a].end : mentions[b].start].strip() in {"-", "–", "and", "/"}:
                pairs = [(a, b)]
    else:
        passive = text[t_end : t_end + 4].lower() == " by "
        if passive:
            heads, tails = heads_after[:1], tails_before
        else:
            tails = tails_after or tails_before
            heads = [h for h in heads_before[::-1] + heads_after if h not in tails]
        if heads and tails:
            pairs = [(heads[0], t) for t in tails]
    evidence = (clause.start, clause.end)
    stripped = len(clause.text) - len(clause.text.lstrip())
    return [
        MentionRelation(
            h,
            rule.relation,
            t,
            rule.confidence,
            evidence[0] + stripped,
            evidence[0] + len(clause.text.rstrip()),
            status=status,
        )
        for h, t in pairs
        if h != t and not (mentions[h].concept and mentions[h].concept == mentions[t].concept)
    ]


def _counterparts(text: str, after: list[int], mentions: list[Mention]) -> list[int]:
    """ "met his Chinese and Indian counterparts": the countries whose officials were met."""
    found: list[int] = []
    for i in after:
        if mentions[i].label != "Country":
            continue
        rest = text[mentions[i].end : mentions[i].end + 60].lower()
        if re.match(
            r"^(?:\s*(?:and|,)\s*\w+)*\s*(?:counterparts?|officials?|delegations?|ministers?|leaders?)\b",
            rest,
        ):
            found.append(i)
    return found
