"""Facts the analyses need beside a view: which minerals a statement or an agreement is about,
and which critical-mineral lists each mineral is on. Read from the store with internal queries.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from kg.graph.views import Source
from kg.store import load_query
from kg.vocab import load_vocabulary

CM = "https://w3id.org/cmkg/ontology#"


@dataclass(frozen=True)
class SupplyContext:
    """Minerals behind statements and agreements, and critical-list membership.

    Attributes
    ----------
    dependency_minerals : dict
        (dependent IRI, supplier IRI) → minerals named in the sentence that states the dependency
        (``cm:dependsOn``).
    agreement_minerals : dict
        agreement IRI → minerals mentioned by an article that names a party to it (what the
        agreement "touches").
    critical_lists : dict
        mineral IRI → short names of the critical-mineral lists it is on (``USGS 2025``, …).
    """

    dependency_minerals: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    agreement_minerals: dict[str, frozenset[str]] = field(default_factory=dict)
    critical_lists: dict[str, tuple[str, ...]] = field(default_factory=dict)


def named_in(sentence: str, name: str) -> bool:
    """Whether ``name`` occurs in ``sentence`` as whole words, ignoring case.

    >>> named_in("relies on China for rare earths", "rare earths"), named_in("setting", "tin")
    (True, False)
    """
    return bool(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", sentence, re.IGNORECASE))


def statement_minerals(store: Source, predicate: str) -> dict[tuple[str, str], frozenset[str]]:
    """(head, tail) → minerals named in the evidence sentence of statements of ``predicate``.

    >>> from kg.store import GraphStore
    >>> statement_minerals(GraphStore(None), CM + "dependsOn")
    {}
    """
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in store.select(load_query("_statement_minerals"), {"predicate": predicate}):
        if named_in(row["sentence"], row["name"]):
            found[(row["head"], row["tail"])].add(row["mineral"])
    return {key: frozenset(value) for key, value in found.items()}


def list_name(iri: str, label: str) -> str:
    """A short name for a critical-mineral list, from its IRI (``…#list-eu-crm-2024``).

    >>> list_name("https://w3id.org/cmkg/ontology#list-eu-crm-2024", "EU critical raw materials")
    'EU CRM 2024'
    >>> list_name("urn:x", "Some list")
    'Some list'
    """
    local = re.split(r"[#/]", iri)[-1]
    if not local.startswith("list-"):
        return label
    return " ".join(part.upper() for part in local[len("list-") :].split("-"))


def critical_lists(store: Source) -> dict[str, tuple[str, ...]]:
    """mineral IRI → short names of the critical-mineral lists it is on.

    Read from the store's ontology graph (what the store was built with); a store without one
    (an endpoint loaded with facts only) gets the lists of the bundled vocabulary.

    >>> from kg.store import GraphStore
    >>> critical_lists(GraphStore(None))["https://w3id.org/cmkg/id/mineral/gallium"]
    ('EU CRM 2024', 'EU SRM 2024', 'USGS 2022', 'USGS 2025')
    """
    lists: dict[str, set[str]] = defaultdict(set)
    for row in store.select(load_query("_critical_lists")):
        lists[row["mineral"]].add(list_name(row["list"], row["label"]))
    if not lists:
        vocab = load_vocabulary()
        for concept in vocab.of_kind("Mineral"):
            for iri in concept.collections:
                lists[concept.iri].add(list_name(iri, vocab.collection_labels[iri]))
    return {k: tuple(sorted(v)) for k, v in lists.items()}


def supply_context(store: Source) -> SupplyContext:
    """Read a :class:`SupplyContext` from the store.

    >>> from kg.store import GraphStore
    >>> context = supply_context(GraphStore(None))
    >>> context.dependency_minerals, context.agreement_minerals, len(context.critical_lists) > 50
    ({}, {}, True)
    """
    touches: dict[str, set[str]] = defaultdict(set)
    for row in store.select(load_query("_agreement_minerals")):
        touches[row["agreement"]].add(row["mineral"])
    return SupplyContext(
        dependency_minerals=statement_minerals(store, CM + "dependsOn"),
        agreement_minerals={k: frozenset(v) for k, v in touches.items()},
        critical_lists=critical_lists(store),
    )
