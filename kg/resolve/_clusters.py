"""The working record of resolution: mentions grouped into one would-be entity."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.vocab import Concept


@dataclass
class Cluster:
    """Mentions (indexes into the analysis) of one thing, with its canonical name so far."""

    kind: str
    mentions: list[int] = field(default_factory=list)
    concept: Concept | None = None
    name: str = ""
    reasons: list[str] = field(default_factory=list)
    iri: str | None = None
    #: Agreements: named in the text ("US-Japan Critical Minerals Agreement"), not described.
    named: bool = False
    #: Named by a decision: the name stays.
    fixed: bool = False
    #: Surface forms to report besides the mentions' own ("a cornerstone offtake deal").
    surfaces: list[str] = field(default_factory=list)
