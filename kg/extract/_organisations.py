"""Organisations: described, with a legal form, named after a mineral, listed with others,
owned; and organisation spans that are none (see :mod:`kg.extract._names`)."""

from __future__ import annotations

from itertools import pairwise

from spacy.tokens import Doc, Span

from kg.extract._people import honorific_at
from kg.extract._spans import (
    CONNECTORS,
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
from kg.patterns import name_patterns, names_a_company, word_set

_LIST_GAPS = {
    (",",),
    ("and",),
    (",", "and"),
    ("&",),
    ("or",),
    (",", "or"),
    ("and", "the"),
    (",", "and", "the"),
}


def split_listed_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """An organisation span that is really a list ("Lonmin, Umicore") becomes one span per name,
    unless a piece is generic words only (then it is one name: "Ministry of Trade, Industry and
    Energy")."""
    generic = word_set("generic_name_words")
    result: list[Span] = []
    for span in spans:
        commas = [t.i for t in span if t.text == ","]
        if span.label_ != ORG or span.kb_id_ or not commas:
            result.append(span)
            continue
        cuts = [span.start, *commas, span.end]
        pieces = [(a + (1 if a in commas else 0), b) for a, b in pairwise(cuts)]
        if all(
            b > a
            and b - a <= 4
            and is_name_token(doc[a])
            and any(t.lower_ not in generic | CONNECTORS for t in doc[a:b])
            for a, b in pieces
        ):
            result.extend(Span(doc, a, b, label=ORG) for a, b in pieces)
        else:
            result.append(span)
    return result


def described_organisations(doc: Doc, spans: list[Span]) -> list[Span]:
    """A name right after a describing noun is an organisation: "fertilizer company Nutrien",
    "defence contractor Lockheed Martin", "its subsidiary Minera Tarar"."""
    heads = word_set("organization_heads")
    owner = owners(doc, spans)
    replaced: dict[int, Span] = {}
    added: list[Span] = []
    for i in positions(doc, heads):
        if not doc[i].is_lower or i + 1 >= len(doc):
            continue
        nxt = i + 1
        if owner[nxt] == -1:
            end = free_run(doc, nxt, owner)
            if end > nxt and not all(t.is_stop for t in doc[nxt:end]):
                added.append(Span(doc, nxt, end, label=ORG))
            continue
        span = spans[owner[nxt]]
        if span.start == nxt and span.label_ == PERSON:
            replaced[owner[nxt]] = relabel(span, ORG)
    result = [replaced.get(n, s) for n, s in enumerate(spans)]
    return sorted_spans(result + added) if added else result


def legal_forms(doc: Doc, spans: list[Span]) -> list[Span]:
    """Names with a legal-form suffix or prefix are organisations ("Kazatomprom JSC", "JSC
    Tau-Ken Samruk", "Lynas Rare Earths Ltd"), found or not by the model."""
    suffixes = word_set("organization_suffixes")
    prefixes = word_set("organization_prefixes")
    result: list[Span] = []
    for span in spans:
        first, last = span[0], span[-1]
        if (
            span.label_ == PERSON
            and len(span) > 1
            and (
                (last.lower_ in suffixes and not last.is_lower)
                or (first.lower_ in prefixes and first.is_upper)
            )
        ):
            span = relabel(span, ORG)
        result.append(span)
    owner = owners(doc, result)
    added = []
    for i in positions(doc, suffixes):
        token = doc[i]
        if owner[i] != -1 or token.is_lower or i == 0 or owner[i - 1] != -1:
            continue
        start = i
        while start > 0 and owner[start - 1] == -1 and is_name_token(doc[start - 1]):
            start -= 1
            if doc[start].is_sent_start:
                break
        if start < i and not all(t.is_stop for t in doc[start:i]):
            added.append(Span(doc, start, i + 1, label=ORG))
    return sorted_spans(result + added) if added else result


def capitalised_minerals(doc: Doc, spans: list[Span]) -> list[Span]:
    """A mineral word capitalised inside a sentence, next to other capitalised words, is part of
    a company's name ("Chengze Lithium", "Anglo Platinum", "Gold Fields")."""
    owner = owners(doc, spans)
    result: list[Span] = []
    taken = -1
    for span in spans:
        if span.start < taken:
            continue
        if span.label_ != "Mineral" or not span[0].is_title or span[0].is_sent_start:
            result.append(span)
            continue
        start = span.start
        while start > 0 and owner[start - 1] == -1 and is_name_token(doc[start - 1]):
            start -= 1
            if doc[start].is_sent_start:
                break
        end = span.end
        while end < len(doc) and owner[end] == -1 and is_name_token(doc[end]):
            end += 1
        if (start == span.start and end == span.end) or _is_heading(doc, span):
            result.append(span)
            continue
        taken = end
        result.append(Span(doc, start, end, label=ORG))
    return result


def _is_heading(doc: Doc, span: Span) -> bool:
    """Whether a span sits in a line in title case or capitals (a headline)."""
    sentence = span.sent if doc.has_annotation("SENT_START") else doc[:]
    words = [t for t in sentence if t.is_alpha and len(t) > 3]
    return bool(words) and sum(t.is_title or t.is_upper for t in words) >= 0.7 * len(words)


def listed_types(doc: Doc, spans: list[Span]) -> list[Span]:
    """Names listed together share a type: people the model saw in a list of organisations, and
    capitalised names it missed there, are organisations ("CMOC, Zijin, and Huayou", "RTX and
    Boeing"). A titled person keeps its type, and so does one whose surname the text uses
    alone; a full name needs a list of three or more where organisations are the majority
    ("Glencore and Ivan Glasenberg" stays as it is)."""
    result = list(spans)
    owner = owners(doc, spans)
    surnames = {s.text for s in spans if s.label_ == PERSON and len(s) == 1}
    added: list[Span] = []
    n = 0
    while n < len(spans):
        chain = [n]
        while (
            chain[-1] + 1 < len(spans)
            and gap(doc, spans[chain[-1]].end, spans[chain[-1] + 1].start) in _LIST_GAPS
        ):
            chain.append(chain[-1] + 1)
        n = chain[-1] + 1
        items = [spans[k] for k in chain]
        orgs = [s for s in items if s.label_ == ORG]
        if not orgs or any(s.label_ not in {ORG, PERSON} for s in items):
            continue
        votes = len(orgs) + sum(1 for s in orgs if s.kb_id_)
        people = [k for k in chain if spans[k].label_ == PERSON]
        for k in people:
            span = spans[k]
            titled = k > 0 and spans[k - 1].label_ == "Role" and spans[k - 1].end >= span.start - 1
            if titled or (len(span) > 1 and span[-1].text in surnames):
                continue
            single = len(span) == 1 and votes >= len(people)
            if single or (len(items) >= 3 and votes > len(people)):
                result[k] = relabel(span, ORG)
        added.extend(_unlabelled_neighbours(doc, items[0], items[-1], owner))
    return sorted_spans(result + added) if added else result


def _unlabelled_neighbours(doc: Doc, first: Span, last: Span, owner: list[int]) -> list[Span]:
    """A capitalised name joined to a list by "and" or a comma that no span covers."""
    found = []
    i = last.end
    gap = i
    while gap < len(doc) and doc[gap].lower_ in {",", "and", "&"} and gap - i < 2:
        gap += 1
    if gap > i:
        end = free_run(doc, gap, owner, limit=3)
        if end > gap and (end == len(doc) or not is_name_token(doc[end])):
            found.append(Span(doc, gap, end, label=ORG))
    j = first.start
    gap = j
    while gap > 0 and doc[gap - 1].lower_ in {",", "and", "&"} and j - gap < 2:
        gap -= 1
    if gap < j:
        start = gap
        while start > 0 and owner[start - 1] == -1 and is_name_token(doc[start - 1]):
            start -= 1
            if doc[start].is_sent_start:
                break
        if start < gap and not doc[start].is_sent_start and gap - start <= 3:
            found.append(Span(doc, start, gap, label=ORG))
    return found


def portfolios_and_generic_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """Organisation spans that are no organisation: generic words ("Supply Chain Disruptions";
    before a title they become its portfolio: "Energy and Business Minister"), documents
    ("Downstream Value Addition Study"), acronyms of common nouns ("EV"), honorifics alone
    ("Datuk Seri Tengku"), bare legal forms
    ("Corp.") and forms without a capital letter ("mt/y")."""
    patterns = name_patterns()
    generic = word_set("generic_name_words") | CONNECTORS
    documents = word_set("document_words")
    suffixes = word_set("organization_suffixes")
    honorifics = word_set("honorifics")
    acronyms = frozenset(patterns["generic_acronyms"])
    result: list[Span] = []
    skip = -1
    for n, span in enumerate(spans):
        if n <= skip:
            continue
        if span.label_ != ORG or span.kb_id_:
            result.append(span)
            continue
        words = [t.lower_ for t in span]
        following = spans[n + 1] if n + 1 < len(spans) else None
        if all(w in generic for w in words):
            if (
                following is not None
                and following.label_ == "Role"
                and not doc[span.end : following.start].text.strip()
            ):
                result.append(
                    Span(doc, span.start, following.end, label="Role", kb_id=following.kb_id_)
                )
                skip = n + 1
            continue
        if (
            words[-1] in documents
            or span.text in acronyms
            or honorific_at(doc, span.start, honorifics) == len(span)
            or all(w in suffixes or not any(c.isalpha() for c in w) for w in words)
            or not any(c.isupper() for c in span.text)
        ):
            continue
        result.append(span)
    return result


def owned_organisations(doc: Doc, spans: list[Span]) -> list[Span]:
    """What is owned or invested in is an organisation: "will own 70% of Severniy Katpar", "a
    stake in Nutrien" (a name the model read as a person there); so is a one-word name that
    owns licences, mines or assets ("Tshala's coltan and gold assets")."""
    finance = word_set("finance_words")
    result = list(spans)
    for n, span in enumerate(spans):
        if span.label_ == PERSON and _owns_assets(doc, span):
            result[n] = relabel(span, ORG)
            continue
        if (
            span.label_ != PERSON
            or span.start < 2
            or doc[span.start - 1].lower_ not in {"of", "in"}
            # "a stake in Gina Rinehart's company": the owner is a person.
            or (span.end < len(doc) and doc[span.end].text in {"'s", "’s"})
        ):
            continue
        before = [t.lower_ for t in doc[max(0, span.start - 4) : span.start - 1]]
        if (before and before[-1] in finance) or any(w in {"%", "percent"} for w in before):
            result[n] = relabel(span, ORG)
    return result


def _owns_assets(doc: Doc, span: Span) -> bool:
    """ "Bemba's four gold permits": one capitalised word, a possessive, then within a few
    modifiers (numbers, minerals, commas) a word of ``asset_words``."""
    if len(span) != 1 or span.end + 1 >= len(doc) or doc[span.end].text not in {"'s", "’s"}:
        return False
    assets = word_set("asset_words")
    for token in doc[span.end + 1 : span.end + 9]:
        if token.lower_ in assets:
            return True
        if (token.is_punct and token.text not in {",", "-"}) or token.pos_ == "VERB":
            return False
    return False


#: Labels the model gives company names it misreads ("Power Metals" as a location).
_MISREAD_AS_PLACES = {"LOC", "FAC", "Place"}


def qualified_company_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """A company name with its place in parentheses is one name: "Zangge Mining Investment
    (Chengdu)", "Sinomine (Hong Kong) Rare Metals Resources" (not an acronym: "(SQM)"); and a
    name the model read as a location but whose words say company ("Power Metals") is one."""
    result = [
        relabel(s, ORG)
        if s.label_ in _MISREAD_AS_PLACES
        and not s.kb_id_
        and len(s) > 1
        and s[-1].is_title
        and names_a_company([s[-1].text])
        else s
        for s in spans
    ]
    owner = owners(doc, result)
    merged: list[tuple[int, int]] = []
    for i in positions(doc, frozenset({"("})):
        close = next((k for k in range(i + 1, min(i + 5, len(doc))) if doc[k].text == ")"), None)
        if close is None or close == i + 1 or i == 0 or owner[i - 1] == -1:
            continue
        if not all(t.is_title and t.is_alpha for t in doc[i + 1 : close]):
            continue  # "(SQM)", "(2024)": an acronym or a note, not a place
        left = result[owner[i - 1]]
        if left.label_ not in {ORG, PERSON} or left.kb_id_:
            continue
        end = close + 1
        while end < len(doc) and end - close <= 4 and is_name_token(doc[end]):
            end += 1
        if names_a_company([t.text for t in doc[close + 1 : end]]):
            merged.append((left.start, end))  # "Sinomine (Hong Kong) Rare Metals Resources"
        elif (
            names_a_company([t.text for t in doc[left.start : i]])
            # unless it defines the short name used later: "National Copper Corp. (Codelco)"
            and doc.text.count(doc[i + 1 : close].text) == 1
        ):
            merged.append((left.start, close + 1))
    if not merged:
        return result
    covered = {k for a, b in merged for k in range(a, b)}
    kept = [s for s in result if not any(k in covered for k in range(s.start, s.end))]
    return sorted_spans(kept + [Span(doc, a, b, label=ORG) for a, b in merged])
