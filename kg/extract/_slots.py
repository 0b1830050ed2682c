"""Grammar slots of a trigger in a parsed sentence: the tokens that fill them.

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
``modified`` (in :mod:`kg.extract._grammar`)
    the name of the word the trigger modifies, without its conjuncts ("the *US-led* framework").
any preposition
    the objects of that preposition on the trigger ("talks *with* India").
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.patterns import word_set

ACTORS = frozenset({"Country", "Organization", "Person"})
_RELATIVE = frozenset({"which", "that", "who", "whom", "whose"})
_SUBJECT_DEPS = frozenset({"nsubj", "csubj", "expl"})
_PRONOUNS = frozenset({"it", "they", "he", "she"})
_NOUNS = frozenset({"NOUN", "PROPN", "NUM"})
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


def _patient(verb: Token) -> list[Token]:
    """The passive subject of ``verb``, or of the verb it completes ("X is said to have been
    pushed": X)."""
    for _ in range(4):
        found = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if found or verb.dep_ != "xcomp" or verb.head is verb:
            return found
        verb = verb.head
    return []


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
        return own + list(along_with(token))  # "X, along with Y, met Z"
    head = token.head
    if head is token:
        return []
    if (
        token.dep_ == "xcomp"
        or (token.dep_ == "advcl" and head.lemma_ in word_set("object_control_verbs"))
    ) and any(c.dep_ in {"nsubjpass", "auxpass"} for c in head.children):
        # "X was pushed by Y to sell", "X is said to have been urged to sell": who was pushed
        # does the selling
        done_to = _patient(head)
        if done_to:
            return done_to
    if token.dep_ in {"xcomp", "conj", "advcl"} and head.pos_ in {"VERB", "AUX"}:
        return subjects(head, depth + 1)
    if token.dep_ in {"relcl", "acl", "appos"}:
        return [head]
    if token.dep_ == "oprd" and head.pos_ == "VERB":
        named = [c for c in head.children if c.dep_ == "dobj"]
        if named:
            return named  # "made Chile the world leader": Chile is the leader
    if token.dep_ in {"dobj", "attr", "oprd", "acomp"} and head.pos_ in {"VERB", "AUX"}:
        return subjects(head, depth + 1)
    if token.dep_ == "conj" and token.pos_ in {"NOUN", "PROPN"}:
        return subjects(first_conjunct(token), depth + 1)
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
    if (
        token.dep_ == "pobj"
        and head.dep_ == "prep"
        and head.head.dep_ in {"dobj", "attr"}
        and head.lower_ not in _TOPIC_PREPOSITIONS
    ):
        return subjects(head.head, depth + 1)
    return []


#: "agreed to boost cooperation on nickel processing": what a noun is about is a topic, not
#: something its subject does.
_TOPIC_PREPOSITIONS = frozenset({"on", "about", "over", "regarding", "concerning"})


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
    found = preposition_objects(token, name)
    if not found and name in _TRADE_PREPOSITIONS:
        # "imported 30,000 tonnes of copper from Peru": the parser hangs the origin on the
        # goods; it still says where the trade goes or comes from.
        for noun in _goods(token):
            found.extend(preposition_objects(noun, name))
    return found


#: Prepositions of origin and destination, looked for on the goods as well as on the trigger.
_TRADE_PREPOSITIONS = frozenset({"from", "to"})


def _goods(token: Token) -> list[Token]:
    """The object of a trade word and the nouns of its "of" phrase ("30,000 tonnes of
    copper concentrate")."""
    objects = [c for c in token.children if c.dep_ in {"dobj", "pobj"} and c.pos_ in _NOUNS]
    # the of-phrases of the objects, and of the word itself ("imports of X from Y")
    return objects + [o for noun in [*objects, token] for o in preposition_objects(noun, "of")]


def _antecedent(relative: Token, attached: Token) -> Token:
    """What a relative pronoun refers to: the noun right before it ("China – which produces"),
    which the parser sometimes attaches elsewhere; else the noun the clause is attached to."""
    at = relative.i - 1
    while at >= 0 and relative.doc[at].is_punct:
        at -= 1
    before = relative.doc[at] if at >= 0 else attached
    return before if before.pos_ in {"PROPN", "NOUN"} else attached


def after_semicolon(token: Token) -> bool:
    """An apposition the parser made of the next item of a list cut by semicolons."""
    first = token.left_edge.i
    return first > 0 and token.doc[first - 1].text == ";"


def first_conjunct(token: Token) -> Token:
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token


def along_with(token: Token) -> Iterator[Token]:
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


def noun_phrase(token: Token) -> Iterator[Token]:
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
            and not (c.dep_ == "conj" and owned(c))
        )


def owned(token: Token) -> bool:
    return any(c.dep_ == "poss" for c in token.children)
