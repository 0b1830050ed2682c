"""What a capitalised name is: typing fixes applied to the merged NER and vocabulary spans.

The small model cuts names ("Ursula von"), reads companies as people ("Lockheed Martin",
"Kazatomprom JSC"), places as organisations ("in Malmberget") and capitalised common words as
organisations ("Supply Chain Disruptions"). Each fix here is a general construction of English
news, with its word lists in ``ontology/patterns/names.json`` and ``cues.json``:

- names ending on a particle continue ("Ursula von" + "der Leyen");
- an honorific is not part of a name, and introduces one ("Ms Buyelwa Sonjica");
- a legal-form suffix or prefix makes an organisation ("JSC Tau-Ken Samruk", "Eramet SA");
- a describing noun before a name makes it an organisation ("defence contractor Lockheed Martin");
- the items of a list share their type ("CMOC, Zijin and Huayou");
- a name of generic words is not an organisation, and before a title it is the title's
  portfolio ("Energy and Business Minister");
- a capital or an unlisted one-word name after "in"/"at" is a place; a name before "project" or
  "mine" is a project.

Every function takes and returns non-overlapping spans sorted by start; none scans the whole doc
more than once.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span

from kg.extract._organisations import (
    capitalised_minerals,
    described_organisations,
    legal_forms,
    listed_types,
    owned_organisations,
    portfolios_and_generic_names,
    split_listed_names,
)
from kg.extract._people import (
    complete_names,
    honorific_names,
    name_tails,
    people_of_organisations,
    people_read_as_places,
    titled_names,
)
from kg.extract._places import ambiguous_minerals, places, projects

__all__ = ["refine"]


def refine(doc: Doc, spans: list[Span], is_capital: Callable[[Span], bool]) -> list[Span]:
    """Apply every typing fix of this module to ``spans`` (see the module docstring)."""
    spans = split_listed_names(doc, spans)
    spans = complete_names(doc, spans)
    spans = honorific_names(doc, spans)
    spans = name_tails(doc, spans)
    spans = described_organisations(doc, spans)
    spans = legal_forms(doc, spans)
    spans = capitalised_minerals(doc, spans)
    spans = people_of_organisations(doc, spans)
    spans = titled_names(doc, spans)
    spans = people_read_as_places(doc, spans)
    spans = listed_types(doc, spans)
    spans = portfolios_and_generic_names(doc, spans)
    spans = owned_organisations(doc, spans)
    spans = places(doc, spans, is_capital)
    spans = projects(doc, spans)
    return ambiguous_minerals(doc, spans)
