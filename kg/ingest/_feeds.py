"""RSS and Atom feeds (feedparser): one article per entry, given as bytes (nothing is fetched)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.ingest._files import Skip, Warn
from kg.ingest._html import PageError, html_to_article_fields

RawArticle = dict[str, Any]
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def feed_records(data: bytes, path: Path, warn: Warn) -> Iterator[RawArticle]:
    """The entries of an RSS or Atom feed as raw articles, in the feed's order.

    Malformed XML is reported (with its line) and the feed read leniently, so the entries before
    and after the fault still come through; an entry without a link or a date, or without text,
    is reported by its number and skipped.
    """
    import feedparser

    # Bytes, never a URL or file name: feedparser would fetch or open those itself.
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        warn(Skip(f"{path}: not an RSS or Atom feed, skipped", "not a feed"))
        return
    fault = parsed.get("bozo_exception")
    if parsed.get("bozo") and not isinstance(fault, feedparser.CharacterEncodingOverride):
        line = getattr(fault, "getLineNumber", lambda: None)()
        where = f" at line {line}" if line else ""
        warn(f"{path}: malformed XML{where} ({fault}); the feed was read leniently")
    site = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, 1):
        where = f"{path} entry {number}"
        link = (entry.get("link") or "").strip()
        date = _entry_date(entry)
        if not link or date is None:
            missing = " and ".join(
                m for m, absent in (("link", not link), ("date", date is None)) if absent
            )
            warn(Skip(f"{where}: entry has no {missing}, skipped", f"entry without {missing}"))
            continue
        raw: RawArticle = {
            "id": (entry.get("id") or link).strip(),
            "source": where,
            "kind": "feed entry",
            "url": link,
            "published": date,
        }
        try:
            raw["text"] = _entry_text(entry)
        except PageError as exc:
            warn(Skip(f"{where}: {exc}, skipped", "unreadable page"))
            continue
        for key, value in (("title", entry.get("title")), ("author", entry.get("author"))):
            if isinstance(value, str) and value.strip():
                raw[key] = value.strip()
        if isinstance(site, str) and site.strip():
            raw["site"] = site.strip()
        yield raw


def _entry_date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:  # a UTC struct_time
            return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC).date()
    return None


def _entry_text(entry: Any) -> str:
    """The full content (``content:encoded``, Atom ``content``), else the summary, as text."""
    contents = [c for c in entry.get("content", []) if (c.get("value") or "").strip()]
    if contents:
        content = max(contents, key=lambda c: len(c["value"]))
        value, kind = content["value"], content.get("type", "text/html")
    else:
        value = entry.get("summary") or ""
        kind = entry.get("summary_detail", {}).get("type", "text/html")
    if not value.strip():
        raise PageError("entry has neither content nor summary")
    if kind not in _HTML_TYPES:
        return str(value)
    try:
        return str(html_to_article_fields(value)["text"])
    except PageError:  # a short fragment trafilatura leaves: its text, as the markup has it
        import trafilatura

        text = trafilatura.html2txt(f"<html><body>{value}</body></html>")
        if not text.strip():
            raise
        return text
