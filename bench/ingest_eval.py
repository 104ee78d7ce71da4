"""How well `collabgraph ingest` reads articles: precision and recall of its
candidates on the project's own evaluation set (tests/data/articles/), and how
many of the hand-written article file's credits it proposes from the source
article itself, with the same sentence.

    .venv/bin/python bench/ingest_eval.py            # print, and write docs/benchmarks.md
    .venv/bin/python bench/ingest_eval.py --no-docs  # print only
    .venv/bin/python bench/ingest_eval.py --corpus DIR [--verbose]  # another set of articles; print only
    .venv/bin/python bench/ingest_eval.py --corpus DIR --reader rules    # the rules alone (the default reads as ingest does)

A corpus folder holds NN-name.txt articles, each with its gold NN-name.json in
the same format, and optionally known-eval.ttl: extra entities the graph knows
(the graph is the bundled article files plus that file). ``--corpus`` reports
precision, recall and wrong automatic links per relation kind: credits by role,
memberships, dates and links. A wrong automatic link is a mention linked with
no person's word (by a name, alias or description) to an entity other than the
one its gold ``links`` give (``null`` or ``new:``: any link is wrong); a fact
counts one when one of its slots is such a mention. The roles ``lyricist`` and
``songwriter`` count as one (the vocabulary's songwriter writes the words).
Dates are compared as days (the gold files record release days): a year or a
month found ("in 2023", "in March 2024") is not counted either way.

Each evaluation article NN-name.txt has a gold file NN-name.json: the credits
(agent, work, role), memberships, dates and entity links it states. Entities
are CURIEs of the graph (the bundled article files plus tests/data/articles/
known.ttl) or ``new:Name`` for names the graph does not know. Only candidates
at or above the default threshold count. A mention with a fuzzy suggestion
counts as its first suggestion for credits and memberships (a person confirms
it in review), never as a link.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from collabgraph.core.names import search_key  # noqa: E402
from collabgraph.core.namespaces import curie  # noqa: E402
from collabgraph.ingest.article import DEFAULT_THRESHOLD, ingest  # noqa: E402
from collabgraph.ingest.candidates import Mention  # noqa: E402
from collabgraph.ingest.text import sentences  # noqa: E402

DATA = ROOT / "tests" / "data" / "articles"
ARTICLE = ROOT.parent / "shared" / "sources" / "love-wins-all-article.txt"
HAND_WRITTEN = ROOT / "graph" / "love-wins-all-article.ttl"


def eval_graph(dest: Path) -> Path:
    """The evaluation graph: the bundled article files and the fictional names."""
    from tests.layout import lay_out

    graph = lay_out(dest)
    shutil.copy2(DATA / "known.ttl", graph / "known.ttl")
    return graph


def article_graph(corpus: Path, dest: Path) -> Path:
    """A fresh graph for one article of ``corpus``: the bundled files and the split's
    ``known-eval.ttl`` when it has one (one graph per article: nothing leaks between them)."""
    from tests.layout import lay_out

    graph = lay_out(dest)
    if (corpus / "known-eval.ttl").is_file():
        shutil.copy2(corpus / "known-eval.ttl", graph / "known-eval.ttl")
    return graph


class _Recorder:
    """An extractor that proposes nothing and keeps what the extractors are given."""

    name = "recorder"

    def __init__(self) -> None:
        self.seen: list[tuple] = []

    def candidates(self, article, text: str, sents: list, mentions: list, context) -> list:
        self.seen.append((text, sents, mentions))
        return []


def analysed(gold_file: Path, gold: dict, graph: Path) -> tuple:
    """The rule extractors' analysis of the article beside ``gold_file`` against ``graph``, and
    what the extractors were given: ``(analysis, [(stored text, sentences, mentions), ...])``."""
    import hashlib

    from collabgraph.ingest.article import Article, KnownNames, analyse, read_article
    from collabgraph.ingest.blocks import BlockExtractor
    from collabgraph.ingest.parse import ParseExtractor
    from collabgraph.ingest.patterns import PatternExtractor

    text, _, _ = read_article(gold_file.with_suffix(".txt"))
    article = Article(gold_file.stem, hashlib.sha256(text.encode()).hexdigest(), title=gold.get("title"),
                      published=gold.get("published"))
    rec = _Recorder()
    got = analyse(text, article, KnownNames.cached(graph),
                  extractors=[PatternExtractor(), ParseExtractor(), BlockExtractor(), rec])
    return got, rec.seen


def _key(m: Mention, *, suggest: bool = True) -> str:
    if m.link:
        return curie(m.link)
    if m.method == "description" and m.label and not m.suggestions:  # "the group" after a new name
        return "new:" + search_key(m.label)
    if suggest and m.suggestions:
        return curie(m.suggestions[0][0])
    return "new:" + search_key(m.text)


def _gold_key(value: str) -> str:
    return "new:" + search_key(value[4:]) if value.startswith("new:") else value


class Tally:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, found: set, gold: set) -> None:
        self.tp += len(found & gold)
        self.fp += len(found - gold)
        self.fn += len(gold - found)

    def row(self, name: str) -> tuple:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return name, self.tp, self.fp, self.fn, p, r


def evaluate(threshold: float = DEFAULT_THRESHOLD, work: Path | None = None) -> dict:
    """Precision and recall on every article of the evaluation set."""
    work = Path(work or tempfile.mkdtemp(prefix="ingest-eval-"))
    graph = eval_graph(work)
    kinds = ("credits", "memberships", "credits+memberships", "dates", "links")
    sets = {"tuning": {k: Tally() for k in kinds}, "heldout": {k: Tally() for k in kinds}}
    wrong_links: list[str] = []
    per_article = []
    for gold_file in sorted(DATA.glob("*.json")):
        gold = json.loads(gold_file.read_text("utf-8"))
        tallies = sets["heldout" if gold.get("heldout") else "tuning"]
        report = ingest(gold_file.with_suffix(".txt"), graph, title=gold.get("title"), published=gold.get("published"))
        text = (graph / "articles" / f"{report.article.id}.txt").read_text("utf-8")
        for c in report.candidates:  # every quote and mention is the stored text, exactly
            assert text[c.start:c.end] == c.sentence, c
            assert all(text[m.start:m.end] == m.text for m in c.slots.values()), c
        kept = [c for c in report.candidates if c.score >= threshold]
        credits = {(_key(c.slots["agent"]), _key(c.slots["work"]), _role(c.role)) for c in kept if c.kind == "credit"}
        members = {(_key(c.slots["member"]), _key(c.slots["group"])) for c in kept if c.kind == "membership"}
        dates = {(_key(c.slots.get("work") or c.slots["about"]), c.date) for c in kept
                 if c.kind in ("credit", "claim") and c.date}
        g_credits = {(_gold_key(x["agent"]), _gold_key(x["work"]), _gold_role(x["role"], gold_file)) for x in gold["credits"]}
        g_members = {(_gold_key(x["member"]), _gold_key(x["group"])) for x in gold["memberships"]}
        g_dates = {(_gold_key(x["work"]), x["date"]) for x in gold["dates"]}
        tallies["credits"].add(credits, g_credits)
        tallies["memberships"].add(members, g_members)
        tallies["credits+memberships"].add(credits | members, g_credits | g_members)
        tallies["dates"].add(dates, g_dates)
        links = {(m.text, curie(m.link)) for m in report.mentions if m.link and m.text in gold["links"]}
        g_links = {(t, v) for t, v in gold["links"].items() if v}
        tallies["links"].add(links, g_links)
        for text_, target in sorted(links - g_links):
            wrong_links.append(f"{gold_file.stem}: {text_!r} linked to {target}, gold {gold['links'][text_]}")
        per_article.append((gold_file.stem, len(credits - g_credits) + len(members - g_members),
                            len(g_credits - credits) + len(g_members - members),
                            sorted(map(str, (credits | members) - (g_credits | g_members))),
                            sorted(map(str, (g_credits | g_members) - (credits | members)))))
    return {"rows": [t.row(k) for k, t in sets["tuning"].items()],
            "heldout_rows": [t.row(k) for k, t in sets["heldout"].items()], "wrong_links": wrong_links,
            "articles": per_article, "threshold": threshold}


def hand_written_credits() -> list[tuple[str, str, str, list[str]]]:
    """(agent, work, role, quotes) of every credit in the hand-written article file."""
    import rdflib

    g = rdflib.Graph().parse(HAND_WRITTEN)
    q = """PREFIX cg: <https://w3id.org/collabgraph/ns#>
           SELECT ?c ?a ?w ?r (GROUP_CONCAT(?q; separator="\\u0001") AS ?qs)
           WHERE { ?c a cg:Credit ; cg:agent ?a ; cg:work ?w ; cg:role ?r ; cg:quote ?q } GROUP BY ?c ?a ?w ?r"""
    return [(curie(str(r.a)), curie(str(r.w)), str(r.r).rsplit("/", 1)[-1], str(r.qs).split("\u0001"))
            for r in g.query(q)]


def hand_written_names() -> dict[str, set[str]]:
    """CURIE -> the folded names the hand-written file gives the entity: its
    labels, aliases and the names its attestations quote (``cg:name``), never
    the descriptions they declare (``cg:mentionedAs``)."""
    import rdflib

    g = rdflib.Graph().parse(HAND_WRITTEN)
    q = """PREFIX cg: <https://w3id.org/collabgraph/ns#>
           PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
           PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
           SELECT ?e ?n WHERE { { ?e rdfs:label ?n } UNION { ?e skos:altLabel ?n }
                                UNION { ?a cg:attests ?e ; cg:name ?n } }"""
    names: dict[str, set[str]] = {}
    for r in g.query(q):
        names.setdefault(curie(str(r.e)), set()).add(search_key(str(r.n)))
    return names


def _same_entity(key: str, gold: str, names: dict[str, set[str]]) -> bool:
    """A candidate's slot names the hand-written entity: the same IRI, or a
    proposed new entity whose name folds to one of the entity's names."""
    return key == gold or (key.startswith("new:") and key[4:] in names.get(gold, set()))


