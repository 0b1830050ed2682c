"""Store benchmarks: bulk ingest (triples/s) and the named queries over ~1M triples.

Run: ``python benchmarks/bench_store.py [--articles N] [--query-articles N]``. Article graphs are
generated from synthetic extraction records (so the quads have the shape the pipeline writes)
before any clock starts. Each figure is printed with its ratio to a baseline measured in the same
process: ingest against pyoxigraph's own ``Store.extend``/``bulk_extend`` of the same quads,
queries against the same query text run directly with ``pyoxigraph.Store.query`` (on the same
store, so over the same default graph of facts). The ingest rows also give kg's bulk path without
the default graph (:mod:`_ab`), to show what keeping it costs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
from _ab import without_default_graph

from kg.pipeline import ensure_ontology
from kg.rdf import article_graph, extraction_quads
from kg.records import Article, Entity, Extraction, Quantity, Relation
from kg.store import GraphStore, load_query, named_queries
from kg.store.oxigraph import bind_values

ID = "https://w3id.org/cmkg/id/"
CM = "https://w3id.org/cmkg/ontology#"
KINDS = {"Country": 150, "Mineral": 60, "Person": 600, "Organization": 250, "Agreement": 80}
RELATIONS = {
    "holds_role_in": ("Person", "Country"),
    "meets_with": ("Person", "Person"),
    "party_to": ("Country", "Agreement"),
    "produces": ("Country", "Mineral"),
    "exports": ("Country", "Mineral"),
    "restricts_export_of": ("Country", "Mineral"),
    "depends_on": ("Country", "Country"),
    "invests_in": ("Organization", "Country"),
    "cooperates_with": ("Country", "Country"),
}
STATUSES = ["asserted"] * 8 + ["negated", "planned", "negotiating"]


def entity(kind: str, n: int) -> Entity:
    name = f"{kind} {n}"
    iri = f"{ID}{kind.lower()}/{n}"
    return Entity(iri, name, kind, (name, f"{kind[:3]}{n}"), f"Q{1000 + n}" if n % 3 else None)


def article(index: int, rng: random.Random) -> Extraction:
    """One synthetic article: 40 relations, 3 quantities, about 800 quads."""
    sentence = f"Sentence {index} about supply, trade and talks between the parties."
    text = " ".join([sentence] * 40)
    relations, used = [], {}
    for r in range(40):
        kind = rng.choice(list(RELATIONS))
        head_kind, tail_kind = RELATIONS[kind]
        head = entity(head_kind, rng.randrange(KINDS[head_kind]))
        tail = entity(tail_kind, rng.randrange(KINDS[tail_kind]))
        used[head.id], used[tail.id] = head, tail
        start = r * (len(sentence) + 1)
        relations.append(
            Relation(
                head.id,
                kind,
                tail.id,
                round(rng.uniform(0.3, 0.95), 3),
                sentence,
                start,
                start + len(sentence),
                status=rng.choice(STATUSES),
                role="finance minister" if kind == "holds_role_in" else None,
            )
        )
    quantities = tuple(
        Quantity(
            entity("Country", rng.randrange(150)).id,
            f"{rng.randrange(1, 999)} tonnes",
            "t",
            "production",
            sentence,
            0,
            len(sentence),
            float(rng.randrange(1, 999)),
            entity("Mineral", rng.randrange(60)).id,
        )
        for _ in range(3)
    )
    published = dt.date(2024, 1, 1) + dt.timedelta(days=index % 700)
    doc = Article(
        f"bench-{index}", text, f"Headline {index}", f"https://example.org/{index}", published
    )
    return Extraction(doc, tuple(used.values()), tuple(relations), quantities, model="bench-model")


def generate(count: int, seed: int = 11) -> list[tuple[str, list[ox.Quad]]]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        extraction = article(i, rng)
        out.append(
            (article_graph(extraction.article).value, extraction_quads(extraction, "kg bench"))
        )
    return out


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def bench_ingest(graphs: list[tuple[str, list[ox.Quad]]], workdir: Path) -> None:
    total = sum(len(q) for _, q in graphs)
    print(f"\n## Ingest: {len(graphs)} article graphs, {total:,} quads")
    line = "{:60} {:>10,.0f} triples/s{}"
    for where in ("on disk", "in memory"):
        print(f"# {where}")

        def place(name: str, where: str = where) -> str | None:
            return str(workdir / f"{name}-{where[:2]}") if where == "on disk" else None

        def raw_extend(place: Callable[[str], str | None] = place) -> None:
            path = place("raw-extend")
            store = ox.Store(path) if path else ox.Store()
            for _, quads in graphs:
                store.extend(quads)
            store.flush() if path else None

        def raw_bulk(place: Callable[[str], str | None] = place) -> None:
            path = place("raw-bulk")
            store = ox.Store(path) if path else ox.Store()
            store.bulk_extend(q for _, quads in graphs for q in quads)
            store.flush() if path else None

        kg_store = GraphStore(place("kg-replace"))

        def replace_each(store: GraphStore = kg_store) -> None:
            for graph, quads in graphs:
                store.replace_graph(graph, quads)
            store.flush()

        bulks = iter(range(10**6))

        def bulk_fresh(
            place: Callable[[str], str | None] = place, bulks: Iterator[int] = bulks
        ) -> None:
            store = GraphStore(place(f"kg-bulk-{next(bulks)}"))
            store.replace_graphs(graphs)
            store.flush()

        def bulk_without_facts() -> None:
            with without_default_graph():
                bulk_fresh()

        base = {"extend": timed(raw_extend), "bulk": timed(raw_bulk)}
        print(
            line.format(
                "pyoxigraph Store.extend, per article (baseline)", total / base["extend"], ""
            )
        )
        print(line.format("pyoxigraph Store.bulk_extend (baseline)", total / base["bulk"], ""))
        for label, run, against in [
            ("kg replace_graph, new graphs, one transaction each", replace_each, "extend"),
            (
                "kg replace_graph, changed graphs (SPARQL DROP + INSERT DATA)",
                replace_each,
                "extend",
            ),
            ("kg replace_graphs, new graphs (bulk loader, hashes last)", bulk_fresh, "bulk"),
            ("the same without the default graph of facts (A/B)", bulk_without_facts, "bulk"),
        ]:
            seconds = timed(run)
            ratio = f"  ({seconds / base[against]:.2f}x the time of {against})"
            print(line.format(label, total / seconds, ratio))


def bench_queries(graphs: list[tuple[str, list[ox.Quad]]], workdir: Path, repeat: int) -> None:
    store = GraphStore(workdir / "kg-query")
    ensure_ontology(store)
    store.replace_graphs(graphs)
    print(f"\n## Named queries over {len(store):,} quads (median of {repeat} runs)")
    head = ("query", "rows", "pyoxigraph", "kg query", "ratio", "kg select", "ratio")
    print("{:22} {:>7} {:>11} {:>10} {:>6} {:>10} {:>6}".format(*head))
    bindings = {
        "entity_facts": {"entity": f"{ID}country/7"},
        "evidence": {"head": f"{ID}country/7", "predicate": CM + "dependsOn"},
    }
    for name in sorted(named_queries()):
        text, bound = load_query(name), bindings.get(name)
        direct_text = bind_values(text, bound)
        runs: dict[str, Callable[[], int]] = {
            "direct": lambda t=direct_text: sum(1 for _ in store.raw.query(t)),  # type: ignore[misc]
            "query": lambda t=text, b=bound: sum(1 for _ in store.query(t, b)),  # type: ignore[misc]
            "select": lambda t=text, b=bound: len(store.select(t, b)),  # type: ignore[misc]
        }
        rows = runs["direct"]()
        for run in runs.values():
            run()  # warm up
        samples: dict[str, list[float]] = {key: [] for key in runs}
        for _ in range(repeat):  # interleaved, so that a busy machine slows all three alike
            for key, run in runs.items():
                samples[key].append(timed(run))
        ms = {key: 1000 * statistics.median(values) for key, values in samples.items()}
        print(
            f"{name:22} {rows:>7} {ms['direct']:>9.1f}ms {ms['query']:>8.1f}ms "
            f"{ms['query'] / ms['direct']:>5.2f}x {ms['select']:>8.1f}ms "
            f"{ms['select'] / ms['direct']:>5.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=300, help="articles for the ingest run")
    parser.add_argument("--query-articles", type=int, default=1300, help="~1M quads at 1300")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    graphs = generate(max(args.articles, args.query_articles))
    print(f"generated {len(graphs)} article graphs in {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        if args.articles:
            bench_ingest(graphs[: args.articles], Path(tmp))
        bench_queries(graphs[: args.query_articles], Path(tmp), args.repeat)


if __name__ == "__main__":
    main()
