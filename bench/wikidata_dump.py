"""Write a synthetic Wikidata dump in the real dump format, for benchmarks and tests.

    python bench/wikidata_dump.py --entities 100000 --out /tmp/dump.json.gz

The format is Wikidata's: one JSON array, ``[`` alone on the first line, one
entity per line ending in ``,`` (the last without), ``]`` alone last;
compressed by the name's suffix (``.gz``, ``.bz2``, else plain). Entities are
people (P31 Q5), groups (P31 Q215380) with members (P527 with P580/P582
qualifiers) and songs (P31 Q7366) with performers (P175), each with labels,
descriptions and aliases in several languages, site links, a revision, and
references (P248 stated in, P854 reference URL, P813 retrieved) like real
statements. Item ids start at Q900000001 so they are told apart from real ones
at a glance; their statements refer to each other.

The file is written one entity at a time: memory stays flat at any size.
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

BASE = 900_000_000
LANGUAGES = ("en", "ko", "de", "fr", "ja")
#: not real items: synthetic "stated in" sources (ids above BASE, like the entities)
STATED_IN = [f"Q{BASE - 1 - i}" for i in range(5)]


def _item(qid: str) -> dict:
    return {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid}


def _time(year: int, month: int = 0, day: int = 0, precision: int = 11) -> dict:
    return {"time": f"+{year:04d}-{month:02d}-{day:02d}T00:00:00Z", "timezone": 0, "before": 0, "after": 0,
            "precision": precision, "calendarmodel": "http://www.wikidata.org/entity/Q1985727"}


def _snak(pid: str, datatype: str, value, vtype: str) -> dict:
    return {"snaktype": "value", "property": pid, "datatype": datatype,
            "datavalue": {"value": value, "type": vtype}}


def _reference(rng: random.Random, n: int) -> dict:
    snaks = {"P248": [_snak("P248", "wikibase-item", _item(rng.choice(STATED_IN)), "wikibase-entityid")],
             "P854": [_snak("P854", "url", f"https://example.org/source/{n}", "string")],
             "P813": [_snak("P813", "time", _time(2016, rng.randint(1, 12), rng.randint(1, 28)), "time")]}
    return {"hash": f"{n:040x}", "snaks": snaks, "snaks-order": list(snaks)}


def _statement(qid: str, n: int, snak: dict, rng: random.Random, qualifiers: dict | None = None,
               referenced: bool = True) -> dict:
    s = {"mainsnak": snak, "type": "statement", "id": f"{qid}${n:08X}-0000-4000-8000-{n:012X}", "rank": "normal"}
    if qualifiers:
        s["qualifiers"] = qualifiers
        s["qualifiers-order"] = list(qualifiers)
    if referenced:
        s["references"] = [_reference(rng, n)]
    return s


def entities(count: int, seed: int = 1) -> Iterator[dict]:
    """``count`` entities: 70% people, 10% groups, 20% songs (in that order
    within each block of ten, so groups and songs refer to people before them)."""
    rng = random.Random(seed)
    counter = 0
    for i in range(1, count + 1):
        qid = f"Q{BASE + i}"
        kind = ("person",) * 7 + ("group",) + ("song",) * 2
        kind = kind[(i - 1) % 10]
        name = f"{kind.title()} {i}"
        labels = {lang: {"language": lang, "value": f"{name} ({lang})" if lang != "en" else name}
                  for lang in LANGUAGES}
        descriptions = {lang: {"language": lang, "value": f"synthetic {kind} number {i} ({lang})"}
                        for lang in LANGUAGES[:3]}
        aliases = {"en": [{"language": "en", "value": f"{name} alias {k}"} for k in range(2)],
                   "ko": [{"language": "ko", "value": f"별칭 {i}"}]}
        claims: dict[str, list] = {}

        def add(pid: str, snak: dict, **kw) -> None:
            nonlocal counter
            counter += 1
            claims.setdefault(pid, []).append(_statement(qid, counter, snak, rng, **kw))

        people = [f"Q{BASE + j}" for j in range(max(1, i - 9), i) if (j - 1) % 10 < 7]
        if kind == "person":
            add("P31", _snak("P31", "wikibase-item", _item("Q5"), "wikibase-entityid"), referenced=False)
            add("P569", _snak("P569", "time", _time(rng.randint(1940, 2005), rng.randint(1, 12),
                                                    rng.randint(1, 28)), "time"))
            add("P106", _snak("P106", "wikibase-item", _item("Q177220"), "wikibase-entityid"))
        elif kind == "group":
            add("P31", _snak("P31", "wikibase-item", _item("Q215380"), "wikibase-entityid"), referenced=False)
            add("P571", _snak("P571", "time", _time(rng.randint(1960, 2020), precision=9), "time"))
            for member in people[:4]:
                start = rng.randint(1960, 2015)
                qualifiers = {"P580": [_snak("P580", "time", _time(start, rng.randint(1, 12), rng.randint(1, 28)),
                                             "time")]}
                if rng.random() < 0.3:
                    qualifiers["P582"] = [_snak("P582", "time", _time(start + rng.randint(1, 8), precision=9),
                                                "time")]
                add("P527", _snak("P527", "wikibase-item", _item(member), "wikibase-entityid"), qualifiers=qualifiers)
        else:
            add("P31", _snak("P31", "wikibase-item", _item("Q7366"), "wikibase-entityid"), referenced=False)
            add("P577", _snak("P577", "time", _time(rng.randint(1960, 2024), rng.randint(1, 12), 0, 10), "time"))
            for performer in rng.sample(people, min(len(people), rng.randint(1, 2))):
                add("P175", _snak("P175", "wikibase-item", _item(performer), "wikibase-entityid"))
        sitelinks = {f"{lang}wiki": {"site": f"{lang}wiki", "title": labels[lang]["value"], "badges": []}
                     for lang in LANGUAGES[:2]}
        yield {"type": "item", "id": qid, "labels": labels, "descriptions": descriptions, "aliases": aliases,
               "claims": claims, "sitelinks": sitelinks, "lastrevid": 1_000_000 + i,
               "modified": "2024-01-01T00:00:00Z", "pageid": i, "ns": 0, "title": qid}


def write_dump(path: Path, count: int, seed: int = 1) -> Path:
    """Write ``count`` entities to ``path`` in the dump format (one line each)."""
    name = str(path)
    opener = gzip.open if name.endswith(".gz") else bz2.open if name.endswith(".bz2") else open
    with opener(path, "wt", encoding="utf-8") as out:  # type: ignore[operator]
        out.write("[\n")
        for n, entity in enumerate(entities(count, seed), 1):
            out.write(json.dumps(entity, ensure_ascii=False, separators=(",", ":")))
            out.write(",\n" if n < count else "\n")
        out.write("]\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=100_000, help="how many entities (default 100000)")
    parser.add_argument("--out", type=Path, required=True, help="FILE.json, FILE.json.gz or FILE.json.bz2")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.entities < 1:
        parser.error("--entities must be at least 1")
    write_dump(args.out, args.entities, args.seed)
    print(f"wrote {args.entities} entities to {args.out} ({args.out.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
