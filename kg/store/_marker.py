"""The marker file that makes a folder a kg store, so kg never writes into a folder of other files.

RocksDB, under Oxigraph, takes over any folder it opens: it renames a ``LOG`` it finds and
deletes a ``MANIFEST-…`` it did not write. So kg opens a folder for writing only when it is new,
empty, or a kg store: one holding :data:`MARKER`, written when kg creates the store. A store made
by a kg older than the marker is recognised by its files (``CURRENT`` naming an existing
``MANIFEST``, and an ``OPTIONS`` file with Oxigraph's column families) and gets the marker.

This runs once when a store is opened, never per article.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kg import __version__
from kg.errors import NotAStoreError, StoreError

#: The file kg writes into every store it creates.
MARKER = "kg-store.json"

# Column families every Oxigraph store has; other RocksDB databases do not.
_OXIGRAPH_FAMILIES = ('[CFOptions "id2str"]', '[CFOptions "spog"]', '[CFOptions "gspo"]')


def is_store(folder: Path) -> bool:
    """Whether ``folder`` is a kg store: it has the marker, or is an Oxigraph store of older kg.

    >>> import tempfile
    >>> is_store(Path(tempfile.mkdtemp()))
    False
    """
    return (folder / MARKER).is_file() or _oxigraph_files(folder)


def check_folder(folder: Path) -> None:
    """Refuse a folder that kg must not write into: one with other files and no kg store.

    A missing or empty folder is fine (kg creates the store there).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> check_folder(folder)
    >>> _ = (folder / "LOG").write_text("my notes")
    >>> check_folder(folder)
    Traceback (most recent call last):
    ...
    kg.errors.NotAStoreError: ...: not a kg store: the folder holds other files ...
    """
    if not folder.is_dir() or is_store(folder) or not any(folder.iterdir()):
        return
    raise NotAStoreError(
        f"{folder}: not a kg store: the folder holds other files and no {MARKER}, and kg will "
        "not write into it (name a new or empty folder for --store)"
    )


def mark(folder: Path) -> None:
    """Write the marker into ``folder`` (a store kg has just opened for writing)."""
    marker = folder / MARKER
    if marker.is_file():
        return
    about = {"store": "kg", "backend": "oxigraph", "created_by": f"kg {__version__}"}
    try:
        marker.write_text(json.dumps(about) + "\n", encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"{marker}: cannot write the store's marker ({exc.strerror})") from None


def _oxigraph_files(folder: Path) -> bool:
    """Whether ``folder`` holds an Oxigraph (RocksDB) store, made before kg wrote markers."""
    try:
        current = (folder / "CURRENT").read_text("ascii").strip()
        if not re.fullmatch(r"MANIFEST-\d+", current) or not (folder / current).is_file():
            return False
        for options in folder.glob("OPTIONS-*"):
            text = options.read_text("utf-8", "replace")
            if all(family in text for family in _OXIGRAPH_FAMILIES):
                return True
    except (OSError, UnicodeDecodeError):
        return False
    return False
