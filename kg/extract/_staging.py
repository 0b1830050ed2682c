"""Part-of-speech tags only where the extractor reads them.

kg reads the tagger's output (``token.pos_``, ``token.tag_``) in one place: growing an
agreement-type word leftwards over its modifiers (``_grow_agreement`` in
:mod:`kg.extract._mentions`), which reads tags from the word back to the nearest stop word at
most. Over a whole text, the shared ``tok2vec``,
the ``tagger`` and the ``attribute_ruler`` that feed those tags cost about half as much as the NER.
:class:`DeferredTagging` takes them out of the main pass and runs them afterwards on windows around
those few words only, with as much context on either side as the CNN's receptive field
(``depth × window_size`` tokens: a token's vector depends on no token further away), so every tag
that is read is the tag a whole-document pass gives.

It is used only when that is safe: the tagging components are a ``tok2vec`` whose only listeners
are among them (not the NER, as in the ``md``/``lg`` pipelines), a window CNN of known depth, and
no other component requires tags. Otherwise the pipeline runs whole, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract._mentions import sentence_start, tagged_from
from kg.extract._posrules import PosRules, features

#: Components that only produce part-of-speech tags (and the tensor the tagger reads).
TAGGING = ("tok2vec", "tagger", "attribute_ruler")
#: The encoders whose receptive field is ``depth × window_size`` tokens either side.
_WINDOW_ENCODERS = ("spacy.MaxoutWindowEncoder.v1", "spacy.MaxoutWindowEncoder.v2")
#: Entity label whose words (and modifiers before them) need tags (see the module docstring).
NEEDS_TAGS = "AgreementType"

T = TypeVar("T")


def tag_ranges(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges whose tags the extractor reads: each agreement word and the words before it
    that it may grow over (:func:`~kg.extract._mentions.tagged_from`).

    >>> import spacy
    >>> from spacy.tokens import Span
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("Chile signed a trade agreement. Peru did not.")
    >>> doc.ents = [Span(doc, 4, 5, label="AgreementType")]
    >>> tag_ranges(doc)
    [(3, 5)]
    """
    return [
        (tagged_from(doc, ent, sentence_start(doc, ent.start)), ent.end)
        for ent in doc.ents
        if ent.label_ == NEEDS_TAGS
    ]


def in_batches(
    pairs: Iterable[tuple[Doc, T]], batch_size: int, apply: Callable[[list[Doc]], None]
) -> Iterator[tuple[Doc, T]]:
    """Pass ``(doc, context)`` pairs through, calling ``apply`` on each batch of their docs
    before the batch goes on (the later stages of the extractor's spaCy pass)."""
    batch: list[tuple[Doc, T]] = []
    for pair in pairs:
        batch.append(pair)
        if len(batch) >= batch_size:
            apply([doc for doc, _ in batch])
            yield from batch
            batch = []
    if batch:
        apply([doc for doc, _ in batch])
        yield from batch


