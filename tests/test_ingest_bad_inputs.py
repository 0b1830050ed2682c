"""Bad inputs at ingest (issue 15, points 5, 6 and 10): reported and skipped, the rest kept."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.ingest import read_articles
from kg.pipeline import build
from kg.store import GraphStore

GOOD = "Chile exports copper to China and Peru sells zinc to Japan."


def collect(paths):  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    return list(read_articles(paths, warnings.append)), warnings


def test_broken_utf16_files_are_skipped_and_the_rest_stored(
    write,
    tmp_path: Path,
    rules_extractor: Extractor,  # type: ignore[no-untyped-def]
) -> None:
    write("in/a-good.txt", GOOD)
    odd = write(
        "in/odd.txt", b"\xff\xfe" + "Chile exports copper.".encode("utf-16-le") + b"\x00\x43!"
    )
    lone = write("in/lone.txt", b"\xff\xfe" + "Peru".encode("utf-16-le") + b"\x00\xd8" + b"a\x00")
    fine = write("in/utf16.txt", b"\xff\xfe" + "Peru sells zinc to Japan.".encode("utf-16-le"))
    warnings: list[str] = []
    store = GraphStore(None)
    report = build([tmp_path / "in"], store, extractor=rules_extractor, warn=warnings.append)
    assert report.added == 2 and report.skip_reasons() == {"undecodable": 2}
    assert warnings == [
        f"{lone}: not valid UTF-16 despite its byte-order mark (illegal UTF-16 surrogate at "
        "byte 10), skipped",
        f"{odd}: not valid UTF-16 despite its byte-order mark (truncated data at byte 46), skipped",
    ]
    assert [a.text for a in read_articles([fine])] == ["Peru sells zinc to Japan."]


def test_jsonl_ids_differing_by_trailing_whitespace_are_one_article(
    write,
    rules_extractor: Extractor,  # type: ignore[no-untyped-def]
) -> None:
    path = write(
        "ids.jsonl",
        "\n".join(
            json.dumps(row)
            for row in (
                {"id": "a", "text": GOOD},
                {"id": "a ", "text": "Peru sells zinc to Japan."},
                {"id": "b\t", "text": "Zambia exports cobalt."},
            )
        ),
    )
    warnings: list[str] = []
    report = build([path], GraphStore(None), extractor=rules_extractor, warn=warnings.append)
    assert (report.added, report.skip_reasons()) == (2, {"duplicate id": 1})
    assert warnings == [f"{path}:2: duplicate article id 'a', skipped"]


def test_latin1_file_decodes_right(write) -> None:  # type: ignore[no-untyped-def]
    text = "Finance Minister José Pérez met the delegation in Lima on Monday."
    latin = write("latin.txt", text.encode("latin-1"))
    windows = write("cp1252.txt", "“Señor Muñoz” paid €5 million.".encode("cp1252"))
    articles, warnings = collect([latin, windows])
    assert [a.text for a in articles] == [text, "“Señor Muñoz” paid €5 million."]
    assert warnings == []


def test_replacement_characters_left_are_reported(write) -> None:  # type: ignore[no-untyped-def]
    path = write("stray.txt", "Zambia exports cobalt — ".encode() + b"\xff\xfe " + GOOD.encode())
    [article], warnings = collect([path])
    assert article.text.count("\ufffd") == 2 and article.text.endswith(GOOD)
    assert warnings == [
        f"{path}: 2 invalid UTF-8 byte(s) replaced by U+FFFD (the first at byte 26)"
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_skipped_with_a_warning_not_waited_on(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = write("in/good.txt", GOOD)
    fifo = tmp_path / "in" / "pipe.txt"
    os.mkfifo(fifo)
    result: list[object] = []
    reader = threading.Thread(target=lambda: result.append(collect([fifo, tmp_path / "in"])))
    reader.start()
    reader.join(timeout=20)
    if reader.is_alive():  # unblock the reader before failing, so the test run can end
        with open(fifo, "wb"):
            pass
        reader.join()
        pytest.fail("reading a FIFO blocked")
    [(articles, warnings)] = result  # type: ignore[misc]
    assert [a.source for a in articles] == [str(good)]
    message = f"{fifo}: not a regular file (a FIFO), skipped"
    assert warnings == [message, message]  # given by name, then found in the folder
    assert warnings[0].reason == "not a regular file"


def test_invalid_published_values_are_reported_by_file_and_id(write) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {"id": "bad-day", "text": GOOD, "published": "2025-13-45"},
        {"id": "number", "text": GOOD, "published": 20250101},
        {"id": "boolean", "text": GOOD, "published": True},
        {"id": "words", "text": GOOD, "published": "last Tuesday"},
        {"id": "fine", "text": GOOD, "published": "2025-02-28T10:00:00Z"},
        {"id": "none", "text": GOOD, "published": None},
    ]
    path = write("dates.jsonl", "\n".join(json.dumps(r) for r in rows))
    articles, warnings = collect([path])
    assert [(a.id, a.published and a.published.isoformat()) for a in articles] == [
        ("bad-day", None),
        ("number", None),
        ("boolean", None),
        ("words", None),
        ("fine", "2025-02-28"),
        ("none", None),
    ]
    assert warnings == [
        f"{path}:{n}: id {ident!r}: published value {value!r} is not a date (YYYY-MM-DD); "
        "article kept without a date"
        for n, ident, value in [
            (1, "bad-day", "2025-13-45"),
            (2, "number", 20250101),
            (3, "boolean", True),
            (4, "words", "last Tuesday"),
        ]
    ]


def test_invalid_date_in_front_matter_or_page_is_reported(write) -> None:  # type: ignore[no-untyped-def]
    md = write("note.md", "---\ntitle: Copper\ndate: 2025-02-30\n---\n" + GOOD)
    [article], warnings = collect([md])
    assert article.published is None
    assert warnings == [
        f"{md}: id 'note': published value '2025-02-30' is not a date (YYYY-MM-DD); "
        "article kept without a date"
    ]
