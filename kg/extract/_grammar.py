"""Relations read from the dependency parse of candidate sentences.

The patterns are data (``ontology/patterns/grammar.jsonl``): each is a spaCy
:class:`~spacy.matcher.DependencyMatcher` pattern anchored on a ``trigger`` token, plus the
relations it states, each naming which node of the pattern, or which grammar slot of the trigger
(:mod:`kg.extract._slots`: subject, actor, owner, theme, a preposition…), is its head and
which its tail. :class:`~kg.extract._arguments.Arguments` turns those tokens into mentions
(conjuncts, appositions, "such as" lists, pronouns). Types are checked against the relation's
signature (``relations.jsonl``, or the statement's own ``head_types``/``tail_types``). News
sources ("according to Reuters") are never arguments.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from kg.extract._arguments import Arguments
from kg.extract._article import ArticleMentions
from kg.extract._matcher import GatedDependencyMatcher
from kg.extract._mentions import cues
from kg.extract._slots import slot
from kg.records import SYMMETRIC_RELATIONS, Mention, MentionRelation
from kg.resources import ontology_file

_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)$")


@dataclass(frozen=True, slots=True)
class Statement:
    """One relation a pattern states: its type, head and tail (node or slot names), and the
    argument types when they differ from the relation's signature."""

    type: str
    head: str
    tail: str
    confidence: float
    head_types: frozenset[str] | None = None
    tail_types: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class GrammarPattern:
    """One line of ``grammar.jsonl``."""

    id: str
    nodes: tuple[str, ...]
    statements: tuple[Statement, ...]
    pattern: tuple[dict[str, Any], ...]
    #: node → words: the match does not count when that node has a child among them.
    unless: tuple[tuple[str, frozenset[str]], ...] = ()
    #: A share (percent) under which the match does not count, when the trigger's phrase
    #: states one ("accounts for 7% of world output" is no dominance).
    min_share: float | None = None
    #: Whether the trigger's phrase must state a share (a percentage or a share word).
    needs_share: bool = False


@dataclass(frozen=True, slots=True)
class GrammarReading:
    """What the grammar reader found in an article: relations, and the character spans of the
    sentences it parsed and of the triggers it read."""

    relations: list[MentionRelation]
    sentences: list[tuple[int, int]]
    triggers: list[tuple[int, int]]
    #: The parsed sentences in order, and their offsets, for the quantities' subjects.
    views: list[Arguments] = field(default_factory=list)
    shifts: list[int] = field(default_factory=list)

    def number_subject(self, position: int, types: frozenset[str]) -> int | None:
        """The subject the parse gives the number at article offset ``position``, if its
        sentence was parsed (see :meth:`Arguments.number_subject`)."""
        at = bisect_right(self.shifts, position) - 1
        if at < 0 or position >= self.views[at].end:
            return None
        return self.views[at].number_subject(position, types)


@cache
def grammar_patterns() -> tuple[GrammarPattern, ...]:
    """The patterns of ``ontology/patterns/grammar.jsonl``."""
    found = []
    for row in _rows():
        if "pattern" not in row:
            continue
        pattern = GrammarPattern(
            id=row["id"],
            nodes=tuple(node["RIGHT_ID"] for node in row["pattern"]),
            statements=tuple(_statement(s) for s in row["states"]),
            pattern=tuple(row["pattern"]),
            unless=tuple((k, frozenset(v)) for k, v in row.get("unless", {}).items()),
            min_share=row.get("min_share"),
            needs_share=bool(row.get("needs_share", False)),
        )
        for statement in pattern.statements:
            for name in (statement.head, statement.tail):
                node, _, slot = name.rpartition(".")
                if (node and node not in pattern.nodes) or not (
                    slot in pattern.nodes or slot.isalpha()
                ):
                    raise ValueError(f"grammar.jsonl, {pattern.id}: no node or slot {name!r}")
        found.append(pattern)
    return tuple(found)


