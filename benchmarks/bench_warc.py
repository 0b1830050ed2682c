"""Reading a large WARC.gz in flat memory: peak RSS and speed at two sizes.

A crawl shaped like a CC-NEWS file is written on the fly under /tmp (warcio, one gzip member a
record): for each page a request record, an HTML response (a sample-corpus article with
navigation, related stories, comments and a large inline script, as real pages carry) and a
metadata record; one page in ten is a PDF, one in twenty is in Spanish. Each size is then read
in a fresh process by ``kg.ingest.read_articles`` (trafilatura, clean-up, language detection)
and, as the baseline in the same process, by warcio alone (every record's payload read). Peak
RSS comes from ``getrusage``; the files are deleted afterwards.

    python benchmarks/bench_warc.py            # 100 MB and 1 GB
    python benchmarks/bench_warc.py 50 200     # other sizes, in MB
"""

from __future__ import annotations

import base64
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from kg.resources import sample_corpus

SPANISH = (
    "El gobierno anunció el lunes un plan para ampliar la producción de cobre y litio en el "
    "norte del país, con nuevas plantas de procesamiento y acuerdos con empresas extranjeras."
)


def page(article: dict[str, str], number: int, rng: random.Random) -> bytes:
    script = base64.b64encode(rng.randbytes(90_000)).decode()  # bundled JavaScript, ads, JSON
    body = "".join(f"<p>{p}</p>" for p in article["text"].split("\n\n") if p.strip())
    if number % 20 == 7:
        body = f"<p>{SPANISH}</p>" * 6
    related = "".join(
        f"<li><a href='/s/{rng.randrange(10**6)}'>Story {n}</a></li>" for n in range(8)
    )
    return (
        f"<html><head><title>{article['title']}</title>"
        f"<meta property='article:published_time' content='{article['published']}'>"
        f"<script>var bundle = '{script}';</script></head><body>"
        "<nav><a href='/'>Home</a> <a href='/markets'>Markets</a> <a href='/m'>Metals</a></nav>"
        "<div class='cookie'>We use cookies. Accept all</div>"
        f"<article><h1>{article['title']}</h1>{body}</article>"
        f"<aside><h2>Related</h2><ul>{related}</ul></aside>"
        "<section class='comments'><p>First!</p><p>Who pays for all this?</p></section>"
        "<footer>All rights reserved</footer></body></html>"
    ).encode()


def write_crawl(path: Path, megabytes: int) -> int:
    """A WARC.gz of about ``megabytes`` MB; returns the number of pages."""
    articles = [json.loads(x) for x in sample_corpus().read_text("utf-8").splitlines() if x]
    rng = random.Random(1)
    pages = 0
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        while handle.tell() < megabytes * 1_000_000:
            article = articles[pages % len(articles)]
            uri = f"https://news.example/{pages}"
            request = writer.create_warc_record(
                uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"), length=18
            )
            pdf = pages % 10 == 3
            payload = rng.randbytes(60_000) if pdf else page(article, pages, rng)
            kind = "application/pdf" if pdf else "text/html; charset=utf-8"
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            response = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(payload), length=len(payload),
                http_headers=headers,
            )  # fmt: skip
            metadata = writer.create_warc_record(
                uri, "metadata", payload=io.BytesIO(b"fetchTimeMs: 120\r\n"), length=18
            )
            for record in (request, response, metadata):
                writer.write_record(record)
            pages += 1
    return pages


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path: Path) -> dict[str, float]:
    """In a fresh process: warcio alone (baseline), then kg's reader, each with peak RSS."""
    from warcio.archiveiterator import ArchiveIterator

    import kg.ingest._html  # noqa: F401  (loaded before the baseline, as kg loads it)
    from kg.ingest import read_articles

    started = time.perf_counter()
    records = 0
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            record.content_stream().read()
            records += 1
    baseline = time.perf_counter() - started
    baseline_peak = peak_mb()
    skipped: list[str] = []
    started = time.perf_counter()
    count = sum(1 for _ in read_articles([path], skipped.append))
    seconds = time.perf_counter() - started
    return {
        "records": records,
        "articles": count,
        "skipped": len(skipped),
        "baseline_s": baseline,
        "baseline_peak_mb": baseline_peak,
        "kg_s": seconds,
        "kg_peak_mb": peak_mb(),
    }


def main(sizes: list[int]) -> None:
    for megabytes in sizes:
        with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
            path = Path(tmp) / f"crawl-{megabytes}.warc.gz"
            started = time.perf_counter()
            pages = write_crawl(path, megabytes)
            size = os.path.getsize(path) / 1e6
            print(f"{size:,.0f} MB WARC.gz, {pages:,} pages, written in "
                  f"{time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
            result = subprocess.run(
                [sys.executable, __file__, "--measure", str(path)],
                check=True,
                capture_output=True,
                text=True,
            )
            figures = json.loads(result.stdout)
            print(
                f"  warcio alone: {figures['records']:,} records in {figures['baseline_s']:.0f} s, "
                f"peak RSS {figures['baseline_peak_mb']:.0f} MB; kg: {figures['articles']:,} "
                f"articles ({figures['skipped']:,} records skipped) in {figures['kg_s']:.0f} s "
                f"({figures['kg_s'] / figures['baseline_s']:.1f}× warcio alone, "
                f"{size / figures['kg_s']:.1f} MB/s), peak RSS {figures['kg_peak_mb']:.0f} MB",
                flush=True,
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(measure(Path(sys.argv[2]))))
    else:
        main([int(a) for a in sys.argv[1:]] or [100, 1000])
