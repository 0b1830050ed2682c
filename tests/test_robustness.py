"""Bad inputs and faults, one test per row of Table A (bad-inputs.md) on ingest, NLP, store, export.

Rows already covered elsewhere are extended here rather than repeated: control characters and
lone surrogates in clean_text, empty/binary/latin-1 files and bad JSON lines (test_ingest), one
writer per store in-process and SERVICE/LOAD refusal by the store API (test_rdf_store), exit codes
for bad files (test_cli).
"""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import spacy
from lxml import etree

from kg.errors import ForbiddenQueryError, InputError
from kg.export import export, validate_gexf
from kg.extract import Extractor
from kg.ingest import article_from_text, read_articles
from kg.pipeline import RunReport, build, extract
from kg.rdf import article_graph, extraction_quads
from kg.records import Article, Entity, Extraction, Relation
from kg.resolve import entity_iri
from kg.store import GraphStore

HOSTILE = "Evil \" } ; DROP ALL ; INSERT DATA { <a> <b> <c> } # <x> & ]]> 'q' 🚀"


def kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=300
    )


def jsonl(path: Path, *rows: object) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def quads(store: GraphStore) -> list[str]:
    return sorted(str(q) for q in store.raw)


@pytest.fixture()
def listener():  # type: ignore[no-untyped-def]
    """A loopback TCP listener; the test asserts that nothing connected to it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        sock.setblocking(False)
        yield sock


def assert_no_connection(sock: socket.socket) -> None:
    with pytest.raises(BlockingIOError):
        sock.accept()


# Row 1: empty and whitespace-only articles.
def test_empty_and_whitespace_only_are_skipped_with_no_triples(
    tmp_path: Path, rules_extractor: Extractor
) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blank.md").write_text(" \n\t \r\n")
    jsonl(tmp_path / "feed.jsonl", {"id": "w", "text": "   \n "}, {"id": "ok", "text": "Chile."})
    store = GraphStore(None)
    report = build([tmp_path], store, extractor=rules_extractor)
    assert report.added == 1
    assert report.skip_reasons() == {"empty": 2, "no text": 1}
    graphs = {g.value for g in store.raw.named_graphs()}
    assert article_graph(Article(id="ok", text="")).value in graphs and len(graphs) == 2
    with pytest.raises(InputError, match="no usable article"):
        build([tmp_path / "empty.txt", tmp_path / "blank.md"], store, extractor=rules_extractor)


# Row 2: a text longer than spaCy's max_length.
def test_text_over_max_length_is_chunked_with_true_offsets() -> None:
    import kg.extract._vocab_matcher  # noqa: F401  (registers kg_vocabulary)

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_vocabulary")
    nlp.max_length = 1_500
    paragraphs = [
        f"Paragraph {n}: Chile exports copper to China, and Peru mines zinc for Japan." * 3
        for n in range(30)
    ]
    text = "\n\n".join(paragraphs)
    assert len(text) > 4 * nlp.max_length
    with pytest.raises(ValueError, match="E088"):
        nlp(text)
    analysis = next(Extractor(nlp=nlp).analyze([article_from_text("long", text)]))
    assert analysis.mentions
    for mention in analysis.mentions:
        assert text[mention.start : mention.end] == mention.text
    assert max(m.start for m in analysis.mentions) > len(text) - 300  # the last chunk too
    assert {m.text for m in analysis.mentions} >= {"Chile", "copper", "China", "Peru", "zinc"}
    assert len([m for m in analysis.mentions if m.text == "Japan"]) == 90


# Row 3: lone surrogates, invalid UTF-8, binary files.
def test_lone_surrogates_anywhere_never_crash_outputs(tmp_path: Path, rules_extractor) -> None:  # type: ignore[no-untyped-def]
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"id": "s\\ud800", "title": "T\\udfff", "url": "https://e.org/\\ud800",'
        ' "text": "Chile exports copper\\ud800 to China."}\n',
        encoding="utf-8",
    )
    [extraction] = list(extract([feed], extractor=rules_extractor))
    line = json.dumps(extraction.to_json(), ensure_ascii=False)
    line.encode("utf-8")  # would raise on a surrogate
    assert {e["name"] for e in extraction.to_json()["entities"]} >= {"Chile", "copper", "China"}
    store = GraphStore(None)
    build([feed], store, extractor=rules_extractor)
    ox.serialize(store.raw, format=ox.RdfFormat.N_QUADS)


def test_invalid_utf8_is_replaced_and_binary_is_skipped(tmp_path: Path, rules_extractor) -> None:  # type: ignore[no-untyped-def]
    good = "Chile exports copper to China. " * 20
    (tmp_path / "a.txt").write_bytes(good.encode() + b"\xff\xfe\xc3" + b" Peru mines zinc.")
    (tmp_path / "b.jsonl").write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4)  # gzip-like
    (tmp_path / "c.txt").write_bytes(b"PK\x03\x04\x00\x00" + b"\x00" * 64)  # zip-like
    report = build([tmp_path], GraphStore(None), extractor=rules_extractor)
    assert report.added == 1 and report.skip_reasons() == {"binary": 2}
    [article] = list(read_articles([tmp_path / "a.txt"]))
    assert "\ufffd" in article.text and article.text.endswith("Peru mines zinc.")


# Row 4: control characters; exports stay well-formed XML 1.0.
def test_control_characters_are_normalised_once_and_exports_stay_valid(
    tmp_path: Path, rules_extractor: Extractor
) -> None:
    feed = jsonl(
        tmp_path / "c.jsonl",
        {
            "id": "ctl",
            "title": "Bell\x07 and \x1b[31mescape\x0b",
            "text": "Chile\x00 exports\x0c copper\x1f to China.\ufffe\uffff Peru\x7f mines zinc.",
        },
    )
    store = GraphStore(tmp_path / "s")
    build([feed], store, extractor=rules_extractor)
    values = "".join(q.object.value for q in store.raw if isinstance(q.object, ox.Literal))
    for bad in ("\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\ufffe", "\uffff"):
        assert bad not in values
    assert "Bell and [31mescape" in values
    [gexf] = export(store, "gexf", tmp_path / "g.gexf")
    assert validate_gexf(gexf) == []
    [graphml] = export(store, "graphml", tmp_path / "g.graphml")
    etree.parse(str(graphml))


# Row 5: HTML in a text file.
def test_html_markup_is_stripped_before_nlp(tmp_path: Path, rules_extractor: Extractor) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "<html><head><script>var Peru = 1;</script></head><body><nav>Menu</nav>"
        "<p>Chile exports <b>copper</b> to <a href='x'>China</a>.</p></body></html>"
    )
    [extraction] = list(extract([page], extractor=rules_extractor))
    assert "<" not in extraction.article.text and "Peru" not in extraction.article.text
    assert {e.name for e in extraction.entities} >= {"Chile", "copper", "China"}


# Row 6: non-English text.
def test_non_english_text_warns_and_invents_nothing(tmp_path: Path, model_extractor) -> None:  # type: ignore[no-untyped-def]
    feed = jsonl(
        tmp_path / "f.jsonl",
        {"id": "zh", "text": "中国限制镓和锗的出口。美国依赖中国的稀土供应。" * 3},
        {
            "id": "es",
            "text": "El gobierno de Chile firmó un acuerdo con Japón para exportar litio y "
            "cobre durante los próximos diez años, según el ministerio de minería del país. "
            "La empresa estatal dijo que la producción aumentará en la región de Antofagasta, "
            "donde se encuentran las mayores reservas del mundo, y que las inversiones "
            "llegarán a varios miles de millones de dólares.",
        },
    )
    warnings: list[str] = []
    report = RunReport()
    with pytest.raises(InputError, match="no usable article"):
        list(extract([feed], extractor=model_extractor, warn=warnings.append, report=report))
    assert report.skip_reasons() == {"not English": 2}
    assert [w.split(":")[0] for w in warnings] == [f"{feed}", f"{feed}"]
    assert "'zh', not English" in warnings[0] and "'es', not English" in warnings[1]
    # Given straight to the extractor (no ingest), such texts still yield nothing, with a word.
    [analysis] = model_extractor.analyze([article_from_text("zh", "中国限制镓和锗的出口。" * 3)])
    assert not analysis.mentions and "does not look like English" in analysis.warnings[0]


# Row 7: None in JSONL fields.
def test_none_in_jsonl_fields_is_handled_per_field(tmp_path: Path, rules_extractor) -> None:  # type: ignore[no-untyped-def]
    feed = jsonl(
        tmp_path / "n.jsonl",
        {
            "id": None,
            "text": "Chile exports copper.",
            "title": None,
            "url": None,
            "published": None,
        },
        {"id": "t", "text": None},
        {"id": "u", "text": ["not", "a", "string"]},
        {"id": "v", "text": "Peru mines zinc.", "title": 7, "published": "not a date"},
    )
    report = build([feed], GraphStore(None), extractor=rules_extractor)
    assert report.added == 2 and report.skip_reasons() == {"no text": 2}
    first, last = read_articles([feed])
    assert first.id == "n-1" and first.title is None and first.published is None
    assert last.title == "7" and last.published is None


# Duplicate articles (ingest).
def test_duplicate_articles_across_files_are_written_once(
    tmp_path: Path, rules_extractor: Extractor
) -> None:
    a = jsonl(tmp_path / "a.jsonl", {"id": "d", "text": "Chile exports copper."})
    b = jsonl(tmp_path / "b.jsonl", {"id": "d", "text": "Chile exports copper."})
    store = GraphStore(None)
    report = build([a, b, a], store, extractor=rules_extractor)
    assert report.added == 1 and report.skip_reasons() == {"duplicate id": 2}
    assert len(list(store.raw.named_graphs())) == 2  # the article and the ontology


# Row 8: entity names that are not IRI material.
def test_entity_names_never_become_raw_iris() -> None:
    for name in ['a > b "c" {d} | ^e `f`', "  spaced   name ", "ü ß 中国", HOSTILE]:
        iri = entity_iri("Organization", name)
        ox.NamedNode(iri)  # raises on an invalid IRI
        assert not any(ch in iri for ch in ' <>"{}|^`\\')


def hostile_extraction() -> Extraction:
    text = "Evil Corp cooperates with Chile."
    article = Article(id="hostile", text=text, title=HOSTILE, url="https://example.org/h")
    org = Entity(entity_iri("Organization", HOSTILE), HOSTILE, "Organization", (HOSTILE,))
    chile = Entity("https://w3id.org/cmkg/id/country/CHL", "Chile", "Country", ("Chile",), "Q298")
    odd = Entity(entity_iri("Person", "type"), "type\x0b<label> & id", "Person", ("type",))
    relations = (
        Relation(org.id, "cooperates_with", chile.id, 0.7, text, 0, len(text)),
        Relation(odd.id, "holds_role_in", org.id, 0.7, text, 0, len(text), role="type"),
    )
    return Extraction(article, (org, chile, odd), relations, model="test")


# Row 9: injection through labels is inert.
def test_injection_through_labels_is_inert(tmp_path: Path, rules_extractor: Extractor) -> None:
    store = GraphStore(tmp_path / "s")
    ok = jsonl(tmp_path / "ok.jsonl", {"id": "ok", "text": "Peru mines zinc."})
    build([ok], store, extractor=rules_extractor)
    before = quads(store)
    hostile = hostile_extraction()
    store.replace_graph(article_graph(hostile.article).value, extraction_quads(hostile, "kg"))
    feed = jsonl(tmp_path / "h.jsonl", {"id": "h2", "title": HOSTILE, "text": HOSTILE + " Chile."})
    build([feed], store, extractor=rules_extractor)
    after = quads(store)
    assert set(before) <= set(after) and len(after) > len(before)
    rows = store.select(
        "SELECT ?a WHERE { GRAPH ?g { ?a <https://schema.org/headline> ?t } }", {"t": HOSTILE}
    )
    assert len(rows) == 2
    labels = store.select(
        "SELECT ?e WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l "
        "BIND(STR(?l) AS ?x) }",
        {"x": HOSTILE},
    )
    assert labels == [{"e": entity_iri("Organization", HOSTILE)}]


# Rows 10 and 14: SERVICE / LOAD and remote JSON-LD contexts make no outbound connection.
def test_the_loopback_listener_would_see_a_connection(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    seen: list[bool] = []

    def accept() -> None:
        listener.setblocking(True)
        listener.settimeout(20)
        connection, _ = listener.accept()
        seen.append(True)
        connection.close()

    thread = threading.Thread(target=accept)
    thread.start()
    with pytest.raises((OSError, RuntimeError)):  # raw pyoxigraph federates: the control
        list(
            ox.Store().query(
                f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"
            )
        )
    thread.join()
    assert seen == [True]


def test_query_with_service_or_load_is_refused_without_connecting(
    tmp_path: Path, listener: socket.socket
) -> None:
    port = listener.getsockname()[1]
    GraphStore(tmp_path / "s")  # an empty store, closed again
    url = f"http://127.0.0.1:{port}/sparql"
    for query in (
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"LOAD <{url}> INTO GRAPH <urn:g>",
    ):
        result = kg("query", "--store", str(tmp_path / "s"), query)
        assert result.returncode == 2, result.stderr
        assert "not allowed" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    store = GraphStore(tmp_path / "s")
    for query in (
        f"select * where {{ service\n<{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SeRvIcE SILENT <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"# a comment\nLOAD SILENT <{url}>",
    ):
        with pytest.raises(ForbiddenQueryError):
            store.query(query)
    time.sleep(0.2)
    assert_no_connection(listener)


# Row 13: RDF/XML with a DOCTYPE refused on import (and remote JSON-LD contexts, row 14).
BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(2, 10))
    + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
    "<ex:p>&lol9;</ex:p></rdf:Description></rdf:RDF>"
).replace("&lol1;", "&lol;")


def test_import_refuses_doctype_and_remote_contexts(
    tmp_path: Path, listener: socket.socket
) -> None:
    store_dir = tmp_path / "s"
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(BOMB)
    utf16 = tmp_path / "bomb16.xml"
    utf16.write_bytes(BOMB.encode("utf-16"))
    context = tmp_path / "remote.jsonld"
    port = listener.getsockname()[1]
    context.write_text(
        json.dumps({"@context": f"http://127.0.0.1:{port}/ctx", "@id": "http://e.org/a"})
    )
    for path, word in ((bomb, "DOCTYPE"), (utf16, "DOCTYPE"), (context, "remote @context")):
        started = time.monotonic()
        result = kg("import", str(path), "--store", str(store_dir))
        assert result.returncode == 2 and word in result.stderr, result.stderr
        assert time.monotonic() - started < 30
    assert not store_dir.exists()  # refused before the store was even opened
    assert_no_connection(listener)
    good = tmp_path / "good.rdf"
    good.write_text(BOMB[BOMB.index("<rdf:RDF") :].replace("&lol9;", "fine"))
    result = kg("import", str(good), "--store", str(store_dir))
    assert result.returncode == 0, result.stderr
    again = kg("import", str(good), "--store", str(store_dir))
    assert "imported 1 quads" in again.stderr


# Row 17: a build killed with SIGKILL mid-way, then resumed.
KILLER = """
import os, signal, sys
import kg.pipeline
from kg.store import GraphStore

