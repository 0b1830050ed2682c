"""Cue words and name patterns shared by the stages, read from ``ontology/patterns/``.

Both ``extract`` and ``resolve`` read these lists, so they live here, beside
:mod:`kg.vocab`, and neither stage imports the other. All of it is data: ``cues.json`` holds
cue words (negation, honorifics, speech verbs, organisation suffixes…), ``names.json`` the word
lists that decide what a name is (a person, an organisation, a place or no entity at all).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

from kg.resources import ontology_file

# Unicode category Cf (format characters) as of Unicode 14, with the hieroglyph format controls
# Unicode 15 added (U+13439–1343F); tests check it against the running Python's database.
FORMAT_CHARACTERS = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)


@cache
def cues() -> dict[str, Any]:
    """Cue word lists from ``ontology/patterns/cues.json``.

    >>> "said" in cues()["speech_verbs"]
    True
    """
    data: dict[str, Any] = json.loads(ontology_file("patterns", "cues.json").read_text("utf-8"))
    return data


@cache
def name_patterns() -> dict[str, Any]:
    """Word lists of ``ontology/patterns/names.json`` (see that file's comments).

    >>> "ltd" in name_patterns()["organization_suffixes"]
    True
    """
    raw = json.loads(ontology_file("patterns", "names.json").read_text("utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("comment")}


@cache
def units() -> dict[str, Any]:
    """Units, scale words, number words and fractions of ``ontology/patterns/units.json``.

    >>> units()["scales"]["bn"]
    1000000000.0
    """
    data: dict[str, Any] = json.loads(ontology_file("patterns", "units.json").read_text("utf-8"))
    return data


@cache
def fraction_phrases() -> re.Pattern[str]:
    """Shares written in words before "of", with a hedge ("almost a third of", "two-thirds of"),
    from the ``fractions`` and ``fraction_hedges`` of ``units.json``.

    >>> fraction_phrases().search("sits on almost a third of the cobalt").group()
    'almost a third'
    """
    fractions = units()["fractions"]
    single = "|".join(re.escape(f) for f in fractions if "-" not in f)
    whole = "|".join(re.escape(f) for f in [*(f for f in fractions if "-" in f), "half"])
    hedges = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in units()["fraction_hedges"])
    return re.compile(
        rf"\b(?:(?:{hedges})\s+)?(?:(?:a|one)\s+(?:{single})|{whole})(?=\s+of\b)", re.IGNORECASE
    )


@cache
def glued_unit() -> re.Pattern[str]:
    """A unit or scale word the tokenizer left on its number ("4400t", "5bn"), from
    ``units.json``.

    >>> glued_unit().sub(r"\\1 \\2", "4400t")
    '4400 t'
    """
    words = {w for row in units()["units"] for w in row["forms"] if w.isalpha()}
    words |= set(units()["scales"])
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"(\d)({alternatives})$", re.IGNORECASE)


def names_a_company(words: Iterable[str]) -> bool:
    """Whether a name's words say it is a company's (``company_words`` of ``cues.json``).

    >>> names_a_company("Nordvik Rare Earths".split()), names_a_company(["Senate", "of", "Peru"])
    (True, False)
    """
    return not word_set("company_words").isdisjoint(w.lower().rstrip(".") for w in words)


@cache
def word_set(key: str) -> frozenset[str]:
    """One list of :func:`name_patterns` or :func:`cues` as a set of lowercase words.

    >>> "sheikh" in word_set("honorifics")
    True
    """
    source = name_patterns() if key in name_patterns() else cues()
    return frozenset(str(w).lower() for w in source[key])


def strip_format(text: str) -> str:
    """NFKC with Unicode format characters (category Cf: zero-width spaces and joiners,
    bidirectional marks and isolates, soft hyphens) removed: how a name is written down.

    >>> strip_format("Xi\\u200b Jin\\u2067ping\\u2069") == "Xi Jinping"
    True
    >>> strip_format("ＣＡＴＬ")
    'CATL'
    """
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", FORMAT_CHARACTERS.sub("", text))
