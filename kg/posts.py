"""The officials vocabulary as the resolver's post lookup: title + name + date → post.

"Finance Minister Aurangzeb" in an article of 2025-10-31: the title names a role of
``ontology/vocab/roles.ttl`` ("finance minister"), the surname names people of
``ontology/vocab/officials.csv``, and the date picks the term. When exactly one person held
exactly one such post then, the resolver gets that person's full name, Wikidata id and post
(:class:`~kg.records.Post`); when the text or the table leaves it open, nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property

from kg.officials import ID_BASE, ROLE_BASE, Holding, Officials, fold, place_iri
from kg.records import Post
from kg.vocab import Vocabulary

#: Words that make a title a past or a would-be post, not the one held on the article's date.
_NOT_HELD = frozenset({"former", "ex", "late", "outgoing", "incoming", "designate", "elect"})
_WORD = re.compile(r"[a-z]+")


class PostFinder:
    """A :data:`kg.resolve.PostLookup` over the officials vocabulary.

    Parameters
    ----------
    officials : kg.officials.Officials
        The table of dated posts.
    vocabulary : kg.vocab.Vocabulary
        The vocabularies (the role titles of ``roles.ttl``).

    Examples
    --------
    >>> from kg.officials import load_officials
    >>> from kg.vocab import load_vocabulary
    >>> find = PostFinder(load_officials(), load_vocabulary())
    >>> post = find("Finance Minister", "Aurangzeb", dt.date(2025, 10, 31))
    >>> post.person, post.holder.rsplit("/", 1)[-1], post.title
    ('Muhammad Aurangzeb', 'PAK', 'Minister of Finance and Revenue')
    >>> find("former Finance Minister", "Aurangzeb", dt.date(2025, 10, 31)) is None
    True
    """

    def __init__(self, officials: Officials, vocabulary: Vocabulary) -> None:
        self.officials = officials
        self.vocabulary = vocabulary

    @cached_property
    def roles(self) -> dict[tuple[str, ...], str]:
        """Title words (label or alternative label of a role) → the role's local name."""
        found: dict[tuple[str, ...], str] = {}
        for concept in self.vocabulary.of_kind("Role"):
            local = concept.iri.removeprefix(ROLE_BASE)
            if local not in self.officials.roles:
                continue
            for form in (concept.label, *concept.alt_labels):
                found.setdefault(tuple(_WORD.findall(form.lower())), local)
        return found

    def roles_of(self, title: str) -> list[str]:
        """The roles a title names, the longest first: every run of its words that is a role's
        label ("Finance Minister Senator" → finance-minister, senator).

        >>> from kg.officials import load_officials
        >>> from kg.vocab import load_vocabulary
        >>> PostFinder(load_officials(), load_vocabulary()).roles_of("Federal Finance Minister")
        ['finance-minister', 'minister']
        """
        words = tuple(_WORD.findall(title.lower()))
        if not words or _NOT_HELD & set(words):
            return []
        found: dict[str, None] = {}
        for size in range(len(words), 0, -1):
            for start in range(len(words) - size + 1):
                role = self.roles.get(words[start : start + size])
                if role is not None:
                    found.setdefault(role, None)
        return list(found)

    def __call__(self, title: str, name: str, on: dt.date | None) -> Post | None:
        """The one post a person named ``name`` with ``title`` held on ``on`` (any time when
        the article has no date), or None when none or more than one fits.

        The title's roles are tried from the most specific; a person named in full (not by a
        surname alone) who held exactly one post then is taken whatever the title calls it
        ("Trade Secretary" for a post the table files as trade-minister).
        """
        roles = self.roles_of(title)
        if not roles:
            return None
        for role in roles:
            post = self._one(self.officials.posts(name, on, role=role))
            if post is not None:
                return post
        if (
            len(name.split()) >= 2
            and self.officials.find(name)
            and fold(name)
            in {fold(form) for p in self.officials.find(name) for form in (p.name, *p.aliases)}
        ):
            return self._one(self.officials.posts(name, on))
        return None

    def _one(self, found: tuple[Holding, ...]) -> Post | None:
        people = {h.person for h in found}
        posts = {h.post for h in found}
        if len(people) != 1 or len(posts) != 1:
            return None
        holding = found[-1]
        person = self.officials.person_of(holding)
        return Post(
            person=person.name,
            holder=place_iri(holding.of),
            title=holding.title,
            wikidata=person.wikidata,
            post=f"{ID_BASE}post/{holding.of}/{holding.role}",
        )
