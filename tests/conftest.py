"""Shared fixtures: rule-only pipelines on spacy.blank("en"), the real model, a built store."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="session")
def kg_serve() -> Callable[..., contextlib.AbstractContextManager[tuple[str, Any]]]:
    """Run ``kg serve --store STORE ARGS…`` in a child process on a free loopback port: yields
    the endpoint's URL and the process once it listens, then stops it as Ctrl-C does (it must
    exit 0) and reaps it. ``preexec_fn`` runs in the child before kg starts."""

    @contextlib.contextmanager
    def run(
        store: Path, *args: str, preexec_fn: Callable[[], None] | None = None
    ) -> Iterator[tuple[str, subprocess.Popen[str]]]:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kg",
                "serve",
                "--store",
                str(store),
                "--port",
                str(port),
                *args,
            ],
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            preexec_fn=preexec_fn,
        )
        try:
            assert process.stderr is not None
            line = process.stderr.readline()
            url = f"http://127.0.0.1:{port}/sparql"
            assert url in line, line + process.stderr.read()
            yield url, process
            process.send_signal(signal.SIGINT)
            assert process.wait(15) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

    return run
