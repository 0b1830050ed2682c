"""Frozen records passed between the stages of the pipeline.

``ingest`` yields :class:`Article`; ``extract`` turns each into an :class:`Analysis` (mentions and
mention-level relations, still tied to character offsets); ``resolve`` groups mentions into
canonical :class:`Entity` records and yields an :class:`Extraction`, which ``rdf`` maps to triples.
No spaCy object crosses a stage boundary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

ENTITY_TYPES = ("Person", "Organization", "Country", "Mineral", "Agreement")

RELATION_TYPES = (
    "holds_role_in",
    "member_of",
    "meets_with",
    "party_to",
    "produces",
    "has_reserves_of",
    "exports",
    "imports",
    "restricts_export_of",
    "invests_in",
    "depends_on",
    "cooperates_with",
    "dominates_supply_of",
)
SYMMETRIC_RELATIONS = frozenset({"meets_with", "cooperates_with"})


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, cleaned and ready for extraction."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    source: str | None = None
    #: Character spans of ``text`` that are not the article's own statements (teaser lines such as
    #: "Read more: …", page furniture such as "Leave a Comment"); no facts are taken from them.
    excluded: tuple[tuple[int, int], ...] = ()
    #: The teaser lines themselves: links to other stories.
    teasers: tuple[str, ...] = ()
    #: The byline and the publishing site's name, as the page or feed gives them.
    author: str | None = None
    site: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of the article text naming something.

    ``label`` is one of :data:`ENTITY_TYPES` (or ``Role``); ``concept`` is the IRI of a vocabulary
    concept when a rule matched one.
    """

    text: str
    start: int
    end: int
    label: str
    concept: str | None = None
    sentence: int = 0


@dataclass(frozen=True, slots=True)
class MentionRelation:
    """A relation between two mentions (indexes into :attr:`Analysis.mentions`)."""

    head: int
    type: str
    tail: int
    confidence: float
    evidence_start: int
    evidence_end: int
    status: str = "asserted"
    role: str | None = None
    #: The mention of the news agency or source the sentence attributes the statement to.
    source: int | None = None


@dataclass(frozen=True, slots=True)
class MentionQuantity:
    """A number the article states, with its unit, about the subject mention."""

    subject: int
    value: str
    unit: str | None
    what: str
    evidence_start: int
    evidence_end: int
    normalized: float | None = None
    mineral: int | None = None
    maximum: float | None = None
    share: float | None = None


