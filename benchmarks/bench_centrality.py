"""Centrality on a generated graph of 100k nodes / 500k edges (a script, not a test).

    python benchmarks/bench_centrality.py [--nodes 100000] [--edges-per-node 5] [--seed 1]

Builds a Barabási–Albert graph (heavy-tailed degrees, as news graphs have) with random edge
directions and weights, as a MultiDiGraph like kg's views, and times:

- kg's betweenness as ``kg.analysis.centrality`` picks it above 50k nodes (sampled from
  ``SAMPLE_K`` sources), against the baseline run in the same process: networkx's own
  ``betweenness_centrality(G, k, seed)`` on the same graph with a few sources, compared per
  source (both give the same values for the same seed, which the script checks);
- degree, eigenvector and PageRank, and the whole ``centrality()`` call;
- the accuracy of sampling, on a 2,000-node graph of the same kind: top-20 overlap and Spearman
  rank correlation of sampled against exact betweenness.

The ratios travel between machines; the seconds say how this one did.
"""

from __future__ import annotations

import argparse
import platform
import random
import time
from collections.abc import Callable
from typing import Any

import networkx as nx
from scipy.stats import spearmanr  # type: ignore[import-untyped,unused-ignore]

from kg.analysis import centrality
from kg.analysis.centrality import SAMPLE_ABOVE, SAMPLE_K
from kg.analysis.measures import (
    adjacency,
    betweenness_centrality,
    degree_centrality,
    eigenvector_centrality,
    pagerank,
)


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def news_like(nodes: int, per_node: int, seed: int) -> nx.MultiDiGraph:
    """A Barabási–Albert graph with random directions and article-count weights."""
    rng = random.Random(seed)
    base = nx.barabasi_albert_graph(nodes, per_node, seed=seed)
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(base)
    graph.add_edges_from(
        (u, v, {"weight": float(rng.randint(1, 3))}) if rng.random() < 0.5 else
        (v, u, {"weight": float(rng.randint(1, 3))})
        for u, v in base.edges()
    )  # fmt: skip
    return graph


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges-per-node", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline-sources", type=int, default=3)
    args = parser.parse_args()

    print(
        f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    built, graph = timed(lambda: news_like(args.nodes, args.edges_per_node, args.seed))
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    print(f"graph: {n:,} nodes, {m:,} edges (generated in {built:.1f} s)")
    sampled = n > SAMPLE_ABOVE
    print(f"betweenness: {'sampled, k=' + str(SAMPLE_K) if sampled else 'exact'} "
          f"(automatic above {SAMPLE_ABOVE:,} nodes)")  # fmt: skip

    build, _ = timed(lambda: adjacency(graph, directed=False, weight=None))
    print(f"  adjacency matrix (one pass over the edges): {build:5.2f} s")
    ours, _ = timed(lambda: centrality(graph, measures=("betweenness",), seed=args.seed))
    sources = SAMPLE_K if sampled else n
    per_source = max(ours - build, 1e-9) / sources
    print(f"  kg betweenness, total:         {ours:7.2f} s  ({per_source * 1000:.0f} ms/source)")

    k = args.baseline_sources
    simple = nx.Graph(graph)
    theirs, reference = timed(lambda: nx.betweenness_centrality(simple, k=k, seed=args.seed))
    check = betweenness_centrality(graph, k=k, seed=args.seed)
    same = max(abs(check[v] - reference[v]) for v in graph) < 1e-12
    print(f"  networkx, k={k} (baseline):     {theirs:7.2f} s  ({theirs / k * 1000:.0f} ms/source; "
          f"kg gives the same values: {same})")  # fmt: skip
    print(f"  speed-up per source vs networkx: {theirs / k / per_source:.0f}x")
    print(f"  exact betweenness would take about {per_source * n / 3600:.1f} h here "
          f"(networkx: {theirs / k * n / 3600:.0f} h)")  # fmt: skip

    for name, call in [
        ("degree", lambda: degree_centrality(graph)),
        ("eigenvector", lambda: eigenvector_centrality(graph)),
        ("pagerank", lambda: pagerank(graph)),
    ]:
        seconds, _ = timed(call)
        print(f"  {name + ':':31}{seconds:7.2f} s")
    total, _ = timed(lambda: centrality(graph, seed=args.seed))
    print(f"  centrality(), all four:        {total:7.2f} s")

    small = news_like(2_000, args.edges_per_node, args.seed)
    exact = betweenness_centrality(small)
    estimate = betweenness_centrality(small, k=SAMPLE_K, seed=args.seed)
    nodes = list(small)
    rho = spearmanr([exact[v] for v in nodes], [estimate[v] for v in nodes]).statistic
    top = set(sorted(nodes, key=lambda v: -exact[v])[:20])
    hit = len(top & set(sorted(nodes, key=lambda v: -estimate[v])[:20]))
    print(f"accuracy of k={SAMPLE_K} on 2,000 nodes: top-20 overlap {hit}/20, Spearman {rho:.3f}")
    print(f"target: sampled betweenness under 10 s -> {'met' if ours < 10 else 'MISSED'}")


if __name__ == "__main__":
    main()