def _merge(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class DeferredTagging:
    """Run the tagging components on the windows of :func:`tag_ranges` after the main pass.

    Build one with :meth:`plan`, which returns None when the pipeline does not allow it.

    Parameters
    ----------
    nlp : spacy.language.Language
        The pipeline whose ``names`` components are deferred.
    names : tuple of str
        The deferred components, in pipeline order.
    margin : int
        Tokens of context on either side of a window (at least the receptive field).
    """

    def __init__(self, nlp: Language, names: tuple[str, ...], margin: int) -> None:
        self.nlp = nlp
        self.names = names
        self.margin = margin
        ruler: Any = nlp.get_pipe("attribute_ruler") if "attribute_ruler" in names else None
        self.ruler = ruler
        patterns: list[dict[str, Any]] = list(ruler.patterns) if ruler is not None else []
        self.rules = PosRules.compile(patterns) if patterns else None
        self.context = max((len(p) for e in patterns for p in e["patterns"]), default=1) - 1

    @classmethod
    def plan(cls, nlp: Language, elsewhere: tuple[str, ...] = ()) -> DeferredTagging | None:
        """A deferral for ``nlp``, or None when its tags must come from the main pass.

        ``elsewhere`` names components that are not in the main pass either (the parse stage's
        parser and lemmatizer, which run the tagging components again on their sentences).

        >>> import spacy
        >>> DeferredTagging.plan(spacy.blank("en")) is None
        True
        """
        names = tuple(n for n in nlp.pipe_names if n in TAGGING)
        if "tok2vec" not in names or "tagger" not in names:
            return None
        listeners = set(getattr(nlp.get_pipe("tok2vec"), "listening_components", []))
        if not listeners <= set(names) | set(elsewhere):
            return None
        for name in nlp.pipe_names:
            meta = nlp.get_pipe_meta(name)
            if (
                name not in names
                and name not in elsewhere
                and any(
                    r.startswith(("token.tag", "token.pos", "token.morph", "doc.tensor"))
                    for r in meta.requires
                )
            ):
                return None
        field = _receptive_field(nlp.config["components"]["tok2vec"].get("model", {}))
        if field is None:
            return None
        return cls(nlp, names, field)

    def tag(self, pairs: Iterable[tuple[Doc, T]], batch_size: int) -> Iterator[tuple[Doc, T]]:
        """Pass ``(doc, context)`` pairs through, tagging each batch of docs where needed."""
        return in_batches(pairs, batch_size, self.apply)

    def apply(self, docs: list[Doc]) -> None:
        """Set ``tag`` and ``pos`` of the tokens in each doc's :func:`tag_ranges`.

        The neural components see each range with ``margin`` tokens of context either side; the
        attribute ruler's patterns (a token or two) see it with ``context`` tokens either side.
        """
        cores: list[tuple[Doc, int, int]] = []
        padded: list[Doc] = []
        for doc in docs:
            for start, end in _merge(tag_ranges(doc)):
                cores.append((doc, start, end))
                padded.append(_piece(doc, max(0, start - self.margin), end + self.margin))
        if not cores:
            return
        for name in self.names:
            if name != "attribute_ruler":
                component: Any = self.nlp.get_pipe(name)
                padded = list(component.pipe(padded))
        for (doc, start, end), piece in zip(cores, padded, strict=True):
            lo = max(0, start - self.margin)
            near, far = max(0, start - self.context), min(len(doc), end + self.context)
            tags = [piece[i - lo].tag_ for i in range(near, far)]
            resolved = self._resolve(doc, near, far, tags, start)
            for i, (tag, pos) in zip(range(start, end), resolved[: end - start], strict=True):
                token = doc[i]
                token.tag_ = tag
                if pos:
                    token.pos_ = pos

    def _resolve(
        self, doc: Doc, near: int, far: int, tags: list[str], start: int
    ) -> list[tuple[str, str]]:
        """(tag, pos) for the tokens from ``start`` on, as the attribute ruler would set them."""
        if self.ruler is None:
            return [(tag, "") for tag in tags[start - near :]]
        if self.rules is not None:
            feats = features(doc, near, far, tags)
            return [self.rules.resolve(feats, i) for i in range(start - near, far - near)]
        small = self.ruler(_piece(doc, near, far, tags))
        return [(t.tag_, t.pos_) for t in small[start - near :]]


def _piece(doc: Doc, start: int, end: int, tags: list[str] | None = None) -> Doc:
    """A new doc of the tokens ``doc[start:end]`` (words, spaces and optionally tags only)."""
    tokens = doc[start:end]
    return Doc(
        doc.vocab,
        words=[t.text for t in tokens],
        spaces=[bool(t.whitespace_) for t in tokens],
        tags=tags,
    )


def _receptive_field(model: dict[str, Any]) -> int | None:
    """Tokens either side that a ``spacy.Tok2Vec`` window CNN sees; None if not such a model."""
    encode = model.get("encode", {})
    if encode.get("@architectures") not in _WINDOW_ENCODERS:
        return None
    try:
        return int(encode["depth"]) * int(encode["window_size"])
    except (KeyError, TypeError, ValueError):
        return None
