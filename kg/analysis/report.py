"""The analyses of ``kg analyze`` as titled tables, and the write-back of their results.

This is the glue between a store and the analysis functions (which take graphs and return plain
data): it reads the view and the supply context, runs one analysis and shapes the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.analysis.centrality import MEASURES, centrality, top_actors
from kg.analysis.communities import SEED, communities, community_of, community_table, timeline
from kg.analysis.dependency import dependency_paths, exposure
from kg.analysis.results import analysis_quads, write_analysis
from kg.analysis.supply import MINERAL_BASE, concentration, load_reference, shares
from kg.errors import UsageError
from kg.graph import supply_context, view_of
from kg.graph.views import Source
from kg.vocab import load_vocabulary

ANALYSES = ("centrality", "concentration", "dependencies", "exposure", "communities", "timeline")
COLUMNS = {
    "centrality": ["label", "type", *reversed(MEASURES)],
    "concentration": [
        "label", "stage", "hhi", "top3_share", "top_producer_label", "top_share", "year",
        "news_suppliers", "news_restrictors",
    ],
    "dependencies": ["dependent_label", "supplier_label", "mineral_label", "share", "basis",
                     "agreements", "articles"],
    "exposure": ["label", "type", "level", "channels", "alternatives", "alternative_share",
                 "articles"],
    "communities": ["community", "size", "types", "members"],
    "timeline": ["period", "rank", "label", "type", "score", "nodes", "edges"],
}  # fmt: skip


@dataclass
class Table:
    """Rows of one analysis with the columns to show and a title."""

    title: str
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def resolve_mineral(text: str) -> str:
    """A mineral IRI from an IRI, a slug (``rare-earth-elements``) or a name (``rare earths``).

    >>> resolve_mineral("Gallium"), resolve_mineral("rare earths")[len(MINERAL_BASE):]
    ('https://w3id.org/cmkg/id/mineral/gallium', 'rare-earth-elements')
    """
    vocab = load_vocabulary()
    wanted = text.strip().casefold()
    for concept in vocab.of_kind("Mineral"):
        names = {concept.iri.casefold(), concept.iri[len(MINERAL_BASE) :].casefold()}
        names |= {n.casefold() for n in (concept.label, *concept.alt_labels)}
        if wanted in names:
            return concept.iri
    known = sorted({m[len(MINERAL_BASE) :] for m, _ in shares(load_reference())})
    raise UsageError(
        f"unknown mineral {text!r}; choose one of: {', '.join(known)} "
        "(minerals with reference figures) or another mineral of ontology/vocab/minerals.ttl"
    )


def resolve_country(text: str) -> str:
    """A country IRI from an IRI, an ISO 3166 alpha-3 or alpha-2 code or a name.

    >>> resolve_country("chn"), resolve_country("DR Congo").rsplit("/", 1)[-1]
    ('https://w3id.org/cmkg/id/country/CHN', 'COD')
    """
    vocab = load_vocabulary()
    wanted = text.strip().casefold()
    for concept in vocab.of_kind("Country"):
        names = {concept.iri.casefold(), (concept.iso3 or "").casefold()}
        names |= {n.casefold() for n in (concept.label, *concept.alt_labels, concept.iso2 or "")}
        if wanted in names - {""}:
            return concept.iri
    producers = sorted({c for fractions in shares(load_reference()).values() for c in fractions})
    raise UsageError(
        f"unknown country {text!r}; give an ISO 3166 alpha-3 code or a name, "
        f"e.g. one of the producers in the reference table: {', '.join(producers)}"
    )


def _rounded(rows: list[dict[str, Any]], digits: int = 4) -> list[dict[str, Any]]:
    return [
        {k: round(v, digits) if isinstance(v, float) else v for k, v in r.items()} for r in rows
    ]


def analyze(
    store: Source,
    analysis: str = "centrality",
    *,
    view: str = "all",
    top: int = 10,
    restrictor: str | None = None,
    mineral: str | None = None,
    agreements: str = "nodes",
    measure: str = "pagerank",
    seed: int = SEED,
    cumulative: bool = False,
) -> Table:
    """Run one of :data:`ANALYSES` over a view of ``store`` and return it as a :class:`Table`.

    ``top`` limits the rows of centrality, dependencies and exposure, the communities shown and
    the actors per month of the timeline. ``exposure`` needs ``restrictor`` and ``mineral``
    (names, codes or IRIs: see :func:`resolve_country` and :func:`resolve_mineral`).

    Examples
    --------
    >>> from kg.store import GraphStore
    >>> table = analyze(GraphStore(None), "concentration", top=2)
    >>> table.title.split(":")[0], [row["label"] for row in table.rows]
    ('Supply concentration', ['gallium', 'germanium'])
    """
    if analysis not in ANALYSES:
        raise UsageError(f"unknown analysis {analysis!r}; choose one of: {', '.join(ANALYSES)}")
    if analysis == "exposure" and not (restrictor and mineral):
        raise UsageError("--analysis exposure needs --restrictor COUNTRY and --mineral MINERAL")
    if measure not in MEASURES:
        raise UsageError(f"unknown measure {measure!r}; choose one of: {', '.join(MEASURES)}")
    graph = view_of(store, view, agreements)
    size = f"{view} view, {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"
    columns = COLUMNS[analysis]
    if analysis == "centrality":
        rows = top_actors(graph, centrality(graph, seed=seed), n=top, by=measure)
        return Table(f"Top actors by {measure} ({size})", columns, rows)
    if analysis == "communities":
        parts = communities(graph, seed=seed)
        title = f"Louvain communities, seed {seed} ({size}; {len(parts)} communities)"
        return Table(title, columns, community_table(graph, parts)[:top])
    if analysis == "timeline":
        rows = timeline(graph, measure=measure, top=top, cumulative=cumulative)
        kind = "cumulative" if cumulative else "articles of each month"
        return Table(f"Top actors by {measure} per month ({kind}; {size})", columns, rows)
    if analysis == "concentration":
        rows = _rounded(concentration(graph=graph))[:top]
        for row in rows:
            row["hhi"] = round(row["hhi"])
        title = "Supply concentration: world production by country (HHI 0-10,000, shares 0-1)"
        notes = ["Reference: USGS Mineral Commodity Summaries 2025 (2024 estimates); "
                 "ontology/reference/usgs-mcs-2025-production.csv"]  # fmt: skip
        return Table(title, columns, rows, notes)
    context = supply_context(store)
    if analysis == "dependencies":
        rows = _rounded(dependency_paths(graph, context=context))[:top]
        return Table(f"Supply dependencies ({size})", columns, rows)
    assert restrictor is not None and mineral is not None
    what_if = exposure(
        graph, resolve_country(restrictor), resolve_mineral(mineral), context=context
    )
    return Table(
        _exposure_title(what_if),
        columns,
        _rounded(what_if["exposed"])[:top],
        _exposure_notes(what_if),
    )


def _exposure_title(what_if: dict[str, Any]) -> str:
    return f"If {what_if['restrictor_label']} restricts {what_if['mineral_label']}: who is exposed"


def _exposure_notes(what_if: dict[str, Any]) -> list[str]:
    who, what = what_if["restrictor_label"], what_if["mineral_label"]
    share = what_if["share_at_risk"]
    if share is None:
        notes = [f"No reference production figures for {what}: share at risk unknown."]
    elif share == 0:
        notes = [f"{who} is not among the leading producers of {what} in the reference table."]
    else:
        notes = [
            f"{who} has {share:.1%} of world {what_if['stage']} production of {what} "
            f"({what_if['year']}, {what_if['source']})."
        ]
    notes.append(f"Other listed producers: {what_if['other_producers'] or 'none'}.")
    said = "says" if what_if["news_restricts"] else "does not (yet) say"
    notes.append(f"The news {said} that {who} restricts exports of {what}.")
    return notes


def write_back(
    store: Any,
    *,
    view: str = "all",
    agreements: str = "nodes",
    restrictor: str | None = None,
    mineral: str | None = None,
    seed: int = SEED,
    measure: str = "pagerank",
) -> int:
    """Compute the analyses of ``view`` and replace the analysis graph of ``store`` with them.

    Writes centralities and communities of every node, the timeline (top 10 per month),
    supply concentration, dependencies and, with ``restrictor`` and ``mineral``, the exposure.
    Returns the number of quads written.

    >>> from kg.store import GraphStore
    >>> write_back(GraphStore(None)) > 100  # concentration rows even for an empty store
    True
    """
    graph = view_of(store, view, agreements)
    context = supply_context(store)
    exposures = []
    if restrictor and mineral:
        exposures.append(
            exposure(graph, resolve_country(restrictor), resolve_mineral(mineral), context=context)
        )
    quads = analysis_quads(
        view=view,
        scores=centrality(graph, seed=seed),
        communities=community_of(communities(graph, seed=seed)),
        concentration=concentration(graph=graph),
        dependencies=dependency_paths(graph, context=context),
        exposures=exposures,
        timeline=timeline(graph, measure=measure, top=10),
        measure=measure,
    )
    return write_analysis(store, quads)