class KillAtHashWrite:
    # The raw store, killed with SIGKILL at its n-th write of content hashes (the ontology's is the
    # first), just before or just after it: a group's graphs bulk-loaded without their hashes yet,
    # or a group written whole. Nothing is flushed.
    def __init__(self, raw, n, when):
        self.raw, self.n, self.when, self.calls = raw, n, when, 0
    def __getattr__(self, name):
        return getattr(self.raw, name)
    def extend(self, quads):
        self.calls += 1
        if self.calls == self.n and self.when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        self.raw.extend(quads)
        if self.calls == self.n:
            os.kill(os.getpid(), signal.SIGKILL)

kg.pipeline.WRITE_GROUP = 2
store = GraphStore(sys.argv[1])
store._store = KillAtHashWrite(store._store, 3, sys.argv[3])
kg.pipeline.build([sys.argv[2]], store)
"""


# Full names in the first articles, surnames alone after the kill: the resumed build must still
# resolve "Wright" to "Chris Wright", as a clean build does.
STORY = [
    "Energy Secretary Chris Wright met Chilean Mining Minister Aurora Williams in Santiago.",
    "Chile and Japan signed a lithium supply agreement in Santiago on Monday.",
    "China restricted exports of gallium and germanium to the United States.",
    "Indonesia banned exports of nickel ore in 2020 and built smelters instead.",
    "Wright said the United States would buy more lithium from Chile.",
    "Williams said Chile would sign a lithium agreement with Japan.",
]


@pytest.mark.parametrize(("when", "written"), [("before", 2), ("after", 4)])
def test_sigkill_mid_build_then_resume_equals_a_clean_build(
    tmp_path: Path, model_extractor: Extractor, when: str, written: int
) -> None:
    corpus = jsonl(tmp_path / "c.jsonl", *({"id": f"k{n}", "text": t} for n, t in enumerate(STORY)))
    killed = tmp_path / "killed"
    run = subprocess.run(
        [sys.executable, "-c", KILLER, str(killed), str(corpus), when],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == -9, run.stderr  # killed in or after its second group, no flush
    resumed_store = GraphStore(killed)
    if when == "before":  # the second group's graphs are there, but not their hashes
        assert len(list(resumed_store.raw.named_graphs())) == 1 + 4
    resumed = build([corpus], resumed_store, extractor=model_extractor)
    assert (resumed.unchanged, resumed.added) == (written, len(STORY) - written)
    clean = GraphStore(tmp_path / "clean")
    build([corpus], clean, extractor=model_extractor)
    assert quads(resumed_store) == quads(clean)
    names = clean.select(
        "SELECT ?n WHERE { GRAPH ?g { ?p a <http://xmlns.com/foaf/0.1/Person> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?n } }",
        {"g": article_graph(Article(id="k4", text="")).value},
    )
    assert names == [{"n": "Chris Wright"}]


# Row 18: a second writer on the same store.
def test_second_writer_fails_fast_with_a_clear_message(tmp_path: Path) -> None:
    store_dir = tmp_path / "s"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom kg.store import GraphStore\ns = GraphStore(sys.argv[1])\n"
            "print('open', flush=True)\ntime.sleep(120)",
            str(store_dir),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        feed = jsonl(tmp_path / "f.jsonl", {"id": "a", "text": "Chile exports copper."})
        started = time.monotonic()
        result = kg("build", str(feed), "--store", str(store_dir))
        assert time.monotonic() - started < 15
        assert result.returncode == 1
        assert (
            result.stderr.strip().startswith("kg: error: ") and "in use by another" in result.stderr
        )
    finally:
        holder.kill()
        holder.wait()


# Rows 19-22: exports with hostile labels stay valid.
def test_exports_with_hostile_labels_stay_valid(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "s")
    hostile = hostile_extraction()
    store.replace_graph(article_graph(hostile.article).value, extraction_quads(hostile, "kg"))
    with pytest.warns(UserWarning, match="removed characters not allowed in XML"):
        [gexf] = export(store, "gexf", tmp_path / "h.gexf")  # the \x0b in one label, once
    assert validate_gexf(gexf) == []
    assert HOSTILE in gexf.read_text(encoding="utf-8").replace("&amp;", "&").replace(
        "&lt;", "<"
    ).replace("&gt;", ">").replace("&quot;", '"')
    with pytest.warns(UserWarning):
        [graphml] = export(store, "graphml", tmp_path / "h.graphml")
    etree.parse(str(graphml))
    for fmt, rdf_format in (("trig", ox.RdfFormat.TRIG), ("nq", ox.RdfFormat.N_QUADS)):
        [path] = export(store, fmt, tmp_path / f"h.{fmt}")
        labels = {q.object.value for q in ox.parse(path=str(path), format=rdf_format)}
        assert HOSTILE in labels
    with pytest.warns(UserWarning):
        tables = export(store, "csv", tmp_path / "h.csv")
    assert all(path.read_text(encoding="utf-8") for path in tables)


# Issue 15, point 3: an export that cannot be written whole leaves the previous file as it was.

EXPORT_FORMATS = ("gexf", "graphml", "csv", "ttl", "trig", "nq", "jsonld")

# Opens the store, then caps file size (the kernel answers EFBIG, as a full disk answers
# ENOSPC) below half of the smallest good export and exports every format again.
FULL_DISK = """
import json, resource, signal, sys
from pathlib import Path
from kg.export import export
from kg.store import GraphStore
store, out, limit = GraphStore(sys.argv[1], must_exist=True), Path(sys.argv[2]), int(sys.argv[3])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
failures = {}
for fmt in sys.argv[4:]:
    try:
        export(store, fmt, out / f"g.{fmt}")
    except Exception as exc:
        failures[fmt] = [type(exc).__name__, str(exc)]
