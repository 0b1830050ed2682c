"""The attribute ruler's ``POS`` and ``TAG`` rules as plain token tests, for a few tokens at a time.

spaCy's ``attribute_ruler`` runs a :class:`~spacy.matcher.Matcher` of some 180 patterns over every
token of a doc, which is slow for the handful of tokens whose part of speech kg reads. This module
compiles the patterns that set ``POS`` or ``TAG`` into tests and applies them to single tokens
with the ruler's own semantics: every pattern is matched against the tagger's tags, then the
matches are applied in the order the patterns were added, so a later pattern wins. Patterns with
an attribute or operator not handled here make :meth:`PosRules.compile` return None, and the
caller runs the real ruler instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.tokens import Doc, Token

#: One token's view for the tests: (tag, lower, dep, is_space).
Features = tuple[str, str, str, bool]
Test = Callable[[Features], bool]
_FIELDS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_SET = ("TAG", "POS")


def _check(field: int, op: str, arg: Any) -> Test | None:
    if op == "==":
        return lambda f: f[field] == arg
    if op in {"IN", "NOT_IN"} and isinstance(arg, list | tuple | set):
        values = frozenset(arg)
        if op == "IN":
            return lambda f: f[field] in values
        return lambda f: f[field] not in values
    if op == "REGEX" and isinstance(arg, str) and field != 3:
        pattern = re.compile(arg)
        return lambda f: pattern.search(str(f[field])) is not None
    return None


def _token_test(spec: dict[str, Any]) -> Test | None:
    """A test for one token pattern, or None when it uses something not handled here."""
    checks: list[Test] = []
    for key, value in spec.items():
        field = _FIELDS.get(key.upper())
        if field is None:
            return None
        if isinstance(value, dict):
            if len(value) != 1:
                return None
            [(op, arg)] = value.items()
            check = _check(field, op, arg)
        elif isinstance(value, bool) == (field == 3) and isinstance(value, str | bool):
            check = _check(field, "==", value)
        else:
            check = None
        if check is None:
            return None
        checks.append(check)
    return lambda f: all(c(f) for c in checks)


class PosRules:
    """The compiled rules: (order, tests per token, index of the token set, attributes set)."""

    def __init__(self, rules: list[tuple[int, list[Test], int, dict[str, str]]]) -> None:
        self.single = [(n, tests[0], attrs) for n, tests, _, attrs in rules if len(tests) == 1]
        self.multi = [rule for rule in rules if len(rule[1]) > 1]
        self._cache: dict[Features, list[tuple[int, dict[str, str]]]] = {}

    @classmethod
    def compile(cls, patterns: list[dict[str, Any]]) -> PosRules | None:
        """Rules from ``AttributeRuler.patterns``; None if one of them cannot be compiled.

        >>> rules = PosRules.compile([
        ...     {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}, "index": 0},
        ...     {"patterns": [[{"TAG": "NN", "LOWER": "nothing"}]], "attrs": {"POS": "PRON"}},
        ... ])
        >>> rules.resolve([("NN", "deal", "", False)], 0)
        ('NN', 'NOUN')
        >>> rules.resolve([("NN", "nothing", "", False)], 0)
        ('NN', 'PRON')
        """
        rules: list[tuple[int, list[Test], int, dict[str, str]]] = []
        for order, entry in enumerate(patterns):
            attrs = {k.upper(): str(v) for k, v in entry.get("attrs", {}).items()}
            wanted = {k: v for k, v in attrs.items() if k in _SET}
            for pattern in entry.get("patterns", []):
                if not isinstance(pattern, list) or not pattern:
                    return None
                tests = [_token_test(spec) for spec in pattern]
                if any(t is None for t in tests):
                    return None
                if wanted:
                    index = int(entry.get("index", 0))
                    rules.append((order, [t for t in tests if t is not None], index, wanted))
        return cls(rules)

    def resolve(self, features: list[Features], i: int) -> tuple[str, str]:
        """The (tag, pos) the ruler leaves on token ``i`` (its tag from ``features``)."""
        own = features[i]
        found = self._cache.get(own)
        if found is None:
            found = [(n, attrs) for n, test, attrs in self.single if test(own)]
            self._cache[own] = found
        if self.multi:
            found = found + [
                (n, attrs)
                for n, tests, index, attrs in self.multi
                if _matches(features, i, tests, index)
            ]
            found.sort(key=lambda pair: pair[0])
        tag, pos = own[0], ""
        for _, attrs in found:
            tag = attrs.get("TAG", tag)
            pos = attrs.get("POS", pos)
        return tag, pos


def _matches(features: list[Features], i: int, tests: list[Test], index: int) -> bool:
    start = i - (index if index >= 0 else len(tests) + index)
    if start < 0 or start + len(tests) > len(features):
        return False
    return all(test(features[start + k]) for k, test in enumerate(tests))


def features(doc: Doc, start: int, end: int, tags: list[str]) -> list[Features]:
    """The features of ``doc[start:end]`` with the tagger's ``tags`` for those tokens."""
    return [_features(doc[i], tags[i - start]) for i in range(start, end)]