def source_article(threshold: float = DEFAULT_THRESHOLD, work: Path | None = None) -> dict:
    """Ingest the source article into an empty graph and into the bundled one:
    how many hand-written credits are proposed with the same agent, work and
    role and a sentence holding one of their quotes (a new entity counts as a
    hand-written one when its name folds to one of that entity's names)."""
    from tests.layout import lay_out

    work = Path(work or tempfile.mkdtemp(prefix="ingest-source-"))
    hand = hand_written_credits()
    names = hand_written_names()
    out = {"hand_written": len(hand)}
    empty = work / "empty" / "graph"
    empty.mkdir(parents=True)
    for name, graph in (("empty", empty), ("bundled", lay_out(work / "bundled"))):
        report = ingest(ARTICLE, graph, published=None)
        kept = [c for c in report.candidates if c.kind == "credit" and c.score >= threshold]
        same = []
        pairs = 0
        for agent, work_, role, quotes in hand:
            here = [c for c in kept if any(q in c.sentence for q in quotes)]
            if here:
                pairs += 1
            if any(_same_entity(_key(c.slots["agent"]), agent, names) and c.role == role
                   and _same_entity(_key(c.slots["work"]), work_, names) for c in here):
                same.append((agent, work_, role))
        out[name] = {"credits_proposed": len(kept), "same_sentence": len(same), "matched": sorted(same),
                     "sentence_only": pairs, "mentions": len(report.mentions),
                     "linked": sum(1 for m in report.mentions if m.link),
                     "missed": sorted((a, w, r) for a, w, r, _ in hand if (a, w, r) not in same)}
    return out


