"""Resolution inside one article: mentions grouped into canonical entities."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kg.extract._mentions import cues
from kg.records import (
    SYMMETRIC_RELATIONS,
    Analysis,
    Entity,
    Extraction,
    Mention,
    Quantity,
    Relation,
)
from kg.resolve._decisions import Decision, load_decisions
from kg.resolve._events import agreement_details, events
from kg.resolve._names import entity_iri, norm, surname
from kg.vocab import Concept, Vocabulary

ENTITY_LABELS = {"Person", "Organization", "Country", "Mineral", "Agreement"}
_HONORIFICS = ("Mr ", "Mr. ", "Mrs ", "Mrs. ", "Ms ", "Ms. ", "Dr ", "Dr. ")


@dataclass
class _Cluster:
    kind: str
    mentions: list[int] = field(default_factory=list)
    concept: Concept | None = None
    name: str = ""
    reasons: list[str] = field(default_factory=list)
    iri: str | None = None


class DocumentResolver:
    """Groups the mentions of one :class:`~kg.records.Analysis` into entities."""

    def __init__(
        self, vocabulary: Vocabulary, decisions: dict[tuple[str, str], Decision] | None = None
    ) -> None:
        self.vocabulary = vocabulary
        self.decisions = decisions if decisions is not None else load_decisions()
        #: Full names of people seen in earlier articles of this run, by surname.
        self.people: dict[str, set[str]] = defaultdict(set)
        self.descriptors = frozenset(cues()["agreement_descriptors_without_content"])
        #: Names of agreement types ("the deal", "a partnership"), as sorted words.
        self.generic_agreements = frozenset(
            " ".join(sorted(norm(form).split()))
            for concept in vocabulary.of_kind("AgreementType")
            for form, _ in concept.surface_forms()
        )
        self.by_label: dict[tuple[str, str], Concept] = {}
        for concept in vocabulary.concepts.values():
            kind = "Organization" if concept.kind == "Organization" else concept.kind
            for form, _ in concept.surface_forms():
                self.by_label.setdefault((kind, norm(form)), concept)

    def resolve(self, analysis: Analysis) -> Extraction:
        mentions = list(analysis.mentions)
        cluster_of: dict[int, _Cluster] = {}
        clusters: list[_Cluster] = []

        def join(index: int, cluster: _Cluster, reason: str | None = None) -> None:
            cluster.mentions.append(index)
            cluster_of[index] = cluster
            if reason:
                cluster.reasons.append(reason)

        labels = self._relabel(mentions)
        # 1. Vocabulary concepts: one entity per concept.
        by_concept: dict[str, _Cluster] = {}
        for i, m in enumerate(mentions):
            concept = self.vocabulary.get(m.concept) or self._lookup(labels[i], m.text)
            if labels[i] not in ENTITY_LABELS or concept is None:
                continue
            if labels[i] == "Agreement" and concept.kind != "Agreement":
                continue
            cluster = by_concept.get(concept.iri)
            if cluster is None:
                cluster = _Cluster(labels[i], concept=concept, name=concept.label)
                by_concept[concept.iri] = cluster
                clusters.append(cluster)
            join(i, cluster, f"{m.text!r} is a name of {concept.label!r} in the vocabulary")
        # 2. Acronyms defined in the text.
        for long_i, short_i in analysis.acronyms:
            if long_i in cluster_of and short_i not in cluster_of:
                join(
                    short_i,
                    cluster_of[long_i],
                    f"{mentions[short_i].text!r} is defined as an acronym",
                )
        # 3. People, then organisations, by name.
        self._people(mentions, labels, cluster_of, clusters, join)
        short_forms = {mentions[s].text for _, s in analysis.acronyms}
        shorts = {i for i, m in enumerate(mentions) if m.text in short_forms}
        self._organisations(mentions, labels, cluster_of, clusters, join, skip=shorts)
        for long_i, short_i in analysis.acronyms:
            if long_i in cluster_of and short_i not in cluster_of:
                join(
                    short_i,
                    cluster_of[long_i],
                    f"{mentions[short_i].text!r} is defined as an acronym",
                )
        defined = {mentions[s].text: cluster_of[s] for _, s in analysis.acronyms if s in cluster_of}
        for i, m in enumerate(mentions):
            if i not in cluster_of and labels[i] == "Organization" and m.text in defined:
                join(i, defined[m.text], f"{m.text!r} is an acronym defined earlier")
        self._organisations(mentions, labels, cluster_of, clusters, join, skip=set())
        # 4. Agreements: specific descriptions, then bare "the deal" to the nearest one.
        self._agreements(mentions, labels, cluster_of, clusters, join)
        self._drop_unanchored_names(analysis, mentions, clusters, cluster_of)
        self._across_articles(clusters)
        self._apply_decisions(mentions, clusters, cluster_of)
        return self._build(analysis, mentions, clusters, cluster_of)

    def remember(self, name: str) -> None:
        """Remember a person's full name from an article this run does not resolve again (one
        already in the store), so later surnames alone can take it."""
        if len(name.split()) > 1:
            self.people[surname(name)].add(name)

    def _across_articles(self, clusters: list[_Cluster]) -> None:
        """A surname alone ("Hegseth") takes the full name seen in an earlier article when only
        one person of that surname was seen; full names are remembered for later articles."""
        for cluster in clusters:
            if cluster.kind != "Person" or not cluster.mentions:
                continue
            if len(cluster.name.split()) == 1:
                known = self.people.get(cluster.name, set())
                if len(known) == 1:
                    full = next(iter(known))
                    cluster.reasons.append(f"{cluster.name!r} is {full!r} of an earlier article")
                    cluster.name = full
            else:
                self.people[surname(cluster.name)].add(cluster.name)

    def _apply_decisions(self, mentions, clusters, cluster_of) -> None:  # type: ignore[no-untyped-def]
        """Overrides from the decisions files: merge into an IRI, rename, or reject."""
        for cluster in clusters:
            names = {norm(cluster.name)} | {norm(mentions[i].text) for i in cluster.mentions}
            decision = next(
                (
                    self.decisions[(cluster.kind, n)]
                    for n in sorted(names)
                    if (cluster.kind, n) in self.decisions
                ),
                None,
            )
            if decision is None or not cluster.mentions:
                continue
            because = f"decision for {decision.match!r}" + (
                f": {decision.why}" if decision.why else ""
            )
            if decision.reject:
                for i in cluster.mentions:
                    cluster_of.pop(i, None)
                cluster.mentions = []
                continue
            if decision.same_as:
                concept = self.vocabulary.get(decision.same_as)
                cluster.concept = concept or cluster.concept
                cluster.iri = None if concept else decision.same_as
                cluster.name = concept.label if concept else (decision.name or cluster.name)
            elif decision.name:
                cluster.name = decision.name
            cluster.reasons.append(because)

    def _drop_unanchored_names(self, analysis, mentions, clusters, cluster_of) -> None:  # type: ignore[no-untyped-def]
        """A one-word "person" never given a first name, a title or a verb is most often a place
        or a thing the small model misread ("Luhansk, Zaporizhzhia and Kherson")."""
        text = analysis.article.text
        titled = {r.head for r in analysis.relations if r.type == "holds_role_in"}
        verbs = set(cues()["speech_verbs"])
        honorifics = set(cues()["honorifics"])
        roles = [m for m in mentions if m.label == "Role"]
        for cluster in clusters:
            if cluster.kind != "Person" or len(cluster.name.split()) > 1:
                continue
            anchored = False
            for i in cluster.mentions:
                m = mentions[i]
                after = text[m.end : m.end + 30].lower().split()
                before = text[max(0, m.start - 15) : m.start].lower().split()
                if (
                    i in titled
                    or (after and after[0].strip(",.") in verbs)
                    or (before and before[-1] in honorifics)
                    or any(0 <= m.start - r.end <= 2 for r in roles)
                ):
                    anchored = True
            if not anchored:
                for i in cluster.mentions:
                    cluster_of.pop(i, None)
                cluster.mentions = []

    def _entity_of(self, iri: str) -> Entity:
        """An entity for a vocabulary concept the article names only through another entity."""
        concept = self.vocabulary.concepts[iri]
        return Entity(
            iri,
            concept.label,
            concept.kind,
            (),
            concept.wikidata,
            merged_because=("the country of a government body the article names",),
        )

    def _lookup(self, label: str, text: str) -> Concept | None:
        if label not in {"Organization", "Country"}:
            return None
        return self.by_label.get((label, norm(text)))

    def _relabel(self, mentions: list[Mention]) -> list[str]:
        """Fix the model's confusions between people and organisations by name."""
        labels = [m.label for m in mentions]
        people = [m.text for m in mentions if m.label == "Person" and " " in m.text.strip()]
        surnames = {surname(p) for p in people}
        for i, m in enumerate(mentions):
            if (
                m.label == "Organization"
                and m.concept is None
                and (m.text in surnames or m.text in people)
            ):
                labels[i] = "Person"
        return labels

    def _people(self, mentions, labels, cluster_of, clusters, join) -> None:  # type: ignore[no-untyped-def]
        full: dict[str, _Cluster] = {}
        by_surname: dict[str, _Cluster] = {}
        order = sorted(
            (i for i, lab in enumerate(labels) if lab == "Person" and i not in cluster_of),
            key=lambda i: -len(_clean_person(mentions[i].text).split()),
        )
        for i in order:
            name = _clean_person(mentions[i].text)
            key = norm(name)
            if key in full:
                join(i, full[key])
                continue
            if len(name.split()) == 1 and name in by_surname:
                join(i, by_surname[name], f"{name!r} is the surname of {by_surname[name].name!r}")
                continue
            cluster = _Cluster("Person", name=name)
            clusters.append(cluster)
            full[key] = cluster
            by_surname.setdefault(surname(name), cluster)
            join(i, cluster)

    def _organisations(self, mentions, labels, cluster_of, clusters, join, skip) -> None:  # type: ignore[no-untyped-def]
        by_name: dict[str, _Cluster] = {
            norm(c.name): c for c in clusters if c.kind == "Organization" and c.concept is None
        }
        candidates = (
            i
            for i, lab in enumerate(labels)
            if lab == "Organization" and i not in cluster_of and i not in skip
        )
        for i in sorted(candidates, key=lambda i: -len(mentions[i].text)):
            key = norm(mentions[i].text)
            if key in by_name:
                join(i, by_name[key])
                continue
            text = mentions[i].text.strip()
            for prefix in ("the ", "The "):
                text = text.removeprefix(prefix)
            longer = next(
                (
                    c
                    for k, c in by_name.items()
                    if len(key.split()) >= 2 and k.startswith(key + " ")
                ),
                None,
            )
            if longer is not None:  # "Zangge Mining" for "Zangge Mining Investment"
                join(i, longer, f"{text!r} is the start of {longer.name!r}")
                by_name[key] = longer
                continue
            cluster = _Cluster("Organization", name=text)
            clusters.append(cluster)
            by_name[key] = cluster
            join(i, cluster)

    def _agreements(self, mentions, labels, cluster_of, clusters, join) -> None:  # type: ignore[no-untyped-def]
        """Described agreements grouped by their words; bare references ("the deal", "a new
        partnership") go to the agreement last mentioned, or start one when none came before."""
        described: list[tuple[set[str], _Cluster]] = []
        last: _Cluster | None = None
        for i, lab in enumerate(labels):
            if lab != "Agreement":
                continue
            if i in cluster_of:  # a named agreement of the vocabulary
                last = cluster_of[i]
                continue
            key = norm(mentions[i].text)
            words = {w for w in key.split() if w not in self.descriptors and w != "this"}
            if " ".join(sorted(words)) in self.generic_agreements:
                if last is None:
                    last = _Cluster("Agreement")
                    clusters.append(last)
                    join(i, last)
                else:
                    join(i, last, f"{mentions[i].text!r} refers back to the agreement before it")
                continue
            match = next((c for seen, c in described if words <= seen or seen <= words), None)
            if match is None:
                match = _Cluster("Agreement")
                clusters.append(match)
                join(i, match)
            else:
                join(i, match, f"{mentions[i].text!r} describes the same agreement")
            described.append((words, match))
            last = match

    def _build(self, analysis, mentions, clusters, cluster_of) -> Extraction:  # type: ignore[no-untyped-def]
        entities: dict[int, Entity] = {}
        # Agreement names need their parties, which come from the relations.
        parties: dict[int, list[_Cluster]] = defaultdict(list)
        for r in analysis.relations:
            h, t = cluster_of.get(r.head), cluster_of.get(r.tail)
            if h and t and r.type == "party_to" and h.kind == "Country" and h not in parties[id(t)]:
                parties[id(t)].append(h)
        for cluster in clusters:
            if not cluster.mentions:
                continue
            surface = _unique(mentions[i].text for i in sorted(cluster.mentions))
            if cluster.kind == "Agreement" and cluster.concept is None:
                cluster.name = _agreement_name(surface, parties[id(cluster)])
            iri = cluster.iri or (
                cluster.concept.iri if cluster.concept else entity_iri(cluster.kind, cluster.name)
            )
            entities[id(cluster)] = Entity(
                id=iri,
                name=cluster.name,
                type=cluster.kind,
                mentions=tuple(surface),
                wikidata=cluster.concept.wikidata if cluster.concept else None,
                merged_because=tuple(_unique(cluster.reasons)),
            )
        relations: dict[tuple[str, str, str], Relation] = {}
        roles: dict[str, list[str]] = defaultdict(list)
        for r in analysis.relations:
            h, t = cluster_of.get(r.head), cluster_of.get(r.tail)
            if not h or not t or h is t:
                continue
            head, tail = entities[id(h)].id, entities[id(t)].id
            if r.type == "restricts_export_of" and h.concept is not None and h.concept.country:
                # "China's commerce ministry banned exports": the country restricts.
                head = h.concept.country
                entities.setdefault(id(self.vocabulary.get(head)), self._entity_of(head))
            if r.type in SYMMETRIC_RELATIONS and tail < head:
                head, tail = tail, head
            key = (head, r.type, tail)
            evidence = analysis.article.text[r.evidence_start : r.evidence_end]
            said_by = entities.get(id(cluster_of.get(r.source))) if r.source is not None else None
            rel = Relation(
                head,
                r.type,
                tail,
                r.confidence,
                evidence,
                r.evidence_start,
                r.evidence_end,
                r.status,
                r.role,
                said_by.id if said_by is not None else None,
            )
            if key not in relations or relations[key].confidence < rel.confidence:
                relations[key] = rel
            if r.role and r.type == "holds_role_in":
                roles[head].append(r.role)
        quantities = []
        for q in analysis.quantities:
            subject = cluster_of.get(q.subject)
            if subject is None:
                continue
            mineral = cluster_of.get(q.mineral) if q.mineral is not None else None
            quantities.append(
                Quantity(
                    subject=entities[id(subject)].id,
                    value=q.value,
                    unit=q.unit,
                    what=q.what,
                    evidence=analysis.article.text[q.evidence_start : q.evidence_end].strip(),
                    start=q.evidence_start,
                    end=q.evidence_end,
                    normalized=q.normalized,
                    mineral=entities[id(mineral)].id if mineral else None,
                    maximum=q.maximum,
                    share=q.share,
                )
            )
        published = analysis.article.published
        article_date = published.isoformat() if published else None
        stated = list(relations.values())
        final = []
        for cluster_key, e in entities.items():
            role = "; ".join(_unique(roles.get(e.id, []))) or None
            details = e.details
            if e.type == "Agreement":
                kind = self._agreement_type(mentions, clusters, cluster_key)
                details = agreement_details(e, stated, kind, article_date)
            final.append(
                Entity(
                    e.id, e.name, e.type, e.mentions, e.wikidata, role, e.merged_because, details
                )
            )
        actors = {e.id: e.name for e in final if e.type in {"Country", "Organization", "Person"}}
        dates = [m for m in mentions if m.label == "Date"]
        return Extraction(
            article=analysis.article,
            entities=tuple(_merge_same_iri(final)),
            relations=tuple(stated),
            quantities=tuple(quantities),
            model=analysis.model,
            warnings=analysis.warnings,
            events=tuple(events(analysis.article.text, stated, actors, dates, article_date)),
        )

    def _agreement_type(self, mentions, clusters, key) -> str | None:  # type: ignore[no-untyped-def]
        """The kind of agreement its mentions name ("framework agreement", "memorandum of
        understanding"), from the vocabulary of agreement types."""
        cluster = next((c for c in clusters if id(c) == key), None)
        for i in cluster.mentions if cluster else []:
            concept = self.vocabulary.get(mentions[i].concept)
            if concept is not None and concept.kind == "AgreementType":
                return concept.label
        return None


