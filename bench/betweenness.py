"""Betweenness and Louvain: NetworkX against compiled implementations, in one run.

    PYTHONPATH=src .venv/bin/python bench/betweenness.py --accuracy BUILD_4K --speed BUILD_1M [--exact-at-speed]

``--accuracy`` is a build of a few thousand agents: every method is compared
there with NetworkX's exact betweenness (the reference), by how many of the
reference's top 20 agents it also puts in its top 20, and by its largest
error on a score. ``--speed`` is a big build (1M triples): every method is
timed there and compared with the sample of 2,000 sources (or, with
``--exact-at-speed``, with the compiled exact scores, minutes each). Wall and
CPU seconds: CPU time is steadier on a shared machine (for a multi-threaded
library it is the sum over its threads). Methods whose package is not
installed are skipped (rustworkx, networkit and igraph are not dependencies of
collabgraph; see docs/decisions/analytics.md). Louvain is compared by time and
modularity. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any, Callable

import networkx as nx


def load(build: str) -> nx.Graph:
    from collabgraph import CollabGraph
    from collabgraph.views.projections import analytics_projection

    return analytics_projection(CollabGraph.open(build).reader)


def _nx_sampled(k: int) -> Callable[[nx.Graph], dict]:
    return lambda g: nx.betweenness_centrality(g, k=k, seed=0, normalized=True)


def _rx(g: nx.Graph) -> dict:
    import rustworkx as rx

    nodes = list(g)
    index = {n: i for i, n in enumerate(nodes)}
    h = rx.PyGraph()
    h.add_nodes_from(nodes)
    h.add_edges_from_no_data([(index[a], index[b]) for a, b in g.edges()])
    out = rx.graph_betweenness_centrality(h, normalized=True, parallel_threshold=50)
    return {nodes[i]: v for i, v in out.items()}


def _nk_graph(g: nx.Graph) -> tuple[Any, list[str]]:
    import networkit as nk

    nodes = list(g)
    index = {n: i for i, n in enumerate(nodes)}
    h = nk.Graph(len(nodes))
    for a, b in g.edges():
        h.addEdge(index[a], index[b])
    return h, nodes


def _nk_scale(n: int) -> float:
    # NetworKit's normalised undirected score already matches NetworkX's (checked on the karate club).
    return 1.0


def _nk_exact(g: nx.Graph) -> dict:
    import networkit as nk

    h, nodes = _nk_graph(g)
    b = nk.centrality.Betweenness(h, normalized=True)
    b.run()
    return {nodes[i]: v * _nk_scale(len(nodes)) for i, v in enumerate(b.scores())}


def _nk_sampled(k: int) -> Callable[[nx.Graph], dict]:
    def run(g: nx.Graph) -> dict:
        import networkit as nk

        nk.engineering.setSeed(0, False)
        h, nodes = _nk_graph(g)
        b = nk.centrality.EstimateBetweenness(h, k, True, True)
        b.run()
        return {nodes[i]: v * _nk_scale(len(nodes)) for i, v in enumerate(b.scores())}
    return run


def _ig(g: nx.Graph) -> dict:
    import igraph as ig

    nodes = list(g)
    index = {n: i for i, n in enumerate(nodes)}
    h = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in g.edges()])
    n = len(nodes)
    scale = 2.0 / ((n - 1) * (n - 2))
    return {nodes[i]: v * scale for i, v in enumerate(h.betweenness(directed=False))}


def _ours(k: int | None) -> Callable[[nx.Graph], dict]:
    from collabgraph.views.analytics import betweenness

    return lambda g: betweenness(g, k=k, seed=0)


def methods(big: bool, exact: bool = True) -> list[tuple[str, str | None, Callable[[nx.Graph], dict]]]:
    out: list[tuple[str, str | None, Callable[[nx.Graph], dict]]] = []
    if not big:
        out.append(("NetworkX exact", None, lambda g: nx.betweenness_centrality(g, normalized=True)))
        out.append(("collabgraph exact (numpy/scipy Brandes)", None, _ours(None)))
    out += [("NetworkX k=500 (before)", None, _nx_sampled(500)),
            ("NetworkX k=100", None, _nx_sampled(100))]
    out += [(f"collabgraph k={k} (numpy/scipy, NetworkX's sources)", None, _ours(k))
            for k in (100, 200, 500, 1000, 2000)]
    if exact:
        out += [("rustworkx exact (Rust, 2 threads)", "rustworkx", _rx),
                ("networkit exact (C++, OpenMP)", "networkit", _nk_exact)]
    out.append(("networkit k=500 (C++)", "networkit", _nk_sampled(500)))
    if exact:
        out.append(("igraph exact (C)", "igraph", _ig))
    return out


def _installed(name: str | None) -> bool:
    if name is None:
        return True
    try:
        __import__(name)
        return True
    except ImportError:
        return False


def top(scores: dict, n: int = 20) -> list[str]:
    return sorted(scores, key=lambda x: (-round(scores[x], 12), x))[:n]


def compare(g: nx.Graph, big: bool, exact: bool = True) -> None:
    print(f"\n### {'speed' if big else 'accuracy'}: {len(g):,} agents, {g.number_of_edges():,} edges\n")
    print("| method | wall s | CPU s | top 20 shared with reference | largest score error |")
    print("|---|---|---|---|---|")
    reference, runs = None, methods(big, exact)
    if big and not exact:  # no exact score here: the largest sample is the reference
        runs.sort(key=lambda run: "k=2000" not in run[0])
        reference_label = runs[0][0]
    for label, package, f in runs:
        if not _installed(package):
            print(f"| {label} | not installed | | | |")
            continue
        t, c = time.perf_counter(), time.process_time()
        s = f(g)
        took, cpu = time.perf_counter() - t, time.process_time() - c
        if reference is None and ("exact" in label or (big and not exact and label == reference_label)):
            reference = s
        if reference is None:
            shared, err = "", ""
        else:
            shared = f"{len(set(top(s)) & set(top(reference)))}/20"
            err = f"{max(abs(s[n] - reference[n]) for n in g):.2e}"
        print(f"| {label} | {took:.2f} | {cpu:.2f} | {shared} | {err} |", flush=True)


def louvain(g: nx.Graph) -> None:
    print(f"\n### Louvain: {len(g):,} agents\n")
    print("| method | wall s | CPU s | communities | modularity |")
    print("|---|---|---|---|---|")
    runs: list[tuple[str, str | None, Callable[[], list]]] = [
        ("NetworkX louvain_communities(seed=0)", None,
         lambda: nx.community.louvain_communities(g, weight="weight", seed=0))]

    def nk_plm() -> list:
        import networkit as nk

        nk.engineering.setSeed(0, False)
        nk.engineering.setNumberOfThreads(1)
        nodes = list(g)
        index = {n: i for i, n in enumerate(nodes)}
        h = nk.Graph(len(nodes), weighted=True)
        for a, b, d in g.edges(data=True):
            h.addEdge(index[a], index[b], d.get("weight", 1))
        plm = nk.community.PLM(h, refine=False)
        plm.run()
        part = plm.getPartition()
        groups: dict[int, set] = {}
        for i, c in enumerate(part.getVector()):
            groups.setdefault(c, set()).add(nodes[i])
        return list(groups.values())

    def ig_multilevel() -> list:
        import random

        import igraph as ig

        random.seed(0)
        nodes = list(g)
        index = {n: i for i, n in enumerate(nodes)}
        h = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in g.edges()])
        h.es["weight"] = [d.get("weight", 1) for *_, d in g.edges(data=True)]
        return [{nodes[i] for i in c} for c in h.community_multilevel(weights="weight")]

    runs += [("networkit PLM (1 thread, seeded)", "networkit", nk_plm),
             ("igraph community_multilevel", "igraph", ig_multilevel)]
    for label, package, f in runs:
        if not _installed(package):
            print(f"| {label} | not installed | | | |")
            continue
        t, c = time.perf_counter(), time.process_time()
        parts = f()
        took, cpu = time.perf_counter() - t, time.process_time() - c
        q = nx.community.modularity(g, parts, weight="weight")
        print(f"| {label} | {took:.2f} | {cpu:.2f} | {len(parts)} | {q:.4f} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--accuracy", help="A build of a few thousand agents (NetworkX exact is the reference).")
    ap.add_argument("--speed", help="A big build (1M triples).")
    ap.add_argument("--exact-at-speed", action="store_true",
                    help="Also time the compiled exact betweenness on the big build (minutes each).")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", file=sys.stderr)
    if args.accuracy:
        compare(load(args.accuracy), big=False)
    if args.speed:
        g = load(args.speed)
        compare(g, big=True, exact=args.exact_at_speed)
        louvain(g)
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
