"""The pipeline: ingest → extract → resolve → rdf → store, and the demo on the sample corpus.

Plain functions the command line (and notebooks) call; progress and warnings go through
callbacks so that nothing here prints.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import __version__
from kg.errors import InputError
from kg.extract import Extractor
from kg.ingest import read_articles
from kg.rdf import CM, article_graph, article_hash, extraction_quads, ontology_quads
from kg.rdf.mapping import ONTOLOGY_GRAPH
from kg.records import Article, Extraction
from kg.resolve import resolve
from kg.store import GraphStore

SOFTWARE = f"kg {__version__}"
Warn = Callable[[str], None]
Progress = Callable[[int], None]


def _quiet(message: str) -> None:
    """Discard a warning (the default when the caller gives no callback)."""


def extract(
    paths: Iterable[str | Path], *, extractor: Extractor | None = None, warn: Warn = _quiet
) -> Iterator[Extraction]:
    """Extract and resolve every article under ``paths``.

    Raises :class:`~kg.errors.InputError` when no usable article was found at all.
    """
    extractor = extractor or Extractor()
    count = 0
    articles = read_articles(paths, warn)
    for extraction in resolve(extractor.analyze(articles)):
        count += 1
        for message in extraction.warnings:
            warn(message)
        yield extraction
    if count == 0:
        raise InputError("no usable article in the given input")


@dataclass
class BuildReport:
    """What a build did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    entities: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    quantities: int = 0
    triples: int = 0

    @property
    def articles(self) -> int:
        return self.added + self.replaced + self.unchanged


def ensure_ontology(store: GraphStore) -> None:
    """Load the ontology and vocabularies into their graph unless the same version is there."""
    quads = ontology_quads()
    digest = hashlib.sha256("\n".join(sorted(str(q) for q in quads)).encode()).hexdigest()
    if store.graph_value(ONTOLOGY_GRAPH, str(CM.contentHash)) == digest:
        return
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    quads.append(ox.Quad(graph, ox.NamedNode(str(CM.contentHash)), ox.Literal(digest), graph))
    store.replace_graph(ONTOLOGY_GRAPH, quads)


def build(
    paths: Iterable[str | Path],
    store: GraphStore,
    *,
    extractor: Extractor | None = None,
    warn: Warn = _quiet,
    progress: Progress | None = None,
) -> BuildReport:
    """Extract, resolve, map and load articles; one transaction per article.

    An article whose text, metadata, software and model are unchanged is not extracted again; a
    changed one has its named graph replaced whole.
    """
    extractor = extractor or Extractor()
    report = BuildReport()
    ensure_ontology(store)
    seen = 0

    def pending(articles: Iterable[Article]) -> Iterator[Article]:
        nonlocal seen
        for article in articles:
            seen += 1
            graph = article_graph(article).value
            stored = store.graph_value(graph, str(CM.contentHash))
            if stored == article_hash(article, SOFTWARE, extractor.model):
                report.unchanged += 1
                if progress:
                    progress(1)
                continue
            yield article

    for extraction in resolve(
        extractor.analyze(pending(read_articles(paths, _collect(warn, report))))
    ):
        for message in extraction.warnings:
            warn(message)
        graph = article_graph(extraction.article).value
        existed = store.graph_value(graph, str(CM.contentHash)) is not None
        quads = extraction_quads(extraction, SOFTWARE)
        store.replace_graph(graph, quads)
        report.replaced += existed
        report.added += not existed
        report.triples += len(quads)
        report.entities.update(e.type for e in extraction.entities)
        report.relations.update(r.type for r in extraction.relations)
        report.quantities += len(extraction.quantities)
        if progress:
            progress(1)
    store.flush()
    if seen == 0:
        raise InputError("no usable article in the given input")
    return report


def _collect(warn: Warn, report: BuildReport) -> Warn:
    def both(message: str) -> None:
        report.skipped.append(message)
        warn(message)

    return both


def extraction_lines(extractions: Iterable[Extraction]) -> Iterator[dict[str, Any]]:
    """The ``kg extract`` JSON objects."""
    for extraction in extractions:
        yield extraction.to_json()
