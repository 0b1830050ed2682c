"""The dependency parse, only for the sentences where a relation can be read from it.

A full parse of every sentence costs about as much again as the NER. Relations need two
candidate entities and a trigger word in one sentence, and in news that is a minority of the
sentences, so the main pass runs without the ``parser`` (and the ``lemmatizer``, which needs
the tags the parse stage makes), and :class:`DeferredParsing` runs them afterwards on those
sentences alone, each as a small doc of its own, a batch of articles at a time. Each article's
parses are left in ``doc.user_data["kg_parses"]`` as ``(character offset, parsed doc)`` pairs
for :mod:`kg.extract._grammar`.

A pipeline whose main pass parses anyway (no deferral) leaves its sentences there instead.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

import numpy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc, Span

from kg.extract._posrules import RulerMatches
from kg.extract._staging import in_batches

#: Components the parse stage runs on candidate sentences, in pipeline order when present.
PARSE_STAGE = (
    "tok2vec",
    "transformer",
    "tagger",
    "morphologizer",
    "parser",
    "attribute_ruler",
    "lemmatizer",
)
#: Components left out of the main pass when parsing is deferred.
DEFERRED = ("parser", "lemmatizer")
#: Entity labels of the main pass that can be a relation's argument.
CANDIDATES = frozenset(
    {"Person", "Organization", "Country", "Mineral", "Agreement", "AgreementType"}
)
#: Number labels: a sentence with a number and one candidate is parsed for the number's subject.
NUMBERS = frozenset({"MONEY", "PERCENT", "QUANTITY", "CARDINAL"})
#: A sentence longer than this (tokens) is not parsed: a run-on line or a flattened table,
#: where a parse is slow and means little; the clause reader still reads it.
MAX_SENTENCE_TOKENS = 150

T = TypeVar("T")


def candidate_sentences(doc: Doc, triggers: frozenset[str]) -> list[Span]:
    """Sentences of ``doc`` with two candidate entities and a token in ``triggers``, or with a
    number (the number's subject is read from the parse, even from "the company").

    >>> import spacy
    >>> from spacy.tokens import Span
    >>> nlp = spacy.blank("en"); _ = nlp.add_pipe("sentencizer")
    >>> doc = nlp("Chile produces copper. Peru is far. Chile and Peru.")
    >>> doc.ents = [Span(doc, 0, 1, "Country"), Span(doc, 2, 3, "Mineral"),
    ...             Span(doc, 9, 10, "Country"), Span(doc, 11, 12, "Country")]
    >>> [s.text for s in candidate_sentences(doc, frozenset({"produces"}))]
    ['Chile produces copper.']
    """
    counts: dict[int, int] = {}
    numbers: set[int] = set()
    sentences = list(doc.sents)
    starts = [s.start for s in sentences]
    for ent in doc.ents:
        start = starts[bisect_right(starts, ent.start) - 1]
        if ent.label_ in CANDIDATES:
            counts[start] = counts.get(start, 0) + 1
        elif ent.label_ in NUMBERS and any(c.isdigit() for c in ent.text):
            numbers.add(start)
    found = []
    for sent in sentences:
        candidates = counts.get(sent.start, 0)
        if len(sent) > MAX_SENTENCE_TOKENS:
            continue
        if (candidates >= 2 and any(token.lower_ in triggers for token in sent)) or (
            sent.start in numbers
        ):
            found.append(sent)
    return found


class DeferredParsing:
    """Parse the candidate sentences of each batch of docs after the main pass.

    Build one with :meth:`plan`, which returns None for a pipeline without a parser.

    Parameters
    ----------
    nlp : spacy.language.Language
        The pipeline whose parse-stage components run on the sentences.
    names : tuple of str
        Those components, in pipeline order.
    triggers : frozenset of str
        Lower-case word forms that make a sentence worth parsing.
    """

    def __init__(self, nlp: Language, names: tuple[str, ...], triggers: frozenset[str]) -> None:
        self.nlp = nlp
        self.names = names
        self.triggers = triggers
        #: Sentences parsed and sentences seen, for the share the parser reads.
        self.parsed = 0
        self.seen = 0
        # The attribute ruler's matches found with compiled tests, and rule lemmas remembered
        # per (word, pos, morph): the same annotations at a tenth of the cost (see ``apply``).
        ruler: Any = nlp.get_pipe("attribute_ruler") if "attribute_ruler" in names else None
        self.ruler_matches = RulerMatches.compile(ruler) if ruler is not None else None
        lemmatizer: Any = nlp.get_pipe("lemmatizer") if "lemmatizer" in names else None
        self.lemmas = RuleLemmas.plan(lemmatizer) if lemmatizer is not None else None

    @classmethod
    def plan(cls, nlp: Language, triggers: frozenset[str]) -> DeferredParsing | None:
        """The parse stage of ``nlp``, or None when it has no parser.

        >>> import spacy
        >>> DeferredParsing.plan(spacy.blank("en"), frozenset()) is None
        True
        """
        if "parser" not in nlp.pipe_names:
            return None
        names = tuple(n for n in nlp.pipe_names if n in PARSE_STAGE)
        return cls(nlp, names, triggers)

    def parse(self, pairs: Iterable[tuple[Doc, T]], batch_size: int) -> Iterator[tuple[Doc, T]]:
        """Pass ``(doc, context)`` pairs through, parsing each batch's candidate sentences."""
        return in_batches(pairs, batch_size, self.apply)

    def apply(self, docs: list[Doc]) -> None:
        """Leave ``(character offset, parsed sentence)`` pairs in each doc's ``user_data``."""
        owners: list[tuple[Doc, int]] = []
        pieces: list[Doc] = []
        for doc in docs:
            doc.user_data["kg_parses"] = []
            if not doc.has_annotation("SENT_START"):
                continue
            sentences = candidate_sentences(doc, self.triggers)
            self.seen += sum(1 for _ in doc.sents)
            self.parsed += len(sentences)
            for sent in sentences:
                owners.append((doc, sent.start_char))
                pieces.append(_piece(sent))
        if not pieces:
            return
        for name in self.names:
            component: Any = self.nlp.get_pipe(name)
            if name == "attribute_ruler" and self.ruler_matches is not None:
                for piece in pieces:
                    component.set_annotations(piece, self.ruler_matches(piece))
            elif name == "lemmatizer" and self.lemmas is not None:
                self.lemmas.apply(pieces)
            else:
                pieces = list(component.pipe(pieces))
        for (doc, start), piece in zip(owners, pieces, strict=True):
            doc.user_data["kg_parses"].append((start, piece))


def parses_of(doc: Doc) -> list[tuple[int, Doc | Span]]:
    """The parsed sentences of ``doc`` as ``(character offset, tokens)`` pairs: the deferred
    parses, or the doc's own sentences when its main pass parsed them."""
    found: list[tuple[int, Doc | Span]] = doc.user_data.get("kg_parses", [])
    if found or not doc.has_annotation("DEP"):
        return found
    return [(0, sent) for sent in doc.sents]


def _piece(sent: Span) -> Doc:
    """A new doc of the sentence's words and spaces (its own text, offsets from 0)."""
    return Doc(
        sent.doc.vocab,
        words=[t.text for t in sent],
        spaces=[bool(t.whitespace_) for t in sent],
    )


class RuleLemmas:
    """A rule-mode :class:`~spacy.pipeline.Lemmatizer` applied with its lemmas remembered.

    spaCy's rule lemmatizer caches its lemmas by (word, pos, morph) except for base forms
    (a singular noun, an infinitive…), which it works out again for every token: in news most
    tokens. A rule lemma depends on nothing else, so this remembers every one, and reads and
    writes the tokens through arrays. Tokens with a lemma already (from the attribute ruler) keep
    it unless the lemmatizer overwrites; a token without a part of speech goes to the lemmatizer
    itself (which warns about it).
    """

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.overwrite = bool(lemmatizer.overwrite)
        self.strings = lemmatizer.vocab.strings
        self._known: dict[tuple[int, int, int], int] = {}

    @classmethod
    def plan(cls, lemmatizer: Any) -> RuleLemmas | None:
        """For a rule-mode spaCy lemmatizer, else None (the component then runs as it is)."""
        if isinstance(lemmatizer, Lemmatizer) and lemmatizer.mode == "rule":
            return cls(lemmatizer)
        return None

    def apply(self, docs: list[Doc]) -> None:
        """Set the lemmas of ``docs`` as the lemmatizer would."""
        if docs:
            self.lemmatizer(docs[0])  # checks its tables once, as its own call does
        known, strings = self._known, self.strings
        for doc in docs[1:]:
            if not len(doc):
                continue
            rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
            lemmas = []
            for i, (orth, pos, morph, lemma) in enumerate(rows):
                if lemma and not self.overwrite:
                    lemmas.append(lemma)
                elif not pos:
                    lemmas.append(strings.add(self.lemmatizer.lemmatize(doc[i])[0]))
                else:
                    found = known.get(key := (orth, pos, morph))
                    if found is None:
                        found = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                        known[key] = found
                    lemmas.append(found)
            column: Any = numpy.array(lemmas, dtype=numpy.uint64).reshape(-1, 1)
            doc.from_array([LEMMA], column)
