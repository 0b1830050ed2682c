"""Extract: spaCy NER merged with vocabulary rules, relations and quantities, per article.

This is the only package that imports spaCy; it hands plain :class:`~kg.records.Analysis`
records to the resolver.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache, cached_property
from itertools import groupby

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract._mentions import collect_mentions, cues
from kg.extract._model import installed_models, load_pipeline, model_name
from kg.extract._quantities import extract_quantities, normalize
from kg.extract._relations import extract_relations
from kg.extract._roles import focus_country, people_by_role
from kg.extract._staging import DeferredTagging
from kg.extract._unicode import without_format_characters
from kg.records import Analysis, Article, Mention, MentionQuantity, MentionRelation
from kg.vocab import Vocabulary, load_vocabulary

__all__ = ["Extractor", "installed_models", "normalize", "split_long_text"]


class Extractor:
    """Turns articles into :class:`~kg.records.Analysis` records.

    Parameters
    ----------
    model : str, optional
        An installed spaCy pipeline; by default ``en_core_web_sm`` or its PyPI re-upload.
    nlp : spacy.language.Language, optional
        A ready pipeline (tests pass ``spacy.blank("en")`` plus ``kg_vocabulary``).
    relations : bool, default True
        Also read relations and quantities (False gives entities alone, for benchmarks).
    """

    def __init__(
        self, model: str | None = None, *, nlp: Language | None = None, relations: bool = True
    ) -> None:
        self.relations = relations
        self.nlp = nlp if nlp is not None else load_pipeline(model)
        self.vocabulary: Vocabulary = load_vocabulary()
        self.model = model_name(self.nlp)
        self.max_chars = min(self.nlp.max_length, 100_000)

    @cached_property
    def tagging(self) -> DeferredTagging | None:
        """Part-of-speech tagging run only where tags are read, or None (see ``_staging``)."""
        return DeferredTagging.plan(self.nlp)

    def analyze(self, articles: Iterable[Article], batch_size: int = 64) -> Iterator[Analysis]:
        """Analyses, in input order; long texts are split on paragraph breaks and re-joined.

        Texts stream through spaCy ``batch_size`` chunks at a time, so memory stays bounded
        however many articles come in; the tagging components run afterwards on the few windows
        whose tags are read, when the pipeline allows it (:attr:`tagging`).
        """
        items = (piece for article in articles for piece in self._pieces(article))
        tagging = self.tagging
        disable = tagging.names if tagging is not None else ()
        docs = self.nlp.pipe(items, as_tuples=True, batch_size=batch_size, disable=disable)
        if tagging is not None:
            docs = tagging.tag(docs, batch_size)
        for _, group in groupby(docs, key=lambda pair: id(pair[1][0])):
            pairs = list(group)
            article, _, english = pairs[0][1]
            yield self._analysis(article, [(doc, offset) for doc, (_, offset, _) in pairs], english)

    def _pieces(self, article: Article) -> Iterator[tuple[str, tuple[Article, int, bool]]]:
        """(text, (article, offset, English?)) pieces for spaCy; one empty piece if not English."""
        article = without_format_characters(article)
        english = looks_english(article.text)
        chunks = split_long_text(article.text, self.max_chars) if english else [("", 0)]
        for chunk, offset in chunks:
            yield chunk, (article, offset, english)

    def _analysis(self, article: Article, docs: list[tuple[Doc, int]], english: bool) -> Analysis:
        mentions: list[Mention] = []
        sentences: list[tuple[int, int]] = []
        numbers = []
        acronyms: list[tuple[int, int]] = []
        for doc, offset in docs:
            found = collect_mentions(doc, offset, article.excluded, self.vocabulary)
            base = len(mentions)
            mentions.extend(found.mentions)
            acronyms.extend((a + base, b + base) for a, b in found.acronyms)
            numbers.append((found.numbers, offset, base, len(found.mentions)))
            sentences.extend((s.start_char + offset, s.end_char + offset) for s in doc.sents)
        warnings: tuple[str, ...] = ()
        if not english:
            warnings = (f"{article.id}: text does not look like English; no entities extracted",)
        mentions = people_by_role(article.text, mentions)
        title_end = sentences[0][1] if sentences and article.title else 0
        embedded = Counter(
            c for doc, _ in docs for c in doc.user_data.get("kg_embedded_countries", [])
        )
        focus = focus_country(mentions, title_end, embedded)
        relations: list[MentionRelation] = []
        quantities: list[MentionQuantity] = []
        if self.relations:
            relations = extract_relations(article.text, mentions, sentences, self.vocabulary, focus)
            for spans, offset, _, _ in numbers:
                quantities.extend(
                    extract_quantities(spans, offset, mentions, focus, article.text, sentences)
                )
        return Analysis(
            article=article,
            mentions=tuple(mentions),
            relations=tuple(relations),
            quantities=tuple(quantities),
            sentences=tuple(sentences),
            acronyms=tuple(acronyms),
            model=self.model,
            warnings=warnings,
        )


def split_long_text(text: str, max_chars: int) -> Iterator[tuple[str, int]]:
    """(chunk, offset) pieces of at most ``max_chars``, cut at paragraph or sentence breaks.

    >>> [(c, o) for c, o in split_long_text("aa.\\n\\nbb.\\n\\ncc.", 10)]
    [('aa.\\n\\nbb.', 0), ('\\n\\ncc.', 8)]
    """
    start = 0
    while len(text) - start > max_chars:
        window = text[start : start + max_chars]
        cut = max_chars
        for separator in ("\n\n", ". ", "\n", " "):
            at = window.rfind(separator)
            if at > max_chars // 2:
                cut = at + (1 if separator == ". " else 0)
                break
        yield text[start : start + cut], start
        start += cut
    yield text[start:], start


def looks_english(text: str) -> bool:
    """A cheap language check: English function words among the words, Latin letters.

    >>> looks_english("China restricted exports of gallium and germanium to the United States.")
    True
    >>> looks_english("中国限制镓和锗的出口。")
    False
    >>> looks_english("El gobierno de Chile anunció un acuerdo con la empresa estatal Codelco.")
    False
    >>> looks_english("Chile signs lithium deal")
    True
    """
    words = _WORD.findall(text[:5000].lower())
    if not words:
        return True
    latin = sum(1 for w in words if _LATIN_WORD.fullmatch(w))
    if latin / len(words) < 0.6:
        return False
    english, foreign = _function_words()
    common = sum(1 for w in words if w in english)
    if len(words) < 40:
        # Too short for a ratio: English unless another language's function words outnumber it.
        others = sum(1 for w in words if w in foreign)
        return not (others >= 2 and others > common)
    return common / len(words) > 0.08


_WORD = re.compile(r"[^\W\d_]+")
_LATIN_WORD = re.compile("[a-zéèêëàâäôöîïüûçñáíóúãõ]+")


@cache
def _function_words() -> tuple[frozenset[str], frozenset[str]]:
    """English function words and other languages' ones, from ``patterns/cues.json``."""
    return frozenset(cues()["english_function_words"]), frozenset(cues()["foreign_function_words"])
