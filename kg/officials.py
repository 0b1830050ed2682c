"""Officials with dated posts, from ``ontology/vocab/officials.csv``.

Heads of state and government of every UN member, the ministers of foreign affairs, finance,
trade, mining, energy and defence of the countries that matter for critical minerals, and the
heads of the main international organisations, from 2020 on: one :class:`Holding` per person,
post and term, in the spirit of the date-restricted actor dictionaries of CAMEO/PETRARCH. An
article's date picks the holder of a post; a name, an alias or a surname with a title picks the
posts a person held. The columns are described in ``ontology/vocab/README.md``.

Dates are ISO days or, where the day is not known, ISO months (``2025-07``); a month counts from
its first day. A term covers its first day and ends on the day its successor takes over, so
``end`` is the first day the person no longer held the post (blank while in office).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache

from kg.errors import InputError, UsageError
from kg.resources import ontology_file
from kg.vocab import Vocabulary, load_vocabulary

COLUMNS = (
    "name",
    "aliases",
    "role",
    "of",
    "title",
    "start",
    "end",
    "status",
    "wikidata",
    "source",
    "checked",
    "note",
)
STATUSES = ("", "acting", "joint")
ID_BASE = "https://w3id.org/cmkg/id/"
ROLE_BASE = ID_BASE + "role/"
COUNTRY_BASE = ID_BASE + "country/"
ORG_BASE = ID_BASE + "org/"
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_QID = re.compile(r"^Q[1-9]\d*$")
_URL = re.compile(r"^https?://\S+$")


def fold(text: str) -> str:
    """A name as compared: accents, case, punctuation and spacing ignored.

    >>> fold("  Nicușor  DAN ")
    'nicusor dan'
    >>> fold("Lan Fo'an") == fold("Lan Foan")
    True
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['’ʻ`]", "", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def day(value: str | date) -> date:
    """The first day an ISO day or month stands for.

    >>> day("2025-07"), day("2024-10-01")
    (datetime.date(2025, 7, 1), datetime.date(2024, 10, 1))
    """
    if isinstance(value, date):
        return value
    return date.fromisoformat(value if len(value) == 10 else value + "-01")


@dataclass(frozen=True, slots=True)
class Holding:
    """One row of the table: a person in a post for one term."""

    name: str
    roles: tuple[str, ...]
    of: str
    title: str
    start: str
    end: str | None = None
    aliases: tuple[str, ...] = ()
    status: str = ""
    wikidata: str | None = None
    source: str = ""
    checked: str | None = None
    note: str = ""
    line: int = 0
    #: The IRI of the person (set when the table is indexed).
    person: str = ""

    @property
    def role(self) -> str:
        """The role the post is named by (the first of ``roles``)."""
        return self.roles[0]

    @property
    def post(self) -> tuple[str, str]:
        """The post: (its role, its country or organisation)."""
        return self.roles[0], self.of

    def covers(self, on: date | str, *, confirmed: bool = False) -> bool:
        """Whether the term includes the day ``on``.

        With ``confirmed``, an open term counts only up to its ``checked`` date, the last day a
        source showed the person in office.

        >>> h = Holding("Ann Example", ("finance-minister",), "PAK", "Minister", "2024-03-11",
        ...             checked="2025-01-01")
        >>> h.covers("2024-03-11"), h.covers("2026-01-01"), h.covers("2026-01-01", confirmed=True)
        (True, True, False)
        """
        when = day(on)
        if when < day(self.start):
            return False
        if self.end is not None:
            return when < day(self.end)
        return not confirmed or (self.checked is not None and when <= day(self.checked))


@dataclass(frozen=True, slots=True)
class Person:
    """A person of the table: the canonical name, every alias, the Wikidata id, the IRI."""

    iri: str
    name: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None

    @property
    def surname(self) -> str:
        """The last word of the name (generational suffixes and regnal numbers skipped)."""
        words = [w for w in self.name.replace(",", " ").split() if w]
        while len(words) > 1 and fold(words[-1]) in _SUFFIXES:
            words.pop()
        return words[-1]


_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "vi", "x"}


