"""From clusters to the :class:`~kg.records.Extraction` of an article: entities with IRIs and
labels, relations between them, quantities, people's titles and posts, events."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from kg.records import (
    SYMMETRIC_RELATIONS,
    Analysis,
    Entity,
    Extraction,
    Mention,
    MentionQuantity,
    MentionRelation,
    Post,
    Quantity,
    Relation,
)
from kg.resolve._agreements import AgreementInfo
from kg.resolve._clusters import Cluster
from kg.resolve._events import agreement_details, events
from kg.resolve._names import entity_iri
from kg.vocab import Concept, Vocabulary

if TYPE_CHECKING:
    from kg.resolve._document import DocumentResolver

#: An officials vocabulary: ``(title as written, person's name, article date) -> Post | None``.
PostLookup = Callable[[str, str, dt.date | None], Post | None]
#: Mention-level relation of a person to a title nothing in the text ties to a holder.
HAS_TITLE = "has_title"


def build(
    resolver: DocumentResolver,
    analysis: Analysis,
    mentions: list[Mention],
    clusters: list[Cluster],
    cluster_of: dict[int, Cluster],
    infos: dict[int, AgreementInfo],
) -> Extraction:
    """The extraction of one article from its resolved clusters."""
    vocabulary = resolver.vocabulary
    article = analysis.article
    published = article.published
    month = published.strftime("%Y-%m") if published else None
    titles = _titles(analysis.relations, cluster_of)
    posts = _posts(resolver.posts, titles, analysis.relations, cluster_of, published)
    parties: dict[int, list[Cluster]] = defaultdict(list)
    for r in analysis.relations:
        h, t = cluster_of.get(r.head), cluster_of.get(r.tail)
        if h is None or t is None or r.type != "party_to" or r.status == "negated":
            continue
        if h.kind in {"Country", "Organization"} and h not in parties[id(t)]:
            parties[id(t)].append(h)
    entities: dict[int, Entity] = {}
    kinds: dict[int, str | None] = {}
    for cluster in clusters:
        if not cluster.mentions:
            continue
        surface = _unique(
            [*(mentions[i].text for i in sorted(cluster.mentions)), *cluster.surfaces]
        )
        wikidata = cluster.concept.wikidata if cluster.concept else None
        if cluster.kind == "Agreement":
            kinds[id(cluster)] = _agreement_type(vocabulary, mentions, cluster)
            info = infos.get(id(cluster), AgreementInfo())
            name, iri = resolver.agreements.label(
                cluster, info, parties[id(cluster)], kinds[id(cluster)], article.id, month
            )
            if cluster.fixed:  # a decision named it
                name, iri = cluster.name, entity_iri("Agreement", cluster.name)
            cluster.name, iri = name, cluster.iri or iri
        else:
            post = posts.get(id(cluster))
            if post is not None:
                cluster.reasons.append(f"{cluster.name!r} held the post of {post.title!r}")
                cluster.name, wikidata = post.person, post.wikidata or wikidata
            iri = cluster.iri or (
                cluster.concept.iri if cluster.concept else entity_iri(cluster.kind, cluster.name)
            )
        entities[id(cluster)] = Entity(
            id=iri,
            name=cluster.name,
            type=cluster.kind,
            mentions=tuple(surface),
            wikidata=wikidata,
            merged_because=tuple(_unique(cluster.reasons)),
        )
    relations: dict[tuple[str, str, str], Relation] = {}
    roles: dict[str, list[str]] = defaultdict(list)

    def state(rel: Relation) -> None:
        key = (rel.head, rel.type, rel.tail)
        if key not in relations or relations[key].confidence < rel.confidence:
            relations[key] = rel

    for r in analysis.relations:
        h, t = cluster_of.get(r.head), cluster_of.get(r.tail)
        if r.type == HAS_TITLE and h is not None and r.role:
            roles[entities[id(h)].id].append(r.role)
        if not h or not t or h is t or r.type == HAS_TITLE:
            continue
        head, tail = entities[id(h)].id, entities[id(t)].id
        if r.type == "restricts_export_of" and h.concept is not None and h.concept.country:
            # "China's commerce ministry banned exports": the country restricts.
            head = h.concept.country
            _add_concept(entities, vocabulary, head)
        if r.type in SYMMETRIC_RELATIONS and tail < head:
            head, tail = tail, head
        evidence = article.text[r.evidence_start : r.evidence_end]
        said_by = entities.get(id(cluster_of.get(r.source))) if r.source is not None else None
        state(
            Relation(
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
        )
        if r.role and r.type == "holds_role_in":
            roles[head].append(r.role)
    for key, post in posts.items():
        if key not in titles:
            continue  # the text named the holder: its holds_role_in is stated already
        person = entities[key].id
        _add_concept(entities, vocabulary, post.holder)
        start, end, title = titles[key][0]
        evidence = article.text[start:end]
        state(Relation(person, "holds_role_in", post.holder, 0.9, evidence, start, end, role=title))
    quantities = [
        _quantity(q, article.text, cluster_of, entities)
        for q in analysis.quantities
        if q.subject in cluster_of
    ]
    article_date = published.isoformat() if published else None
    stated = list(relations.values())
    final = []
    for key, e in entities.items():
        role = "; ".join(_unique(roles.get(e.id, []))) or None
        details = e.details
        if e.type == "Agreement":
            details = agreement_details(e, stated, kinds.get(key), article_date)
        final.append(
            Entity(e.id, e.name, e.type, e.mentions, e.wikidata, role, e.merged_because, details)
        )
    actors = {e.id: e.name for e in final if e.type in {"Country", "Organization", "Person"}}
    dates = [m for m in mentions if m.label == "Date"]
    return Extraction(
        article=article,
        entities=tuple(_merge_same_iri(final)),
        relations=tuple(stated),
        quantities=tuple(quantities),
        model=analysis.model,
        warnings=analysis.warnings,
        events=tuple(events(article.text, stated, actors, dates, article_date)),
    )


def _titles(
    relations: Iterable[MentionRelation], cluster_of: dict[int, Cluster]
) -> dict[int, list[tuple[int, int, str]]]:
    """Titles nothing in the text ties to a holder, by person cluster: (start, end, title)."""
    found: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for r in relations:
        person = cluster_of.get(r.head)
        if r.type == HAS_TITLE and person is not None and person.kind == "Person" and r.role:
            found[id(person)].append((r.evidence_start, r.evidence_end, r.role))
    return found


def _posts(
    lookup: PostLookup | None,
    titles: dict[int, list[tuple[int, int, str]]],
    relations: Iterable[MentionRelation],
    cluster_of: dict[int, Cluster],
    published: dt.date | None,
) -> dict[int, Post]:
    """The post an officials vocabulary gives each titled person: for one whose holder the text
    does not name, the post of the title held on the article's date; for one whose holder it
    names ("Pakistan's Finance Minister Aurangzeb"), only a post of that holder (which brings the
    person's full name and Wikidata id; the text wins where the two differ)."""
    if lookup is None:
        return {}
    said: dict[int, set[str]] = defaultdict(set)
    held: dict[int, list[str]] = defaultdict(list)
    for r in relations:
        person, holder = cluster_of.get(r.head), cluster_of.get(r.tail)
        if r.type != "holds_role_in" or person is None or holder is None:
            continue
        if holder.concept is not None:
            said[id(person)].add(holder.concept.iri)
        if r.role:
            held[id(person)].append(r.role)
    by_id = {id(c): c for c in cluster_of.values()}
    found: dict[int, Post] = {}
    for key, titled in titles.items():
        if key in said:
            continue
        for _, _, title in titled:
            post = lookup(title, by_id[key].name, published)
            if post is not None:
                found[key] = post
                break
    for key, roles in held.items():
        for title in roles:
            post = lookup(title, by_id[key].name, published)
            if post is not None and post.holder in said.get(key, ()):
                found[key] = post
                break
    return found


def _add_concept(entities: dict[int, Entity], vocabulary: Vocabulary, iri: str) -> None:
    """An entity for a vocabulary concept the article names only through another entity (the
    country of a ministry) or not at all (the country of an official's post)."""
    concept = vocabulary.get(iri)
    if concept is None or any(e.id == iri for e in entities.values()):
        return
    entities[id(concept)] = Entity(
        iri,
        concept.label,
        concept.kind,
        (),
        concept.wikidata,
        merged_because=("the country or organisation of an entity the article names",),
    )


def _quantity(
    q: MentionQuantity, text: str, cluster_of: dict[int, Cluster], entities: dict[int, Entity]
) -> Quantity:
    mineral = cluster_of.get(q.mineral) if q.mineral is not None else None
    return Quantity(
        subject=entities[id(cluster_of[q.subject])].id,
        value=q.value,
        unit=q.unit,
        what=q.what,
        evidence=text[q.evidence_start : q.evidence_end].strip(),
        start=q.evidence_start,
        end=q.evidence_end,
        normalized=q.normalized,
        mineral=entities[id(mineral)].id if mineral else None,
        maximum=q.maximum,
        share=q.share,
    )


def _agreement_type(
    vocabulary: Vocabulary, mentions: list[Mention], cluster: Cluster
) -> str | None:
    """The most specific kind of agreement its mentions name ("memorandum of understanding"
    over "agreement"), from the vocabulary of agreement types."""
    found: list[Concept] = []
    for i in cluster.mentions:
        concept = vocabulary.get(mentions[i].concept)
        if concept is not None and concept.kind == "AgreementType":
            found.append(concept)
    if not found:
        return None
    return max(found, key=lambda c: (_depth(vocabulary, c), -found.index(c))).label


def _depth(vocabulary: Vocabulary, concept: Concept) -> int:
    depth = 0
    while concept.broader and depth < 5:
        parent = vocabulary.get(concept.broader[0])
        if parent is None:
            break
        concept, depth = parent, depth + 1
    return depth


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


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
