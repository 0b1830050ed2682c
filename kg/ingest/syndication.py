"""Syndicated copies: one story republished with other furniture, edits and headlines.

Each article's own text (teaser and furniture lines left out) is cut into overlapping word
shingles and summarised by a MinHash signature (datasketch); locality-sensitive hashing (LSH)
bands of the signature find candidates, and the estimated containment of the shorter text's
shingles in the longer one's confirms them (outlets often run only the first half of a wire
story, whose Jaccard similarity with the whole is then under 0.5). A copy points to the first
article of its story that kg saw (the original), never to another copy, so each story is one
original and its copies.

The band keys are plain strings, so a store can index them (``cm:signatureBand``) and answer
"who has this band?" without holding every signature in memory: :class:`SyndicationIndex` asks
its ``lookup`` for what is stored and keeps only the current run's articles itself. A copy is
looked up in its turn only when it is a version of its own (edited, cut), not a near copy; and
of the articles of one story only the :data:`PER_STORY` sharing the most bands are compared.

>>> story = ("Chile signed an agreement with Japan on Tuesday to supply lithium carbonate for "
...          "ten years, the mining ministry said in a statement released in Santiago. The deal "
...          "covers output from the Atacama salt flat, where the state company is expanding.")
>>> index = SyndicationIndex()
>>> index.check("wire", fingerprint(story)) is None
True
>>> index.check("copy", fingerprint("SANTIAGO (Wire) — " + story + " Editing by Ana Ruiz."))
'wire'
>>> index.check("other", fingerprint("Peru expects copper output to rise by a tenth this "
...     "year as new mines in the south ramp up, the energy ministry said on Wednesday.")) is None
True
"""

from __future__ import annotations

import base64
import hashlib
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

#: Words per shingle, permutations, seed, datasketch's hashing scheme: changing any of them
#: changes :data:`VERSION`.
SHINGLE = 5
NUM_PERM = 128
SEED = 1
SCHEME = "affine32"
VERSION = f"mh{SHINGLE}.{NUM_PERM}.{SEED}.{SCHEME}.crc32"
#: Estimated containment (the share of the shorter text's shingles found in the longer one's)
#: at and above which two articles are one story, and the Jaccard similarity the LSH bands are
#: tuned to find candidates at (see ``benchmarks/bench_syndication.py`` for precision and
#: recall around them).
THRESHOLD = 0.6
LSH_THRESHOLD = 0.3
#: And the least Jaccard similarity: a short text inside a long one is not its copy (a digest
#: quoting the first paragraphs of a story does not make that story a copy of the digest).
MIN_JACCARD = 0.25
#: Articles of one story compared at most (those sharing the most bands with the new one).
PER_STORY = 8
#: A copy this alike (Jaccard) with an article already looked up is not looked up itself: twenty
#: outlets running a wire story unchanged leave one entry, not twenty.
NEAR_COPY = 0.8
#: Texts with fewer shingles are not fingerprinted: a few words are shared by chance.
MIN_SHINGLES = 20
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Fingerprint:
    """The MinHash signature of an article's text (``NUM_PERM`` 32-bit values) and the number
    of its shingles."""

    values: bytes
    size: int

    def similarity(self, other: Fingerprint) -> float:
        """The estimated Jaccard similarity of the two texts' shingle sets."""
        mine, theirs = self._array(), other._array()
        return float(np.count_nonzero(mine == theirs)) / len(mine)

    def containment(self, other: Fingerprint) -> float:
        """The estimated share of the smaller shingle set found in the larger one.

        From Jaccard similarity J and the sizes: the intersection is J(|A| + |B|) / (1 + J).
        """
        jaccard = self.similarity(other)
        common = jaccard * (self.size + other.size) / (1 + jaccard)
        return min(1.0, common / max(1, min(self.size, other.size)))

    def bands(self) -> tuple[str, ...]:
        """The LSH band keys: two texts sharing one are candidates (versioned, so signatures
        made with other settings never match)."""
        bands, rows = lsh_shape()
        size = 4 * rows  # bytes of one band of the big-endian values
        return tuple(
            hashlib.sha1(
                f"{VERSION}/{band}/".encode() + self.values[band * size : (band + 1) * size]
            ).hexdigest()[:24]
            for band in range(bands)
        )

    def encode(self) -> str:
        """A string to store: ``VERSION:size:`` then base64 of the big-endian values.

        >>> fp = fingerprint(" ".join(f"word{n}" for n in range(40)))
        >>> Fingerprint.decode(fp.encode()) == fp
        True
        """
        return f"{VERSION}:{self.size}:{base64.b64encode(self.values).decode('ascii')}"

    @classmethod
    def decode(cls, text: str) -> Fingerprint | None:
        """The fingerprint :meth:`encode` wrote, or None for another version or bad data."""
        version, _, rest = text.partition(":")
        size, _, data = rest.partition(":")
        if version != VERSION or not size.isdigit():
            return None
        try:
            values = base64.b64decode(data, validate=True)
        except ValueError:
            return None
        return cls(values, int(size)) if len(values) == 4 * NUM_PERM else None

    def _array(self) -> np.ndarray[Any, np.dtype[np.uint32]]:
        return np.frombuffer(self.values, dtype=">u4")


