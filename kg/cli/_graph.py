"""Commands over the graph views: analyze, export."""

from __future__ import annotations

import click

from kg.cli._common import _open_store, _print_rows, cli, err, out

_VIEW = click.option(
    "--view", type=click.Choice(["diplomatic", "supply", "all"]), default="all", show_default=True
)
_AGREEMENTS = click.option(
    "--agreements",
    type=click.Choice(["nodes", "project", "both"]),
    default="nodes",
    show_default=True,
    help="Agreements as nodes, or projected into co_party edges between their parties.",
)


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
@_VIEW
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
@_AGREEMENTS
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

    store = _open_store(store_dir, read_only=not write_back)
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


@cli.command("export")
@click.option("--store", "store_dir", required=True, help="Folder of the on-disk store.")
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["gexf", "graphml", "csv", "ttl", "trig", "nq", "jsonld"]),
)
@click.option("--out", "out_path", required=True, help="File to write.")
@_VIEW
@_AGREEMENTS
def export_cmd(store_dir: str, fmt: str, out_path: str, view: str, agreements: str) -> None:
    """Export the graph for Gephi (gexf, graphml, csv) or as RDF (ttl, trig, nq, jsonld)."""
    from kg.export import export

    for path in export(_open_store(store_dir, read_only=True), fmt, out_path, view, agreements):
        err.print(f"kg: wrote {path}", markup=False)
