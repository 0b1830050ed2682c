"""Sentences cut into clauses, the span the clause reader looks for a trigger's arguments in.

Clause breaks are data (``clause_breaks`` in ``ontology/patterns/cues.json``); an overlong
clause (a run-on line, a table flattened into text) is read in bounded pieces.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from kg.patterns import cues
from kg.records import Mention

__all__ = ["MAX_CLAUSE", "Clause", "clauses"]


@dataclass(frozen=True, slots=True)
class Clause:
    """A sentence, or the part of one between clause breaks, with its mentions."""

    start: int
    end: int
    text: str
    mentions: list[int]


@cache
def _clause_break() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in cues()["clause_breaks"]))


#: The longest clause read whole (characters). A longer one (a run-on line, a table flattened
#: into text) is read in pieces of this size, cut at commas: the readers compare the mentions
#: of a clause pairwise, so an unbounded clause would cost the square of its length.
MAX_CLAUSE = 600


def clauses(
    text: str,
    mentions: list[Mention],
    sentences: list[tuple[int, int]],
    sources: set[int] | None = None,
    cut: list[tuple[int, int]] | None = None,
) -> list[Clause]:
    """Sentences cut into clauses at semicolons and subordinate conjunctions ("as", "after"),
    with their mentions (news sources left out). Clauses over :data:`MAX_CLAUSE` characters
    are read in pieces; their spans are added to ``cut``.

    >>> text = "Chile, " * 200
    >>> pieces = clauses(text, [], [(0, len(text))])
    >>> max(c.end - c.start for c in pieces) <= MAX_CLAUSE, len(pieces)
    (True, 3)
    """
    found: list[Clause] = []
    left_out = sources or set()
    order = sorted(
        (i for i in range(len(mentions)) if i not in left_out), key=lambda i: mentions[i].start
    )
    starts = [mentions[i].start for i in order]
    for start, end in sentences:
        cuts = [start] + [m.end() for m in _clause_break().finditer(text, start, end)] + [end]
        for a, b in itertools.pairwise(cuts):
            if b - a > MAX_CLAUSE and cut is not None:
                cut.append((a, b))
            for lo, hi in _pieces(text, a, b):
                if text[lo:hi].strip():
                    at = range(bisect_left(starts, lo), bisect_left(starts, hi))
                    inside = [order[k] for k in at if mentions[order[k]].end <= hi]
                    found.append(Clause(lo, hi, text[lo:hi], inside))
    return found


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``text[start:end]`` in pieces of at most :data:`MAX_CLAUSE` characters, cut after a
    comma or a space where one is near the limit."""
    while end - start > MAX_CLAUSE:
        limit = start + MAX_CLAUSE
        at = text.rfind(", ", start + MAX_CLAUSE // 2, limit)
        if at < 0:
            at = text.rfind(" ", start + MAX_CLAUSE // 2, limit)
        at = at + 1 if at >= 0 else limit
        yield start, at
        start = at
    yield start, end


def global_before(text: str, at: int) -> bool:
    """ "global reliance on China": nobody in particular depends; only the supplier is named."""
    words = text[max(0, at - 20) : at].lower().split()
    return bool(words) and words[-1] in cues()["global_words"]


def after_be(text: str, at: int) -> bool:
    """A trigger right after a form of "be" ("can be sold", "was exported"): a passive."""
    words = text[max(0, at - 12) : at].lower().split()
    return bool(words) and words[-1] in {"be", "been", "being", "is", "are", "was", "were"}
