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
