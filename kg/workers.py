"""Worker processes for ``--workers N``: articles analysed in parallel, results in input order.

The parent reads the input, resolves and commits the results (writes JSON lines, loads the
store) in the order the articles came; workers run the spaCy analysis of batches of articles. At
most ``2 × workers`` batches are in flight, so memory stays flat however many articles stream in.

Workers are forked from the parent, so they share its loaded spaCy pipeline (no second model
load) and need nothing pickled but articles and results. Where ``fork`` is not available the
work runs in the calling process.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TypeVar

from kg.extract import Extractor
from kg.records import Analysis, Article

T = TypeVar("T")

#: Articles sent to a worker at a time.
BATCH = 16
#: Articles analysed at a time without workers. spaCy's NER steps through all the docs of a
#: batch together; 128 measured 3% faster than 64 (peak RSS +115 MB; 256: 4%, +360 MB).
IN_PROCESS_BATCH = 128

_EXTRACTOR: Extractor | None = None
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def can_fork() -> bool:
    """Whether worker processes can be forked here (Linux and macOS can).

    >>> isinstance(can_fork(), bool)
    True
    """
    return "fork" in multiprocessing.get_all_start_methods()


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items (the last may be shorter), read lazily.

    >>> list(batched(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _die_with(parent: int, from_main_thread: bool) -> None:
    """In a worker: end when the parent ends, even by ``kill -9``.

    Each worker holds the write end of the pool's task pipe, so none ever sees it close: a
    killed parent would leave them all waiting forever (each with its copy of the model). On
    Linux the kernel kills the worker when the parent dies (``PR_SET_PDEATHSIG``); it fires when
    the forking *thread* ends, so it is used only when that is the main thread. Otherwise a
    thread checks once a second that the parent is still there.
    """
    if from_main_thread and sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != parent:  # the parent died before the prctl took effect
                os._exit(1)
            return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="kg-parent-watch", daemon=True).start()


def _analyse(batch: list[Article]) -> list[Analysis]:
    """In a worker: the spaCy analysis of a batch of articles."""
    assert _EXTRACTOR is not None
    return list(_EXTRACTOR.analyze(batch, batch_size=len(batch)))


def _merge(group: list[Article | T], analyses: list[Analysis]) -> list[Analysis | T]:
    """Each article of ``group`` replaced by its analysis; other items kept in place."""
    done = iter(analyses)
    return [next(done) if isinstance(item, Article) else item for item in group]


def analyse(
    items: Iterable[Article | T], extractor: Extractor, workers: int = 1, batch: int = BATCH
) -> Iterator[Analysis | T]:
    """The :class:`~kg.records.Analysis` of each article, in input order.

    Items that are not articles (markers for articles already done) pass through in their
    place. Only the analysis (spaCy and the rules, nearly all of the time) runs in the workers;
    resolution stays with the caller, in input order, because it remembers names across the
    articles of a run. With ``workers`` ≤ 1, or without ``fork``, everything runs here.

    >>> import spacy
    >>> nlp = spacy.blank("en"); _ = nlp.add_pipe("sentencizer")
    >>> list(analyse(["done"], Extractor(nlp=nlp), workers=2))
    ['done']
    """
    if workers <= 1 or not can_fork():
        for group in batched(items, IN_PROCESS_BATCH):
            articles = [item for item in group if isinstance(item, Article)]
            yield from _merge(group, list(extractor.analyze(articles, IN_PROCESS_BATCH)))
        return
    global _EXTRACTOR
    _EXTRACTOR = extractor
    context = multiprocessing.get_context("fork")
    pool: ProcessPoolExecutor | None = None
    try:
        pending: deque[tuple[list[Article | T], Future[list[Analysis]]]] = deque()
        for group in batched(items, batch):
            if pool is None:  # forked at the first batch, once the parent has read something
                main = threading.current_thread() is threading.main_thread()
                pool = ProcessPoolExecutor(
                    workers, mp_context=context, initializer=_die_with, initargs=(os.getpid(), main)
                )
            articles = [item for item in group if isinstance(item, Article)]
            pending.append((group, pool.submit(_analyse, articles)))
            while len(pending) >= 2 * workers:
                done, future = pending.popleft()
                yield from _merge(done, future.result())
        while pending:
            done, future = pending.popleft()
            yield from _merge(done, future.result())
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        _EXTRACTOR = None