@dataclass(frozen=True, slots=True)
class SurfaceForm:
    """A string the text may use for a person, for rule generation: ``how`` is name or alias."""

    text: str
    person: str
    how: str


@dataclass(frozen=True)
class Officials:
    """The table, indexed by post and by the forms of people's names."""

    holdings: tuple[Holding, ...]
    people: dict[str, Person]
    roles: frozenset[str]
    places: frozenset[str]
    _by_person: dict[str, tuple[Holding, ...]] = field(repr=False)
    _by_post: dict[tuple[str, str], tuple[Holding, ...]] = field(repr=False)
    _by_form: dict[str, frozenset[str]] = field(repr=False)
    _by_surname: dict[str, frozenset[str]] = field(repr=False)

    def __len__(self) -> int:
        return len(self.holdings)

    def __iter__(self) -> Iterator[Holding]:
        return iter(self.holdings)

    def person_of(self, holding: Holding) -> Person:
        """The person of a holding."""
        return self.people[holding.person]

    def holders(
        self, role: str, of: str, on: date | str, *, confirmed: bool = False
    ) -> tuple[Holding, ...]:
        """Every holding of ``role`` at ``of`` (ISO3 code or organisation) that covers ``on``.

        ``role`` and ``of`` are local names (``finance-minister``, ``PAK``, ``imf``) or the
        vocabulary's IRIs. A role matches the post's own role and the functions listed after it
        (a US Secretary of State is also ``foreign-minister``). Acting holders and co-holders
        (``status``) come back together with the substantive holder.

        >>> [h.name for h in load_officials().holders("finance-minister", "PAK", "2025-10-31")]
        ['Muhammad Aurangzeb']
        """
        key = (self._role(role), self._place(of))
        return tuple(h for h in self._by_post.get(key, ()) if h.covers(on, confirmed=confirmed))

    def holder(
        self, role: str, of: str, on: date | str, *, confirmed: bool = False
    ) -> Holding | None:
        """The one holder of a post on a day, or None when there is none or it is ambiguous.

        An acting holder beside a suspended incumbent, or co-holders, make it ambiguous unless
        exactly one of them is the substantive (non-acting, non-joint) holder.

        >>> load_officials().holder("president", "USA", "2022-06-01").name
        'Joe Biden'
        >>> load_officials().holder("head-of-state", "BIH", "2024-01-01") is None  # three members
        True
        """
        found = self.holders(role, of, on, confirmed=confirmed)
        if len(found) == 1:
            return found[0]
        plain = [h for h in found if not h.status]
        return plain[0] if len(plain) == 1 else None

    def find(self, name: str) -> tuple[Person, ...]:
        """The people a name, an alias or (failing those) a surname may denote, by name.

        >>> [p.name for p in load_officials().find("MBS")]
        ['Mohammed bin Salman']
        """
        keys = self._by_form.get(fold(name)) or self._by_surname.get(fold(name), frozenset())
        return tuple(sorted((self.people[k] for k in keys), key=lambda p: p.name))

    def posts(
        self,
        name: str,
        on: date | str | None = None,
        *,
        role: str | None = None,
        of: str | None = None,
        confirmed: bool = False,
    ) -> tuple[Holding, ...]:
        """The holdings of the people ``name`` may denote, on ``on`` if given, in date order.

        ``name`` is a full name, an alias or a surname; ``role`` and ``of`` narrow it down, as a
        title and a country do in "Finance Minister Aurangzeb" or "Pakistan's Aurangzeb".

        >>> [(h.title, h.of) for h in load_officials().posts("Aurangzeb", "2025-10-31",
        ...                                                   role="finance-minister")]
        [('Minister of Finance and Revenue', 'PAK')]
        """
        wanted_role = self._role(role) if role else None
        wanted_of = self._place(of) if of else None
        found = []
        for person in self.find(name):
            for h in self._by_person[person.iri]:
                if wanted_role and wanted_role not in h.roles:
                    continue
                if wanted_of and h.of != wanted_of:
                    continue
                if on is not None and not h.covers(on, confirmed=confirmed):
                    continue
                found.append(h)
        return tuple(sorted(found, key=lambda h: (day(h.start), h.of, h.role)))

    def surface_forms(self) -> tuple[SurfaceForm, ...]:
        """Every name and alias of every person, with an accent-free spelling where it differs.

        >>> ("Modi", "alias") in {(f.text, f.how) for f in load_officials().surface_forms()}
        True
        """
        forms: dict[tuple[str, str], SurfaceForm] = {}
        for person in self.people.values():
            for text, how in ((person.name, "name"), *((a, "alias") for a in person.aliases)):
                plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
                for variant in {text, plain} if plain.strip() else {text}:
                    forms.setdefault((variant, person.iri), SurfaceForm(variant, person.iri, how))
        return tuple(sorted(forms.values(), key=lambda f: (f.text, f.person)))

    def _role(self, role: str) -> str:
        local = role.removeprefix(ROLE_BASE)
        if local not in self.roles:
            raise UsageError(f"unknown role {role!r}; roles of ontology/vocab/roles.ttl are used")
        return local

    def _place(self, of: str) -> str:
        local = of.removeprefix(COUNTRY_BASE).removeprefix(ORG_BASE)
        if local not in self.places:
            raise UsageError(
                f"unknown country or organisation {of!r}; use an ISO 3166 alpha-3 code "
                "(PAK) or an organisation of ontology/vocab/organizations.ttl (imf)"
            )
        return local


