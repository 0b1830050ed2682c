"""Resolve: canonical entities with stable IRIs, in an article and across articles.

Vocabulary concepts keep their own IRIs (ISO 3166 codes for countries, Wikidata-linked concepts for
minerals and organisations); other entities get a deterministic IRI from their canonical name, so
the same person or organisation has the same IRI in every article.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.records import Analysis, Extraction
from kg.resolve._decisions import Decision, load_decisions
from kg.resolve._document import DocumentResolver
from kg.resolve._names import BASE, entity_iri, norm, slug, surname
from kg.resolve._output import PostLookup
from kg.vocab import Vocabulary, load_vocabulary

__all__ = [
    "BASE",
    "Decision",
    "DocumentResolver",
    "PostLookup",
    "entity_iri",
    "load_decisions",
    "norm",
    "resolve",
    "slug",
    "surname",
]


def resolve(
    analyses: Iterable[Analysis],
    vocabulary: Vocabulary | None = None,
    decisions: Iterable[str | Path] = (),
    posts: PostLookup | None = None,
) -> Iterator[Extraction]:
    """Canonical :class:`~kg.records.Extraction` records for each analysis, in order.

    ``decisions`` are extra decision files (JSON lines, see ``ontology/resolution``) read after
    the shipped one. People named by surname alone take the full name seen in an earlier article
    of the same run. ``posts`` is an officials vocabulary (see :data:`PostLookup`): a person with
    a title the text ties to no country or organisation takes the post it returns.
    """
    resolver = DocumentResolver(
        vocabulary or load_vocabulary(), load_decisions(decisions), posts=posts
    )
    for analysis in analyses:
        yield resolver.resolve(analysis)
