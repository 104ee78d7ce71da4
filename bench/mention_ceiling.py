"""Where the mentions behind recall are lost (issue 20): for each gold credit and membership of a
split, are both sides found as mentions in one sentence, in the article but only in different
sentences, or is one side not found at all, and then what kind of words name it?

The surface strings of a gold side are its ``links`` keys (for ``id:`` sides) or its name (for ``new:``
sides); the mentions are the ones the extractors are given (the name finder's output), keyed as
``bench/ingest_eval.py`` keys them. Per split and pooled::

    nice .venv/bin/python bench/mention_ceiling.py bench/eval/articles/dev bench/eval/articles/test \\
        bench/eval/articles/holdout bench/eval/articles/holdout2 /work/eval-real2 /work/eval-real3

``--verbose`` prints every fact that is not in one sentence, with its class.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from ingest_eval import _gold_key, _key, analysed, article_graph  # noqa: E402

#: Common nouns a text uses for a work or a group instead of its name ("the drama", "the track").
DESCRIPTIONS = re.compile(
    r"\b(?:the|this|that|its|their|his|her|new|latest)\s+(?:\w+\s+)?(?:song|track|single|film|movie|drama|series|"
    r"show|album|ep|mini-album|record|ost|soundtrack|video|mv|programme|program|project|collaboration|"
    r"group|band|duo|trio|unit|act|quartet|septet|boy\s+group|girl\s+group|variety|release|number|tune|"
    r"ballad|anthem|documentary|musical|production|sitcom|season|episode|k-drama|title\s+track)\b", re.I)
PRONOUNS = re.compile(r"\b(?:he|she|they|him|his|her|hers|them|their|it|its)\b", re.I)
CLASSES = ("one sentence", "different sentences: the work by 'it' there", "different sentences: the work or group described there",
           "different sentences: the person by a pronoun there", "different sentences: by nothing", "not found: title without quotes",
           "not found: quoted title", "not found: description or nothing", "not found: surname or short name",
           "not found: pronoun", "not found: in a list or credit block", "not found: name not tagged",
           "not found: found with another key")


def _surfaces(side: str, links: dict[str, str]) -> list[str]:
    out = [s for s, v in links.items() if v == side]
    return sorted(set(out), key=len, reverse=True)


def _in_block(text: str, pos: int) -> bool:
    """The line holding ``pos`` is a list item or a credit line ("Lyrics: A, B")."""
    ls = text.rfind("\n", 0, pos) + 1
    le = text.find("\n", pos)
    line = text[ls:le if le >= 0 else len(text)]
    return bool(re.match(r"\s*(?:[-*•–—]|\d+[.)])\s", line)) or bool(re.match(r"\s*[\w /&-]{2,30}:\s", line)) \
        or line.count(",") >= 3 or line.count("|") >= 1


def _classify_missing(side: str, surfaces: list[str], text: str, mentions: list, other_sents: list[str],
                      work_side: bool) -> str:
    found = [(m.start(), s) for s in surfaces for m in re.finditer(re.escape(s), text, re.I)]
    if found:
        pos, s = min(found)
        if any(m.start < pos + len(s) and pos < m.end for m in mentions):
            return "not found: found with another key"
        if _in_block(text, pos):
            return "not found: in a list or credit block"
        before = text[max(0, pos - 1):pos]
        if work_side:
            return "not found: quoted title" if before in "“\"‘'«" and before else "not found: title without quotes"
        return "not found: name not tagged"
    words = [w for s in surfaces for w in re.split(r"[\s-]+", s) if len(w) >= 2 and w[:1].isupper()]
    if not work_side and any(re.search(rf"\b{re.escape(w)}\b", text) for w in words):
        return "not found: surname or short name"
    if not work_side and any(PRONOUNS.search(s) for s in other_sents):
        return "not found: pronoun"
    return "not found: description or nothing"


def _classify_apart(kind: str, a: str, b: str, sents: list, by_sent: list[set]) -> str:
    """Both sides found, never in one sentence: how a sentence naming one side refers to the other."""
    with_a = [s for (s, _, _), k in zip(sents, by_sent) if a in k]
    with_b = [s for (s, _, _), k in zip(sents, by_sent) if b in k]
    if kind == "credit" and any(re.match(r"[\"“‘]?It\b", s) for s in with_a):
        return "different sentences: the work by 'it' there"
    if any(DESCRIPTIONS.search(s) for s in with_a):
        return "different sentences: the work or group described there"
    if any(re.search(r"\b(?:he|she|they|him|them)\b", s, re.I) for s in with_b):
        return "different sentences: the person by a pronoun there"
    return "different sentences: by nothing"


def classify(corpus: Path, work: Path) -> list[tuple[str, str, str, tuple]]:
    """``(article, kind, class, fact)`` for every gold credit and membership of the folder."""
    out = []
    for gold_file in sorted(corpus.glob("*.json")):
        gold = json.loads(gold_file.read_text("utf-8"))
        if "credits" not in gold:
            continue
        _, seen = analysed(gold_file, gold, article_graph(corpus, work / corpus.name / gold_file.stem))
        stored, sents, mentions = seen[0]
        links = {k: _gold_key(v) for k, v in gold.get("links", {}).items() if v}
        for x in gold["credits"] + gold.get("memberships", []):  # a new side's own words are a surface
            links.update({v[4:]: _gold_key(v) for v in x.values() if isinstance(v, str) and v.startswith("new:")})
        by_sent = [{_key(m) for m in mentions if ss <= m.start and m.end <= se} for _, ss, se in sents]
        keys = {_key(m) for m in mentions}
        facts = {("credit", _gold_key(x["agent"]), _gold_key(x["work"])) for x in gold["credits"]}
        facts |= {("membership", _gold_key(x["member"]), _gold_key(x["group"])) for x in gold.get("memberships", [])}
        for kind, a, b in sorted(facts):
            if any(a in k and b in k for k in by_sent):
                cls = "one sentence"
            elif a in keys and b in keys:
                cls = _classify_apart(kind, a, b, sents, by_sent)
            else:
                side, work_side = (b, kind == "credit") if a in keys else (a, False)
                other = a if side == b else b
                other_sents = [s for (s, _, _), k in zip(sents, by_sent) if other in k]
                cls = _classify_missing(side, _surfaces(side, links), stored, mentions, other_sents, work_side)
            out.append((gold_file.stem, kind, cls, (a, b)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="+", type=Path)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mention-ceiling-"))
    try:
        tables: dict[str, Counter] = {}
        for c in args.corpora:
            rows = classify(c, work)
            tables[c.name] = Counter(r[2] for r in rows)
            if args.verbose:
                for art, kind, cls, fact in rows:
                    if cls != "one sentence":
                        print(f"{c.name}\t{art}\t{kind}\t{cls}\t{fact[0]}\t{fact[1]}", file=sys.stderr)
        tables["pooled"] = sum(tables.values(), Counter())
        names = list(tables)
        print("| class | " + " | ".join(names) + " |")
        print("|---|" + "---:|" * len(names))
        for cls in CLASSES:
            print(f"| {cls} | " + " | ".join(
                f"{tables[n][cls]} ({tables[n][cls] / max(sum(tables[n].values()), 1):.0%})" for n in names) + " |")
        print("| gold credits and memberships | " + " | ".join(str(sum(tables[n].values())) for n in names) + " |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