@cache
def lsh_shape() -> tuple[int, int]:
    """(bands, rows per band) for :data:`LSH_THRESHOLD`, as datasketch's LSH chooses them."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return int(lsh.b), int(lsh.r)


@cache
def _permutations() -> Any:
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def shingles(text: str) -> set[str]:
    """The overlapping runs of :data:`SHINGLE` words of a text, lower-cased.

    >>> sorted(shingles("One two three four five six"))
    ['one two three four five', 'two three four five six']
    """
    words = _WORD.findall(text.lower())
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def fingerprint(text: str) -> Fingerprint | None:
    """The MinHash signature of a text, or None when it has under :data:`MIN_SHINGLES`."""
    from datasketch import MinHash

    found = shingles(text)
    if len(found) < MIN_SHINGLES:
        return None
    # CRC-32 of each shingle (C speed) in place of datasketch's SHA-1 (a Python call each):
    # 1 ms an article instead of 12; MinHash's own permutations spread the values.
    minhash = MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        hashfunc=zlib.crc32,
        permutations=_permutations(),
        scheme=SCHEME,
    )
    minhash.update_batch([s.encode("utf-8") for s in found])
    return Fingerprint(minhash.hashvalues.astype(">u4").tobytes(), len(found))


@dataclass(frozen=True)
class Candidate:
    """An article that shares a band with the one being checked: its key, its fingerprint,
    and the original it is itself a copy of (None for an original)."""

    key: str
    fingerprint: Fingerprint
    original: str | None = None


Lookup = Callable[[Sequence[str]], Iterable[Candidate]]


class SyndicationIndex:
    """Finds the original of each article among those seen before (see the module docstring).

    ``lookup`` answers for articles stored by earlier runs (given band keys, the candidates
    having any of them); the articles of this run are kept here until :meth:`forget` says the
    store has them, in a compact table (:class:`_BandTable`: 12 bytes a band, about 1 KB an
    article with its fingerprint), so a run that stores nothing until its end still fits.
    """

    def __init__(self, lookup: Lookup | None = None, threshold: float | None = None) -> None:
        self.lookup = lookup
        self.threshold = THRESHOLD if threshold is None else threshold
        self._table = _BandTable()
        self._ordinal: dict[str, int] = {}
        self._known: list[Candidate | None] = []

    def __len__(self) -> int:
        return len(self._ordinal)

    def check(self, key: str, fingerprint: Fingerprint | None) -> str | None:
        """The original ``key`` is a copy of (None if it is an original, or has no fingerprint),
        remembering ``key`` for the articles that follow."""
        return self.match(key, fingerprint)[0]

    def match(self, key: str, fingerprint: Fingerprint | None) -> tuple[str | None, bool]:
        """:meth:`check`, and whether ``key`` is now looked up for the articles that follow: an
        original is, a copy only when it is a version of its own (a near copy, :data:`NEAR_COPY`
        alike with an article looked up already, adds nothing to find)."""
        if fingerprint is None:
            return None, False
        bands = fingerprint.bands()
        candidates = {c.key: c for c in self.lookup(bands)} if self.lookup else {}
        found: dict[str, Candidate] = {}
        hits: dict[str, tuple[int, str | None]] = {}
        for ordinal, count in self._table.find(_band_numbers(bands)).items():
            candidate = self._known[ordinal]
            if candidate is not None:
                found[candidate.key] = candidate
                hits[candidate.key] = (count, candidate.original)
        for chosen in most_shared(hits):
            candidates[chosen] = found[chosen]
        candidates.pop(key, None)  # an earlier version of the same article
        best, score = None, self.threshold
        for candidate in candidates.values():
            if fingerprint.similarity(candidate.fingerprint) < MIN_JACCARD:
                continue
            containment = fingerprint.containment(candidate.fingerprint)
            if containment > score or (best is None and containment == score):
                best, score = candidate, containment
        original = (best.original or best.key) if best is not None else None
        self.forget(key)
        if best is not None and fingerprint.similarity(best.fingerprint) >= NEAR_COPY:
            return original, False
        self._ordinal[key] = len(self._known)
        self._known.append(Candidate(key, fingerprint, original))
        self._table.add(_band_numbers(bands), self._ordinal[key])
        return original, True

    def forget(self, key: str) -> None:
        """Drop ``key`` from this run's memory (the store answers for it from now on)."""
        ordinal = self._ordinal.pop(key, None)
        if ordinal is not None:
            self._known[ordinal] = None
            self._table.drop(ordinal)


