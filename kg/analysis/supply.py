"""Supply concentration: world production by country (USGS MCS 2025) joined with the news facts.

The reference table ``ontology/reference/usgs-mcs-2025-production.csv`` lists, per mineral and
stage (mine, refinery, primary), the world total (country ``WLD``) and the leading producers.
Shares are fractions of the world total; the producers not listed form an implicit remainder.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import InputError
from kg.resources import ontology_file
from kg.vocab import Vocabulary, load_vocabulary

COUNTRY_BASE = "https://w3id.org/cmkg/id/country/"
MINERAL_BASE = "https://w3id.org/cmkg/id/mineral/"
WORLD = "WLD"
COLUMNS = ("mineral", "stage", "country", "value", "unit", "year", "source", "note")
#: News relations that say an actor supplies a mineral.
SUPPLIES = frozenset({"produces", "exports", "dominates_supply_of"})


@dataclass(frozen=True, slots=True)
class Production:
    """One row of the reference table: a country's (or the world's) production of a mineral."""

    mineral: str
    stage: str
    country: str
    value: float
    unit: str
    year: int
    source: str
    note: str = ""


def load_reference(path: str | Path | None = None) -> list[Production]:
    """The reference production table (by default the bundled USGS MCS 2025 figures).

    Raises
    ------
    kg.errors.InputError
        If a column is missing, a value or year is not a number, a row has no source, or a
        mineral and stage has no single ``WLD`` (world) row or listed producers exceeding it.

    Examples
    --------
    >>> rows = load_reference()
    >>> gallium = [r for r in rows if r.mineral.endswith("/gallium")]
    >>> [(r.country, r.value, r.unit, r.year) for r in gallium]
    [('WLD', 760000.0, 'kg Ga', 2024), ('CHN', 750000.0, 'kg Ga', 2024)]
    """
    resource = Path(path) if path is not None else ontology_file("reference", _DEFAULT)
    name = str(path) if path is not None else f"ontology/reference/{_DEFAULT}"
    text = resource.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise InputError(f"{name}: missing columns {', '.join(missing)}; expected {COLUMNS}")
    rows: list[Production] = []
    for line, raw in enumerate(reader, start=2):
        try:
            row = Production(
                mineral=raw["mineral"].strip(),
                stage=raw["stage"].strip(),
                country=raw["country"].strip().upper(),
                value=float(raw["value"]),
                unit=raw["unit"].strip(),
                year=int(raw["year"]),
                source=raw["source"].strip(),
                note=(raw.get("note") or "").strip(),
            )
        except (TypeError, ValueError):
            raise InputError(f"{name}:{line}: value and year must be numbers") from None
        if not row.source or not row.mineral.startswith("http") or row.value < 0:
            raise InputError(f"{name}:{line}: needs a mineral IRI, a value >= 0 and a source")
        rows.append(row)
    _check_totals(rows, name)
    return rows


_DEFAULT = "usgs-mcs-2025-production.csv"


def _check_totals(rows: list[Production], name: str) -> None:
    groups: dict[tuple[str, str], list[Production]] = defaultdict(list)
    for row in rows:
        groups[(row.mineral, row.stage)].append(row)
    for (mineral, stage), members in groups.items():
        worlds = [r for r in members if r.country == WORLD]
        if len(worlds) != 1:
            raise InputError(f"{name}: {mineral} ({stage}) needs exactly one {WORLD} row")
        listed = sum(r.value for r in members if r.country != WORLD)
        if listed > worlds[0].value * 1.001:
            raise InputError(f"{name}: {mineral} ({stage}): producers exceed the world total")


def shares(reference: Iterable[Production]) -> dict[tuple[str, str], dict[str, float]]:
    """(mineral, stage) → {ISO3: fraction of the world total} for the listed producers.

    >>> s = shares(load_reference())
    >>> round(s[(MINERAL_BASE + "cobalt", "mine")]["COD"], 3)
    0.759
    """
    rows = list(reference)
    world = {(r.mineral, r.stage): r.value for r in rows if r.country == WORLD}
    out: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for r in rows:
        key = (r.mineral, r.stage)
        if r.country != WORLD and world.get(key):
            out[key][r.country] = r.value / world[key]
    return dict(out)


def hhi(fractions: Iterable[float]) -> float:
    """Herfindahl–Hirschman index of market shares given as fractions, on the 0–10,000 scale.

    >>> hhi([0.5, 0.5]), hhi([1.0]), round(hhi([0.3, 0.2]), 1)
    (5000.0, 10000.0, 1300.0)
    """
    return sum((100.0 * f) ** 2 for f in fractions)


def related_minerals(mineral: str, vocabulary: Vocabulary | None = None) -> frozenset[str]:
    """``mineral`` with its broader and narrower concepts (transitively) in the vocabulary.

    News about "heavy rare earths" or "dysprosium" is news about rare earth elements, and news
    about "graphite" concerns natural graphite.

    >>> related = related_minerals(MINERAL_BASE + "natural-graphite")
    >>> MINERAL_BASE + "graphite" in related
    True
    """
    vocab = vocabulary or load_vocabulary()
    broader = {c.iri: set(c.broader) for c in vocab.of_kind("Mineral")}
    narrower: dict[str, set[str]] = defaultdict(set)
    for child, parents in broader.items():
        for parent in parents:
            narrower[parent].add(child)
    found = {mineral}
    for links in (broader, narrower):
        todo = [mineral]
        while todo:
            for nxt in links.get(todo.pop(), ()):
                if nxt not in found:
                    found.add(nxt)
                    todo.append(nxt)
    return frozenset(found)


def news_facts(graph: nx.MultiDiGraph) -> dict[str, dict[str, set[str]]]:
    """mineral IRI → relation → actors the news says stand in that relation to the mineral.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("ex:cn", MINERAL_BASE + "gallium", relation="produces")
    >>> news_facts(g)[MINERAL_BASE + "gallium"]["produces"]
    {'ex:cn'}
    """
    facts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for u, v, relation in graph.edges(data="relation"):
        if isinstance(v, str) and v.startswith(MINERAL_BASE):
            facts[v][relation].add(u)
    return {m: dict(r) for m, r in facts.items()}


def label_of(iri: str, graph: nx.Graph | None = None, vocabulary: Vocabulary | None = None) -> str:
    """A label for an IRI or an ISO3 code: the graph's, else the vocabulary's, else the key.

    >>> label_of("CHN"), label_of(MINERAL_BASE + "gallium")
    ('China', 'gallium')
    """
    if graph is not None and iri in graph and graph.nodes[iri].get("label"):
        return str(graph.nodes[iri]["label"])
    vocab = vocabulary or load_vocabulary()
    key = COUNTRY_BASE + iri if len(iri) == 3 and iri.isupper() else iri
    concept = vocab.get(key)
    return concept.label if concept else iri


def concentration(
    reference: Iterable[Production] | None = None,
    graph: nx.MultiDiGraph | None = None,
    vocabulary: Vocabulary | None = None,
) -> list[dict[str, Any]]:
    """Supply concentration per mineral and stage, most concentrated first.

    ``hhi`` is the Herfindahl–Hirschman index (0–10,000) over the listed producers' shares of the
    world total. The producers the table does not list are treated as fragmented (each tiny), so
    ``hhi`` is a lower bound; ``covered`` says how much of the world total is listed.
    With a ``graph`` (a view), the news facts are joined: which actors the news says produce or
    export (``news_suppliers``), dominate (``news_dominant``) or restrict (``news_restrictors``)
    the mineral or a broader or narrower one, and whether the leading producer of the reference
    is among the news suppliers (``news_names_top``).

    Parameters
    ----------
    reference : iterable of Production, optional
        Default: :func:`load_reference`.
    graph : networkx.MultiDiGraph, optional
        A view, for the news facts and labels.
    vocabulary : kg.vocab.Vocabulary, optional
        For labels and broader/narrower minerals (default: the bundled one).

    Returns
    -------
    list of dict
        One row per mineral and stage: ``mineral`` (IRI), ``label``, ``stage``, ``hhi``,
        ``top3_share``, ``top_producer`` (ISO3), ``top_producer_label``, ``top_share``,
        ``covered``, ``world``, ``unit``, ``year``, ``source`` and, with a graph, the news columns.

    Examples
    --------
    >>> rows = concentration()
    >>> [(r["label"], r["stage"], round(r["hhi"]), r["top_producer"]) for r in rows[:2]]
    [('gallium', 'primary', 9739, 'CHN'), ('germanium', 'primary', 7438, 'CHN')]
    >>> round(rows[0]["top3_share"], 3)
    0.987
    """
    rows = list(reference) if reference is not None else load_reference()
    vocab = vocabulary or load_vocabulary()
    by_key = shares(rows)
    world = {(r.mineral, r.stage): r for r in rows if r.country == WORLD}
    facts = news_facts(graph) if graph is not None else {}
    table = []
    for key, fractions in by_key.items():
        mineral, stage = key
        ranked = sorted(fractions.items(), key=lambda item: (-item[1], item[0]))
        top, top_share = ranked[0]
        row: dict[str, Any] = {
            "mineral": mineral,
            "label": label_of(mineral, graph, vocab),
            "stage": stage,
            "hhi": hhi(fractions.values()),
            "top3_share": sum(f for _, f in ranked[:3]),
            "top_producer": top,
            "top_producer_label": label_of(top, graph, vocab),
            "top_share": top_share,
            "covered": sum(fractions.values()),
            "world": world[key].value,
            "unit": world[key].unit,
            "year": world[key].year,
            "source": world[key].source,
        }
        if graph is not None:
            row.update(_news_columns(mineral, top, facts, graph, vocab))
        table.append(row)
    table.sort(key=lambda r: (-r["hhi"], r["label"], r["stage"]))
    return table


def _news_columns(
    mineral: str,
    top: str,
    facts: Mapping[str, Mapping[str, set[str]]],
    graph: nx.MultiDiGraph,
    vocab: Vocabulary,
) -> dict[str, Any]:
    related = related_minerals(mineral, vocab)
    actors: dict[str, set[str]] = defaultdict(set)
    for m in related:
        for relation, who in facts.get(m, {}).items():
            actors[relation] |= who

    def names(relations: Iterable[str]) -> str:
        who = set().union(*(actors.get(r, set()) for r in relations))
        return ", ".join(sorted(label_of(a, graph, vocab) for a in who))

    suppliers = set().union(*(actors.get(r, set()) for r in SUPPLIES))
    return {
        "news_suppliers": names(SUPPLIES),
        "news_dominant": names(["dominates_supply_of"]),
        "news_restrictors": names(["restricts_export_of"]),
        "news_names_top": COUNTRY_BASE + top in suppliers,
    }


def supplier_share(
    reference_shares: Mapping[tuple[str, str], Mapping[str, float]], mineral: str, iso3: str
) -> tuple[float | None, str | None]:
    """A country's largest share of a mineral across stages, and that stage.

    ``(None, None)`` when the table has no figures for the mineral; ``(0.0, None)`` when it has
    but does not list the country among the leading producers.

    >>> s = shares(load_reference())
    >>> supplier_share(s, MINERAL_BASE + "copper", "CHN")
    (0.4444444444444444, 'refinery')
    >>> supplier_share(s, MINERAL_BASE + "gypsum", "PAK")
    (None, None)
    """
    best: tuple[float | None, str | None] = (None, None)
    for (m, stage), fractions in sorted(reference_shares.items()):
        if m != mineral:
            continue
        share = fractions.get(iso3, 0.0)
        if best[0] is None or share > best[0]:
            best = (share, stage if share > 0 else None)
    return best


def iso3_of(iri: str) -> str | None:
    """The ISO3 code of a country IRI of the vocabulary.

    >>> iso3_of(COUNTRY_BASE + "CHN"), iso3_of("https://w3id.org/cmkg/id/org/cmoc")
    ('CHN', None)
    """
    return iri[len(COUNTRY_BASE) :] if iri.startswith(COUNTRY_BASE) else None
