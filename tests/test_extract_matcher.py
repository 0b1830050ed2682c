"""The gated dependency matcher gives the single DependencyMatcher's matches, in its order."""

from __future__ import annotations

from spacy.matcher import DependencyMatcher

from kg.extract import Extractor
from kg.extract._grammar import grammar_patterns
from kg.extract._matcher import GatedDependencyMatcher

# Our own sentences: triggers of several patterns, coordination, a passive, a relative clause,
# two sentences in one piece, and one with no trigger at all.
SENTENCES = [
    "Chile and Japan signed a lithium supply agreement and agreed to cooperate on copper.",
    "The framework deal was signed by Peru, which produces copper and exports zinc.",
    "Indonesia banned nickel ore exports. China dominates the refining of rare earths.",
    "The minister met his Chilean counterpart in Santiago and held talks on lithium.",
    "It rained in the capital on Tuesday.",
]


def test_gated_matcher_gives_the_full_matchers_matches(model_extractor: Extractor) -> None:
    nlp = model_extractor.nlp
    full, gated = DependencyMatcher(nlp.vocab), GatedDependencyMatcher(nlp.vocab)
    for pattern in grammar_patterns():
        full.add(pattern.id, [list(pattern.pattern)])
        gated.add(pattern.id, [list(pattern.pattern)])
    # A root no gate can read (a regular expression) runs on every sentence.
    anywhere = [{"RIGHT_ID": "n", "RIGHT_ATTRS": {"LOWER": {"REGEX": "^c"}}}]
    full.add("ANYWHERE", [anywhere])
    gated.add("ANYWHERE", [anywhere])
    assert len(gated) == len(full)
    docs = list(nlp.pipe(SENTENCES))
    found = [full(doc) for doc in docs]
    assert sum(len(matches) for matches in found) > len(SENTENCES)
    assert [gated(doc) for doc in docs] == found
    assert gated(docs[0][0:8]) == full(docs[0][0:8])  # a span, as the full matcher takes


def test_gated_matcher_with_a_callback_runs_every_key(model_extractor: Extractor) -> None:
    nlp = model_extractor.nlp
    seen: list[int] = []
    full, gated = DependencyMatcher(nlp.vocab), GatedDependencyMatcher(nlp.vocab)
    for pattern in grammar_patterns()[:5]:
        full.add(pattern.id, [list(pattern.pattern)])
        gated.add(pattern.id, [list(pattern.pattern)], on_match=lambda m, d, i, ms: seen.append(i))
    doc = nlp(SENTENCES[0])
    assert [key for key, _ in gated(doc)] == [key for key, _ in full(doc)]
    assert seen == list(range(len(full(doc))))
