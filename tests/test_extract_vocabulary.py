"""The vocabulary ruler on spacy.blank("en") and on hand-built NER output."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

USA = "https://w3id.org/cmkg/id/country/USA"


def ents(doc: Doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


def test_minerals_countries_and_case_rules(blank_nlp: Language) -> None:
    doc = blank_nlp("Chinese firms refine Rare earths; let us note the US imports REEs and Copper.")
    found = ents(doc)
    assert ("Chinese", "Country") in found and ("US", "Country") in found
    assert (
        ("Rare earths", "Mineral") in found
        and ("REEs", "Mineral") in found
        and ("Copper", "Mineral") in found
    )
    assert ("us", "Country") not in found
    ids = {e.text: e.kb_id_ for e in doc.ents}
    assert ids["US"] == USA and ids["Rare earths"] == ids["REEs"]


def test_capitals_and_longest_match(blank_nlp: Language) -> None:
    doc = blank_nlp(
        "Washington and Beijing discussed rare earth elements "
        "and the Democratic Republic of the Congo."
    )
    labels = {e.text: (e.label_, e.kb_id_.rsplit("/", 1)[-1]) for e in doc.ents}
    assert labels["Washington"] == ("Country", "USA")
    assert labels["Beijing"] == ("Country", "CHN")
    assert labels["rare earth elements"][0] == "Mineral"
    assert labels["Democratic Republic of the Congo"] == ("Country", "COD")


def _with_ner(nlp: Language, words: list[str], spans: list[tuple[int, int, str]]) -> Doc:
    """A doc as the statistical NER would leave it, then run through the vocabulary ruler."""
    doc = Doc(nlp.vocab, words=words)
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in spans]
    return nlp.get_pipe("kg_vocabulary")(doc)


def test_titles_are_split_from_names(blank_nlp: Language) -> None:
    words = [
        "Finance",
        "Minister",
        "Senator",
        "Muhammad",
        "Aurangzeb",
        "met",
        "US",
        "Chargé",
        "d’Affaires",
        "Natalie",
        "Baker",
    ]
    doc = _with_ner(
        blank_nlp, words, [(0, 1, "ORG"), (2, 5, "PERSON"), (6, 8, "ORG"), (9, 11, "PERSON")]
    )
    found = ents(doc)
    assert ("Muhammad Aurangzeb", "Person") in found and ("Natalie Baker", "Person") in found
    assert ("Finance Minister", "Role") in found and ("US", "Country") in found
    assert all(label != "Organization" for _, label in found)


def test_organisation_named_after_a_country_stays_whole(blank_nlp: Language) -> None:
    words = ["the", "Pakistan", "Mineral", "Development", "Corporation", "(", "PMDC", ")", "said"]
    doc = _with_ner(blank_nlp, words, [(0, 6, "ORG")])
    assert ents(doc) == [("Pakistan Mineral Development Corporation", "Organization")]