@cache
def trigger_forms() -> frozenset[str]:
    """Lower-case word forms of every trigger lemma (regular inflections and the irregular
    forms listed in the data), for choosing the sentences worth parsing."""
    lemmas: set[str] = set()
    for pattern in grammar_patterns():
        attrs = pattern.pattern[0].get("RIGHT_ATTRS", {})
        for key in ("LEMMA", "LOWER"):
            value = attrs.get(key)
            if isinstance(value, str):
                lemmas.add(value.lower())
            elif isinstance(value, dict):
                lemmas.update(v.lower() for v in value.get("IN", []))
    irregular: dict[str, list[str]] = _setting("irregular_forms", {})
    forms: set[str] = set()
    for lemma in lemmas:
        forms.update(_inflections(lemma))
        forms.update(irregular.get(lemma, []))
    return frozenset(forms)


def _statement(row: dict[str, Any]) -> Statement:
    heads, tails = row.get("head_types"), row.get("tail_types")
    return Statement(
        row["type"],
        row["head"],
        row["tail"],
        float(row["confidence"]),
        frozenset(heads) if heads else None,
        frozenset(tails) if tails else None,
    )


@cache
def anaphora() -> dict[str, frozenset[str]]:
    """Pronouns and head nouns → the mention labels they may refer to (``grammar.jsonl``)."""
    data = _setting("anaphora", {})
    return {word: frozenset(labels) for word, labels in data.items()}


@cache
def pair_nouns() -> dict[str, frozenset[str]]:
    """Plural nouns that, with "both" or "the two", stand for the last two things named of
    these labels ("both countries", "the two firms"; ``grammar.jsonl``)."""
    data = _setting("pair_nouns", {})
    return {word: frozenset(labels) for word, labels in data.items()}


@cache
def share_words() -> frozenset[str]:
    """Words that state a dominant share without a percentage ("the bulk of", "two-thirds")."""
    return frozenset(_setting("share_words", []))


@cache
def group_nouns() -> frozenset[str]:
    """Nouns for people who stand for their countries ("his Chinese counterparts")."""
    return frozenset(_setting("group_nouns", []))


def _setting(key: str, default: Any) -> Any:
    return next((row[key] for row in _rows() if key in row), default)


