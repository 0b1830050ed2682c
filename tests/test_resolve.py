"""Resolution: one entity per real-world thing, stable IRIs, reasons for each merge."""

from __future__ import annotations

from kg.records import Analysis, Article, Mention, MentionRelation
from kg.resolve import entity_iri, resolve


def analysis(text: str, spans: list[tuple[str, str]], **kwargs) -> Analysis:  # type: ignore[no-untyped-def]
    mentions, cursor = [], 0
    for surface, label in spans:
        start = text.index(surface, cursor)
        mentions.append(Mention(surface, start, start + len(surface), label))
        cursor = start + len(surface)
    return Analysis(article=Article(id="a", text=text), mentions=tuple(mentions), **kwargs)


def test_surnames_and_acronyms_join_their_full_names() -> None:
    text = "Andean Lithium Council (ALC) head Ann Lee spoke. Lee said the ALC would return."
    extraction = next(
        resolve(
            [
                analysis(
                    text,
                    [
                        ("Andean Lithium Council", "Organization"),
                        ("ALC", "Organization"),
                        ("Ann Lee", "Person"),
                        ("Lee", "Organization"),
                        ("ALC", "Organization"),
                    ],
                    acronyms=((0, 1),),
                )
            ]
        )
    )
    by_name = {e.name: e for e in extraction.entities}
    assert set(by_name) == {"Andean Lithium Council", "Ann Lee"}
    assert set(by_name["Andean Lithium Council"].mentions) == {"Andean Lithium Council", "ALC"}
    assert by_name["Ann Lee"].mentions == ("Ann Lee", "Lee")
    assert any("surname" in why for why in by_name["Ann Lee"].merged_because)
    assert by_name["Ann Lee"].id == entity_iri("Person", "Ann Lee")


def test_vocabulary_names_share_one_iri_with_wikidata() -> None:
    text = "The Chinese ministry and Beijing agreed; China said so."
    extraction = next(
        resolve(
            [analysis(text, [("Chinese", "Country"), ("Beijing", "Country"), ("China", "Country")])]
        )
    )
    # Mentions without a concept are looked up by name in the vocabulary.
    [china] = extraction.entities
    assert china.id == "https://w3id.org/cmkg/id/country/CHN" and china.wikidata == "Q148"
    assert set(china.mentions) == {"Chinese", "Beijing", "China"}


def test_bare_agreement_words_refer_to_the_described_agreement() -> None:
    text = "Chile and Japan signed a lithium supply agreement. The agreement runs ten years."
    mentions = [
        ("Chile", "Country"),
        ("Japan", "Country"),
        ("lithium supply agreement", "Agreement"),
        ("agreement", "Agreement"),
    ]
    rels = (
        MentionRelation(0, "party_to", 2, 0.7, 0, 50),
        MentionRelation(1, "party_to", 2, 0.7, 0, 50),
    )
    extraction = next(resolve([analysis(text, mentions, relations=rels)]))
    [agreement] = [e for e in extraction.entities if e.type == "Agreement"]
    assert agreement.name == "Chile–Japan lithium supply agreement"
    # The forms as written, with their determiners too.
    assert set(agreement.mentions) == {
        "lithium supply agreement",
        "a lithium supply agreement",
        "agreement",
        "The agreement",
    }
    assert {r.type for r in extraction.relations} == {"party_to"}


def test_iris_are_safe_for_hostile_names() -> None:
    iri = entity_iri("Organization", 'Acme " } ; DROP ALL ; <x>')
    assert iri == "https://w3id.org/cmkg/id/org/acme-drop-all-x"


def test_decisions_file_merges_renames_and_rejects(tmp_path) -> None:  # type: ignore[no-untyped-def]
    decisions = tmp_path / "mine.jsonl"
    decisions.write_text(
        "// my corrections\n"
        '{"match": "Andes Lithium", "type": "Organization", "same_as": "https://w3id.org/cmkg/id/org/sqm"}\n'
        '{"match": "Nolans", "type": "Person", "reject": true}\n',
        encoding="utf-8",
    )
    text = "Andes Lithium and Nolans said Kim Park agreed."
    spans = [("Andes Lithium", "Organization"), ("Nolans", "Person"), ("Kim Park", "Person")]
    extraction = next(resolve([analysis(text, spans)], decisions=[decisions]))
    by_name = {e.name: e for e in extraction.entities}
    assert set(by_name) == {"SQM", "Kim Park"}
    assert by_name["SQM"].id == "https://w3id.org/cmkg/id/org/sqm"
    assert any("decision" in why for why in by_name["SQM"].merged_because)


def test_surname_takes_the_full_name_of_an_earlier_article() -> None:
    first = analysis(
        "Pete Hegseth met Ann Lee.", [("Pete Hegseth", "Person"), ("Ann Lee", "Person")]
    )
    later = analysis("Hegseth said the talks went well.", [("Hegseth", "Person")])
    _, second = list(resolve([first, later]))
    [person] = second.entities
    assert person.name == "Pete Hegseth" and person.id == entity_iri("Person", "Pete Hegseth")
