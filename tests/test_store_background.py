"""The build's writer thread: order, failures, and graphs still waiting to be written."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import StoreError
from kg.extract import Extractor
from kg.pipeline import build
from kg.rdf.mapping import ONTOLOGY_GRAPH
from kg.store import GraphStore
from kg.store._background import BackgroundWriter

HASH = "https://w3id.org/cmkg/ontology#contentHash"


def quad(graph: str, value: str) -> ox.Quad:
    g = ox.NamedNode(graph)
    return ox.Quad(g, ox.NamedNode(HASH), ox.Literal(value), g)


class FailingStore(GraphStore):
    """An in-memory store whose n-th article graph cannot be written."""

    def __init__(self, fail_at: int) -> None:
        super().__init__(None)
        self.fail_at, self.written = fail_at, 0

    def replace_graph(self, graph: str, quads: Sequence[ox.Quad]) -> None:  # type: ignore[override]
        if graph != ONTOLOGY_GRAPH:
            self.written += 1
            if self.written == self.fail_at:
                raise StoreError(f"cannot write graph {graph}: disk full")
        super().replace_graph(graph, quads)


def test_a_failed_write_stops_the_build_with_the_store_error(
    tmp_path: Path, rules_extractor: Extractor
) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        "\n".join(f'{{"id": "a{n}", "text": "Chile exports copper to Japan."}}' for n in range(40))
    )
    store = FailingStore(fail_at=3)
    with pytest.raises(StoreError, match="disk full"):
        build([corpus], store, extractor=rules_extractor)
    # The two graphs before the failure are whole; nothing after it was written.
    assert store.written == 3
    graphs = {g.value for g in store.raw.named_graphs()} - {ONTOLOGY_GRAPH}
    assert len(graphs) == 2


def test_graphs_are_committed_in_order_and_visible_until_then() -> None:
    store = GraphStore(None)
    release = threading.Event()
    order: list[str] = []
    original = store.replace_graph

    def slow_replace(graph: str, quads: Sequence[ox.Quad]) -> None:
        release.wait(timeout=10)
        order.append(graph)
        original(graph, quads)

    store.replace_graph = slow_replace  # type: ignore[method-assign]
    with BackgroundWriter(store) as writer:
        for n in range(5):
            writer.put(f"urn:g{n}", [quad(f"urn:g{n}", str(n))], {HASH: str(n)})
        writer.put("urn:g0", [quad("urn:g0", "new")], {HASH: "new"})
        # Nothing is committed yet: the queued values answer, the latest one for urn:g0.
        assert writer.pending_value("urn:g0", HASH) == "new"
        assert writer.is_pending("urn:g3") and not writer.is_pending("urn:g9")
        release.set()
    assert order == ["urn:g0", "urn:g1", "urn:g2", "urn:g3", "urn:g4", "urn:g0"]
    assert store.graph_value("urn:g0", HASH) == "new"
    assert not writer.is_pending("urn:g0")
