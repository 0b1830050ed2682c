"""Ingest: files, folders, JSON lines and HTML into clean :class:`~kg.records.Article` records.

>>> from kg.ingest import article_from_text
>>> article_from_text("x", "Chile signs.\\nAlso read: another story").teasers
('Also read: another story',)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.ingest._clean import CleanText, clean_text
from kg.ingest._readers import SUFFIXES, Skip, count_articles, iter_raw, parse_date, to_article
from kg.records import Article

__all__ = [
    "SUFFIXES",
    "CleanText",
    "Skip",
    "article_from_text",
    "clean_text",
    "count_articles",
    "parse_date",
    "read_articles",
]


def read_articles(
    paths: Iterable[str | Path], warn: Callable[[str], None] = lambda message: None
) -> Iterator[Article]:
    """Articles from files, folders (recursively) and ``.jsonl`` files, in a stable order.

    Bad inputs (missing paths, empty, binary or undecodable files, bad JSON lines) are reported
    through ``warn`` with the file named, and skipped. A second article with an id already seen
    is reported and skipped, so a build never writes one article twice.
    """
    seen: set[str] = set()
    for raw in iter_raw(paths, warn):
        if raw["id"] in seen:
            where = raw.get("source", raw["id"])
            warn(Skip(f"{where}: duplicate article id {raw['id']!r}, skipped", "duplicate id"))
            continue
        seen.add(raw["id"])
        article = to_article(raw, clean_text)
        if not article.text.strip():
            warn(Skip(f"{article.source}: no text left after clean-up, skipped", "empty"))
            continue
        yield article


def article_from_text(
    ident: str, text: str, *, title: str | None = None, url: str | None = None
) -> Article:
    """An article from a string, cleaned as files are."""
    fields = {"id": ident, "text": text, "title": title, "url": url}
    return to_article({k: v for k, v in fields.items() if v is not None}, clean_text)