def _clean_person(text: str) -> str:
    text = text.strip().removesuffix("'s").removesuffix("’s").strip()
    for h in _HONORIFICS:
        text = text.removeprefix(h)
    return text


def _unique(items) -> list[str]:  # type: ignore[no-untyped-def]
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


def _short_country(concept: Concept | None, name: str) -> str:
    if concept is None:
        return name
    short = [a for a in concept.alt_labels if a.isupper() and 2 <= len(a) <= 4 and "." not in a]
    return (
        min(short, key=len)
        if short and concept.iso3 in {"USA", "GBR", "ARE", "COD"}
        else concept.label
    )


def _agreement_name(surface: list[str], parties: list[_Cluster]) -> str:
    longest = max(surface, key=lambda s: (len(s.split()), len(s)))
    text = " ".join(longest.split())
    for prefix in ("the ", "a ", "an ", "The ", "A ", "An "):
        text = text.removeprefix(prefix)
    lowered = text.lower()
    inside = [
        p
        for p in parties
        if p.concept and any(f.lower() in lowered for f, _ in p.concept.surface_forms())
    ]
    outside = [p for p in parties if p not in inside]
    if outside and len(parties) >= 2 and not inside:
        names = "–".join(_short_country(p.concept, p.name) for p in parties[:3])
        return f"{names} {text}"
    return text


def _merge_same_iri(entities: list[Entity]) -> list[Entity]:
    """Two clusters that ended with one IRI (e.g. an acronym and its vocabulary name) are one."""
    merged: dict[str, Entity] = {}
    for e in entities:
        if e.id in merged:
            old = merged[e.id]
            merged[e.id] = Entity(
                old.id,
                old.name,
                old.type,
                tuple(_unique(old.mentions + e.mentions)),
                old.wikidata,
                old.role or e.role,
                tuple(_unique(old.merged_because + e.merged_because + ("same identifier",))),
                old.details or e.details,
            )
        else:
            merged[e.id] = e
    return list(merged.values())
