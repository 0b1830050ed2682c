"""People's names: cut at a particle, ended a word early, behind an honorific or a title, or
read by the model as an organisation or a place (see :mod:`kg.extract._names`)."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from kg.extract._spans import (
    ORG,
    PERSON,
    free_run,
    gap,
    is_name_token,
    owners,
    positions,
    relabel,
    sorted_spans,
)
from kg.patterns import word_set


def complete_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """People's names the model cut at a particle ("Ursula von", "von der") continue over the
    particles and capitalised words after them ("Ursula von der Leyen")."""
    particles = word_set("name_particles")
    result: list[Span] = []
    swallowed = -1
    for n, span in enumerate(spans):
        if span.start < swallowed:
            continue
        if span.label_ != PERSON:
            result.append(span)
            continue
        end = span.end
        while end < len(doc) and doc[end].is_lower and doc[end].lower_ in particles:
            end += 1
        if end > span.end or (doc[span.end - 1].is_lower and doc[span.end - 1].lower_ in particles):
            name_end = end
            while (
                name_end < len(doc)
                and is_name_token(doc[name_end])
                and not doc[name_end].is_sent_start
            ):
                name_end += 1
            tail = [s for s in spans[n + 1 :] if s.start < name_end]
            if name_end > end and not any(s.kb_id_ for s in tail):
                swallowed = max([name_end, *(s.end for s in tail)])
                result.append(relabel(span, PERSON, end=swallowed))
                continue
        if all(t.lower_ in particles for t in span):
            continue  # a lone "von der": no name
        result.append(span)
    return result


def name_tails(doc: Doc, spans: list[Span]) -> list[Span]:
    """A person's name the model ended one word early ("Syed Asim" of "Syed Asim Munir.") takes
    the capitalised word right after it, when that word is no common or organisation word; two
    people's names side by side are one ("G." "Kishan Reddy")."""
    common = word_set("generic_name_words") | word_set("organization_words")
    owner = owners(doc, spans)
    result: list[Span] = []
    for span in spans:
        previous = result[-1] if result else None
        if (
            previous is not None
            and span.label_ == PERSON == previous.label_
            and not gap(doc, previous.end, span.start)
        ):
            # "Shri G." and "Kishan Reddy" read apart: one name.
            result[-1] = relabel(previous, PERSON, end=span.end)
            continue
        end = span.end
        if (
            span.label_ == PERSON
            and end < len(doc)
            and owner[end] == -1
            and doc[end].is_title
            and doc[end].is_alpha
            and not doc[end].is_sent_start
            and doc[end].lower_ not in common
            and not doc[end].is_stop
        ):
            span = relabel(span, PERSON, end=end + 1)
        result.append(span)
    return result


def honorific_at(doc: Doc, i: int, honorifics: frozenset[str]) -> int:
    """Tokens of honorifics starting at ``i`` ("Tan Sri", "H.E. Dr."): 0 when none."""
    n = 0
    while i + n < len(doc):
        one = doc[i + n].lower_
        two = f"{one} {doc[i + n + 1].lower_}" if i + n + 1 < len(doc) else ""
        if two in honorifics:
            n += 2
        elif one in honorifics or f"{one}." in honorifics:
            n += 1
        else:
            break
    return n


def honorific_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """Honorifics are cut from people's names ("Shri Pralhad Joshi" → "Pralhad Joshi"), and a
    capitalised name after one is a person even where the model saw nothing ("Ms Buyelwa
    Sonjica")."""
    honorifics = word_set("honorifics")
    result: list[Span] = []
    for span in spans:
        if span.label_ == PERSON:
            cut = honorific_at(doc, span.start, honorifics)
            if 0 < cut < len(span):
                span = relabel(span, PERSON, start=span.start + cut)
            elif cut:
                continue
        result.append(span)
    owner = owners(doc, result)
    firsts = {h.split()[0] for h in honorifics} | {h.rstrip(".") for h in honorifics}
    for i in positions(doc, frozenset(firsts)):
        token = doc[i]
        if owner[i] != -1 or not (token.is_title or token.is_upper):
            continue
        cut = honorific_at(doc, i, honorifics)
        if not cut:
            continue
        end = free_run(doc, i + cut, owner, limit=4)
        if end - (i + cut) >= 2 or (end > i + cut and doc[i].lower_.rstrip(".") in {"mr", "ms"}):
            result.append(Span(doc, i + cut, end, label=PERSON))
    return sorted_spans(result)


def people_of_organisations(doc: Doc, spans: list[Span]) -> list[Span]:
    """ "Brad Mills of Lonmin": a two- or three-word name the model read as an organisation,
    followed by "of" and an organisation, is a person (its officer)."""
    org_words = word_set("organization_words") | word_set("organization_suffixes")
    result = list(spans)
    for n, span in enumerate(spans[:-1]):
        after = spans[n + 1]
        if (
            span.label_ == ORG
            and not span.kb_id_
            and len(span) in {2, 3}
            and all(t.is_title and t.is_alpha for t in span)
            and not any(t.lower_ in org_words for t in span)
            and after.label_ == ORG
            and gap(doc, span.end, after.start) == ("of",)
        ):
            result[n] = relabel(span, PERSON)
    return result


def titled_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """A full name right after a title, past the title's portfolio, is a person even where the
    model saw nothing: "Deputy Prime Minister for Trade Amani Kasongo Mbuyi"."""
    generic = word_set("generic_name_words")
    common = generic | word_set("organization_words")
    honorifics = word_set("honorifics")
    owner = owners(doc, spans)
    added = []
    for span in spans:
        if span.label_ != "Role":
            continue
        i = span.end
        if i < len(doc) and doc[i].lower_ in {"for", "of"}:
            i += 1
            while i < len(doc) and owner[i] == -1 and doc[i].is_title and doc[i].lower_ in generic:
                i += 1
        i += honorific_at(doc, i, honorifics)
        end = free_run(doc, i, owner, limit=4)
        if end - i >= 2 and not any(t.is_stop or t.lower_ in common for t in doc[i:end]):
            added.append(Span(doc, i, end, label=PERSON))
    return sorted_spans(spans + added) if added else spans


def people_read_as_places(doc: Doc, spans: list[Span]) -> list[Span]:
    """An unlisted "place" that bears a title ("Aurangzeb, Pakistan's finance minister",
    "Minister Svyrydenko") or is the surname of a person of the text is that person."""
    surnames = {s[-1].text for s in spans if s.label_ == PERSON and len(s) > 1}
    result = list(spans)
    for n, span in enumerate(spans):
        if span.label_ != "Place" or span.kb_id_ or not all(is_name_token(t) for t in span):
            continue
        before = spans[n - 1] if n else None
        titled_before = before is not None and before.label_ == "Role" and before.end == span.start
        if titled_before or span.text in surnames or _apposed_title(doc, spans, n):
            result[n] = relabel(span, PERSON)
    return result


def _apposed_title(doc: Doc, spans: list[Span], n: int) -> bool:
    """ "X, Pakistan's finance minister," / "X, chief executive of Y": a title in apposition."""
    k = n + 1
    if k >= len(spans) or gap(doc, spans[n].end, spans[k].start) not in {(",",), (",", "the")}:
        return False
    possessive = k + 1 < len(spans) and gap(doc, spans[k].end, spans[k + 1].start) in {
        ("'s",),
        ("’s",),
        (),
    }
    if spans[k].label_ in {"Country", ORG} and possessive:
        k += 1
    if spans[k].label_ == "ORDINAL" and k + 1 < len(spans):  # "Ukraine's First Deputy …"
        k += 1
    return spans[k].label_ == "Role"
