"""Language detectors compared on a small multilingual set: is this text English?

The set is ``benchmarks/data/languages.jsonl`` (headlines and sentences in 19 languages, written
for this project, English ones heavy with foreign names) plus the bundled sample corpus's 24
articles and their 24 headlines (English). For each detector: English kept (recall of English),
other languages rejected, time per text, load time and resident memory added by loading it.

    python benchmarks/bench_language.py
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from kg.resources import sample_corpus

HERE = Path(__file__).parent


def samples() -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in (HERE / "data" / "languages.jsonl").open(encoding="utf-8")]
    found = [(row["lang"], row["text"]) for row in rows]
    for line in sample_corpus().read_text("utf-8").splitlines():
        if line.strip():
            article = json.loads(line)
            found += [("en", article["title"]), ("en", article["text"])]
    return found


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def kg_heuristic() -> Callable[[str], bool]:
    from kg.extract import looks_english

    return looks_english


def py3langid() -> Callable[[str], bool]:
    import py3langid

    return lambda text: py3langid.classify(text)[0] == "en"


def lingua(low: bool) -> Callable[[], Callable[[str], bool]]:
    def load() -> Callable[[str], bool]:
        from lingua import Language, LanguageDetectorBuilder

        builder = LanguageDetectorBuilder.from_all_languages()
        if low:
            builder = builder.with_low_accuracy_mode()
        detector = builder.with_preloaded_language_models().build()
        return lambda text: detector.detect_language_of(text) == Language.ENGLISH

    return load


def kg_detector() -> Callable[[str], bool]:
    from kg.ingest import is_english

    return is_english


DETECTORS: dict[str, Callable[[], Callable[[str], bool]]] = {
    "kg.extract.looks_english (word-list heuristic; load includes spaCy)": kg_heuristic,
    "py3langid 0.4": py3langid,
    "lingua 2.1, all languages, low accuracy": lingua(True),
    "lingua 2.1, all languages, high accuracy": lingua(False),
    "kg.ingest.is_english (what ingest uses)": kg_detector,
}


def main() -> None:
    data = samples()
    english = [t for lang, t in data if lang == "en"]
    other = [(lang, t) for lang, t in data if lang != "en"]
    print(
        f"{len(english)} English texts, {len(other)} in {len({lang for lang, _ in other})} others"
    )
    wanted = sys.argv[1:]
    for name in DETECTORS:  # each in a fresh process, so load time and memory are its own
        if not wanted or any(w in name for w in wanted):
            subprocess.run([sys.executable, __file__, "--one", name], check=True)


def measure(name: str) -> None:
    data = samples()
    english = [t for lang, t in data if lang == "en"]
    other = [(lang, t) for lang, t in data if lang != "en"]
    load = DETECTORS[name]
    if True:
        before = rss_mb()
        started = time.perf_counter()
        detect = load()
        detect("Warm up the detector with a sentence long enough to be judged.")
        loaded = time.perf_counter() - started
        added = rss_mb() - before
        started = time.perf_counter()
        for _ in range(5):
            kept = [detect(t) for t in english]
            rejected = [not detect(t) for _, t in other]
        per_text = (time.perf_counter() - started) / 5 / len(data)
        missed = [t[:50] for t, k in zip(english, kept, strict=True) if not k]
        passed = [lang for (lang, _), r in zip(other, rejected, strict=True) if not r]
        print(
            f"{name}: English kept {sum(kept)}/{len(english)}, others rejected "
            f"{sum(rejected)}/{len(other)}; {per_text * 1e6:,.0f} µs a text; "
            f"load {loaded:.2f} s, +{added:.0f} MB peak RSS"
        )
        if missed:
            print(f"    English taken for another language: {missed}")
        if passed:
            print(f"    others taken for English: {passed}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        measure(sys.argv[2])
    else:
        main()