@dataclass(frozen=True, slots=True)
class Post:
    """A post an officials vocabulary says a person held on a date.

    What a lookup ``(title, name, date) -> Post | None`` returns for "Prime Minister" +
    "Albanese" + 2025-10-21 (see :data:`kg.resolve.PostLookup`): the person's full name and
    Wikidata id, and the country or organisation whose post it is.
    """

    #: The holder's canonical full name ("Anthony Albanese").
    person: str
    #: IRI of the country or organisation of the post (a vocabulary concept, ``…/country/AUS``).
    holder: str
    #: The post's title as the vocabulary writes it ("Prime Minister").
    title: str
    #: The person's Wikidata id, if known.
    wikidata: str | None = None
    #: IRI of the ``org:Post``, if the vocabulary mints one.
    post: str | None = None


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the extractor found in one article, before resolution."""

    article: Article
    mentions: tuple[Mention, ...]
    relations: tuple[MentionRelation, ...] = ()
    quantities: tuple[MentionQuantity, ...] = ()
    #: Sentence boundaries as (start, end) character offsets.
    sentences: tuple[tuple[int, int], ...] = ()
    #: Acronyms defined in the text: (long-form mention, acronym mention) index pairs.
    acronyms: tuple[tuple[int, int], ...] = ()
    model: str = ""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world thing named in an article, with a stable IRI."""

    id: str
    name: str
    type: str
    mentions: tuple[str, ...]
    wikidata: str | None = None
    role: str | None = None
    #: Why mentions were merged into this entity (for analysts checking resolution).
    merged_because: tuple[str, ...] = ()
    #: Agreements: ("agreement_type", …), ("duration", "P10Y"), ("status", "signed"), ("date", …).
    details: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Event:
    """A meeting, a signing or an export restriction the article reports."""

    kind: str
    participants: tuple[str, ...]
    evidence: str
    start: int
    end: int
    agreement: str | None = None
    minerals: tuple[str, ...] = ()
    target: str | None = None
    place: str | None = None
    date: str | None = None
    status: str = "asserted"


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed relation between two entities, with the sentence that states it."""

    head: str
    type: str
    tail: str
    confidence: float
    evidence: str
    start: int
    end: int
    status: str = "asserted"
    role: str | None = None
    #: The entity (a news agency, a ministry…) the article attributes the statement to.
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Quantity:
    """A stated quantity about an entity."""

    subject: str
    value: str
    unit: str | None
    what: str
    evidence: str
    start: int
    end: int
    normalized: float | None = None
    mineral: str | None = None
    #: The upper end of a range ("two to three percent"): ``normalized`` is then its lower end.
    maximum: float | None = None
    #: A percentage of a world or global total, as a fraction ("70% of global mining" → 0.7).
    share: float | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    """Canonical entities, relations and quantities of one article: the unit ``rdf`` maps."""

    article: Article
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    model: str = ""
    warnings: tuple[str, ...] = field(default=())
    events: tuple[Event, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The ``kg extract`` line for this article (see DESIGN.md).

        >>> art = Article(id="a1", text="Pakistan exports copper.")
        >>> ent = Entity(id="urn:x:pak", name="Pakistan", type="Country", mentions=("Pakistan",))
        >>> Extraction(article=art, entities=(ent,)).to_json()["entities"][0]["name"]
        'Pakistan'
        """
        return {
            "id": self.article.id,
            "title": self.article.title,
            "url": self.article.url,
            "published": self.article.published.isoformat() if self.article.published else None,
            **{
                k: v for k, v in (("author", self.article.author), ("site", self.article.site)) if v
            },
            "entities": [_drop_none(_entity_json(e)) for e in self.entities],
            "relations": [
                _drop_none(
                    {
                        "head": r.head,
                        "type": r.type,
                        "tail": r.tail,
                        "confidence": round(r.confidence, 3),
                        "status": r.status,
                        "role": r.role,
                        "source": r.source,
                        "evidence": r.evidence,
                        "start": r.start,
                        "end": r.end,
                    }
                )
                for r in self.relations
            ],
            "quantities": [
                _drop_none(
                    {
                        "subject": q.subject,
                        "value": q.value,
                        "unit": q.unit,
                        "normalized": q.normalized,
                        "min": q.normalized if q.maximum is not None else None,
                        "max": q.maximum,
                        "share": q.share,
                        "what": q.what,
                        "mineral": q.mineral,
                        "evidence": q.evidence,
                        "start": q.start,
                        "end": q.end,
                    }
                )
                for q in self.quantities
            ],
            "events": [_drop_none(_event_json(e)) for e in self.events],
            "teasers": list(self.article.teasers),
        }


def _entity_json(e: Entity) -> dict[str, Any]:
    return {
        "id": e.id,
        "name": e.name,
        "type": e.type,
        "mentions": list(e.mentions),
        "wikidata": e.wikidata,
        "role": e.role,
        **dict(e.details),
        "merged_because": list(e.merged_because) or None,
    }


def _event_json(e: Event) -> dict[str, Any]:
    return {
        "type": e.kind,
        "participants": list(e.participants),
        "agreement": e.agreement,
        "minerals": list(e.minerals) or None,
        "target": e.target,
        "place": e.place,
        "date": e.date,
        "status": e.status,
        "evidence": e.evidence,
        "start": e.start,
        "end": e.end,
    }


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}
