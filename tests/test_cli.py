"""The command line as a user meets it: exit codes, one-line errors, the demo's files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.export import validate_gexf


def kg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "out"
    result = kg("demo", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Top actors" in result.stdout and "Who restricts exports" in result.stdout
    return out


def test_demo_writes_valid_gexf_and_rdf(demo_dir: Path) -> None:
    assert validate_gexf(demo_dir / "graph.gexf") == []
    quads = list(ox.parse(path=str(demo_dir / "graph.trig"), format=ox.RdfFormat.TRIG))
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert len(graphs) >= 21  # one per sample article, plus the ontology graph


def test_demo_again_changes_nothing(demo_dir: Path) -> None:
    result = kg("build", str(Path(__file__).parent / "data"), "--store", str(demo_dir / "store"))
    assert result.returncode == 0, result.stderr
    again = kg("demo", "--out", str(demo_dir))
    assert again.returncode == 0
    build = kg(
        "build",
        str(Path(__file__).parent / "data" / "small.jsonl"),
        "--store",
        str(demo_dir / "store"),
    )
    assert "0 added, 0 replaced, 2 unchanged" in build.stderr


def test_named_query_and_formats(demo_dir: Path) -> None:
    result = kg(
        "query", "--store", str(demo_dir / "store"), "--name", "agreements", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["results"]["bindings"]
    assert rows and {"agreement", "party"} <= set(rows[0])
    listed = kg("query", "--store", str(demo_dir / "store"), "--list")
    assert "meetings" in listed.stdout


def test_forbidden_and_broken_queries(demo_dir: Path) -> None:
    store = str(demo_dir / "store")
    service = kg(
        "query", "--store", store, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    )
    assert service.returncode == 2 and service.stderr.strip().startswith("kg: error: SERVICE")
    broken = kg("query", "--store", store, "SELECT WHERE {")
    assert broken.returncode == 1 and len(broken.stderr.strip().splitlines()) == 1


def test_extract_writes_one_line_per_article(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Chile exports copper to China.", encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "Indonesia banned exports of nickel ore in 2020.", encoding="utf-8"
    )
    result = kg("extract", str(tmp_path), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert {e["name"] for e in lines[1]["entities"]} >= {"Indonesia", "nickel"}


def test_bad_inputs_exit_2_with_the_file_named(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04")
    result = kg(
        "build", str(empty), str(binary), str(tmp_path / "nope.txt"), "--store", str(tmp_path / "s")
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    for name in ("empty.txt", "blob.txt", "nope.txt"):
        assert name in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("kg: error: no usable article")
    good = tmp_path / "good.txt"
    good.write_text("Chile exports copper.")
    mixed = kg("extract", str(empty), str(good))
    assert (
        mixed.returncode == 0
        and "empty.txt" in mixed.stderr
        and len(mixed.stdout.splitlines()) == 1
    )


def test_usage_errors_list_the_choices(demo_dir: Path) -> None:
    result = kg("export", "--store", str(demo_dir / "store"), "--format", "pdf", "--out", "x.pdf")
    assert result.returncode == 2 and "gexf" in result.stderr
    missing = kg("query", "--store", str(demo_dir / "store"), "--name", "nothing")
    assert missing.returncode == 2 and "meetings" in missing.stderr
    model = kg("extract", "--model", "xx_no_such_model", str(Path(__file__)))
    assert model.returncode == 2 and "installed pipelines" in model.stderr


def test_decisions_file_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Zambia's Mines Minister Paul Chanda visited Lusaka.", "utf-8")
    decisions = tmp_path / "decisions.jsonl"
    decisions.write_text('{"match": "Paul Chanda", "type": "Person", "reject": true}\n', "utf-8")
    plain = kg("extract", str(tmp_path / "a.txt"))
    decided = kg("extract", str(tmp_path / "a.txt"), "--decisions", str(decisions))
    assert plain.returncode == 0 and decided.returncode == 0, decided.stderr
    people = [
        {e["name"] for e in json.loads(result.stdout)["entities"] if e["type"] == "Person"}
        for result in (plain, decided)
    ]
    assert people == [{"Paul Chanda"}, set()]
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n", "utf-8")
    bad = kg("extract", str(tmp_path / "a.txt"), "--decisions", str(broken))
    assert bad.returncode == 2 and "broken.jsonl:1" in bad.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_extract_on_a_terminal_writes_its_lines_to_stdout_not_beside_the_bar(
    tmp_path: Path,
) -> None:
    import os
    import pty

    (tmp_path / "a.txt").write_text("Chile exports copper to China.", encoding="utf-8")
    controller, terminal = pty.openpty()  # stderr on a terminal: the progress bar is drawn
    out = tmp_path / "out.jsonl"
    try:
        with out.open("w") as stdout:
            result = subprocess.run(
                [sys.executable, "-m", "kg", "extract", str(tmp_path / "a.txt")],
                stdout=stdout,
                stderr=terminal,
                timeout=300,
            )
    finally:
        os.close(terminal)
        os.close(controller)
    assert result.returncode == 0
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a"]
