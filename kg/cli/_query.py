"""Commands that read the store: query, validate, serve."""

from __future__ import annotations

import contextlib
import signal
import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from kg.cli._common import RESULT_FORMATS, _open_store, _warn, cli, err, out
from kg.errors import KgError


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
    store = _open_store(store_dir, read_only=True)
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
@click.option(
    "--store", "store_dir", required=True, help="Store folder or http(s):// SPARQL endpoint."
)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1), help="Lines shown.")
def validate(store_dir: str, limit: int) -> None:
    """Validate the store against the SHACL shapes of ontology/shapes.ttl (exit 1 if not)."""
    from kg.store.validate import validate_store

    report = validate_store(_open_store(store_dir, read_only=True))
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
@click.option(
    "--cors",
    default="*",
    show_default=True,
    help="Origins whose pages may read the answers (space-separated), '*' for any, '' for none.",
)
def serve(
    store_dir: str, host: str, port: int, timeout: float, max_rows: int, workers: int, cors: str
) -> None:
    """Serve the store as a read-only SPARQL 1.1 Protocol endpoint at /sparql."""
    from kg.serve import SparqlServer

    if host not in {"127.0.0.1", "localhost", "::1"}:
        _warn(f"listening on {host}: the endpoint has no authentication")
    with SparqlServer(
        store_dir,
        host=host,
        port=port,
        timeout=timeout,
        max_rows=max_rows,
        workers=workers,
        cors=cors or None,
    ) as server:
        err.print(f"kg: SPARQL endpoint at {server.url}/sparql (Ctrl-C stops)", markup=False)
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop as on Ctrl-C
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
