"""Supply dependencies and what-if exposure, from the news facts and the reference shares.

Both take a view (best the ``all`` view: they use supply relations *and* ``party_to``), the
reference table and a :class:`kg.graph.SupplyContext` (which minerals a dependency sentence names,
which minerals an agreement touches), and return rows of plain data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx

from kg.analysis.supply import (
    COUNTRY_BASE,
    SUPPLIES,
    Production,
    iso3_of,
    label_of,
    load_reference,
    related_minerals,
    shares,
    supplier_share,
)
from kg.graph.context import SupplyContext
from kg.vocab import Vocabulary, load_vocabulary

#: Types of actor that can be exposed to a restriction.
ACTORS = frozenset({"Country", "Organization"})


def _edges(graph: nx.MultiDiGraph, relation: str) -> list[tuple[str, str, float]]:
    return [
        (u, v, float(d.get("weight", 1.0)))
        for u, v, d in graph.edges(data=True)
        if d.get("relation") == relation
    ]


def _agreements_of(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    """actor → agreements it is party to."""
    parties: dict[str, set[str]] = defaultdict(set)
    for u, v, _ in _edges(graph, "party_to"):
        parties[u].add(v)
    return parties


def dependency_paths(
    graph: nx.MultiDiGraph,
    reference: Iterable[Production] | None = None,
    context: SupplyContext | None = None,
    *,
    min_share: float = 0.1,
    vocabulary: Vocabulary | None = None,
) -> list[dict[str, Any]]:
    """Which actors depend on which supplier for which mineral, and through which agreements.

    Two kinds of evidence give a dependency ``dependent → supplier`` for a mineral:

    - ``stated``: the news says the dependent depends on the supplier (``depends_on``); the
      minerals are those named in the sentence that says so (``context``), or none if it names
      none;
    - ``imports``: the news says the dependent (a country) imports the mineral, and the supplier
      is a country with at least ``min_share`` of world production in the reference table or one
      the news says produces, exports or dominates it.

    ``share`` is the supplier's share of world production (largest over stages; ``None`` when the
    table has no figures for the mineral). ``agreements`` lists the agreements both sides are
    party to and those of the dependent that touch the mineral.

    Examples
    --------
    >>> M = "https://w3id.org/cmkg/id/mineral/"
    >>> g = nx.MultiDiGraph()
    >>> g.add_node(COUNTRY_BASE + "IND", label="India", type="Country")
    >>> _ = g.add_edge(COUNTRY_BASE + "IND", M + "cobalt", relation="imports", weight=1.0)
    >>> rows = dependency_paths(g)
    >>> [(r["dependent_label"], r["supplier_label"], r["mineral_label"], round(r["share"], 2))
    ...  for r in rows]
    [('India', 'Democratic Republic of the Congo', 'cobalt', 0.76)]
    """
    vocab = vocabulary or load_vocabulary()
    ref = shares(list(reference) if reference is not None else load_reference())
    context = context or SupplyContext()
    facts: dict[tuple[str, str, str], dict[str, Any]] = {}

    def add(dependent: str, supplier: str, mineral: str, basis: str, articles: float) -> None:
        key = (dependent, supplier, mineral)
        row = facts.setdefault(key, {"basis": set(), "articles": 0.0})
        row["basis"].add(basis)
        row["articles"] = max(row["articles"], articles)

    for u, v, weight in _edges(graph, "depends_on"):
        minerals = context.dependency_minerals.get((u, v), frozenset())
        for mineral in sorted(minerals) or [""]:
            add(u, v, mineral, "stated", weight)
    suppliers_of = _suppliers(graph, ref, min_share, vocab)
    for u, mineral, weight in _edges(graph, "imports"):
        if graph.nodes[u].get("type") != "Country":
            continue
        for supplier in sorted(suppliers_of(mineral)):
            if supplier != u:
                add(u, supplier, mineral, "imports", weight)

    agreements = _agreements_of(graph)
    rows: list[dict[str, Any]] = []
    for (dependent, supplier, mineral), fact in facts.items():
        iso3 = iso3_of(supplier)
        share = supplier_share(ref, mineral, iso3)[0] if iso3 and mineral else None
        via = agreements[dependent] & agreements[supplier]
        if mineral:
            via |= {
                a
                for a in agreements[dependent]
                if context.agreement_minerals.get(a, frozenset()) & related_minerals(mineral, vocab)
            }
        dep, sup = label_of(dependent, graph, vocab), label_of(supplier, graph, vocab)
        mineral_label = label_of(mineral, graph, vocab) if mineral else ""
        rows.append(
            {
                "dependent": dependent,
                "dependent_label": dep,
                "supplier": supplier,
                "supplier_label": sup,
                "mineral": mineral,
                "mineral_label": mineral_label,
                "share": share,
                "basis": ", ".join(sorted(fact["basis"])),
                "agreements": "; ".join(sorted(label_of(a, graph, vocab) for a in via)),
                "agreement_ids": tuple(sorted(via)),
                "articles": int(fact["articles"]),
                "path": f"{dep} → {sup}" + (f" ({mineral_label})" if mineral_label else ""),
            }
        )
    rows.sort(key=lambda r: (-(r["share"] or 0.0), r["dependent_label"], r["mineral_label"]))
    return rows


def _suppliers(
    graph: nx.MultiDiGraph,
    ref: dict[tuple[str, str], dict[str, float]],
    min_share: float,
    vocab: Vocabulary,
) -> Any:
    """A function mineral → countries that supply it (reference shares or news)."""

    def suppliers(mineral: str) -> set[str]:
        related = related_minerals(mineral, vocab)
        found = {
            COUNTRY_BASE + iso3
            for (m, _), fractions in ref.items()
            if m in related
            for iso3, share in fractions.items()
            if share >= min_share
        }
        for u, v, relation in graph.edges(data="relation"):
            if relation in SUPPLIES and v in related and graph.nodes[u].get("type") == "Country":
                found.add(u)
        return found

    return suppliers


def exposure(
    graph: nx.MultiDiGraph,
    restrictor: str,
    mineral: str,
    reference: Iterable[Production] | None = None,
    context: SupplyContext | None = None,
    *,
    vocabulary: Vocabulary | None = None,
) -> dict[str, Any]:
    """What if ``restrictor`` (a country IRI) restricts exports of ``mineral`` (a mineral IRI)?

    Exposed are the countries and organisations that

    - import the mineral (news ``imports``): ``direct``;
    - depend on the restrictor (news ``depends_on``): ``direct`` if the sentence names the
      mineral, else ``indirect``;
    - are party to an agreement that touches the mineral (an article naming a party to it
      mentions the mineral): ``indirect``.

    How much: ``share_at_risk`` is the restrictor's share of world production of the mineral
    (reference table, largest over stages). For each exposed actor, ``alternatives`` lists the
    other leading producers it already has an agreement or cooperation with, and
    ``alternative_share`` their summed share: the part of world supply it can turn to.

    Returns
    -------
    dict
        ``restrictor``, ``restrictor_label``, ``mineral``, ``mineral_label``, ``share_at_risk``,
        ``stage``, ``unit``, ``year``, ``source``, ``news_restricts`` (whether the news already
        says the restrictor restricts it), ``other_producers`` (the other listed producers and
        their shares) and ``exposed``: rows with ``actor``, ``label``, ``type``, ``level``,
        ``channels``, ``share_at_risk``, ``alternatives``, ``alternative_share``, ``articles``.

    Examples
    --------
    >>> M, C = "https://w3id.org/cmkg/id/mineral/", COUNTRY_BASE
    >>> g = nx.MultiDiGraph()
    >>> for iso, name in [("USA", "United States"), ("CHN", "China")]:
    ...     g.add_node(C + iso, label=name, type="Country")
    >>> _ = g.add_edge(C + "USA", C + "CHN", relation="depends_on", weight=1.0)
    >>> what_if = exposure(g, C + "CHN", M + "gallium")
    >>> round(what_if["share_at_risk"], 3), what_if["stage"]
    (0.987, 'primary')
    >>> [(r["label"], r["level"], r["channels"]) for r in what_if["exposed"]]
    [('United States', 'indirect', 'depends on China')]
    """
    vocab = vocabulary or load_vocabulary()
    rows = list(reference) if reference is not None else load_reference()
    ref = shares(rows)
    context = context or SupplyContext()
    related = related_minerals(mineral, vocab)
    iso3 = iso3_of(restrictor) or ""
    share, stage = supplier_share(ref, mineral, iso3)
    name = label_of(restrictor, graph, vocab)
    mineral_label = label_of(mineral, graph, vocab)
    channels: dict[str, dict[str, Any]] = defaultdict(lambda: {"channels": [], "direct": False})
    articles: dict[str, float] = defaultdict(float)

    def note(actor: str, text: str, direct: bool, weight: float) -> None:
        if actor == restrictor or graph.nodes[actor].get("type") not in ACTORS:
            return
        channels[actor]["channels"].append(text)
        channels[actor]["direct"] |= direct
        articles[actor] += weight

    for u, v, weight in _edges(graph, "imports"):
        if v in related:
            note(u, f"imports {label_of(v, graph, vocab)}", True, weight)
    for u, v, weight in _edges(graph, "depends_on"):
        if v == restrictor:
            named = context.dependency_minerals.get((u, v), frozenset()) & related
            note(
                u,
                f"depends on {name}" + (f" for {mineral_label}" if named else ""),
                bool(named),
                weight,
            )
    for u, agreement, weight in _edges(graph, "party_to"):
        if context.agreement_minerals.get(agreement, frozenset()) & related:
            note(u, f"party to {label_of(agreement, graph, vocab)}", False, weight)

    producers = _producers(ref, related, exclude=iso3)
    partners = _partners(graph)
    exposed = []
    for actor, found in channels.items():
        reachable = sorted(
            (p for p in producers if COUNTRY_BASE + p in partners[actor]),
            key=lambda p: -producers[p],
        )
        exposed.append(
            {
                "actor": actor,
                "label": label_of(actor, graph, vocab),
                "type": graph.nodes[actor].get("type", ""),
                "level": "direct" if found["direct"] else "indirect",
                "channels": "; ".join(sorted(set(found["channels"]))),
                "share_at_risk": share,
                "alternatives": ", ".join(
                    f"{label_of(p, graph, vocab)} {producers[p]:.0%}" for p in reachable
                ),
                "alternative_share": float(sum(producers[p] for p in reachable)),
                "articles": int(articles[actor]),
            }
        )
    exposed.sort(key=lambda r: (r["level"] != "direct", -r["articles"], r["label"]))
    world = next((r for r in rows if r.mineral == mineral and r.country == "WLD"), None)
    return {
        "restrictor": restrictor,
        "restrictor_label": name,
        "mineral": mineral,
        "mineral_label": mineral_label,
        "share_at_risk": share,
        "stage": stage,
        "unit": world.unit if world else None,
        "year": world.year if world else None,
        "source": world.source if world else None,
        "news_restricts": any(
            v in related for u, v, _ in _edges(graph, "restricts_export_of") if u == restrictor
        ),
        "other_producers": ", ".join(
            f"{label_of(p, graph, vocab)} {s:.1%}"
            for p, s in sorted(producers.items(), key=lambda item: -item[1])
        ),
        "exposed": exposed,
    }


def _producers(
    ref: dict[tuple[str, str], dict[str, float]], related: frozenset[str], exclude: str
) -> dict[str, float]:
    """ISO3 → largest share over the related minerals and stages, without ``exclude``."""
    best: dict[str, float] = {}
    for (m, _), fractions in ref.items():
        if m in related:
            for iso3, share in fractions.items():
                if iso3 != exclude:
                    best[iso3] = max(best.get(iso3, 0.0), share)
    return best


def _partners(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    """actor → actors it shares an agreement with or cooperates with."""
    partners: dict[str, set[str]] = defaultdict(set)
    parties: dict[str, set[str]] = defaultdict(set)
    for u, agreement, _ in _edges(graph, "party_to"):
        parties[agreement].add(u)
    for members in parties.values():
        for member in members:
            partners[member] |= members - {member}
    for u, v, _ in _edges(graph, "cooperates_with"):
        partners[u].add(v)
        partners[v].add(u)
    return partners
