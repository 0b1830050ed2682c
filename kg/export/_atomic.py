"""Export files written whole or not at all.

Each file is written to a temporary file beside it (same folder, so the rename cannot cross
file systems), flushed, synced to disk and checked (its size on disk is what was written); only
then are the temporary files renamed over the targets. On any failure the temporary files are
removed, the previous files stay as they were, and :class:`~kg.errors.ExportError` carries the
operating system's message. New files get the mode the umask gives, like any file a program
creates.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import secrets
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, BinaryIO

from kg.errors import ExportError

Writer = Callable[[BinaryIO], None]


def write_atomically(writers: Mapping[Path, Writer], what: str = "") -> None:
    """Write each file by its writer, then replace all the targets; any failure changes none.

    ``what`` names the kind of file in the error message (``"cannot write GEXF to …"``).

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_atomically({out: lambda fh: fh.write(b"new")})
    >>> def full(fh: BinaryIO) -> None:
    ...     raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    >>> write_atomically({out: full})
    Traceback (most recent call last):
    ...
    kg.errors.ExportError: cannot write .../a.txt: No space left on device
    >>> out.read_text(), [p.name for p in out.parent.iterdir()]
    ('new', ['a.txt'])
    """
    temps: dict[Path, Path] = {}
    path = next(iter(writers), Path())
    try:
        for path, write in writers.items():
            temps[path] = tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
            # 0o666 through the umask: the mode any new file gets (mkstemp would give 0o600).
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            with os.fdopen(os.open(tmp, flags, 0o666), "wb") as fh:
                write(fh)
                fh.flush()
                os.fsync(fh.fileno())
                if os.fstat(fh.fileno()).st_size != fh.tell():
                    raise OSError(errno.EIO, "the file on disk is shorter than what was written")
        for path, tmp in temps.items():
            os.replace(tmp, path)
    except OSError as exc:
        target = f"{what} to {path}" if what else str(path)
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        for tmp in temps.values():
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


@contextlib.contextmanager
def text_stream(fh: BinaryIO) -> Iterator[IO[str]]:
    """``fh`` as UTF-8 text for the csv module (no newline translation), left open after."""
    text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
    try:
        yield text
        text.flush()
    finally:
        text.detach()
