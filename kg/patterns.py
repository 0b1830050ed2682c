"""Cue words and name patterns shared by the stages, read from ``ontology/patterns/``.

Both ``extract`` and ``resolve`` read these lists, so they live here, beside
:mod:`kg.vocab`, and neither stage imports the other. All of it is data: ``cues.json`` holds
cue words (negation, honorifics, speech verbs, organisation suffixes…), ``names.json`` the word
lists that decide what a name is (a person, an organisation, a place or no entity at all).
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from typing import Any

from kg.resources import ontology_file


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
    kept = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return unicodedata.normalize("NFKC", kept)
