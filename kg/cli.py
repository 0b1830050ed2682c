"""The ``kg`` command line: a thin layer over :mod:`kg.pipeline` and friends.

Exit codes: 0 success, 1 failure, 2 bad usage or bad input. Errors are one line on stderr
(``--debug`` shows the traceback); progress bars go to stderr and only on a terminal.
"""

from __future__ import annotations

import contextlib
import json
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from kg import __version__
from kg.errors import KgError

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)
RESULT_FORMATS = ("table", "csv", "tsv", "json")


def _warn(message: str) -> None:
    err.print(f"kg: warning: {message}", markup=False)


@contextlib.contextmanager
def _progress(label: str, total: int | None = None) -> Iterator[Any]:
    """A progress callback: a rich bar on a terminal, nothing otherwise."""
    if not sys.stderr.isatty():
        yield lambda n: None
        return
    columns = [
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.speed} /s"),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def _extractor(model: str | None) -> Any:
    from kg.extract import Extractor

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        extractor = Extractor(model)
    for w in caught:
        _warn(str(w.message))
    return extractor


def _open_store(path: str, must_exist: bool = True) -> Any:
    from kg.store import GraphStore

    return GraphStore(path, must_exist=must_exist)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Build a knowledge graph of critical-minerals geopolitics from news."""
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--model", help="An installed spaCy pipeline (default: en_core_web_sm).")
def extract(paths: tuple[str, ...], fmt: str, model: str | None) -> None:
    """Extract entities, relations and quantities; one JSON object per article on stdout."""
    from kg.pipeline import extract as run

    for extraction in run(paths, extractor=_extractor(model), warn=_warn):
        sys.stdout.write(json.dumps(extraction.to_json(), ensure_ascii=False) + "\n")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--store", "store_dir", required=True, help="Folder of the on-disk store.")
@click.option("--model", help="An installed spaCy pipeline (default: en_core_web_sm).")
def build(paths: tuple[str, ...], store_dir: str, model: str | None) -> None:
    """Extract, resolve and load articles into the store (re-running changes only what changed)."""
    from kg.pipeline import build as run

    extractor = _extractor(model)
    store = _open_store(store_dir, must_exist=False)
    with _progress("articles") as advance:
        report = run(paths, store, extractor=extractor, warn=_warn, progress=advance)
    err.print(
        f"kg: {report.articles} articles ({report.added} added, {report.replaced} replaced, "
        f"{report.unchanged} unchanged, {len(report.skipped)} skipped); "
        f"{sum(report.entities.values())} entities, {sum(report.relations.values())} relations, "
        f"{report.triples} triples written",
        markup=False,
    )


@cli.command()
@click.argument("query", required=False)
@click.option("--store", "store_dir", required=True, help="Folder of the on-disk store.")
@click.option("--name", help="A named query from ontology/queries (see --list).")
@click.option("--list", "list_names", is_flag=True, help="List the named queries.")
@click.option(
    "--bind", multiple=True, metavar="VAR=VALUE", help="Bind a query variable (IRIs or strings)."
)
@click.option(
    "--format", "fmt", type=click.Choice(RESULT_FORMATS), default="table", show_default=True
)
def query(
    query: str | None,
    store_dir: str,
    name: str | None,
    list_names: bool,
    bind: tuple[str, ...],
    fmt: str,
) -> None:
    """Run a read-only SPARQL query (text, a .rq file, or --name) over the store."""
    from kg.errors import UsageError
    from kg.store import load_query, named_queries

    if list_names:
        for key, text in sorted(named_queries().items()):
            first = next((ln.lstrip("# ") for ln in text.splitlines() if ln.startswith("#")), "")
            out.print(f"{key:24} {first}", markup=False)
        return
    if (query is None) == (name is None):
        raise UsageError("give a SPARQL query, a .rq file, or --name NAME (and not both)")
    if name:
        sparql = load_query(name)
    elif query is not None and query.endswith(".rq"):
        if not Path(query).is_file():
            raise UsageError(f"{query}: no such query file")
        sparql = Path(query).read_text(encoding="utf-8")
    else:
        sparql = query or ""
    bindings = {}
    for item in bind:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--bind {item!r}: expected VAR=VALUE")
        bindings[key.strip().lstrip("?$")] = value
    store = _open_store(store_dir)
    _print_result(store.query(sparql, bindings), fmt)


def _print_result(result: Any, fmt: str) -> None:
    import pyoxigraph as ox

    if isinstance(result, bool):
        out.print("true" if result else "false")
        return
    if isinstance(result, ox.QueryTriples):
        sys.stdout.write((ox.serialize(result, format=ox.RdfFormat.TURTLE) or b"").decode())
        return
    if fmt != "table":
        formats = {
            "csv": ox.QueryResultsFormat.CSV,
            "tsv": ox.QueryResultsFormat.TSV,
            "json": ox.QueryResultsFormat.JSON,
        }
        sys.stdout.write((result.serialize(format=formats[fmt]) or b"").decode())
        return
    names = [v.value for v in result.variables]
    table = Table(*names, show_lines=False)
    rows = 0
    for solution in result:
        table.add_row(*(_cell(solution[n]) for n in names))
        rows += 1
    out.print(table)
    err.print(f"{rows} rows", markup=False)


def _cell(term: Any) -> str:
    return "" if term is None else str(term.value)


@cli.command()
@click.option("--store", "store_dir", required=True, help="Folder of the on-disk store.")
@click.option(
    "--view", type=click.Choice(["diplomatic", "supply", "all"]), default="all", show_default=True
)
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 10_000))
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True
)
def analyze(store_dir: str, view: str, top: int, fmt: str) -> None:
    """Centrality of actors in a view of the graph."""
    from kg.analysis import centrality, top_actors
    from kg.graph import view_of

    graph = view_of(_open_store(store_dir), view)
    rows = top_actors(graph, centrality(graph), n=top)
    _print_rows(
        rows,
        ["label", "type", "pagerank", "betweenness", "degree"],
        fmt,
        title=f"Top actors, {view} view "
        f"({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)",
    )


def _print_rows(rows: list[dict[str, Any]], columns: list[str], fmt: str, title: str = "") -> None:
    if fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows([[row.get(c, "") for c in columns] for row in rows])
        return
    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*(str(row.get(c, "")) for c in columns))
    out.print(table)


@cli.command("export")
@click.option("--store", "store_dir", required=True, help="Folder of the on-disk store.")
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["gexf", "graphml", "csv", "ttl", "trig", "nq", "jsonld"]),
)
@click.option("--out", "out_path", required=True, help="File to write.")
@click.option(
    "--view", type=click.Choice(["diplomatic", "supply", "all"]), default="all", show_default=True
)
def export_cmd(store_dir: str, fmt: str, out_path: str, view: str) -> None:
    """Export the graph for Gephi (gexf, graphml, csv) or as RDF (ttl, trig, nq, jsonld)."""
    from kg.export import export

    for path in export(_open_store(store_dir), fmt, out_path, view):
        err.print(f"kg: wrote {path}", markup=False)


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
        ["label", "type", "pagerank", "betweenness", "degree"],
        "table",
        title="Top actors by PageRank (all relations)",
    )
    out.print(f"\n[bold]{summary['question']}[/bold]")
    _print_rows(summary["answer"], summary["answer_columns"], "table")
    for path in summary["files"]:
        out.print(f"wrote {path}")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kg`` console script."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        cli.main(args=args, prog_name="kg", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.Abort:
        err.print("kg: aborted", markup=False)
        return 1
    except click.ClickException as exc:
        err.print(f"kg: error: {exc.format_message()}", markup=False)
        return exc.exit_code
    except KgError as exc:
        if debug:
            raise
        err.print(f"kg: error: {exc}", markup=False)
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except Exception as exc:  # an unexpected failure: one line, the traceback with --debug
        if debug:
            raise
        err.print(
            f"kg: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
            markup=False,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
