"""From a processed spaCy ``Doc`` to plain :class:`~kg.records.Mention` records.

Agreement mentions are grown from the agreement-type words the vocabulary matched ("framework
agreement") over their modifiers ("a 10-year defense framework agreement"); acronyms defined in
parentheses ("… Forum (CMF)") become mentions linked to the name they abbreviate.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

import numpy
from spacy.attrs import ORTH, SENT_START
from spacy.tokens import Doc, Span, Token

from kg.patterns import cues, fraction_phrases, names_a_company
from kg.records import Mention
from kg.vocab import Vocabulary

__all__ = ["DATELINE", "DocMentions", "collect_mentions", "cues", "tagged_from"]

KEPT_LABELS = {"Person", "Organization", "Country", "Mineral", "Role", "Agreement"}
NUMERIC_LABELS = {"MONEY", "PERCENT", "QUANTITY", "CARDINAL"}
_MODIFIER_POS = {"ADJ", "NOUN", "PROPN", "NUM"}
_HYPHENS = {"-", "–", "—"}
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&]*[A-Z][A-Za-z&]*$")


@dataclass(frozen=True, slots=True)
class DocMentions:
    """Mentions of one doc (sorted by offset) and acronym links (long index, short index)."""

    mentions: list[Mention]
    acronyms: list[tuple[int, int]]
    numbers: list[Span]


def collect_mentions(
    doc: Doc, offset: int, excluded: tuple[tuple[int, int], ...], vocabulary: Vocabulary
) -> DocMentions:
    """Mentions in ``doc``, with offsets shifted by ``offset``, outside ``excluded`` spans."""
    sent_index = {s.start: i for i, s in enumerate(doc.sents)}
    starts = sorted(sent_index)

    def sentence_of(token_i: int) -> int:
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= token_i:
                lo = mid
            else:
                hi = mid - 1
        return sent_index[starts[lo]] if starts else 0

    def is_excluded(span: Span) -> bool:
        a, b = span.start_char + offset, span.end_char + offset
        return any(s <= a < e or s < b <= e for s, e in excluded)

    spans: list[tuple[Span, str, str | None]] = []
    numbers: list[Span] = []
    for ent in doc.ents:
        if is_excluded(ent):
            continue
        if ent.label_ in NUMERIC_LABELS:
            numbers.append(ent)
        elif ent.label_ == "DATE":
            spans.append((ent, "Date", None))
        elif ent.label_ == "AgreementType":
            grown = _grow_agreement(doc, ent, vocabulary)
            if grown is not None:
                spans.append((grown, "Agreement", ent.kb_id_ or None))
        elif ent.label_ in KEPT_LABELS and not _not_an_entity(doc, ent):
            spans.append((ent, ent.label_, ent.kb_id_ or None))
    mentions = [
        Mention(
            text=span.text,
            start=span.start_char + offset,
            end=span.end_char + offset,
            label=label,
            concept=concept,
            sentence=sentence_of(span.start),
        )
        for span, label, concept in spans
    ]
    if offset == 0:
        mentions.extend(_dateline_source(doc, mentions, excluded))
    acronyms = _acronym_links(doc, spans, mentions, offset, sentence_of)
    order = sorted(range(len(mentions)), key=lambda i: (mentions[i].start, -mentions[i].end))
    position = {old: new for new, old in enumerate(order)}
    return DocMentions(
        mentions=[mentions[i] for i in order],
        acronyms=[(position[a], position[b]) for a, b in acronyms],
        numbers=_with_fractions(doc, numbers, is_excluded),
    )


def _with_fractions(doc: Doc, numbers: list[Span], is_excluded: Any) -> list[Span]:
    """``numbers`` and the shares written in words ("almost a third of the world's cobalt",
    which the model rarely tags as numbers) that no number span covers, in order."""
    taken = [(n.start_char, n.end_char) for n in numbers]
    extra = []
    for match in fraction_phrases().finditer(doc.text):
        span = doc.char_span(match.start(), match.end(), label="CARDINAL")
        if span is None or is_excluded(span):
            continue
        if not any(a < span.end_char and span.start_char < b for a, b in taken):
            extra.append(span)
    return sorted([*numbers, *extra], key=lambda n: n.start_char) if extra else numbers


# "SEOUL, Nov. 8 (Yonhap) --", "Astana, Mar 13 (EFE).-", "(Reuters) -": the agency of a dateline.
DATELINE = re.compile(
    r"^[^\n()]{0,60}?\((?P<source>[A-Z][\w&]+(?: [A-Z][\w&]+){0,2})\)\s*(?:\.?-{1,2}|[–—:])"
)


def _dateline_source(
    doc: Doc, mentions: list[Mention], excluded: tuple[tuple[int, int], ...]
) -> list[Mention]:
    """The news agency named in an article's dateline, which the model often misses (it is cut
    from a token such as "EFE).-" or read as a nationality)."""
    found = DATELINE.match(doc[: min(len(doc), 40)].text)
    if found is None:
        return []
    start, end = found.span("source")
    if any(m.start < end and start < m.end for m in mentions) or any(
        s <= start < e for s, e in excluded
    ):
        return []
    return [Mention(found.group("source"), start, end, "Organization", None, 0)]


def _not_an_entity(doc: Doc, ent: Span) -> bool:
    """Mentions that only look like entities: a mineral inside a title ("minister for coal and
    mines") or a product name ("lithium-ion"); an acronym of a common noun ("electric vehicle
    (EV)") the model took for an organisation."""
    if ent.label_ == "Mineral":
        after = doc[ent.end : ent.end + 2].text.lower()
        if after in {"-ion", "- ion"}:
            return True
        before = []
        for token in reversed(doc[max(0, ent.start - 5) : ent.start]):
            if token.is_punct and token.text not in {"-", "&"}:
                break  # "the Ministry of Industry, lithium reserves": the title ended
            before.append(token.lower_)
        return any(
            w in {"minister", "ministry", "department", "secretary"} for w in before
        ) and any(w in {"for", "of"} for w in before)
    if ent.label_ == "Organization" and not ent.kb_id_ and ent.text.isupper() and len(ent) == 1:
        return _lowercase_expansion(doc, ent.text)
    return False


def _lowercase_expansion(doc: Doc, acronym: str) -> bool:
    # Only the tokens spelling the acronym are looked at (found in a numpy array, not by a
    # Python loop over the doc: this runs for every one-word upper-case organisation).
    orth = doc.to_array(ORTH)
    for found in numpy.flatnonzero(orth == doc.vocab.strings[acronym]):
        i = int(found)
        if i < 2 or doc[i - 1].text != "(":
            continue
        words = [t for t in doc[max(0, i - 1 - len(acronym)) : i - 1] if t.is_alpha]
        initials = "".join(t.text[0] for t in words[-len(acronym) :]).upper()
        if initials == acronym.upper() and all(t.is_lower for t in words[-len(acronym) :]):
            return True
    return False


def _grow_agreement(doc: Doc, ent: Span, vocabulary: Vocabulary) -> Span | None:
    """The agreement-type match grown over its modifiers ("a 10-year defense framework
    agreement"), or the capitalised name it ends ("the India-Australia Critical Minerals
    Investment Partnership"). None for restrictions (an export ban is an event, not an agreement)
    and for an empty "detailed framework"; a bare "the deal" keeps its determiner."""
    concept = vocabulary.get(ent.kb_id_)
    if concept is not None and concept.scope and concept.scope.endswith("Restriction"):
        return None
    if any(t.pos_ == "VERB" for t in ent):
        return None
    sent_start = sentence_start(doc, ent.start)
    start = _grow_left(doc, ent.start, sent_start)
    if ent[0].is_title:
        # A proper name: only the capitalised run belongs to it.
        while start < ent.start and not (doc[start].is_title or doc[start].is_upper):
            start += 1
    while start < ent.start and (doc[start].text in _HYPHENS or _empty_descriptor(doc[start])):
        start += 1
    if start == ent.start:
        # A bare noun ("the deal", "a new partnership"): kept with its determiner and descriptors
        # as written; the resolver reads it as a reference to an agreement described nearby.
        while start > sent_start and _empty_descriptor(doc[start - 1]):
            start -= 1
        if ent.text.lower() == "framework" and start < ent.start:
            return None  # "return with a detailed framework on cooperation"
        if start > sent_start and doc[start - 1].lower_ in {"the", "a", "an", "this", "that"}:
            start -= 1
    return doc[start : ent.end]


def sentence_start(doc: Doc, i: int) -> int:
    """The first token of the sentence holding token ``i`` (0 without sentence bounds).

    ``Span.sent`` walks the doc from its start at every call; the starts are found once per
    doc here (kept in ``doc.user_data``) and looked up by bisection.

    >>> import spacy
    >>> nlp = spacy.blank("en"); _ = nlp.add_pipe("sentencizer")
    >>> sentence_start(nlp("Chile signs. Peru signs too."), 5)
    3
    """
    starts = doc.user_data.get("kg_sentence_starts")
    if starts is None:
        if not doc.has_annotation("SENT_START"):
            return 0
        starts = [int(k) for k in numpy.flatnonzero(doc.to_array(SENT_START) == 1)] or [0]
        doc.user_data["kg_sentence_starts"] = starts
    return int(starts[max(0, bisect_right(starts, i) - 1)])


def _grow_left(doc: Doc, start: int, sent_start: int) -> int:
    """The first token of an agreement's modifiers, left of ``start``; over "and" between two
    names ("the Korean and Canadian Battery Minerals Agreement") and over an empty descriptor
    after a name ("the US-India major defence partnership"). Past "and", a stop word, only
    names and numbers are read: :func:`tagged_from` tags nothing further left."""
    names_only = False
    while start > sent_start:
        previous = doc[start - 1]
        modifier = _modifier_by_form(previous) if names_only else _is_modifier(previous)
        if previous.text in _HYPHENS or modifier:
            start -= 1
            continue
        joins = previous.lower_ in {"and", "&"} and _modifier_by_form(doc[start])
        named_before = start - 2 >= sent_start and _modifier_by_form(doc[start - 2])
        if named_before and (joins or _empty_descriptor(previous)):
            names_only = names_only or joins
            start -= 2
            continue
        break
    return start


def tagged_from(doc: Doc, ent: Span, sent_start: int) -> int:
    """The first token whose part-of-speech tags :func:`_grow_agreement` can read for ``ent``.

    Growing leftwards stops at the latest at a token that is no modifier whatever its tag (a
    stop word that is not a name or a number), so no tag left of that token is ever read.

    >>> import spacy
    >>> doc = spacy.blank("en")("Chile signed a lithium trade agreement")
    >>> tagged_from(doc, doc[5:6], 0)
    3
    """
    start = ent.start
    while start > sent_start:
        token = doc[start - 1]
        if token.text not in _HYPHENS and token.is_stop and not _modifier_by_form(token):
            break
        start -= 1
    return start


def _modifier_by_form(token: Token) -> bool:
    """A name, a number or "10-year": a modifier whatever its part of speech."""
    return (
        token.ent_type_ in {"Country", "Organization", "Mineral"}
        or token.like_num
        or token.text.lower().endswith("-year")
    )


def _is_modifier(token: Token) -> bool:
    if _modifier_by_form(token):
        return True
    if token.pos_ in _MODIFIER_POS and token.tag_ != "POS" and not token.is_stop:
        return not _empty_descriptor(token)
    return False


def _empty_descriptor(token: Token) -> bool:
    return token.lower_ in cues()["agreement_descriptors_without_content"]


def _short_name(token: Token, label: str) -> bool:
    """ "Chile's National Copper Corp. (Codelco)": an organisation's short name in brackets, a
    capitalised word that names nothing else (not a country, a mineral or a date; the model
    often takes an unknown single word for a person or a place)."""
    return (
        label == "Organization"
        and token.is_alpha
        and token.is_title
        and len(token) >= 3
        and token.ent_type_ in {"", "Organization", "Person", "Place"}  # the model guesses
    )


def _acronym_links(
    doc: Doc,
    spans: list[tuple[Span, str, str | None]],
    mentions: list[Mention],
    offset: int,
    sentence_of: Any,
) -> list[tuple[int, int]]:
    """Mentions for acronyms defined as ``Long Name (ACR)``, for their later uses and for a
    company's first word used alone, linked to the long name's mention (the NER may have missed
    or mislabelled them)."""
    defined = _company_short_names(doc, spans)
    acronyms_of: set[str] = set()
    for index, (span, label, _) in enumerate(list(spans)):
        if label not in {"Organization", "Agreement"} or span.end + 2 >= len(doc):
            continue
        short = doc[span.end + 1]
        if (
            doc[span.end].text == "("
            and doc[span.end + 2].text == ")"
            and (_ACRONYM.match(short.text) or _short_name(short, label))
        ):
            defined[short.text] = index
            acronyms_of.add(short.text)
    if not defined:
        return []
    at = {(m.start, m.end): i for i, m in enumerate(mentions)}
    links: list[tuple[int, int]] = []
    for token in doc:
        long_index = defined.get(token.text)
        if long_index is None or (
            token.text not in acronyms_of and not _short_name(token, "Organization")
        ):
            continue
        start = token.idx + offset
        key = (start, start + len(token))
        if key in at:
            links.append((long_index, at[key]))
            continue
        if any(m.start <= start < m.end for m in mentions):
            continue
        long = mentions[long_index]
        mentions.append(
            Mention(token.text, key[0], key[1], long.label, long.concept, sentence_of(token.i))
        )
        at[key] = len(mentions) - 1
        links.append((long_index, len(mentions) - 1))
    return links


def _company_short_names(doc: Doc, spans: list[tuple[Span, str, str | None]]) -> dict[str, int]:
    """ "Nordvik Rare Earths … Nordvik will deliver": the first word of a company's name (one
    whose other words say it is a company: "Mining", "Resources", "Corp") → the index of the
    name's span. Words that are also common English words in the article ("Critical Metals
    Corp" and "critical") and those that name something else (countries, demonyms, minerals)
    are left out; the later use must also pass :func:`_short_name`."""
    candidates = [
        (index, span[0])
        for index, (span, label, _) in enumerate(spans)
        if label == "Organization"
        and len(span) >= 2
        and span[0].is_alpha
        and span[0].is_title
        and len(span[0]) >= 4
        and names_a_company(t.text for t in span[1:])
    ]
    if not candidates:
        return {}
    lowercase = {t.lower_ for t in doc if t.is_lower}
    other_names = {span[0].text for span, label, _ in spans if label != "Organization"}
    found: dict[str, int] = {}
    for index, first in candidates:
        if first.lower_ not in lowercase and first.text not in other_names:
            found.setdefault(first.text, index)
    return found
