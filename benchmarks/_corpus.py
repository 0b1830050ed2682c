"""Benchmark corpora: paragraphs of a source corpus recombined into new articles.

The source is the project's own sample corpus, or any folder or JSON-lines file given with
``--corpus`` (``.txt``/``.md`` files, ``.json`` files with a ``text`` field such as the gold files
of ``../shared/eval/dev``, ``.jsonl`` lines with a ``text`` field). Texts read from there stay in
the benchmark's temporary folder and never enter the project. An article is as many paragraphs
as the source's articles have on average, drawn at random with a fixed seed, so the same source
and seed give the same corpus and figures are comparable between runs.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.resources import sample_corpus

#: Files of a corpus folder that are read, by suffix.
TEXT_SUFFIXES = (".txt", ".md")
_BLANK_LINE = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Source:
    """Paragraphs to recombine, and how many make one article."""

    name: str
    paragraphs: tuple[str, ...]
    per_article: int


def source(path: Path | None = None) -> Source:
    """The sample corpus (``path`` None) or the texts under ``path``, split into paragraphs."""
    if path is None:
        texts = [json.loads(line)["text"] for line in _lines(sample_corpus().read_text("utf-8"))]
        name = "sample corpus"
    else:
        texts = list(_texts(path))
        name = str(path)
    if not texts:
        raise SystemExit(f"{path}: no texts found (.txt, .md, .json or .jsonl with a 'text' field)")
    found = [split_paragraphs(text) for text in texts]
    paragraphs = tuple(p for ps in found for p in ps)
    per_article = max(1, round(len(paragraphs) / len(texts)))
    return Source(name, paragraphs, per_article)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs at blank lines; a text without blank lines is split at its line breaks.

    >>> split_paragraphs("A b.\\n\\nC d.\\nE f.")
    ['A b.', 'C d.\\nE f.']
    >>> split_paragraphs("A b.\\nC d.")
    ['A b.', 'C d.']
    """
    parts = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    return [p.strip() for p in parts if p.strip()]


def _lines(text: str) -> Iterator[str]:
    return (line for line in text.splitlines() if line.strip())


def _texts(path: Path) -> Iterator[str]:
    if path.is_dir():
        for child in sorted(path.iterdir()):
            if child.is_file():
                yield from _texts(child)
    elif path.suffix == ".jsonl":
        for line in _lines(path.read_text("utf-8")):
            yield json.loads(line)["text"]
    elif path.suffix == ".json":
        row = json.loads(path.read_text("utf-8"))
        if isinstance(row, dict) and isinstance(row.get("text"), str):
            yield row["text"]
    elif path.suffix in TEXT_SUFFIXES:
        yield path.read_text("utf-8")
    elif not path.exists():
        raise SystemExit(f"{path}: no such file or folder")


def articles(src: Source, count: int, seed: int = 7) -> Iterator[dict[str, str]]:
    """``count`` articles of ``src.per_article`` paragraphs drawn at random (seeded)."""
    rng = random.Random(seed)
    pool = list(src.paragraphs)
    for number in range(count):
        body = "\n\n".join(rng.sample(pool, min(src.per_article, len(pool))))
        yield {
            "id": f"bench-{number:06d}",
            "title": f"Benchmark article {number}",
            "published": f"2025-{1 + number % 12:02d}-{1 + number % 28:02d}",
            "text": body,
        }


def write_corpus(path: Path, count: int, seed: int = 7, src: Source | None = None) -> int:
    """Write ``count`` recombined articles as JSON lines; returns their number of words
    (whitespace-separated)."""
    words = 0
    with path.open("w", encoding="utf-8") as handle:
        for row in articles(src or source(), count, seed):
            words += len(row["text"].split())
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return words
