"""Format characters out of the text before spaCy sees it.

Zero-width spaces and joiners, bidirectional marks and isolates, soft hyphens (Unicode category
Cf) are invisible but split words for the tokenizer and the vocabulary matchers ("Gal\u200blium",
"\u2067Xi Jinping\u2069"), and would reach labels, GEXF and CSV. They are removed from an
article's text before extraction; offsets of relations and quantities then point into the
cleaned text, which is the text the extraction carries.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from kg.patterns import FORMAT_CHARACTERS
from kg.records import Article


def without_format_characters(article: Article) -> Article:
    """The article with every format character (Unicode category Cf) removed from its text, and
    its excluded spans moved to match.

    >>> a = Article("a", "Gal\\u200blium from \\u2067China\\u2069.", excluded=((15, 20),))
    >>> b = without_format_characters(a)
    >>> b.text, b.excluded
    ('Gallium from China.', ((13, 18),))
    >>> without_format_characters(b) is b
    True
    """
    text = article.text
    if text.isascii():
        return article
    pattern = FORMAT_CHARACTERS
    removed = [m.start() for m in pattern.finditer(text)]
    if not removed:
        return article

    def moved(offset: int) -> int:
        return offset - bisect_right(removed, offset - 1)

    excluded = tuple((moved(s), moved(e)) for s, e in article.excluded)
    return replace(article, text=pattern.sub("", text), excluded=excluded)
