"""Distributed runs on Dask: shards of articles analysed on workers, written as N-Quads
partitions, then bulk-loaded into the store.

The client (the ``kg distributed`` process) reads the input and sends it, shard by shard, to the
Dask workers; at most two shards per worker are in flight, so its memory stays flat. WARC.gz
files are read on the workers too, in byte ranges (:data:`WARC_RANGE`), two per worker ahead:
the page extraction (trafilatura) would otherwise make the client the bottleneck. Each worker
loads the spaCy pipeline once and runs the analysis (spaCy and the rules, nearly all of the
work) of its shards. The client resolves the results in input order (the resolver remembers
names across the articles of a run, so this is what makes the result the same as ``kg build``'s)
and writes each shard as two files in the output folder, ``part-NNNNN.nq`` (the articles' named
graphs) and ``part-NNNNN.hash.nq`` (their content hashes), each under a temporary name first.

Then the partitions are loaded: into a store without article graphs with Oxigraph's bulk loader,
the hashes last (:meth:`~kg.store.GraphStore.bulk_load_partitions`); otherwise, or into a remote
SPARQL store, one transaction per article graph. Articles already in the store unchanged are not
analysed again, as with ``kg build``; the store ends as ``kg build`` of the same input leaves it.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg._syndication import BuildSyndication
from kg.errors import InputError, UsageError
from kg.ingest import InputPart, count_articles, input_parts, read_part, unique_ids
from kg.pipeline import (
    SOFTWARE,
    BuildReport,
    Progress,
    Warn,
    _collect,
    _quiet,
    ensure_ontology,
    graph_quads,
    new_resolver,
    remember,
    resolve_one,
)
from kg.rdf import CM, article_graph, article_hash
from kg.rdf.mapping import ONTOLOGY_GRAPH
from kg.records import Analysis, Article
from kg.store import GraphStore, RemoteStore, default_quads
from kg.workers import batched

#: Articles per shard when ``shards`` is not given.
SHARD_SIZE = 256
#: WARC.gz files are read on the workers in ranges of this many bytes (about 2,000 pages of a
#: news crawl; a worker finds the first record boundary in its range).
WARC_RANGE = 64 * 2**20
_HASH = str(CM.contentHash)
_LOCK = threading.Lock()  # one extraction at a time per worker process (threads share a model)


@cache
def _extractor(model: str | None, parse: bool = True) -> Any:
    """The worker's extractor, loaded once per process, model and parse setting."""
    from kg.extract import Extractor

    return Extractor(model, parse=parse)


def partition_paths(out_dir: str | Path, index: int) -> tuple[Path, Path]:
    """The data and hash files of partition ``index``.

    >>> [p.name for p in partition_paths("out", 3)]
    ['part-00003.nq', 'part-00003.hash.nq']
    """
    base = Path(out_dir) / f"part-{index:05d}"
    return base.with_suffix(".nq"), base.with_suffix(".hash.nq")


def analyse_shard(
    items: list[tuple[Article, str | None]], model: str | None, parse: bool = True
) -> list[Analysis | None]:
    """On a worker: the analysis of each ``(article, stored content hash)`` of a shard.

    None stands for an article whose stored hash is the one it would get now (unchanged).
    """
    with _LOCK:
        extractor = _extractor(model, parse)
        wanted = [
            stored is None or stored != article_hash(article, SOFTWARE, extractor.model)
            for article, stored in items
        ]
        todo = [article for (article, _), want in zip(items, wanted, strict=True) if want]
        done = iter(list(extractor.analyze(todo)))
    return [next(done) if want else None for want in wanted]


def _write_atomically(path: Path, quads: list[ox.Quad]) -> None:
    temporary = path.with_name(path.name + f".{os.getpid()}.tmp")
    ox.serialize(quads, str(temporary), ox.RdfFormat.N_QUADS)
    os.replace(temporary, path)


