"""Web archives (WARC, WARC.gz, as Common Crawl's CC-NEWS publishes them), streamed with warcio.

One article per HTML response record: WARC-Target-URI as its id and URL, the page's own date or
else WARC-Date as published. Records are read one at a time from the open file, so memory stays
flat however large the archive. A truncated or corrupt stretch is reported with its byte offset
and reading resumes at the next record found after it.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from kg.errors import InputError
from kg.ingest._decode import declared_charset, decode
from kg.ingest._files import Skip, Warn
from kg.ingest._html import PageError, html_to_article_fields

RawArticle = dict[str, Any]
#: Pages over this size are skipped: real news pages are far smaller, and parsing a huge one
#: would stall the run.
MAX_PAGE_BYTES = 10 * 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
_SCAN = 1 << 20


def warc_records(
    handle: BinaryIO, path: Path, warn: Warn, first: int = 0, stop: int | None = None
) -> Iterator[RawArticle]:
    """The HTML pages of a WARC file as raw articles; other records are counted as quiet skips.

    With ``first`` and ``stop``, only the records that start in that byte range (found from
    the first record boundary at or after ``first``): how a WARC.gz is shared among workers.
    """
    from warcio.archiveiterator import ArchiveIterator

    size = handle.seek(0, 2)
    stop = size if stop is None else min(stop, size)
    start: int | None = first if first == 0 else _next_record(handle, first, stop, path)
    while start is not None and start < stop:
        handle.seek(start)
        records = ArchiveIterator(handle)
        offset = records.get_record_offset
        end = start  # the end of the last complete record
        try:
            for record in records:
                held: list[str] = []  # a record's skips, told once it is known to be in range
                # warcio reads a record to its end to tell its offset (from the start of the
                # file, wherever the iterator began): asked once the record is read.
                page = _page(record, partial(_where, path, offset), held.append)
                if offset() >= stop:
                    return  # the next range's first record
                for message in held:
                    warn(message)
                if page is not None:
                    yield page
                end = offset() + records.get_record_length()
        except Exception as exc:  # warcio fails in assorted ways on corrupt data (even TypeError)
            warn(
                Skip(
                    f"{path}: unreadable WARC data at byte {end} ({type(exc).__name__}: "
                    f"{str(exc)[:80]}); reading on from the next record",
                    "corrupt WARC data",
                )
            )
        else:
            if _only_padding(handle, end, size):
                return
            warn(
                Skip(
                    f"{path}: truncated or corrupt WARC data from byte {end} "
                    f"({size - end} bytes); reading on from the next record, if any",
                    "corrupt WARC data",
                )
            )
        start = _next_record(handle, end + 1, stop, path)


def _page(record: Any, at: Callable[[], str], warn: Warn) -> RawArticle | None:
    """A raw article from an HTML response record, or None (with a skip) for any other record.

    ``at()`` names the record; it may be called only once its content has been read.
    """
    kind = record.rec_type
    if kind not in ("response", "resource"):
        warn(Skip(f"{at()}: WARC {kind} record, skipped", f"WARC {kind} record", quiet=True))
        return None
    headers = record.http_headers
    if headers is not None and kind == "response":
        status = headers.get_statuscode()
        if status != "200":
            warn(Skip(f"{at()}: HTTP status {status}, skipped", "not HTTP 200", quiet=True))
            return None
    content_type = (
        headers.get_header("Content-Type") if headers is not None else None
    ) or record.rec_headers.get_header("Content-Type", "")
    mime, _, parameters = content_type.partition(";")
    if mime.strip().lower() not in _HTML_TYPES:
        warn(Skip(f"{at()}: {mime.strip() or 'no'} content type, skipped", "not HTML", True))
        return None
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip()
    data = record.content_stream().read(MAX_PAGE_BYTES + 1)
    where = at()
    if len(data) > MAX_PAGE_BYTES:
        warn(Skip(f"{where}: page over {MAX_PAGE_BYTES // 2**20} MB, skipped", "too large"))
        return None
    if getattr(record.raw_stream, "limit", 0) > 0:  # fewer bytes than Content-Length
        warn(Skip(f"{where}: record truncated, skipped", "truncated record"))
        return None
    charset = parameters.partition("charset=")[2].strip(" \"'") or declared_charset(data)
    try:
        markup = decode(data, where, warn, charset or None)
        fields = html_to_article_fields(markup, url or None)
    except (InputError, PageError) as exc:
        warn(Skip(f"{where}: {str(exc).removeprefix(where + ': ')}", "unreadable page"))
        return None
    raw: RawArticle = {"id": url or where, "source": where, "kind": "WARC record", **fields}
    raw.setdefault("url", url or None)
    raw.setdefault("published", record.rec_headers.get_header("WARC-Date"))
    return raw


def _where(path: Path, offset: Callable[[], int]) -> str:
    return f"{path} record at byte {offset()}"  # warcio's offsets count from the file's start


def _only_padding(handle: BinaryIO, end: int, size: int) -> bool:
    """Whether nothing but line breaks (WARC record separators) follows ``end``."""
    if size - end > 16:
        return False
    handle.seek(end)
    return not handle.read().strip()


def _next_record(handle: BinaryIO, start: int, stop: int, path: Path) -> int | None:
    """The offset of the first record that starts at or after ``start`` and before ``stop``: a
    gzip member that inflates to a WARC header (a WARC header line in an uncompressed file).
    Look-alike bytes inside compressed data are passed over."""
    gzipped = path.name.lower().endswith(".gz")
    magic = _GZIP_MAGIC if gzipped else _WARC_MAGIC
    position = start
    while position < stop:
        handle.seek(position)
        chunk = handle.read(_SCAN + len(magic))
        found = chunk.find(magic)
        if found < 0:
            position += _SCAN
            continue
        candidate = position + found
        if candidate >= stop:
            return None
        if _starts_record(handle, candidate, gzipped):
            return candidate
        position = candidate + 1
    return None


def _starts_record(handle: BinaryIO, offset: int, gzipped: bool) -> bool:
    handle.seek(offset)
    head = handle.read(1 << 16)
    if gzipped:
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return False
    elif offset > 0:
        handle.seek(offset - 1)
        if handle.read(1) != b"\n":
            return False
    return head.startswith(b"WARC/")
