"""Syndicated copies at build time: each new or changed article is fingerprinted and checked
against the articles of the run and those already stored, in input order.

The stored ones are found by their ``cm:signatureBand`` values: on an embedded store straight
from Oxigraph's indexes (a hundredth of a millisecond a band), on a remote one with one bound
query a band (a remote server may scan for each: slower). The run's own articles are kept in
memory only until the store has them.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence

import pyoxigraph as ox

from kg.ingest import own_text
from kg.ingest.syndication import (
    Candidate,
    Fingerprint,
    SyndicationIndex,
    fingerprint,
    most_shared,
)
from kg.rdf import article_graph, article_iri
from kg.rdf._terms import cm, schema
from kg.rdf.syndication import syndication_quads
from kg.records import Article
from kg.store import GraphStore, RemoteStore, load_query


class BuildSyndication:
    """The syndication state of one build: :meth:`check` each article to write, in input order,
    then :meth:`quads` for its graph, and :meth:`written` once the writer has it."""

    def __init__(self, store: GraphStore | RemoteStore | None) -> None:
        self.store = store
        self.index = SyndicationIndex(self._stored if store is not None else None)
        # article id → (fingerprint, original, whether later articles look it up)
        self._found: dict[str, tuple[Fingerprint | None, str | None, bool]] = {}
        self._pending: deque[tuple[str, str]] = deque()

    def check(self, article: Article) -> str | None:
        """The IRI of the original ``article`` is a copy of, or None."""
        key = article_iri(article).value
        print_ = fingerprint(own_text(article))
        original, looked_up = self.index.match(key, print_)
        self._found[article.id] = (print_, original, looked_up)
        return original

    def is_copy(self, article: Article) -> bool:
        """Whether a checked article was found to be a copy."""
        return self._found.get(article.id, (None, None, False))[1] is not None

    def quads(self, article: Article) -> list[ox.Quad]:
        """The syndication quads of a checked article (forgotten here once asked for)."""
        print_, original, looked_up = self._found.pop(article.id, (None, None, False))
        return syndication_quads(article, print_, original, bands=looked_up)

    def written(self, article: Article) -> None:
        """The writer has taken ``article``; :meth:`settle` drops it once it is stored."""
        self._pending.append((article_iri(article).value, article_graph(article).value))

    def settle(self, is_pending: Callable[[str], bool]) -> None:
        """Forget, oldest first, the run's articles the store now answers for: those whose
        graph is no longer ``is_pending`` (the writer writes in order)."""
        while self._pending and not is_pending(self._pending[0][1]):
            self.index.forget(self._pending.popleft()[0])

    def _stored(self, bands: Sequence[str]) -> Iterator[Candidate]:
        """The stored articles sharing a band: of each story, those sharing the most
        (:func:`~kg.ingest.syndication.most_shared`)."""
        if isinstance(self.store, GraphStore):
            yield from _stored_embedded(self.store, bands)
            return
        if self.store is None:
            return
        found: dict[str, tuple[int, str, str | None]] = {}
        for band in bands:
            for row in self.store.select(load_query("_syndication_candidates"), {"band": band}):
                article = str(row["article"])
                count = found[article][0] if article in found else 0
                found[article] = (count + 1, str(row["signature"]), row.get("original"))
        hits = {article: (count, original) for article, (count, _, original) in found.items()}
        for article in most_shared(hits):
            decoded = Fingerprint.decode(found[article][1])
            if decoded is not None:
                yield Candidate(article, decoded, found[article][2])


def _stored_embedded(store: GraphStore, bands: Sequence[str]) -> Iterator[Candidate]:
    """:meth:`BuildSyndication._stored` on Oxigraph's indexes: bands counted first, and the
    signatures of the chosen articles read afterwards."""
    raw = store.raw
    graphs: dict[ox.NamedNode, ox.NamedNode] = {}
    counts: Counter[ox.NamedNode] = Counter()
    for band in bands:
        for quad in raw.quads_for_pattern(None, cm.signatureBand, ox.Literal(band), None):
            if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.graph_name, ox.NamedNode):
                counts[quad.subject] += 1
                graphs[quad.subject] = quad.graph_name
    hits: dict[str, tuple[int, str | None]] = {}
    for article, count in counts.items():
        hits[article.value] = (count, _value(raw, article, schema.isBasedOn, graphs[article]))
    for chosen in most_shared(hits):
        node = ox.NamedNode(chosen)
        signature = _value(raw, node, cm.textSignature, graphs[node])
        decoded = Fingerprint.decode(signature) if signature else None
        if decoded is not None:
            yield Candidate(chosen, decoded, hits[chosen][1])


def _value(
    raw: ox.Store, subject: ox.NamedNode, predicate: ox.NamedNode, graph: ox.NamedNode
) -> str | None:
    quad = next(raw.quads_for_pattern(subject, predicate, None, graph), None)
    term = quad.object if quad is not None else None
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else None
