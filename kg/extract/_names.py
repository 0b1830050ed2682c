"""What a capitalised name is: typing fixes applied to the merged NER and vocabulary spans.

The small model cuts names ("Ursula von"), reads companies as people ("Lockheed Martin",
"Kazatomprom JSC"), places as organisations ("in Malmberget") and capitalised common words as
organisations ("Supply Chain Disruptions"). Each fix here is a general construction of English
news, with its word lists in ``ontology/patterns/names.json`` and ``cues.json``:

- people (:mod:`._people`): names ending on a particle continue ("Ursula von" + "der
  Leyen"), and a name ended a word early takes the next capitalised word ("Syed Asim" +
  "Munir"); an honorific or a rank is not part of a name, and introduces one ("Ms Lena
  Okafor"); a full name after a title is a person ("Deputy Prime Minister for Economy X Y"),
  and so is a "place" in apposition with a title or named like a person of the text; "Brad
  Mills of Lonmin" is a person;
- organisations (:mod:`._organisations`): a legal-form suffix or prefix ("JSC Tau-Ken Samruk",
  "Eramet SA"), a describing noun before the name ("defence contractor Lockheed Martin"), a
  mineral word capitalised inside a sentence ("Chengze Lithium"), a list of organisations
  ("CMOC, Zijin and Huayou"), what is owned or invested in ("70% of Severniy Katpar"); a name
  of generic words is none, and before a title it is the title's portfolio ("Energy and
  Business Minister"); documents, acronyms of common nouns and bare legal forms are none;
- places and things (:mod:`._places`): a capital or an unlisted name after "in"/"at" (not
  after a word of finance: "a stake in Nutrien") is a place, so is a name ending in a place
  word ("Alice Springs"); a name before "project" or "mine" is a project; "lead" the verb is
  no mineral.

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
    qualified_company_names,
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
    spans = qualified_company_names(doc, spans)
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
