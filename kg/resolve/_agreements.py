"""Agreements: which mentions are one agreement, and its identity across articles.

In an article, a named agreement ("US-Japan Critical Minerals Agreement") is one with every
mention of its name, whatever the order of its parties ("the Japan-US Critical Minerals
Agreement"); a described one ("a five-year battery metals framework agreement") with the
mentions whose words it includes; a bare word refers back when definite ("that agreement", "the
deal"), starts a new agreement when indefinite ("a new agreement") and names none when
non-referring ("any common agreement"). The determiner lists are data (``cues.json``).

Across articles: a named agreement keeps its name, and so its IRI. An unnamed one is identified
by its type, its parties and its date: with two parties or more and an article date, its label
and IRI are ``"<parties> <type>[ on <minerals>] (<YYYY-MM>)"``, so reports of one signing in
the same calendar month share one node, and an agreement of other parties, another type or
another month is another node. That calendar month is the window: wide enough for the reports
of one signing, narrow enough that a second memorandum between the same two countries a season
later is a new agreement. Without those, the agreement belongs to its article (the article id is
part of its IRI).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kg.patterns import cues
from kg.records import Mention, MentionRelation
from kg.resolve._clusters import Cluster
from kg.resolve._names import clean_name, entity_iri, norm
from kg.vocab import Concept, Vocabulary

_WORD = re.compile(r"[\w'’.]+(?:-[\w'’.]+)*")
_PARTY_KINDS = {"Country", "Organization"}


@dataclass
class AgreementInfo:
    """What the mentions of one agreement cluster say about it."""

    key: frozenset[str] = frozenset()
    parties: list[Cluster] = field(default_factory=list)
    minerals: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)


class Agreements:
    """Groups the agreement mentions of one article (see the module docstring)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.descriptors = frozenset(cues()["agreement_descriptors_without_content"])
        determiners = cues()["agreement_determiners"]
        self.definite = frozenset(determiners["definite"])
        self.indefinite = frozenset(determiners["indefinite"])
        self.non_referring = frozenset(determiners["non_referring"])
        self.determiners = self.definite | self.indefinite | self.non_referring
        #: Names of agreement types ("the deal", "a partnership"), as sorted words.
        self.generic = frozenset(
            " ".join(sorted(norm(form).split()))
            for concept in vocabulary.of_kind("AgreementType")
            for form, _ in concept.surface_forms()
        )

    def group(
        self,
        text: str,
        mentions: list[Mention],
        labels: list[str],
        cluster_of: dict[int, Cluster],
        clusters: list[Cluster],
        join: Callable[..., None],
        relations: Iterable[MentionRelation] = (),
    ) -> dict[int, AgreementInfo]:
        """Cluster the agreement mentions; returns what each cluster's mentions say, by
        ``id(cluster)``. ``relations`` give the parties each mention is said to have: an
        indefinite "an agreement" is a new one when they differ from the last one's."""
        said: dict[int, set[int]] = defaultdict(set)
        for r in relations:
            if r.type == "party_to" and r.head in cluster_of:
                said[r.tail].add(id(cluster_of[r.head]))
        parties_of: dict[int, set[int]] = defaultdict(set)
        infos: dict[int, AgreementInfo] = {}
        seen: list[tuple[frozenset[str], Cluster]] = []
        history: list[tuple[set[str], Cluster]] = []
        last: Cluster | None = None
        inside = _contained(mentions)
        for i, lab in enumerate(labels):
            if lab != "Agreement":
                continue
            if i in cluster_of:  # a named agreement of the vocabulary
                last = cluster_of[i]
                history.append(({w.lower() for w in _WORD.findall(mentions[i].text)}, last))
                continue
            mention = mentions[i]
            determiner, surface = self._determiner(text, mention)
            if determiner in self.non_referring:
                continue
            parties = [cluster_of[k] for k in inside.get(i, ()) if labels[k] in _PARTY_KINDS]
            parties = [c for c in parties if c.kind in _PARTY_KINDS]
            words = self._content(text, mention, [mentions[k] for k in inside.get(i, ())])
            key = frozenset(words) | {_party_key(c) for c in parties}
            bare = not parties and " ".join(sorted(words)) in self.generic | {""}
            if bare:
                other = said[i] and parties_of[id(last)] and not said[i] <= parties_of[id(last)]
                if last is not None and not (determiner in self.indefinite and other):
                    # "the framework" is the last agreement called a framework, if any.
                    last = next((c for w, c in reversed(history) if set(words) <= w), last)
                    join(i, last, f"{mention.text!r} refers back to the agreement before it")
                else:
                    last = Cluster("Agreement")
                    clusters.append(last)
                    join(i, last)
                    infos[id(last)] = AgreementInfo()
                info = infos.setdefault(id(last), AgreementInfo())
            else:
                match = next((c for k, c in seen if key <= k or k <= key), None)
                if match is None:
                    match = Cluster("Agreement")
                    clusters.append(match)
                    join(i, match)
                else:
                    join(i, match, f"{mention.text!r} describes the same agreement")
                seen.append((key, match))
                last = match
                info = infos.setdefault(id(match), AgreementInfo())
                if len(key) > len(info.key):
                    info.key = key
                named = _is_name(text, mention, words, [mentions[k] for k in inside.get(i, ())])
                match.named = match.named or named
                info.descriptions.append(_strip_determiner(clean_name(mention.text), self))
                for party in parties:
                    if party not in info.parties:
                        info.parties.append(party)
            parties_of[id(last)] |= said[i]
            history.append((set(words), last))
            topic = _topic_after(text, mentions, labels, i)
            for k in [*inside.get(i, ()), *topic]:
                if labels[k] == "Mineral" and k in cluster_of:
                    name = cluster_of[k].name
                    if name not in info.minerals:
                        info.minerals.append(name)
            start = mention.start - len(surface) + len(mention.text) if surface else mention.start
            if topic:  # "an agreement on rare earth metals"
                surface = text[start : mentions[topic[-1]].end]
            if surface and surface != mention.text:
                cluster_of[i].surfaces.append(clean_name(surface))
            elif determiner in self.indefinite and mention.text.lower().startswith(determiner):
                # "a partnership" is also written "partnership" when it is named again.
                bare_text = _strip_determiner(clean_name(mention.text), self)
                cluster_of[i].surfaces.append(bare_text)
        return infos

    def _determiner(self, text: str, mention: Mention) -> tuple[str, str | None]:
        """The determiner of a mention (its first word, or the word before it) and the mention
        as written with it ("a cornerstone offtake deal")."""
        first = mention.text.split(maxsplit=1)[0].lower() if mention.text.strip() else ""
        if first in self.determiners:
            return first, None
        before = text[max(0, mention.start - 12) : mention.start]
        found = re.search(r"([A-Za-z]+)\s+$", before)
        if found and found.group(1).lower() in self.determiners:
            return found.group(1).lower(), text[mention.start - len(found.group(0)) : mention.end]
        return "", None

    def _content(self, text: str, mention: Mention, inside: list[Mention]) -> list[str]:
        """The mention's words that say which agreement it is: without its determiner, the
        descriptors that say nothing ("new", "landmark") and the names of its parties."""
        chars = list(text[mention.start : mention.end])
        for m in inside:
            if m.label in _PARTY_KINDS:
                for k in range(m.start - mention.start, m.end - mention.start):
                    chars[k] = " "
        words = [w.lower().strip(".’'") for w in _WORD.findall("".join(chars))]
        return [
            w
            for w in words
            if w and w not in self.descriptors and w not in self.determiners and w != "and"
        ]

    def label(
        self,
        cluster: Cluster,
        info: AgreementInfo,
        parties: Iterable[Cluster],
        type_label: str | None,
        article_id: str,
        month: str | None,
    ) -> tuple[str, str]:
        """(label, IRI) of an agreement cluster (see the module docstring)."""
        if cluster.concept is not None:
            return cluster.concept.label, cluster.concept.iri
        if cluster.named:
            # The name as the article first writes it ("US-Japan Critical Minerals Agreement",
            # later "the American and Japanese minerals pact").
            name = next((d for d in info.descriptions if d[:1].isupper()), cluster.name)
            return name, entity_iri("Agreement", name)
        type_label = type_label or "agreement"
        all_parties = list(info.parties)
        for party in parties:
            if party not in all_parties:
                all_parties.append(party)
        description = max(info.descriptions, key=lambda d: (len(d.split()), len(d)), default="")
        description = description or type_label
        minerals = [m for m in info.minerals if m.lower() not in description.lower()]
        topic = f" on {' and '.join(minerals)}" if minerals else ""
        if len(all_parties) >= 2 and month:
            names = "–".join(sorted(party_name(p) for p in all_parties))
            label = f"{names} {type_label}{topic} ({month})"
            return label, entity_iri("Agreement", label)
        outside = [p for p in all_parties if p not in info.parties]
        if outside:
            description = f"{'–'.join(party_name(p) for p in all_parties[:3])} {description}"
        elif not all_parties and " ".join(sorted(description.lower().split())) in self.generic:
            description = f"{description} in article {article_id}"
        label = f"{description}{topic}" + (f" ({month})" if month else "")
        return label, entity_iri("Agreement", f"{article_id} {label}")


