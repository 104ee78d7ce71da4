"""The streaming build's stages after validation, piece by piece (issue 23).

    python bench/streaming_pieces.py build GRAPH OUT     # a full streaming build with a timer on each piece
    python bench/streaming_pieces.py pairs STORE         # counted_pairs alone on a built store

Run it with the code to measure first on ``PYTHONPATH`` (``git archive`` of ``src/``), beside the
other version in the same minutes. ``build`` wraps the streaming module's and the summary's functions
(the names index, the spooled conclusions' loads, ``optimize()``, the counts, the pair counts, the
summary's queries) and prints one JSON line: the stage timings, each piece's wall and process CPU
seconds by the stage it ran in (``thread:`` for the rules' thread beside validation), the peak RSS
and the load average at the start and end.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path


def _cpu() -> float:
    return sum(os.times()[:2])


def _load() -> str:
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def pieces(graph: str, out: str) -> dict:
    from collabgraph.build import pipeline, sources, streaming
    from collabgraph.store import local
    from collabgraph.views import projections, toppairs
    from collabgraph.views import summary as vs

    events: list[tuple[str, bool, float, float, float]] = []

    def timed(owner, name: str, label: str | None = None) -> None:
        f = getattr(owner, name)

        def wrapper(*a, **k):
            t, c = time.perf_counter(), _cpu()
            try:
                return f(*a, **k)
            finally:
                events.append((label or name, threading.current_thread() is threading.main_thread(), t,
                               time.perf_counter(), _cpu() - c))
        setattr(owner, name, wrapper)

    class Engine:  # the pyoxigraph store, with optimize() timed
        def __init__(self, engine):
            self._e = engine

        def __getattr__(self, name):
            return getattr(self._e, name)

        def optimize(self):
            t, c = time.perf_counter(), _cpu()
            self._e.optimize()
            events.append(("optimize", True, t, time.perf_counter(), _cpu() - c))

    engine = local.Store.engine
    local.Store.engine = property(lambda self: Engine(engine.fget(self)))  # type: ignore[method-assign,assignment]
    for name in ("_write_names", "_infer_batches", "_infer_chunk", "_names_kept", "_spool_collaborations",
                 "_write_twice"):
        if hasattr(streaming, name):  # the pieces of the version on PYTHONPATH
            timed(streaming, name)
    timed(streaming._Writer, "text", "writer.text")
    timed(streaming._Writer, "terms", "writer.terms")
    timed(local.Store, "count", "store.count")
    timed(vs, "summary")
    timed(vs, "_run", "summary._run")
    timed(toppairs, "counted_pairs")
    timed(projections, "save_cache")
    laps: dict[str, float] = {}
    cpus: dict[str, float] = {}
    lap = sources.Clock.lap

    def timed_lap(self, stage: str) -> None:
        lap(self, stage)
        laps[stage], cpus[stage] = time.perf_counter(), _cpu()
    sources.Clock.lap = timed_lap  # type: ignore[method-assign]
    shutil.rmtree(out, ignore_errors=True)
    start_load, c0, t0 = _load(), _cpu(), time.perf_counter()
    report = pipeline.build(graph, out=out, incremental=False, streaming=True)
    result = {"wall": round(time.perf_counter() - t0, 1), "timings": report.timings, "inferred": report.inferred,
              "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
              "load": [start_load, _load()], "stage_cpu": {}, "pieces": {}}
    for stage in laps:
        result["stage_cpu"][stage] = round(cpus[stage] - c0, 1)
        c0 = cpus[stage]
    ordered = sorted(laps.items(), key=lambda x: x[1])
    for name, main, a, b, c in events:
        stage = "thread" if not main else next((s for s, end in ordered if b <= end + 1e-6), "?")
        wall, cpu = result["pieces"].get(f"{stage}:{name}", (0.0, 0.0))
        result["pieces"][f"{stage}:{name}"] = (round(wall + b - a, 2), round(cpu + c, 2))
    return result


def pairs(store_path: str) -> dict:
    from collabgraph.store.local import Store
    from collabgraph.views.toppairs import counted_pairs

    store = Store.open(store_path, read_only=True)
    start_load, t, c = _load(), time.perf_counter(), _cpu()
    with tempfile.TemporaryDirectory() as scratch:
        found, collaborations = counted_pairs(store, Path(scratch))
    return {"wall": round(time.perf_counter() - t, 2), "cpu": round(_cpu() - c, 2), "collaborations": collaborations,
            "pairs": len(found), "sha1": hashlib.sha1(json.dumps(found).encode()).hexdigest()[:12],
            "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "load": [start_load, _load()]}


if __name__ == "__main__":
    kind, *args = sys.argv[1:]
    print(json.dumps(pieces(*args) if kind == "build" else pairs(*args)))
