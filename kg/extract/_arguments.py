"""The mentions the grammar slots of a trigger name, in a parsed sentence.

The slots (:mod:`kg.extract._slots`) give tokens; :class:`Arguments` turns tokens into
mentions: the mention at a token, then its conjuncts ("Chile, Peru and Bolivia", "X along
with Y"), what a generic noun stands for ("the miner,
Gecamines", "countries such as Chile", "his Chinese and Indian counterparts", "those
minerals"), and what a pronoun or a definite description refers to ("it", "the country", "the
company": the nearest mention of the right kind before it, ``anaphora`` in ``grammar.jsonl``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from kg.extract._slots import (
    ACTORS,
    after_semicolon,
    along_with,
    noun_phrase,
    preposition_objects,
    subjects,
)
from kg.patterns import word_set

if TYPE_CHECKING:
    from kg.extract._article import ArticleMentions

_DEFINITE = frozenset({"the", "this", "that", "those", "these", "such", "its", "their"})


class Arguments:
    """The article's mentions as seen from one parsed sentence's tokens."""

    def __init__(
        self, article: ArticleMentions, doc: Doc, shift: int, end: int, inside: list[int]
    ) -> None:
        self.article = article
        self.mentions = article.mentions
        self.doc = doc
        #: The sentence's start and end in the article's text.
        self.shift, self.end = shift, end
        #: The mentions inside the sentence (news sources left out), in order.
        self.inside = inside
        #: Tokens whose referent is being looked for (see :meth:`_referent`).
        self._resolving: set[int] = set()
        self.at: dict[int, int] = {}
        spans = [(self.mentions[i].start, self.mentions[i].end, i) for i in inside]
        k = 0
        for token in doc:
            start = shift + token.idx
            while k < len(spans) and spans[k][1] <= start:
                k += 1
            if k < len(spans) and spans[k][0] <= start:
                self.at[token.i] = spans[k][2]

    def number_subject(self, position: int, types: frozenset[str]) -> int | None:
        """Whom the number at article offset ``position`` is about: the owner of the phrase it
        measures ("Nordvik's shares rose 4%"), else the subject of its clause, climbing
        to the verbs above it ("The company is targeting to produce 300,000 tonnes a year"),
        with pronouns and "the company" resolved."""
        at = bisect_right(self._offsets, position - self.shift) - 1
        if at < 0:
            return None
        token = self.doc[at]
        flow = self._flow_owner(token, types)
        if flow is not None:
            return flow
        for _ in range(8):
            owners = [c for c in token.children if c.dep_ in {"poss", "compound"}]
            found = self.resolve(owners, types) if token.pos_ in {"NOUN", "PROPN"} else []
            if not found and token.pos_ in {"VERB", "AUX"}:
                said = subjects(token)
                found = (
                    self._buyer(token, types)
                    or self.resolve(said, types)
                    or self._origin(said, types)
                )
            if found:
                return found[0]
            if token.head is token:
                return None
            token = token.head
        return None

    def _origin(self, said: list[Token], types: frozenset[str]) -> list[int]:
        """ "Exports of cobalt from Congo rose 12%": a flow's country of origin is whose it is."""
        flows = [t for t in said if t.lower_ in word_set("flow_nouns")]
        return self.resolve([o for t in flows for o in preposition_objects(t, "from")], types)

    def _buyer(self, verb: Token, types: frozenset[str]) -> list[int]:
        """ "A sold 40% of the mine to B for $90 million": the stake and the price are the
        buyer's (``sale_verbs`` of ``cues.json``)."""
        if verb.lemma_.lower() not in word_set("sale_verbs"):
            return []
        to = [c for c in verb.children if c.dep_ in {"prep", "dative"} and c.lower_ == "to"]
        return self.resolve([o for p in to for o in p.children if o.dep_ == "pobj"], types)

    def _flow_owner(self, number: Token, types: frozenset[str]) -> int | None:
        """The country whose trade or output a share is of: "90% of Laotian potash exports",
        "a third of Chile's copper output" (``flow_nouns`` of ``cues.json``)."""
        phrase = number if number.pos_ in {"NOUN", "PROPN"} else number.head
        for prep in phrase.children:
            if prep.dep_ != "prep" or prep.lower_ != "of":
                continue
            for noun in prep.children:
                if noun.dep_ != "pobj" or noun.lower_ not in word_set("flow_nouns"):
                    continue
                owners = [c for c in noun.children if c.dep_ in {"poss", "amod", "compound"}]
                found = [
                    i for i in self.resolve(owners, types) if self.mentions[i].label == "Country"
                ]
                if found:
                    return found[0]
        return None

    @cached_property
    def _offsets(self) -> list[int]:
        return [t.idx for t in self.doc]

    @cached_property
    def _ordered(self) -> list[tuple[int, int]]:
        return sorted(self.at.items())

    def resolve(
        self, tokens: Iterable[Token], types: frozenset[str], conjuncts: bool = True
    ) -> list[int]:
        """The mentions of the wanted ``types`` the tokens stand for, in order, once each;
        without ``conjuncts``, not those of coordinated words that have an owner of their own,
        nor, for a word with an owner, those before it (a trigger word stands for its own
        phrase: "X's tin permits and Y's copper licences")."""
        found: dict[int, None] = {}
        for token in tokens:
            seen = set()
            if not conjuncts:
                owned = any(g.dep_ == "poss" for g in token.children)
                seen = {
                    c.i
                    for c in token.conjuncts
                    if (owned and c.i < token.i) or any(g.dep_ == "poss" for g in c.children)
                }
            for i in self._of(token, types, seen):
                found.setdefault(i, None)
        return list(found)

    def _of(self, token: Token, types: frozenset[str], seen: set[int]) -> list[int]:
        if token.i in seen:
            return []
        seen.add(token.i)
        found: list[int] = []
        own = self.at.get(token.i)
        if own is not None:
            label = self.mentions[own].label
            if label in types:
                found.append(own)
            for child in token.children:  # "Canada, the United States, Britain …"
                named = self.at.get(child.i)
                if (
                    child.dep_ == "appos"
                    and named is not None
                    and self.mentions[named].label == label
                ):
                    found.extend(self._of(child, types, seen))
        elif token.pos_ == "ADP":
            for child in token.children:
                if child.dep_ in {"pobj", "pcomp"}:
                    found.extend(self._of(child, types, seen))
        elif token.pos_ in {"NOUN", "PROPN", "PRON", "NUM", "ADJ"}:
            found.extend(self._named_by(token, types, seen))
        for conj in [*token.conjuncts, *along_with(token)]:
            if conj.i not in seen:
                found.extend(self._of(conj, types, seen))
        return found

    def _named_by(self, token: Token, types: frozenset[str], seen: set[int]) -> list[int]:
        """What a generic noun or a pronoun stands for (see the module docstring)."""
        found: list[int] = []
        for child in token.children:
            if child.dep_ == "appos" and not after_semicolon(child):
                found.extend(self._of(child, types, seen))
            elif child.dep_ in {"poss", "compound"} and types & ACTORS and child.i in self.at:
                found.extend(self._of(child, types, seen))  # "Glencore's KCC operation"
            elif token.lower_ in self.article.group_nouns and (
                child.dep_ in {"amod", "poss"}
                or (child.dep_ == "prep" and child.lower_ in {"of", "from"})
            ):
                found.extend(self._of(child, types, seen))  # "his Chinese counterparts"
            elif (
                child.dep_ == "prep"
                and child.lower_ == "in"
                and token.lower_ in word_set("site_nouns")
                and "Country" in types
            ):
                found.extend(self._of(child, types, seen))  # "reserves in deposits in Chile"
            elif child.dep_ == "prep" and child.lower_ in {"as", "including", "like"}:
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        found.extend(self._of(grand, types, seen))
        if "Mineral" in types:
            found.extend(self._minerals_in(token))
        if not found and token.dep_ == "appos" and token.head.i in self.at:
            found.extend(self._of(token.head, types, seen))  # "X, a fund backed by Y"
        if not found:
            found.extend(self._pair(token, types))
        if not found:
            referent = self._referent(token, types)
            if referent is not None:
                found.append(referent)
        return found

    def _pair(self, token: Token, types: frozenset[str]) -> list[int]:
        """ "both countries", "the two firms": the last two of their kind named before."""
        labels = self.article.pairs.get(token.lower_)
        if labels is None:
            return []
        words = {c.lower_ for c in token.children if c.dep_ in {"det", "predet", "nummod"}}
        if not ("both" in words or ("two" in words and words & _DEFINITE)):
            return []
        wanted = _wanted(labels, types)
        return self.article.last_two(self.shift + token.idx, wanted) if wanted else []

    def described_company(self, token: Token, types: frozenset[str]) -> int | None:
        """The company "the Chilean lithium producer" refers to: a definite company noun whose
        only owner is a nationality word (not a possessive: "Chile's producer" is Chile's)."""
        if "Company" not in self.article.anaphora.get(token.lower_, ()) or not self._definite(
            token
        ):
            return None
        labels = {
            self.mentions[self.at[c.i]].label
            for c in token.children
            if c.dep_ in {"amod", "compound", "nmod"} and c.i in self.at
        } - {"Mineral"}
        if labels != {"Country"} or any(c.dep_ == "poss" for c in token.children):
            return None
        return self._referent(token, types)

    def _minerals_in(self, token: Token) -> Iterator[int]:
        # "X's zinc, lead and silver licences": the parser coordinates the minerals with the
        # noun they modify; the minerals coordinated before the noun are its own.
        owner = [c.i for c in token.children if c.dep_ == "poss"]
        bound = owner[0] if owner else -1  # "… and Y's cobalt assets": not X's minerals
        for conj in token.conjuncts:
            i = self.at.get(conj.i)
            if bound < conj.i < token.i and i is not None and self.mentions[i].label == "Mineral":
                yield i
        for inner in noun_phrase(token):
            i = self.at.get(inner.i)
            if i is not None and self.mentions[i].label == "Mineral":
                yield i
            elif (
                i is None
                and (inner.pos_ == "PRON" or self._definite(inner))
                and "Mineral" in self.article.anaphora.get(inner.lower_, ())
            ):
                yield from self._earlier(inner, "Mineral")  # "exports of the metal"

    def _referent(self, token: Token, types: frozenset[str]) -> int | None:
        """What a pronoun ("it") or a definite description ("the company") refers to.

        A pronoun's referent is looked for through its clause's subject, which may hold the
        pronoun itself ("signed by X's minister and his counterpart"): a pronoun already being
        resolved refers to nothing further (no endless loop).
        """
        if token.i in self._resolving:
            return None
        self._resolving.add(token.i)
        try:
            return self._referent_of(token, types)
        finally:
            self._resolving.discard(token.i)

    def _referent_of(self, token: Token, types: frozenset[str]) -> int | None:
        labels = self.article.anaphora.get(token.lower_)
        if labels is None or token.pos_ not in {"PRON", "NOUN"}:
            return None
        if token.pos_ == "NOUN" and not self._definite(token):
            return None
        wanted = _wanted(labels, types)
        if not wanted:
            return None
        if token.dep_ == "poss" and token.pos_ == "PRON":
            # "X proposed its accession to …": a possessive refers to its clause's subject.
            verb = token.head
            while verb.pos_ not in {"VERB", "AUX"} and verb.head is not verb:
                verb = verb.head
            for _ in range(3):
                said = subjects(verb) or [c for c in verb.children if c.dep_ == "nsubjpass"]
                owner = [
                    i
                    for i in self.resolve([s for s in said if s.pos_ != "PRON"], types)
                    if self.article.kind(i) & wanted
                ]
                if owner:
                    return owner[0]
                if not (said and said[0].lower_ in {"it", "they"}):
                    break
                if verb.dep_ != "ccomp":
                    # "While X lacks a deal with Y, it aspires …, leveraging its reserves"
                    return self._referent(said[0], types)
                verb = verb.head  # "X said it was awarded funds for its mine": X's mine
        if token.pos_ == "PRON":
            subject = self._subject_before(token, wanted)
            if subject is not None:
                return subject
        return self.article.before(self.shift + token.idx, wanted, salient=token.pos_ == "NOUN")

    def _subject_before(self, token: Token, wanted: frozenset[str]) -> int | None:
        """The last subject of the sentence before a pronoun, of a wanted kind: a pronoun
        refers to a subject before an object ("While X lacks a deal with Y, it …": X)."""
        for t, i in reversed(self._ordered):
            if (
                t < token.i
                and self.doc[t].dep_ in {"nsubj", "nsubjpass"}
                and self.article.kind(i) & wanted
                and i not in self.article.places
            ):
                return i
        return None

    def _earlier(self, token: Token, label: str) -> list[int]:
        """Mentions of ``label`` before ``token`` in its sentence ("those minerals"), or else
        the nearest one before the sentence ("China dominates the market for the minerals")."""
        found = [i for t, i in self._ordered if t < token.i and self.mentions[i].label == label]
        if not found:
            before = self.article.before(self.shift, frozenset({label}))
            found = [before] if before is not None else []
        return found

    @staticmethod
    def _definite(token: Token) -> bool:
        return any(c.dep_ in {"det", "poss"} and c.lower_ in _DEFINITE for c in token.children)


def _wanted(labels: frozenset[str], types: frozenset[str]) -> frozenset[str]:
    """The labels of an anaphora or pair table entry that a slot of ``types`` accepts
    ("Company" and "Body" are kinds of organisation)."""
    return frozenset(
        label
        for label in labels
        if label in types or (label in {"Company", "Body"} and "Organization" in types)
    )
