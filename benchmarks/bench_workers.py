"""``--workers 2`` against one worker and a bare spaCy, and peak memory as the input grows.

Run from the repository root::

    python benchmarks/bench_workers.py [--corpus PATH] [--articles 300] [--repeat 2] [--build]

Each measurement runs in a fresh process (so peak RSS is its own): it loads the model, warms up,
then times ``kg extract`` (or ``kg build`` into a new store with ``--build``), or a bare
``nlp.pipe`` of the full default model in one process, over a corpus of recombined paragraphs
(:mod:`_corpus`): the sample corpus's, and with ``--corpus`` also those of a folder or JSON-lines
file of real news (``--corpus ../shared/eval/dev``). Bare, one- and two-worker runs are
interleaved ``--repeat`` times and the best of each kept; the ratios are the bare run's time
and one worker's over two workers'. Then two-worker runs over 1× and 3× the corpus show that peak
memory does not grow with the input (articles stream through in bounded batches).
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import Source, source, write_corpus


def child(corpus: Path, workers: int, build_store: str | None) -> None:
    """Time one run in this process and print a JSON line of figures (``workers`` 0: bare
    spaCy)."""
    if workers == 0:
        bare_child(corpus)
        return
    from kg.extract import Extractor
    from kg.pipeline import build, extract
    from kg.store import GraphStore

    extractor = Extractor()
    warm = corpus.with_name("warm.jsonl")
    warm.write_text(corpus.read_text("utf-8").split("\n", 3)[0] + "\n", "utf-8")
    list(extract([warm], extractor=extractor))
    started = time.perf_counter()
    if build_store:
        report = build([corpus], GraphStore(build_store), extractor=extractor, workers=workers)
        words = report.words
    else:
        sink = io.StringIO()
        words = 0
        for extraction in extract([corpus], extractor=extractor, workers=workers):
            words += len(extraction.article.text.split())
            sink.write(json.dumps(extraction.to_json(), ensure_ascii=False) + "\n")
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": seconds, "words": words, "rss_kb": own, "worker_rss_kb": kids}))


def bare_child(corpus: Path) -> None:
    """Time a bare ``nlp.pipe`` of the full default model over the corpus's texts."""
    import spacy

    from kg.extract._model import DEFAULT_MODELS

    nlp = spacy.load(next(n for n in DEFAULT_MODELS if spacy.util.is_package(n)))
    texts = [json.loads(line)["text"] for line in corpus.read_text("utf-8").splitlines()]
    for _ in nlp.pipe(texts[:5]):
        pass
    started = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    words = sum(len(text.split()) for text in texts)
    print(json.dumps({"seconds": seconds, "words": words, "rss_kb": own, "worker_rss_kb": 0}))


def measure(corpus: Path, workers: int, build_store: Path | None) -> dict[str, float]:
    args = [sys.executable, __file__, "--child", str(corpus), "--workers", str(workers)]
    if build_store is not None:
        args += ["--store", str(build_store)]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, help="real news: a folder of .txt/.json or a JSONL")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--build", action="store_true", help="time kg build instead of extract")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child), args.workers, args.store)
        return

    work = Path(tempfile.mkdtemp(prefix="kg-bench-workers-"))
    sources: list[Source] = [source()]
    if args.corpus is not None:
        sources.insert(0, source(args.corpus))
    corpora = []
    for number, src in enumerate(sources):
        path = work / f"corpus-{number}.jsonl"
        corpora.append((src, path, write_corpus(path, args.articles, src=src)))
    stores = iter(range(10**6))

    def store() -> Path | None:
        return work / f"store-{next(stores)}" if args.build else None

    runs: dict[tuple[int, int], list[dict[str, float]]] = {}
    for _ in range(args.repeat):
        for number, (_, path, _) in enumerate(corpora):
            for workers in (0, 1, 2):
                figures = measure(path, workers, store() if workers else None)
                runs.setdefault((number, workers), []).append(figures)
    what = "kg build" if args.build else "kg extract"
    print(f"{what}: best of {args.repeat} interleaved runs; load average {_load()}")
    for number, (src, path, words) in enumerate(corpora):
        best = {w: min(runs[(number, w)], key=lambda r: r["seconds"]) for w in (0, 1, 2)}
        print(f"\n{src.name}: {args.articles} articles, {words:,} words")
        print(
            f"  {'workers':>12} {'seconds':>8} {'words/s':>9} {'peak RSS parent':>16} {'worker':>8}"
        )
        for workers, figures in best.items():
            label = "bare spaCy" if workers == 0 else str(workers)
            print(
                f"  {label:>12} {figures['seconds']:8.1f} {words / figures['seconds']:9,.0f} "
                f"{figures['rss_kb'] / 1024:13.0f} MB {figures['worker_rss_kb'] / 1024:5.0f} MB"
            )
        print(
            f"  2 workers over 1: {best[1]['seconds'] / best[2]['seconds']:.2f}x; "
            f"1 worker over bare: {best[0]['seconds'] / best[1]['seconds']:.2f}x; "
            f"2 workers over bare: {best[0]['seconds'] / best[2]['seconds']:.2f}x"
        )
        big = work / f"corpus-{number}-3x.jsonl"
        write_corpus(big, 3 * args.articles, seed=11, src=src)
        small_run, big_run = measure(path, 2, store()), measure(big, 2, store())
        print("  peak RSS with 2 workers as the input grows (parent / largest worker):")
        for label, figures in ((f"{args.articles} articles", small_run), ("3x", big_run)):
            print(
                f"  {label:>14}: {figures['rss_kb'] / 1024:.0f} MB / "
                f"{figures['worker_rss_kb'] / 1024:.0f} MB"
            )
        growth = [big_run[k] / small_run[k] - 1 for k in ("rss_kb", "worker_rss_kb")]
        print(f"  growth at 3x: parent {growth[0]:+.0%}, worker {growth[1]:+.0%}")


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
