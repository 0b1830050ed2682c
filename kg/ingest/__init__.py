"""Ingest: text, Markdown, JSON lines, web pages, RSS/Atom feeds and WARC archives into clean
:class:`~kg.records.Article` records.

Web pages (files, WARC records, HTML inside feed entries) go through trafilatura for the main
text and its metadata; every text then gets kg's own clean-up (control characters, teaser and
furniture lines marked). Articles in a language other than English are counted and skipped.
Nothing is fetched from the network.

>>> from kg.ingest import article_from_text
>>> article_from_text("x", "Chile signs.\\nAlso read: another story").teasers
('Also read: another story',)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.ingest._clean import CleanText, clean_text
from kg.ingest._files import SUFFIXES, Skip, count_articles, iter_files
from kg.ingest._language import CONFIDENT, MIN_ENGLISH, detect_language, is_english
from kg.ingest._readers import RECORD_NAMES, parse_date, read_input, to_article
from kg.records import Article

__all__ = [
    "RECORD_NAMES",
    "SUFFIXES",
    "CleanText",
    "InputPart",
    "Skip",
    "article_from_text",
    "clean_text",
    "count_articles",
    "detect_language",
    "input_parts",
    "is_english",
    "own_text",
    "parse_date",
    "read_articles",
    "read_part",
    "unique_ids",
]

Warn = Callable[[str], None]


def _quiet(message: str) -> None:
    """Discard a warning (the default when the caller gives no callback)."""


@dataclass(frozen=True)
class InputPart:
    """One input file, or a byte range of a WARC.gz file (its records that start there)."""

    path: Path
    first: int = 0
    stop: int | None = None


def input_parts(
    paths: Iterable[str | Path], warn: Warn = _quiet, split: int | None = None
) -> Iterator[InputPart]:
    """The input files under ``paths`` in order; with ``split``, each WARC.gz file cut into
    ranges of ``split`` bytes, which can be read apart (by the workers of ``kg distributed``).

    >>> import tempfile, pathlib
    >>> crawl = pathlib.Path(tempfile.mkdtemp()) / "c.warc.gz"
    >>> _ = crawl.write_bytes(bytes(250))
    >>> [(p.first, p.stop) for p in input_parts([crawl], split=100)]
    [(0, 100), (100, 200), (200, 250)]
    """
    for path in iter_files(paths, warn):
        size = path.stat().st_size if split else 0
        if not split or not path.name.lower().endswith(".warc.gz") or size <= split:
            yield InputPart(path)
            continue
        for first in range(0, size, split):
            yield InputPart(path, first, min(first + split, size))


def read_part(
    part: InputPart, warn: Warn = _quiet, counts: Counter[str] | None = None
) -> Iterator[Article]:
    """The cleaned English articles of one input part; ids are not yet checked (see
    :func:`unique_ids`): articles in other languages are skipped with a count."""
    counts = counts if counts is not None else Counter()
    for raw in read_input(part.path, warn, counts, part.first, part.stop):
        article = to_article(raw, clean_text, warn)
        where = article.source or article.id
        if not article.text.strip():
            warn(Skip(f"{where}: no text left after clean-up, skipped", "empty"))
            continue
        language, confidence, english = detect_language(own_text(article))
        if english < MIN_ENGLISH and confidence >= CONFIDENT:
            quiet = raw.get("kind") == "WARC record"  # crawls are full of them
            message = f"{where}: language looks like {language!r}, not English; skipped"
            warn(Skip(message, "not English", quiet))
            continue
        yield article


def unique_ids(articles: Iterable[Article], warn: Warn = _quiet) -> Iterator[Article]:
    """``articles`` but for a second one with an id already seen, reported and skipped (so a
    build never writes one article twice; ids are compared cleaned: ``"a"`` and ``"a "`` are
    one)."""
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            where = article.source or article.id
            warn(Skip(f"{where}: duplicate article id {article.id!r}, skipped", "duplicate id"))
            continue
        seen.add(article.id)
        yield article


def read_articles(
    paths: Iterable[str | Path], warn: Warn = _quiet, counts: Counter[str] | None = None
) -> Iterator[Article]:
    """Articles from files, folders (recursively), feeds and web archives, in a stable order.

    Bad inputs (missing paths, FIFOs, empty, binary or undecodable files, bad JSON lines, feed
    entries without a link or date, unreadable pages, corrupt WARC data) are reported through
    ``warn`` with the file (and line, entry or byte offset) named, and skipped; the rest of the
    file is still read. Articles not in English are skipped with a count. A second article with
    an id already seen (after clean-up, so ``"a"`` and ``"a "`` are one id) is reported and
    skipped, so a build never writes one article twice. ``counts``, when given, counts the
    records read by kind (:data:`RECORD_NAMES`).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Chile exports copper to China.")
    >>> _ = (folder / "b.txt").write_text("Chile exporta cobre a China desde hace años.")
    >>> warnings = []
    >>> [a.id for a in read_articles([folder], warnings.append)]
    ['a']
    >>> warnings[0].reason
    'not English'
    """
    parts = input_parts(paths, warn)
    return unique_ids((a for part in parts for a in read_part(part, warn, counts)), warn)


def own_text(article: Article) -> str:
    """The article's text without its excluded (teaser and furniture) lines.

    >>> own_text(article_from_text("x", "Chile signs.\\nRead more: Peru too"))
    'Chile signs.\\n'
    """
    if not article.excluded:
        return article.text
    parts, last = [], 0
    for start, end in article.excluded:
        parts.append(article.text[last:start])
        last = end
    parts.append(article.text[last:])
    return "".join(parts)


def article_from_text(
    ident: str, text: str, *, title: str | None = None, url: str | None = None
) -> Article:
    """An article from a string, cleaned as files are."""
    fields = {"id": ident, "text": text, "title": title, "url": url}
    return to_article({k: v for k, v in fields.items() if v is not None}, clean_text)
