"""Export: Gephi (GEXF 1.3), GraphML, CSV tables and RDF dumps."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from kg.analysis import centrality
from kg.errors import UsageError
from kg.export.gexf import GexfValueError, validate_gexf, write_gexf
from kg.export.rdf import RDF_FORMATS, write_rdf
from kg.export.tables import write_csv, write_graphml
from kg.graph import view_of
from kg.store import GraphStore

GRAPH_FORMATS = ("gexf", "graphml", "csv")
FORMATS = GRAPH_FORMATS + tuple(RDF_FORMATS)

__all__ = [
    "FORMATS",
    "GexfValueError",
    "export",
    "scored_view",
    "validate_gexf",
    "write_csv",
    "write_gexf",
    "write_graphml",
    "write_rdf",
]


def scored_view(store: GraphStore, view: str = "all") -> nx.MultiDiGraph:
    """A view with each node's centralities as attributes (what Gephi sizes nodes by)."""
    graph = view_of(store, view)
    for node, scores in centrality(graph).items():
        graph.nodes[node].update({k: round(v, 6) for k, v in scores.items()})
    return graph


def export(store: GraphStore, fmt: str, out: str | Path, view: str = "all") -> list[Path]:
    """Write the store in ``fmt`` to ``out``; returns the files written."""
    out = Path(out)
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if not out.parent.exists():
        raise UsageError(f"{out.parent}: folder does not exist")
    if fmt in RDF_FORMATS:
        write_rdf(store, fmt, out)
        return [out]
    graph = scored_view(store, view)
    if fmt == "gexf":
        write_gexf(graph, out)
        return [out]
    if fmt == "graphml":
        write_graphml(graph, out)
        return [out]
    return list(write_csv(graph, out))