def _features(token: Token, tag: str) -> Features:
    return (tag, token.lower_, token.dep_, token.is_space)


class RulerMatches:
    """What :meth:`AttributeRuler.match` returns for a doc, found with the compiled tests.

    The ruler's :class:`~spacy.matcher.Matcher` calls a Python predicate for every token and
    every set or regex test of its 180 patterns (about 35 µs a token, as long as the parser's
    own step); here each distinct (tag, lower, dep, is_space) is tested once and remembered.
    The matches come in the ruler's order (``(entry, key, start, end)``, sorted), for
    :meth:`AttributeRuler.set_annotations` to apply as the ruler itself would.
    """

    def __init__(
        self,
        vocab: Any,
        single: list[tuple[int, int, Test, tuple[int, str] | None]],
        multi: list[tuple[int, int, list[Test]]],
    ) -> None:
        self.strings = vocab.strings
        self.multi = multi
        # Single-token rules by the tag or word they require, so a new token is tested
        # against the few rules that can match it (and those that require neither).
        self.anywhere: list[tuple[int, int, Test]] = []
        self.by_value: tuple[dict[str, list[tuple[int, int, Test]]], ...] = ({}, {})
        for order, key, test, needs in single:
            if needs is None:
                self.anywhere.append((order, key, test))
            else:
                self.by_value[needs[0]].setdefault(needs[1], []).append((order, key, test))
        self._cache: dict[tuple[int, ...], tuple[Features, list[tuple[int, int]], list[bool]]] = {}

    @classmethod
    def compile(cls, ruler: Any) -> RulerMatches | None:
        """The matcher of an ``attribute_ruler``; None if a pattern cannot be compiled.

        >>> import spacy
        >>> nlp = spacy.blank("en")
        >>> ruler = nlp.add_pipe("attribute_ruler")
        >>> ruler.add([[{"LOWER": "deal"}]], {"POS": "NOUN"})
        >>> matches = RulerMatches.compile(ruler)
        >>> doc = nlp("A deal.")
        >>> matches(doc) == ruler.match(doc)
        True
        """
        single: list[tuple[int, int, Test, tuple[int, str] | None]] = []
        multi: list[tuple[int, int, list[Test]]] = []
        for order, entry in enumerate(ruler.patterns):
            key = ruler.vocab.strings.add(str(order))  # the ruler's Matcher key of the entry
            for pattern in entry.get("patterns", []):
                if not isinstance(pattern, list) or not pattern:
                    return None
                tests = [_token_test(spec) for spec in pattern]
                compiled = [t for t in tests if t is not None]
                if len(compiled) != len(tests):
                    return None
                if len(compiled) == 1:
                    single.append((order, key, compiled[0], _required(pattern[0])))
                else:
                    multi.append((order, key, compiled))
        return cls(ruler.vocab, single, multi)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist() if len(doc) else []
        found: list[tuple[int, int, int, int]] = []
        seen = []
        for i, row in enumerate(rows):
            known = self._cache.get(key := tuple(row))
            if known is None:
                known = self._cache[key] = self._test(row)
            seen.append(known)
            found.extend((order, match, i, i + 1) for order, match in known[1])
        for k, (order, match, tests) in enumerate(self.multi):
            size = len(tests)
            for start in range(len(rows) - size + 1):
                if seen[start][2][k] and all(
                    test(seen[start + j][0]) for j, test in enumerate(tests[1:], 1)
                ):
                    found.append((order, match, start, start + size))
        found.sort()
        return found

    def _test(self, row: list[int]) -> tuple[Features, list[tuple[int, int]], list[bool]]:
        tag, lower, dep, space = row
        feats = (self.strings[tag], self.strings[lower], self.strings[dep], bool(space))
        rules = [
            *self.anywhere,
            *self.by_value[0].get(feats[0], ()),
            *self.by_value[1].get(feats[1], ()),
        ]
        singles = sorted((order, key) for order, key, test in rules if test(feats))
        return feats, singles, [tests[0](feats) for _, _, tests in self.multi]


def _required(spec: dict[str, Any]) -> tuple[int, str] | None:
    """(0, tag) or (1, word) when a token pattern requires that exact tag or lowercase word."""
    for key, field in (("TAG", 0), ("LOWER", 1)):
        value = next((v for k, v in spec.items() if k.upper() == key), None)
        if isinstance(value, str):
            return field, value
    return None
