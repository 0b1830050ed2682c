"""Shared pieces of the command line: consoles, progress, the model and the store."""

from __future__ import annotations

import contextlib
import sys
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from kg import __version__

err = Console(stderr=True, highlight=False, soft_wrap=True)  # one line per message
out = Console(highlight=False)
RESULT_FORMATS = ("table", "csv", "tsv", "json")


def _warn(message: str) -> None:
    err.print(f"kg: warning: {message}", markup=False)


@contextlib.contextmanager
def _progress(
    label: str, total: int | None = None, status: Callable[[], str] | None = None
) -> Iterator[Any]:
    """A progress callback: a rich bar on a terminal, nothing otherwise. ``status`` gives a
    line shown beside the bar (what has been read: pages, feed entries, WARC records)."""
    if not sys.stderr.isatty():
        yield lambda n: None
        return
    columns = [
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[status]}"),
    ]
    # stdout is left alone: rich would otherwise carry what a command writes there (kg
    # extract's JSON lines) to the bar's console, stderr, so `kg extract … > out.jsonl` on a
    # terminal wrote nothing to the file.
    with Progress(*columns, console=err, transient=True, redirect_stdout=False) as bar:
        task = bar.add_task(label, total=total, rate="", status="")

        def advance(n: int) -> None:
            bar.advance(task, n)
            speed = next(t.speed for t in bar.tasks if t.id == task)
            if speed:
                bar.update(task, rate=f"{speed:,.1f}/s")
            if status is not None:
                bar.update(task, status=status())

        yield advance


def _extractor(model: str | None, parse: bool = True) -> Any:
    from kg.extract import Extractor

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        extractor = Extractor(model, parse=parse)
    for w in caught:
        _warn(str(w.message))
    return extractor


def _open_store(path: str, must_exist: bool = True, read_only: bool = False) -> Any:
    """A store folder (embedded Oxigraph) or an http(s):// SPARQL 1.1 endpoint.

    ``read_only`` opens a folder for reading, beside a ``kg serve`` or other readers, and works
    on a copy without write permission.
    """
    from kg.store import GraphStore, open_store

    store = open_store(path, must_exist=must_exist, read_only=read_only)
    if read_only and isinstance(store, GraphStore) and store.lacks_default_graph():
        _warn(
            f"{path}: the store has no default graph of facts (written by an older kg); "
            f"run 'kg build PATH --store {path}' once to add it"
        )
    return store


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Build a knowledge graph of critical-minerals geopolitics from news."""
    ctx.obj = {"debug": debug}


_WORKERS = click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes for extraction (results are written in input order).",
)


def _total(paths: tuple[str, ...]) -> int | None:
    """How many records the progress bar counts up to (only worth reading on a terminal; None
    with WARC files, whose records are not counted ahead)."""
    from kg.ingest import count_articles

    return count_articles(paths) if sys.stderr.isatty() else None


def _print_rows(rows: list[dict[str, Any]], columns: list[str], fmt: str, title: str = "") -> None:
    if fmt == "csv":
        import csv

        from kg.export import spreadsheet_safe  # for spreadsheets: "=..." labels stay text

        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows([[spreadsheet_safe(row.get(c, "")) for c in columns] for row in rows])
        return
    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*(str(row.get(c, "")) for c in columns))
    out.print(table)
