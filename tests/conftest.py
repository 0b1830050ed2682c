"""Shared fixtures: rule-only pipelines on spacy.blank("en"), the real model, a built store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

import kg.extract._vocab_matcher  # noqa: F401  (registers the kg_vocabulary factory)
from kg.extract import Extractor
from kg.extract._model import paragraph_breaks  # noqa: F401  (registers kg_paragraphs)
from kg.ingest import article_from_text
from kg.records import Extraction
from kg.resolve import resolve
from kg.store import GraphStore


@pytest.fixture(scope="session")
def blank_nlp() -> Language:
    """Rules only: blank English, sentences, paragraph breaks and the vocabulary ruler."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_paragraphs")
    nlp.add_pipe("kg_vocabulary")
    return nlp


@pytest.fixture(scope="session")
def rules_extractor(blank_nlp: Language) -> Extractor:
    return Extractor(nlp=blank_nlp)


@pytest.fixture(scope="session")
def model_extractor() -> Extractor:
    """The default statistical pipeline (en_core_web_sm or its PyPI re-upload)."""
    return Extractor()


@pytest.fixture(scope="session")
def extract_text(model_extractor: Extractor):  # type: ignore[no-untyped-def]
    def run(text: str, ident: str = "t") -> Extraction:
        analysis = next(model_extractor.analyze([article_from_text(ident, text)]))
        return next(resolve([analysis]))

    return run


@pytest.fixture(scope="session")
def sample_store(
    tmp_path_factory: pytest.TempPathFactory, model_extractor: Extractor
) -> Iterator[GraphStore]:
    """The bundled sample corpus built into an on-disk store (once per test session)."""
    from kg.pipeline import build
    from kg.resources import sample_corpus

    path = tmp_path_factory.mktemp("store") / "kg"
    store = GraphStore(path)
    with __import__("importlib.resources").resources.as_file(sample_corpus()) as corpus:
        build([corpus], store, extractor=model_extractor)
    yield store


@pytest.fixture(scope="session")
def make_store() -> Callable[[Path], Path]:
    """Make a closed on-disk store at a path: the ontology and one article ("Chile exports
    copper."), small enough to build per test."""
    from kg.pipeline import ensure_ontology
    from kg.rdf import article_graph, extraction_quads
    from kg.records import Article, Entity, Relation

    chile = "https://w3id.org/cmkg/id/country/CHL"
    copper = "https://w3id.org/cmkg/id/mineral/copper"

    def make(path: Path) -> Path:
        text = "Chile exports copper."
        extraction = Extraction(
            Article("s1", text, "Copper", "https://example.org/s1"),
            (
                Entity(chile, "Chile", "Country", ("Chile",), "Q298"),
                Entity(copper, "copper", "Mineral", ("copper",)),
            ),
            (Relation(chile, "exports", copper, 0.6, text, 0, len(text)),),
            model="test-model",
        )
        store = GraphStore(path)
        ensure_ontology(store)
        store.replace_graph(
            article_graph(extraction.article).value, extraction_quads(extraction, "kg test")
        )
        store.flush()
        del store  # closes the store: a server or another process can take it over
        return path

    return make


@pytest.fixture(scope="session")
def make_warc():  # type: ignore[no-untyped-def]
    """WARC bytes, as a crawler writes them, from (type, URI, payload, Content-Type) records: a
    response to a URI ending in ``missing`` has status 404, every response WARC-Date 2025-03-10;
    gzipped, each record is its own gzip member."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def make(records: list[tuple[str, str, bytes, str]], gz: bool = True) -> bytes:
        out = io.BytesIO()
        writer = WARCWriter(out, gzip=gz)
        for kind, uri, payload, content_type in records:
            extra = {}
            if kind == "response":
                status = "404 Not Found" if uri.endswith("missing") else "200 OK"
                extra["http_headers"] = StatusAndHeaders(
                    status, [("Content-Type", content_type)], "HTTP/1.1"
                )
                extra["warc_headers_dict"] = {"WARC-Date": "2025-03-10T12:00:00Z"}
            record = writer.create_warc_record(
                uri, kind, payload=io.BytesIO(payload), length=len(payload), **extra
            )
            writer.write_record(record)
        return out.getvalue()

    return make


@pytest.fixture()
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a file under tmp_path and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write
