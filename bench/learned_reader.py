"""Train the learned reader (src/collabgraph/ingest/learned.py) and estimate how well it
generalises by leave-one-split-out over the seen evaluation splits.

    # the four written splits (texts in the repo) and the two real ones (texts outside it)
    .venv/bin/python bench/learned_reader.py loo --text real2=/work/eval-real2 --text real3=/work/eval-real3
    .venv/bin/python bench/learned_reader.py train --text real2=/work/eval-real2 --text real3=/work/eval-real3

A split NAME has its gold files and ``known-eval.ttl`` in bench/eval/articles/NAME and its
texts there too, or in the folder ``--text NAME=DIR`` gives (the real articles' texts are
never in the repository). Each split is assembled into a scratch folder (``--work``).

Labels are distant: a pair of mentions in one sentence (agent, work) is a positive for a
role when the gold credits that agent with that role on that work; (member, group) when
the gold gives that membership; every other pair is ``none``. The threshold is chosen on
the training splits only: each of them is scored by a model trained on the others, and the
threshold is the lowest at which those pairs' predictions are right >= 85% of the time.

``loo --curve`` and ``loo --veto`` print, out of split, what the reader would add beyond the rules by
threshold, and what it would drop if it vetoed the rules' facts.

``loo`` trains on five splits, picks the threshold on those five, and scores the sixth
with ``bench/ingest_eval.py``'s corpus evaluation, the rules alone and the rules with the
learned reader, per relation kind; it prints a Markdown table. ``train`` trains on all
the splits and writes the shipped weights (numbers and single feature names only).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "bench")]

from ingest_eval import _gold_key, _key, _role, analysed, article_graph, evaluate_corpus  # noqa: E402

SPLITS = ("dev", "test", "holdout", "holdout2", "real2", "real3")
GOLD = ROOT / "bench" / "eval" / "articles"
PRECISION = 0.85


def assemble(name: str, texts: dict[str, Path], work: Path) -> Path:
    """The split as one folder: its gold files, known-eval.ttl and texts."""
    src = texts.get(name, GOLD / name)
    # a split whose gold is kept only beside its texts (real4b: real4 without the article re-created)
    gold = GOLD / name if (GOLD / name).is_dir() else src
    out = work / "corpora" / name
    if out.is_dir():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for g in sorted(gold.glob("*.json")):
        txt = src / g.with_suffix(".txt").name
        if not txt.is_file():
            raise SystemExit(f"{g}: no text {txt}")
        shutil.copy2(g, out / g.name)
        shutil.copy2(txt, out / txt.name)
    if (gold / "known-eval.ttl").is_file():
        shutil.copy2(gold / "known-eval.ttl", out / "known-eval.ttl")
    return out


def examples(corpus: Path, work: Path) -> list[dict]:
    """Every candidate pair of every article of a split, with its features and gold classes."""
    from collabgraph.ingest.learned import MEMBER, sentence_pairs

    out = []
    for gold_file in sorted(corpus.glob("*.json")):
        gold = json.loads(gold_file.read_text("utf-8"))
        got, seen = analysed(gold_file, gold, article_graph(corpus, work / "graphs" / corpus.name / gold_file.stem))
        by_rules: dict[tuple, set] = {}  # what the rules propose at the threshold, by the words of each side
        for c in got.candidates:
            if c.score >= 0.5 and c.kind in ("credit", "membership"):
                a, b = (c.slots["agent"], c.slots["work"]) if c.kind == "credit" else (c.slots["member"],
                                                                                       c.slots["group"])
                by_rules.setdefault((c.kind, a.start, a.end, b.start, b.end), set()).add(
                    _role(c.role) if c.kind == "credit" else MEMBER)
        credits: dict[tuple, set] = {}
        for x in gold.get("credits", []):
            credits.setdefault((_gold_key(x["agent"]), _gold_key(x["work"])), set()).add(_role(x["role"]))
        members = {(_gold_key(x["member"]), _gold_key(x["group"])) for x in gold.get("memberships", [])}
        for stored, sents, mentions in seen:
            for _, kind, a, b, feats in sentence_pairs(stored, sents, mentions):
                pair = (_key(a), _key(b))
                labels = sorted(credits.get(pair, ())) if kind == "credit" else ([MEMBER] if pair in members else [])
                out.append({"article": gold_file.stem, "kind": kind, "features": feats, "labels": labels or ["none"],
                            "pair": pair, "rules": sorted(by_rules.get((kind, a.start, a.end, b.start, b.end), ()))})
        gold_facts = len({(k, r) for k, roles in credits.items() for r in roles}) + len(members)
        out.append({"article": gold_file.stem, "gold_facts": gold_facts})
    return out


#: The L2 penalty of the regression (``--l2``).
L2 = 1e-3


def fit(rows: list[dict], *, epochs: int = 300, l2: float | None = None, min_count: int = 2) -> Any:
    """A multiclass logistic regression (Adam on the mean log loss with L2), numpy only."""
    import numpy as np

    from collabgraph.ingest.learned import MEMBER, NONE, Model

    counts: dict[str, int] = {}
    for r in rows:
        for f in set(r["features"]):
            counts[f] = counts.get(f, 0) + 1
    features = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: k for k, f in enumerate(features)}
    labels = [NONE, MEMBER] + sorted({lab for r in rows for lab in r["labels"]} - {NONE, MEMBER})
    lab_index = {lab: k for k, lab in enumerate(labels)}
    # one example per gold class of a pair (a pair may be both featured artist and appearance)
    xs, ys, kinds = [], [], []
    for r in rows:
        idx = sorted({index[f] for f in r["features"] if f in index}) or [0]
        for lab in r["labels"]:
            xs.append(idx)
            ys.append(lab_index[lab])
            kinds.append(r["kind"])
    from scipy.sparse import csr_matrix

    n, d, c = len(xs), len(features), len(labels)
    indptr = np.cumsum([0] + [len(x) for x in xs])
    x = csr_matrix((np.ones(indptr[-1]), np.concatenate([np.asarray(i) for i in xs]), indptr), shape=(n, d))
    xt = x.T.tocsr()
    y = np.zeros((n, c))
    y[np.arange(n), ys] = 1
    mask = np.array([[(lab == MEMBER) == (k == "membership") or lab == NONE for lab in labels] for k in kinds])
    w = np.zeros((d, c))
    b = np.zeros(c)
    m_w, v_w, m_b, v_b = (np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b))
    lr, beta1, beta2 = 0.05, 0.9, 0.999
    l2 = L2 if l2 is None else l2
    for step in range(1, epochs + 1):
        z = np.where(mask, x @ w + b, -1e9)
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - y) / n
        gw = xt @ g + l2 * w
        gb = g.sum(axis=0)
        for param, grad, m_, v_ in ((w, gw, m_w, v_w), (b, gb, m_b, v_b)):
            m_ *= beta1
            m_ += (1 - beta1) * grad
            v_ *= beta2
            v_ += (1 - beta2) * grad * grad
            param -= lr * (m_ / (1 - beta1 ** step)) / (np.sqrt(v_ / (1 - beta2 ** step)) + 1e-8)
    return Model(labels, features, w, b, threshold=0.5)


#: What the threshold's precision is measured on (``--criterion``): ``all`` the reader's predictions,
#: ``added`` only those the rules do not make already (what it adds).
CRITERION = "all"


def predictions(model: Any, rows: list[dict]) -> list[tuple[float, bool]]:
    """(probability, right) of each class other than none a pair is given (at any probability); with
    the criterion ``added``, only those the rules do not already propose for it."""
    from collabgraph.ingest.learned import NONE

    out = []
    for r in rows:
        for lab, p in model.probabilities(r["features"], r["kind"]).items():
            if lab != NONE and p >= 0.05 and (CRITERION == "all" or lab not in r.get("rules", ())):
                out.append((p, lab in r["labels"]))
    return out


def choose_threshold(by_split: dict[str, list[dict]], **kw: Any) -> tuple[float, float, int]:
    """The lowest threshold at which the out-of-split predictions (see :data:`CRITERION`) are
    >= 85% right: each split scored by a model trained on the others. Returns (threshold,
    precision, count)."""
    scored: list[tuple[float, bool]] = []
    for held in by_split:
        model = fit([r for s, rows in by_split.items() if s != held for r in rows], **kw)
        scored += predictions(model, by_split[held])
    for thr in [x / 100 for x in range(30, 100, 2)]:
        kept = [right for p, right in scored if p >= thr]
        if len(kept) >= 5 and sum(kept) / len(kept) >= PRECISION:
            return thr, sum(kept) / len(kept), len(kept)
    return 0.999, 0.0, 0


def curve(by_split: dict[str, list[dict]], pos: dict, ruled: dict) -> None:
    """Out-of-split: at each threshold, how many facts the learned reader adds beyond the rules, how many of
    them are right, and what share of the paired facts the rules miss that is."""
    scored: list[tuple[float, bool, tuple]] = []
    from collabgraph.ingest.learned import NONE

    for held, rows in by_split.items():
        model = fit([r for s, rr in by_split.items() if s != held for r in rr])
        for r in rows:
            for lab, p in model.probabilities(r["features"], r["kind"]).items():
                if lab != NONE and p >= 0.05 and lab not in r.get("rules", ()):
                    scored.append((p, lab in r["labels"], (held, r["article"], r["pair"], lab)))
    missed = sum(len(pos[s] - ruled[s]) for s in by_split)
    for thr in [x / 100 for x in range(10, 100, 5)]:
        kept = {k: right for p, right, k in scored if p >= thr}
        right = sum(kept.values())
        print(f"threshold {thr:.2f}: adds {len(kept)} facts, {right} right ({right / max(len(kept), 1):.0%}); "
              f"{right} of the {missed} paired facts the rules miss")


def veto(by_split: dict[str, list[dict]]) -> None:
    """Out-of-split: the rules' facts the model gives a low probability, right and wrong (the reader used as a
    filter of the rules instead of a source of new facts)."""
    scored = []
    for held, rows in by_split.items():
        model = fit([r for s, rr in by_split.items() if s != held for r in rr])
        for r in rows:
            p = model.probabilities(r["features"], r["kind"])
            scored += [(p.get(lab, 0.0), lab in r["labels"]) for lab in r.get("rules", ())]
    print(f"the rules' facts with a pair: {len(scored)}, {sum(x for _, x in scored)} right")
    for t in (0.02, 0.05, 0.1, 0.2, 0.3):
        drop = [x for p, x in scored if p < t]
        print(f"veto below {t}: drops {len(drop)}: {sum(drop)} right, {len(drop) - sum(drop)} wrong")


def save(model: Any, path: Path, trained_on: list[str], precision: float) -> None:
    d = model.to_dict()
    d = {"about": "collabgraph learned reader: logistic regression weights (bench/learned_reader.py)",
         "trained_on": trained_on, "threshold_precision_on_training": round(precision, 3), **d}
    path.write_text(json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")


def _rows(result: dict) -> dict[str, tuple]:
    return {r[0]: r for r in result["rows"]}


def loo(splits: list[str], by_split: dict[str, list[dict]], corpora: dict[str, Path], work: Path) -> str:
    from collabgraph.ingest import learned

    lines = ["| held-out split | relation | rules: P | rules: R | rules+learned: P | rules+learned: R | "
             "wrong links (rules / +learned) | threshold (training P) |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    totals: dict[str, list[int]] = {}
    for held in splits:
        train = {s: by_split[s] for s in splits if s != held}
        thr, prec, _ = choose_threshold(train)
        model = fit([r for rows in train.values() for r in rows])
        model.threshold = thr
        path = work / f"weights-without-{held}.json"
        save(model, path, sorted(train), prec)
        learned.WEIGHTS = path  # the reader reads this fold's weights
        learned._MODELS.clear()
        base = _rows(evaluate_corpus(corpora[held], work=work / "eval" / f"{held}-rules", reader="rules"))
        plus = _rows(evaluate_corpus(corpora[held], work=work / "eval" / f"{held}-learned", reader="learned"))
        for kind in sorted(set(base) | set(plus)):
            zero = (kind, 0, 0, 0, 1.0, 1.0, 0)
            b, p = base.get(kind, zero), plus.get(kind, zero)
            for k, v in enumerate((b[1], b[2], b[3], p[1], p[2], p[3], b[6], p[6])):
                totals.setdefault(kind, [0] * 8)[k] += v
            if kind in ("credits (all roles)", "memberships"):
                lines.append(f"| {held} | {kind} | {b[4]:.0%} | {b[5]:.0%} | {p[4]:.0%} | {p[5]:.0%} | "
                             f"{b[6]} / {p[6]} | {thr:.2f} ({prec:.0%}) |")
        print(f"{held}: threshold {thr:.2f}; " + "; ".join(
            f"{k} rules {base.get(k, (0,) * 7)[1:4]} +learned {plus.get(k, (0,) * 7)[1:4]}"
            for k in ("credits (all roles)", "memberships")), file=sys.stderr, flush=True)

    def pr(tp: int, fp: int, fn: int) -> str:
        return f"{tp} / {fp} / {fn} = {tp / (tp + fp) if tp + fp else 1:.0%} / {tp / (tp + fn) if tp + fn else 1:.0%}"

    lines += ["", "| relation, all six held-out splits pooled | rules: right / wrong / missed = P / R | "
              "rules+learned | wrong links |", "|---|---:|---:|---:|"]
    order = sorted(totals, key=lambda k: (not k.startswith("credits ("), not k.startswith("credits"), k))
    for kind in order:
        t = totals[kind]
        lines.append(f"| {kind} | {pr(*t[:3])} | {pr(*t[3:6])} | {t[6]} / {t[7]} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=("loo", "train"))
    ap.add_argument("--text", action="append", default=[], metavar="NAME=DIR",
                    help="where a split's article texts are (default: beside its gold files)")
    ap.add_argument("--splits", default=",".join(SPLITS), help="comma-separated split names")
    ap.add_argument("--work", type=Path, help="scratch folder (default: a new temporary one)")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "collabgraph" / "ingest" / "learned_weights.json")
    ap.add_argument("--reuse", action="store_true", help="reuse the pairs a run before kept in --work")
    ap.add_argument("--curve", action="store_true", help="print the out-of-split precision and recall of what the "
                    "learned reader adds, by threshold, and stop")
    ap.add_argument("--criterion", choices=("all", "added"), default=CRITERION,
                    help="the threshold's precision on all the reader's predictions (default) or only on those "
                         "the rules do not make (what it adds)")
    ap.add_argument("--veto", action="store_true", help="print what a veto of the rules' facts by the model "
                    "would drop, right and wrong, out of split, and stop")
    ap.add_argument("--drop", default="", metavar="PREFIX,...",
                    help="leave out the features starting with these (sverb=,btw=: an ablation)")
    ap.add_argument("--l2", type=float, default=L2, help="the regression's L2 penalty")
    args = ap.parse_args()
    globals().update(L2=args.l2, CRITERION=args.criterion)
    texts = {k: Path(v) for k, v in (t.split("=", 1) for t in args.text)}
    splits = args.splits.split(",")
    work = Path(args.work or tempfile.mkdtemp(prefix="learned-reader-"))
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    corpora = {s: assemble(s, texts, work) for s in splits}
    every = {}
    for s in splits:  # the pairs of a split, kept in the scratch folder for the next run (--reuse)
        cached = work / f"pairs-{s}.json"
        if args.reuse and cached.is_file():
            every[s] = json.loads(cached.read_text("utf-8"))
        else:
            every[s] = examples(corpora[s], work)
            cached.write_text(json.dumps(every[s]), "utf-8")
        for r in every[s]:
            if "pair" in r:
                r["pair"] = tuple(r["pair"])
    pos = {s: {(r["article"], r.get("pair"), lab) for r in rows if "kind" in r for lab in r["labels"] if lab != "none"}
           for s, rows in every.items()}
    ruled = {s: {(r["article"], r.get("pair"), lab) for r in rows if "kind" in r for lab in r["labels"]
                 if lab in r["rules"]} for s, rows in every.items()}
    for s in splits:
        print(f"{s}: {len(pos[s] - ruled[s])} of {len(pos[s])} paired gold facts not proposed by the rules in "
              "that sentence (what the learned reader can add)", file=sys.stderr, flush=True)
    drop = tuple(x for x in args.drop.split(",") if x)  # feature families left out (an ablation)
    by_split = {s: [dict(r, features=[f for f in r["features"] if not f.startswith(drop)]) if drop else r
                    for r in rows if "kind" in r] for s, rows in every.items()}
    for s, rows in every.items():  # the ceiling: gold facts some pair of one sentence stands for
        facts = sum(r["gold_facts"] for r in rows if "gold_facts" in r)
        paired = len({(r["article"], r["pair"], lab) for r in by_split[s] for lab in r["labels"] if lab != "none"})
        print(f"{s}: {paired} of {facts} gold credits and memberships have a pair in one sentence "
              f"(the ceiling of a reader of pairs: {paired / max(facts, 1):.0%})", file=sys.stderr, flush=True)
    print("pairs: " + ", ".join(f"{s} {len(r)} ({sum(x['labels'] != ['none'] for x in r)} positive)"
                                 for s, r in by_split.items()) + f"; {time.perf_counter() - t0:.0f} s",
          file=sys.stderr, flush=True)
    if args.curve:
        curve(by_split, pos, ruled)
        return
    if args.veto:
        veto(by_split)
        return
    if args.command == "train":
        thr, prec, n = choose_threshold(by_split)
        model = fit([r for rows in by_split.values() for r in rows])
        model.threshold = thr
        save(model, args.out, splits, prec)
        print(f"wrote {args.out}: {len(model.index)} features, {len(model.labels)} classes, threshold {thr:.2f} "
              f"(out-of-split precision {prec:.0%} on {n} predictions)")
    else:
        print(loo(splits, by_split, corpora, work))


if __name__ == "__main__":
    main()
