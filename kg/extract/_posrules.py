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
