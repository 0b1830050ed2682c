"""``kg demo``: the whole pipeline on the bundled sample corpus."""

from __future__ import annotations

from importlib.resources import as_file
from pathlib import Path
from typing import Any

from kg.analysis import centrality, concentration, top_actors
from kg.errors import UsageError
from kg.export import export
from kg.extract import Extractor
from kg.graph import view_of
from kg.pipeline import Progress, Warn, build
from kg.resources import sample_corpus
from kg.store import GraphStore, load_query

QUESTION = (
    "Who restricts exports of which minerals?",
    "export_restrictions",
    ["country", "mineral", "articles"],
)


def build_sample(path: str | Path | None = None, extractor: Extractor | None = None) -> GraphStore:
    """The bundled sample corpus built into a store: on disk at ``path``, else in memory.

    For notebooks and quick experiments (about five seconds with the default model)::

        store = build_sample()
        store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    """
    store = GraphStore(path)
    with as_file(sample_corpus()) as corpus:
        build([corpus], store, extractor=extractor)
    return store


def run_demo(
    out_dir: Path, *, extractor: Extractor, warn: Warn, progress: Progress | None = None
) -> dict[str, Any]:
    """Build ``out_dir/store`` from the sample corpus, export GEXF and TriG, and summarise.

    The summary has the build report, the top actors by PageRank, the five most concentrated
    minerals (world production, USGS MCS 2025, joined with what the news says) and one SPARQL
    question with its answer.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}: exists and is not a folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    store = GraphStore(out_dir / "store")
    with as_file(sample_corpus()) as corpus:
        report = build([corpus], store, extractor=extractor, warn=warn, progress=progress)
    graph = view_of(store, "all")
    top = top_actors(graph, centrality(graph), n=10)
    concentrated = [
        {**row, "hhi": round(row["hhi"]), "top_share": f"{row['top_share']:.0%}"}
        for row in concentration(graph=graph)[:5]
    ]
    files = export(store, "gexf", out_dir / "graph.gexf") + export(
        store, "trig", out_dir / "graph.trig"
    )
    title, name, columns = QUESTION
    answer = store.select(load_query(name))
    return {
        "report": report,
        "store": out_dir / "store",
        "quads": len(store),
        "top": top,
        "concentration": concentrated,
        "question": title,
        "answer": answer,
        "answer_columns": columns,
        "files": files,
    }
