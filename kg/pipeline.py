"""The pipeline: ingest → extract → resolve → rdf → store, and the demo on the sample corpus.

Plain functions the command line (and notebooks) call; progress and warnings go through
callbacks so that nothing here prints. Articles stream through in bounded batches, so memory
stays flat however many there are; ``workers`` > 1 analyses them in forked worker processes
(:mod:`kg.workers`) and commits the results here, in input order.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import __version__
from kg._syndication import BuildSyndication
from kg.errors import InputError
from kg.extract import Extractor
from kg.ingest import Skip, read_articles
from kg.officials import load_officials
from kg.posts import PostFinder
from kg.rdf import CM, article_graph, article_hash, extraction_quads, ontology_quads
from kg.rdf.mapping import ONTOLOGY_GRAPH
from kg.records import Analysis, Article, Extraction
from kg.resolve import DocumentResolver, load_decisions
from kg.store import GraphStore, RemoteStore, load_query
from kg.store._background import BackgroundWriter
from kg.store._facts import MODEL as FACTS_MODEL
from kg.vocab import load_vocabulary
from kg.workers import analyse

SOFTWARE = f"kg {__version__}"
Warn = Callable[[str], None]
Progress = Callable[[int], None]
#: Skip reasons that are not an input record (so not part of a progress total).
_NOT_RECORDS = {"no such file", "no input files"}
#: Articles written between two flushes of the store: a checkpoint on disk, and RocksDB's write
#: buffers emptied, so memory stays flat however many articles a build writes.
FLUSH_EVERY = 100
#: New articles bulk-loaded together (see :meth:`kg.store.GraphStore.replace_graphs`): a crash
#: loses at most this many, which the next build writes again. 64 measured 3.6× as fast as one
#: transaction per article and 128 a quarter less CPU again; smaller groups lose most of that.
WRITE_GROUP = 128


def _quiet(message: str) -> None:
    """Discard a warning (the default when the caller gives no callback)."""


@dataclass
class RunReport:
    """What a run did: the summary printed at the end of ``kg extract`` and ``kg build``.

    >>> r = RunReport(extracted=2, words=1000, seconds=0.5)
    >>> r.skipped.append(Skip("a.txt: empty file, skipped", "empty"))
    >>> r.inputs.update({"pages": 2, "text files": 1})
    >>> print(r.summary())
    2 articles, 1 skipped (1 empty); read 2 pages, 1 text files; 0 entities, 0 relations,
    0 quantities in 0.5 s (2,000 words/s)
    """

    extracted: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Quiet skips (:class:`~kg.ingest.Skip`), counted by reason and not kept.
    quiet_skips: Counter[str] = field(default_factory=Counter)
    #: Input records read, by kind (:data:`kg.ingest.RECORD_NAMES`), skipped ones included.
    inputs: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    quantities: int = 0
    triples: int = 0
    words: int = 0
    seconds: float = 0.0

    @property
    def articles(self) -> int:
        """Articles in the result."""
        return self.extracted

    def record(self, extraction: Extraction, triples: int = 0) -> None:
        """Count one extracted article."""
        self.extracted += 1
        self.words += len(extraction.article.text.split())
        self.entities.update(e.type for e in extraction.entities)
        self.relations.update(r.type for r in extraction.relations)
        self.quantities += len(extraction.quantities)
        self.triples += triples

    def skip_reasons(self) -> Counter[str]:
        """How many inputs were skipped, by reason."""
        return Counter(getattr(s, "reason", "other") for s in self.skipped) + self.quiet_skips

    def _head(self) -> str:
        return f"{self.articles} articles"

    def summary(self) -> str:
        """One line: articles, skipped with reasons, entities, relations, triples, time."""
        counted = self.skip_reasons()
        reasons = ", ".join(f"{n:,} {why}" for why, n in sorted(counted.items()))
        skipped = f"{sum(counted.values()):,} skipped" + (f" ({reasons})" if reasons else "")
        made = (
            f"{sum(self.entities.values())} entities, {sum(self.relations.values())} relations, "
            f"{self.quantities} quantities"
        )
        if self.triples:
            made += f", {self.triples} triples written"
        rate = f" ({self.words / self.seconds:,.0f} words/s)" if self.seconds > 0 else ""
        read = f"read {self.reading()}; " if self.inputs else ""
        return f"{self._head()}, {skipped}; {read}{made} in {self.seconds:.1f} s{rate}"

    def reading(self) -> str:
        """What was read so far, by kind: ``3 pages, 40 feed entries, 900 WARC records``."""
        return ", ".join(f"{n:,} {kind}" for kind, n in self.inputs.items())


@dataclass
class BuildReport(RunReport):
    """What a build did: articles added, replaced or unchanged, and the rest of a run report."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    #: Articles written as syndicated copies of a story seen before (``schema:isBasedOn``).
    copies: int = 0

    @property
    def articles(self) -> int:
        """Articles now in the store from this input."""
        return self.added + self.replaced + self.unchanged

    def _head(self) -> str:
        copies = f", {self.copies} copies of stories seen before" if self.copies else ""
        return (
            f"{self.articles} articles ({self.added} added, {self.replaced} replaced, "
            f"{self.unchanged} unchanged{copies})"
        )


