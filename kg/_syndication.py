"""Syndicated copies at build time: each new or changed article is fingerprinted and checked
against the articles of the run and those already stored, in input order.

The stored ones are found by their ``cm:signatureBand`` values: on an embedded store straight
from Oxigraph's indexes (a hundredth of a millisecond a band), on a remote one with one bound
query a band. The run's own articles are kept in memory only until the store has them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence

import pyoxigraph as ox

from kg.ingest import own_text
from kg.ingest.syndication import Candidate, Fingerprint, SyndicationIndex, fingerprint
from kg.rdf import article_graph, article_iri
from kg.rdf._terms import cm, schema
from kg.rdf.syndication import syndication_quads
from kg.records import Article
from kg.store import GraphStore, RemoteStore, load_query


class BuildSyndication:
    """The syndication state of one build: :meth:`check` each article to write, in input order,
    then :meth:`quads` for its graph, and :meth:`written` once the store holds it."""

    def __init__(self, store: GraphStore | RemoteStore | None) -> None:
        self.store = store
        self.index = SyndicationIndex(self._stored if store is not None else None)
        self._found: dict[str, tuple[Fingerprint | None, str | None]] = {}
        self._pending: deque[tuple[str, str]] = deque()

    def check(self, article: Article) -> str | None:
        """The IRI of the original ``article`` is a copy of, or None."""
        key = article_iri(article).value
        print_ = fingerprint(own_text(article))
        original = self.index.check(key, print_)
        self._found[article.id] = (print_, original)
        return original

    def is_copy(self, article: Article) -> bool:
        """Whether a checked article was found to be a copy."""
        return self._found.get(article.id, (None, None))[1] is not None

    def quads(self, article: Article) -> list[ox.Quad]:
        """The syndication quads of a checked article (forgotten here once asked for)."""
        print_, original = self._found.pop(article.id, (None, None))
        return syndication_quads(article, print_, original)

    def written(self, article: Article) -> None:
        """The writer has taken ``article``; :meth:`settle` drops it once it is stored."""
        self._pending.append((article_iri(article).value, article_graph(article).value))

    def settle(self, is_pending: Callable[[str], bool]) -> None:
        """Forget, oldest first, the run's articles the store now answers for: those whose
        graph is no longer ``is_pending`` (the writer writes in order)."""
        while self._pending and not is_pending(self._pending[0][1]):
            self.index.forget(self._pending.popleft()[0])

    def _stored(self, bands: Sequence[str]) -> Iterator[Candidate]:
        seen: set[str] = set()
        for band in bands:
            for article, signature, original in _with_band(self.store, band):
                if article in seen:
                    continue
                seen.add(article)
                found = Fingerprint.decode(signature)
                if found is not None:
                    yield Candidate(article, found, original)


def _with_band(
    store: GraphStore | RemoteStore | None, band: str
) -> Iterator[tuple[str, str, str | None]]:
    """(article, signature, original) of every stored article with ``band``."""
    if isinstance(store, GraphStore):
        raw = store.raw
        for quad in raw.quads_for_pattern(None, cm.signatureBand, ox.Literal(band), None):
            subject, graph = quad.subject, quad.graph_name
            signature = next(raw.quads_for_pattern(subject, cm.textSignature, None, graph), None)
            original = next(raw.quads_for_pattern(subject, schema.isBasedOn, None, graph), None)
            based = original.object if original is not None else None
            if isinstance(subject, ox.NamedNode) and signature is not None:
                yield (
                    subject.value,
                    str(getattr(signature.object, "value", "")),
                    based.value if isinstance(based, ox.NamedNode) else None,
                )
    elif store is not None:
        for row in store.select(load_query("_syndication_candidates"), {"band": band}):
            yield str(row["article"]), str(row["signature"]), row.get("original")
