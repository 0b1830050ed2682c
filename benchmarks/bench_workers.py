"""``--workers 2`` against one worker, and peak memory as the input grows.

Run from the repository root::

    python benchmarks/bench_workers.py [--articles 300] [--repeat 2] [--build]

Each measurement runs in a fresh process (so peak RSS is its own): it loads the model, warms up,
then times ``kg extract`` (or ``kg build`` into a new store with ``--build``) over the corpus of
recombined sample paragraphs (:mod:`_corpus`). One- and two-worker runs are interleaved
``--repeat`` times and the best of each kept; the ratio is one worker's time over two workers'.
Then two-worker runs over 1× and 3× the corpus show that peak memory does not grow with the
input (articles stream through in bounded batches).
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

from _corpus import write_corpus


def child(corpus: Path, workers: int, build_store: str | None) -> None:
    """Time one run in this process and print a JSON line of figures."""
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


def measure(corpus: Path, workers: int, build_store: Path | None) -> dict[str, float]:
    args = [sys.executable, __file__, "--child", str(corpus), "--workers", str(workers)]
    if build_store is not None:
        args += ["--store", str(build_store)]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
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
    corpus = work / "corpus.jsonl"
    words = write_corpus(corpus, args.articles)
    stores = iter(range(10**6))

    def store() -> Path | None:
        return work / f"store-{next(stores)}" if args.build else None

    runs: dict[int, list[dict[str, float]]] = {1: [], 2: []}
    for _ in range(args.repeat):
        for workers in (1, 2):
            runs[workers].append(measure(corpus, workers, store()))
    best = {w: min(runs[w], key=lambda r: r["seconds"]) for w in runs}
    what = "kg build" if args.build else "kg extract"
    print(f"{what}, corpus: {args.articles} articles, {words:,} words")
    print(f"{'workers':>8} {'seconds':>8} {'words/s':>9} {'peak RSS parent':>16} {'worker':>8}")
    for workers, figures in best.items():
        print(
            f"{workers:>8} {figures['seconds']:8.1f} {words / figures['seconds']:9,.0f} "
            f"{figures['rss_kb'] / 1024:13.0f} MB {figures['worker_rss_kb'] / 1024:5.0f} MB"
        )
    print(f"ratio, 2 workers over 1: {best[1]['seconds'] / best[2]['seconds']:.2f}x")

    big = work / "corpus-3x.jsonl"
    write_corpus(big, 3 * args.articles, seed=11)
    small_run, big_run = measure(corpus, 2, store()), measure(big, 2, store())
    print("peak RSS with 2 workers as the input grows (parent / largest worker):")
    for label, figures in ((f"{args.articles} articles", small_run), ("3x", big_run)):
        print(
            f"  {label:>14}: {figures['rss_kb'] / 1024:.0f} MB / "
            f"{figures['worker_rss_kb'] / 1024:.0f} MB"
        )


if __name__ == "__main__":
    main()
