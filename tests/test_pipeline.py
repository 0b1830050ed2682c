"""The pipeline at scale: deferred tagging, workers in input order, bounded streaming, summaries."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import spacy

from kg.extract import Extractor
from kg.extract._posrules import PosRules, features
from kg.ingest import Skip, article_from_text, count_articles, read_articles
from kg.pipeline import build, extract
from kg.records import Article
from kg.resources import sample_corpus
from kg.store import GraphStore
from kg.workers import BATCH, IN_PROCESS_BATCH, analyse

# Our own short articles; the last two name a person by surname only, after an earlier article
# gave the full name (the resolver carries that across articles, in input order).
ARTICLES = [
    "Chile and Japan signed a lithium supply agreement in Santiago on Monday.",
    "Energy Secretary Chris Wright met Chilean Mining Minister Aurora Williams in Santiago.",
    "China restricted exports of gallium and germanium to the United States.",
    "Indonesia banned exports of nickel ore in 2020 and built smelters instead.",
    "The Democratic Republic of the Congo produces most of the world's cobalt.",
    "Peru and Canada agreed to cooperate on copper mining and processing.",
    "Wright said the United States would buy more lithium from Chile.",
    "Williams said Chile would sign a lithium agreement with Japan.",
]


def write_corpus(path: Path, texts: list[str] = ARTICLES) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for number, text in enumerate(texts):
            handle.write(json.dumps({"id": f"p{number}", "text": text}) + "\n")
    return path


def lines(extractions) -> list[str]:  # type: ignore[no-untyped-def]
    return [json.dumps(e.to_json(), sort_keys=True) for e in extractions]


def test_deferred_tagging_gives_the_whole_pipeline_output(model_extractor: Extractor) -> None:
    assert model_extractor.tagging is not None
    assert set(model_extractor.tagging.names) == {"tok2vec", "tagger", "attribute_ruler"}
    articles = list(itertools.islice(read_articles([sample_corpus()]), 10))
    whole = Extractor(nlp=model_extractor.nlp)
    whole.__dict__["tagging"] = None  # the tagger over every token, in the main pass
    from kg.resolve import resolve

    fast = lines(resolve(model_extractor.analyze(articles)))
    slow = lines(resolve(whole.analyze(articles)))
    assert fast == slow


def test_compiled_pos_rules_agree_with_the_attribute_ruler(model_extractor: Extractor) -> None:
    nlp = model_extractor.nlp
    ruler = nlp.get_pipe("attribute_ruler")
    rules = PosRules.compile(ruler.patterns)
    assert rules is not None
    text = (
        "There's a deal, y'all ain't gonna like it. Let's go! It was nothing; something else. "
        "The 10-year defence framework agreement was signed by the two ministers."
    )
    with nlp.select_pipes(enable=["tok2vec", "tagger"]):
        doc = nlp(text)
    feats = features(doc, 0, len(doc), [t.tag_ for t in doc])
    mine = [rules.resolve(feats, i) for i in range(len(doc))]
    ruler(doc)
    assert mine == [(t.tag_, t.pos_) for t in doc]


def test_parse_stage_annotates_as_the_ruler_and_lemmatizer_do(model_extractor: Extractor) -> None:
    # The parse stage finds the attribute ruler's matches with compiled tests and remembers rule
    # lemmas; every annotation must be the one spaCy's own components give.
    parsing = model_extractor.parsing
    assert parsing is not None and parsing.ruler_matches is not None
    assert parsing.lemmas is not None
    nlp = model_extractor.nlp
    sentences = [
        "There's a deal, y'all ain't gonna like it, and I'd say let's wait.",
        "Chile's state miner is producing 1.3 million tonnes of copper a year.",
        "The ministers   signed the agreements; exports were banned by Beijing.",
        "Gotta go: he said nothing, she bought more and they were buying less.",
        "Chile's state miner is producing 1.3 million tonnes of copper a year.",
    ]
    docs = [nlp.make_doc(text) for text in sentences]
    for name in ("tok2vec", "tagger", "parser"):
        docs = list(nlp.get_pipe(name).pipe(docs))
    slow = [doc.copy() for doc in docs]
    for doc in slow:
        nlp.get_pipe("lemmatizer")(nlp.get_pipe("attribute_ruler")(doc))
    ruler = nlp.get_pipe("attribute_ruler")
    for doc in docs:
        assert parsing.ruler_matches(doc) == ruler.match(doc)
        ruler.set_annotations(doc, parsing.ruler_matches(doc))
    parsing.lemmas.apply(docs)

    def annotations(doc: spacy.tokens.Doc) -> list[tuple[str, ...]]:
        return [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, str(t.head.i)) for t in doc]

    assert [annotations(d) for d in docs] == [annotations(d) for d in slow]


def test_workers_give_one_workers_output_in_order(tmp_path: Path, model_extractor) -> None:  # type: ignore[no-untyped-def]
    corpus = write_corpus(tmp_path / "c.jsonl")
    one = lines(extract([corpus], extractor=model_extractor))
    two = lines(extract([corpus], extractor=model_extractor, workers=2))
    assert two == one
    assert [json.loads(line)["id"] for line in two] == [f"p{n}" for n in range(len(ARTICLES))]
    late = json.loads(one[6])
    assert "Chris Wright" in {e["name"] for e in late["entities"]}  # carried across articles
    stores = []
    for workers in (1, 2):
        store = GraphStore(tmp_path / f"s{workers}")
        build([corpus], store, extractor=model_extractor, workers=workers)
        stores.append(sorted(str(q) for q in store.raw))
    assert stores[0] == stores[1]


def test_analysis_streams_with_bounded_read_ahead(rules_extractor: Extractor) -> None:
    pulled = 0

    def endless():  # type: ignore[no-untyped-def]
        nonlocal pulled
        for n in itertools.count():
            pulled += 1
            yield article_from_text(f"a{n}", "Chile exports copper to China.")

    for workers in (1, 2):
        pulled = 0
        first = list(itertools.islice(analyse(endless(), rules_extractor, workers=workers), 5))
        assert [a.article.id for a in first] == [f"a{n}" for n in range(5)]
        ahead = IN_PROCESS_BATCH if workers == 1 else BATCH * (2 * workers + 4)
        assert pulled <= ahead  # a batch or a few, never the whole stream


def test_markers_keep_their_place(rules_extractor: Extractor) -> None:
    items: list[Article | str] = [
        article_from_text("a", "Chile exports copper."),
        "done",
        article_from_text("b", "Peru mines zinc."),
    ]
    for workers in (1, 2):
        out = list(analyse(items, rules_extractor, workers=workers, batch=2))
        assert [x if isinstance(x, str) else x.article.id for x in out] == ["a", "done", "b"]


def test_summary_counts_skips_by_reason(tmp_path: Path, rules_extractor: Extractor) -> None:
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "feed.jsonl").write_text(
        '{"id": "1", "text": "Chile exports copper."}\n{"id": "1", "text": "Again."}\nnot json\n'
    )
    assert count_articles([tmp_path]) == 5
    ticks: list[int] = []
    report = build([tmp_path], GraphStore(None), extractor=rules_extractor, progress=ticks.append)
    assert report.added == 1 and sum(ticks) == 5
    assert report.skip_reasons() == {"empty": 1, "binary": 1, "duplicate id": 1, "bad JSON": 1}
    assert all(isinstance(s, Skip) for s in report.skipped)
    summary = report.summary()
    assert summary.startswith("1 articles (1 added, 0 replaced, 0 unchanged), 4 skipped (")
    assert "triples written in" in summary and "words/s" in summary


def test_cli_extract_workers_and_summary(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", ARTICLES[:4])
    runs = [
        subprocess.run(
            [sys.executable, "-m", "kg", "extract", str(corpus), "--workers", str(n)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        for n in (1, 2)
    ]
    assert all(r.returncode == 0 for r in runs), runs[1].stderr
    assert runs[0].stdout == runs[1].stdout and len(runs[0].stdout.splitlines()) == 4
    summary = runs[1].stderr.strip().splitlines()[-1]
    assert summary.startswith("kg: 4 articles, 0 skipped; ") and "relations" in summary
    assert " s (" in summary and "words/s)" in summary


def test_progress_is_only_on_a_terminal(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", ARTICLES[:1])
    result = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(corpus), "--store", str(tmp_path / "s")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr and "\x1b[" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # just the summary
    assert list(ox.Store.read_only(str(tmp_path / "s")).named_graphs())


def test_blank_pipeline_has_nothing_to_defer() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    assert Extractor(nlp=nlp).tagging is None
