"""Helpers over the spans the vocabulary ruler merges: relabelling, owners of tokens, runs of
capitalised words, word positions. Used by the typing fixes of :mod:`kg.extract._names`."""

from __future__ import annotations

from collections.abc import Iterable

import numpy
from spacy.attrs import LOWER
from spacy.tokens import Doc, Span, Token

PERSON, ORG = "Person", "Organization"
CONNECTORS = {"and", "of", "&", "the", "for", ","}


def sorted_spans(spans: Iterable[Span]) -> list[Span]:
    result: list[Span] = []
    last_end = -1
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if span.start >= last_end:
            result.append(span)
            last_end = span.end
    return result


def relabel(span: Span, label: str, start: int | None = None, end: int | None = None) -> Span:
    return Span(
        span.doc,
        span.start if start is None else start,
        span.end if end is None else end,
        label=label,
        kb_id=span.kb_id_,
    )


def is_name_token(token: Token) -> bool:
    """A capitalised word, a word in capitals, an initial ("G.") or a hyphenated name."""
    if len(token.text) == 2 and token.text[0].isupper() and token.text[1] == ".":
        return True
    return ((token.is_title or token.is_upper) and token.is_alpha) or _hyphenated_name(token)


def _hyphenated_name(token: Token) -> bool:
    parts = token.text.split("-")
    return len(parts) > 1 and all(p[:1].isupper() for p in parts if p)


def owners(doc: Doc, spans: list[Span]) -> list[int]:
    """For each token, the index of the span covering it, or -1."""
    owner = [-1] * len(doc)
    for n, span in enumerate(spans):
        for i in range(span.start, span.end):
            owner[i] = n
    return owner


def free_run(doc: Doc, start: int, owner: list[int], limit: int = 5) -> int:
    """End of the run of capitalised tokens from ``start`` that no span covers (``start`` if
    none): "Nutrien" in "company Nutrien for"."""
    end = start
    while end < len(doc) and end - start < limit and owner[end] == -1:
        token = doc[end]
        if (is_name_token(token) and not (end > start and token.is_sent_start)) or (
            token.text in {"&", "-"} and end > start and end + 1 < len(doc)
        ):
            end += 1
        else:
            break
    while end > start and not is_name_token(doc[end - 1]):
        end -= 1
    return end


def positions(doc: Doc, words: frozenset[str]) -> list[int]:
    """Indexes of the tokens whose lowercase form is one of ``words`` (a numpy lookup)."""
    if not len(doc):
        return []
    keys = _KEYS.get(words)
    if keys is None:
        # A string's hash is the same in every vocabulary: computed once per word list.
        keys = numpy.array([doc.vocab.strings.add(w) for w in words], dtype="uint64")
        _KEYS[words] = keys
    return [int(i) for i in numpy.flatnonzero(numpy.isin(doc.to_array(LOWER), keys))]


_KEYS: dict[frozenset[str], numpy.ndarray] = {}


def gap(doc: Doc, a: int, b: int) -> tuple[str, ...]:
    """The lowercase tokens between two spans (white space left out); a long gap is "…", which
    no rule looks for."""
    if b - a > 4:
        return ("…",)
    return tuple(doc[i].lower_ for i in range(a, b) if not doc[i].is_space)