def _inflections(lemma: str) -> Iterator[str]:
    yield lemma
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    yield from (lemma + "s", lemma + "es", stem + "ed", stem + "ing", lemma + "d")
    if lemma.endswith("y"):
        yield from (lemma[:-1] + "ies", lemma[:-1] + "ied")
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou":
        yield from (lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing")


def _rows() -> list[dict[str, Any]]:
    text = ontology_file("patterns", "grammar.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip().startswith("{")]


@cache
def signatures() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Relation type → (head types, tail types), from the trigger lexicon's rules."""
    from kg.extract._relations import rules

    found: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for rule in rules():
        found.setdefault(rule.relation, (rule.head, rule.tail))
    return found


class GrammarReader:
    """Reads relations from parsed sentences with the patterns of ``grammar.jsonl``.

    Parameters
    ----------
    vocab : spacy.vocab.Vocab
        The pipeline's vocabulary (the matcher is bound to it).
    """

    def __init__(self, vocab: Vocab) -> None:
        self.matcher = GatedDependencyMatcher(vocab)
        self.patterns = {p.id: p for p in grammar_patterns()}
        for pattern in self.patterns.values():
            self.matcher.add(pattern.id, [list(pattern.pattern)])
        self.signatures = signatures()

    def read_article(
        self,
        sentences: Iterable[tuple[int, Doc | Span]],
        mentions: list[Mention],
        sources: set[int],
        companies: frozenset[int] = frozenset(),
        places: frozenset[int] = frozenset(),
    ) -> GrammarReading:
        """Relations in an article's parsed sentences, with the spans of the sentences and of
        the triggers read. Each sentence comes with the article offset its token offsets count
        from; ``sources`` are mentions that only report (never arguments); ``companies`` the
        organisation mentions that are companies; ``places`` the countries named as places
        ("from China"), never what a pronoun stands for."""
        article = ArticleMentions(
            mentions, sources, anaphora(), group_nouns(), companies, places, pair_nouns()
        )
        reading = GrammarReading([], [], [])
        for offset, sentence in sentences:
            doc = sentence if isinstance(sentence, Doc) else sentence.as_doc()
            shift = offset + (0 if isinstance(sentence, Doc) else sentence.start_char)

            view = article.sentence(doc, shift)
            reading.sentences.append((shift, view.end))
            reading.views.append(view)
            reading.shifts.append(shift)
            if view.inside:
                self._read(view, reading.relations, reading.triggers)
        return reading

    def _read(
        self, view: Arguments, found: list[MentionRelation], handled: list[tuple[int, int]]
    ) -> None:
        doc, mentions = view.doc, view.mentions
        evidence = _evidence(doc, view.shift)
        words = [t.lower_ for t in doc]
        said: set[tuple[int, str, int]] = set()
        for match_id, token_ids in self.matcher(doc):
            pattern = self.patterns[doc.vocab.strings[match_id]]
            nodes = dict(zip(pattern.nodes, (doc[i] for i in token_ids), strict=True))
            trigger = nodes["trigger"]
            if not _counts(pattern, nodes):
                continue
            status = _status(words, trigger)
            made = []
            for statement in pattern.statements:
                heads_ok, tails_ok = self.signatures[statement.type]
                heads = _arguments(view, statement.head, nodes, statement.head_types or heads_ok)
                tails = _arguments(view, statement.tail, nodes, statement.tail_types or tails_ok)
                for head in heads:
                    for tail in tails:
                        key = (head, statement.type, tail)
                        if head == tail or _same_concept(mentions, head, tail) or key in said:
                            continue
                        if statement.type in SYMMETRIC_RELATIONS and key[::-1] in said:
                            continue
                        said.add(key)
                        made.append(
                            MentionRelation(
                                head,
                                statement.type,
                                tail,
                                statement.confidence,
                                *evidence,
                                status=status,
                            )
                        )
            if made:
                found.extend(made)
                start = view.shift + trigger.idx
                handled.append((start, start + len(trigger.text)))


def _counts(pattern: GrammarPattern, nodes: dict[str, Token]) -> bool:
    """Whether a match stands: no word of ``unless`` under its node, no share under
    ``min_share`` in the trigger's phrase."""
    for node, words in pattern.unless:
        if any(c.lower_ in words for c in nodes[node].children):
            return False
    if pattern.min_share is None and not pattern.needs_share:
        return True
    stated = False
    for token in nodes["trigger"].subtree:
        if token.lower_ in share_words():
            stated = True
        elif token.text == "%" or token.lower_ == "percent":
            value = _PERCENT.match(token.nbor(-1).text.replace(",", "")) if token.i else None
            if value and pattern.min_share and float(value.group(1)) < pattern.min_share:
                return False
            stated = stated or value is not None
    return stated or not pattern.needs_share


def _arguments(
    view: Arguments, name: str, nodes: dict[str, Token], types: frozenset[str]
) -> list[int]:
    """The mentions a statement's head or tail stands for: a node, or a slot of the trigger
    (or of a node, as ``node.slot``)."""
    if name in nodes:
        return view.resolve([nodes[name]], types, conjuncts=name != "trigger")
    node, _, name = name.rpartition(".")
    token = nodes[node or "trigger"]
    if name == "actor":
        # A noun's own possessor or modifier when it names one, else the clause's subject; but
        # "the Chilean lithium producer" describes a company named before, not Chile.
        described = view.described_company(token, types)
        if described is not None:
            return [described]
        return view.resolve(slot("owner", token), types) or view.resolve(
            slot("subject", token), types
        )
    if name == "modified":
        # "the China-led bank and the US-backed deal": the noun the word modifies, not the
        # nouns coordinated with it.
        named = (view.at.get(t.i) for t in slot("head", token))
        return [i for i in named if i is not None and view.mentions[i].label in types]
    return view.resolve(slot(name, token), types)


def _evidence(doc: Doc, shift: int) -> tuple[int, int]:
    text = doc.text
    lead = len(text) - len(text.lstrip())
    return shift + lead, shift + len(text.rstrip())


def _status(words: list[str], trigger: Token) -> str:
    at = trigger.i
    window = words[max(0, at - int(cues()["window"])) : at]
    negated = any(c.dep_ == "neg" for c in trigger.children)
    if negated or any(w in cues()["negated"] for w in window):
        return "negated"
    if any(w in cues()["negotiating"] for w in [*window, words[at]]):
        return "negotiating"
    if any(w in cues()["planned"] for w in window):
        return "planned"
    return "asserted"


def _same_concept(mentions: list[Mention], a: int, b: int) -> bool:
    return bool(mentions[a].concept) and mentions[a].concept == mentions[b].concept
