"""Bytes to text: byte-order marks, declared charsets, UTF-8, then detection (charset-normalizer).

English news in a legacy encoding is nearly always Windows-1252 (or Latin-1, its subset), and on
short texts charset-normalizer often cannot tell it from Central European code pages (it reads
"Señor" as "Seńor" in cp1250). So among the encodings it finds equally clean, Windows-1252 wins,
as the WHATWG encoding standard makes it the web's default legacy encoding.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

from charset_normalizer import from_bytes

from kg.errors import InputError

Warn = Callable[[str], None]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# A well-formed UTF-8 sequence of two to four bytes: legacy-encoded text almost never has one.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# Non-ASCII bytes touching an ASCII letter or digit: a letter inside a word ("Jos\xe9"), a
# currency sign before a number. Stray bytes in a UTF-8 file stand apart; text in another script
# is mostly non-ASCII bytes.
_IN_WORD = re.compile(rb"[A-Za-z0-9][\x80-\xff]+|[\x80-\xff]+[A-Za-z0-9]")
_HIGH = re.compile(rb"[\x80-\xff]")
# Labels that mean Windows-1252 on the web (WHATWG); Python's latin-1 lacks its 0x80-0x9f letters.
_WINDOWS_1252 = {"latin-1", "latin1", "iso-8859-1", "iso8859-1", "iso_8859-1", "us-ascii", "ascii"}
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def declared_charset(head: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag of its first 4 KB, if any.

    >>> declared_charset(b'<html><head><meta charset="ISO-8859-1"><title>x</title>')
    'ISO-8859-1'
    >>> declared_charset(b"<p>no declaration</p>") is None
    True
    """
    match = _DECLARED.search(head[:4096])
    return match.group(1).decode("ascii") if match else None


def decode(data: bytes, name: str, warn: Warn, declared: str | None = None) -> str:
    """Decode bytes as text; refuse binary data and broken UTF-16/UTF-32.

    In order: a byte-order mark; the ``declared`` charset (an HTML ``<meta>`` or an HTTP header),
    when the bytes are valid in it; UTF-8; then, for bytes that are not UTF-8, charset-normalizer's
    detection (Windows-1252 first among equally clean readings). Bytes that are UTF-8 but for a few
    bad ones keep UTF-8, and ``warn`` names the file and the number of replacement characters.

    >>> decode("café".encode(), "a.txt", print)
    'café'
    >>> decode("José Pérez".encode("latin-1"), "a.txt", print)
    'José Pérez'
    >>> decode(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00", "a.txt", print)
    Traceback (most recent call last):
    ...
    kg.errors.InputError: a.txt: binary file (not text), skipped
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                kind = "UTF-32" if codec == "utf-32" else "UTF-16" if codec == "utf-16" else "UTF-8"
                raise InputError(
                    f"{name}: not valid {kind} despite its byte-order mark ({exc.reason} at "
                    f"byte {exc.start}), skipped"
                ) from None
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: binary file (not text), skipped")
    if declared:
        text = _declared(data, declared)
        if text is not None:
            return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    legacy = _IN_WORD.search(data) or len(_HIGH.findall(data)) > len(data) // 5
    if legacy and not _UTF8_MULTIBYTE.search(data):
        detected = _detect(data)
        if detected is not None:
            return detected
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad > max(3, len(text) // 100):
        raise InputError(f"{name}: not UTF-8 text (invalid byte at offset {first_bad}), skipped")
    warn(f"{name}: {bad} invalid UTF-8 byte(s) replaced by U+FFFD (the first at byte {first_bad})")
    return text


def _declared(data: bytes, charset: str) -> str | None:
    label = charset.strip().lower()
    codec = "cp1252" if label in _WINDOWS_1252 else label
    try:
        codecs.lookup(codec)
        return data.decode(codec)
    except (LookupError, UnicodeDecodeError):
        return None  # an unknown or wrong declaration: detect instead


def _detect(data: bytes) -> str | None:
    """The text of the cleanest reading charset-normalizer finds, Windows-1252 preferred."""
    matches = list(from_bytes(data))
    if not matches:
        return None
    cleanest = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos <= cleanest + 0.01]
    best = tied[0]
    western = any("cp1252" in m.could_be_from_charset for m in tied)
    if not western and best.coherence < 0.2:
        # No language recognised (short texts): Windows-1252 if every byte has a character there.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return str(best)
    return data.decode("cp1252") if western else str(best)