def render(result: dict, source: dict) -> str:
    lines = [f"Default threshold: score >= {result['threshold']}. Reproduce: `.venv/bin/python bench/ingest_eval.py` "
             "(a few seconds). The evaluation set is tests/data/articles/: short articles the project wrote, "
             "with gold files (see bench/ingest_eval.py for how entities are compared). The rules were tuned on "
             "articles 01-06; articles 07-08 (gold `\"heldout\": true`) were written before that tuning and "
             "are counted apart. They are no longer quite unseen: their one miss (\"W, a romance film directed "
             "by A, the studio said\", an apposition the rules dropped) was looked at and fixed by a generic "
             "change (an apposition's own fact is read too), so their 100% is partly tuned.",
             "", "Tuning set (01-06):", "",
             "| what | found right | found wrong | missed | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
    for name, tp, fp, fn, p, r in result["rows"]:
        lines.append(f"| {name} | {tp} | {fp} | {fn} | {p:.0%} | {r:.0%} |")
    lines += ["", "Held-out set (07-08):", "",
              "| what | found right | found wrong | missed | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
    for name, tp, fp, fn, p, r in result["heldout_rows"]:
        lines.append(f"| {name} | {tp} | {fp} | {fn} | {p:.0%} | {r:.0%} |")
    lines.append("")
    lines.append(f"Automatic links to a wrong entity: {len(result['wrong_links'])}"
                 + ("" if not result["wrong_links"] else ": " + "; ".join(result["wrong_links"])) + ".")
    lines.append("")
    lines.append(f"The source article (`../shared/sources/love-wins-all-article.txt`, no publication date), "
                 f"against the {source['hand_written']} credits of graph/love-wins-all-article.ttl. A hand-written "
                 "credit counts when a candidate at the threshold has its role, a sentence holding one of its "
                 "quotes, and for agent and work either the same entity or a proposed new entity whose name "
                 "(folded: case, spaces, hyphens) is a label, alias or attested name of the hand-written one; "
                 "into the empty graph every entity is new, so only names can match. A description (\"the BTS "
                 "global star\") counts as the name it was resolved to.")
    lines.append("")
    lines.append("| graph | credits proposed | hand-written credits proposed (same agent, work, role, sentence) | "
                 "hand-written credits whose sentence has some credit | mentions (linked) |")
    lines.append("|---|---:|---:|---:|---:|")
    for name, label in (("empty", "empty (ontology only)"), ("bundled", "bundled graph/")):
        s = source[name]
        lines.append(f"| {label} | {s['credits_proposed']} | {s['same_sentence']} of {source['hand_written']} | "
                     f"{s['sentence_only']} | {s['mentions']} ({s['linked']}) |")
    lines += ["", "Hand-written credits not proposed into the empty graph: "
              + "; ".join(f"{a} {r} of {w}" for a, w, r in source["empty"]["missed"]) + "."]
    return "\n".join(lines)


#: Roles the scorer counts as the same (gold ``lyricist`` = the vocabulary's ``songwriter``).
ROLE_SAME = {"lyricist": "songwriter"}
AUTOMATIC = ("alias", "normalised", "description")


class KindTally(Tally):
    def __init__(self) -> None:
        super().__init__()
        self.wrong_links = 0

    def row(self, name: str) -> tuple:
        return super().row(name) + (self.wrong_links,)


def _role(role: str | None) -> str | None:
    return ROLE_SAME.get(role or "", role)


def _gold_role(role: str, gold_file: Path) -> str:
    """A gold file's role as the vocabulary's id: written by its id ("featuredArtist") or its label
    ("featured artist", as the help and the page write it); another word stops the run, naming the file."""
    from collabgraph.core.errors import CollabGraphError
    from collabgraph.ingest.review import role_id_of

    same = _role(role) or ""
    try:
        return same if same in ROLE_SAME.values() else role_id_of(same)
    except CollabGraphError as e:
        raise SystemExit(f"{gold_file}: {e}") from None


def evaluate_corpus(corpus: Path, threshold: float = DEFAULT_THRESHOLD, work: Path | None = None,
                    reader: str = "default") -> dict:
    """Precision, recall and wrong automatic links per relation kind on a
    folder of articles with gold files (see the module's docstring)."""
    corpus = Path(corpus)
    golds = sorted(corpus.glob("*.json"))
    if not golds:
        raise SystemExit(f"{corpus}: no NN-name.json gold files")
    work = Path(work or tempfile.mkdtemp(prefix="ingest-corpus-"))
    tallies: dict[str, KindTally] = {}
    per_article = []
    wrong: list[str] = []
    seconds: list[float] = []
    proposals: dict[tuple[str, str], bool] = {}
    unread = {"flagged": 0, "sentences": 0, "paired": 0, "in_flagged": 0}

    def tally(kind: str) -> KindTally:
        return tallies.setdefault(kind, KindTally())

    import time

    t0 = time.perf_counter()
    try:
        from collabgraph.ingest.parse import nlp
    except ImportError:  # a version before the parse (to compare with)
        pass
    else:
        nlp()  # the model loads once per process: timed apart from the articles
    load = time.perf_counter() - t0

    for gold_file in golds:
        gold = json.loads(gold_file.read_text("utf-8"))
        txt = gold_file.with_suffix(".txt")
        if not txt.is_file():
            raise SystemExit(f"{gold_file}: no article {txt.name} beside it")
        graph = article_graph(corpus, work / gold_file.stem)
        t0 = time.perf_counter()
        kw = {"reader": reader} if reader != "default" else {}  # "default": whatever the version evaluated reads with
        report = ingest(txt, graph, title=gold.get("title"), published=gold.get("published"), **kw)
        seconds.append(time.perf_counter() - t0)
        text = (graph / "articles" / f"{report.article.id}.txt").read_text("utf-8")
        gold_links = {t: v for t, v in gold.get("links", {}).items()}

        def bad(m: Mention) -> bool:
            """An automatic link the gold says is wrong."""
            if not m.link or m.method not in AUTOMATIC or m.text not in gold_links:
                return False
            want = gold_links[m.text]
            return want is None or want.startswith("new:") or want != curie(m.link)

        kept = [c for c in report.candidates if c.score >= threshold]
        for c in report.candidates:
            assert text[c.start:c.end] == c.sentence, c
        found: dict[str, dict] = {}
        for c in kept:
            if c.kind == "credit":
                fact = (_key(c.slots["agent"]), _key(c.slots["work"]), _role(c.role))
                found.setdefault(f"credits: {_role(c.role)}", {})[fact] = c
            elif c.kind == "membership":
                found.setdefault("memberships", {})[(_key(c.slots["member"]), _key(c.slots["group"]))] = c
            if c.kind in ("credit", "claim") and c.date and len(c.date) == 10:
                found.setdefault("dates", {})[(_key(c.slots.get("work") or c.slots["about"]), c.date)] = c
        expected: dict[str, set] = {}
        for x in gold.get("credits", []):
            role = _gold_role(x["role"], gold_file)
            expected.setdefault(f"credits: {role}", set()).add((_gold_key(x["agent"]), _gold_key(x["work"]), role))
        for x in gold.get("memberships", []):
            expected.setdefault("memberships", set()).add((_gold_key(x["member"]), _gold_key(x["group"])))
        for x in gold.get("dates", []):
            expected.setdefault("dates", set()).add((_gold_key(x["work"]), x["date"]))
        fp_all, fn_all = [], []
        for kind in sorted(set(found) | set(expected)):
            f, g = set(found.get(kind, {})), expected.get(kind, set())
            tally(kind).add(f, g)
            if kind.startswith("credits"):
                tally("credits (all roles)").add(f, g)
            for fact in f - g:
                c = found[kind][fact]
                if any(bad(m) for m in c.slots.values()):
                    tally(kind).wrong_links += 1
                    if kind.startswith("credits"):
                        tally("credits (all roles)").wrong_links += 1
            fp_all += [f"{kind} {fact}" for fact in sorted(f - g)]
            fn_all += [f"{kind} {fact}" for fact in sorted(g - f)]
        links = {(m.text, curie(m.link)) for m in report.mentions
                 if m.link and m.method in AUTOMATIC and m.text in gold_links}
        g_links = {(t, v) for t, v in gold_links.items() if v and not v.startswith("new:")}
        tally("links").add(links, g_links)
        for m in report.mentions:  # a known name alone: proposed for a person to confirm, not linked
            proposed = getattr(m, "proposed", None)
            if proposed and m.text in gold_links:
                proposals[(gold_file.stem, m.text)] = gold_links[m.text] == curie(proposed)
        for m in sorted({m for m in report.mentions if bad(m)}, key=lambda m: m.start):
            tally("links").wrong_links += 1
            wrong.append(f"{gold_file.stem}: {m.text!r} linked to {curie(m.link)} ({m.method}), "
                         f"gold {gold_links[m.text]}")
        per_article.append((gold_file.stem, len(fp_all), len(fn_all), fp_all, fn_all))
        # the sentences flagged for a person (named entities, no fact read), and the missed facts in them
        numbered = sentences(text)
        flagged = set(getattr(report, "unread", []) or [])
        unread["flagged"] += len(flagged)
        unread["sentences"] += len(numbered)

        def surfaces(value: str) -> list[str]:
            own = [value[4:]] if value.startswith("new:") else []
            return own + [t for t, v in gold_links.items() if v == value]

        def writing(value: str) -> set[int]:
            return {n for n, (sent, _, _) in enumerate(numbered, 1) for w in surfaces(value)
                    if w and re.search(rf"(?<!\w){re.escape(w)}(?!\w)", sent)}

        missed = [(x["agent"], x["work"]) for x in gold.get("credits", [])
                  if (_gold_key(x["agent"]), _gold_key(x["work"]), _gold_role(x["role"], gold_file))
                  not in set(found.get(f"credits: {_gold_role(x['role'], gold_file)}", {}))]
        missed += [(x["member"], x["group"]) for x in gold.get("memberships", [])
                   if (_gold_key(x["member"]), _gold_key(x["group"])) not in set(found.get("memberships", {}))]
        for a, b in missed:
            both = writing(a) & writing(b)
            if both:
                unread["paired"] += 1
                unread["in_flagged"] += bool(both & flagged)
    order = sorted(tallies, key=lambda k: (not k.startswith("credits ("), not k.startswith("credits"), k))
    return {"rows": [tallies[k].row(k) for k in order], "wrong_links": wrong, "articles": per_article,
            "threshold": threshold, "corpus": str(corpus), "count": len(golds), "seconds": seconds, "load": load,
            "proposed": (sum(proposals.values()), len(proposals) - sum(proposals.values())), "unread": unread}


def render_corpus(result: dict) -> str:
    secs = sorted(result["seconds"])
    lines = [f"Corpus {result['corpus']}: {result['count']} articles, threshold {result['threshold']}; "
             f"ingest per article on the bundled graph: median {secs[len(secs) // 2]:.2f} s, max {secs[-1]:.2f} s "
             f"(the model loaded once before, in {result['load']:.2f} s).",
             "", "| what | found right | found wrong | missed | precision | recall | wrong automatic links |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, tp, fp, fn, p, r, wl in result["rows"]:
        lines.append(f"| {name} | {tp} | {fp} | {fn} | {p:.0%} | {r:.0%} | {wl} |")
    facts = [r for r in result["rows"] if r[0] in ("credits (all roles)", "memberships", "dates")]
    tp, fp, fn = (sum(r[i] for r in facts) for i in (1, 2, 3))
    lines.append(f"| **facts (credits, memberships, dates)** | {tp} | {fp} | {fn} | "
                 f"{tp / (tp + fp) if tp + fp else 1:.0%} | {tp / (tp + fn) if tp + fn else 1:.0%} | "
                 f"{sum(r[6] for r in facts)} |")
    right, other = result.get("proposed", (0, 0))
    lines += ["", f"Known names proposed for a person to confirm (not linked: nothing else in the article backs "
                  f"them): {right + other}, of which the gold links {right} to the proposed entity and {other} "
                  f"to another or none."]
    u = result.get("unread")
    if u and u["sentences"]:
        lines += ["", f"Sentences flagged for a person (two or more names, one in no fact read; `review sentences --unread`): "
                      f"{u['flagged']} of {u['sentences']} ({u['flagged'] / u['sentences']:.0%}); of the "
                      f"{u['paired']} missed credits and memberships whose two sides one sentence writes, "
                      f"{u['in_flagged']} are in a flagged sentence."]
    lines += ["", f"Wrong automatic links: {len(result['wrong_links'])}"
              + ("" if not result["wrong_links"] else ": " + "; ".join(result["wrong_links"])) + "."]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    ap.add_argument("--no-docs", action="store_true", help="print only; leave docs/benchmarks.md alone")
    ap.add_argument("--verbose", action="store_true", help="list each article's wrong and missed facts")
    ap.add_argument("--corpus", type=Path, help="a folder of NN-name.txt articles with NN-name.json gold files "
                    "(and optionally known-eval.ttl); prints its figures per relation kind, writes no docs")
    ap.add_argument("--reader", choices=("default", "rules", "learned"), default="default",
                    help="with --corpus: the code's own default reader (default), the rules alone, or the rules and "
                         "the learned reader")
    args = ap.parse_args()
    if args.corpus:
        result = evaluate_corpus(args.corpus, args.threshold, reader=args.reader)
        print(render_corpus(result))
        if args.verbose:
            for name, fp, fn, wrong, missed in result["articles"]:
                print(f"\n{name}: {fp} wrong, {fn} missed")
                for w in wrong:
                    print("  wrong: ", w)
                for m in missed:
                    print("  missed:", m)
        return
    result = evaluate(args.threshold)
    source = source_article(args.threshold)
    text = render(result, source)
    print(text)
    if args.verbose:
        for name in ("empty", "bundled"):
            print(f"\nsource article into the {name} graph: matched {source[name]['matched']}")
            print(f"  missed {source[name]['missed']}")
        for name, fp, fn, wrong, missed in result["articles"]:
            print(f"\n{name}: {fp} wrong, {fn} missed")
            for w in wrong:
                print("  wrong: ", w)
            for m in missed:
                print("  missed:", m)
    if not args.no_docs:
        sys.path.insert(0, str(ROOT / "bench"))
        from doc import replace_section

        replace_section(args.out, "ingest", "## Ingest: candidates from articles against the evaluation set\n\n" + text)


if __name__ == "__main__":
    main()
