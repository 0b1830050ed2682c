"""GEXF 1.3 export for Gephi, written with lxml and checked against the official RelaxNG schema.

networkx's own GEXF writer does not produce files that validate against the 1.3 schema (``name=""``,
``xsi:schemaLocation``, hijacked ``type``/``start`` attributes, control characters), so this module
writes the XML itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import warnings
from collections.abc import Iterable, Mapping
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, BinaryIO, TypeGuard

import networkx as nx
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from kg.errors import ExportError
from kg.export._atomic import write_atomically

__all__ = ["GEXF_NS", "PALETTE", "VIZ_NS", "GexfValueError", "validate_gexf", "write_gexf"]

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
_G, _V, _RNG = f"{{{GEXF_NS}}}", f"{{{VIZ_NS}}}", "{http://relaxng.org/ns/structure/1.0}"
#: Node colour (r, g, b) by entity type; any other type is drawn in the "other" colour.
PALETTE: dict[str, tuple[int, int, int]] = {
    "Person": (31, 119, 180),
    "Organization": (255, 127, 14),
    "Country": (44, 160, 44),
    "Mineral": (214, 39, 40),
    "Agreement": (148, 103, 189),
    "other": (127, 127, 127),
}
SIZE_MIN, SIZE_MAX = 5.0, 50.0
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INT = re.compile(r"[+-]?[0-9]+")
_DOUBLE = re.compile(r"[+-]?(NaN|Infinity|([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?)")
# Keys written as XML attributes of <node>/<edge> rather than as <attvalue>s.
_RESERVED = {
    "node": frozenset({"label", "start", "end"}),
    "edge": frozenset({"label", "start", "end", "weight"}),
}
# Titles Gephi already uses for its own columns; an attribute titled so gets a suffix.
_TAKEN = {
    "node": ("id", "label", "timeset", "start", "end"),
    "edge": ("id", "label", "timeset", "start", "end", "weight"),
}


class GexfValueError(ExportError, ValueError):
    """Graph data that cannot be written as GEXF (colliding ids, bad dates or weights)."""


class _Cleaner:
    """Strip characters XML 1.0 forbids, counting how many values changed."""

    def __init__(self) -> None:
        self.changed = 0

    def __call__(self, value: object) -> str:
        text = value if isinstance(value, str) else str(value)
        clean = _INVALID_XML.sub("", text)
        self.changed += clean != text
        return clean


def _scalar(value: object) -> object:
    """Python scalar for numpy scalars; lists and tuples joined with "; "."""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        return value.item()
    return value


def _is_long(v: object) -> TypeGuard[int]:
    return isinstance(v, int) and not isinstance(v, bool) and -(2**63) <= v < 2**63


def _is_number(v: object) -> TypeGuard[int | float]:
    return _is_long(v) or isinstance(v, float)


def _finite(v: object) -> float | None:
    return float(v) if _is_number(v) and math.isfinite(v) else None


def _gexf_type(values: list[object]) -> str:
    if values and all(isinstance(v, bool) for v in values):
        return "boolean"
    if values and all(_is_long(v) for v in values):
        return "long"
    if values and all(_is_number(v) for v in values):
        return "double"
    return "string"


def _double(x: float) -> str:
    """Format a double that both Java's ``Double.parseDouble`` and Python's ``float`` read."""
    if not math.isfinite(x):
        return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")
    return repr(x)


def _date(value: object, what: str) -> str:
    text = value.isoformat() if isinstance(value, dt.date) else value
    if isinstance(text, str) and _ISO_DATE.fullmatch(text):
        try:
            dt.date.fromisoformat(text)
            return text
        except ValueError:
            pass
    raise GexfValueError(f"{what}: {value!r} is not an ISO date YYYY-MM-DD")


def _declare(
    parent: etree._Element, cls: str, rows: Iterable[Mapping[Any, object]], clean: _Cleaner
) -> dict[Any, tuple[str, str]]:
    """Declare <attributes class=cls>; return {key: (attribute id, GEXF type)}."""
    values: dict[Any, list[object]] = {}
    for data in rows:
        for key, value in data.items():
            if key not in _RESERVED[cls]:
                values.setdefault(key, []).extend(() if value is None else (value,))
    titles = {key: clean(key) for key in values}
    taken = set(_TAKEN[cls])
    # Exact lower-case keys ("type") keep their title when "Type" also occurs.
    for key in sorted(values, key=lambda k: (titles[k] != titles[k].lower(), titles[k])):
        base, n = titles[key], 2
        while titles[key].lower() in taken:
            titles[key], n = f"{base}_{n}", n + 1
        taken.add(titles[key].lower())
    decl = etree.SubElement(parent, _G + "attributes", {"class": cls})
    out: dict[Any, tuple[str, str]] = {}
    for i, (key, vals) in enumerate(values.items()):
        out[key] = (str(i), _gexf_type(vals))
        etree.SubElement(decl, _G + "attribute", id=str(i), title=titles[key], type=out[key][1])
    return out


def _attvalues(
    el: etree._Element,
    data: Mapping[Any, object],
    decl: dict[Any, tuple[str, str]],
    clean: _Cleaner,
) -> None:
    rows = [(decl[k], v) for k, v in data.items() if k in decl and v is not None]
    if not rows:
        return
    box = etree.SubElement(el, _G + "attvalues")
    for (aid, gtype), v in rows:
        if gtype == "boolean":
            text = "true" if v else "false"
        elif gtype == "long":
            text = str(v)
        elif gtype == "double" and _is_number(v):
            text = _double(float(v))
        else:
            text = clean(v)
        etree.SubElement(box, _G + "attvalue", {"for": aid, "value": text})


def _interval(el: etree._Element, data: Mapping[Any, object], what: str) -> None:
    start, end = data.get("start"), data.get("end")
    if start is not None:
        el.set("start", start := _date(start, f"{what} start"))
    if end is not None:
        el.set("end", end := _date(end, f"{what} end"))
    if isinstance(start, str) and isinstance(end, str) and start > end:
        raise GexfValueError(f"{what}: start {start} is after end {end}")


def _sizes(graph: nx.MultiDiGraph, nodes: list[tuple[Any, dict[Any, object]]]) -> list[float]:
    """Node sizes in [SIZE_MIN, SIZE_MAX], linear in pagerank, else in degree."""
    metric: list[float | None] = []
    for attr in ("pagerank", "degree"):
        metric = [_finite(d.get(attr)) for _, d in nodes]
        if any(m is not None for m in metric):
            break
    else:
        metric = [float(graph.degree(n)) for n, _ in nodes]
    known = [m for m in metric if m is not None]
    lo, span = min(known, default=0.0), max(known, default=0.0) - min(known, default=0.0)
    # Missing values get the smallest size; a graph where all are equal, the middle one.
    return [
        SIZE_MIN
        if m is None
        else SIZE_MIN + (SIZE_MAX - SIZE_MIN) * ((m - lo) / span if span else 0.5)
        for m in metric
    ]


def _weight(value: object, what: str) -> str:
    number = _finite(_scalar(value))
    if number is None:
        raise GexfValueError(f"{what}: weight {value!r} is not a finite number")
    return repr(number)


def write_gexf(graph: nx.MultiDiGraph, path: str | Path) -> None:
    """Write ``graph`` as a GEXF 1.3 file that Gephi opens and the official schema accepts.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        Nodes keyed by IRI with scalar attributes: ``label``, ``type`` (colours the node),
        ``pagerank`` or ``degree`` (sizes it), optional ``start``/``end`` ISO dates. Edges
        carry ``relation`` (also written as edge ``label`` and ``kind``), ``weight`` and optional
        ``start``/``end``. Other attributes become typed GEXF attributes (boolean, long, double
        or string; ``None`` is skipped). An undirected graph gets ``defaultedgetype="undirected"``.
    path : str or pathlib.Path
        Output file; replaced atomically, so a failure leaves any previous file untouched.

    Raises
    ------
    GexfValueError
        (a ``ValueError``) if two node keys coincide once converted to clean strings, or a date,
        an interval or a weight is invalid. Nothing is written.
    kg.errors.ExportError
        If the file cannot be written (for example its folder does not exist).

    Warns
    -----
    UserWarning
        Once per call if characters not allowed in XML 1.0 (C0 controls other than tab, newline
        and carriage return, lone surrogates, U+FFFE, U+FFFF) were removed from ids, labels or
        values; the message says how many values changed.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import networkx as nx
    >>> from lxml import etree
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("ex:pk", label="Pakistan", type="Country", start="2025-09-01")
    >>> g.add_node("ex:cu", label="copper", type="Mineral")
    >>> _ = g.add_edge("ex:pk", "ex:cu", relation="exports", weight=2)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = Path(tmp) / "graph.gexf"
    ...     write_gexf(g, out)
    ...     nodes = etree.parse(str(out)).findall(".//{http://gexf.net/1.3}node")
    ...     problems = validate_gexf(out)
    >>> len(nodes), problems
    (2, [])
    """
    path, clean = Path(path), _Cleaner()
    nodes = [(n, {k: _scalar(v) for k, v in d.items()}) for n, d in graph.nodes(data=True)]
    edges = [(u, v, {k: _scalar(x) for k, x in d.items()}) for u, v, d in graph.edges(data=True)]
    ids: dict[Any, str] = {}
    owner: dict[str, Any] = {}
    for n, _ in nodes:
        ids[n] = clean(n)
        if ids[n] in owner:
            raise GexfValueError(f"node keys {owner[ids[n]]!r} and {n!r} both become id {ids[n]!r}")
        owner[ids[n]] = n
    dynamic = any(d.get(t) is not None for *_, d in (*nodes, *edges) for t in ("start", "end"))

    root = etree.fromstring(f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{VIZ_NS}" version="1.3"/>')
    etree.SubElement(etree.SubElement(root, _G + "meta"), _G + "creator").text = "kg"
    g_el = etree.SubElement(root, _G + "graph")
    g_el.set("defaultedgetype", "directed" if graph.is_directed() else "undirected")
    g_el.set("mode", "dynamic" if dynamic else "static")
    if dynamic:
        g_el.set("timeformat", "date")
    node_decl = _declare(g_el, "node", (d for _, d in nodes), clean)
    edge_decl = _declare(g_el, "edge", (d for *_, d in edges), clean)

    nodes_el = etree.SubElement(g_el, _G + "nodes", count=str(len(nodes)))
    for (n, d), size in zip(nodes, _sizes(graph, nodes), strict=True):
        label = d.get("label")
        el = etree.SubElement(nodes_el, _G + "node", id=ids[n])
        el.set("label", ids[n] if label is None else clean(label))
        _interval(el, d, f"node {ids[n]!r}")
        _attvalues(el, d, node_decl, clean)
        kind = str(d.get("type", "")).casefold()
        rgb = next((c for t, c in PALETTE.items() if t.casefold() == kind), PALETTE["other"])
        etree.SubElement(el, _V + "color", r=str(rgb[0]), g=str(rgb[1]), b=str(rgb[2]))
        etree.SubElement(el, _V + "size", value=repr(round(size, 3)))

    edges_el = etree.SubElement(g_el, _G + "edges", count=str(len(edges)))
    for i, (u, v, d) in enumerate(edges):
        el = etree.SubElement(edges_el, _G + "edge", id=f"e{i}", source=ids[u], target=ids[v])
        relation = None if d.get("relation") is None else clean(d["relation"])
        label = relation if d.get("label") is None else clean(d["label"])
        if label is not None:
            el.set("label", label)
        if relation is not None:
            el.set("kind", relation)
        if d.get("weight") is not None:
            el.set("weight", _weight(d["weight"], f"edge e{i} {ids[u]!r}->{ids[v]!r}"))
        _interval(el, d, f"edge e{i}")
        _attvalues(el, d, edge_decl, clean)

    if clean.changed:
        warnings.warn(
            f"GEXF export: removed characters not allowed in XML 1.0 from {clean.changed} value(s)",
            stacklevel=2,
        )
    _write_atomically(etree.ElementTree(root), path)


def _write_atomically(tree: etree._ElementTree, path: Path) -> None:
    def write(fh: BinaryIO) -> None:
        tree.write(fh, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    write_atomically({path: write}, what="GEXF")


@functools.cache
def _schema() -> etree.RelaxNG:
    """Load the vendored GEXF 1.3 RelaxNG, with its includes inlined.

    Reading the files through :mod:`importlib.resources` and inlining ``<include href>`` as
    ``<div>`` (what RELAX NG simplification does) works from a wheel, a zip or a path with
    characters that URI resolution would trip on.
    """
    folder: Traversable = files("kg.export") / "schemas" / "gexf-1.3"
    root = etree.fromstring((folder / "gexf.rng").read_bytes())
    for inc in root.findall(_RNG + "include"):
        sub = etree.fromstring((folder / inc.get("href", "")).read_bytes())
        div = etree.Element(_RNG + "div", {str(k): str(v) for k, v in inc.items() if k != "href"})
        etree.SubElement(div, _RNG + "div", {str(k): str(v) for k, v in sub.items()}).extend(sub)
        root.replace(inc, div)
    return etree.RelaxNG(root)


def _value_ok(gtype: str, value: str) -> bool:
    if gtype in ("integer", "long", "short", "byte", "biginteger"):
        return bool(_INT.fullmatch(value))
    if gtype in ("double", "float", "bigdecimal"):
        return bool(_DOUBLE.fullmatch(value))
    return gtype != "boolean" or value in ("true", "false", "1", "0")


def validate_gexf(path: str | Path) -> list[str]:
    """Check a GEXF file as Gephi will read it; return the problems found (empty if valid).

    Checks: well-formed XML 1.0; valid against the official GEXF 1.3 RelaxNG schema; every
    ``<attvalue>`` names a declared attribute and parses as its type; node ids are unique, edges
    join existing nodes, edge ids are unique.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        doc = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    problems = [] if doc.docinfo.xml_version == "1.0" else ["XML version is not 1.0"]
    schema = _schema()
    if not schema.validate(doc):
        problems += [f"schema: line {e.line}: {e.message}" for e in schema.error_log]
    ns = {"g": GEXF_NS}
    decl = {
        (attrs.get("class"), a.get("id")): a.get("type", "string")
        for attrs in doc.iterfind(".//g:attributes", ns)
        for a in attrs.iterfind("g:attribute", ns)
    }
    node_ids: set[str | None] = set()
    for n in doc.iterfind(".//g:nodes/g:node", ns):
        if n.get("id") in node_ids:
            problems.append(f"duplicate node id {n.get('id')!r}")
        node_ids.add(n.get("id"))
    edge_ids: set[str | None] = set()
    for e in doc.iterfind(".//g:edges/g:edge", ns):
        for end in ("source", "target"):
            if e.get(end) not in node_ids:
                problems.append(f"edge {e.get('id')!r}: {end} {e.get(end)!r} is not a node")
        if e.get("id") is not None:
            if e.get("id") in edge_ids:
                problems.append(f"duplicate edge id {e.get('id')!r}")
            edge_ids.add(e.get("id"))
    for cls in ("node", "edge"):
        for el in doc.iterfind(f".//g:{cls}", ns):
            for av in el.iterfind("g:attvalues/g:attvalue", ns):
                key, value = (cls, av.get("for")), av.get("value", "")
                if key not in decl:
                    problems.append(f"{cls} {el.get('id')!r}: undeclared attribute {key[1]!r}")
                elif not _value_ok(decl[key], value):
                    problems.append(f"{cls} {el.get('id')!r}: {value!r} is not {decl[key]}")
    return problems
