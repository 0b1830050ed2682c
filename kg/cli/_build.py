"""Commands that read articles: extract, build, distributed, import, demo."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from kg.cli._common import (
    _WORKERS,
    _extractor,
    _open_store,
    _print_rows,
    _progress,
    _total,
    _warn,
    cli,
    err,
    out,
)

_DECISIONS = click.option(
    "--decisions",
    "decisions",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A resolution decisions file (JSON lines; see ontology/resolution). Repeatable.",
)


_NO_PARSE = click.option(
    "--no-parse",
    is_flag=True,
    help="Skip the dependency parse: about 1.5x faster, relations from the clause reader "
    "alone (fewer found).",
)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--model", help="An installed spaCy pipeline (default: en_core_web_sm).")
@_WORKERS
@_DECISIONS
@_NO_PARSE
def extract(
    paths: tuple[str, ...],
    fmt: str,
    model: str | None,
    workers: int,
    decisions: tuple[str, ...],
    no_parse: bool,
) -> None:
    """Extract entities, relations and quantities; one JSON object per article on stdout."""
    from kg.pipeline import RunReport
    from kg.pipeline import extract as run

    extractor = _extractor(model, parse=not no_parse)
    report = RunReport()
    with _progress("records", _total(paths), report.reading) as advance:
        for extraction in run(
            paths,
            extractor=extractor,
            warn=_warn,
            workers=workers,
            progress=advance,
            report=report,
            decisions=decisions,
        ):
            sys.stdout.write(json.dumps(extraction.to_json(), ensure_ascii=False) + "\n")
    err.print(f"kg: {report.summary()}", markup=False)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--store", "store_dir", required=True, help="Folder of the on-disk store.")
@click.option("--model", help="An installed spaCy pipeline (default: en_core_web_sm).")
@_WORKERS
@_DECISIONS
@_NO_PARSE
def build(
    paths: tuple[str, ...],
    store_dir: str,
    model: str | None,
    workers: int,
    decisions: tuple[str, ...],
    no_parse: bool,
) -> None:
    """Extract, resolve and load articles into the store (re-running changes only what changed)."""
    from kg.pipeline import BuildReport
    from kg.pipeline import build as run

    store = _open_store(store_dir, must_exist=False)  # a locked store fails before the model loads
    extractor = _extractor(model, parse=not no_parse)
    report = BuildReport()
    with _progress("records", _total(paths), report.reading) as advance:
        run(
            paths,
            store,
            extractor=extractor,
            warn=_warn,
            progress=advance,
            workers=workers,
            decisions=decisions,
            report=report,
        )
    err.print(f"kg: {report.summary()}", markup=False)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, help="Folder for the N-Quads partitions.")
@click.option("--store", "store_dir", help="Load the partitions into this store (or endpoint).")
@click.option("--scheduler", help="Address of a Dask scheduler (default: a local cluster).")
@click.option(
    "--shards", type=click.IntRange(1), help="Partitions (default: one per 256 articles)."
)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes of the local cluster (ignored with --scheduler).",
)
@click.option("--model", help="An installed spaCy pipeline (default: en_core_web_sm).")
@_NO_PARSE
def distributed(
    paths: tuple[str, ...],
    out_dir: str,
    store_dir: str | None,
    scheduler: str | None,
    shards: int | None,
    workers: int,
    model: str | None,
    no_parse: bool,
) -> None:
    """Extract on a Dask cluster into N-Quads partitions, then bulk-load them into the store."""
    from kg.distributed import run_distributed

    store = _open_store(store_dir, must_exist=False) if store_dir else None
    with _progress("articles", _total(paths)) as advance:
        report = run_distributed(
            paths,
            out_dir,
            store=store,
            scheduler=scheduler,
            shards=shards,
            workers=workers,
            model=model,
            parse=not no_parse,
            warn=_warn,
            progress=advance,
        )
    err.print(f"kg: {report.summary()}", markup=False)


@cli.command("import")
@click.argument("file")
@click.option("--store", "store_dir", required=True, help="Folder of the on-disk store.")
@click.option(
    "--format", "fmt", help="ttl, trig, nt, nq, n3, rdf, jsonld (default: from the file name)."
)
@click.option("--graph", help="Named graph for the file's triples (default: one per file).")
def import_cmd(file: str, store_dir: str, fmt: str | None, graph: str | None) -> None:
    """Import an RDF file; DOCTYPE/ENTITY in RDF/XML and remote JSON-LD contexts are refused."""
    from kg.importing import import_rdf, read_rdf

    read_rdf(file, fmt)  # refuse a bad file before opening (or creating) the store
    count = import_rdf(_open_store(store_dir, must_exist=False), file, fmt, graph)
    err.print(f"kg: imported {count} quads from {file}", markup=False)


@cli.command()
@click.option("--out", "out_dir", default="kg-demo", show_default=True, help="Output folder.")
@click.option("--model", help="An installed spaCy pipeline (default: en_core_web_sm).")
def demo(out_dir: str, model: str | None) -> None:
    """Run the whole pipeline on the bundled sample corpus and summarise the graph."""
    from kg.demo import run_demo

    extractor = _extractor(model)
    with _progress("articles") as advance:
        summary = run_demo(Path(out_dir), extractor=extractor, warn=_warn, progress=advance)
    _print_summary(summary)


def _print_summary(summary: dict[str, Any]) -> None:
    report = summary["report"]
    out.print(f"[bold]kg demo[/bold]: {report.articles} articles → store {summary['store']}")
    out.print("Entities: " + ", ".join(f"{k} {v}" for k, v in sorted(report.entities.items())))
    out.print("Relations: " + ", ".join(f"{k} {v}" for k, v in sorted(report.relations.items())))
    out.print(f"Quantities: {report.quantities}; quads in store: {summary['quads']}")
    _print_rows(
        summary["top"],
        ["label", "type", "pagerank", "eigenvector", "betweenness", "degree"],
        "table",
        title="Top actors by PageRank (all relations)",
    )
    if summary.get("concentration"):
        _print_rows(
            summary["concentration"],
            ["label", "stage", "hhi", "top_producer_label", "top_share", "news_suppliers"],
            "table",
            title="Most concentrated minerals (world production, USGS MCS 2025; HHI 0-10,000)",
        )
    out.print(f"\n[bold]{summary['question']}[/bold]")
    _print_rows(summary["answer"], summary["answer_columns"], "table")
    for path in summary["files"]:
        out.print(f"wrote {path}")
