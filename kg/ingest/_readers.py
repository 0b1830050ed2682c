"""Reading articles from each kind of input, with a clear word on each bad one."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.ingest._clean import clean_field
from kg.ingest._decode import declared_charset, decode
from kg.ingest._feeds import feed_records
from kg.ingest._files import NotRegularFile, Skip, Warn, kind_of, open_regular
from kg.ingest._html import PageError, html_to_article_fields, looks_like_html
from kg.ingest._warc import warc_records
from kg.records import Article

RawArticle = dict[str, Any]

#: Skips that are about a whole file or a stretch of one, not one record in it.
_FILE_LEVEL = {"corrupt WARC data", "not a feed"}
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
#: What one input record is called in progress and summaries, by kind of file.
RECORD_NAMES = {
    "text": "text files",
    "html": "pages",
    "jsonl": "JSON lines",
    "feed": "feed entries",
    "warc": "WARC records",
}


def read_input(
    path: Path, warn: Warn, counts: Counter[str], first: int = 0, stop: int | None = None
) -> Iterator[RawArticle]:
    """The raw articles of one input file (any kind); of a WARC file, those of the records
    that start between byte ``first`` and byte ``stop``."""
    kind = kind_of(path)
    try:
        with open_regular(path) as handle:
            if kind == "warc":
                records = warc_records(handle, path, _counting(warn, counts, "warc"), first, stop)
                yield from _counted(records, counts, "warc")
                return
            data = handle.read()
    except NotRegularFile as exc:
        warn(exc.skip)
        return
    except OSError as exc:
        warn(Skip(f"{path}: cannot read ({exc.strerror or exc})", "unreadable"))
        return
    if kind == "feed":
        entries = feed_records(data, path, _counting(warn, counts, "feed"))
        yield from _counted(entries, counts, "feed")
        return
    if kind in ("text", "html"):
        counts[RECORD_NAMES["html" if kind == "html" else "text"]] += 1
    try:
        text = decode(data, str(path), warn, declared_charset(data) if kind == "html" else None)
    except InputError as exc:
        reason = "binary" if "binary" in str(exc) else "undecodable"
        warn(Skip(str(exc), reason))
        return
    if not text.strip():
        warn(Skip(f"{path}: empty file, skipped", "empty"))
        return
    if kind == "jsonl":
        yield from _jsonl_records(text, path, warn, counts)
        return
    if kind == "html" or looks_like_html(text):
        try:
            fields = html_to_article_fields(text)
        except PageError as exc:
            warn(Skip(f"{path}: {exc}, skipped", "unreadable page"))
            return
        yield {"id": path.stem, "source": str(path), "kind": "page", **fields}
        return
    yield {"id": path.stem, "source": str(path), "kind": "text file", **_text_fields(text)}


def _counted(
    records: Iterator[RawArticle], counts: Counter[str], kind: str
) -> Iterator[RawArticle]:
    for raw in records:
        counts[RECORD_NAMES[kind]] += 1
        yield raw


def _counting(warn: Warn, counts: Counter[str], kind: str) -> Warn:
    """``warn`` that also counts each skipped record of a feed or WARC file as read."""

    def note(message: str) -> None:
        if isinstance(message, Skip) and message.reason not in _FILE_LEVEL:
            counts[RECORD_NAMES[kind]] += 1
        warn(message)

    return note


def _text_fields(text: str) -> RawArticle:
    fields: RawArticle = {}
    match = _FRONT_MATTER.match(text)
    if match:
        for line in match.group(1).splitlines():
            key, _, value = line.partition(":")
            key = key.strip().lower()
            if key in {"title", "url", "published", "date", "id"} and value.strip():
                fields["published" if key == "date" else key] = value.strip().strip("\"'")
        # Blank the front matter out rather than cutting it, so offsets stay file offsets.
        text = re.sub(r"[^\n]", " ", match.group(0)) + text[match.end() :]
    fields["text"] = text
    if "title" not in fields:
        first = text.strip().split("\n", 1)[0].strip()
        if 0 < len(first) <= 200 and not first.endswith((".", ":")):
            fields["title"] = first
    return fields


def _jsonl_records(text: str, path: Path, warn: Warn, counts: Counter[str]) -> Iterator[RawArticle]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        counts[RECORD_NAMES["jsonl"]] += 1
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            warn(Skip(f"{where}: not valid JSON ({exc.msg}), skipped", "bad JSON"))
            continue
        if not isinstance(record, dict):
            warn(Skip(f"{where}: expected a JSON object, skipped", "bad JSON"))
            continue
        body = record.get("text")
        if not isinstance(body, str) or not body.strip():
            warn(
                Skip(f"{where}: field 'text' is missing, empty or not a string, skipped", "no text")
            )
            continue
        ident = record.get("id")
        raw: RawArticle = {
            "id": str(ident) if ident not in (None, "") else f"{path.stem}-{number}",
            "source": where,
            "kind": "JSON line",
            "text": body,
        }
        for key in ("title", "url"):
            value = record.get(key)
            if isinstance(value, str | int | float) and str(value).strip():
                raw[key] = str(value).strip()
        if record.get("published") is not None:
            raw["published"] = record["published"]  # checked, with a warning, by to_article
        yield raw


def parse_date(value: str | None) -> dt.date | None:
    """The date at the start of an ISO date or date-time string, or None.

    >>> parse_date("2025-10-31T09:00:00Z")
    datetime.date(2025, 10, 31)
    >>> parse_date("last week") is None, parse_date("2025-13-45") is None
    (True, True)
    """
    if not value:
        return None
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _published(raw: RawArticle, warn: Warn) -> dt.date | None:
    """The article's date; a value that is not one is reported, naming the input and the id."""
    value = raw.get("published")
    if value is None or isinstance(value, dt.date):
        return value
    date = parse_date(value) if isinstance(value, str) else None
    if date is None and (not isinstance(value, str) or value.strip()):
        where = raw.get("source") or raw["id"]
        warn(
            f"{where}: id {clean_field(str(raw['id']))!r}: published value {value!r} is not a "
            "date (YYYY-MM-DD); article kept without a date"
        )
    return date


def to_article(
    raw: RawArticle, clean: Callable[[str], Any], warn: Warn = lambda message: None
) -> Article:
    """An :class:`Article` from raw fields, with its text cleaned by ``clean``."""
    cleaned = clean(raw["text"])
    return Article(
        id=clean_field(str(raw["id"])) or "article",
        text=cleaned.text,
        title=clean_field(raw.get("title")) or None,
        url=clean_field(raw.get("url")) or None,
        published=_published(raw, warn),
        source=clean_field(raw.get("source")),
        excluded=cleaned.excluded,
        teasers=cleaned.teasers,
        author=clean_field(raw.get("author")) or None,
        site=clean_field(raw.get("site")) or None,
    )
