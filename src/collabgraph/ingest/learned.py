"""A learned reader: a logistic regression over candidate pairs of mentions in a sentence.

Each sentence's pairs (agent mention, work mention) and (member, group) are
described by features of spaCy's parse (the lemmas and dependency labels on
the path between the two, the verbs of the sentence, the words next to
either, their types, distance, coordination, apposition, negation and hedge
cues, a credit-block label such as ``Director:``), and a multiclass logistic
regression (each role of the vocabulary, membership, or none) gives each pair
a probability per class. A pair becomes a candidate (rule ``learned``) only
when a class's probability is at or above the threshold stored with the
weights, which was chosen on the training articles for precision (see
``bench/learned_reader.py``); its score is that probability mapped to
``[0.5, 1]`` so review ranks it like the rules' candidates.

The reader only proposes: its candidates quote their sentence with offsets,
go through the same checks and review as every other extractor's, and it
links nothing (its slots are the mentions the article's name finder made).
It is held to what the rules decided (:mod:`.vetoes`): a pair they read
stays theirs, and what they deny, hedge or refuse it does not propose
(a hedge: only marked ``+hedged``, below the threshold). ``ingest`` runs it
by default.

The weights file (``learned_weights.json`` beside this module) holds the class
names, single feature names, their weights and the threshold: numbers and
words, no sentence of any article. Loading it takes milliseconds (numpy).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from .candidates import Article, Candidate, Mention
from .parsewords import NOUN_ROLES, VERB_ROLES, mention_kind
from .spacyparse import Parsed, parse_sentences
from .vetoes import head_of as _head, path_between as _path, tokens_of as _tokens

__all__ = ["LearnedExtractor", "Model", "load_model", "sentence_pairs", "WEIGHTS", "NONE", "MEMBER"]

#: The shipped weights (retrain with ``bench/learned_reader.py train``).
WEIGHTS = Path(__file__).with_name("learned_weights.json")
#: The class of a pair that states nothing, and of a member and their group.
NONE, MEMBER = "none", "member"

_HEDGES = {"deny", "rumour", "rumor", "rumoured", "rumored", "reportedly", "allegedly", "speculate", "speculation",
           "reject", "not", "never", "neither", "nor", "no", "unconfirmed", "may", "might", "could", "would",
           "expect", "plan", "hope", "wish", "want", "dream", "turn", "decline", "instead", "cancel",
           "replace", "originally", "almost", "nearly", "earlier", "former", "previously"}
_LABEL = re.compile(r"^\s*[•·*▪►-]?\s*([A-Za-z][A-Za-z /&-]{1,30}?)\s*[:：]")
_GROUPS = {"Group", "MusicGroup", "Band", "Agent", None}


def _bucket(n: int) -> str:
    return "0" if n <= 0 else "1-2" if n <= 2 else "3-5" if n <= 5 else "6-10" if n <= 10 else "11+"


def pair_features(p: Parsed, sent: str, ss: int, a: Mention, b: Mention, kind: str,
                  inside: set[int], ms: list[Mention]) -> list[str]:
    """The features of the pair ``a`` (agent or member), ``b`` (work or group) in one sentence.

    ``inside``: the token indices that belong to some mention (their words are
    names, never features)."""
    ta, tb = _tokens(p, ss, a), _tokens(p, ss, b)
    ha, hb = _head(ta), _head(tb)
    f = [f"k={kind}", f"at={a.type}", f"bt={b.type}", f"order={'ab' if a.start < b.start else 'ba'}"]
    f += [f"alink={a.link is not None}", f"blink={b.link is not None}", f"bdesc={b.method == 'description'}"]
    if ha is None or hb is None:
        return f + ["nohead"]
    lo, hi = sorted((ha.i, hb.i))
    f.append(f"dist={_bucket(hi - lo - 1)}")
    between = [t for t in p.doc[lo + 1:hi] if t.i not in inside]
    f.append(f"nbetween={_bucket(sum(1 for m in ms if min(a.end, b.end) <= m.start and m.end <= max(a.start, b.start)))}")
    if hi - lo <= 12:
        f += [f"btw={t.lemma_.lower()}" for t in between if not t.is_punct or t.text in ",(:;—–"]
    up_a, up_b, lca = _path(ha, hb)
    deps = [t.dep_ for t in up_a] + ["^" + (lca.lemma_.lower() if lca.i not in inside else "<M>")] + \
           [t.dep_ for t in reversed(up_b)]
    f.append("path=" + (">".join(deps) if len(deps) <= 7 else "long"))  # a long path is one of a kind
    f.append(f"plen={_bucket(len(up_a) + len(up_b))}")
    f.append(f"adep={ha.dep_}")
    f.append(f"bdep={hb.dep_}")
    f.append(f"adep_bdep={ha.dep_}|{hb.dep_}")
    for t in up_a[1:] + up_b[1:] + [lca]:
        if t.i not in inside:
            f.append(f"plem={t.lemma_.lower()}")
            if t.pos_ in ("VERB", "AUX"):
                f.append(f"pverb={t.lemma_.lower()}")
    if lca.i not in inside:
        f.append(f"lca={lca.lemma_.lower()}|{lca.pos_}")
    if any(t.dep_ == "appos" for t in up_a + up_b):
        f.append("appos")
    if any(t.dep_ == "conj" for t in up_a + up_b):
        f.append("conj_on_path")
    if ha.dep_ == "conj" or any(c.dep_ == "conj" for c in ha.children):
        f.append("a_coord")
    if hb.dep_ == "conj" or any(c.dep_ == "conj" for c in hb.children):
        f.append("b_coord")
    if (ha.dep_ == "pobj" and ha.head.lower_ == "by") or any(t.dep_ == "agent" for t in up_a):
        f.append("a_by")
    if any(t.dep_ == "nsubjpass" for t in up_b):
        f.append("b_passive_subj")
    for side, toks in (("a", ta), ("b", tb)):
        first, last = toks[0].i, toks[-1].i
        for off, k in ((-2, first - 2), (-1, first - 1), (1, last + 1), (2, last + 2)):
            if 0 <= k < len(p.doc) and k not in inside:
                f.append(f"{side}{off:+d}={p.doc[k].lemma_.lower()}")
        for k in range(max(0, first - 4), min(len(p.doc), last + 5)):
            lem = p.doc[k].lemma_.lower()
            if k not in inside and (lem in NOUN_ROLES or lem in VERB_ROLES):
                f.append(f"{side}_role={lem}")
    for t in p.doc:
        if t.i in inside:
            continue
        lem = t.lemma_.lower()
        if t.pos_ in ("VERB",):
            f.append(f"sverb={lem}")
        if lem in _HEDGES or t.dep_ == "neg":
            f.append(f"cue={lem}")
    label = _LABEL.match(sent)
    if label and len(label.group(1).split()) <= 3:  # "Director:", "Executive producer:", not a sentence
        f.append(f"label={label.group(1).split()[-1].lower()}")
        colon = ss + label.end()
        f.append(f"label_side={'a_after' if a.start >= colon else 'a_before'}")
    if a.start > ss and sent[a.start - ss - 1:a.start - ss] in "“\"‘'":
        f.append("a_quoted")
    if b.start > ss and sent[b.start - ss - 1:b.start - ss] in "“\"‘'":
        f.append("b_quoted")
    return f


def sentence_pairs(text: str, sents: list[tuple[str, int, int]],
                   mentions: list[Mention]) -> list[tuple[int, str, Mention, Mention, list[str]]]:
    """Every candidate pair of every sentence: ``(sentence index, kind, a, b, features)``,
    ``kind`` ``credit`` (a agent, b work) or ``membership`` (a member, b group)."""
    out = []
    parsed = parse_sentences(sents, mentions)
    for i, (p, (sent, ss, se)) in enumerate(zip(parsed, sents)):
        ms = [m for m in mentions if ss <= m.start and m.end <= se]
        if len(ms) < 2:
            continue
        inside = {t.i for m in ms for t in _tokens(p, ss, m)}
        for a in ms:
            ka = mention_kind(a)
            if ka not in ("agent", "unknown"):
                continue
            for b in ms:
                if b is a or (a.start < b.end and b.start < a.end) or a.text == b.text:
                    continue
                kb = mention_kind(b)
                if kb in ("work", "unknown"):
                    out.append((i, "credit", a, b, pair_features(p, sent, ss, a, b, "credit", inside, ms)))
                if kb in ("agent", "unknown") and a.type in ("Person", None, "Agent") and b.type in _GROUPS:
                    out.append((i, "membership", a, b, pair_features(p, sent, ss, a, b, "membership", inside, ms)))
    return out


class Model:
    """A multiclass logistic regression over binary features."""

    def __init__(self, labels: list[str], features: list[str], weights: Any, bias: Any, threshold: float):
        import numpy as np

        self.labels, self.threshold = list(labels), float(threshold)
        self.index = {name: k for k, name in enumerate(features)}
        self.weights = np.asarray(weights, dtype=float)
        self.bias = np.asarray(bias, dtype=float)

    def probabilities(self, feats: list[str], kind: str) -> dict[str, float]:
        """Each class's probability for a pair of ``kind`` (credit: the roles and none;
        membership: member and none)."""
        import numpy as np

        idx = sorted({self.index[f] for f in feats if f in self.index})
        z = self.bias + (self.weights[idx].sum(axis=0) if idx else 0.0)
        allowed = np.array([(lab == MEMBER) == (kind == "membership") or lab == NONE for lab in self.labels])
        z = np.where(allowed, z, -math.inf)
        z = np.exp(z - z.max())
        p = z / z.sum()
        return {lab: float(v) for lab, v in zip(self.labels, p) if allowed[self.labels.index(lab)]}

    def to_dict(self) -> dict[str, Any]:
        names = sorted(self.index, key=self.index.__getitem__)
        return {"labels": self.labels, "threshold": self.threshold, "bias": [round(x, 5) for x in self.bias],
                "features": names, "weights": [[round(float(x), 5) for x in row] for row in self.weights]}


_MODELS: dict[str, Model] = {}


def load_model(path: str | Path | None = None) -> Model:
    """The model in ``path`` (default :data:`WEIGHTS`), read once per process.

    :raises SourceError: when the file is missing or not a weights file."""
    from ..core.errors import SourceError

    path = Path(path or WEIGHTS)
    key = str(path.resolve())
    if key not in _MODELS:
        try:
            d = json.loads(path.read_text("utf-8"))
            _MODELS[key] = Model(d["labels"], d["features"], d["weights"], d["bias"], d["threshold"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SourceError(f"{path}: not a learned reader's weights file ({exc.__class__.__name__}: {exc})") \
                from None
    return _MODELS[key]


class LearnedExtractor:
    """Candidates from the learned model (see the module): proposed, never linked.

    :param weights: a weights file (default: the shipped one).
    :param threshold: overrides the file's threshold."""

    name = "learned"

    def __init__(self, weights: str | Path | None = None, threshold: float | None = None):
        self.weights, self.threshold = weights, threshold

    def candidates(self, article: Article, text: str, sents: list[tuple[str, int, int]],
                   mentions: list[Mention], context: Any) -> list[Candidate]:
        model = load_model(self.weights)
        thr = model.threshold if self.threshold is None else self.threshold
        out = []
        for i, kind, a, b, feats in sentence_pairs(text, sents, mentions):
            sent, ss, se = sents[i]
            for label, p in model.probabilities(feats, kind).items():
                if label == NONE or p < thr:
                    continue
                score = round(0.5 + 0.5 * (p - thr) / (1 - thr) if thr < 1 else 0.5, 3)
                if kind == "credit":
                    out.append(Candidate.make(article, kind="credit", rule="learned", sentence=sent, start=ss, end=se,
                                              slots={"agent": a, "work": b}, role=label, score=score))
                else:
                    out.append(Candidate.make(article, kind="membership", rule="learned", sentence=sent, start=ss,
                                              end=se, slots={"member": a, "group": b}, score=score))
        return out
