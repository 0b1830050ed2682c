"""The build's writer thread: order, failures, and graphs still waiting to be written."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import pipeline
from kg.errors import StoreError
from kg.extract import Extractor
from kg.rdf.mapping import ONTOLOGY_GRAPH
from kg.store import GraphStore
from kg.store._background import BackgroundWriter

HASH = "https://w3id.org/cmkg/ontology#contentHash"


def quad(graph: str, value: str) -> ox.Quad:
    g = ox.NamedNode(graph)
    return ox.Quad(g, ox.NamedNode(HASH), ox.Literal(value), g)


class FailingStore(GraphStore):
    """An in-memory store whose n-th group of article graphs cannot be written."""

    def __init__(self, fail_at: int) -> None:
        super().__init__(None)
        self.fail_at, self.groups = fail_at, 0

    def replace_graphs(self, graphs: Iterable[tuple[str, Iterable[ox.Quad]]]) -> int:
        self.groups += 1
        if self.groups == self.fail_at:
            raise StoreError("cannot bulk load the store: disk full")
        return super().replace_graphs(graphs)


def test_a_failed_write_stops_the_build_with_the_store_error(
    tmp_path: Path, rules_extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "WRITE_GROUP", 4)
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        "\n".join(f'{{"id": "a{n}", "text": "Chile exports copper to Japan."}}' for n in range(40))
    )
    store = FailingStore(fail_at=3)
    with pytest.raises(StoreError, match="disk full"):
        pipeline.build([corpus], store, extractor=rules_extractor)
    # The two groups before the failure are whole, with their hashes; nothing after it was written.
    assert store.groups == 3
    graphs = {g.value for g in store.raw.named_graphs()} - {ONTOLOGY_GRAPH}
    assert len(graphs) == 8
    assert all(store.graph_value(g, HASH) for g in graphs)


def test_graphs_are_written_in_order_and_visible_until_then() -> None:
    store = GraphStore(None)
    release = threading.Event()
    order: list[str] = []
    original = store.replace_graphs

    def slow_replace(graphs: Iterable[tuple[str, Iterable[ox.Quad]]]) -> int:
        release.wait(timeout=10)
        graphs = list(graphs)
        order.extend(graph for graph, _ in graphs)
        return original(graphs)

    store.replace_graphs = slow_replace  # type: ignore[method-assign]
    with BackgroundWriter(store, group=4) as writer:
        for n in range(5):
            writer.put(f"urn:g{n}", [quad(f"urn:g{n}", str(n))], {HASH: str(n)})
        writer.put("urn:g0", [quad("urn:g0", "new")], {HASH: "new"})
        # Nothing is written yet: the queued values answer, the latest one for urn:g0.
        assert writer.pending_value("urn:g0", HASH) == "new"
        assert writer.is_pending("urn:g3") and not writer.is_pending("urn:g9")
        release.set()
    assert order == ["urn:g0", "urn:g1", "urn:g2", "urn:g3", "urn:g4", "urn:g0"]
    assert store.graph_value("urn:g0", HASH) == "new"
    assert store.graph_value("urn:g4", HASH) == "4"
    assert not writer.is_pending("urn:g0")


def test_replace_graphs_bulk_loads_new_graphs_and_replaces_old_ones_whole() -> None:
    store = GraphStore(None)
    store.replace_graph("urn:old", [quad("urn:old", "1"), quad("urn:old", "stale")])
    # A graph a crash left without its hash: replaced whole too.
    g = ox.NamedNode("urn:cut")
    store.raw.add(ox.Quad(g, g, ox.Literal("partial"), g))
    written = store.replace_graphs(
        [
            ("urn:old", [quad("urn:old", "2")]),
            ("urn:cut", [quad("urn:cut", "3")]),
            ("urn:new", [quad("urn:new", "4"), ox.Quad(g, g, ox.Literal("x"), g)]),
        ]
    )
    assert written == 4
    values = {
        graph: sorted(q.object.value for q in store.raw.quads_for_pattern(None, None, None, name))
        for graph, name in ((n, ox.NamedNode(n)) for n in ("urn:old", "urn:cut", "urn:new"))
    }
    # Each graph holds exactly what it was given (the stray quad moved into its graph).
    assert values == {"urn:old": ["2"], "urn:cut": ["3"], "urn:new": ["4", "x"]}


def test_quads_made_by_the_writer_and_a_failure_there_is_raised() -> None:
    store = GraphStore(None)

    def broken() -> list[ox.Quad]:
        raise ValueError("mapping bug")

    with pytest.raises(ValueError, match="mapping bug"), BackgroundWriter(store, group=2) as writer:
        writer.put("urn:g0", lambda: [quad("urn:g0", "0")], {HASH: "0"})
        writer.put("urn:g1", lambda: [quad("urn:g1", "1")], {HASH: "1"})
        writer.put("urn:g2", broken, {HASH: "2"})
        writer.put("urn:g3", lambda: [quad("urn:g3", "3")], {HASH: "3"})
    # The first group was written whole; the failed group and everything after it were not.
    assert store.graph_value("urn:g1", HASH) == "1"
    assert store.graph_value("urn:g2", HASH) is None
    assert store.graph_value("urn:g3", HASH) is None
    assert writer.written == 2
