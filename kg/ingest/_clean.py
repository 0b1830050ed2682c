"""Text clean-up that keeps character offsets: every replacement is one character for one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kg.resources import ontology_file, read_jsonl

# C0 controls except tab/newline/carriage return, DEL, C1 controls, non-characters, lone surrogates.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_field(value: str | None) -> str | None:
    """A metadata value (id, title, URL, date) safe to print and store: lone surrogates become
    U+FFFD, other control characters spaces, runs of white space one space.

    >>> clean_field("Chile\\x07 signs\\ud800 ") == "Chile signs\\ufffd"
    True
    """
    if value is None:
        return None
    value = _BAD_CHARS.sub(" ", _SURROGATES.sub("\ufffd", value))
    return " ".join(value.split())


@dataclass(frozen=True, slots=True)
class CleanText:
    """Cleaned text, the spans that are not part of the article, and what was replaced."""

    text: str
    excluded: tuple[tuple[int, int], ...]
    teasers: tuple[str, ...]
    replaced: int


@cache
def _line_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (row["kind"], re.compile(row["regex"], re.IGNORECASE))
        for row in read_jsonl(ontology_file("patterns", "boilerplate.jsonl"))
    )


def clean_text(raw: str) -> CleanText:
    """Replace control characters by spaces and mark teaser and furniture lines.

    Offsets into the result are offsets into ``raw``: nothing is inserted or removed, so evidence
    spans point at the text as the user gave it (with ``\\r\\n`` kept as two characters).

    >>> c = clean_text("Pakistan exports copper.\\nRead more: Other story\\nLeave a Comment")
    >>> c.teasers
    ('Read more: Other story',)
    >>> [c.text[s:e] for s, e in c.excluded]
    ['Read more: Other story', 'Leave a Comment']
    """
    text, replaced = _BAD_CHARS.subn(" ", raw)
    excluded: list[tuple[int, int]] = []
    teasers: list[str] = []
    patterns = _line_patterns()
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        for kind, pattern in patterns:
            if pattern.search(body):
                excluded.append((offset, offset + len(body)))
                if kind == "teaser":
                    teasers.append(body.strip())
                break
        offset += len(line)
    return CleanText(text, tuple(excluded), tuple(teasers), replaced)
