"""Many readers or one writer on a store folder.

Oxigraph lets any number of processes open a store read-only, but reading one that another
process is writing is undefined behaviour. So every kg process takes a lock on ``kg.lock`` in the
store folder before it opens the store, and holds it while the store is open: shared to read
(``kg query``, ``kg serve``, exports), exclusive to write (``kg build``). ``flock`` locks belong
to the open file, not to the process, and the kernel drops them when a process dies, so a killed
build never leaves the store locked. A read-only copy of a store keeps working: a shared lock
needs no write permission, and a copy without the lock file is simply read.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from kg.errors import StoreLockedError

LOCK_FILE = "kg.lock"


def lock_store(folder: Path, *, shared: bool) -> int | None:
    """Lock ``folder`` for reading (``shared``) or writing; the open lock file, or None.

    The lock file is made in an Oxigraph store (a reader of a store written before kg took
    locks makes it too, so that a writer cannot start under it), and by a writer in a new or
    empty folder; a folder holding anything else is left alone. Raises
    :class:`~kg.errors.StoreLockedError` when another process holds a conflicting lock.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> writer = lock_store(folder, shared=False)
    >>> lock_store(folder, shared=True)
    Traceback (most recent call last):
    ...
    kg.errors.StoreLockedError: ...: the store is being written by another kg process ...
    >>> os.close(writer)
    >>> os.close(lock_store(folder, shared=True))
    """
    path = folder / LOCK_FILE
    try:
        if path.exists():
            fd = os.open(path, os.O_RDONLY)
        elif (folder / "CURRENT").exists() or (not shared and _empty(folder)):
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
        else:
            return None  # not a store: Oxigraph's own open reports it
    except OSError:
        # A read-only copy without the file (nobody can write it anyway), or an unreadable
        # one: Oxigraph's own open reports the folder's problem.
        return None
    try:
        fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        if shared:
            raise StoreLockedError(
                f"{folder}: the store is being written by another kg process "
                "(a build, import or write-back); read it when that has finished"
            ) from None
        raise StoreLockedError(
            f"{folder}: the store is in use by another kg process "
            "(a query, export or server reads it, or a build writes it); stop it first"
        ) from None
    return fd


def _empty(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())
