"""Web pages to article text and metadata, through trafilatura (main text) and htmldate (date).

Nothing here fetches anything: trafilatura and htmldate are given the markup, never a URL to
load; the URL passed along is only recorded (and used to resolve the page's canonical link).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

_TAG = re.compile(
    r"<\s*/?\s*(?:p|div|span|br|html|body|a|b|i|strong|em|h[1-6]|li|ul)\b[^>]*>", re.I
)
#: The original publication date, not the last update; searched beyond the usual markup.
_DATE_PARAMS = {"extensive_search": True, "original_date": True}
#: Never main text. trafilatura's own extraction leaves them out; its fallbacks for pages with
#: little text (the whole body) would keep them.
_PRUNE = ["//nav", "//footer"]


class PageError(ValueError):
    """A page trafilatura cannot read, or in which it finds no main text."""


def looks_like_html(text: str) -> bool:
    """True when a text file is really markup (so its tags must not reach the extractor).

    >>> looks_like_html("<html><body><p>Chile signs</p></body></html>")
    True
    >>> looks_like_html("Prices rose 3% <as expected>.")
    False
    """
    head = text[:4096].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or len(_TAG.findall(text[:20000])) >= 3


def html_to_article_fields(markup: str, url: str | None = None) -> dict[str, Any]:
    """The main text of a page, one paragraph per line pair, with its title, date, URL, author
    and site name, as trafilatura reads them (comments left out). Raises :class:`PageError`
    when trafilatura finds no main text.

    >>> page = ("<html><head><title>Copper | Mining Daily</title></head><body><nav>Home</nav>"
    ...         "<article><p>Chile exports copper to China, the ministry said on Monday; "
    ...         "Peru sells zinc to Japan.</p><p>Both countries expect prices "
    ...         "to rise next year as demand for cables grows.</p></article></body></html>")
    >>> fields = html_to_article_fields(page)
    >>> print(fields["text"])
    Chile exports copper to China, the ministry said on Monday; Peru sells zinc to Japan.
    <BLANKLINE>
    Both countries expect prices to rise next year as demand for cables grows.
    >>> fields["title"]
    'Copper'
    """
    import trafilatura  # imported on first use: it loads justext's stoplists and htmldate

    try:
        document = trafilatura.bare_extraction(
            markup,
            url=url,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=_DATE_PARAMS,
            prune_xpath=_PRUNE,
        )
    except (ValueError, TypeError, etree.LxmlError) as exc:  # markup lxml cannot take
        raise PageError(f"trafilatura cannot parse the page ({type(exc).__name__}: {exc})") from exc
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise PageError("trafilatura found no main text in the page")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    fields: dict[str, Any] = {"text": "\n\n".join(lines)}
    for key, attribute in (
        ("title", "title"),
        ("published", "date"),
        ("url", "url"),
        ("author", "author"),
        ("site", "sitename"),
    ):
        value = getattr(document, attribute, None)
        if isinstance(value, str) and value.strip():
            fields[key] = value.strip()
    return fields