def _strip_determiner(text: str, agreements: Agreements) -> str:
    words = text.split()
    while words and words[0].lower() in agreements.determiners:
        words = words[1:]
    return " ".join(words)


def _is_name(text: str, mention: Mention, words: list[str], inside: list[Mention]) -> bool:
    """A capitalised name, not a description: "Critical Mineral Agreement", "India-Australia
    Critical Minerals Investment Partnership" (its first word besides party names is
    capitalised)."""
    covered = [(m.start, m.end) for m in inside if m.label in _PARTY_KINDS]
    for match in _WORD.finditer(text, mention.start, mention.end):
        if any(a <= match.start() < b for a, b in covered):
            continue
        if match.group().lower() in {"the", "a", "an", "this", "that", "and", "of", "&"}:
            continue
        return match.group()[:1].isupper() and bool(words)
    return False


def _topic_after(text: str, mentions: list[Mention], labels: list[str], i: int) -> list[int]:
    """Minerals named right after an agreement: "an agreement on rare earth metals"."""
    found: list[int] = []
    end = mentions[i].end
    for k in range(i + 1, min(i + 6, len(mentions))):
        m = mentions[k]
        if m.start < end:
            continue
        gap = text[end : m.start]
        joins = r"\s*(?:,|and|,\s*and)\s*" if found else r"\s+(?:on|for|covering)\s+(?:the\s+)?"
        if labels[k] != "Mineral" or not re.fullmatch(joins, gap):
            break
        found.append(k)
        end = m.end
    return found


