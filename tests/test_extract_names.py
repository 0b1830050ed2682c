"""What a name is: the typing rules of the vocabulary ruler, on hand-built NER output."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import Extractor
from kg.ingest import article_from_text
from kg.patterns import FORMAT_CHARACTERS
from kg.resolve import resolve


def _with_ner(nlp: Language, text: str, spans: list[tuple[str, str]]) -> Doc:
    """``text`` as the statistical NER would leave it (each (surface, label) found left to
    right), run through the vocabulary ruler."""
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if name != "kg_vocabulary":
            doc = proc(doc)
    ents, cursor = [], 0
    for surface, label in spans:
        start = text.index(surface, cursor)
        ents.append(doc.char_span(start, start + len(surface), label=label))
        cursor = start + len(surface)
    doc.ents = ents
    return nlp.get_pipe("kg_vocabulary")(doc)


def found(doc: Doc) -> set[tuple[str, str]]:
    return {(" ".join(e.text.split()), e.label_) for e in doc.ents}


def test_names_cut_at_a_particle_are_completed(blank_nlp: Language) -> None:
    doc = _with_ner(
        blank_nlp,
        "Commissioner Anna von der Brenner visited. Later von der Brenner left.",
        [("Anna von", "PERSON"), ("Brenner", "GPE"), ("von der", "PERSON"), ("Brenner", "GPE")],
    )
    assert ("Anna von der Brenner", "Person") in found(doc)
    assert ("von der Brenner", "Person") in found(doc)
    assert not any(label == "Place" for _, label in found(doc))


def test_honorifics_and_ranks_are_not_part_of_names(blank_nlp: Language) -> None:
    text = "Ms Lena Okafor met Shri Ravi Menon and Sheikh Omar Haddad in the capital."
    doc = _with_ner(blank_nlp, text, [("Sheikh Omar Haddad", "PERSON")])
    people = {t for t, label in found(doc) if label == "Person"}
    assert people == {"Lena Okafor", "Ravi Menon", "Omar Haddad"}


def test_legal_forms_and_describing_nouns_make_organisations(blank_nlp: Language) -> None:
    text = (
        "Altyn Metals JSC sold its share to Norvik Minerals Ltd, and the defence contractor "
        "Harlan Dynamics bought ore from the trader Elsa Brandt."
    )
    doc = _with_ner(
        blank_nlp,
        text,
        [("Altyn Metals JSC", "PERSON"), ("Harlan Dynamics", "PERSON"), ("Elsa Brandt", "PERSON")],
    )
    assert {
        ("Altyn Metals JSC", "Organization"),
        ("Norvik Minerals Ltd", "Organization"),
        ("Harlan Dynamics", "Organization"),
        ("Elsa Brandt", "Organization"),
    } <= found(doc)


def test_names_listed_with_organisations_are_organisations(blank_nlp: Language) -> None:
    text = "Suppliers such as Norvik, Tessaro and Brandmoor declined, a spokesman said."
    doc = _with_ner(blank_nlp, text, [("Norvik", "ORG"), ("Tessaro", "PERSON")])
    assert {("Norvik", "Organization"), ("Tessaro", "Organization")} <= found(doc)
    assert ("Brandmoor", "Organization") in found(doc)
    # A titled person in such a list keeps its type.
    text = "Norvik and Minister Ana Costa signed."
    doc = _with_ner(blank_nlp, text, [("Norvik", "ORG"), ("Ana Costa", "PERSON")])
    assert ("Ana Costa", "Person") in found(doc)


def test_generic_phrases_are_no_organisations(blank_nlp: Language) -> None:
    text = "Supply Chain Disruptions worried Mining and Trade Minister Ali Demir."
    doc = _with_ner(
        blank_nlp, text, [("Supply Chain Disruptions", "ORG"), ("Mining and Trade", "ORG")]
    )
    labels = found(doc)
    assert not any(label == "Organization" for _, label in labels)
    assert ("Mining and Trade Minister", "Role") in labels
    assert ("Ali Demir", "Person") in labels


def test_places_and_projects_are_no_actors(blank_nlp: Language) -> None:
    text = (
        "The deal was signed in Cape Town. Drilling continues in Kvarnholm, while Tessaro "
        "holds a stake in Ostvik. Norvik's Ridgeback copper project is late."
    )
    doc = _with_ner(
        blank_nlp,
        text,
        [("Kvarnholm", "ORG"), ("Tessaro", "ORG"), ("Ostvik", "ORG"), ("Ridgeback", "ORG")],
    )
    labels = found(doc)
    assert not any(t in {"Cape Town", "Kvarnholm", "Ridgeback"} for t, _ in labels)
    assert {("Tessaro", "Organization"), ("Ostvik", "Organization")} <= labels


@pytest.mark.parametrize(
    ("text", "mineral"),
    [
        ("The ban could lead to shortages.", False),
        ("Output of zinc and lead fell.", True),
        ("Lead ore prices rose.", True),
        ("South American producers sell brine lithium.", False),
    ],
)
def test_common_words_and_regions(blank_nlp: Language, text: str, mineral: bool) -> None:
    labels = found(blank_nlp(text))
    lead = any(t.lower().startswith("lead") and label == "Mineral" for t, label in labels)
    assert lead is mineral
    assert all(label != "Country" for _, label in labels)


def test_wrapped_lines_do_not_split_names(blank_nlp: Language) -> None:
    text = (
        "The ministry met the producers of the region and the refiners Hallen\n"
        "Metals, Ostvik and Brandmoor on Monday to discuss how the output of the\n"
        "mines could be raised in the next years, and it said that the South\n"
        "Africa talks would host the next round of the talks in coming months.\n"
    )
    doc = _with_ner(blank_nlp, text, [("Hallen\nMetals", "ORG"), ("South\nAfrica", "GPE")])
    starts = [t.text for t in doc if t.is_sent_start]
    assert "Metals" not in starts and "Africa" not in starts
    assert {("Hallen Metals", "Organization"), ("South Africa", "Country")} <= found(doc)


def test_format_characters_never_reach_names(rules_extractor: Extractor) -> None:
    text = "Gal\u200blium from \u2067Chile\u2069 and co\u00adbalt went to Zambia\u200d."
    analysis = next(rules_extractor.analyze([article_from_text("zw", text)]))
    assert not FORMAT_CHARACTERS.search(analysis.article.text)
    extraction = next(resolve([analysis]))
    names = {e.name for e in extraction.entities}
    assert {"gallium", "Chile", "cobalt", "Zambia"} <= names
    for entity in extraction.entities:
        assert not any(FORMAT_CHARACTERS.search(m) for m in (entity.name, *entity.mentions))
    assert all(r.evidence == analysis.article.text[r.start : r.end] for r in extraction.relations)


def test_format_character_class_is_unicode_cf() -> None:
    import unicodedata

    for code in (*range(0x30000), *range(0xE0000, 0xE1000)):
        char = chr(code)
        if unicodedata.category(char) == "Cf":
            assert FORMAT_CHARACTERS.match(char), hex(code)


def test_format_characters_never_reach_exports(
    rules_extractor: Extractor,
    write,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    from kg.export import export
    from kg.pipeline import build
    from kg.store import GraphStore

    text = "\u2067Chile\u2069 ex\u200bports co\u00adpper. Ja\u200dpan imports cop\ufeffper.\n"
    store = GraphStore(None)
    path = write("zw.txt", text)
    build([path], store, extractor=rules_extractor)
    # The stored copy is the cleaned text, yet the article counts as unchanged.
    assert build([path], store, extractor=rules_extractor).unchanged == 1
    files = [
        *export(store, "gexf", tmp_path / "g.gexf"),
        *export(store, "csv", tmp_path / "g.csv"),
    ]
    written = "".join(path.read_text("utf-8") for path in files)
    assert "Chile" in written and "copper" in written and "Japan" in written
    assert not FORMAT_CHARACTERS.search(written)


def test_a_short_name_in_brackets_is_the_same_organisation(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Peru's National Mining Corp. (Minperu) signed a zinc deal with Japan on Monday. "
        "Minperu said the deal runs for ten years."
    )
    organisations = [e for e in extract_text(text).entities if e.type == "Organization"]
    assert len(organisations) == 1
    assert {"National Mining Corp.", "Minperu"} <= set(organisations[0].mentions)


def test_a_company_name_with_its_place_in_brackets_is_one_name(blank_nlp: Language) -> None:
    doc = _with_ner(
        blank_nlp,
        "Buyers were Tianlu (Macau) Rare Metals Resources, Qinghe Mining Investment (Xining) "
        "and Andes Copper Corp. (Andesco). Andesco sold its stake in Boreal Metals.",
        [
            ("Tianlu", "PERSON"),
            ("Macau", "GPE"),
            ("Qinghe Mining Investment", "ORG"),
            ("Andes Copper Corp.", "ORG"),
            ("Andesco", "GPE"),
            ("Boreal Metals", "LOC"),
        ],
    )
    names = found(doc)
    assert ("Tianlu (Macau) Rare Metals Resources", "Organization") in names
    assert ("Qinghe Mining Investment (Xining)", "Organization") in names
    # a bracketed short name used again later is not part of the name
    assert ("Andes Copper Corp.", "Organization") in names
    # the model's location whose last word says company
    assert ("Boreal Metals", "Organization") in names
