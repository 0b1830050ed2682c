"""GraphML and CSV (Gephi spreadsheet import) exports of a view.

Both clean characters XML 1.0 forbids from ids, labels and values (one warning per file, as the
GEXF writer does), keep parallel edges with unique ids and their relation as label, and write
each file atomically.
"""

from __future__ import annotations

import csv
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from kg.export._atomic import text_stream, write_atomically
from kg.export._cells import spreadsheet_safe
from kg.export.gexf import GexfValueError, _Cleaner, _double, _gexf_type, _is_number, _scalar

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_GRAPHML_TYPE = {"boolean": "boolean", "long": "long", "double": "double", "string": "string"}


def _rows(graph: nx.MultiDiGraph) -> tuple[list[tuple[Any, dict[Any, Any]]], list[Any]]:
    nodes = [(n, {k: _scalar(v) for k, v in d.items()}) for n, d in graph.nodes(data=True)]
    edges = [(u, v, {k: _scalar(x) for k, x in d.items()}) for u, v, d in graph.edges(data=True)]
    return nodes, edges


def _ids(nodes: Iterable[tuple[Any, Any]], clean: _Cleaner) -> dict[Any, str]:
    ids: dict[Any, str] = {}
    owner: dict[str, Any] = {}
    for n, _ in nodes:
        ids[n] = clean(n)
        if ids[n] in owner:
            raise GexfValueError(f"node keys {owner[ids[n]]!r} and {n!r} both become id {ids[n]!r}")
        owner[ids[n]] = n
    return ids


def _warn(clean: _Cleaner, what: str) -> None:
    if clean.changed:
        warnings.warn(
            f"{what} export: removed characters not allowed in XML 1.0 from {clean.changed} "
            "value(s)",
            stacklevel=3,
        )


