"""The vocabulary ruler: phrase patterns generated from ``ontology/vocab`` merged with the NER.

Registered as the spaCy factory ``kg_vocabulary``. It runs after the statistical ``ner`` and
decides between the two: vocabulary matches win for minerals, countries and known organisations,
role titles are split from the names they precede, and the model keeps the people and
organisations no list knows (an organisation named after a country, such as "US Critical
Minerals Forum", stays whole).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kg.extract._names import refine
from kg.patterns import cues, name_patterns
from kg.vocab import Vocabulary, load_vocabulary

#: Labels the extractor uses, and what each spaCy NER label becomes.
NER_LABELS = {"PERSON": "Person", "ORG": "Organization", "GPE": "Place", "NORP": "Group"}
VOCAB_LABELS = {
    "Mineral": "Mineral",
    "Country": "Country",
    "Organization": "Organization",
    "Role": "Role",
    "AgreementType": "AgreementType",
    "Agreement": "Agreement",
}
# Lower numbers win an overlap between two vocabulary matches of the same length.
_PRIORITY = {
    "Agreement": 0,
    "Organization": 1,
    "Country": 2,
    "Mineral": 3,
    "AgreementType": 4,
    "Role": 5,
    "Place": 6,
}
#: Pattern key of the regions of ``patterns/names.json`` ("South America"): places, not actors.
_REGION = "Place|region"


def _is_case_sensitive(form: str) -> bool:
    return any(ch.isupper() for ch in form)


class VocabularyMatcher:
    """Match vocabulary labels (case-insensitive when written lowercase) and merge with NER."""

    def __init__(self, nlp: Language, vocabulary: Vocabulary | None = None) -> None:
        vocabulary = vocabulary or load_vocabulary()
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        # Proper names written in capitals ("JAPAN", "OTTAWA:") in headlines and datelines.
        self.capitals = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.how: dict[tuple[str, str], str] = {}
        #: Multi-word country and organisation names, lowercase, by pattern key.
        self.one_line: dict[str, str] = {}
        by_key: dict[str, list[Doc]] = {}
        by_key_folded: dict[str, list[Doc]] = {}
        for concept in vocabulary.concepts.values():
            label = VOCAB_LABELS.get(concept.kind)
            if label is None:
                continue
            key = f"{label}|{concept.iri}"
            for form, how in concept.surface_forms():
                # "the United States" is matched as "United States": no mention starts with "the".
                form = re.sub(r"^(?:the|The)\s+", "", form.strip())
                if not form:
                    continue
                target = by_key if _is_case_sensitive(form) else by_key_folded
                target.setdefault(key, []).append(nlp.make_doc(form))
                self.how[(key, form.lower())] = how
                if " " in form and label in {"Country", "Organization"}:
                    self.one_line.setdefault(form.lower(), key)
        regions = [nlp.make_doc(r) for r in name_patterns()["regions"]]
        by_key.setdefault(_REGION, []).extend(regions)
        for key, docs in by_key.items():
            self.exact.add(key, docs)
            long = [d for d in docs if len(d.text) >= 4 and not d.text.isupper()]
            if long:
                self.capitals.add(key, long)
        for key, docs in by_key_folded.items():
            self.folded.add(key, docs)

    def matches(self, doc: Doc) -> list[Span]:
        """Non-overlapping vocabulary spans, longest first, with ``kb_id_`` set to the IRI."""
        found: list[tuple[int, int, int, str]] = []
        surname_roles = set(cues()["surname_roles"])
        for matcher in (self.exact, self.folded, self.capitals):
            for match_id, start, end in matcher(doc):
                key = doc.vocab.strings[match_id]
                label = key.split("|", 1)[0]
                if matcher is self.capitals and not doc[start:end].text.isupper():
                    continue
                if label == "Role" and end - start == 1 and doc[start].lower_ in surname_roles:
                    previous = doc[start - 1] if start > 0 else None
                    following = doc[end] if end < len(doc) else None
                    if previous is not None and previous.is_title and not previous.is_sent_start:
                        continue  # "Madeleine King": a surname, not a title
                    if doc[start].is_title and not (following is not None and following.is_title):
                        continue  # "Joshi, King said": a title only before a name
                found.append((start, end, _PRIORITY[label], key))
        found.sort(key=lambda m: (-(m[1] - m[0]), m[2], m[0]))
        taken = [False] * len(doc)
        spans: list[Span] = []
        for start, end, _, key in found:
            if any(taken[start:end]):
                continue
            for i in range(start, end):
                taken[i] = True
            label, iri = key.split("|", 1)
            spans.append(Span(doc, start, end, label=label, kb_id="" if key == _REGION else iri))
        return sorted(spans, key=lambda s: s.start)

    def _across_lines(self, ent: Span) -> Span | None:
        """A vocabulary name broken over two lines ("South\\nAfrica"), which the phrase
        matchers cannot see."""
        if "\n" not in ent.text:
            return None
        key = self.one_line.get(" ".join(ent.text.split()).lower())
        if key is None:
            return None
        label, iri = key.split("|", 1)
        return Span(ent.doc, ent.start, ent.end, label=label, kb_id=iri)

    def is_capital(self, span: Span) -> bool:
        """Whether a country span is written as the country's capital ("Beijing")."""
        return self.how.get((f"Country|{span.kb_id_}", span.text.lower())) == "capital"

    def __call__(self, doc: Doc) -> Doc:
        vocab_spans = self.matches(doc)
        owner: list[Span | None] = [None] * len(doc)
        for span in vocab_spans:
            for i in range(span.start, span.end):
                owner[i] = span
        kept: list[Span] = list(vocab_spans)
        org_words = set(cues()["organization_words"])
        for raw in doc.ents:
            label = NER_LABELS.get(raw.label_, raw.label_)
            if _is_dateline(doc, raw):
                continue
            ent = _trim(doc, raw, label)
            if ent is None:
                continue
            if label == "Person" and any(t.lower_ in org_words for t in ent[1:]):
                label = "Organization"
                ent = Span(doc, ent.start, ent.end, label=label)
            inside = {id(owner[i]): owner[i] for i in range(ent.start, ent.end) if owner[i]}
            if not inside:
                kept.append(self._across_lines(ent) or Span(doc, ent.start, ent.end, label=label))
                continue
            spans = [s for s in inside.values() if s is not None]
            if label in {"Person", "Organization"} and _model_span_wins(ent, spans, label):
                # "Senate of the Philippines": the country is not a mention, but it tells what
                # the article is about.
                embedded = doc.user_data.setdefault("kg_embedded_countries", [])
                embedded.extend(s.kb_id_ for s in spans if s.label_ == "Country")
                kept = [s for s in kept if all(s is not v for v in spans)]
                for i in range(ent.start, ent.end):
                    owner[i] = None
                kept.append(Span(doc, ent.start, ent.end, label=label))
                continue
            # The vocabulary keeps its spans; the model's leftovers become entities of their own
            # only when they are a whole name (e.g. the person after a role title), never the
            # words of an agreement's name.
            if any(s.label_ in {"Agreement", "AgreementType"} for s in spans):
                continue
            for piece in _leftovers(doc, ent, spans):
                if label in {"Person", "Organization"} and piece[0].is_title:
                    kept.append(Span(doc, piece.start, piece.end, label=label))
        doc.ents = _non_overlapping(refine(doc, _non_overlapping(kept), self.is_capital))
        return doc


