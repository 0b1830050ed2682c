"""Places, projects and common words: spans that name no actor (see :mod:`kg.extract._names`)."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span

from kg.extract._spans import ORG, PERSON, gap, is_name_token
from kg.patterns import cues, name_patterns, word_set
from kg.records import Mention


def places(doc: Doc, spans: list[Span], is_capital: Callable[[Span], bool]) -> list[Span]:
    """Where something happened is not an actor: a capital after "in"/"at" ("signed in Cape
    Town"), an unlisted organisation there without a word that makes it one ("in Malmberget,
    Luleå, and …", "in the Salar de Atacama"), but not after a word of finance ("a stake in
    Nutrien")."""
    prepositions = word_set("place_prepositions")
    finance = word_set("finance_words")
    org_words = word_set("organization_words") | word_set("organization_suffixes")
    place_words = word_set("place_name_words")
    directions = word_set("place_phrases")
    numbers = word_set("number_abbreviations")
    result: list[Span] = []
    place_list_start = place_list_end = -1
    for span in spans:
        if span.label_ in {PERSON, ORG} and not span.kb_id_:
            last = span[-1].lower_
            after = doc[span.end].text if span.end < len(doc) else ""
            directed = span.start >= 1 and (
                doc[span.start - 1].lower_ in directions
                or (
                    span.start >= 2
                    and f"{doc[span.start - 2].lower_} {doc[span.start - 1].lower_}" in directions
                )
            )
            if (len(span) > 1 and last in place_words) or directed:
                continue  # "north of Alice Springs", "the Northern Territory"
            if last in numbers and after == ".":
                continue  # "Senate Bill No. 2826"
        k = span.start - 1
        if k >= 0 and doc[k].lower_ == "the":
            k -= 1
        before = doc[k].lower_ if k >= 0 else ""
        after_finance = k >= 1 and doc[k - 1].lower_ in finance
        # "in Malmberget, Luleå, and …": a name listed after a place is one, when it is in a
        # list ("In Jakarta, Prabowo Subianto opened…" is not).
        following = doc[span.end].lower_ if span.end < len(doc) else ""
        listed_after_place = span.start == place_list_end and (
            "and" in gap(doc, place_list_start, span.start) or following in {",", "and"}
        )
        unlisted = (
            span.label_ == ORG
            and not span.kb_id_
            and len(span) <= 3
            and not any(t.lower_ in org_words for t in span)
        )
        possessed = following in {"'s", "’s"}  # "in Beijing's view": Beijing acts
        placed = (before in prepositions and not after_finance) or listed_after_place
        if (
            placed
            and not possessed
            and ((span.label_ == "Country" and is_capital(span)) or unlisted)
        ):
            end = span.end
            while end < len(doc) and doc[end].lower_ in {",", "and"}:
                end += 1
            place_list_start, place_list_end = span.end, end
            continue
        result.append(span)
    return result


def projects(doc: Doc, spans: list[Span]) -> list[Span]:
    """A name before "project", "mine" or "deposit" (over lowercase words and the names listed
    with it: "Mutoshi copper-cobalt project", "the Tenke Fungurume and Kisanfu mines") names a
    project, not an organisation or a person, here and elsewhere in the text; so does a name
    that tonnes come from ("2,250 tonnes from Tenke Fungurume")."""
    words = word_set("project_words")
    units = word_set("source_units")
    names: set[str] = set()
    for span in spans:
        if span.label_ not in {ORG, PERSON} or span.kb_id_:
            continue
        before = [t.lower_ for t in doc[max(0, span.start - 3) : span.start]]
        if span.label_ == PERSON and before[-1:] == ["from"] and units & set(before):
            names.add(span.text)
            continue
        if _named_before_project(doc, span.end, words):
            names.add(span.text)
    if not names:
        return spans
    return [s for s in spans if s.kb_id_ or s.label_ not in {ORG, PERSON} or s.text not in names]


def _named_before_project(doc: Doc, i: int, words: frozenset[str]) -> bool:
    """Whether a lowercase project word follows ``i`` within a few words: modifiers ("copper-
    cobalt"), or other names joined by "and" or a comma ("and Kisanfu")."""
    joined = False
    for k in range(i, min(len(doc), i + 6)):
        token = doc[k]
        if token.is_lower and token.lower_ in words:
            return True
        if token.lower_ in {"and", ","}:
            joined = True
            continue
        if is_name_token(token) and joined:
            continue
        if token.text == "-" or (token.is_lower and not token.is_stop):
            joined = False
            continue
        return False
    return False


def ambiguous_minerals(doc: Doc, spans: list[Span]) -> list[Span]:
    """Mineral words that are also common words ("lead" the verb) count only next to another
    mineral or a mining word ("zinc and lead", "lead ore"); a mineral before "equivalent" is a
    unit ("lithium carbonate equivalent")."""
    context = name_patterns()["ambiguous_minerals"]
    units = word_set("mineral_unit_words")
    result = []
    for n, span in enumerate(spans):
        if span.label_ == "Mineral" and span.end < len(doc) and doc[span.end].lower_ in units:
            continue
        words = context.get(span.text) if span.label_ == "Mineral" else None
        if words is None:
            result.append(span)
            continue
        near = spans[max(0, n - 1) : n + 2]
        listed = any(
            s is not span
            and s.label_ == "Mineral"
            and len(between := gap(doc, min(s.end, span.end), max(s.start, span.start))) > 0
            and set(between) <= {",", "and", "or"}
            for s in near
        )
        nxt = doc[span.end].lower_ if span.end < len(doc) else ""
        if listed or nxt in words:
            result.append(span)
    return result


def countries_as_places(text: str, mentions: list[Mention]) -> frozenset[int]:
    """Country mentions right after a preposition of place or of an object: "imports from
    China", "mines in Peru", "reliance on China".

    >>> from kg.records import Mention
    >>> text = "It buys ore from Peru; Chile sells it."
    >>> ms = [Mention("Peru", 17, 21, "Country"), Mention("Chile", 23, 28, "Country")]
    >>> sorted(countries_as_places(text, ms))
    [0]
    """
    prepositions = frozenset(cues()["place_prepositions"] + cues()["object_prepositions"])
    found = set()
    for i, mention in enumerate(mentions):
        if mention.label == "Country":
            before = text[max(0, mention.start - 12) : mention.start].split()
            if before and before[-1].lower() in prepositions:
                found.add(i)
    return frozenset(found)


def names_people(text: str, mention: Mention, people: frozenset[str]) -> bool:
    """A country word that says whose people follow (``people``: plural nouns for them): "U.S.
    officials", "Chinese negotiators".

    >>> from kg.records import Mention
    >>> us = Mention("U.S.", 0, 4, "Country")
    >>> names_people("U.S. officials met", us, frozenset({"officials"}))
    True
    """
    after = text[mention.end : mention.end + 30].split()
    return (
        mention.label == "Country"
        and bool(after)
        and after[0].lower().strip(",.") in people
        and text[mention.end : mention.end + 1] == " "
    )
