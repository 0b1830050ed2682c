"""Web pages (trafilatura), RSS/Atom feeds (feedparser) and WARC archives (warcio), offline."""

from __future__ import annotations

import gzip
import socket
from collections import Counter
from pathlib import Path

import pytest

from kg.ingest import input_parts, read_articles, read_part
from kg.pipeline import RunReport, extract

PAGES = Path(__file__).parent / "data" / "pages"
BODY = (
    "Indonesia will require nickel smelters to source power from renewables by 2030, the "
    "energy ministry said on Thursday, as buyers of battery metals press for cleaner supply. "
    "The rule covers plants on Sulawesi and Halmahera that turn laterite ore into nickel pig "
    "iron and mixed hydroxide precipitate for electric vehicle batteries."
)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to reach the network fails the test: ingest only parses what it is given."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def collect(paths, counts=None):  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    return list(read_articles(paths, warnings.append, counts)), warnings


# ---------------------------------------------------------------- pages


def test_page_furniture_is_dropped_and_metadata_kept() -> None:
    [article], warnings = collect([PAGES / "mining-daily.html"])
    assert warnings == []
    text = article.text
    assert "signed a memorandum that sets up a joint company" in text
    assert text.rstrip().endswith("before it could compete with refineries in China.")
    for furniture in (
        "cookies",  # the consent banner
        "Markets",  # navigation
        "Related stories",
        "Lobito rail corridor wins new financing",  # a related headline
        "Comments (3)",
        "load shedding",  # a reader's comment
        "Leave a comment",
        "All rights reserved",  # the footer
        "Newsletter",
    ):
        assert furniture not in text, furniture
    assert (article.title, article.author, article.site) == (
        "Zambia and the DRC agree to build a battery precursor plant",
        "Grace Mwale",
        "Mining Daily",
    )
    assert article.published.isoformat() == "2025-04-14"
    assert article.url == "https://mining-daily.example/2025/04/zambia-drc-precursor-plant"
    # kg's own exclusions stay on top: the teaser inside the story is marked, not a fact.
    assert article.teasers == ("Read more: Cobalt prices slide as Congo extends export halt",)
    assert [text[s:e] for s, e in article.excluded] == list(article.teasers)


def test_second_page_layout_share_ads_and_most_read_are_dropped() -> None:
    [article], _ = collect([PAGES / "wire-story.html"])
    assert article.text.startswith("SANTIAGO — Chile will offer private companies")
    assert "consultations would begin before any contract is signed." in article.text
    for furniture in ("Sign in", "Share on Facebook", "Advertisement", "Most read", "Tags:"):
        assert furniture not in article.text, furniture
    assert "civil" not in article.text and "profits abroad" not in article.text
    assert (article.author, article.site, str(article.published)) == (
        "Pablo Rojas",
        "Andes Business Wire",
        "2025-02-03",
    )
    assert article.text.count("\n\n") == 4  # one paragraph per block


def test_page_without_main_text_is_named_and_skipped(write) -> None:  # type: ignore[no-untyped-def]
    empty = write("empty.html", "<html><head><title>x</title></head><body><nav>Home</nav></body>")
    good = write("good.html", (PAGES / "wire-story.html").read_text())
    articles, warnings = collect([empty, good])
    assert [a.id for a in articles] == ["good"]
    [warning] = warnings
    assert warning.startswith(f"{empty}: trafilatura found no main text") and "skipped" in warning


# ---------------------------------------------------------------- feeds

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Metals Wire</title><link>https://metals.example/</link>
<item><title>Indonesia sets green power rule for smelters</title>
  <link>https://metals.example/indonesia-smelters</link><guid>mw-1</guid>
  <pubDate>Thu, 06 Mar 2025 09:00:00 GMT</pubDate><dc:creator>Sari Dewi</dc:creator>
  <description>Short teaser only.</description>
  <content:encoded><![CDATA[<p>{BODY}</p>
    <p>Read more: Nickel prices at a four-year low</p>]]></content:encoded>
</item>
<item><title>No link here</title><pubDate>Fri, 07 Mar 2025 09:00:00 GMT</pubDate>
  <description>{BODY}</description></item>
<item><title>No date here</title><link>https://metals.example/undated</link>
  <description>{BODY}</description></item>
<item><title>Summary only</title><link>https://metals.example/summary</link>
  <pubDate>Sat, 08 Mar 2025 09:00:00 GMT</pubDate>
  <description>&lt;p&gt;Peru expects copper output to rise by a tenth this year as new
  mines in the south ramp up.&lt;/p&gt;</description></item>