print(json.dumps(failures))
"""


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() if p.is_file() else b"(folder)" for p in folder.iterdir()}


def exported_store(tmp_path: Path, make_store: Callable[[Path], Path]) -> tuple[Path, Path]:
    """A closed store and a folder with one good export of it in every format."""
    store_dir, out = make_store(tmp_path / "s"), tmp_path / "out"
    out.mkdir()
    store = GraphStore(store_dir)
    for fmt in EXPORT_FORMATS:
        export(store, fmt, out / f"g.{fmt}")
    del store
    return store_dir, out


def test_a_full_disk_keeps_every_previous_export(
    tmp_path: Path, make_store: Callable[[Path], Path]
) -> None:
    store_dir, out = exported_store(tmp_path, make_store)
    before = folder_bytes(out)
    limit = min(len(content) for content in before.values()) // 2
    run = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(store_dir), str(out), str(limit), *EXPORT_FORMATS],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    failures = json.loads(run.stdout)
    assert sorted(failures) == sorted(EXPORT_FORMATS)
    for fmt, (kind, message) in failures.items():
        assert kind == "ExportError", (fmt, kind, message)
        assert message.startswith("cannot write ") and message.endswith("File too large"), message
    assert folder_bytes(out) == before  # old files byte-identical, no temporary file left


def test_an_error_at_fsync_fails_the_command_and_keeps_the_file(
    tmp_path: Path,
    make_store: Callable[[Path], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from kg.cli import main

    store_dir, out = exported_store(tmp_path, make_store)
    before = folder_bytes(out)

    def no_space(fd: int) -> None:  # a delayed allocation failing when the data is synced
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    for fmt in ("graphml", "csv", "trig"):
        args = [
            "export",
            "--store",
            str(store_dir),
            "--format",
            fmt,
            "--out",
            str(out / f"g.{fmt}"),
        ]
        assert main(args) == 1
        message = capsys.readouterr().err.strip()
        assert message.startswith("kg: error: cannot write ") and "wrote" not in message
        assert message.endswith("No space left on device") and len(message.splitlines()) == 1
    assert folder_bytes(out) == before


def test_out_at_a_folder_is_bad_usage_and_rdf_dumps_get_the_umask_mode(
    tmp_path: Path, make_store: Callable[[Path], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from kg.cli import main

    store_dir, out = exported_store(tmp_path, make_store)
    folder = out / "a-folder"
    folder.mkdir()
    before = folder_bytes(out)
    for fmt in ("csv", "trig", "graphml"):
        args = ["export", "--store", str(store_dir), "--format", fmt, "--out", str(folder)]
        assert main(args) == 2
        assert capsys.readouterr().err.startswith(f"kg: error: {folder}: is a folder")
    assert folder_bytes(out) == before and not any(folder.iterdir())
    umask = os.umask(0o022)
    os.umask(umask)
    for name in ("g.trig", "g.nq", "g.gexf", "g-nodes.csv"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o666 & ~umask, name


# Issue 15, point 8: the workers of `kg build --workers 2` end when it is killed.


def children(pid: int) -> list[int]:
    """Live child processes of ``pid``, from /proc."""
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == str(pid) and fields[0] != "Z":
            found.append(int(stat_file.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left to collect


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_workers_end_when_the_build_is_killed(tmp_path: Path) -> None:
    text = "Chile exports copper to China. The minister of Peru met the president of Bolivia. "
    corpus = jsonl(tmp_path / "c.jsonl", *({"id": f"a{n}", "text": text * 6} for n in range(3000)))
    build_run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kg",
            "build",
            str(corpus),
            "--store",
            str(tmp_path / "s"),
            "--workers",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 and time.monotonic() < deadline and build_run.poll() is None:
            time.sleep(0.2)
            workers = [
                pid
                for pid in children(build_run.pid)
                if b"build" in Path(f"/proc/{pid}/cmdline").read_bytes()
            ]
        assert len(workers) == 2, "the build did not start its two workers"
        build_run.kill()
        build_run.wait()
        deadline = time.monotonic() + 5
        while any(map(alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(map(alive, workers)), "workers outlived the killed build"
    finally:
        build_run.kill()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
