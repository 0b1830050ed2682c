"""The shipped vocabularies and ontology: complete, consistent and reachable as package data."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.rdf import CM
from kg.resources import ontology_file, ontology_files
from kg.vocab import load_vocabulary

CM_NS = "https://w3id.org/cmkg/ontology#"


@pytest.fixture(scope="module")
def vocab():  # type: ignore[no-untyped-def]
    return load_vocabulary()


def test_all_un_members_with_codes(vocab) -> None:  # type: ignore[no-untyped-def]
    countries = vocab.of_kind("Country")
    assert len([c for c in countries if c.iso3]) >= 193
    pakistan = vocab.get("https://w3id.org/cmkg/id/country/PAK")
    assert pakistan.label == "Pakistan" and pakistan.iso2 == "PK" and pakistan.wikidata == "Q843"
    assert "Islamabad" in pakistan.capitals and "Pakistani" in pakistan.demonyms
    usa = vocab.get("https://w3id.org/cmkg/id/country/USA")
    assert {"US", "U.S."} <= set(usa.alt_labels) and "Washington" in usa.capitals


def test_critical_lists_are_collections_of_minerals(vocab) -> None:  # type: ignore[no-untyped-def]
    members = {}
    for concept in vocab.of_kind("Mineral"):
        for collection in concept.collections:
            members.setdefault(vocab.collection_labels[collection], set()).add(concept.label)
    sizes = {label: len(m) for label, m in members.items()}
    usgs_2022 = next(v for k, v in members.items() if "2022" in k)
    usgs_2025 = next(v for k, v in members.items() if "2025" in k and "USGS" in k.upper())
    assert len(usgs_2022) == 50, sizes
    assert len(usgs_2025) == 60, sizes
    assert {"copper", "silver", "uranium"} <= usgs_2025 - usgs_2022


def test_rare_earths_are_one_concept_with_members(vocab) -> None:  # type: ignore[no-untyped-def]
    ree = vocab.get("https://w3id.org/cmkg/id/mineral/rare-earth-elements")
    assert ree.label == "rare earth elements"
    assert {"rare earths", "REEs", "rare earth materials"} <= set(ree.alt_labels)
    members = [c.label for c in vocab.of_kind("Mineral") if ree.iri in c.broader]
    assert {"neodymium", "dysprosium", "yttrium", "scandium"} <= set(members)


def test_every_cm_term_used_is_declared_with_label_and_comment() -> None:
    declared: dict[str, set[str]] = {}
    for triple in ox.parse(ontology_file("cm.ttl").read_bytes(), format=ox.RdfFormat.TURTLE):
        if isinstance(triple.subject, ox.NamedNode) and triple.subject.value.startswith(CM_NS):
            declared.setdefault(triple.subject.value, set()).add(triple.predicate.value)
    label, comment = (
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://www.w3.org/2000/01/rdf-schema#comment",
    )
    used = set()
    for f in ontology_files("vocab", ".ttl"):
        for triple in ox.parse(f.read_bytes(), format=ox.RdfFormat.TURTLE):
            if isinstance(triple.subject, ox.NamedNode) and triple.subject.value.startswith(CM_NS):
                declared.setdefault(triple.subject.value, set()).add(triple.predicate.value)
    for f in ontology_files("vocab", ".ttl"):
        for triple in ox.parse(f.read_bytes(), format=ox.RdfFormat.TURTLE):
            for term in (triple.subject, triple.predicate, triple.object):
                if isinstance(term, ox.NamedNode) and term.value.startswith(CM_NS):
                    used.add(term.value)
    assert sorted(used - set(declared)) == []
    pref = "http://www.w3.org/2004/02/skos/core#prefLabel"
    undocumented = [
        t for t, props in declared.items() if not ({label, pref} & props and comment in props)
    ]
    assert undocumented == []


def test_namespace_matches_ontology_and_rejects_typos() -> None:
    declared = {
        t.subject.value[len(CM_NS) :]
        for t in ox.parse(ontology_file("cm.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(CM_NS)
    }
    in_python = {name for name in CM.__annotations__}
    assert declared == in_python
    with pytest.raises(AttributeError):
        _ = CM.meetWith
