"""A synthetic collaboration graph in the project's own vocabulary, for
benchmarks and scale tests.

It looks like the real data, only larger:
- people and groups with English and Korean names and aliases;
- memberships of 2-7 people per group;
- works of every kind (singles and their music videos, songs, K-dramas with
  characters, talk shows, web series, videos, posts) with release dates;
- a power-law number of credits per agent (a few agents have hundreds, most
  have one to three), with preferential attachment on works, so popular works
  gather many agents;
- roles that fit each work type.

Every fact has a source document and a quote, and the result passes
``collabgraph validate``. Output is deterministic for a given seed. It is
split into one Turtle file per synthetic source document of about 1,000
agents (~50,000 triples). Each agent is about 50 triples, so ``--agents 20000``
gives about a million.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     stats = generate(40, pathlib.Path(d), seed=7)
...     stats.agents, stats.files, stats.triples > 1000
(40, 1, True)
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from ..core.namespaces import turtle_prologue
from ..core.durable import output_file, writing

__all__ = ["generate", "article", "GenerateStats", "AGENTS_PER_FILE"]

AGENTS_PER_FILE = 1000

_SURNAMES = [("Kim", "김"), ("Lee", "이"), ("Park", "박"), ("Choi", "최"), ("Jung", "정"), ("Kang", "강"),
             ("Cho", "조"), ("Yoon", "윤"), ("Jang", "장"), ("Lim", "임"), ("Han", "한"), ("Oh", "오"),
             ("Seo", "서"), ("Shin", "신"), ("Kwon", "권"), ("Hwang", "황"), ("Ahn", "안"), ("Song", "송"),
             ("Yoo", "유"), ("Hong", "홍")]
_SYLLABLES = [("Min", "민"), ("Ji", "지"), ("Seo", "서"), ("Hyun", "현"), ("Woo", "우"), ("Jun", "준"),
              ("Ha", "하"), ("Yeon", "연"), ("Soo", "수"), ("Eun", "은"), ("Jae", "재"), ("Tae", "태"),
              ("Hye", "혜"), ("Young", "영"), ("Sung", "성"), ("Joon", "준"), ("Na", "나"), ("Ri", "리"),
              ("Bin", "빈"), ("Kyung", "경"), ("Ah", "아"), ("Yu", "유"), ("Rin", "린"), ("Hoon", "훈")]
_WORDS = [("Love", "사랑"), ("Night", "밤"), ("Blue", "블루"), ("Dream", "꿈"), ("Summer", "여름"),
          ("Letter", "편지"), ("Rain", "비"), ("Star", "별"), ("Wings", "날개"), ("Spring", "봄"),
          ("Moon", "달"), ("Heart", "마음"), ("Road", "길"), ("Flower", "꽃"), ("Winter", "겨울"),
          ("Light", "빛"), ("Ocean", "바다"), ("Secret", "비밀"), ("Friend", "친구"), ("Time", "시간"),
          ("Palette", "팔레트"), ("Eight", "에잇"), ("Again", "다시"), ("Forever", "영원"),
          ("Youth", "청춘"), ("Memory", "기억"), ("Home", "집"), ("Wind", "바람"), ("Fire", "불"),
          ("Shadow", "그림자")]
_GROUP_HEADS = [("Neon", "네온"), ("Crystal", "크리스탈"), ("Golden", "골든"), ("Silver", "실버"),
                ("Velvet", "벨벳"), ("Cosmic", "코스믹"), ("Electric", "일렉트릭"), ("Pink", "핑크")]
_GROUP_TAILS = [("Tide", "타이드"), ("Wave", "웨이브"), ("Dream", "드림"), ("Hearts", "하츠"),
                ("Boys", "보이즈"), ("Girls", "걸스"), ("Club", "클럽"), ("Riders", "라이더스")]

# Work kinds: (class, share of works, most credits one work gets, roles with weights)
_KINDS = [
    ("Single", 0.22, 6, [("performer", 6), ("featuredArtist", 2), ("songwriter", 2), ("collaborator", 1)]),
    ("Song", 0.15, 6, [("performer", 6), ("featuredArtist", 2), ("songwriter", 3)]),
    ("MusicVideo", 0.15, 12, [("actor", 5), ("cameo", 2), ("appearance", 3), ("director", 1)]),
    ("KDrama", 0.08, 40, [("actor", 8), ("cameo", 2), ("director", 1)]),
    ("TalkShow", 0.04, 80, [("guest", 9), ("host", 1)]),
    ("WebSeries", 0.04, 30, [("guest", 6), ("host", 1), ("appearance", 2)]),
    ("Video", 0.20, 8, [("appearance", 6), ("uploader", 1), ("guest", 2)]),
    ("SocialMediaPost", 0.12, 4, [("author", 6), ("appearance", 3)]),
]
_ROLE_PHRASE = {
    "performer": "performs", "featuredArtist": "is featured on", "songwriter": "co-wrote",
    "collaborator": "collaborates on", "actor": "acts in", "cameo": "makes a cameo in",
    "appearance": "appears in", "director": "directed", "guest": "is a guest on", "host": "hosts",
    "uploader": "uploaded", "author": "posted",
}
_OCCUPATIONS = ["Singer", "SingerSongwriter", "Actor", "Idol"]

_PREFIXES = turtle_prologue("cg", "role", "id", "fact", "source", "rdfs", "skos", "xsd", "schema")


@dataclass
class GenerateStats:
    agents: int
    works: int
    credits: int
    files: int
    triples: int


class _Names:
    """Unique labels: the k-th repeat of a name gets " k" appended, in both scripts."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def unique(self, en: str, ko: str) -> tuple[str, str]:
        n = self.seen.get(en, 0) + 1
        self.seen[en] = n
        return (en, ko) if n == 1 else (f"{en} {n}", f"{ko} {n}")


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(agents: int, out: Path, *, seed: int = 1) -> GenerateStats:
    """Write a synthetic graph of ``agents`` agents into ``out`` (created if
    needed, in a directory that exists; earlier ``synthetic-*.ttl`` files there are replaced).

    :raises WriteFailed: if the directory ``out`` would go in does not exist.
    """
    if agents < 2:
        raise ValueError("--agents must be at least 2")
    rng = random.Random(seed)
    output_file(out)  # its parent must exist, as for every output (see durable.output_file)
    out.mkdir(exist_ok=True)

    names = _Names()
    n_groups = max(1, agents // 10)
    n_people = agents - n_groups
    n_works = max(2, int(agents * 1.2))
    files = max(1, (agents + AGENTS_PER_FILE - 1) // AGENTS_PER_FILE)
    # Facts are written into shards: shard i holds agents (and works) i, i+files, ...
    shards: list[list[str]] = [[] for _ in range(files)]
    triples = [0] * files

    def emit(shard: int, text: str, count: int) -> None:
        shards[shard].append(text)
        triples[shard] += count

    def src(shard: int) -> str:
        return f"source:synthetic-{shard + 1:04d}"

    def fact(shard: int, fid: str, body: str, quote: str, count: int) -> None:
        emit(shard, f"fact:{fid} {body} ;\n    cg:source {src(shard)} ; cg:quote {_lit(quote[:300])} .\n", count + 2)

    # -- agents ------------------------------------------------------------------------
    agent_labels: list[str] = []
    for i in range(agents):
        shard = i % files
        if i < n_people:
            sur, sk = rng.choice(_SURNAMES)
            (a, ak), (b, bk) = rng.choice(_SYLLABLES), rng.choice(_SYLLABLES)
            en, ko = names.unique(f"{sur} {a}-{b.lower()}", f"{sk}{ak}{bk}")
            stage = (a + b).upper() if rng.random() < 0.5 else None
            cls = "Person"
        else:
            (h, hk), (t, tk) = rng.choice(_GROUP_HEADS), rng.choice(_GROUP_TAILS)
            en, ko = names.unique(f"{h} {t}", f"{hk}{tk}")
            stage, cls = None, "Group"
        agent_labels.append(en)
        alias = f" ;\n    skos:altLabel {_lit(stage)}@en" if stage else ""
        emit(shard, f"id:a{i} a cg:{cls} ;\n    rdfs:label {_lit(en)}@en, {_lit(ko)}@ko{alias} .\n", 3 + bool(stage))
        fact(shard, f"att-a{i}", f"a cg:Attestation ; cg:attests id:a{i} ; cg:name {_lit(en)}",
             f"{en} ({ko}) is one of the names in this story", 3)
        if cls == "Person" and rng.random() < 0.6:
            occ = rng.choice(_OCCUPATIONS)
            fact(shard, f"occ-a{i}", f"a cg:Claim ; cg:about id:a{i} ; cg:property cg:occupation ; cg:value cg:{occ}",
                 f"{en}, a working {occ.lower()}", 4)

    # -- memberships ---------------------------------------------------------------------
    people = list(range(n_people))
    rng.shuffle(people)
    cursor = 0
    for g in range(n_people, agents):
        size = rng.randint(2, 7)
        for member in people[cursor:cursor + size]:
            shard = g % files
            fact(shard, f"m-a{member}-a{g}", f"a cg:Membership ; cg:member id:a{member} ; cg:group id:a{g}",
                 f"{agent_labels[member]} is a member of {agent_labels[g]}", 3)
        cursor += size

    # -- works -------------------------------------------------------------------------------
    kinds = [k for k, share, _, _ in _KINDS for _ in range(int(share * 100))]
    roles_of = {k: ([r for r, _ in roles], [w for _, w in roles]) for k, _, _, roles in _KINDS}
    capacity = {k: cap for k, _, cap, _ in _KINDS}
    work_kind: list[str] = []
    work_label: list[str] = []
    for w in range(n_works):
        shard = w % files
        kind = kinds[rng.randrange(len(kinds))]
        words = rng.sample(_WORDS, rng.randint(1, 3))
        en, ko = names.unique(" ".join(x for x, _ in words), " ".join(y for _, y in words))
        if kind == "MusicVideo":
            en, ko = f"{en} music video", f"{ko} 뮤직비디오"
        work_kind.append(kind)
        work_label.append(en)
        emit(shard, f"id:w{w} a cg:{kind} ;\n    rdfs:label {_lit(en)}@en, {_lit(ko)}@ko .\n", 3)
        fact(shard, f"att-w{w}", f"a cg:Attestation ; cg:attests id:w{w} ; cg:name {_lit(en)}",
             f"the {kind} {en}", 3)
        year = rng.randint(2000, 2025)
        date = f'"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"^^xsd:date' \
            if rng.random() < 0.8 else f'"{year}"^^xsd:gYear'
        fact(shard, f"rel-w{w}", f"a cg:Claim ; cg:about id:w{w} ; cg:property cg:releaseDate ; cg:value {date}",
             f"{en} came out in {year}", 4)
        if kind == "MusicVideo" and w > 0 and work_kind[w - 1] in ("Single", "Song"):
            fact(shard, f"mv-w{w}", f"a cg:Claim ; cg:about id:w{w} ; cg:property cg:musicVideoFor ; cg:value id:w{w - 1}",
                 f"the video for {work_label[w - 1]}", 4)

    # -- credits: power-law per agent, preferential attachment on works (up to each kind's cap) --
    popular: list[int] = []  # works repeated once per credit: sampling it is preferential attachment
    filled = [0] * n_works
    credits = 0
    characters = 0
    for i in range(agents):
        shard = i % files
        k = min(int(rng.paretovariate(1.6)), 400)
        seen: set[tuple[int, str]] = set()
        for _ in range(k):
            w = popular[rng.randrange(len(popular))] if popular and rng.random() < 0.6 else rng.randrange(n_works)
            if filled[w] >= capacity[work_kind[w]]:
                w = rng.randrange(n_works)
                if filled[w] >= capacity[work_kind[w]]:
                    continue
            names_, ws = roles_of[work_kind[w]]
            role = rng.choices(names_, ws)[0]
            if (w, role) in seen:
                continue
            seen.add((w, role))
            filled[w] += 1
            if filled[w] < capacity[work_kind[w]]:
                popular.append(w)
            credits += 1
            extra, count = "", 4
            phrase = f"{agent_labels[i]} {_ROLE_PHRASE[role]} {work_label[w]}"
            if role == "actor" and work_kind[w] == "KDrama" and rng.random() < 0.7:
                (a, ak), (b, bk) = rng.choice(_SYLLABLES), rng.choice(_SYLLABLES)
                cname, cko = f"{a}-{b.lower()}", f"{ak}{bk}"
                c = characters
                characters += 1
                emit(shard, f"id:ch{c} a cg:Character ;\n    rdfs:label {_lit(cname)}@en, {_lit(cko)}@ko .\n", 3)
                fact(shard, f"att-ch{c}", f"a cg:Attestation ; cg:attests id:ch{c} ; cg:name {_lit(cname)}",
                     f"the character {cname}", 3)
                fact(shard, f"chin-ch{c}", f"a cg:Claim ; cg:about id:ch{c} ; cg:property cg:characterIn ; cg:value id:w{w}",
                     f"{cname}, a character of {work_label[w]}", 4)
                extra, count = f" ; cg:character id:ch{c}", 5
                phrase += f" as {cname}"
            if rng.random() < 0.05:
                extra += " ; cg:debut true"
                count += 1
                phrase += ", a debut"
            fact(shard, f"c{credits}", f"a cg:Credit ; cg:agent id:a{i} ; cg:work id:w{w} ; cg:role role:{role}{extra}",
                 phrase, count)

    # -- write: as every writer of a graph directory, under its lock and all at once ---------------
    with writing(out, "collabgraph generate") as changes:
        for old in out.glob("synthetic-*.ttl"):
            changes.remove(old)
        for s in range(files):
            header = (f"{_PREFIXES}\n{src(s)} a cg:SourceDocument ;\n"
                      f"    rdfs:label \"Synthetic article {s + 1} (collabgraph generate, seed {seed})\"@en ;\n"
                      f"    schema:url <https://example.org/collabgraph-synthetic/{seed}/{s + 1}> .\n\n")
            changes.write(out / f"synthetic-{s + 1:04d}.ttl", header + "".join(shards[s]))
            triples[s] += 3
    return GenerateStats(agents, n_works, credits, files, sum(triples))


def article(out: str | Path, *, agents: int, works: int = 10, people: int = 10, blank_credit: bool = True,
            seed: int = 1) -> Path:
    """Write ``out``: an article-sized Turtle file (a few hundred triples) that
    adds to a graph made by :func:`generate` with ``agents`` agents. It names
    ``people`` new people and a new group, credits them on existing works
    (``id:w0`` ...) and a new single next to existing agents, and makes a
    claim about an existing agent: what one more news article brings.
    ``blank_credit`` adds a credit that is a blank node."""
    rng = random.Random(seed)
    out = Path(out)
    name = out.stem
    lines = [
        turtle_prologue("cg", "role", "id", "fact", "source", "rdfs"),
        f"source:{name} a cg:SourceDocument ; rdfs:label {_lit('Article ' + name)}@en .",
    ]

    def fact(fid: str, body: str, quote: str) -> None:
        lines.append(f"fact:{name}-{fid} {body} ;\n    cg:source source:{name} ; cg:quote {_lit(quote)} .")

    def entity(iri: str, kind: str, label: str) -> None:
        lines.append(f"id:{iri} a cg:{kind} ; rdfs:label {_lit(label)}@en .")
        fact(f"att-{iri}", f"a cg:Attestation ; cg:attests id:{iri} ; cg:name {_lit(label)}", f"{label} was there")

    single = f"{name}-single"
    entity(single, "Single", f"Single of {name}")
    entity(f"{name}-group", "Group", f"Group of {name}")
    old = [f"a{rng.randrange(agents)}" for _ in range(3)]
    for i in range(people):
        who = f"{name}-p{i}"
        entity(who, "Person", f"Person {i} of {name}")
        work = f"w{rng.randrange(works)}"
        fact(f"c{i}", f"a cg:Credit ; cg:agent id:{who} ; cg:work id:{work} ; cg:role role:performer",
             f"Person {i} sang on it")
        fact(f"s{i}", f"a cg:Credit ; cg:agent id:{who} ; cg:work id:{single} ; cg:role role:songwriter",
             f"Person {i} wrote it")
        if i < 4:
            fact(f"m{i}", f"a cg:Membership ; cg:member id:{who} ; cg:group id:{name}-group", f"Person {i} joined")
    for j, agent in enumerate(old):
        fact(f"o{j}", f"a cg:Credit ; cg:agent id:{agent} ; cg:work id:{single} ; cg:role role:featuredArtist",
             "featuring an old name")
    fact("claim", f"a cg:Claim ; cg:about id:{old[0]} ; cg:property cg:occupation ; cg:value cg:Actor",
         "now also an actor")
    if blank_credit:
        lines.append(f"[] a cg:Credit ; cg:agent id:{name}-p0 ; cg:work id:w0 ; cg:role role:guest ;\n"
                     f"    cg:source source:{name} ; cg:quote \"a guest too\" .")
    out.write_text("\n".join(lines) + "\n", "utf-8")
    return out
