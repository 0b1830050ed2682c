"""The arguments of a trigger in a parsed sentence: grammar slots, and the mentions they name.

The slots are English grammar rather than vocabulary, so they are code (the grammar patterns
name them):

``subject``
    who does what the trigger says: its own subject; the agent of a passive ("signed by
    Chile"); the subject of the verb it completes ("agreed to sign"), of the verb it is
    coordinated with, or of the verb whose object it is ("held talks with"); the noun a relative
    or participle clause describes ("China, which controls…", "a company producing…").
``owner``, ``possessor``, ``modifier``
    a noun's possessor and the names modifying it ("China's exports", "Chilean copper output",
    "Pakistan-US relations"); ``possessor`` is the possessive alone, ``modifier`` the rest.
``actor`` (in :mod:`kg.extract._grammar`)
    the ``owner`` when it names someone, else the ``subject``.
``theme``
    what the trigger is about: a verb's object (or a passive's subject), a noun's compound
    modifiers and its ``of`` phrase ("copper production", "production of copper").
``head``
    the word the trigger depends on ("copper *produced at* …" → copper).
any preposition
    the objects of that preposition on the trigger ("talks *with* India").

:class:`Arguments` turns tokens into mentions: the mention at a token, then its conjuncts
("Chile, Peru and Bolivia", "X along with Y"), what a generic noun stands for ("the miner,
Gecamines", "countries such as Chile", "his Chinese and Indian counterparts", "those
minerals"), and what a pronoun or a definite description refers to ("it", "the country", "the
company": the nearest mention of the right kind before it, ``anaphora`` in ``grammar.jsonl``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from functools import cached_property

from spacy.tokens import Doc, Token

from kg.records import Mention

ACTORS = frozenset({"Country", "Organization", "Person"})
_RELATIVE = frozenset({"which", "that", "who", "whom", "whose"})
_SUBJECT_DEPS = frozenset({"nsubj", "csubj", "expl"})
_PRONOUNS = frozenset({"it", "they", "he", "she"})
#: Prepositions that set the scene of a clause: the clause's subject takes part in what their
#: object names ("during talks with Y, X …"); others do not ("X ruled against the ban").
_SETTING_PREPOSITIONS = frozenset(
    {"during", "at", "on", "in", "amid", "after", "following", "via", "from", "besides"}
    | {"through", "under"}
)
#: Dependencies a mineral is looked for along inside a noun phrase ("resources such as nickel",
#: "90% of global rare earth processing"), not into clauses, appositions or other phrases.
_PHRASE_DEPS = frozenset(
    {"compound", "amod", "nmod", "conj", "cc", "pobj", "poss", "nummod", "quantmod", "det", "prep"}
)
_PHRASE_PREPOSITIONS = frozenset({"of", "in", "as", "including", "like"})
_DEFINITE = frozenset({"the", "this", "that", "those", "these", "such", "its", "their"})
#: How far back (characters) a pronoun, and a description such as "the company", look for what
#: they refer to.
_PRONOUN_REACH = 250
_DESCRIPTION_REACH = 1500


def subjects(token: Token, depth: int = 0) -> list[Token]:
    """Who does what ``token`` says (see the module docstring for the cases)."""
    if depth > 4:
        return []
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in token.children)
    if passive or (token.tag_ == "VBN" and token.dep_ in {"acl", "amod"}):
        agents = preposition_objects(token, "by", dep="agent")
        if agents:
            return agents
        if passive:
            return []
    own = [c for c in token.children if c.dep_ in _SUBJECT_DEPS]
    if own:
        if own[0].lower_ in _RELATIVE and token.dep_ == "relcl":
            return [_antecedent(own[0], token.head)]
        if own[0].lower_ in _PRONOUNS and token.dep_ == "conj" and token.head is not token:
            return subjects(token.head, depth + 1) or own  # "X is rich in…, and it is…"
        return own + list(_along_with(token))  # "X, along with Y, met Z"
    head = token.head
    if head is token:
        return []
    if token.dep_ in {"xcomp", "conj", "advcl"} and head.pos_ in {"VERB", "AUX"}:
        return subjects(head, depth + 1)
    if token.dep_ in {"relcl", "acl", "appos"}:
        return [head]
    if token.dep_ in {"dobj", "attr", "oprd", "acomp"} and head.pos_ in {"VERB", "AUX"}:
        return subjects(head, depth + 1)
    if token.dep_ == "conj" and token.pos_ in {"NOUN", "PROPN"}:
        return subjects(_first_conjunct(token), depth + 1)
    if (
        token.dep_ == "pobj"
        and head.dep_ == "prep"
        and head.lower_ in _SETTING_PREPOSITIONS
        and head.head.pos_ in {"VERB", "AUX"}
    ):
        return subjects(head.head, depth + 1)  # "during his talks with Y, X said"
    if (
        token.dep_ == "pobj"
        and head.dep_ == "prep"
        and head.lower_ == "in"
        and head.head.pos_ in {"NOUN", "PROPN"}
    ):
        return [head.head]  # "the miners, in collaboration with the ministry, …"
    if token.dep_ == "pobj" and head.dep_ == "prep" and head.head.dep_ in {"dobj", "attr"}:
        return subjects(head.head, depth + 1)
    return []


def owners(token: Token) -> list[Token]:
    """A noun's possessor and the names modifying it, through compound chains
    ("Pakistan-US relations": Pakistan and US)."""
    found: list[Token] = []
    stack = [c for c in token.children if c.dep_ in {"poss", "compound", "amod", "nmod"}]
    while stack:
        item = stack.pop()
        found.append(item)
        stack.extend(c for c in item.children if c.dep_ == "compound")
    return found


def themes(token: Token) -> list[Token]:
    """What a trigger is about: objects of a verb, compound modifiers and ``of`` phrase of a
    noun."""
    found = [c for c in token.children if c.dep_ in {"dobj", "nsubjpass", "compound", "attr"}]
    found += preposition_objects(token, "of")
    return found


def preposition_objects(token: Token, word: str, dep: str = "prep") -> list[Token]:
    """Objects of the preposition ``word`` attached to ``token`` ("talks *with* India")."""
    found: list[Token] = []
    for child in token.children:
        if child.lower_ == word and child.dep_ in {dep, "prep", "agent", "dative"}:
            found.extend(c for c in child.children if c.dep_ in {"pobj", "pcomp"})
    return found


def slot(name: str, token: Token) -> list[Token]:
    """The tokens of the slot ``name`` of ``token`` (see the module docstring)."""
    if name == "subject":
        return subjects(token)
    if name == "owner":
        return owners(token)
    if name == "possessor":
        own = [c for c in token.children if c.dep_ == "poss"]
        while not own and token.dep_ == "conj" and token.head is not token:
            # "X's zinc, lead and silver licences": the possessor went to an earlier conjunct,
            # the nearest one that has one ("A's gold permits and B's lithium licences").
            token = token.head
            own = [c for c in token.children if c.dep_ == "poss"]
        return own
    if name == "modifier":
        return [c for c in token.children if c.dep_ in {"compound", "amod", "nmod"}]
    if name == "head":
        return [token.head] if token.head is not token else []
    if name == "theme":
        return themes(token)
    return preposition_objects(token, name)


def _antecedent(relative: Token, attached: Token) -> Token:
    """What a relative pronoun refers to: the noun right before it ("China – which produces"),
    which the parser sometimes attaches elsewhere; else the noun the clause is attached to."""
    at = relative.i - 1
    while at >= 0 and relative.doc[at].is_punct:
        at -= 1
    before = relative.doc[at] if at >= 0 else attached
    return before if before.pos_ in {"PROPN", "NOUN"} else attached


def _after_semicolon(token: Token) -> bool:
    """An apposition the parser made of the next item of a list cut by semicolons."""
    first = token.left_edge.i
    return first > 0 and token.doc[first - 1].text == ";"


def _first_conjunct(token: Token) -> Token:
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token


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
    """

    def __init__(
        self,
        mentions: list[Mention],
        excluded: set[int],
        anaphora: dict[str, frozenset[str]],
        group_nouns: frozenset[str],
        companies: frozenset[int] = frozenset(),
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
                    return i
                nearest.append(i)
            at -= 1
        if not nearest:
            return None
        counts = self._counts
        return max(nearest, key=lambda i: counts.get(self._key(i), 0))

    def _key(self, i: int) -> str:
        """What names of one thing share: its vocabulary concept, else its first word
        ("Arafura" and "Arafura Rare Earths")."""
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


class Arguments:
    """The article's mentions as seen from one parsed sentence's tokens."""

    def __init__(
        self, article: ArticleMentions, doc: Doc, shift: int, end: int, inside: list[int]
    ) -> None:
        self.article = article
        self.mentions = article.mentions
        self.doc = doc
        #: The sentence's start and end in the article's text.
        self.shift, self.end = shift, end
        #: The mentions inside the sentence (news sources left out), in order.
        self.inside = inside
        self.at: dict[int, int] = {}
        spans = [(self.mentions[i].start, self.mentions[i].end, i) for i in inside]
        k = 0
        for token in doc:
            start = shift + token.idx
            while k < len(spans) and spans[k][1] <= start:
                k += 1
            if k < len(spans) and spans[k][0] <= start:
                self.at[token.i] = spans[k][2]

    def number_subject(self, position: int, types: frozenset[str]) -> int | None:
        """Whom the number at article offset ``position`` is about: the owner of the phrase it
        measures ("Arafura's shares were up 11.5%"), else the subject of its clause, climbing
        to the verbs above it ("The company is targeting to produce 300,000 tonnes a year"),
        with pronouns and "the company" resolved."""
        at = bisect_right(self._offsets, position - self.shift) - 1
        if at < 0:
            return None
        token = self.doc[at]
        for _ in range(8):
            owners = [c for c in token.children if c.dep_ in {"poss", "compound"}]
            found = self.resolve(owners, types) if token.pos_ in {"NOUN", "PROPN"} else []
            if not found and token.pos_ in {"VERB", "AUX"}:
                found = self.resolve(subjects(token), types)
            if found:
                return found[0]
            if token.head is token:
                return None
            token = token.head
        return None

    @cached_property
    def _offsets(self) -> list[int]:
        return [t.idx for t in self.doc]

    @cached_property
    def _ordered(self) -> list[tuple[int, int]]:
        return sorted(self.at.items())

    def resolve(
        self, tokens: Iterable[Token], types: frozenset[str], conjuncts: bool = True
    ) -> list[int]:
        """The mentions of the wanted ``types`` the tokens stand for, in order, once each;
        without ``conjuncts``, not those of coordinated words that have an owner of their own,
        nor, for a word with an owner, those before it (a trigger word stands for its own
        phrase: "X's tin permits and Y's copper licences")."""
        found: dict[int, None] = {}
        for token in tokens:
            seen = set()
            if not conjuncts:
                owned = any(g.dep_ == "poss" for g in token.children)
                seen = {
                    c.i
                    for c in token.conjuncts
                    if (owned and c.i < token.i) or any(g.dep_ == "poss" for g in c.children)
                }
            for i in self._of(token, types, seen):
                found.setdefault(i, None)
        return list(found)

    def _of(self, token: Token, types: frozenset[str], seen: set[int]) -> list[int]:
        if token.i in seen:
            return []
        seen.add(token.i)
        found: list[int] = []
        own = self.at.get(token.i)
        if own is not None:
            label = self.mentions[own].label
            if label in types:
                found.append(own)
            for child in token.children:  # "Canada, the United States, Britain …"
                named = self.at.get(child.i)
                if (
                    child.dep_ == "appos"
                    and named is not None
                    and self.mentions[named].label == label
                ):
                    found.extend(self._of(child, types, seen))
        elif token.pos_ == "ADP":
            for child in token.children:
                if child.dep_ in {"pobj", "pcomp"}:
                    found.extend(self._of(child, types, seen))
        elif token.pos_ in {"NOUN", "PROPN", "PRON", "NUM", "ADJ"}:
            found.extend(self._named_by(token, types, seen))
        for conj in [*token.conjuncts, *_along_with(token)]:
            if conj.i not in seen:
                found.extend(self._of(conj, types, seen))
        return found

    def _named_by(self, token: Token, types: frozenset[str], seen: set[int]) -> list[int]:
        """What a generic noun or a pronoun stands for (see the module docstring)."""
        found: list[int] = []
        for child in token.children:
            if child.dep_ == "appos" and not _after_semicolon(child):
                found.extend(self._of(child, types, seen))
            elif child.dep_ in {"poss", "compound"} and types & ACTORS and child.i in self.at:
                found.extend(self._of(child, types, seen))  # "Glencore's KCC operation"
            elif token.lower_ in self.article.group_nouns and (
                child.dep_ == "amod" or (child.dep_ == "prep" and child.lower_ == "of")
            ):
                found.extend(self._of(child, types, seen))  # "his Chinese counterparts"
            elif child.dep_ == "prep" and child.lower_ in {"as", "including", "like"}:
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        found.extend(self._of(grand, types, seen))
        if "Mineral" in types:
            found.extend(self._minerals_in(token))
        if not found and token.dep_ == "appos" and token.head.i in self.at:
            found.extend(self._of(token.head, types, seen))  # "X, a fund backed by Y"
        if not found:
            referent = self._referent(token, types)
            if referent is not None:
                found.append(referent)
        return found

    def _minerals_in(self, token: Token) -> Iterator[int]:
        # "X's zinc, lead and silver licences": the parser coordinates the minerals with the
        # noun they modify; the minerals coordinated before the noun are its own.
        owner = [c.i for c in token.children if c.dep_ == "poss"]
        bound = owner[0] if owner else -1  # "… and Y's cobalt assets": not X's minerals
        for conj in token.conjuncts:
            i = self.at.get(conj.i)
            if bound < conj.i < token.i and i is not None and self.mentions[i].label == "Mineral":
                yield i
        for inner in _phrase(token):
            i = self.at.get(inner.i)
            if i is not None and self.mentions[i].label == "Mineral":
                yield i
            elif (
                i is None
                and (inner.pos_ == "PRON" or self._definite(inner))
                and "Mineral" in self.article.anaphora.get(inner.lower_, ())
            ):
                yield from self._earlier(inner, "Mineral")  # "exports of the metal"

    def _referent(self, token: Token, types: frozenset[str]) -> int | None:
        """What a pronoun ("it") or a definite description ("the company") refers to."""
        labels = self.article.anaphora.get(token.lower_)
        if labels is None or token.pos_ not in {"PRON", "NOUN"}:
            return None
        if token.pos_ == "NOUN" and not self._definite(token):
            return None
        wanted = frozenset(
            label
            for label in labels
            if label in types or (label in {"Company", "Body"} and "Organization" in types)
        )
        if not wanted:
            return None
        if token.dep_ == "poss" and token.pos_ == "PRON":
            # "X proposed its accession to …": a possessive refers to its clause's subject.
            verb = token.head
            while verb.pos_ not in {"VERB", "AUX"} and verb.head is not verb:
                verb = verb.head
            owner = [
                i
                for i in self.resolve([s for s in subjects(verb) if s.pos_ != "PRON"], types)
                if self.article.kind(i) & wanted
            ]
            if owner:
                return owner[0]
        return self.article.before(self.shift + token.idx, wanted, salient=token.pos_ == "NOUN")

    def _earlier(self, token: Token, label: str) -> list[int]:
        """Mentions of ``label`` before ``token`` in its sentence ("those minerals"), or else
        the nearest one before the sentence ("China dominates the market for the minerals")."""
        found = [i for t, i in self._ordered if t < token.i and self.mentions[i].label == label]
        if not found:
            before = self.article.before(self.shift, frozenset({label}))
            found = [before] if before is not None else []
        return found

    @staticmethod
    def _definite(token: Token) -> bool:
        return any(c.dep_ in {"det", "poss"} and c.lower_ in _DEFINITE for c in token.children)


def _along_with(token: Token) -> Iterator[Token]:
    """ "X along with Y", "X together with Y": Y acts with X."""
    for child in token.children:
        if child.dep_ != "prep":
            continue
        if child.lower_ in {"along", "together"}:
            yield from preposition_objects(child, "with")
        elif child.lower_ == "with" and child.i > 0:
            before = token.doc[child.i - 1].lower_
            if before in {"along", "together"}:
                yield from (c for c in child.children if c.dep_ == "pobj")


def _phrase(token: Token) -> Iterator[Token]:
    """The tokens of a noun phrase, along its modifiers and ``of``/``such as`` phrases only, and
    not into a coordinated phrase with an owner of its own ("X's project and Y's permits")."""
    stack = [token]
    while stack:
        item = stack.pop()
        yield item
        stack.extend(
            c
            for c in item.children
            if c.dep_ in _PHRASE_DEPS
            and (c.dep_ != "prep" or c.lower_ in _PHRASE_PREPOSITIONS)
            and not (c.dep_ == "conj" and _owned(c))
        )


def _owned(token: Token) -> bool:
    return any(c.dep_ == "poss" for c in token.children)
