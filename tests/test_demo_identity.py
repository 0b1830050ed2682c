"""Who is who in the demo graph: officials hold the posts the text gives them, agreements have
their own identity, people's names are whole (the sample corpus, real model)."""

from __future__ import annotations

import re
from collections import defaultdict

from kg.officials import load_officials
from kg.patterns import FORMAT_CHARACTERS, word_set
from kg.store import load_query
from kg.vocab import load_vocabulary

#: Every official whose country or organisation a sample article states, or the officials
#: vocabulary gives for the article's date ("Prime Minister Anthony Albanese", "President
#: Kassym-Jomart Tokayev": their articles do not say of which country), with it. Nobody else.
OFFICIALS = {
    ("Abdulaziz bin Salman Al Saud", "Saudi Arabia"),
    ("Aleksandar Vučić", "Serbia"),
    ("Anthony Albanese", "Australia"),
    ("Bongbong Marcos", "Philippines"),
    ("Ishaq Dar", "Pakistan"),
    ("Mohammed bin Salman", "Saudi Arabia"),
    ("Kassym-Jomart Tokayev", "Kazakhstan"),
    ("Marco Rubio", "United States"),
    ("Mark Carney", "Canada"),
    ("Narendra Modi", "India"),
    ("Nirmala Sitharaman", "India"),
    ("Shehbaz Sharif", "Pakistan"),
    ("Ursula von der Leyen", "European Commission"),
    ("Volodymyr Zelenskyy", "Ukraine"),
    ("Winston Chitando", "Zimbabwe"),
    ("Alberto van Klaveren", "Chile"),
    ("Bob Wilt", "Ma'aden"),
    ("Dante Bravo", "Philippine Nickel Industry Association"),
    ("Donald Trump", "United States"),
    ("Doug Burgum", "United States"),
    ("Francis Escudero", "Senate"),
    ("Félix Tshisekedi", "Democratic Republic of the Congo"),
    ("Gabriel Boric", "Chile"),
    ("Howard Lutnick", "United States"),
    ("Jose W. Fernandez", "United States"),
    ("Maroš Šefčovič", "European Commission"),
    ("Muhammad Aurangzeb", "Pakistan"),
    ("Máximo Pacheco", "Codelco"),
    ("Natalie Baker", "United States"),
    ("Olaf Scholz", "Germany"),
    ("Pete Hegseth", "United States"),
    ("Rajnath Singh", "India"),
    ("Robert Louis Strayer II", "US Critical Minerals Forum"),
    ("Sanae Takaichi", "Japan"),
    ("Scott Bessent", "US Department of the Treasury"),
    ("Xi Jinping", "China"),
    ("Yulia Svyrydenko", "Ukraine"),
}

AGREEMENT_PARTIES = """
PREFIX cm:   <https://w3id.org/cmkg/ontology#>
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?g ?a ?label ?party WHERE {
  GRAPH ?g {
    ?a a cm:Agreement ; rdfs:label ?label .
    OPTIONAL { ?s rdf:predicate cm:partyTo ; rdf:subject ?party ; rdf:object ?a }
  }
}
"""

PEOPLE = """
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?name WHERE { GRAPH ?g { ?p a foaf:Person ; rdfs:label ?name } }
"""


def test_officials_hold_the_posts_their_articles_give(sample_store) -> None:  # type: ignore[no-untyped-def]
    rows = sample_store.select(load_query("officials"))
    assert {(row["person"], row["of"]) for row in rows} == OFFICIALS


def test_agreements_are_named_and_not_shared_across_parties(sample_store) -> None:  # type: ignore[no-untyped-def]
    rows = sample_store.select(AGREEMENT_PARTIES)
    type_words = {
        form.lower()
        for concept in load_vocabulary().of_kind("AgreementType")
        for form, _ in concept.surface_forms()
    }
    parties: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        label = row["label"]
        assert label.split()[0].lower() not in {"the", "that", "this", "a", "an", "these"}
        assert label.lower() not in type_words, label
        if row["party"]:
            parties[row["a"]][row["g"]].add(row["party"])
    # An unnamed agreement ("<parties> <type> (<month>)") shared by two articles has the same
    # parties in both.
    unnamed = {row["a"] for row in rows if re.search(r"\(\d{4}-\d{2}\)$", row["label"])}
    for agreement in unnamed:
        sets = {frozenset(p) for p in parties[agreement].values()}
        assert len(sets) <= 1, agreement


def test_people_have_whole_names(sample_store) -> None:  # type: ignore[no-untyped-def]
    names = [row["name"] for row in sample_store.select(PEOPLE)]
    honorifics = word_set("honorifics")
    particles = word_set("name_particles")
    places = word_set("place_name_words")
    # Names the model cuts, and things it reads as people (a mine, a company, a bill, a town).
    assert "Ursula von der Leyen" in names and "Syed Asim Munir" in names
    assert not {"Tenke Fungurume", "Tau-Ken Samruk", "Cove Kaz", "Minera Tarar"} & set(names)
    assert not {"Bill No", "Alice Springs", "House", "Ursula von"} & set(names)
    listed = {p.name for p in load_officials().people.values()}  # "Sheikh Hasina" is her name
    for name in sorted(set(names) - listed):
        words = name.split()
        assert len(words) >= 2, name
        assert words[0].lower() not in honorifics and words[-1].lower() not in particles, name
        assert words[-1].lower() not in places, name
        assert not FORMAT_CHARACTERS.search(name)
