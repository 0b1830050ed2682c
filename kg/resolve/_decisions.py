"""Resolution decisions: a small data file that overrides merges, names and misreadings."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.resolve._names import norm
from kg.resources import ontology_file, read_jsonl


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with the entity of one name: merge it into an IRI, rename it, or reject it."""

    match: str
    type: str
    same_as: str | None = None
    name: str | None = None
    reject: bool = False
    why: str = ""


def load_decisions(extra: Iterable[str | Path] = ()) -> dict[tuple[str, str], Decision]:
    """The shipped decisions, then those of ``extra`` files (later lines win).

    >>> decisions = load_decisions()
    >>> decisions[("Organization", "oval office")].reject
    True
    """
    rows = list(read_jsonl(ontology_file("resolution", "decisions.jsonl")))
    for path in extra:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise InputError(
                f"{path}: cannot read decisions file ({exc.strerror or exc})"
            ) from None
        for number, line in enumerate(lines, 1):
            if line.strip() and not line.lstrip().startswith("//"):
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
    decisions: dict[tuple[str, str], Decision] = {}
    for row in rows:
        if "match" not in row or "type" not in row:
            raise InputError(f"decision {row!r}: needs 'match' and 'type'")
        decision = Decision(
            match=row["match"],
            type=row["type"],
            same_as=row.get("same_as"),
            name=row.get("name"),
            reject=bool(row.get("reject", False)),
            why=row.get("why", ""),
        )
        decisions[(decision.type, norm(decision.match))] = decision
    return decisions