def _is_dateline(doc: Doc, ent: Span) -> bool:
    """ "KARACHI:" or "OTTAWA," opening a paragraph: where the story was filed, not an actor."""
    text = ent.text
    if not (len(text) >= 4 and text.isupper()) or ent.end >= len(doc):
        return False
    starts_paragraph = ent.start == 0 or "\n" in doc[ent.start - 1].text
    return starts_paragraph and doc[ent.end].text in {":", ",", "-", "—", "–", "("}


_OPENING, _CLOSING = {"(", "["}, {")", "]"}


def _trim(doc: Doc, ent: Span, label: str) -> Span | None:
    """Cut what the small model glues onto names: a leading "the", an unclosed parenthesis or one
    holding an acronym ("Authority of Pakistan (TDAP"), trailing punctuation."""
    tokens = list(ent)  # each ``doc[i]`` makes a new Token: make them once
    texts = [t.text for t in tokens]
    start, end = 0, len(tokens)
    for i, text in enumerate(texts):
        if text in _OPENING:
            closed = any(t in _CLOSING for t in texts[i + 1 :])
            inner = doc[ent.start + i + 1 : ent.end].text.strip(")] ")
            if not closed or (inner.isupper() and " " not in inner):
                end = i
                break
        elif text in _CLOSING and not any(t in _OPENING for t in texts[:i]):
            end = i
            break
    for i in range(start, end - 1):
        # "Glencore’s Kamoto Copper Company": the name is what follows the possessive.
        if texts[i] in {"'s", "’s"} and tokens[i + 1].is_title:
            start = i + 1
    while start < end and (
        tokens[start].lower_ in {"the", "a", "an", "'s", "’s"}
        or tokens[start].is_punct
        or tokens[start].is_space
    ):
        start += 1
    while end > start and (
        tokens[end - 1].is_punct or tokens[end - 1].is_space or texts[end - 1] in {"'s", "’s"}
    ):
        end -= 1
    if label == "Person":
        # "Ralph Havenstein of Anglo Platinum": the name ends before "of" and a company.
        end = next(
            (i for i in range(start + 1, end - 1) if texts[i] == "of" and tokens[i + 1].is_title),
            end,
        )
    if start >= end:
        return None
    return Span(doc, ent.start + start, ent.start + end, label=label)