def place_iri(of: str) -> str:
    """The vocabulary IRI of a country code or an organisation's local name.

    >>> place_iri("PAK"), place_iri("imf")
    ('https://w3id.org/cmkg/id/country/PAK', 'https://w3id.org/cmkg/id/org/imf')
    """
    return (COUNTRY_BASE if of.isupper() else ORG_BASE) + of


def parse_officials(
    text: str, vocabulary: Vocabulary | None = None, source: str = "officials.csv"
) -> Officials:
    """Read the table, checking every value against the vocabularies.

    A bad row raises :class:`~kg.errors.InputError` naming the file, the line and the value.

    >>> table = "name,aliases,role,of,title,start,end,status,wikidata,source,checked,note\\n"
    >>> row = "Ann Example,,finance-minister,PAK,Minister,2024-03-11,,,,https://example.org,,\\n"
    >>> parse_officials(table + row).holders("finance-minister", "PAK", "2025-01-01")[0].name
    'Ann Example'
    >>> parse_officials(table + row.replace("PAK", "XYZ"))
    Traceback (most recent call last):
    ...
    kg.errors.InputError: officials.csv line 2: unknown country or organisation 'XYZ'
    """
    vocabulary = vocabulary or load_vocabulary()
    roles = frozenset(c.iri.removeprefix(ROLE_BASE) for c in vocabulary.of_kind("Role"))
    places = frozenset(c.iso3 for c in vocabulary.of_kind("Country") if c.iso3) | frozenset(
        c.iri.removeprefix(ORG_BASE) for c in vocabulary.of_kind("Organization")
    )
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise InputError(f"{source}: the columns must be {', '.join(COLUMNS)}")
    holdings = tuple(_holding(row, reader.line_num, roles, places, source) for row in reader)
    return _index(holdings, roles, places)


