"""Input files: what kind each is (by its name), folders walked, non-regular files refused."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

TEXT_SUFFIXES = (".txt", ".md", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
WARC_SUFFIXES = (".warc", ".warc.gz")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + FEED_SUFFIXES + WARC_SUFFIXES

Warn = Callable[[str], None]


class Skip(str):
    """A warning that an input was skipped: the message, with a short ``reason`` to count by.

    It is a ``str``, so every ``warn`` callback takes it as it takes any message. A ``quiet``
    skip is one a crawl is full of (a WARC request record, a page in another language): counted
    in the summary, not printed one by one.

    >>> s = Skip("a.txt: empty file, skipped", "empty")
    >>> s, s.reason, s.quiet
    ('a.txt: empty file, skipped', 'empty', False)
    """

    reason: str
    quiet: bool

    def __new__(cls, message: str, reason: str, quiet: bool = False) -> Skip:
        made = super().__new__(cls, message)
        made.reason = reason
        made.quiet = quiet
        return made

    def __reduce__(self) -> tuple[type[Skip], tuple[str, str, bool]]:
        return Skip, (str(self), self.reason, self.quiet)


def kind_of(path: Path) -> str:
    """``text``, ``html``, ``jsonl``, ``feed`` or ``warc``, from the file's name.

    >>> kind_of(Path("CC-NEWS-20250101.warc.gz")), kind_of(Path("a.RSS")), kind_of(Path("b"))
    ('warc', 'feed', 'text')
    """
    name = path.name.lower()
    for kind, suffixes in (
        ("warc", WARC_SUFFIXES),
        ("html", HTML_SUFFIXES),
        ("jsonl", JSONL_SUFFIXES),
        ("feed", FEED_SUFFIXES),
    ):
        if name.endswith(suffixes):
            return kind
    return "text"


def wanted(path: Path) -> bool:
    """Whether a file found in a folder is an input (by its name; hidden files are not)."""
    return path.name.lower().endswith(SUFFIXES) and not path.name.startswith(".")


def iter_files(paths: Iterable[str | Path], warn: Warn) -> Iterator[Path]:
    """The input files under ``paths``, folders walked in sorted order.

    A missing path, a folder without inputs, and anything that is not a regular file (a FIFO, a
    socket, a device: reading one could wait forever) are reported through ``warn`` and skipped.
    """
    for given in paths:
        path = Path(given)
        if not path.exists():
            warn(Skip(f"{path}: no such file or folder", "no such file"))
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*") if wanted(p) and not p.is_dir())
            files = [p for p in found if p.is_file()]
            for other in sorted(set(found) - set(files)):
                warn(_not_regular(other))
            if not found:
                warn(Skip(f"{path}: folder has no {', '.join(SUFFIXES)} files", "no input files"))
            yield from files
        elif not path.is_file():
            warn(_not_regular(path))
        else:
            yield path


class NotRegularFile(OSError):
    """Raised by :func:`open_regular` for a FIFO, socket or device; ``skip`` says which."""

    def __init__(self, skip: Skip) -> None:
        super().__init__(str(skip))
        self.skip = skip


def _not_regular(path: Path) -> Skip:
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = 0
    what = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return Skip(f"{path}: not a regular file ({what}), skipped", "not a regular file")


@contextlib.contextmanager
def open_regular(path: Path) -> Iterator[BinaryIO]:
    """Open a file for reading, refusing (:class:`NotRegularFile`) what is not a regular file.

    It is opened without blocking and checked on the open descriptor, so a FIFO put in a file's
    place after the folder was listed cannot hang the run.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotRegularFile(_not_regular(path))
        os.set_blocking(descriptor, True)
        handle = os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
    with handle:
        yield handle


def count_articles(paths: Iterable[str | Path]) -> int | None:
    """How many records ``paths`` hold, for the total of a progress bar: one per text or HTML
    file, one per non-blank JSON line, one per ``<item>``/``<entry>`` of a feed.

    Cheap (nothing is parsed); records that will be skipped are counted too. None when a WARC
    file is among the inputs: counting its records would mean reading it all.

    >>> count_articles([])
    0
    """
    total = 0
    for file in iter_files(paths, lambda message: None):
        kind = kind_of(file)
        if kind == "warc":
            return None
        if kind not in ("jsonl", "feed"):
            total += 1
            continue
        try:
            with open_regular(file) as handle:
                data = handle.read()
        except OSError:
            total += 1
            continue
        if kind == "jsonl":
            total += sum(1 for line in data.splitlines() if line.strip())
        else:
            total += data.count(b"<item") + data.count(b"<entry")
    return total
