"""A dependency matcher that runs only the patterns whose root word is in the sentence.

spaCy's :class:`~spacy.matcher.DependencyMatcher` first runs a token
:class:`~spacy.matcher.Matcher` of every node of every pattern over the whole doc, and each set
test (``{"LEMMA": {"IN": [...]}}``) is a Python call per token and node: for the grammar's 36
patterns of 53 nodes that is most of the matcher's time, although a sentence holds the root word
(the trigger) of a few patterns. :class:`GatedDependencyMatcher` finds, per doc, the keys whose
root node can match one of its tokens (a pattern matches nowhere else) and runs a matcher of
those keys alone, added in the order of the full one (kept per combination of keys): the
matches, and their order, are the single matcher's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.attrs import LEMMA, LOWER, ORTH
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

#: Token attributes a root test may read: pattern key → Token attribute.
_ATTRS = {"LEMMA": "lemma_", "LOWER": "lower_", "ORTH": "orth_", "TEXT": "text", "POS": "pos_"}
_ATTRS |= {"TAG": "tag_", "DEP": "dep_"}
#: Attributes a root test is indexed by (their hash is in ``Doc.to_array``).
_INDEXED = (("LEMMA", LEMMA), ("LOWER", LOWER), ("ORTH", ORTH))

RootTest = Callable[[Token], bool]


class GatedDependencyMatcher:
    """Drop-in for :class:`~spacy.matcher.DependencyMatcher` (``add``, ``__call__``, ``len``).

    A key whose root node tests something other than a word form, lemma, part of speech, tag or
    dependency label (with ``==`` or ``IN``) runs on every doc; with a callback (which sees the
    other keys' matches too) every doc goes through one matcher of all the keys.

    >>> import spacy
    >>> from spacy.tokens import Doc
    >>> nlp = spacy.blank("en")
    >>> matcher = GatedDependencyMatcher(nlp.vocab)
    >>> matcher.add("SIGN", [[{"RIGHT_ID": "v", "RIGHT_ATTRS": {"LEMMA": {"IN": ["sign"]}}},
    ...     {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "o", "RIGHT_ATTRS": {"DEP": "dobj"}}]])
    >>> doc = Doc(nlp.vocab, words=["Chile", "signed", "deals"], heads=[1, 1, 1],
    ...           deps=["nsubj", "ROOT", "dobj"], lemmas=["Chile", "sign", "deal"])
    >>> [(nlp.vocab.strings[key], nodes) for key, nodes in matcher(doc)]
    [('SIGN', [1, 2])]
    """

    #: Matchers kept for combinations of keys (one is built for each new combination).
    MAX_COMBINATIONS = 1024

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self._keys: list[tuple[str, list[list[dict[str, Any]]]]] = []
        self._always: list[int] = []
        self._callbacks = False
        #: (attribute, hash of a value) → [(key number, full root test)]
        self._index: dict[tuple[int, int], list[tuple[int, RootTest]]] = {}
        self._full = DependencyMatcher(vocab)
        self._combined: dict[tuple[int, ...], DependencyMatcher] = {}

    def __len__(self) -> int:
        return len(self._full)

    def add(self, key: str, patterns: list[list[dict[str, Any]]], *, on_match: Any = None) -> None:
        """Add a key's patterns, as :meth:`DependencyMatcher.add` does."""
        self._full.add(key, patterns, on_match=on_match)
        self._callbacks = self._callbacks or on_match is not None
        self._combined.clear()
        number = len(self._keys)
        self._keys.append((key, patterns))
        gates = [_root_gate(self.vocab, pattern) for pattern in patterns]
        if any(gate is None for gate in gates):
            self._always.append(number)
            return
        for gate in gates:
            assert gate is not None
            field, values, test = gate
            for value in values:
                self._index.setdefault((field, value), []).append((number, test))

    def __call__(self, doclike: Doc | Span) -> list[tuple[int, list[int]]]:
        """The matches, ``(key, token indices)``, as the single matcher gives them."""
        if self._callbacks:
            return list(self._full(doclike))
        doc = doclike if isinstance(doclike, Doc) else doclike.as_doc(copy_user_data=True)
        active = set(self._always)
        if self._index and len(doc):
            fields = [attr for _, attr in _INDEXED]
            for i, row in enumerate(doc.to_array(fields).tolist()):
                for field, value in zip(fields, row, strict=True):
                    for number, test in self._index.get((field, value), ()):
                        if number not in active and test(doc[i]):
                            active.add(number)
        if not active:
            return []
        numbers = tuple(sorted(active))
        matcher = self._combined.get(numbers)
        if matcher is None:
            if len(self._combined) >= self.MAX_COMBINATIONS:
                self._combined.clear()
            matcher = self._combined[numbers] = DependencyMatcher(self.vocab)
            for number in numbers:  # in the order the keys were added
                matcher.add(*self._keys[number])
        return list(matcher(doc))


def _root_gate(
    vocab: Vocab, pattern: list[dict[str, Any]]
) -> tuple[int, list[int], RootTest] | None:
    """(indexed attribute, hashes of its values, the root node's whole test), or None."""
    if not pattern or "RIGHT_ATTRS" not in pattern[0]:
        return None
    checks: list[tuple[str, frozenset[str]]] = []
    for key, value in pattern[0]["RIGHT_ATTRS"].items():
        attr = _ATTRS.get(key.upper())
        if isinstance(value, str):
            values = frozenset({value})
        elif isinstance(value, dict) and list(value) == ["IN"] and isinstance(value["IN"], list):
            values = frozenset(str(v) for v in value["IN"])
        else:
            return None
        if attr is None:
            return None
        checks.append((attr, values))
    named = {key.upper(): value for key, value in pattern[0]["RIGHT_ATTRS"].items()}
    for name, field in _INDEXED:
        if name in named:
            value = named[name]
            words = [value] if isinstance(value, str) else [str(v) for v in value["IN"]]

            def test(token: Token, checks: list[tuple[str, frozenset[str]]] = checks) -> bool:
                return all(getattr(token, attr) in values for attr, values in checks)

            return field, [vocab.strings.add(word) for word in words], test
    return None
