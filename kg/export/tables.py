"""GraphML and CSV (Gephi spreadsheet import) exports of a view."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import networkx as nx

from kg.errors import ExportError


def write_graphml(graph: nx.MultiDiGraph, path: str | Path) -> None:
    """GraphML with typed keys declared for nodes and edges (networkx's writer, via lxml)."""
    path = Path(path)
    _atomic(path, lambda tmp: nx.write_graphml(graph, tmp, named_key_ids=True))


def write_csv(graph: nx.MultiDiGraph, path: str | Path) -> tuple[Path, Path]:
    """``<stem>-nodes.csv`` (Id, Label, …) and ``<stem>-edges.csv`` (Source, Target, Type, …)."""
    path = Path(path)
    stem = path.with_suffix("")
    nodes_path, edges_path = Path(f"{stem}-nodes.csv"), Path(f"{stem}-edges.csv")
    node_keys = sorted({k for _, d in graph.nodes(data=True) for k in d} - {"label"})
    edge_keys = sorted({k for *_, d in graph.edges(data=True) for k in d} - {"relation", "weight"})

    def nodes(tmp: str) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["Id", "Label", *node_keys])
            for node, data in graph.nodes(data=True):
                writer.writerow(
                    [node, data.get("label", node), *(data.get(k, "") for k in node_keys)]
                )

    def edges(tmp: str) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["Source", "Target", "Type", "Id", "Label", "Weight", *edge_keys])
            for i, (u, v, data) in enumerate(graph.edges(data=True)):
                writer.writerow(
                    [
                        u,
                        v,
                        "Directed",
                        f"e{i}",
                        data.get("relation", ""),
                        data.get("weight", 1.0),
                        *(data.get(k, "") for k in edge_keys),
                    ]
                )

    _atomic(nodes_path, nodes)
    _atomic(edges_path, edges)
    return nodes_path, edges_path


def _atomic(path: Path, write) -> None:  # type: ignore[no-untyped-def]
    try:
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(handle)
        try:
            write(tmp)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
