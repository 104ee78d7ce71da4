"""Seconds per ingested article on a graph, with the names kept between ingests
and without (issue 20: "ingest of one article <= 3 s on a 1M-triple build,
model loading counted once").

Each graph is copied to a temporary folder, the model is loaded once, then
every article is ingested in a row (its file name as its title, so each is a
new article), first with :meth:`KnownNames.forget` before every ingest (the
graph read again each time: the path before the cache) and then with the
names kept. ``--dump`` writes every report (mentions, candidates) as JSON, to
compare two versions of the code (``--src`` runs another checkout's
``src/``: with code older than the cache, both passes read the graph again).

``--processes`` runs each ingest in a new Python process instead, as
``collabgraph ingest article.txt`` once per article does: the model load is
timed apart from the ingest, and the processes share one cache folder
(``XDG_CACHE_HOME``), empty before the first, so the first process fills it
and the later ones find it; ``--src`` compares the code before it, in the
same run.

    .venv/bin/python bench/ingest_speed.py --graph graph --graph /tmp/h20s/graph \\
        docs/examples/summer-letters.txt bench/eval/articles/dev/0[1-4]*.txt
    .venv/bin/python bench/ingest_speed.py --processes --src /tmp/before/src --graph /tmp/h20s/graph \\
        docs/examples/summer-letters.txt bench/eval/articles/dev/0[1-4]*.txt
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def report_json(report: object) -> dict:
    """What an ingest found, without the temporary paths."""
    return {"mentions": [dataclasses.asdict(m) for m in report.mentions],  # type: ignore[attr-defined]
            "candidates": [dataclasses.asdict(c) for c in report.candidates],  # type: ignore[attr-defined]
            "added": report.added, "kept": report.kept}  # type: ignore[attr-defined]


def run(graph: Path, articles: list[Path], cached: bool) -> tuple[list[float], list[dict]]:
    from collabgraph.ingest import article as art

    forget = getattr(art.KnownNames, "forget", None)
    times, reports = [], []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "graph"
        shutil.copytree(graph, work)
        shutil.rmtree(work / "articles", ignore_errors=True)
        if forget:
            forget()
        for path in articles:
            if forget and not cached:
                forget()
            start = time.perf_counter()
            report = art.ingest(path, work, published="2024-06-01", title=path.stem)
            times.append(time.perf_counter() - start)
            reports.append(report_json(report))
    return times, reports


def one(article: Path, work: Path) -> None:
    """In a new process: load the model, ingest one article, print both times and the report (JSON)."""
    start = time.perf_counter()
    from collabgraph.ingest import article as art
    from collabgraph.ingest.parse import nlp

    nlp()
    model = time.perf_counter() - start
    start = time.perf_counter()
    report = art.ingest(article, work, published="2024-06-01", title=article.stem)
    took = time.perf_counter() - start
    print(json.dumps({"model": model, "ingest": took, "report": report_json(report)}, default=str))


def run_processes(graph: Path, articles: list[Path], src: Path | None) -> tuple[list[float], list[float], list[dict]]:
    """Each article ingested by a new process, in a row, into one copy of ``graph``
    with one cache folder: (model load, ingest) seconds and the reports."""
    models, times, reports = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "graph"
        shutil.copytree(graph, work)
        shutil.rmtree(work / "articles", ignore_errors=True)
        env = dict(os.environ, XDG_CACHE_HOME=str(Path(tmp) / "cache"))
        if src:
            env["PYTHONPATH"] = str(src.resolve())
        for path in articles:
            out = subprocess.run([sys.executable, __file__, "--one", str(path), "--graph", str(work), str(path)],
                                 env=env, check=True, capture_output=True, text=True).stdout
            got = json.loads(out.strip().splitlines()[-1])
            models.append(got["model"])
            times.append(got["ingest"])
            reports.append(got["report"])
    return models, times, reports


def processes(args: argparse.Namespace) -> None:
    dump = {}
    for graph in args.graph:
        for name, src in (("before", args.src), ("now", None)) if args.src else (("now", None),):
            models, times, reports = run_processes(graph, args.articles, src)
            print(f"{graph}: {name}, a new process per article: ingest " + ", ".join(f"{t:.2f}" for t in times)
                  + f" s (first {times[0]:.2f} s, later median {statistics.median(times[1:] or times):.2f} s,"
                  f" max {max(times[1:] or times):.2f} s); model load median {statistics.median(models):.2f} s")
            dump[f"{graph}|{name}"] = reports
        if args.src and dump[f"{graph}|before"] != dump[f"{graph}|now"]:
            print(f"{graph}: THE REPORTS DIFFER")
    if args.dump:
        args.dump.write_text(json.dumps(dump, indent=1, sort_keys=True, default=str))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles", nargs="+", type=Path)
    ap.add_argument("--graph", action="append", type=Path, required=True, help="a graph directory (repeatable)")
    ap.add_argument("--src", type=Path, help="run the collabgraph of this src/ folder instead")
    ap.add_argument("--dump", type=Path, help="write every report as JSON here")
    ap.add_argument("--no-uncached", action="store_true", help="only the pass with the names kept")
    ap.add_argument("--processes", action="store_true", help="a new process per article (see above)")
    ap.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        return one(args.one, args.graph[0])
    if args.processes:
        return processes(args)
    if args.src:
        sys.path.insert(0, str(args.src.resolve()))
    import collabgraph
    from collabgraph.ingest.parse import nlp

    print(f"collabgraph from {Path(collabgraph.__file__).parent}")
    start = time.perf_counter()
    nlp()
    print(f"model loaded in {time.perf_counter() - start:.2f} s")
    dump = {}
    for graph in args.graph:
        row = {}
        for cached in ([True] if args.no_uncached else [False, True]):
            times, reports = run(graph, args.articles, cached)
            name = "kept" if cached else "read each time"
            row[name] = statistics.median(times)
            print(f"{graph}: names {name}: " + ", ".join(f"{t:.2f}" for t in times)
                  + f" s per article (median {row[name]:.2f} s, first {times[0]:.2f} s,"
                  f" later max {max(times[1:] or times):.2f} s)")
            dump[f"{graph}|{name}"] = reports
        if len(row) == 2:
            print(f"{graph}: median read-each-time / kept = {row['read each time'] / row['kept']:.1f}x")
        if len(row) == 2 and dump[f"{graph}|kept"] != dump[f"{graph}|read each time"]:
            print(f"{graph}: THE TWO PASSES DIFFER")
    if args.dump:
        args.dump.write_text(json.dumps(dump, indent=1, sort_keys=True, default=str))


if __name__ == "__main__":
    main()
