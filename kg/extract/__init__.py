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

from kg.extract._clauses import MAX_CLAUSE
from kg.extract._grammar import GrammarReader, trigger_forms
from kg.extract._mentions import collect_mentions, cues
from kg.extract._model import installed_models, load_pipeline, model_name
from kg.extract._parsing import DEFERRED, DeferredParsing, parses_of
from kg.extract._places import countries_as_places
from kg.extract._quantities import extract_quantities, normalize
from kg.extract._relations import extract_relations
from kg.extract._roles import focus_actor, focus_country, people_by_role
from kg.extract._sources import source_mentions
from kg.extract._staging import DeferredTagging
from kg.extract._unicode import without_format_characters
from kg.patterns import names_a_company
from kg.records import Analysis, Article, Mention, MentionQuantity, MentionRelation
from kg.vocab import Vocabulary, load_vocabulary

__all__ = ["Extractor", "installed_models", "normalize", "split_long_text"]

#: The longest piece of text spaCy reads at once (characters, about 3,000 words).
MAX_PIECE = 20_000
#: Articles longer than this (characters) go through spaCy on their own, LONG_BATCH pieces at
#: a time: the model's memory grows with the text in one batch.
LONG = 4 * MAX_PIECE
LONG_BATCH = 2


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
    parse : bool, default True
        Read relations from the dependency parse of candidate sentences (False: from the clause
        reader alone, about 1.5 times faster, fewer relations found; the run's provenance
        records it as ``+noparse`` after the model's name).
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        nlp: Language | None = None,
        relations: bool = True,
        parse: bool = True,
    ) -> None:
        self.relations = relations
        self.parse = parse
        self.nlp = nlp if nlp is not None else load_pipeline(model)
        self.vocabulary: Vocabulary = load_vocabulary()
        self.model = model_name(self.nlp) + ("" if parse else "+noparse")
        # Long texts go through spaCy in pieces (cut at paragraph or sentence breaks): the
        # model's memory grows with the length of a doc, and news articles are shorter.
        self.max_chars = min(self.nlp.max_length, MAX_PIECE)

    @cached_property
    def parsing(self) -> DeferredParsing | None:
        """The dependency parse run only on candidate sentences, or None without a parser
        (see ``_parsing``)."""
        if not (self.relations and self.parse):
            return None
        return DeferredParsing.plan(self.nlp, trigger_forms())

    @cached_property
    def tagging(self) -> DeferredTagging | None:
        """Part-of-speech tagging run only where tags are read, or None (see ``_staging``)."""
        return DeferredTagging.plan(self.nlp, self._deferred_parse)

    @cached_property
    def grammar(self) -> GrammarReader:
        """The reader of relations in parsed sentences (``ontology/patterns/grammar.jsonl``)."""
        return GrammarReader(self.nlp.vocab)

    @property
    def _deferred_parse(self) -> tuple[str, ...]:
        """Components left out of the main pass: the parser and lemmatizer (run by
        :attr:`parsing` on candidate sentences, or not at all for entities alone)."""
        return tuple(n for n in DEFERRED if n in self.nlp.pipe_names)

    def analyze(self, articles: Iterable[Article], batch_size: int = 64) -> Iterator[Analysis]:
        """Analyses, in input order; long texts are split on paragraph breaks and re-joined.

        Texts stream through spaCy ``batch_size`` chunks at a time, so memory stays bounded
        however many articles come in; an article of many pieces (over ``LONG`` characters)
        goes through on its own, a few pieces at a time, so one huge text does not hold a whole
        batch of pieces in memory. The tagging components run afterwards on the few windows
        whose tags are read, and the parser on the candidate sentences (:attr:`tagging`,
        :attr:`parsing`).
        """
        for long, run in groupby(articles, key=lambda a: len(a.text) > LONG):
            yield from self._analyze_run(run, LONG_BATCH if long else batch_size)

    def _analyze_run(self, articles: Iterable[Article], batch_size: int) -> Iterator[Analysis]:
        items = (piece for article in articles for piece in self._pieces(article))
        tagging, parsing = self.tagging, self.parsing
        disable = (tagging.names if tagging is not None else ()) + self._deferred_parse
        docs = self.nlp.pipe(items, as_tuples=True, batch_size=batch_size, disable=disable)
        if tagging is not None:
            docs = tagging.tag(docs, batch_size)
        if parsing is not None:
            docs = parsing.parse(docs, batch_size)
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

    def _companies(self, mentions: list[Mention]) -> frozenset[int]:
        """Organisation mentions that may be companies: not a vocabulary body of another kind."""
        found = set()
        for i, m in enumerate(mentions):
            if m.label == "Organization":
                concept = self.vocabulary.get(m.concept)
                if concept is None or concept.scope not in _NOT_COMPANIES:
                    found.add(i)
        return frozenset(found)

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
            parsed = [(offset + at, s) for doc, offset in docs for at, s in parses_of(doc)]
            sources = source_mentions(article.text, mentions, self.vocabulary)
            places = countries_as_places(article.text, mentions)
            companies = self._companies(mentions)
            read = self.grammar.read_article(parsed, mentions, sources, companies, places)
            cut: list[tuple[int, int]] = []
            relations = extract_relations(
                article.text, mentions, sentences, self.vocabulary, focus, read, sources, cut
            )
            if cut:
                longest = max(b - a for a, b in cut)
                warnings += (
                    f"{article.id}: {len(cut)} clause(s) without punctuation, up to {longest:,} "
                    f"characters, read in pieces of {MAX_CLAUSE} (relations across pieces are "
                    "not read)",
                )
            named_companies = frozenset(
                i
                for i in companies
                if mentions[i].concept or names_a_company(mentions[i].text.split())
            )
            topic = focus_actor(mentions, acronyms, named_companies, title_end, embedded, places)
            for spans, offset, _, _ in numbers:
                quantities.extend(
                    extract_quantities(
                        spans, offset, mentions, topic, article.text, sentences, read
                    )
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


_NOT_COMPANIES = frozenset(
    "https://w3id.org/cmkg/ontology#" + kind
    for kind in ("IntergovernmentalOrganization", "GovernmentBody", "Forum", "NewsAgency")
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
