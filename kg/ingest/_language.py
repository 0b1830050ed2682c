"""Language identification (py3langid: offline, its model ships in the package).

Chosen over lingua on ``benchmarks/bench_language.py``: on headlines and sentences in 19
languages plus the sample corpus, py3langid with the rule below kept 60/60 English texts and
rejected 53/53 others at about 0.5 ms a text, where lingua's low-accuracy mode lost 4 English
headlines at 6.6 ms a text and its high-accuracy mode needed 1.2 GB and 19 s to load.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

#: Characters looked at: the start of an article says which language it is in.
SAMPLE = 3000
#: An article is English unless py3langid gives English less than this probability and another
#: language at least :data:`CONFIDENT`. English headlines full of names get 0.05 or more
#: (py3langid spreads its doubt over many languages); texts in other languages of the benchmark
#: got 0.01 or less, with 0.49 or more for their own language.
MIN_ENGLISH = 0.03
CONFIDENT = 0.3
#: Texts of fewer words are not judged (taken as English): on three or four words py3langid is
#: a coin toss ("Peru mines zinc." comes out Latvian), and a short non-English text kept costs
#: little (the extractor finds nothing in it and says so).
MIN_WORDS = 5
# Scripts written without spaces between words: each character counts as a word.
_UNSPACED = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float, float]:
    """The most likely language of ``text`` (ISO 639 code), its probability and that of English;
    ``("en", 1.0, 1.0)`` for a text under :data:`MIN_WORDS` words.

    >>> detect_language("Chile signed an agreement with Japan to supply lithium for ten years.")[0]
    'en'
    >>> detect_language("Chile firmó un acuerdo con Japón para suministrar litio.")[0]
    'es'
    """
    sample = text[:SAMPLE]
    if len(sample.split()) + len(_UNSPACED.findall(sample)) < MIN_WORDS:
        return "en", 1.0, 1.0
    ranked = _identifier().rank(sample)
    english = next((float(p) for lang, p in ranked if lang == "en"), 0.0)
    return str(ranked[0][0]), float(ranked[0][1]), english


def is_english(text: str) -> bool:
    """Whether an article is in English (see :data:`MIN_ENGLISH` and :data:`MIN_WORDS`): only a
    text that is confidently in another language is not.

    >>> is_english("Codelco, Albemarle and SQM: Atacama talks resume")
    True
    >>> is_english("Galliumpreise steigen nach Pekings Exportbeschränkungen")
    False
    """
    _, confidence, english = detect_language(text)
    return english >= MIN_ENGLISH or confidence < CONFIDENT
