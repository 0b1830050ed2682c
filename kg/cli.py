"""The ``kg`` command line: a thin layer over :mod:`kg.pipeline` and friends.

Exit codes: 0 success, 1 failure, 2 bad usage or bad input. Errors are one line on stderr
(``--debug`` shows the traceback); progress bars go to stderr and only on a terminal.
"""

from __future__ import annotations

import contextlib
import json
import signal
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

err = Console(stderr=True, highlight=False, soft_wrap=True)  # one line per message
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
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(label, total=total, rate="")

        def advance(n: int) -> None:
            bar.advance(task, n)
            speed = next(t.speed for t in bar.tasks if t.id == task)
            if speed:
                bar.update(task, rate=f"{speed:,.1f}/s")

        yield advance


def _extractor(model: str | None) -> Any:
    from kg.extract import Extractor

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        extractor = Extractor(model)
    for w in caught:
        _warn(str(w.message))
    return extractor


def _open_store(path: str, must_exist: bool = True) -> Any:
    """A store folder (embedded Oxigraph) or an http(s):// SPARQL 1.1 endpoint."""
    from kg.store import open_store

    return open_store(path, must_exist=must_exist)


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
    """How many records the progress bar counts up to (only worth reading on a terminal)."""
    from kg.ingest import count_articles

    return count_articles(paths) if sys.stderr.isatty() else None


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--model", help="An installed spaCy pipeline (default: en_core_web_sm).")
@_WORKERS
def extract(paths: tuple[str, ...], fmt: str, model: str | None, workers: int) -> None:
    """Extract entities, relations and quantities; one JSON object per article on stdout."""
    from kg.pipeline import RunReport
    from kg.pipeline import extract as run

    extractor = _extractor(model)
    report = RunReport()
    with _progress("articles", _total(paths)) as advance:
        for extraction in run(
            paths, extractor=extractor, warn=_warn, workers=workers, progress=advance, report=report
        ):
            sys.stdout.write(json.dumps(extraction.to_json(), ensure_ascii=False) + "\n")
    err.print(f"kg: {report.summary()}", markup=False)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--store", "store_dir", required=True, help="Folder of the on-disk store.")
@click.option("--model", help="An installed spaCy pipeline (default: en_core_web_sm).")
@_WORKERS
def build(paths: tuple[str, ...], store_dir: str, model: str | None, workers: int) -> None:
    """Extract, resolve and load articles into the store (re-running changes only what changed)."""
    from kg.pipeline import build as run

    store = _open_store(store_dir, must_exist=False)  # a locked store fails before the model loads
    extractor = _extractor(model)
    with _progress("articles", _total(paths)) as advance:
        report = run(
            paths, store, extractor=extractor, warn=_warn, progress=advance, workers=workers
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
def distributed(
    paths: tuple[str, ...],
    out_dir: str,
    store_dir: str | None,
    scheduler: str | None,
    shards: int | None,
    workers: int,
    model: str | None,
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

    if isinstance(result, bool | ox.QueryBoolean):
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
    "--analysis",
    type=click.Choice(
        ["centrality", "concentration", "dependencies", "exposure", "communities", "timeline"]
    ),
    default="centrality",
    show_default=True,
    help="What to compute.",
)
@click.option(
    "--view", type=click.Choice(["diplomatic", "supply", "all"]), default="all", show_default=True
)
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 10_000))
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True
)
@click.option("--restrictor", help="Exposure: the restricting country (ISO3 code or name).")
@click.option("--mineral", help="Exposure: the restricted mineral (name or IRI).")
@click.option(
    "--measure",
    type=click.Choice(["pagerank", "eigenvector", "betweenness", "degree"]),
    default="pagerank",
    show_default=True,
    help="Centrality and timeline: rank by this measure.",
)
@click.option(
    "--agreements",
    type=click.Choice(["nodes", "project", "both"]),
    default="nodes",
    show_default=True,
    help="Agreements as nodes, or projected into co_party edges between their parties.",
)
@click.option("--cumulative", is_flag=True, help="Timeline: each month includes earlier ones.")
@click.option("--seed", default=42, show_default=True, type=int, help="Louvain / sampling seed.")
@click.option(
    "--write-back",
    is_flag=True,
    help="Also write the results as RDF into the graph <https://w3id.org/cmkg/graph/analysis>.",
)
def analyze(
    store_dir: str,
    analysis: str,
    view: str,
    top: int,
    fmt: str,
    restrictor: str | None,
    mineral: str | None,
    measure: str,
    agreements: str,
    cumulative: bool,
    seed: int,
    write_back: bool,
) -> None:
    """Centrality, supply concentration, dependencies, what-if exposure, communities, timeline."""
    from kg.analysis.report import analyze as run
    from kg.analysis.report import write_back as store_results

    store = _open_store(store_dir)
    table = run(
        store,
        analysis,
        view=view,
        top=top,
        restrictor=restrictor,
        mineral=mineral,
        agreements=agreements,
        measure=measure,
        seed=seed,
        cumulative=cumulative,
    )
    _print_rows(table.rows, table.columns, fmt, title=table.title)
    for note in table.notes:
        (out if fmt == "table" else err).print(note, markup=False, highlight=False, soft_wrap=True)
    if write_back:
        count = store_results(
            store,
            view=view,
            agreements=agreements,
            restrictor=restrictor,
            mineral=mineral,
            seed=seed,
            measure=measure,
        )
        err.print(
            f"kg: wrote {count} analysis triples to <https://w3id.org/cmkg/graph/analysis>",
            markup=False,
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
@click.option(
    "--agreements",
    type=click.Choice(["nodes", "project", "both"]),
    default="nodes",
    show_default=True,
    help="Agreements as nodes, or projected into co_party edges between their parties.",
)
def export_cmd(store_dir: str, fmt: str, out_path: str, view: str, agreements: str) -> None:
    """Export the graph for Gephi (gexf, graphml, csv) or as RDF (ttl, trig, nq, jsonld)."""
    from kg.export import export

    for path in export(_open_store(store_dir), fmt, out_path, view, agreements):
        err.print(f"kg: wrote {path}", markup=False)


@cli.command()
@click.option(
    "--store", "store_dir", required=True, help="Store folder or http(s):// SPARQL endpoint."
)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1), help="Lines shown.")
def validate(store_dir: str, limit: int) -> None:
    """Validate the store against the SHACL shapes of ontology/shapes.ttl (exit 1 if not)."""
    from kg.store.validate import validate_store

    report = validate_store(_open_store(store_dir))
    if report.conforms:
        out.print(f"conforms: {report.triples} triples checked against ontology/shapes.ttl")
        return
    sys.stdout.write("".join(line + "\n" for line in report.lines(limit)))
    raise KgError(
        f"the store does not conform to ontology/shapes.ttl: {len(report.violations)} results"
    )


@cli.command()
@click.option("--store", "store_dir", required=True, help="Folder of the on-disk store.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1), help="Seconds."
)
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(1))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
def serve(
    store_dir: str, host: str, port: int, timeout: float, max_rows: int, workers: int
) -> None:
    """Serve the store as a read-only SPARQL 1.1 Protocol endpoint at /sparql."""
    from kg.serve import SparqlServer

    if host not in {"127.0.0.1", "localhost", "::1"}:
        _warn(f"listening on {host}: the endpoint has no authentication")
    with SparqlServer(
        store_dir, host=host, port=port, timeout=timeout, max_rows=max_rows, workers=workers
    ) as server:
        err.print(f"kg: SPARQL endpoint at {server.url}/sparql (Ctrl-C stops)", markup=False)
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop as on Ctrl-C
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


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
