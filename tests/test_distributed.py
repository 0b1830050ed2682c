"""The Dask runner on a local cluster (threads in this process, loopback only)."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.distributed import partition_paths, run_distributed
from kg.extract import Extractor
from kg.pipeline import build
from kg.store import GraphStore

distributed = pytest.importorskip("distributed")

TEXTS = [
    "Energy Secretary Chris Wright met Chilean Mining Minister Aurora Williams in Santiago.",
    "China restricted exports of gallium and germanium to the United States.",
    "Indonesia banned exports of nickel ore in 2020 and built smelters instead.",
    "Wright said the United States would buy more lithium from Chile.",
    "Peru and Canada agreed to cooperate on copper mining and processing.",
]


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    with distributed.LocalCluster(  # in-process: workers are threads, comms never leave it
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as local:
        yield local


def test_distributed_equals_a_plain_build(
    tmp_path: Path,
    cluster,
    model_extractor: Extractor,  # type: ignore[no-untyped-def]
) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": f"d{n}", "text": t}) + "\n" for n, t in enumerate(TEXTS))
        + '{"id": "d0", "text": "A duplicate."}\n'
    )
    store = GraphStore(tmp_path / "dist")
    warnings: list[str] = []
    report = run_distributed(
        [corpus],
        tmp_path / "parts",
        store=store,
        scheduler=cluster.scheduler_address,
        shards=3,
        warn=warnings.append,
    )
    assert (report.added, report.unchanged, report.skip_reasons()) == (5, 0, {"duplicate id": 1})
    assert report.triples > 0 and "5 articles (5 added" in report.summary()
    for index in range(3):  # 5 articles in shards of 2: three N-Quads partitions
        data, hashes = partition_paths(tmp_path / "parts", index)
        assert list(ox.parse(path=str(data), format=ox.RdfFormat.N_QUADS))
        last = list(ox.parse(path=str(hashes), format=ox.RdfFormat.N_QUADS))
        assert len([q for q in last if q.graph_name != ox.DefaultGraph()]) <= 2  # the hashes
        assert any(q.graph_name == ox.DefaultGraph() for q in last)  # and the articles' facts
    plain = GraphStore(tmp_path / "plain")
    build([corpus], plain, extractor=model_extractor)
    distributed_quads = sorted(str(q) for q in store.raw)
    assert distributed_quads == sorted(str(q) for q in plain.raw)
    assert any("Chris Wright" in q and "graph/d3-" in q for q in distributed_quads)

    again = run_distributed(
        [corpus], tmp_path / "parts", store=store, scheduler=cluster.scheduler_address
    )
    assert (again.added, again.replaced, again.unchanged) == (0, 0, 5)
    assert sorted(str(q) for q in store.raw) == distributed_quads


def test_cli_on_a_local_process_cluster(tmp_path: Path) -> None:
    import subprocess
    import sys

    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": f"c{n}", "text": t}) + "\n" for n, t in enumerate(TEXTS[:3]))
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg",
            "distributed",
            str(corpus),
            "--out",
            str(tmp_path / "p"),
            "--store",
            str(tmp_path / "s"),
            "--workers",
            "1",
            "--shards",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("kg: 3 articles (3 added")
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == [
        "part-00000.hash.nq",
        "part-00000.nq",
        "part-00001.hash.nq",
        "part-00001.nq",
    ]
    store = GraphStore(tmp_path / "s", must_exist=True)
    assert len(list(store.raw.named_graphs())) == 4


def test_warc_ranges_are_read_on_the_workers(
    tmp_path: Path,
    cluster,
    rules_extractor: Extractor,
    make_warc,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    import kg.distributed

    tail = " It was said on Monday by officials in the capital, who gave no details."
    pages = [
        (
            "response",
            f"https://news.example/{n}",
            f"<html><body><article><p>{text}{tail}</p></article></body></html>".encode(),
            "text/html",
        )
        for n, text in enumerate(TEXTS)
    ]
    crawl = tmp_path / "crawl.warc.gz"
    crawl.write_bytes(make_warc([("request", "https://news.example/", b"GET /", ""), *pages]))
    log = tmp_path / "ranges.txt"  # the spy travels pickled: it tells through a file
    real = kg.distributed.ingest_part

    def spy(part):  # type: ignore[no-untyped-def]
        with log.open("a") as handle:
            handle.write(f"{part.first}-{part.stop}\n")
        return real(part)

    monkeypatch.setattr(kg.distributed, "WARC_RANGE", 500)  # a range or two a record
    monkeypatch.setattr(kg.distributed, "ingest_part", spy)
    monkeypatch.setattr(kg.distributed, "_extractor", lambda model, parse=True: rules_extractor)
    store = GraphStore(None)
    report = run_distributed(
        [crawl], tmp_path / "parts", store=store, scheduler=cluster.scheduler_address
    )
    assert len(log.read_text().split()) >= len(pages) and report.inputs == {"WARC records": 6}
    assert report.skip_reasons() == {"WARC request record": 1}
    plain = GraphStore(None)
    build([crawl], plain, extractor=rules_extractor)
    assert sorted(str(q) for q in store.raw) == sorted(str(q) for q in plain.raw)
