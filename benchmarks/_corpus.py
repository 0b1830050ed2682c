"""A synthetic benchmark corpus: the sample articles' paragraphs recombined into new articles.

Only the project's own sample corpus is used (never the evaluation texts). The same seed gives the
same corpus, so figures are comparable between runs.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

from kg.resources import sample_corpus


def paragraphs() -> list[str]:
    """Every non-empty paragraph of the bundled sample corpus."""
    found: list[str] = []
    for line in sample_corpus().read_text("utf-8").splitlines():
        if line.strip():
            text = json.loads(line)["text"]
            found.extend(p.strip() for p in text.split("\n\n") if p.strip())
    return found


def articles(count: int, per_article: int = 6, seed: int = 7) -> Iterator[dict[str, str]]:
    """``count`` articles of ``per_article`` paragraphs drawn at random (seeded)."""
    pool = paragraphs()
    rng = random.Random(seed)
    for number in range(count):
        body = "\n\n".join(rng.sample(pool, per_article))
        yield {
            "id": f"bench-{number:06d}",
            "title": f"Benchmark article {number}",
            "published": f"2025-{1 + number % 12:02d}-{1 + number % 28:02d}",
            "text": body,
        }


def write_corpus(path: Path, count: int, per_article: int = 6, seed: int = 7) -> int:
    """Write the corpus as JSON lines; returns its number of words (whitespace-separated)."""
    words = 0
    with path.open("w", encoding="utf-8") as handle:
        for row in articles(count, per_article, seed):
            words += len(row["text"].split())
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return words
