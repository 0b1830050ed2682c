"""Ingest: files, folders, JSON lines and HTML; bad inputs reported by name and skipped."""

from __future__ import annotations

import datetime as dt

from kg.ingest import article_from_text, clean_text, read_articles


def collect(paths):  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    articles = list(read_articles(paths, warnings.append))
    return articles, warnings


def test_control_characters_become_spaces_and_offsets_hold() -> None:
    raw = "Acme Corp\x00 signed\x1b a deal\ud800."
    cleaned = clean_text(raw)
    assert len(cleaned.text) == len(raw)
    assert "\x00" not in cleaned.text and "\ud800" not in cleaned.text
    assert cleaned.text.startswith("Acme Corp  signed")
    assert cleaned.replaced == 3


def test_teasers_and_furniture_are_marked_not_removed() -> None:
    text = (
        "Chile signed.\n\nRead: Trump says something\n\nPeru too.\n\n"
        "Leave a Reply\nShare this article"
    )
    article = article_from_text("a", text)
    assert article.text == text
    assert article.teasers == ("Read: Trump says something",)
    excluded = [text[s:e] for s, e in article.excluded]
    assert excluded == [
        "Read: Trump says something",
        "Leave a Reply",
        "Share this article",
    ]


def test_folder_text_markdown_html_and_jsonl(write, tmp_path) -> None:  # type: ignore[no-untyped-def]
    write("c/a.txt", "Zambia copper\n\nZambia exports copper to China.")
    write(
        "c/b.md",
        "---\ntitle: Nickel news\ndate: 2024-05-01\nurl: https://example.org/n\n---\n"
        "Indonesia banned ore exports.",
    )
    write(
        "c/c.html",
        "<html><head><title>Page</title>"
        "<meta property='article:published_time' content='2023-07-19T10:00'></head>"
        "<body><nav>Menu</nav><p>Chile and the EU signed.</p><script>x()</script></body></html>",
    )
    write("c/d.jsonl", '{"id": "j1", "text": "Peru mines copper.", "published": "2025-01-02"}\n')
    articles, warnings = collect([tmp_path / "c"])
    assert warnings == []
    by_id = {a.id: a for a in articles}
    assert set(by_id) == {"a", "b", "c", "j1"}
    assert by_id["a"].title == "Zambia copper"
    assert by_id["b"].title == "Nickel news" and by_id["b"].published == dt.date(2024, 5, 1)
    assert by_id["b"].text.strip() == "Indonesia banned ore exports."
    assert by_id["c"].text == "Chile and the EU signed." and by_id["c"].published == dt.date(
        2023, 7, 19
    )
    assert "Menu" not in by_id["c"].text
    assert by_id["j1"].published == dt.date(2025, 1, 2)


def test_bad_files_are_named_and_skipped(write, tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = write("good.txt", "Chile exports copper.")
    empty = write("empty.txt", "   \n")
    binary = write("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    utf16 = write("utf16.txt", b"\xff\xfe" + "Chile".encode("utf-16-le") + b"!")
    articles, warnings = collect([good, empty, binary, utf16, tmp_path / "missing.txt"])
    assert [a.id for a in articles] == ["good"]
    assert len(warnings) == 4
    for path, word in [
        (empty, "empty"),
        (binary, "binary"),
        (utf16, "not valid UTF-16"),
        ("missing.txt", "no such"),
    ]:
        assert any(str(path) in w and word in w for w in warnings), (path, warnings)


def test_jsonl_bad_lines_and_duplicates(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "feed.jsonl",
        "\n".join(
            [
                '{"id": "1", "text": "Chile exports copper."}',
                "not json",
                '{"id": "2", "text": null}',
                '{"id": "1", "text": "A duplicate."}',
                '["a list"]',
            ]
        ),
    )
    articles, warnings = collect([path])
    assert [a.id for a in articles] == ["1"]
    assert [w.split(": ", 1)[0] for w in warnings] == [
        f"{path}:2",
        f"{path}:3",
        f"{path}:4",
        f"{path}:5",
    ]
    assert "duplicate" in warnings[2]