def most_shared(hits: dict[str, tuple[int, str | None]], limit: int = PER_STORY) -> list[str]:
    """The candidates worth comparing: of each story, the ``limit`` articles sharing the most
    bands. ``hits`` maps a candidate to (bands shared, the original it is a copy of or None).

    >>> most_shared({"o": (3, None), "c1": (9, "o"), "c2": (1, "o"), "x": (1, None)}, limit=2)
    ['c1', 'o', 'x']
    """
    stories: dict[str, list[tuple[int, str]]] = {}
    for key, (count, original) in hits.items():
        stories.setdefault(original or key, []).append((count, key))
    chosen: list[str] = []
    for members in stories.values():
        chosen.extend(key for _, key in sorted(members, key=lambda m: (-m[0], m[1]))[:limit])
    return chosen


def _band_numbers(bands: Sequence[str]) -> list[int]:
    return [int(band[:16], 16) for band in bands]


class _BandTable:
    """Band numbers → article ordinals: sorted NumPy arrays, plus the latest additions in a dict
    merged into them every :attr:`MERGE` bands (so memory is 12 bytes a band, not a hundred)."""

    MERGE = 1 << 16

    def __init__(self) -> None:
        self.bands = np.empty(0, dtype=np.uint64)
        self.ordinals = np.empty(0, dtype=np.uint32)
        self.recent: dict[int, list[int]] = {}
        self.pending = 0
        self.dropped: list[int] = []

    def add(self, bands: list[int], ordinal: int) -> None:
        for band in bands:
            self.recent.setdefault(band, []).append(ordinal)
        self.pending += len(bands)
        if self.pending >= self.MERGE:
            self._merge()

    def drop(self, ordinal: int) -> None:
        """Forget an article's bands (at the next merge; until then :meth:`find` may still
        give its ordinal, which the caller knows to be gone)."""
        self.dropped.append(ordinal)
        self.pending += 1

    def find(self, bands: list[int]) -> Counter[int]:
        """The ordinals having any of ``bands``, with how many of them each has."""
        found: Counter[int] = Counter()
        wanted = np.asarray(bands, dtype=np.uint64)
        left = np.searchsorted(self.bands, wanted, side="left")
        right = np.searchsorted(self.bands, wanted, side="right")
        for start, end in zip(left.tolist(), right.tolist(), strict=True):
            found.update(self.ordinals[start:end].tolist())
        for band in bands:
            found.update(self.recent.get(band, ()))
        return found

    def _merge(self) -> None:
        added = [(band, ordinal) for band, ordinals in self.recent.items() for ordinal in ordinals]
        bands = np.concatenate([self.bands, np.fromiter((b for b, _ in added), np.uint64)])
        ordinals = np.concatenate([self.ordinals, np.fromiter((o for _, o in added), np.uint32)])
        if self.dropped:
            keep = ~np.isin(ordinals, np.asarray(self.dropped, dtype=np.uint32))
            bands, ordinals = bands[keep], ordinals[keep]
        order = np.argsort(bands, kind="stable")
        self.bands, self.ordinals = bands[order], ordinals[order]
        self.recent, self.pending, self.dropped = {}, 0, []
