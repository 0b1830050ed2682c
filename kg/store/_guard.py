"""What a read-only store refuses before anything runs: updates, ``SERVICE``, ``LOAD``, and
queries it cannot parse or that nest too deeply.

Oxigraph federates ``SERVICE`` calls on its own, so a refusal that a query can slip past is a
server-side request forgery. Two independent checks must both pass:

1. the query is parsed by rdflib's SPARQL 1.1 grammar, and the parse tree must hold no
   ``ServiceGraphPattern`` (and parse as a query, not an update); a text rdflib cannot parse
   is refused, since we cannot know what Oxigraph would make of it;
2. a lexical scan with SPARQL's own terminals (strings with their escapes, IRIs, comments,
   prefixed names with ``\\``-escapes, variables) finds no ``SERVICE``, ``LOAD`` or update
   keyword outside them, so a difference between the two parsers cannot hide one either.

Both see the text after SPARQL's ``\\uXXXX`` code-point escapes are expanded, as Oxigraph reads
it. Nesting is capped before either runs: rdflib's recursive-descent parser and Oxigraph's own
overflow the stack on queries nested thousands deep.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NoReturn

from kg.errors import ForbiddenQueryError, QueryError, UpdateForbiddenError
from kg.resources import ontology_files

#: The deepest nesting of ``{ ( [`` accepted; rdflib's parser needs about 40 Python frames
#: a level of parentheses, so 16 stays well inside the interpreter's recursion limit.
MAX_NESTING = 16

# SPARQL 1.1 terminals that may hold arbitrary text (grammar rules 139-173). A prefixed name's
# local part may contain escapes such as ``\#`` or ``\'`` (PN_LOCAL_ESC); reading them as the
# start of a comment or a string is how a keyword scan is fooled.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*"
    r"|[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+"
    r"|[\w.-]*:(?:[\w.:-]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])*",
    re.DOTALL,
)
_KEYWORDS = re.compile(
    r"\b(SERVICE|LOAD|INSERT|DELETE|DROP|CLEAR|CREATE|ADD|MOVE|COPY)\b", re.IGNORECASE
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def check_read_only_query(sparql: str) -> None:
    """Refuse, before anything runs, a query that is not a plain read of the local store.

    Raises :class:`~kg.errors.ForbiddenQueryError` for ``SERVICE`` and ``LOAD`` (and
    :class:`~kg.errors.UpdateForbiddenError` for updates), wherever they hide, and
    :class:`~kg.errors.QueryError` for a text that does not parse or nests too deeply.

    >>> check_read_only_query('SELECT * WHERE { ?s ?p "SERVICE" }')
    >>> check_read_only_query("SELECT * WHERE { SERVICE <http://169.254.169.254/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.errors.ForbiddenQueryError: SERVICE is not allowed: ...
    >>> check_read_only_query(r"SELECT * WHERE { ?s ?p ?o } # \\u000a SERVICE <http://x/> {}")
    Traceback (most recent call last):
    ...
    kg.errors.ForbiddenQueryError: SERVICE is not allowed: ...
    """
    if sparql in _packaged_queries():
        return
    text = _expand_codepoints(sparql)
    code = _OPAQUE.sub(" ", text)
    depth = _nesting(code)
    if depth > MAX_NESTING:
        raise QueryError(
            f"query nested {depth} levels deep; kg accepts at most {MAX_NESTING} levels of "
            "{ }, ( ) and [ ]"
        )
    match = _KEYWORDS.search(code)
    if match:
        _refuse(match.group(1).upper())
    if "ServiceGraphPattern" in _names(_parse(text)):
        _refuse("SERVICE")


def _refuse(keyword: str) -> NoReturn:
    error = ForbiddenQueryError if keyword in {"SERVICE", "LOAD"} else UpdateForbiddenError
    raise error(f"{keyword} is not allowed: kg only runs read-only queries over the local store")


def _expand_codepoints(text: str) -> str:
    def expand(match: re.Match[str]) -> str:
        value = int(match.group(1) or match.group(2), 16)
        if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
            raise QueryError(f"SPARQL syntax error: invalid code point escape {match.group(0)}")
        return chr(value)

    return _CODEPOINT.sub(expand, text)


def _nesting(code: str) -> int:
    depth = deepest = 0
    for char in code:
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth -= 1
    return deepest


def _parse(text: str) -> Any:
    """rdflib's parse tree of a query; an update is refused, anything else unparsable too."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import Query, UpdateUnit

    try:
        return Query.parse_string(text, parse_all=True)
    except ParseBaseException as exc:
        problem = exc
    except RecursionError:
        raise QueryError("query nested too deeply to parse") from None
    try:
        tree = UpdateUnit.parse_string(text, parse_all=True)
    except (ParseBaseException, RecursionError):
        raise QueryError(
            f"SPARQL syntax error at line {problem.lineno}, column {problem.col}: {problem.msg}"
        ) from None
    _refuse("LOAD" if "Load" in _names(tree) else "an update")


def _names(node: Any) -> set[str]:
    """The names of every rdflib grammar node (``CompValue``) in a parse tree."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            found.add(item.name)
            stack.extend(item.values())
        elif isinstance(item, ParseResults | list | tuple):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return found


@lru_cache(maxsize=1)
def _packaged_queries() -> frozenset[str]:
    """The texts of kg's own named queries: trusted, so they are not parsed on every run."""
    return frozenset(f.read_text("utf-8") for f in ontology_files("queries", ".rq"))