def _model_span_wins(ent: Span, inside: Iterable[Span], label: str) -> bool:
    """A longer proper name that merely starts with or contains a country or mineral word (or,
    for a person, a title word after the first name: "Madeleine King")."""
    inside = list(inside)
    for s in inside:
        title_inside_name = label == "Person" and s.label_ == "Role" and s.start > ent.start
        if s.label_ in {"Role", "AgreementType", "Agreement"} and not title_inside_name:
            return False
    if any(s.start < ent.start or s.end > ent.end for s in inside):
        return False
    covered = {i for s in inside for i in range(s.start, s.end)}
    rest = [t for t in ent if t.i not in covered and not t.is_punct and not t.is_space]
    if not rest:
        # "investment in Lithium Chile": a mineral word is a common noun, so capitalised inside
        # a sentence (not in an all-capitals heading) it is part of a name.
        return len(inside) > 1 and any(
            s.label_ == "Mineral" and s[0].is_title and not s[0].is_sent_start for s in inside
        )
    return all(
        t.is_title or t.is_upper or t.lower_ in {"of", "for", "and", "&"} for t in rest
    ) and any(t.is_title or t.is_upper for t in rest)


def _leftovers(doc: Doc, ent: Span, inside: Iterable[Span]) -> list[Span]:
    covered = {i for s in inside for i in range(s.start, s.end)}
    pieces: list[Span] = []
    start: int | None = None
    for i in range(ent.start, ent.end + 1):
        free = i < ent.end and i not in covered
        if free and start is None:
            start = i
        elif not free and start is not None:
            piece = doc[start:i]
            if not all(t.is_punct or t.is_stop for t in piece):
                pieces.append(piece)
            start = None
    return pieces


def _non_overlapping(spans: list[Span]) -> list[Span]:
    spans = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
    result: list[Span] = []
    last_end = -1
    for span in spans:
        if span.start >= last_end:
            result.append(span)
            last_end = span.end
    return result


@Language.factory(
    "kg_vocabulary",
    assigns=["doc.ents"],
    requires=["doc.ents"],
    default_config={},
)
def make_vocabulary_matcher(nlp: Language, name: str) -> VocabularyMatcher:
    """spaCy factory for :class:`VocabularyMatcher` over the shipped vocabulary."""
    return VocabularyMatcher(nlp)