@contextlib.contextmanager
def _client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A Dask client: of the scheduler at ``scheduler``, or of a local cluster on loopback."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise UsageError(
            "kg distributed needs Dask: pip install 'kg-minerals[distributed]'"
        ) from None
    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except OSError as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        with client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def run_distributed(
    paths: Iterable[str | Path],
    out_dir: str | Path,
    *,
    store: GraphStore | RemoteStore | None = None,
    scheduler: str | None = None,
    shards: int | None = None,
    workers: int = 2,
    model: str | None = None,
    parse: bool = True,
    warn: Warn = _quiet,
    progress: Progress | None = None,
) -> BuildReport:
    """Extract ``paths`` on a Dask cluster into N-Quads partitions under ``out_dir``, then load
    them into ``store`` (when given).

    ``scheduler`` is the address of a running Dask scheduler (``tcp://host:8786``); without it
    a local cluster of ``workers`` processes is started on 127.0.0.1. ``shards`` is the number
    of partitions (by default one per 256 articles). ``parse`` False skips the dependency
    parse (see :class:`kg.extract.Extractor`).
    """
    paths = list(paths)
    out = Path(out_dir).resolve()
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part-*.nq"):
        old.unlink()
    report = BuildReport()
    started = time.perf_counter()
    size = SHARD_SIZE
    total = count_articles(paths) if shards else None  # None too with WARC files (uncounted)
    if shards and total is not None:
        size = max(1, math.ceil(total / shards))
    fresh = True
    if store is not None:
        ensure_ontology(store)
        fresh = isinstance(store, GraphStore) and not store.has_article_graphs(ONTOLOGY_GRAPH)
    known = 0  # articles with a graph in the store already
    # Nothing is stored before the end, so the run's articles stay in the index (1 KB each).
    syndication = BuildSyndication(store if store is not None and not fresh else None)

    def items(articles: Iterable[Article]) -> Iterator[tuple[Article, str | None]]:
        nonlocal known
        for article in articles:
            stored = None
            if store is not None and not fresh:
                stored = store.graph_value(article_graph(article).value, _HASH)
            known += stored is not None
            syndication.check(article)
            yield article, stored

    resolver = new_resolver()
    parts: list[tuple[Path, Path]] = []

    def commit(index: int, shard: list[tuple[Article, str | None]], results: list[Any]) -> None:
        body: list[ox.Quad] = []
        digests: list[ox.Quad] = []
        for (article, _), analysis in zip(shard, results, strict=True):
            if analysis is None:
                syndication.quads(article)  # unchanged: its stored graph keeps its own
                if store is not None:
                    remember(resolver, store, article_graph(article).value)
                report.unchanged += 1
            else:
                extraction = resolve_one(resolver, analysis, report, warn)
                report.copies += syndication.is_copy(article)
                quads = graph_quads(extraction, syndication.quads(article))
                for quad in quads:
                    (digests if quad.predicate.value == _HASH else body).append(quad)
                # Its facts go with its hash: in the default graph once the article counts.
                digests.extend(default_quads(article_graph(extraction.article), quads))
                report.record(extraction, len(quads))
            if progress:
                progress(1)
        data, hashes = partition_paths(out, index)
        _write_atomically(data, body)
        _write_atomically(hashes, digests)
        parts.append((data, hashes))

    note = _collect(warn, report, progress)
    with _client(scheduler, workers) as client:
        in_flight = 2 * max(1, len(client.scheduler_info().get("workers", {})))
        articles = unique_ids(_read(paths, client, in_flight, note, report.inputs), note)
        pending: deque[tuple[int, list[tuple[Article, str | None]], Any]] = deque()
        for index, shard in enumerate(batched(items(articles), size)):
            pending.append(
                (index, shard, client.submit(analyse_shard, shard, model, parse, pure=False))
            )
            while len(pending) >= in_flight:
                index, shard, future = pending.popleft()
                commit(index, shard, future.result())
        while pending:
            index, shard, future = pending.popleft()
            commit(index, shard, future.result())
    if report.extracted + report.unchanged == 0:
        raise InputError("no usable article in the given input")
    if store is not None:
        _load(store, parts, fresh)
    report.replaced = known - report.unchanged
    report.added = report.extracted - report.replaced
    report.seconds = time.perf_counter() - started
    return report


def ingest_part(part: InputPart) -> tuple[list[Article], list[str], Counter[str]]:
    """On a worker: the articles of one byte range of a WARC.gz file (pages through
    trafilatura, clean-up, language), with the warnings and the record counts of the range."""
    messages: list[str] = []
    counts: Counter[str] = Counter()
    return list(read_part(part, messages.append, counts)), messages, counts


def _read(
    paths: Iterable[str | Path], client: Any, ahead: int, warn: Warn, counts: Counter[str]
) -> Iterator[Article]:
    """The articles of ``paths`` in input order (ids not yet checked): WARC.gz files in ranges
    of :data:`WARC_RANGE` bytes read on the workers, ``ahead`` ranges at a time; other files
    read here."""
    parts = input_parts(paths, warn, split=WARC_RANGE)
    queue: deque[tuple[InputPart, Any]] = deque()

    def fill() -> None:
        while sum(future is not None for _, future in queue) < ahead:
            part = next(parts, None)
            if part is None:
                return
            remote = part.stop is not None
            queue.append((part, client.submit(ingest_part, part, pure=False) if remote else None))

    fill()
    while queue:
        part, future = queue.popleft()
        fill()  # the workers read on while this part is used
        if future is None:
            yield from read_part(part, warn, counts)
            continue
        articles, messages, found = future.result()
        for message in messages:
            warn(message)
        counts.update(found)
        yield from articles


def _load(store: GraphStore | RemoteStore, parts: list[tuple[Path, Path]], fresh: bool) -> None:
    """Partitions into the store: bulk for a fresh embedded store, else a transaction a graph."""
    if fresh and isinstance(store, GraphStore):
        store.bulk_load_partitions(parts)
        return
    for data, hashes in parts:
        graphs: dict[str, list[ox.Quad]] = {}
        for path in (data, hashes):
            for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
                if isinstance(quad.graph_name, ox.NamedNode):  # facts: replace_graph adds them
                    graphs.setdefault(quad.graph_name.value, []).append(quad)
        for graph, quads in graphs.items():
            store.replace_graph(graph, quads)
    store.flush()
