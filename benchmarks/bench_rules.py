"""What the rules, relations and resolution cost on top of the statistical model.

Three runs over the same generated corpus (the sample articles' paragraphs recombined), in one
process:

1. baseline: ``nlp.pipe`` of the statistical components kg runs (tok2vec, tagger, senter,
   attribute_ruler, ner of ``en_core_web_sm``; the parser and lemmatizer are not used);
2. entities: kg's extractor with relations off, plus resolution (vocabulary ruler, mention
   clean-up, canonical entities and IRIs);
3. full: kg's extractor with relations, events and quantities, plus resolution.

Prints words/s of each and the ratios 2/1 (issue target: at most 1.15) and 3/2 (at most 1.2).
Usage: python benchmarks/bench_rules.py [ARTICLES]
"""

from __future__ import annotations

import sys
import time

import spacy

from benchmarks._corpus import articles
from kg.extract import Extractor
from kg.extract._model import DEFAULT_MODELS
from kg.extract._parsing import DEFERRED
from kg.ingest import article_from_text
from kg.resolve import resolve


def best_of(runs: int, work) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main(count: int = 300) -> None:
    rows = list(articles(count))
    texts = [row["text"] for row in rows]
    docs = [article_from_text(row["id"], row["text"], title=row["title"]) for row in rows]
    words = sum(len(t.split()) for t in texts)
    bare = next(n for n in DEFAULT_MODELS if spacy.util.is_package(n))
    nlp = spacy.load(bare, exclude=list(DEFERRED))  # as kg's main pass
    nlp.enable_pipe("senter")
    entities_only = Extractor(relations=False)
    full = Extractor()

    def baseline() -> None:
        for _ in nlp.pipe(texts, batch_size=16):
            pass

    def run(extractor: Extractor) -> None:
        for _ in resolve(extractor.analyze(docs)):
            pass

    run(full)  # warm-up: vocabulary, patterns, caches
    t_base = best_of(3, baseline)
    t_ent = best_of(3, lambda: run(entities_only))
    t_full = best_of(3, lambda: run(full))
    print(f"corpus: {count} articles, {words} words; model {bare}; Python {sys.version.split()[0]}")
    for name, t in [("baseline nlp.pipe", t_base), ("kg entities", t_ent), ("kg full", t_full)]:
        print(f"{name:20} {t:7.2f} s  {words / t:9.0f} words/s")
    print(f"entities / baseline = {t_ent / t_base:.3f}  (target <= 1.15)")
    print(f"full / entities     = {t_full / t_ent:.3f}  (target <= 1.20)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
