"""Reading articles from files, folders and JSON lines, with a clear word on each bad input."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.ingest._clean import clean_field
from kg.ingest._html import html_to_article_fields, looks_like_html
from kg.records import Article

TEXT_SUFFIXES = (".txt", ".md", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES

Warn = Callable[[str], None]
RawArticle = dict[str, Any]

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


class Skip(str):
    """A warning that an input was skipped: the message, with a short ``reason`` to count by.

    It is a ``str``, so every ``warn`` callback takes it as it takes any message.

    >>> s = Skip("a.txt: empty file, skipped", "empty")
    >>> s, s.reason
    ('a.txt: empty file, skipped', 'empty')
    """

    reason: str

    def __new__(cls, message: str, reason: str) -> Skip:
        made = super().__new__(cls, message)
        made.reason = reason
        return made

    def __reduce__(self) -> tuple[type[Skip], tuple[str, str]]:
        return Skip, (str(self), self.reason)


def iter_raw(paths: Iterable[str | Path], warn: Warn) -> Iterator[RawArticle]:
    """Raw article fields from each path; bad inputs are reported through ``warn`` and skipped."""
    for given in paths:
        path = Path(given)
        if not path.exists():
            warn(Skip(f"{path}: no such file or folder", "no such file"))
        elif path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and _wanted(p))
            if not files:
                warn(Skip(f"{path}: folder has no {', '.join(SUFFIXES)} files", "no input files"))
            for file in files:
                yield from _read_file(file, warn)
        else:
            yield from _read_file(path, warn)


def count_articles(paths: Iterable[str | Path]) -> int:
    """How many records ``paths`` hold: one per text or HTML file, one per non-blank JSON line.

    Cheap (lines are counted, not parsed), for the total of a progress bar; records that will
    be skipped are counted too.

    >>> count_articles([])
    0
    """
    total = 0
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and _wanted(p))
        else:
            files = [path] if path.is_file() else []
        for file in files:
            if file.suffix.lower() not in JSONL_SUFFIXES:
                total += 1
                continue
            try:
                with file.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            except OSError:
                total += 1
    return total


def _wanted(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES and not path.name.startswith(".")


def _read_file(path: Path, warn: Warn) -> Iterator[RawArticle]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        warn(Skip(f"{path}: cannot read ({exc.strerror or exc})", "unreadable"))
        return
    try:
        text = decode(data, str(path))
    except InputError as exc:
        warn(Skip(str(exc), "binary" if "binary" in str(exc) else "not UTF-8"))
        return
    if not text.strip():
        warn(Skip(f"{path}: empty file, skipped", "empty"))
        return
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl_records(text, path, warn)
    elif suffix in HTML_SUFFIXES or looks_like_html(text):
        yield {"id": path.stem, "source": str(path), **html_to_article_fields(text)}
    else:
        yield {"id": path.stem, "source": str(path), **_text_fields(text)}


def decode(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8 (or UTF-16 with a BOM); refuse binary data.

    >>> decode("café".encode(), "a.txt")
    'café'
    >>> decode(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00", "a.txt")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: a.txt: binary file (not text), skipped
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    head = data[:8192]
    if b"\x00" in head:
        raise InputError(f"{name}: binary file (not text), skipped")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        if bad > max(3, len(text) // 100):
            raise InputError(
                f"{name}: not UTF-8 text (invalid byte at offset {exc.start}), skipped"
            ) from None
        return text


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


def _jsonl_records(text: str, path: Path, warn: Warn) -> Iterator[RawArticle]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
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
            "text": body,
        }
        for key in ("title", "url", "published"):
            value = record.get(key)
            if isinstance(value, str | int | float) and str(value).strip():
                raw[key] = str(value).strip()
        yield raw


def parse_date(value: str | None) -> dt.date | None:
    """The date at the start of an ISO date or date-time string, or None.

    >>> parse_date("2025-10-31T09:00:00Z")
    datetime.date(2025, 10, 31)
    >>> parse_date("last week") is None
    True
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


def to_article(raw: RawArticle, clean: Callable[[str], Any]) -> Article:
    """An :class:`Article` from raw fields, with its text cleaned by ``clean``."""
    cleaned = clean(raw["text"])
    return Article(
        id=clean_field(raw["id"]) or "article",
        text=cleaned.text,
        title=clean_field(raw.get("title")) or None,
        url=clean_field(raw.get("url")) or None,
        published=parse_date(raw.get("published")),
        source=clean_field(raw.get("source")),
        excluded=cleaned.excluded,
        teasers=cleaned.teasers,
    )
