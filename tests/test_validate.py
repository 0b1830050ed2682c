"""SHACL shapes and `kg validate`; memberships; deterministic quads; exports read by rapper."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.pipeline import ensure_ontology
from kg.rdf import article_graph, extraction_quads
from kg.records import Article, Entity, Extraction, Quantity, Relation
from kg.store import GraphStore
from kg.store.validate import validate_store

ID = "https://w3id.org/cmkg/id/"
PAK, CU = ID + "country/PAK", ID + "mineral/copper"
KHAN = ID + "person/amir-khan"
TEXT = "Finance Minister Amir Khan said Pakistan exports 30,000 tonnes of copper a year."


def extraction(confidence: float = 0.7, status: str = "asserted", qid: str = "Q843") -> Extraction:
    end = len(TEXT)
    return Extraction(
        Article("v1", TEXT, "Copper", "https://example.org/v1"),
        (
            Entity(PAK, "Pakistan", "Country", ("Pakistan",), qid),
            Entity(CU, "copper", "Mineral", ("copper",)),
            Entity(KHAN, "Amir Khan", "Person", ("Amir Khan",), role="Finance Minister"),
        ),
        (
            Relation(KHAN, "holds_role_in", PAK, 0.9, TEXT, 0, end, role="Finance Minister"),
            Relation(PAK, "exports", CU, confidence, TEXT, 0, end, status=status),
        ),
        (Quantity(PAK, "30,000 tonnes", "t", "exports", TEXT, 0, end, 30000.0, CU),),
        model="test-model",
    )


def build(record: Extraction, path: Path | None = None) -> GraphStore:
    store = GraphStore(path)
    ensure_ontology(store)
    store.replace_graph(article_graph(record.article).value, extraction_quads(record, "kg test"))
    store.flush()
    return store


def test_pipeline_output_conforms() -> None:
    report = validate_store(build(extraction()))
    assert report.conforms, report.lines()


def test_sample_store_conforms(sample_store: GraphStore) -> None:
    report = validate_store(sample_store)
    assert report.conforms, report.lines()


def test_violations_name_focus_path_and_message() -> None:
    report = validate_store(build(extraction(confidence=1.5, status="rumoured", qid="P31")))
    assert not report.conforms
    paths = {v.path for v in report.violations}
    assert {"cm:confidence", "cm:status", "owl:sameAs"} <= paths
    line = next(v.line() for v in report.violations if v.path == "cm:confidence")
    assert re.match(r"^<https://w3id\.org/cmkg/statement/\w+>  cm:confidence  .*0 to 1", line)


def test_holds_role_in_is_also_an_org_membership() -> None:
    store = build(extraction())
    # The article's graph; the ontology graph also holds the officials table's memberships.
    rows = store.select(
        """PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?m ?who ?of ?role WHERE { GRAPH ?g { ?g a prov:Bundle .
          ?m a org:Membership ; org:member ?who ; org:organization ?of ; org:role ?role } }"""
    )
    assert [(r["who"], r["of"], r["role"]) for r in rows] == [
        (KHAN, PAK, ID + "role/finance-minister")
    ]
    # The shortcut triple (a fact, in the default graph) and the statement stay, for the code
    # that queries them.
    assert store.select(
        "SELECT ?p WHERE { ?who <https://w3id.org/cmkg/ontology#holdsRoleIn> ?p }", {"who": KHAN}
    ) == [{"p": PAK}]


def test_rebuilding_gives_byte_identical_quads() -> None:
    def dump() -> bytes:
        return ox.serialize(extraction_quads(extraction(), "kg test"), format=ox.RdfFormat.N_QUADS)

    assert dump() == dump()


def test_cli_validate_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    build(extraction(), good)  # the store is closed again when the object is dropped
    build(extraction(confidence=2.0), bad)
    assert main(["validate", "--store", str(good)]) == 0
    assert "conforms" in capsys.readouterr().out
    assert main(["validate", "--store", str(bad), "--limit", "1"]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].split("  ")[1] == "cm:confidence"
    assert "does not conform" in captured.err and "\n" not in captured.err.strip()


RAPPER_FORMATS = [("trig", "trig"), ("nq", "nquads"), ("ttl", "turtle")]


@pytest.mark.parametrize(("fmt", "syntax"), RAPPER_FORMATS)
def test_exports_parse_in_rapper(
    sample_store: GraphStore, tmp_path: Path, fmt: str, syntax: str
) -> None:
    from kg.export import export

    rapper = shutil.which("rapper")
    if rapper is None:
        if os.environ.get("CI"):
            pytest.fail("rapper (Debian raptor2-utils) must be installed in CI by .ci/run")
        pytest.skip("rapper not installed (apt-get install raptor2-utils)")
    [path] = export(sample_store, fmt, tmp_path / f"dump.{fmt}")
    run = subprocess.run(
        [rapper, "-i", syntax, "-c", str(path)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "error" not in run.stderr.lower(), run.stderr[-2000:]
    count = int(re.search(r"returned (\d+) (?:triples|statements)", run.stderr).group(1))  # type: ignore[union-attr]
    assert count == len(list(ox.parse(path=str(path), format=_OX_FORMATS[fmt])))


_OX_FORMATS = {"trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS, "ttl": ox.RdfFormat.TURTLE}
