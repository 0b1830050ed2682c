"""``holds_role_in`` from role titles next to names: "CMF Chairman Robert Strayer", "Pakistan's
Finance Minister Muhammad Aurangzeb", "Kenji Sato, Japan's trade minister", "Australia's
ambassador to Washington, Kevin Rudd"."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from kg.extract._mentions import cues
from kg.records import Mention, MentionRelation
from kg.vocab import Vocabulary

CM = "https://w3id.org/cmkg/ontology#"
HOLDERS = {"Organization", "Country"}
# What may stand between a role title and the name it follows, or a holder and its title.
_GLUE = re.compile(r"^(?:\s|['’]s\b|\([A-Z][A-Za-z&]*\)|[(),])*$")


def glued(text: str, left: int, right: int) -> bool:
    """Only spaces, possessives, parentheses or an honorific between two mentions."""
    if right < left:
        return False
    gap = text[left:right]
    if _GLUE.match(gap):
        return True
    honorifics = set(cues()["honorifics"])
    words = [w for w in gap.lower().split() if w]
    return bool(words) and len(words) <= 2 and all(w.strip(",") in honorifics for w in words)


def focus_country(
    mentions: list[Mention], title_end: int = 0, embedded: Counter[str] | None = None
) -> int | None:
    """The country an article is mostly about: its mentions (the title's counting twice) and the
    countries named inside organisations' names ("Senate of the Philippines")."""
    counts: Counter[str] = Counter(embedded or {})
    for m in mentions:
        if m.label == "Country" and m.concept:
            counts[m.concept] += 2 if m.end <= title_end else 1
    if not counts:
        return None
    for concept, _ in counts.most_common():
        for i, m in enumerate(mentions):
            if m.concept == concept and m.label == "Country":
                return i
    return None


def people_by_role(text: str, mentions: list[Mention]) -> list[Mention]:
    """Names the model took for organisations but that carry a title are people:
    "Trade Minister Kenji Sato", "Kenji Sato, Japan's trade minister"."""
    fixed = list(mentions)
    for i, m in enumerate(mentions):
        if m.label != "Organization" or m.concept is not None or len(m.text.split()) > 4:
            continue
        titled = (
            i > 0 and mentions[i - 1].label == "Role" and glued(text, mentions[i - 1].end, m.start)
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
    vocabulary: Vocabulary,
    focus: int | None,
    sentences: list[tuple[int, int]] | None = None,
) -> list[MentionRelation]:
    """``holds_role_in`` for every person with a title; a government title with no holder named
    (and a head-of-state title) goes to the article's focus country, with lower confidence."""
    found: list[MentionRelation] = []
    heads_of_state = set(cues()["head_of_state_roles"])
    for p_index, person in enumerate(mentions):
        if person.label != "Person":
            continue
        roles, holder = _roles_before(text, mentions, p_index)
        if not roles:
            roles, holder = _roles_after(text, mentions, p_index)
        if not roles:
            continue
        role_text = " ".join(mentions[r].text for r in roles)
        left, right = min(mentions[r].start for r in roles), max(mentions[r].end for r in roles)
        evidence = (min(left, person.start), max(right, person.end))
        if holder is not None:
            found.append(
                MentionRelation(p_index, "holds_role_in", holder, 0.85, *evidence, role=role_text)
            )
            continue
        concepts = [vocabulary.get(mentions[r].concept) for r in roles]
        government = any(c is not None and c.scope == CM + "GovernmentRole" for c in concepts)
        head_of_state = any(c is not None and c.label in heads_of_state for c in concepts)
        if government or head_of_state:
            country = _country_nearby(text, mentions, left, sentences or [])
            country = focus if country is None else country
            if country is not None:
                found.append(
                    MentionRelation(
                        p_index, "holds_role_in", country, 0.5, *evidence, role=role_text
                    )
                )
    return _explicit_first(found)


def _country_nearby(
    text: str, mentions: list[Mention], at: int, sentences: list[tuple[int, int]]
) -> int | None:
    """For "Finance Minister X" with no country named in the title: the country named nearest
    the title in its sentence (a capital where the meeting took place counts)."""
    span = next(((s, e) for s, e in sentences if s <= at < e), None)
    if span is None:
        return None
    near = [
        i
        for i, m in enumerate(mentions)
        if m.label == "Country"
        and span[0] <= m.start
        and m.end <= span[1]
        # "US Chargé d'Affaires Natalie Baker": that country holds another title.
        and not (i + 1 < len(mentions) and mentions[i + 1].label == "Role")
    ]
    # A country named as where something happened ("met in Busan, South Korea") comes last.
    return (
        min(near, key=lambda i: (_is_venue(text, mentions[i]), abs(mentions[i].start - at)))
        if near
        else None
    )


def _is_venue(text: str, mention: Mention) -> bool:
    words = text[max(0, mention.start - 40) : mention.start].lower().split()[-3:]
    return any(w in {"in", "at", "to", "from"} for w in words)


def _explicit_first(found: list[MentionRelation]) -> list[MentionRelation]:
    """Where a person's holder is named anywhere, drop the guesses for that person."""
    named = {r.head for r in found if r.confidence > 0.5}
    return [r for r in found if r.confidence > 0.5 or r.head not in named]


def _roles_before(text: str, mentions: list[Mention], p_index: int) -> tuple[list[int], int | None]:
    roles: list[int] = []
    cursor = mentions[p_index].start
    j = p_index - 1
    # "ambassador to Washington, Kevin Rudd": skip the post's place and the comma.
    if (
        j >= 1
        and mentions[j].label == "Country"
        and mentions[j - 1].label == "Role"
        and text[mentions[j - 1].end : mentions[j].start].strip().lower() in {"to", "in", "at"}
        and text[mentions[j].end : cursor].strip() == ","
    ):
        cursor, j = mentions[j - 1].end, j - 1
    while j >= 0 and mentions[j].label == "Role" and glued(text, mentions[j].end, cursor):
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
    if holder is None:
        holder = _holder_after_of(text, mentions, k, min(len(mentions), k + 3))
    return [k], holder
