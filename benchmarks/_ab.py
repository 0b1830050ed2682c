"""A/B switch for the benchmarks: kg's writes without the default graph of facts.

Only for measuring what keeping the default graph costs: a store written this way has article
graphs and no facts in its default graph (kg.store._facts), which kg itself never does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from unittest import mock

import kg.store.oxigraph


@contextlib.contextmanager
def without_default_graph() -> Iterator[None]:
    """While inside, new graphs are written without their facts in the default graph."""
    with mock.patch.object(kg.store.oxigraph, "default_quads", lambda graph, quads: []):
        yield
