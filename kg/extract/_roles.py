"""``holds_role_in`` from role titles next to names: "CMF Chairman Robert Strayer", "Pakistan's
Finance Minister Muhammad Aurangzeb", "Kenji Sato, Japan's trade minister", "Australia's
ambassador to Washington, Kevin Rudd"."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from functools import cache

from kg.extract._grammar import anaphora
from kg.patterns import names_a_company, word_set
from kg.records import Mention, MentionRelation

HOLDERS = {"Organization", "Country"}
# What may stand between a holder and its title ("Pakistan's Finance Minister"), or a title and
# the name it precedes, where a possessive is not allowed ("the Prime Minister's House").
_GLUE = re.compile(r"^(?:\s|['’]s\b|\([A-Z][A-Za-z&]*\)|[(),])*$")
#: How far back "company spokesman X" looks for the company named before.
_COMPANY_REACH = 1500
#: The rest of a portfolio between a title and a name: " of Mineral Resources ", " and Mines ".
_PORTFOLIO = re.compile(
    r"^\s+(?:(?:of|for|and|&|the)\s+)?(?:[A-Z][a-z]+,?\s+(?:(?:and|&|of|for)\s+)?){1,5}$"
)
_GLUE_NAME = re.compile(r"^(?:\s|\([A-Z][A-Za-z&]*\)|[(),])*$")


def glued(text: str, left: int, right: int, possessive: bool = True) -> bool:
    """Only spaces, parentheses, an honorific or (with ``possessive``) a possessive between two
    mentions.

    >>> glued("Finance Minister Dr. Ann Lee", 16, 21)
    True
    >>> glued("the Prime Minister's House", 18, 21, possessive=False)
    False
    """
    if right < left:
        return False
    gap = text[left:right]
    if (_GLUE if possessive else _GLUE_NAME).match(gap):
        return True
    words = gap.lower().replace(",", " ").split()
    if possessive and words and words[0] in {"'s", "’s"}:
        # "Ukraine's First Deputy Prime Minister", "Chile's former mines minister"
        return 0 < len(words) <= 3 and all(w in word_set("title_modifiers") for w in words[1:])
    return 0 < len(words) <= 4 and " ".join(words) in _honorific_phrases()


@cache
def _honorific_phrases() -> frozenset[str]:
    """Honorifics, alone or two in a row ("H.E. Dr.")."""
    single = word_set("honorifics")
    return single | {f"{a} {b}" for a in single for b in single}


def focus_country(
    mentions: list[Mention], title_end: int = 0, embedded: Counter[str] | None = None
) -> int | None:
    """The country an article is mostly about: its mentions (the title's counting twice) and the
    countries named inside organisations' names ("Senate of the Philippines")."""
    return focus_actor(mentions, [], frozenset(), title_end, embedded)


def focus_actor(
    mentions: list[Mention],
    links: list[tuple[int, int]],
    companies: frozenset[int],
    title_end: int = 0,
    embedded: Counter[str] | None = None,
    places: frozenset[int] = frozenset(),
) -> int | None:
    """The country or company an article is mostly about: its mentions (the title's counting
    twice; ``embedded``: countries named inside organisations' names), a company's short forms
    (``links``: long index, short index) counting for its name; ties go to the one named first.
    Organisations other than ``companies`` (a senate, a ministry) speak for a country; a country
    named only as a place or an object (``places``: "tariffs on imports from China") does not
    count."""
    counts: Counter[str] = Counter(embedded or {})
    first: dict[str, int] = {}
    long_of = {short: long for long, short in links}
    for i, m in enumerate(mentions):
        if m.label not in {"Country", "Organization"}:
            continue
        if m.label == "Organization" and long_of.get(i, i) not in companies:
            continue
        if m.label == "Country" and (not m.concept or i in places):
            continue
        named = mentions[long_of.get(i, i)]
        key = named.concept or named.text
        counts[key] += 2 if m.end <= title_end else 1
        first.setdefault(key, long_of.get(i, i))
    ranked = [key for key, _ in counts.most_common() if key in first]
    return first[ranked[0]] if ranked else None


def people_by_role(text: str, mentions: list[Mention]) -> list[Mention]:
    """Names the model took for organisations but that carry a title are people:
    "Trade Minister Kenji Sato", "Kenji Sato, Japan's trade minister"."""
    fixed = list(mentions)
    for i, m in enumerate(mentions):
        if m.label != "Organization" or m.concept is not None or len(m.text.split()) > 4:
            continue
        titled = (
            i > 0
            and mentions[i - 1].label == "Role"
            and glued(text, mentions[i - 1].end, m.start, possessive=False)
        )
        if not titled:
            as_person = [*mentions[:i], replace(m, label="Person"), *mentions[i + 1 :]]
            titled = bool(_roles_after(text, as_person, i)[0])
        if titled and all(w[:1].isupper() for w in m.text.split()):
            fixed[i] = replace(m, label="Person")
    return fixed


def role_relations(
    text: str,
    mentions: list[Mention],
    sentences: list[tuple[int, int]] | None = None,
) -> list[MentionRelation]:
    """``holds_role_in`` for every person whose title the text ties to a country or an
    organisation; ``has_title`` (tail: the title's mention) for a title nothing ties.

    The holder comes only from the text: a name or nationality word before the title
    ("Pakistan's Finance Minister", "Japanese Trade Minister", "CMF Chairman"), "of X" inside it
    ("Minister of Finance of Pakistan") or an apposition ("Kenji Sato, Japan's trade minister").
    The organisation or country named right after the name counts too ("Chief Executive Sara
    Lind of Norvik Mining"). Never from the country the article is about: "President Donald
    Trump" in a story about Chile keeps his title and no country. A ``has_title`` relation is
    not a fact of the graph; the resolver turns it into the person's job title, or into a post
    when an officials vocabulary knows the person (see :class:`kg.records.Post`).
    """
    found: list[MentionRelation] = []
    for p_index, person in enumerate(mentions):
        if person.label != "Person":
            continue
        roles, holder = _roles_before(text, mentions, p_index)
        if not roles:
            roles, holder = _roles_after(text, mentions, p_index)
        if not roles:
            roles, holder = _title_of_before_comma(text, mentions, p_index)
        if not roles:
            # "Brad Lind of Norvik Mining said": a name with its organisation and no title
            employer = _holder_after_name(text, mentions, p_index)
            if employer is not None and mentions[employer].label == "Organization":
                span = (person.start, mentions[employer].end)
                found.append(MentionRelation(p_index, "holds_role_in", employer, 0.7, *span))
            continue
        if holder is None:
            holder = _holder_after_name(text, mentions, p_index)
        if holder is None:
            holder = _company_of_title(text, mentions, roles[0])
        role_text = " ".join(mentions[r].text for r in roles)
        left, right = min(mentions[r].start for r in roles), max(mentions[r].end for r in roles)
        evidence = (min(left, person.start), max(right, person.end))
        if holder is not None:
            found.append(
                MentionRelation(p_index, "holds_role_in", holder, 0.85, *evidence, role=role_text)
            )
        else:
            found.append(
                MentionRelation(p_index, "has_title", roles[-1], 1.0, *evidence, role=role_text)
            )
    return found


def _roles_before(text: str, mentions: list[Mention], p_index: int) -> tuple[list[int], int | None]:
    roles: list[int] = []
    cursor = mentions[p_index].start
    j = p_index - 1
    # "ambassador to Washington, Kevin Rudd", "EU Ambassador to Zambia Jane Doe": skip the
    # post's place (and the comma).
    if (
        j >= 1
        and mentions[j].label == "Country"
        and mentions[j - 1].label == "Role"
        and text[mentions[j - 1].end : mentions[j].start].strip().lower() in {"to", "in", "at"}
        and text[mentions[j].end : cursor].strip() in {",", ""}
    ):
        cursor, j = mentions[j - 1].end, j - 1
    gap = text[mentions[j].end : cursor] if j >= 0 else ""
    if j >= 0 and mentions[j].label == "Role" and len(gap) < 80 and _PORTFOLIO.match(gap):
        # "Minister of Mineral Resources Gwede Mantashe": the rest of the portfolio's name
        cursor = mentions[j].end
    while (
        j >= 0
        and mentions[j].label == "Role"
        and glued(text, mentions[j].end, cursor, possessive=bool(roles))
    ):
        roles.insert(0, j)
        cursor = mentions[j].start
        j -= 1
    if not roles:
        return [], None
    while j >= 0 and mentions[j].end > cursor:
        j -= 1
    if j >= 0 and mentions[j].label in HOLDERS and glued(text, mentions[j].end, cursor):
        return roles, j
    return roles, _holder_after_of(text, mentions, roles[-1], p_index)


def _title_of_before_comma(
    text: str, mentions: list[Mention], p_index: int
) -> tuple[list[int], int | None]:
    """ "the president of Chile, Ana Soto": the title, "of" its holder, then a comma and the
    name."""
    if p_index < 2:
        return [], None
    holder, role = p_index - 1, p_index - 2
    if (
        mentions[holder].label in HOLDERS
        and mentions[role].label == "Role"
        and text[mentions[holder].end : mentions[p_index].start].strip() == ","
        and text[mentions[role].end : mentions[holder].start].strip().lower() in {"of", "of the"}
        and text[max(0, mentions[role].start - 4) : mentions[role].start].lower().endswith("the ")
    ):
        return [role], holder
    return [], None


@cache
def _company_nouns() -> frozenset[str]:
    return frozenset(word for word, labels in anaphora().items() if "Company" in labels)


def _company_of_title(text: str, mentions: list[Mention], role: int) -> int | None:
    """ "company spokesman Matt Lind", "the miner's chief executive": the company the text last
    named (within ``_COMPANY_REACH`` characters), for a title after a noun the anaphora table of
    ``grammar.jsonl`` sends to companies."""
    before = text[max(0, mentions[role].start - 12) : mentions[role].start].lower().split()
    if not before or before[-1].removesuffix("'s").removesuffix("’s") not in _company_nouns():
        return None
    start = mentions[role].start
    for k in range(role - 1, -1, -1):
        m = mentions[k]
        if m.end <= start - _COMPANY_REACH:
            break
        if m.label == "Organization" and m.end <= start and names_a_company(m.text.split()):
            return k
    return None


def _holder_after_name(text: str, mentions: list[Mention], p_index: int) -> int | None:
    """ "Chief Executive Sara Lind of Norvik Mining": the holder named right after the name."""
    k = p_index + 1
    if k < len(mentions) and mentions[k].label in HOLDERS:
        between = text[mentions[p_index].end : mentions[k].start].strip().lower()
        if between in {"of", "of the", "at", "at the"}:
            return k
    return None


def _holder_after_of(text: str, mentions: list[Mention], role: int, stop: int) -> int | None:
    """ "Minister of Finance of Pakistan": a holder right after "of" inside the title."""
    for k in range(role + 1, stop):
        between = text[mentions[role].end : mentions[k].start].strip().lower()
        if mentions[k].label in HOLDERS and between in {"of", "of the", "for", "at"}:
            return k
    return None


def _roles_after(text: str, mentions: list[Mention], p_index: int) -> tuple[list[int], int | None]:
    """Appositions: "Aurangzeb, Pakistan's finance minister", "Bristow, chief executive of X"."""
    person = mentions[p_index]
    k = p_index + 1
    if k >= len(mentions) or not text[person.end : mentions[k].start].strip().startswith(","):
        return [], None
    gap = text[person.end : mentions[k].start].strip(" ,").lower()
    if gap not in {"", "the", "a", "an", "then"}:
        return [], None
    holder: int | None = None
    if (
        mentions[k].label in HOLDERS
        and k + 1 < len(mentions)
        and mentions[k + 1].label == "Role"
        and glued(text, mentions[k].end, mentions[k + 1].start)
    ):
        holder, k = k, k + 1
    if mentions[k].label != "Role":
        return [], None
    after = k + 1
    if (
        after < len(mentions)
        and mentions[after].label == "Person"
        and glued(text, mentions[k].end, mentions[after].start, possessive=False)
    ):
        return [], None  # "Boulos, President Donald Trump's adviser": the title is Trump's
    if holder is None:
        holder = _holder_after_of(text, mentions, k, min(len(mentions), k + 3))
    return [k], holder