def _collect(warn: Warn, report: RunReport, progress: Progress | None) -> Warn:
    """A ``warn`` that also files skipped inputs in ``report`` and counts them as progress.

    Quiet skips (a crawl's request records, its pages in other languages) are counted, not
    passed on to ``warn``.
    """

    def both(message: str) -> None:
        if isinstance(message, Skip):
            if progress and message.reason not in _NOT_RECORDS:
                progress(1)
            if message.quiet:  # only counted: a crawl has millions
                report.quiet_skips[message.reason] += 1
                return
            report.skipped.append(message)
        else:
            report.warnings.append(message)
        warn(message)

    return both


def new_resolver(decisions: Iterable[str | Path] = ()) -> DocumentResolver:
    """The resolver of one run, as :func:`kg.resolve.resolve` makes it, reading the shipped
    resolution decisions and then the ``decisions`` files.

    It remembers people's full names across the articles of the run, so articles must reach it
    in input order, and articles a build skips as unchanged are told to it (:func:`remember`).

    >>> dict(new_resolver().people)
    {}
    """
    vocabulary = load_vocabulary()
    return DocumentResolver(
        vocabulary, load_decisions(decisions), posts=PostFinder(load_officials(), vocabulary)
    )


def remember(resolver: DocumentResolver, store: GraphStore | RemoteStore, graph: str) -> None:
    """Tell ``resolver`` the full names of the people in an article graph already stored.

    A build that skips an unchanged article still lets later articles take a full name from
    it, as a build of everything would ("Wright" after an article naming "Chris Wright").

    >>> store = GraphStore(None)
    >>> g, p = ox.NamedNode("urn:g"), ox.NamedNode("urn:p")
    >>> label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    >>> rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    >>> person = ox.NamedNode("http://xmlns.com/foaf/0.1/Person")
    >>> store.raw.extend([ox.Quad(p, rdf_type, person, g),
    ...                   ox.Quad(p, label, ox.Literal("Chris Wright", language="en"), g)])
    >>> resolver = new_resolver()
    >>> remember(resolver, store, "urn:g")
    >>> dict(resolver.people)
    {'Wright': {'Chris Wright'}}
    """
    for row in store.select(load_query("_article_people"), {"g": graph}):
        resolver.remember(str(row["name"]))


def extract(
    paths: Iterable[str | Path],
    *,
    extractor: Extractor | None = None,
    warn: Warn = _quiet,
    workers: int = 1,
    progress: Progress | None = None,
    report: RunReport | None = None,
    decisions: Iterable[str | Path] = (),
) -> Iterator[Extraction]:
    """Extract and resolve every article under ``paths``, in input order.

    ``report``, when given, is filled in as the articles go by. Raises
    :class:`~kg.errors.InputError` when no usable article was found at all.
    """
    extractor = extractor or Extractor()
    report = report if report is not None else RunReport()
    started = time.perf_counter()
    note = _collect(warn, report, progress)
    resolver = new_resolver(decisions)
    for analysis in analyse(read_articles(paths, note, report.inputs), extractor, workers):
        assert isinstance(analysis, Analysis)
        extraction = resolver.resolve(analysis)
        for message in extraction.warnings:
            note(message)
        report.record(extraction)
        report.seconds = time.perf_counter() - started
        if progress:
            progress(1)
        yield extraction
    report.seconds = time.perf_counter() - started
    if report.extracted == 0:
        raise InputError("no usable article in the given input")


def ensure_ontology(store: GraphStore | RemoteStore) -> None:
    """Load the ontology and vocabularies into their graph unless the same version is there.

    Its digest also names the model of the default graph (:mod:`kg.store._facts`): a store
    written by a kg with another model has its default graph made again first, so a crash in
    between leaves the digest unwritten and both are done again next time.
    """
    quads = ontology_quads()
    text = "\n".join([FACTS_MODEL, *sorted(str(q) for q in quads)])
    digest = hashlib.sha256(text.encode()).hexdigest()
    if store.graph_value(ONTOLOGY_GRAPH, str(CM.contentHash)) == digest:
        return
    store.rebuild_default_graph()
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    quads.append(ox.Quad(graph, ox.NamedNode(str(CM.contentHash)), ox.Literal(digest), graph))
    store.replace_graph(ONTOLOGY_GRAPH, quads)


