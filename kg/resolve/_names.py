"""Names: slugs for IRIs, normal forms for matching, people's surnames."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

BASE = "https://w3id.org/cmkg/id/"
_FOLDER = {
    "Person": "person",
    "Organization": "org",
    "Country": "country",
    "Mineral": "mineral",
    "Agreement": "agreement",
}


def slug(name: str) -> str:
    """A readable, IRI-safe key for a name; a short hash when nothing Latin is left.

    >>> slug("Robert Louis Strayer II")
    'robert-louis-strayer-ii'
    >>> slug('Acme " } ; DROP ALL ;')
    'acme-drop-all'
    >>> slug("国务院")
    'x-77a17c09c1'
    """
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    key = re.sub(r"[^a-z0-9]+", "-", folded.replace("'", "").replace("’", "")).strip("-")
    return key[:80].rstrip("-") or "x-" + hashlib.sha1(name.encode()).hexdigest()[:10]


def entity_iri(kind: str, name: str) -> str:
    """The deterministic IRI of an entity no vocabulary knows.

    >>> entity_iri("Person", "Pete Hegseth")
    'https://w3id.org/cmkg/id/person/pete-hegseth'
    """
    return f"{BASE}{_FOLDER.get(kind, 'thing')}/{slug(name)}"


_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_SEPARATORS = re.compile(r"[\s\-–—_]+")


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Lowercase, curly quotes straightened, leading article and possessive dropped.

    Names recur within and across articles, so results are cached (a bounded cache).

    >>> norm("the CMF’s")
    'cmf'
    """
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").strip()
    text = _LEADING_ARTICLE.sub("", text)
    text = text.removesuffix("'s")
    return _SEPARATORS.sub(" ", text).strip().lower()


_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def surname(name: str) -> str:
    """The last name, skipping generational suffixes.

    >>> surname("Robert Louis Strayer II")
    'Strayer'
    """
    parts = [p for p in name.replace(",", " ").split() if p]
    while len(parts) > 1 and parts[-1].lower() in _SUFFIXES:
        parts.pop()
    return parts[-1] if parts else name
