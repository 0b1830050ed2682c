"""Quantities the article states: value as written, unit, a normalised number, subject."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from spacy.tokens import Span

from kg.extract._grammar import GrammarReading
from kg.patterns import glued_unit, units
from kg.records import Mention, MentionQuantity

_SOURCE_CUES = ("according to", "report by", "data from", "figures from", "estimates by")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")


def normalize(text: str) -> tuple[float | None, str | None]:
    """The number a quantity phrase states, scaled, and its unit.

    >>> normalize("68.5 million metric tons")
    (68500000.0, 't')
    >>> normalize("US $8.5 billion")
    (8500000000.0, 'USD')
    >>> normalize("two to three percent")
    (2.0, '%')
    """
    low = text.lower().replace("\u00a0", " ")
    value: float | None = None
    match = _NUMBER.search(low)
    words: list[str] = []
    for word in re.findall(r"[a-z]+(?:-[a-z]+)*|[%$€²]", low):
        # "two-thirds" is one number word; "twenty-five" counts by its parts
        words.extend([word] if word in units()["words"] else word.split("-"))
    if match:
        value = float(match.group().replace(",", ""))
        tail = low[match.end() :]
    else:
        found = next((w for w in words if w in units()["words"]), None)
        if found is None:
            return None, _unit_of(low)
        value = float(units()["words"][found])
        tail = low[low.index(found) + len(found) :]
    scale = re.match(r"\s*([a-z]+)", tail)
    if scale and scale.group(1) in units()["scales"]:
        value *= float(units()["scales"][scale.group(1)])
    return value, _unit_of(low)


_RANGE = re.compile(r"(?:to|-|–|and)\s*\$?\s*(\d[\d,]*(?:\.\d+)?|[a-z]+)")
_PER_YEAR = re.compile(
    r"^\W*(?:per year|a year|each year|every year|annually|per annum|a yr|/yr)\b"
)
_OF_WORLD = re.compile(r"^\W*of\s+(?:the\s+)?(?:global|world(?:'s|’s)?|worldwide|total world)\b")


def measure(text: str, after: str) -> tuple[float | None, float | None, str | None, float | None]:
    """(low or only value, high end of a range, unit with "/yr" for rates, share of a world total)
    of a quantity phrase and the words that follow it.

    >>> measure("two to three percent", " per year")
    (2.0, 3.0, '%/yr', None)
    >>> measure("70%", " of global mining")
    (70.0, None, '%', 0.7)
    >>> measure("two-thirds", " of the world's lithium")
    (0.6666666667, None, None, 0.6666666667)
    >>> measure("68.5 million metric tons", " a year")
    (68500000.0, None, 't/yr', None)
    """
    value, unit = normalize(text)
    high: float | None = None
    low_text = text.lower()
    first = _NUMBER.search(low_text) or re.search(r"[a-z]+", low_text)
    if value is not None and first is not None:
        match = _RANGE.match(low_text[first.end() :].lstrip())
        if match:
            word = match.group(1).replace(",", "")
            number = float(word) if word[0].isdigit() else units()["words"].get(word)
            if number is not None:
                scale = value / (
                    float(first.group().replace(",", ""))
                    if first.group()[0].isdigit()
                    else float(units()["words"].get(first.group(), 1) or 1)
                )
                high = float(number) * scale
    share = None
    if value is not None and _OF_WORLD.match(after.lower()):
        if unit == "%":
            share = value / 100
        elif unit is None and 0 < value <= 1 and not _NUMBER.search(low_text):
            share = value  # "almost a third of the world's cobalt"
    if unit and _PER_YEAR.match(after.lower()):
        unit = f"{unit}/yr"
    return value, high, unit, share


def _unit_of(low: str) -> str | None:
    for row in units()["units"]:
        for form in row["forms"]:
            pattern = re.escape(form) if not form[0].isalpha() else r"\b" + re.escape(form) + r"\b"
            if re.search(pattern, low):
                return str(row["unit"])
    return None


def extract_quantities(
    numbers: list[Span],
    offset: int,
    mentions: list[Mention],
    focus: int | None,
    text: str,
    sentences: list[tuple[int, int]],
    parsed: GrammarReading | None = None,
) -> list[MentionQuantity]:
    """One quantity per MONEY/PERCENT/QUANTITY span, per CARDINAL with digits and per fraction
    word ("nearly a quarter of"). Its subject comes from the parse where the sentence was parsed
    (``parsed``: the owner of what the number measures, or the subject of its clause, pronouns
    resolved); else it is an agreement the sentence names (for money), else the actor that opens
    the sentence or stands nearest before the number (not a place, a unit or a source), else the
    article's focus (``focus``: the country or company it is mostly about; a name after the
    number is more often the object of the sentence than its topic), else an actor after it.
    ``sentences`` are the article's sentence bounds in order
    (looked up here: ``Span.sent`` scans the whole doc each time)."""
    found: list[MentionQuantity] = []
    sentence_starts = [s for s, _ in sentences]
    mention_starts = [m.start for m in mentions]
    fractions = set(units()["fractions"])
    counts = set(units()["words"])
    for span in numbers:
        words = {w.lower() for w in span.text.split()}
        if (
            span.label_ == "CARDINAL"
            and not any(ch.isdigit() for ch in span.text)
            and not fractions & words
            and not (words & counts and "one" not in words and not _refers_back(span))
        ):
            continue
        start = span.start_char + offset
        s_start, s_end = sentences[max(0, bisect_right(sentence_starts, start) - 1)]
        inside = range(
            bisect_left(mention_starts, s_start), bisect_right(mention_starts, s_end - 1)
        )
        subject = parsed.number_subject(start, _SUBJECTS) if parsed is not None else None
        if subject is None:
            subject = _subject(mentions, inside, text, start, s_start, span.label_ == "MONEY")
        if subject is None:
            subject = focus
        if subject is None:
            subject = _actor_after(mentions, inside, text, start, s_start)
        if subject is None:
            continue
        # From the article text: Doc.text re-joins every token of the doc at each call.
        after = text[span.end_char + offset : span.end_char + offset + 40]
        # "4400t." and "1500t": the unit the tokenizer left on the number, apart
        written = glued_unit().sub(r"\1 \2", span.text.rstrip("."))
        percent = re.match(r"^\s*(%|percent\b|per cent\b)", after)
        if percent and "%" not in written and "percent" not in written.lower():
            written += after[: percent.end()]  # "24" + "%" when the model split them
            after = after[percent.end() :]
        value, high, unit, share = measure(written, after)
        found.append(
            MentionQuantity(
                subject=subject,
                value=written,
                unit=unit,
                what=_what(span, s_start - offset),
                evidence_start=s_start,
                evidence_end=s_end,
                normalized=value,
                mineral=_nearest(mentions, inside, start, {"Mineral"}),
                maximum=high,
                share=share,
            )
        )
    return found


_ACTORS = {"Country", "Organization"}
#: "the two countries", "these three projects": a count that names a set the text has given.
_BACK = frozenset({"the", "these", "those", "both", "all", "its", "their"})


def _refers_back(span: Span) -> bool:
    return span.start > 0 and span.doc[span.start - 1].lower_ in _BACK


_SUBJECTS = frozenset({"Country", "Organization", "Agreement"})


def _subject(
    mentions: list[Mention], inside: range, text: str, at: int, s_start: int, money: bool
) -> int | None:
    actors = [
        i for i in inside if mentions[i].label in _ACTORS and _is_actor(text, mentions[i], s_start)
    ]
    before = [i for i in actors if mentions[i].end <= at]
    if before:
        opening = before[0]
        if len(text[s_start : mentions[opening].start].split()) <= 1:
            return opening  # the sentence's subject: "Barrick Gold Corp has …, expects a $3bn …"
        return before[-1]
    agreements = [i for i in inside if mentions[i].label == "Agreement"]
    if money and agreements:
        return agreements[0]  # "the framework agreement commits both countries to invest $1bn"
    return None


def _actor_after(
    mentions: list[Mention], inside: range, text: str, at: int, s_start: int
) -> int | None:
    after = [
        i
        for i in inside
        if mentions[i].label in _ACTORS
        and mentions[i].start >= at
        and _is_actor(text, mentions[i], s_start, sources=True)
    ]
    return after[0] if after else None


def _is_actor(text: str, mention: Mention, s_start: int, sources: bool = False) -> bool:
    """Not a source ("according to a report by X"), a place ("in Pakistan") or a unit ("US $")."""
    lead = text[s_start : mention.start].lower()
    cue = max(lead.rfind(c) for c in _SOURCE_CUES)
    if cue >= 0 and "," not in lead[cue:] and not sources:
        return False
    if mention.label == "Country":
        words_before = [w for w in lead.split()[-2:] if w != "the"]
        if words_before and words_before[-1] in {"in", "at", "from", "to", "across"}:
            return False
        after = text[mention.end : mention.end + 8].strip().lower()
        if after.startswith(("$", "dollar", "ton", "cent")):
            return False
    return True


def _nearest(mentions: list[Mention], inside: range, at: int, kinds: set[str]) -> int | None:
    near = [i for i in inside if mentions[i].label in kinds]
    return min(near, key=lambda i: abs(mentions[i].start - at)) if near else None


def _what(span: Span, sentence_start: int) -> str:
    """The few words after the number that say what it measures ("of copper a year"), else the
    few before it in its sentence (``sentence_start``: a character offset in ``span.doc``)."""
    doc = span.doc
    words: list[str] = []
    for token in doc[span.end : min(len(doc), span.end + 8)]:
        if token.is_punct or token.is_sent_start:
            break
        words.append(token.text)
    if not words:
        words = [
            t.text
            for t in doc[max(0, span.start - 5) : span.start]
            if t.idx >= sentence_start and not t.is_punct
        ]
    return " ".join(words)
