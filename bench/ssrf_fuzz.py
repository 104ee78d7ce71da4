"""Fuzz the SERVICE/LOAD checks (issue 18): can any generated query text make
collabgraph send a request?

    .venv/bin/python bench/ssrf_fuzz.py                      # 100,000 in-process + 2,000 over HTTP
    .venv/bin/python bench/ssrf_fuzz.py --cases 5000 --http 200

1. In-process, through the library (``Store.query`` / ``Store.update``, the
   path of the API and the CLI): each case is checked and, unless refused,
   run by the engine on an in-memory store. A local recorder (an HTTP server
   on 127.0.0.1) is the endpoint of every SERVICE and LOAD the texts name.
2. A sample of the refused cases is run by bare pyoxigraph (no check): how
   many would really have sent a request (the fuzzer makes real attacks).
3. A sample through a real default ``collabgraph serve`` (GET, form POST,
   direct POST) and updates through ``serve --writable``.

Prints the counts; recorder hits past the checks must be 0. The machine is
shared: read the counts, not the seconds.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

import pyoxigraph as ox  # noqa: E402

from collabgraph.core.errors import CollabGraphError  # noqa: E402
from collabgraph.core.namespaces import PREFIXES  # noqa: E402
from collabgraph.core.sparqlguard import OutgoingRefused  # noqa: E402
from collabgraph.store.local import Store  # noqa: E402
from tests.fuzz_sparql import case  # noqa: E402
from tests.test_server_hostile import Recorder  # noqa: E402


def in_process(n: int, seed: int, recorder: Recorder) -> dict[str, int]:
    rng = random.Random(seed)
    store = Store.memory()
    counts = {"cases": 0, "refused": 0, "other errors": 0, "ran": 0}
    refused_sample: list[tuple[str, bool]] = []
    for i in range(n):
        update = i % 4 == 3
        text = case(recorder.base, rng, update=update)
        counts["cases"] += 1
        try:
            if update:
                store.update(text)
            else:
                result = store.query(text)
                if not isinstance(result, ox.QueryBoolean):
                    list(result)
            counts["ran"] += 1
        except OutgoingRefused:
            counts["refused"] += 1
            if len(refused_sample) < 2000 and rng.random() < 0.1:
                refused_sample.append((text, update))
        except (CollabGraphError, SyntaxError, OSError, RuntimeError, ValueError):
            counts["other errors"] += 1
    counts["recorder hits"] = len(recorder.requests)
    # How many of the refused would have sent a request: bare pyoxigraph, no check.
    before = len(recorder.requests)
    bare = ox.Store()
    real = 0
    for text, update in refused_sample:
        hits = len(recorder.requests)
        try:
            if update:
                bare.update(text, prefixes=PREFIXES)
            else:
                result = bare.query(text, prefixes=PREFIXES)
                if not isinstance(result, ox.QueryBoolean):
                    list(result)
        except (SyntaxError, OSError, RuntimeError, ValueError):
            pass
        real += len(recorder.requests) > hits
    del recorder.requests[before:]
    counts["refused sample run bare"] = len(refused_sample)
    counts["of which sent a request"] = real
    return counts


def over_http(n: int, seed: int, recorder: Recorder) -> dict[str, int]:
    from collabgraph import build
    from tests.conftest import ONTOLOGY
    from tests.layout import lay_out
    from tests.test_server import http, start

    rng = random.Random(seed)
    counts = {"http cases": 0, "http refused (403)": 0, "http other": 0, "http 200/204": 0}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "build"
        build(lay_out(Path(tmp)), ONTOLOGY, out)
        proc, base = start(out)
        wproc, wbase = start(out, "--writable")
        try:
            for i in range(n):
                update = i % 4 == 3
                text = case(recorder.base, rng, update=update)
                how = i % 3
                target = wbase if update else base
                key = "update" if update else "query"
                if how == 0 and not update:
                    status, _, _ = http(f"{target}/sparql?{urllib.parse.urlencode({key: text})}")
                elif how == 1:
                    status, _, _ = http(f"{target}/sparql", data=urllib.parse.urlencode({key: text}).encode(),
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})
                else:
                    status, _, _ = http(f"{target}/sparql", data=text.encode(),
                                        headers={"Content-Type": f"application/sparql-{key}"})
                counts["http cases"] += 1
                if status == 403:
                    counts["http refused (403)"] += 1
                elif status in (200, 204):
                    counts["http 200/204"] += 1
                else:
                    counts["http other"] += 1
        finally:
            for p in (proc, wproc):
                p.terminate()
                p.wait(10)
    counts["http recorder hits"] = len(recorder.requests)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--http", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    recorder = Recorder(b"<https://e/fetched> <https://e/p> \"SECRET\" .\n")
    try:
        t = time.perf_counter()
        counts = in_process(args.cases, args.seed, recorder)
        counts["in-process seconds"] = round(time.perf_counter() - t)
        if args.http:
            t = time.perf_counter()
            counts.update(over_http(args.http, args.seed + 1, recorder))
            counts["http seconds"] = round(time.perf_counter() - t)
    finally:
        recorder.close()
    width = max(map(len, counts))
    for key, value in counts.items():
        print(f"{key:<{width}}  {value:,}")
    leaked = counts["recorder hits"] + counts.get("http recorder hits", 0)
    print("PASS: no request reached the recorder" if not leaked else f"FAIL: {leaked} requests reached the recorder")
    sys.exit(1 if leaked else 0)


if __name__ == "__main__":
    main()
