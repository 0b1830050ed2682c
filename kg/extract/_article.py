"""An article's mentions in text order, for the parsed sentences of the article: what a
pronoun or a description ("it", "the company", "both countries") refers to before a position,
and the :class:`~kg.extract._arguments.Arguments` view of each parsed sentence."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cached_property

from spacy.tokens import Doc

from kg.extract._arguments import Arguments
from kg.records import Mention

#: How far back (characters) a pronoun, and a description such as "the company", look for what
#: they refer to.
_PRONOUN_REACH = 250
_DESCRIPTION_REACH = 1500


class ArticleMentions:
    """An article's mentions, by position, for the sentences of one article.

    Parameters
    ----------
    mentions : list of Mention
        The article's mentions (relations refer to them by index).
    excluded : set of int
        Mentions that are never arguments (news sources).
    anaphora : dict
        Pronoun or head noun → the mention labels it may refer to (``grammar.jsonl``).
    group_nouns : frozenset of str
        Nouns for people standing for their countries ("counterparts", "officials").
    companies : frozenset of int
        Organisation mentions that are companies (what "the company" may refer to).
    places : frozenset of int
        Country mentions after a preposition of place ("imports from China"): never what a
        pronoun refers to.
    pairs : dict
        Plural noun → the mention labels "both" or "the two" of it stand for ("both
        countries": the last two countries named).
    """

    def __init__(
        self,
        mentions: list[Mention],
        excluded: set[int],
        anaphora: dict[str, frozenset[str]],
        group_nouns: frozenset[str],
        companies: frozenset[int] = frozenset(),
        places: frozenset[int] = frozenset(),
        pairs: dict[str, frozenset[str]] | None = None,
    ) -> None:
        self.mentions = mentions
        self.order = sorted(
            (i for i, m in enumerate(mentions) if m.label not in {"Role", "Date"}),
            key=lambda i: mentions[i].start,
        )
        self.starts = [mentions[i].start for i in self.order]
        self.excluded = excluded
        self.anaphora = anaphora
        self.group_nouns = group_nouns
        self.companies = companies
        self.places = places
        self.pairs = pairs or {}

    def kind(self, i: int) -> frozenset[str]:
        """The labels mention ``i`` answers to: its own, "Company" for an organisation that
        is a company (not a government body or an international organisation) and "Body" for
        one whose name ends in a noun the anaphora table sends to bodies ("… Committee")."""
        label = self.mentions[i].label
        kinds = {label}
        if label == "Organization" and i in self.companies:
            kinds.add("Company")
        last = self.mentions[i].text.rsplit(maxsplit=1)[-1].lower()
        if label == "Organization" and "Body" in self.anaphora.get(last, ()):
            kinds.add("Body")
        return frozenset(kinds)

    def sentence(self, doc: Doc, shift: int) -> Arguments:
        """The arguments view of one parsed sentence at article offset ``shift``."""
        end = shift + len(doc.text)
        lo, hi = bisect_left(self.starts, shift), bisect_left(self.starts, end)
        inside = [i for i in self.order[lo:hi] if i not in self.excluded]
        return Arguments(self, doc, shift, end, inside)

    def before(self, position: int, labels: frozenset[str], salient: bool = False) -> int | None:
        """The nearest mention of ``labels`` starting before ``position``, within reach; with
        ``salient``, the one named most often so far among those (a description such as "the
        company" refers to the article's protagonist more often than to the last name)."""
        at = bisect_right(self.starts, position) - 1
        nearest: list[int] = []
        reach = _DESCRIPTION_REACH if salient else _PRONOUN_REACH
        while at >= 0 and self.starts[at] >= position - reach:
            i = self.order[at]
            if self.kind(i) & labels and i not in self.excluded:
                if not salient:
                    if i in self.places:
                        at -= 1
                        continue  # "… from China. However, it imported": not what "it" is
                    return i
                nearest.append(i)
            at -= 1
        if not nearest:
            return None
        counts = self._counts
        return max(nearest, key=lambda i: counts.get(self._key(i), 0))

    def last_two(self, position: int, labels: frozenset[str]) -> list[int]:
        """The last two different things of ``labels`` named before ``position`` (within
        reach, places left out), in text order; fewer than two gives nothing."""
        at = bisect_right(self.starts, position) - 1
        found: dict[str, int] = {}
        while at >= 0 and self.starts[at] >= position - _DESCRIPTION_REACH and len(found) < 2:
            i = self.order[at]
            if self.kind(i) & labels and i not in self.excluded and i not in self.places:
                found.setdefault(self._key(i), i)
            at -= 1
        return sorted(found.values()) if len(found) == 2 else []

    def _key(self, i: int) -> str:
        """What names of one thing share: its vocabulary concept, else its first word
        ("Nordvik" and "Nordvik Rare Earths")."""
        mention = self.mentions[i]
        return mention.concept or mention.text.split(" ", 1)[0].lower()

    @cached_property
    def _counts(self) -> dict[str, int]:
        """How often each thing is named in the article (by :meth:`_key`)."""
        counts: dict[str, int] = {}
        for i in self.order:
            key = self._key(i)
            counts[key] = counts.get(key, 0) + 1
        return counts