def build(
    paths: Iterable[str | Path],
    store: GraphStore | RemoteStore,
    *,
    extractor: Extractor | None = None,
    warn: Warn = _quiet,
    progress: Progress | None = None,
    workers: int = 1,
    decisions: Iterable[str | Path] = (),
    report: BuildReport | None = None,
) -> BuildReport:
    """Extract, resolve, map and load articles, in input order.

    A writer thread (:mod:`kg.store._background`) writes the graphs while the next articles are
    analysed, :data:`WRITE_GROUP` at a time: new graphs through the bulk loader with their
    content hashes written last, changed ones replaced whole in one transaction each. The build
    returns once every graph is written and flushed.

    An article whose text, metadata, software and model are unchanged is not extracted again.
    ``store`` is a :class:`~kg.store.GraphStore` or anything with its
    ``graph_value``/``replace_graphs``/``flush`` (a remote store). A build killed at any point
    and run again gives the store a clean build gives: an article counts as written once its
    content hash is, so one cut short is written again whole, and one already written is skipped.
    """
    extractor = extractor or Extractor()
    report = report if report is not None else BuildReport()
    started = time.perf_counter()
    ensure_ontology(store)
    digest_of = str(CM.contentHash)
    # Articles to extract → (whether the store had an earlier version, the new content hash).
    existed: dict[str, tuple[bool, str]] = {}

    syndication = BuildSyndication(store)

    def to_extract(articles: Iterable[Article]) -> Iterator[Article | _Unchanged]:
        for article in articles:
            graph = article_graph(article).value
            stored = writer.pending_value(graph, digest_of) or store.graph_value(graph, digest_of)
            digest = article_hash(article, SOFTWARE, extractor.model)
            if stored == digest:
                yield _Unchanged(graph)  # in its place, for the resolver's memory
                continue
            existed[article.id] = (stored is not None, digest)
            syndication.settle(writer.is_pending)
            report.copies += syndication.check(article) is not None
            yield article

    resolver = new_resolver(decisions)
    articles = to_extract(read_articles(paths, _collect(warn, report, progress), report.inputs))
    with BackgroundWriter(store, flush_every=FLUSH_EVERY, group=WRITE_GROUP) as writer:
        for item in analyse(articles, extractor, workers):
            if isinstance(item, _Unchanged):
                if not writer.is_pending(item.graph):  # else this run has resolved it already
                    remember(resolver, store, item.graph)
                report.unchanged += 1
            else:
                extraction = resolve_one(resolver, item, report, warn)
                # One entry per article: ingest skips a second article with the same id.
                known, digest = existed.pop(extraction.article.id)
                extra = syndication.quads(extraction.article)
                quads = partial(graph_quads, extraction, extra)  # made by the writer
                writer.put(article_graph(extraction.article).value, quads, {digest_of: digest})
                syndication.written(extraction.article)
                report.replaced += known
                report.added += not known
                report.record(extraction)
            report.seconds = time.perf_counter() - started
            if progress:
                progress(1)
    report.triples = writer.written
    report.seconds = time.perf_counter() - started
    if report.articles == 0:
        raise InputError("no usable article in the given input")
    return report


def graph_quads(extraction: Extraction, extra: list[ox.Quad]) -> list[ox.Quad]:
    """The quads of an article's graph: its extraction's, then ``extra`` (syndication)."""
    quads = extraction_quads(extraction, SOFTWARE)
    quads.extend(extra)
    return quads


def resolve_one(
    resolver: DocumentResolver, analysis: Analysis, report: RunReport, warn: Warn
) -> Extraction:
    """Resolve one analysis and report its warnings (the step a build and the distributed
    runner share; the caller maps the extraction to quads, records and writes them)."""
    extraction = resolver.resolve(analysis)
    for message in extraction.warnings:
        report.warnings.append(message)
        warn(message)
    return extraction


@dataclass(frozen=True)
class _Unchanged:
    """An article already in the store as it is: its named graph."""

    graph: str


def extraction_lines(extractions: Iterable[Extraction]) -> Iterator[dict[str, Any]]:
    """The ``kg extract`` JSON objects."""
    for extraction in extractions:
        yield extraction.to_json()
