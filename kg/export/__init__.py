"""Export: Gephi (GEXF 1.3), GraphML, CSV tables and RDF dumps."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import networkx as nx

from kg.analysis import centrality, communities, community_of, concentration
from kg.analysis.communities import SEED
from kg.errors import UsageError
from kg.export._cells import spreadsheet_safe
from kg.export.gexf import GexfValueError, validate_gexf, write_gexf
from kg.export.rdf import RDF_FORMATS, Dumpable, write_rdf
from kg.export.tables import write_csv, write_graphml
from kg.graph import view_of
from kg.graph.context import critical_lists
from kg.graph.views import Source

GRAPH_FORMATS = ("gexf", "graphml", "csv")
FORMATS = GRAPH_FORMATS + tuple(RDF_FORMATS)

__all__ = [
    "FORMATS",
    "GexfValueError",
    "export",
    "scored_view",
    "spreadsheet_safe",
    "validate_gexf",
    "write_csv",
    "write_gexf",
    "write_graphml",
    "write_rdf",
]


def scored_view(
    store: Source, view: str = "all", agreements: str = "nodes", seed: int = SEED
) -> nx.MultiDiGraph:
    """A view with what Gephi colours, sizes, partitions and filters nodes by.

    Every node gets its centralities (``degree``, ``betweenness``, ``eigenvector``,
    ``pagerank``) and Louvain ``community``; minerals also get ``critical`` (on any
    critical-mineral list of the store's ontology graph), ``critical_lists`` (their short names,
    ``"; "``-separated) and, where the reference table has figures, ``hhi`` and ``top_share``
    (of the most concentrated stage). All values are scalars.

    >>> from kg.store import GraphStore
    >>> scored_view(GraphStore(None)).number_of_nodes()
    0
    """
    graph = view_of(store, view, agreements)
    for node, scores in centrality(graph, seed=seed).items():
        graph.nodes[node].update({k: round(v, 6) for k, v in scores.items()})
    for node, index in community_of(communities(graph, seed=seed)).items():
        graph.nodes[node]["community"] = index
    lists = critical_lists(store)
    concentrated: dict[str, dict[str, Any]] = {}
    for row in concentration(graph=None):
        concentrated.setdefault(row["mineral"], row)
    for node, data in graph.nodes(data=True):
        if data.get("type") != "Mineral":
            continue
        data["critical"] = bool(lists.get(node))
        if lists.get(node):
            data["critical_lists"] = "; ".join(lists[node])
        if node in concentrated:
            data["hhi"] = round(concentrated[node]["hhi"], 1)
            data["top_share"] = round(concentrated[node]["top_share"], 4)
    return graph


class Exportable(Source, Dumpable, Protocol):
    """A store that answers SELECT queries and dumps itself (:class:`kg.store.GraphStore`)."""


def export(
    store: Exportable, fmt: str, out: str | Path, view: str = "all", agreements: str = "nodes"
) -> list[Path]:
    """Write the store in ``fmt`` to ``out``; returns the files written.

    Graph formats (``gexf``, ``graphml``, ``csv``) export :func:`scored_view` of ``view``;
    RDF formats dump the whole store (with the analysis graph, if results were written back).

    >>> import tempfile
    >>> from kg.store import GraphStore
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [path] = export(GraphStore(None), "gexf", Path(tmp) / "g.gexf")
    ...     problems = validate_gexf(path)
    >>> path.name, problems
    ('g.gexf', [])
    >>> export(GraphStore(None), "pdf", "g.pdf")
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: unknown export format 'pdf'; choose one of: gexf, graphml, csv, ttl, ...
    """
    out = Path(out)
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if not out.parent.exists():
        raise UsageError(f"{out.parent}: folder does not exist")
    if out.is_dir():
        raise UsageError(f"{out}: is a folder; --out takes the path of a file to write")
    if fmt in RDF_FORMATS:
        write_rdf(store, fmt, out)
        return [out]
    graph = scored_view(store, view, agreements)
    if fmt == "gexf":
        write_gexf(graph, out)
        return [out]
    if fmt == "graphml":
        write_graphml(graph, out)
        return [out]
    return list(write_csv(graph, out))