def _contained(mentions: list[Mention]) -> dict[int, list[int]]:
    """For each agreement mention, the other mentions inside its span (its parties and
    minerals: "the US-India framework", "a lithium supply agreement")."""
    found: dict[int, list[int]] = {}
    agreements = [i for i, m in enumerate(mentions) if m.label == "Agreement"]
    if not agreements:
        return found
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
    starts = [mentions[i].start for i in order]
    for a in agreements:
        span = mentions[a]
        k = bisect_left(starts, span.start)
        while k < len(order) and starts[k] < span.end:
            other = order[k]
            if other != a and mentions[other].end <= span.end:
                found.setdefault(a, []).append(other)
            k += 1
    return found


def _party_key(cluster: Cluster) -> str:
    if cluster.concept is not None:
        return cluster.concept.iso3 or cluster.concept.iri
    return norm(cluster.name)


def party_name(cluster: Cluster) -> str:
    """A party as agreement labels write it: "US", "UK", "UAE", "DRC", else the name."""
    return _short_country(cluster.concept, cluster.name)


def _short_country(concept: Concept | None, name: str) -> str:
    if concept is None:
        return name
    short = [a for a in concept.alt_labels if a.isupper() and 2 <= len(a) <= 4 and "." not in a]
    return (
        min(short, key=len)
        if short and concept.iso3 in {"USA", "GBR", "ARE", "COD"}
        else concept.label
    )