def write_graphml(graph: nx.MultiDiGraph, path: str | Path) -> None:
    """GraphML with every key declared (``id``, ``for``, ``attr.name``, ``attr.type``).

    Nodes get a ``label`` key; edges get unique ids (``e0``, ``e1``, …; parallel edges stay
    separate), a ``label`` (the relation) and a ``weight``. Each key has one type for all its
    values (boolean, long, double, or string when they are mixed); ``None`` values are left out.

    Examples
    --------
    >>> import io, tempfile
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("ex:a", label="A & <B>", critical=True)
    >>> _ = g.add_edge("ex:a", "ex:b", relation="exports", weight=2.0)
    >>> _ = g.add_edge("ex:a", "ex:b", relation="produces", weight=1.0)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_graphml(g, Path(tmp) / "g.graphml")
    ...     doc = etree.parse(str(Path(tmp) / "g.graphml"))
    >>> ns = {"g": GRAPHML_NS}
    >>> sorted((k.get("for"), k.get("attr.name"), k.get("attr.type"))
    ...        for k in doc.iterfind("g:key", ns))  # doctest: +NORMALIZE_WHITESPACE
    [('edge', 'label', 'string'), ('edge', 'relation', 'string'), ('edge', 'weight', 'double'),
     ('node', 'critical', 'boolean'), ('node', 'label', 'string')]
    >>> [e.get("id") for e in doc.iterfind(".//g:edge", ns)]
    ['e0', 'e1']
    """
    path, clean = Path(path), _Cleaner()
    nodes, edges = _rows(graph)
    ids = _ids(nodes, clean)
    edges = [(u, v, {"label": d.get("relation"), **d}) for u, v, d in edges]
    root = etree.fromstring(f'<graphml xmlns="{GRAPHML_NS}"/>')
    node_keys = _declare_keys(root, "node", (d for _, d in nodes), clean)
    edge_keys = _declare_keys(root, "edge", (d for *_, d in edges), clean)
    g_el = etree.SubElement(root, f"{{{GRAPHML_NS}}}graph", id="G")
    g_el.set("edgedefault", "directed" if graph.is_directed() else "undirected")
    for n, d in nodes:
        el = etree.SubElement(g_el, f"{{{GRAPHML_NS}}}node", id=ids[n])
        _data(el, {"label": ids[n], **d}, node_keys, clean)
    for i, (u, v, d) in enumerate(edges):
        el = etree.SubElement(
            g_el, f"{{{GRAPHML_NS}}}edge", id=f"e{i}", source=ids[u], target=ids[v]
        )
        _data(el, d, edge_keys, clean)
    _warn(clean, "GraphML")

    def write(fh: BinaryIO) -> None:
        etree.ElementTree(root).write(fh, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    write_atomically({path: write})


def _declare_keys(
    root: etree._Element, scope: str, rows: Iterable[Mapping[Any, Any]], clean: _Cleaner
) -> dict[Any, tuple[str, str]]:
    values: dict[Any, list[Any]] = {"label": []} if scope == "node" else {}
    for data in rows:
        for key, value in data.items():
            values.setdefault(key, []).extend(() if value is None else (value,))
    out: dict[Any, tuple[str, str]] = {}
    for i, (key, vals) in enumerate(values.items()):
        kid, gtype = f"{scope[0]}{i}", _GRAPHML_TYPE[_gexf_type(vals)]
        out[key] = (kid, gtype)
        attrs = {"id": kid, "for": scope, "attr.name": clean(key), "attr.type": gtype}
        etree.SubElement(root, f"{{{GRAPHML_NS}}}key", attrs)
    return out


def _data(
    el: etree._Element,
    data: Mapping[Any, Any],
    keys: Mapping[Any, tuple[str, str]],
    clean: _Cleaner,
) -> None:
    for key, value in data.items():
        if value is None or key not in keys:
            continue
        kid, gtype = keys[key]
        if gtype == "boolean":
            text = "true" if value else "false"
        elif gtype == "double" and _is_number(value):
            text = _double(float(value))
        else:
            text = clean(value)
        etree.SubElement(el, f"{{{GRAPHML_NS}}}data", key=kid).text = text


def _interval(data: Mapping[Any, Any]) -> str:
    """Gephi's ``Time Interval`` cell, ``<[start, end]>``, or empty."""
    start, end = data.get("start"), data.get("end")
    if start is None and end is None:
        return ""
    return f"<[{start or end}, {end or start}]>"


def write_csv(graph: nx.MultiDiGraph, path: str | Path) -> tuple[Path, Path]:
    """``<stem>-nodes.csv`` and ``<stem>-edges.csv`` for Gephi's spreadsheet import.

    Node table: ``Id``, ``Label``, the attributes, ``Time Interval``. Edge table: ``Source``,
    ``Target``, ``Type`` (``Directed``), ``Kind`` and ``Label`` (the relation: Gephi keeps
    parallel edges of different kinds apart and shows the label), ``Id``, ``Weight``, the other
    attributes, ``Time Interval``. Intervals are written as Gephi reads them: ``<[start, end]>``.

    Examples
    --------
    >>> import tempfile
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("ex:a", label="A", start="2025-01-02", end="2025-03-04")
    >>> _ = g.add_edge("ex:a", "ex:b", relation="exports", weight=2.0)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     nodes, edges = write_csv(g, Path(tmp) / "g.csv")
    ...     print(nodes.read_text() + edges.read_text())
    Id,Label,end,start,Time Interval
    ex:a,A,2025-03-04,2025-01-02,"<[2025-01-02, 2025-03-04]>"
    ex:b,ex:b,,,
    Source,Target,Type,Kind,Id,Label,Weight,Time Interval
    ex:a,ex:b,Directed,exports,e0,exports,2.0,
    <BLANKLINE>
    """
    path, clean = Path(path), _Cleaner()
    stem = path.with_suffix("")
    nodes_path, edges_path = Path(f"{stem}-nodes.csv"), Path(f"{stem}-edges.csv")
    nodes, edges = _rows(graph)
    ids = _ids(nodes, clean)
    node_keys = sorted({k for _, d in nodes for k in d} - {"label"}, key=str)
    edge_keys = sorted({k for *_, d in edges for k in d} - {"relation", "weight"}, key=str)

    def cell(value: Any) -> Any:
        if value is None:
            return ""
        # A label may start with "=": it stays text in a spreadsheet (kg.export._cells).
        return spreadsheet_safe(clean(value)) if isinstance(value, str) else value

    def write_nodes(fh: BinaryIO) -> None:
        with text_stream(fh) as f:
            writer = csv.writer(f)
            writer.writerow(["Id", "Label", *map(clean, node_keys), "Time Interval"])
            for node, data in nodes:
                label = cell(data.get("label", ids[node]))
                row = [cell(data.get(k)) for k in node_keys]
                writer.writerow([ids[node], label, *row, _interval(data)])

    def write_edges(fh: BinaryIO) -> None:
        with text_stream(fh) as f:
            writer = csv.writer(f)
            header = ["Source", "Target", "Type", "Kind", "Id", "Label", "Weight"]
            writer.writerow([*header, *map(clean, edge_keys), "Time Interval"])
            for i, (u, v, data) in enumerate(edges):
                kind = cell(data.get("relation", ""))
                first = [ids[u], ids[v], "Directed", kind, f"e{i}", kind]
                row = [cell(data.get(k)) for k in edge_keys]
                writer.writerow([*first, data.get("weight", 1.0), *row, _interval(data)])

    write_atomically({nodes_path: write_nodes, edges_path: write_edges})
    _warn(clean, "CSV")
    return nodes_path, edges_path
