"""Linking evaluation: how well imports decide who is who.

    .venv/bin/python bench/link_eval.py DIR [--json OUT] [--case NAME]

DIR holds case folders (or split folders of case folders: ``DIR/dev/<case>``).
A case is ``<case>/case.json`` and its input files::

    {"description": "...", "origin": "...",
     "steps": [{"kind": "csv" | "wikidata" | "musicbrainz", "file": "rows.csv", "mapping": "map.json"?}],
     "gold": {"<record ref>": "<entity key>"}, "ambiguous": ["<record ref>"]}

Record refs: ``rows.csv:LINE`` (the entity a CSV row is about; header = line 1),
``rows.csv:LINE:COLUMN`` (an entity named in that column), a QID, an MBID.
Entity keys: ``id:<x>`` (an entity of the bundled graph) or ``same:<label>``
(refs with the same label are one entity).

Each case runs in a temporary copy of the bundled ``graph/``: its steps are
imported in order with ``collabgraph import KIND FILE --format json`` (the
report's ``where`` says which entity every ref became). Reported per case and
per split:

- pair precision / recall of co-reference (pairs of refs put in one entity),
- wrong merges (pairs in one entity that gold says differ) and wrong links
  (refs linked to a bundled entity that is not theirs),
- ambiguous refs that got a suggestion instead of a link,
- refs the import did not report, and cases skipped (a raw CSV layout with no
  column mapping) or failed (the import refused a step).

Exit status: 0 when every case ran or was skipped or failed as reported; 2 on a
usage error (no such DIR, a case.json that does not parse).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SCRIPT = Path(sys.executable).with_name("collabgraph")
#: The command line the cases run (the installed script beside this Python, else ``python -m collabgraph``).
CLI_CMD = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "collabgraph"]


@dataclass
class Result:
    case: str
    status: str = "ok"           # ok, skipped: ..., failed: ...
    refs: int = 0
    found: int = 0
    gold_pairs: int = 0
    pred_pairs: int = 0
    true_pairs: int = 0
    wrong_merges: list = field(default_factory=list)   # (ref, ref)
    wrong_links: list = field(default_factory=list)    # (ref, got, gold)
    ambiguous: int = 0
    suggested: int = 0
    auto_linked: list = field(default_factory=list)
    missed: list = field(default_factory=list)         # (ref, ref) gold says one entity, the import made two

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


def bundled_entities() -> set[str]:
    sys.path.insert(0, str(ROOT / "src"))
    from collabgraph.importers.linkindex import GraphIndex

    index = GraphIndex.for_graph(ROOT / "graph", cache=False)
    return index.entities()


def _curie_to_iri(curie: str) -> str:
    return "https://w3id.org/collabgraph/id/" + curie[3:] if curie.startswith("id:") else curie


def _mapping_supported() -> bool:
    out = subprocess.run([*CLI_CMD, "import", "csv", "--help"], capture_output=True, text=True).stdout
    return "--mapping" in out


def run_case(case_dir: Path, bundled: set[str], mapping_ok: bool, keep: Path | None = None,
             mappings: Path | None = None) -> Result:
    spec = json.loads((case_dir / "case.json").read_text("utf-8"))
    gold: dict[str, str] = spec["gold"]
    ambiguous = set(spec.get("ambiguous", []))
    res = Result(case_dir.name, refs=len(gold), ambiguous=len(ambiguous))
    work = Path(tempfile.mkdtemp(prefix="link-eval-"))
    try:
        graph = work / "graph"
        shutil.copytree(ROOT / "graph", graph)
        env = dict(os.environ, XDG_CACHE_HOME=str(work / "cache"))
        where: dict[str, str] = {}
        suggested: set[str] = set()
        for step in spec["steps"]:
            cmd = [*CLI_CMD, "import", step["kind"], str(case_dir / step["file"]), "--graph", str(graph),
                   "--format", "json"]
            if step["kind"] in ("wikidata", "musicbrainz"):
                cmd.append("--offline")
            if step.get("mapping"):
                if not mapping_ok:
                    res.status = "skipped: needs mapping"
                    return res
                cmd += ["--mapping", str(case_dir / step["mapping"])]
            elif step["kind"] == "csv" and mapping_ok and mappings is not None:
                cmd += ["--mapping", str(mappings)]  # a folder: each file read through the mapping of its header
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=case_dir)
            if proc.returncode != 0:
                err = (proc.stderr.strip().splitlines() or ["?"])[-1]
                if step["kind"] == "csv" and ("unknown column" in err or "no mapping" in err.lower()):
                    res.status = "skipped: needs mapping"
                else:
                    res.status = f"failed: {step['file']}: {err[:60]}"
                return res
            report = json.loads(proc.stdout)
            for ref, curie in report.get("where", {}).items():
                where[ref] = _curie_to_iri(curie)
            for d in report.get("entities", []):
                refs = [*d.get("mentions", []), *(v.rpartition("/")[2] for v in d.get("identifiers", {}).values())]
                if d.get("suggestions") and d.get("method") == "new":
                    suggested.update(refs)
                else:
                    suggested.difference_update(refs)
        if keep is not None:
            shutil.copytree(graph, keep / case_dir.name, dirs_exist_ok=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    score(res, gold, ambiguous, where, suggested, bundled)
    return res


def score(res: Result, gold: dict, ambiguous: set, where: dict, suggested: set, bundled: set) -> None:
    found = {r: where[r] for r in gold if r in where}
    res.found = len(found)
    refs = sorted(gold)
    for a, b in combinations(refs, 2):
        same_gold = gold[a] == gold[b]
        same_pred = a in found and b in found and found[a] == found[b]
        res.gold_pairs += same_gold
        res.pred_pairs += same_pred
        res.true_pairs += same_gold and same_pred
        if same_pred and not same_gold:
            res.wrong_merges.append((a, b))
        if same_gold and not same_pred:
            res.missed.append((a, b))
    for r, iri in found.items():
        want = gold[r]
        if iri in bundled and want != "id:" + iri.rsplit("/", 1)[-1]:
            res.wrong_links.append((r, "id:" + iri.rsplit("/", 1)[-1], want))
    for r in sorted(ambiguous):
        if r in suggested:
            res.suggested += 1
        elif r in found:
            res.auto_linked.append(r)


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "-"


def table(split: str, results: list[Result]) -> str:
    head = ["case", "status", "refs", "found", "precision", "recall", "wrong merges", "wrong links",
            "ambiguous suggested"]
    rows = []
    for r in results:
        ok = r.status == "ok"
        rows.append([r.case, r.status, str(r.refs), str(r.found) if ok else "-",
                     _ratio(r.true_pairs, r.pred_pairs) if ok else "-", _ratio(r.true_pairs, r.gold_pairs) if ok else "-",
                     str(len(r.wrong_merges)) if ok else "-", str(len(r.wrong_links)) if ok else "-",
                     f"{r.suggested}/{r.ambiguous}" if ok else "-"])
    ran = [r for r in results if r.status == "ok"]
    tp, pp, gp = (sum(getattr(r, k) for r in ran) for k in ("true_pairs", "pred_pairs", "gold_pairs"))
    rows.append([f"ALL ({len(ran)} of {len(results)} ran)", "", str(sum(r.refs for r in ran)),
                 str(sum(r.found for r in ran)), _ratio(tp, pp), _ratio(tp, gp),
                 str(sum(len(r.wrong_merges) for r in ran)), str(sum(len(r.wrong_links) for r in ran)),
                 f"{sum(r.suggested for r in ran)}/{sum(r.ambiguous for r in ran)}"])
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    out = [f"## split: {split}", "", line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(row) for row in rows]
    return "\n".join(out)


def details(results: list[Result]) -> str:
    out = []
    for r in results:
        for a, b in r.wrong_merges:
            out.append(f"{r.case}: wrong merge {a} + {b}")
        for ref, got, want in r.wrong_links:
            out.append(f"{r.case}: wrong link {ref} -> {got} (gold {want})")
        for ref in r.auto_linked:
            out.append(f"{r.case}: ambiguous {ref} was linked without a suggestion")
        for a, b in r.missed:
            out.append(f"{r.case}: missed {a} = {b}")
    return "\n".join(out)


def splits(root: Path) -> dict[str, list[Path]]:
    cases = sorted(p for p in root.iterdir() if (p / "case.json").is_file())
    if cases:
        return {root.name: cases}
    out = {}
    for sub in sorted(p for p in root.iterdir() if p.is_dir()):
        found = sorted(p for p in sub.iterdir() if (p / "case.json").is_file())
        if found:
            out[sub.name] = found
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Score collabgraph's record linking on case folders "
                                             "(see the module docstring for the case format).")
    ap.add_argument("dir", type=Path, help="a split folder of cases, or a folder of split folders")
    ap.add_argument("--case", action="append", default=[], help="only this case (repeatable)")
    ap.add_argument("--json", type=Path, help="also write every result (with each wrong merge and link) here")
    ap.add_argument("--details", action="store_true", help="list each wrong merge, wrong link and linked ambiguous ref")
    ap.add_argument("--keep", type=Path, help="copy each case's final graph/ here (for a look)")
    ap.add_argument("--mappings", type=Path, default=ROOT / "tests" / "data" / "raw-csv" / "layouts",
                    help="a folder of CSV column mappings for raw layouts (given to `import csv --mapping` "
                         "when a step names none)  [default: tests/data/raw-csv/layouts]")
    args = ap.parse_args(argv)
    args.dir = args.dir.resolve()  # cases are imported from another working directory
    if not args.dir.is_dir():
        print(f"link_eval: {args.dir}: no such directory", file=sys.stderr)
        return 2
    found = splits(args.dir)
    if not found:
        print(f"link_eval: {args.dir}: no case folders (a case is a folder with case.json)", file=sys.stderr)
        return 2
    bundled = bundled_entities()
    mapping_ok = _mapping_supported()
    mappings = args.mappings if args.mappings and args.mappings.is_dir() else None
    print(f"mappings for raw CSV layouts: {mappings if mapping_ok and mappings else 'none'}\n")
    everything = {}
    for split, cases in found.items():
        results = []
        for case in cases:
            if args.case and case.name not in args.case:
                continue
            try:
                results.append(run_case(case, bundled, mapping_ok, args.keep, mappings))
            except (json.JSONDecodeError, KeyError) as exc:
                print(f"link_eval: {case / 'case.json'}: not a case: {exc}", file=sys.stderr)
                return 2
        print(table(split, results))
        more = details(results)
        if more and args.details:
            print("\n" + more)
        print()
        everything[split] = [r.to_dict() for r in results]
    if args.json:
        args.json.write_text(json.dumps(everything, indent=1, ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
