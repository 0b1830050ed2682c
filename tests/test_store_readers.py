"""Many readers on one store: `kg query` beside `kg serve`, writers kept out while anyone reads,
readers kept out while a build writes, and read-only copies of a store that every reading
command can use."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from kg.errors import StoreLockedError
from kg.serve import SparqlServer
from kg.store import GraphStore


def obey_permissions() -> None:
    """In a child process about to run kg: make root obey file permissions, as any user does
    (drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the capability bounding set)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def kg(*args: str, read_only: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=obey_permissions if read_only else None,
    )


def test_kg_query_beside_kg_serve_and_writers_kept_out(
    tmp_path: Path, make_store: Callable[[Path], Path]
) -> None:
    store = make_store(tmp_path / "store")
    with SparqlServer(store, port=0, workers=1).start() as server:
        result = kg("query", "--store", str(store), "--name", "country_minerals", "--format", "csv")
        assert result.returncode == 0, result.stderr
        assert "Chile,exports,copper,1" in result.stdout
        GraphStore(store, read_only=True)  # one more reader in this process too
        feed = tmp_path / "f.jsonl"
        feed.write_text('{"id": "n", "text": "Peru exports zinc."}\n')
        started = time.monotonic()
        build = kg("build", str(feed), "--store", str(store))
        assert build.returncode == 1 and time.monotonic() - started < 60
        assert build.stderr.startswith("kg: error: ") and "in use by another" in build.stderr
        sparql = SPARQLWrapper(server.url + "/sparql")
        sparql.setQuery("ASK { ?s ?p ?o }")
        sparql.setReturnFormat(JSON)
        assert sparql.queryAndConvert()["boolean"] is True  # type: ignore[index]


def test_readers_wait_for_no_writer(tmp_path: Path, make_store: Callable[[Path], Path]) -> None:
    store = make_store(tmp_path / "store")
    writer = GraphStore(store)
    with pytest.raises(StoreLockedError, match="being written by another kg process"):
        GraphStore(store, read_only=True)
    result = kg("query", "--store", str(store), "ASK { ?s ?p ?o }")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"kg: error: {store}: the store is being written by another kg process "
        "(a build, import or write-back); read it when that has finished"
    ]
    del writer
    assert kg("query", "--store", str(store), "ASK { ?s ?p ?o }").stdout.strip() == "true"


@contextlib.contextmanager
def read_only_copy(store: Path) -> Iterator[Path]:
    """A copy of ``store`` that nobody may write (``chmod -R a-w``)."""
    copy = store.with_name(store.name + "-read-only")
    shutil.copytree(store, copy)
    paths = [copy, *copy.iterdir()]
    for path in paths:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        yield copy
    finally:
        for path in paths:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_a_read_only_copy_is_queried_exported_analysed_and_validated(
    tmp_path: Path, make_store: Callable[[Path], Path]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with read_only_copy(make_store(tmp_path / "store")) as copy:
        before = listing(copy)
        result = kg("query", "--store", str(copy), "--name", "country_minerals", "--format",
                    "csv", read_only=True)  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "Chile,exports,copper,1" in result.stdout
        for fmt, name in (("gexf", "g.gexf"), ("csv", "g.csv"), ("trig", "g.trig")):
            result = kg("export", "--store", str(copy), "--format", fmt, "--out",
                        str(out / name), read_only=True)  # fmt: skip
            assert result.returncode == 0, result.stderr
        assert (out / "g.gexf").stat().st_size and (out / "g-edges.csv").stat().st_size
        assert "Chile" in (out / "g.trig").read_text(encoding="utf-8")
        result = kg("analyze", "--store", str(copy), "--format", "csv", read_only=True)
        assert result.returncode == 0 and "Chile" in result.stdout, result.stderr
        result = kg("validate", "--store", str(copy), read_only=True)
        assert result.returncode == 0 and "conforms" in result.stdout, result.stderr
        # Writing is still refused, with the folder's own error.
        result = kg("analyze", "--store", str(copy), "--write-back", read_only=True)
        assert result.returncode == 1 and "cannot open the store" in result.stderr
        assert listing(copy) == before


def test_a_read_only_copy_is_served(
    tmp_path: Path, make_store: Callable[[Path], Path], kg_serve: Callable[..., Any]
) -> None:
    with (
        read_only_copy(make_store(tmp_path / "store")) as copy,
        kg_serve(copy, preexec_fn=obey_permissions) as (url, _),
    ):
        sparql = SPARQLWrapper(url)
        sparql.setQuery("ASK { ?c <https://w3id.org/cmkg/ontology#exports> ?m }")
        sparql.setReturnFormat(JSON)
        assert sparql.queryAndConvert()["boolean"] is True  # type: ignore[index]