</channel></rss>
"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Battery Notes</title>
<entry><title>Smelters must go green</title><id>tag:notes.example,2025:1</id>
  <link href="https://notes.example/green-smelters"/><updated>2025-03-09T10:00:00Z</updated>
  <author><name>Ana Ruiz</name></author>
  <content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry>
</feed>
"""


def test_rss_and_atom_entries_become_articles(write) -> None:  # type: ignore[no-untyped-def]
    rss, atom = write("wire.rss", RSS), write("notes.atom", ATOM)
    counts: Counter[str] = Counter()
    articles, warnings = collect([rss, atom], counts)
    assert [(a.id, a.url, a.title, str(a.published)) for a in articles] == [
        (
            "mw-1",
            "https://metals.example/indonesia-smelters",
            "Indonesia sets green power rule for smelters",
            "2025-03-06",
        ),
        (
            "https://metals.example/summary",
            "https://metals.example/summary",
            "Summary only",
            "2025-03-08",
        ),
        (
            "tag:notes.example,2025:1",
            "https://notes.example/green-smelters",
            "Smelters must go green",
            "2025-03-09",
        ),
    ]
    first, summary, atom_entry = articles
    assert first.text.startswith("Indonesia will require nickel smelters")
    assert "<p>" not in first.text
    assert first.teasers == ("Read more: Nickel prices at a four-year low",)
    assert (first.author, first.site, atom_entry.author) == ("Sari Dewi", "Metals Wire", "Ana Ruiz")
    assert summary.text.startswith("Peru expects copper output to rise by a tenth this year")
    assert warnings == [
        f"{rss} entry 2: entry has no link, skipped",
        f"{rss} entry 3: entry has no date, skipped",
    ]
    assert [w.reason for w in warnings] == ["entry without link", "entry without date"]
    assert counts == {"feed entries": 5}


def test_malformed_feed_is_reported_and_the_rest_still_read(write) -> None:  # type: ignore[no-untyped-def]
    broken = RSS.replace("<title>No link here</title>", "<title>Gold & silver</title>")
    path = write("broken.rss", broken)
    articles, warnings = collect([path])
    assert [a.id for a in articles] == ["mw-1", "https://metals.example/summary"]
    line = broken.splitlines().index(next(x for x in broken.splitlines() if "Gold &" in x)) + 1
    assert warnings[0].startswith(f"{path}: malformed XML at line {line} (")
    assert "read leniently" in warnings[0]


def test_a_file_that_is_no_feed_is_skipped(write) -> None:  # type: ignore[no-untyped-def]
    path = write("sitemap.xml", "<urlset><url><loc>https://a.example/</loc></url></urlset>")
    articles, warnings = collect([path])
    assert articles == [] and warnings == [f"{path}: not an RSS or Atom feed, skipped"]


# ---------------------------------------------------------------- web archives


def page(body: str, title: str = "Smelters must go green", date: str | None = None) -> bytes:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    return (
        f"<html><head><title>{title}</title>{meta}</head><body><nav>Home Markets</nav>"
        f"<article><h1>{title}</h1><p>{body}</p><p>{body}</p></article>"
        "<footer>All rights reserved</footer></body></html>"
    ).encode()


SPANISH = (
    "Indonesia exigirá a las fundiciones de níquel que usen energía renovable antes de 2030, "
    "dijo el ministerio de energía el jueves, mientras los compradores piden un suministro "
    "más limpio para las baterías de los coches eléctricos."
)
CRAWL = [
    ("warcinfo", "", b"software: test crawler\r\n", ""),
    ("request", "https://a.example/one", b"GET /one HTTP/1.1\r\n\r\n", ""),
    ("response", "https://a.example/one", page(BODY, date="2025-03-06"), "text/html"),
    ("response", "https://a.example/two", page(BODY.replace("Thursday", "Friday")), "text/html"),
    ("response", "https://a.example/report.pdf", b"%PDF-1.4 not a page", "application/pdf"),
    ("response", "https://a.example/missing", b"<html>gone</html>", "text/html"),
    ("response", "https://a.example/es", page(SPANISH, "Fundiciones"), "text/html; charset=utf-8"),
    ("metadata", "https://a.example/two", b"outlinks: none\r\n", ""),
    ("response", "https://a.example/three", page(BODY.replace("2030", "2032")), "text/html"),
]


def test_warc_html_responses_become_articles_others_are_counted(write, make_warc) -> None:  # type: ignore[no-untyped-def]
    path = write("crawl.warc.gz", make_warc(CRAWL))
    counts: Counter[str] = Counter()
    articles, warnings = collect([path], counts)
    assert [(a.id, a.url, str(a.published), a.title) for a in articles] == [
        ("https://a.example/one", "https://a.example/one", "2025-03-06", "Smelters must go green"),
        ("https://a.example/two", "https://a.example/two", "2025-03-10", "Smelters must go green"),
        (
            "https://a.example/three",
            "https://a.example/three",
            "2025-03-10",  # no date in the page: WARC-Date
            "Smelters must go green",
        ),
    ]
    assert all("Home Markets" not in a.text and "rights" not in a.text for a in articles)
    assert Counter(w.reason for w in warnings) == {
        "WARC warcinfo record": 1,
        "WARC request record": 1,
        "WARC metadata record": 1,
        "not HTML": 1,
        "not HTTP 200": 1,
        "not English": 1,
    }
    assert all(w.quiet for w in warnings)  # counted in the summary, not printed one by one
    assert counts == {"WARC records": 9}
    assert all(a.source.startswith(f"{path} record at byte ") for a in articles)


def test_uncompressed_warc_reads_the_same(write, make_warc) -> None:  # type: ignore[no-untyped-def]
    path = write("crawl.warc", make_warc(CRAWL, gz=False))
    articles, _ = collect([path])
    assert len(articles) == 3


def test_truncated_warc_gz_keeps_the_records_before_the_cut(write, make_warc) -> None:  # type: ignore[no-untyped-def]
    data = make_warc(CRAWL)
    path = write("cut.warc.gz", data[: len(data) - 300])  # into the last record
    articles, warnings = collect([path])
    assert [a.id for a in articles] == ["https://a.example/one", "https://a.example/two"]
    [cut] = [w for w in warnings if not w.quiet]
    assert cut.startswith(f"{path}") and "byte" in cut
    assert cut.reason in {"corrupt WARC data", "truncated record"}


def test_corrupt_record_mid_file_is_skipped_and_the_rest_read(write, make_warc) -> None:  # type: ignore[no-untyped-def]
    good = [r for r in CRAWL if r[0] == "response" and r[3] == "text/html"]
    members = [make_warc([r]) for r in good]  # one gzip member per record, as crawlers write them
    broken = bytearray(members[1])
    broken[20:60] = b"\x00" * 40  # garble the compressed body of the second record
    data = members[0] + bytes(broken) + members[2] + members[3]
    path = write("garbled.warc.gz", data)
    articles, warnings = collect([path])
    assert [a.id for a in articles] == ["https://a.example/one", "https://a.example/three"]
    [fault] = [w for w in warnings if not w.quiet]
    assert fault.startswith(f"{path}: ") and f"at byte {len(members[0])}" in fault
    assert fault.reason == "corrupt WARC data"
    gzip.decompress(members[0])  # the members around it are sound


def test_extract_reads_feeds_and_crawls_with_counts_in_the_summary(
    write,
    make_warc,
    rules_extractor,  # type: ignore[no-untyped-def]
) -> None:
    rss, atom, crawl = (
        write("w.rss", RSS),
        write("n.atom", ATOM),
        write("c.warc.gz", make_warc(CRAWL)),
    )
    report = RunReport()
    lines = [
        e.to_json() for e in extract([rss, atom, crawl], extractor=rules_extractor, report=report)
    ]
    assert len(lines) == 6
    assert all(line["url"] and line["title"] and line["published"] for line in lines)
    summary = report.summary()
    assert "read 5 feed entries, 9 WARC records" in summary
    assert "1 not English" in summary and "1 entry without link" in summary


def test_warc_ranges_read_apart_give_the_whole_file(write, make_warc) -> None:  # type: ignore[no-untyped-def]
    path = write("big.warc.gz", make_warc(CRAWL * 3))
    [whole_part] = list(input_parts([path]))
    whole_warnings: list[str] = []
    whole = [(a.id, a.source) for a in read_part(whole_part, whole_warnings.append)]
    assert len(whole) == 9 and len(whole_warnings) == 18
    for split in (97, 700, 2000):  # ranges cutting records (and gzip members) anywhere
        parts = list(input_parts([path], split=split))
        assert len(parts) > 1 and parts[-1].stop == path.stat().st_size
        pieces, warnings = [], []
        for part in parts:
            pieces.extend((a.id, a.source) for a in read_part(part, warnings.append))
        assert (pieces, warnings) == (whole, whole_warnings)
