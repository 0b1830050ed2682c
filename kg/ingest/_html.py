"""HTML pages to article text, title, date and URL (lxml)."""

from __future__ import annotations

import re
from typing import Any

from lxml import html as lxml_html

_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg")
_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "blockquote",
    "section",
}
_TAG = re.compile(
    r"<\s*/?\s*(?:p|div|span|br|html|body|a|b|i|strong|em|h[1-6]|li|ul)\b[^>]*>", re.I
)


def _strings(result: object) -> list[str]:
    return [str(item) for item in result] if isinstance(result, list) else []


def looks_like_html(text: str) -> bool:
    """True when a text file is really markup (so its tags must not reach the extractor).

    >>> looks_like_html("<html><body><p>Chile signs</p></body></html>")
    True
    >>> looks_like_html("Prices rose 3% <as expected>.")
    False
    """
    head = text[:4096].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or len(_TAG.findall(text[:20000])) >= 3


def html_to_article_fields(markup: str) -> dict[str, Any]:
    """Text with one paragraph per block element, and the page's title, date and canonical URL."""
    root = lxml_html.fromstring(markup)
    fields: dict[str, Any] = {}
    title = root.findtext(".//title")
    if title and title.strip():
        fields["title"] = " ".join(title.split())
    for name in ("article:published_time", "datePublished", "date", "pubdate"):
        found = _strings(
            root.xpath("//meta[@property=$n or @name=$n or @itemprop=$n]/@content", n=name)
        )
        if found:
            fields["published"] = found[0]
            break
    canonical = _strings(root.xpath("//link[@rel='canonical']/@href"))
    if canonical:
        fields["url"] = canonical[0]
    for tag in _DROP:
        for element in list(root.iter(tag)):
            parent = element.getparent()
            if parent is not None:  # drop the element but keep the text that follows it
                if element.tail:
                    previous = element.getprevious()
                    if previous is not None:
                        previous.tail = (previous.tail or "") + element.tail
                    else:
                        parent.text = (parent.text or "") + element.tail
                parent.remove(element)
    body = next((e for e in (root.find(".//article"), root.find(".//body")) if e is not None), root)
    parts: list[str] = []
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in _BLOCKS:
            parts.append("\n\n")
        if element.text:
            parts.append(element.text)
        if element.tail:
            parts.append(element.tail)
    text = re.sub(r"[ \t\r\f\v]+", " ", "".join(parts))
    fields["text"] = re.sub(r"\s*\n\s*\n\s*", "\n\n", text).strip()
    return fields
