"""Names: slugs for IRIs, normal forms for matching, people's surnames."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from kg.patterns import strip_format, word_set

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
    text = strip_format(text).replace("’", "'").replace("‘", "'").strip()
    text = _LEADING_ARTICLE.sub("", text)
    text = text.removesuffix("'s")
    return _SEPARATORS.sub(" ", text).strip().lower()


_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def surname(name: str) -> str:
    """The last name, skipping generational suffixes and keeping its particles.

    >>> surname("Robert Louis Strayer II"), surname("Ursula von der Leyen")
    ('Strayer', 'von der Leyen')
    """
    parts = [p for p in name.replace(",", " ").split() if p]
    while len(parts) > 1 and parts[-1].lower() in _SUFFIXES:
        parts.pop()
    if not parts:
        return name
    particles = word_set("name_particles")
    start = len(parts) - 1
    while start > 1 and parts[start - 1].lower() in particles:
        start -= 1
    return " ".join(parts[start:])


def clean_name(text: str) -> str:
    """A name as a label: format characters gone (:func:`kg.patterns.strip_format`), white
    space (line breaks of wrapped text included) made single spaces.

    >>> clean_name("Impala\\nPlatinum\\u200b")
    'Impala Platinum'
    """
    return " ".join(strip_format(text).split())


def person_name(text: str) -> str:
    """A person's name without honorifics or possessive: "Shri Pralhad Joshi's" → "Pralhad
    Joshi" (honorifics are data: ``honorifics`` in ``patterns/cues.json``).

    >>> person_name("H.E. Dr. Sultan Al Jaber"), person_name("Ms Buyelwa Sonjica’s")
    ('Sultan Al Jaber', 'Buyelwa Sonjica')
    """
    words = clean_name(text).removesuffix("'s").removesuffix("’s").split()
    honorifics = word_set("honorifics")
    while len(words) > 2 and " ".join(words[:2]).lower() in honorifics:
        words = words[2:]
    while len(words) > 1 and (
        words[0].lower() in honorifics or words[0].lower() + "." in honorifics
    ):
        words = words[1:]
    return " ".join(words)


def org_key(name: str) -> str:
    """The matching key of an organisation's name: :func:`norm` without legal-form words at
    either end, so "Tianqi Lithium Corp" and "Tianqi Lithium" are one organisation.

    >>> org_key("Tianqi Lithium Corp"), org_key("JSC Kazatomprom"), org_key("Pampa Group")
    ('tianqi lithium', 'kazatomprom', 'pampa')
    """
    words = norm(name).split()
    suffixes, prefixes = word_set("organization_suffixes"), word_set("organization_prefixes")
    while len(words) > 1 and (words[-1] in suffixes or words[-1].rstrip(".,") in suffixes):
        words.pop()
    while len(words) > 1 and words[0] in prefixes:
        words.pop(0)
    return " ".join(words)


def initials(name: str) -> str:
    """The capitals a multi-word name's acronym would have ("Kamoto Copper Company" → "KCC").

    >>> initials("Kamoto Copper Company"), initials("Chamber of Mines")
    ('KCC', 'CM')
    """
    return "".join(w[0] for w in clean_name(name).replace("-", " ").split() if w[:1].isupper())