def _holding(
    row: dict[str, str], line: int, roles: frozenset[str], places: frozenset[str], source: str
) -> Holding:
    def bad(message: str) -> InputError:
        return InputError(f"{source} line {line}: {message}")

    values = {k: (v or "").strip() for k, v in row.items()}
    if not values["name"] or not values["title"]:
        raise bad("name and title are required")
    role_list = tuple(values["role"].split("|"))
    for role in role_list:
        if role not in roles:
            raise bad(f"unknown role {role!r}")
    if values["of"] not in places:
        raise bad(f"unknown country or organisation {values['of']!r}")
    for column in ("start", "end", "checked"):
        if values[column] and not _DATE.match(values[column]):
            raise bad(f"{column} {values[column]!r} is not an ISO day or month")
    if not values["start"]:
        raise bad("start is required")
    if values["end"] and day(values["end"]) < day(values["start"]):
        raise bad(f"end {values['end']} is before start {values['start']}")
    if values["status"] not in STATUSES:
        raise bad(f"status {values['status']!r} is not one of {', '.join(STATUSES[1:])}")
    if values["wikidata"] and not _QID.match(values["wikidata"]):
        raise bad(f"wikidata {values['wikidata']!r} is not a Wikidata id (Q…)")
    if not _URL.match(values["source"]):
        raise bad(f"source {values['source']!r} is not a URL")
    return Holding(
        name=values["name"],
        roles=role_list,
        of=values["of"],
        title=values["title"],
        start=values["start"],
        end=values["end"] or None,
        aliases=tuple(a.strip() for a in values["aliases"].split("|") if a.strip()),
        status=values["status"],
        wikidata=values["wikidata"] or None,
        source=values["source"],
        checked=values["checked"] or None,
        note=values["note"],
        line=line,
    )


def _index(
    holdings: tuple[Holding, ...], roles: frozenset[str], places: frozenset[str]
) -> Officials:
    from kg.resolve._names import slug  # imported here: resolve is a later stage that uses us

    # One person per Wikidata id, or per name where there is none; a name two ids share gets
    # the id in its IRI so the two people stay apart.
    key_of = {id(h): h.wikidata or "name:" + fold(h.name) for h in holdings}
    ids_of_name: dict[str, set[str]] = defaultdict(set)
    for h in holdings:
        ids_of_name[fold(h.name)].add(key_of[id(h)])
    rows_of: dict[str, list[Holding]] = defaultdict(list)
    for h in holdings:
        rows_of[key_of[id(h)]].append(h)
    people: dict[str, Person] = {}
    iri_of_key: dict[str, str] = {}
    for key, rows in rows_of.items():
        name = rows[-1].name
        suffix = f"-{key.lower()}" if len(ids_of_name[fold(name)]) > 1 and key[0] == "Q" else ""
        iri = f"{ID_BASE}person/{slug(name)}{suffix}"
        aliases = sorted({a for h in rows for a in (h.name, *h.aliases)} - {name})
        people[iri] = Person(iri, name, tuple(aliases), rows[0].wikidata)
        iri_of_key[key] = iri
    holdings = tuple(replace(h, person=iri_of_key[key_of[id(h)]]) for h in holdings)
    by_person: dict[str, list[Holding]] = defaultdict(list)
    by_post: dict[tuple[str, str], list[Holding]] = defaultdict(list)
    for h in holdings:
        by_person[h.person].append(h)
        for role in h.roles:
            by_post[role, h.of].append(h)
    by_form: dict[str, set[str]] = defaultdict(set)
    by_surname: dict[str, set[str]] = defaultdict(set)
    for person in people.values():
        for form in (person.name, *person.aliases):
            by_form[fold(form)].add(person.iri)
        by_surname[fold(person.surname)].add(person.iri)
    return Officials(
        holdings=holdings,
        people=people,
        roles=roles,
        places=places,
        _by_person={k: tuple(v) for k, v in by_person.items()},
        _by_post={k: tuple(sorted(v, key=lambda h: day(h.start))) for k, v in by_post.items()},
        _by_form={k: frozenset(v) for k, v in by_form.items()},
        _by_surname={k: frozenset(v) for k, v in by_surname.items()},
    )


@cache
def load_officials() -> Officials:
    """The table shipped in ``ontology/vocab/officials.csv`` (read once per process)."""
    resource = ontology_file("vocab", "officials.csv")
    return parse_officials(resource.read_text(encoding="utf-8"), source=str(resource.name))
