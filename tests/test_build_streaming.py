"""The streaming build (issue 23) makes the store the in-memory build makes:
the same quads, the same summary, the same problems when the graph is bad,
and nothing published when it fails. Both builds run through the public
``build`` on the same files; batches are made small so that the rules run
on files apart. The streaming build validates on the on-disk store, by the
shapes compiled to SPARQL: its verdicts are compared with pySHACL's."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from collabgraph import ValidationError, build
from collabgraph.build import streaming
from collabgraph.core.errors import SourceSyntaxError
from collabgraph.views.nameindex import NAME_INDEX, NameIndex

from .conftest import DATA, ONTOLOGY


def _canonical(build_dir: Path) -> list[tuple[str, str, str, str]]:
    """Every quad of the build's store, each blank node written as what it
    states (its predicates and non-blank values in its graph): the bulk
    loader gives blank nodes new identifiers in every load."""
    return _canonical_quads(list(ox.Store.read_only(str(build_dir / "current" / "store"))))


def _canonical_quads(quads: list[ox.Quad]) -> list[tuple[str, str, str, str]]:
    said: dict[tuple[str, ox.BlankNode], list[str]] = defaultdict(list)
    for q in quads:
        if isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode):
            said[str(q.graph_name), q.subject].append(f"{q.predicate} {q.object}")

    def term(t, g) -> str:
        return "[" + "; ".join(sorted(said[str(g), t])) + "]" if isinstance(t, ox.BlankNode) else str(t)

    return sorted((term(q.subject, q.graph_name), str(q.predicate), term(q.object, q.graph_name), str(q.graph_name))
                  for q in quads)


def _both(graph: Path, tmp_path: Path) -> tuple[Path, Path]:
    memory, disk = tmp_path / "in-memory", tmp_path / "streamed"
    build(graph, ONTOLOGY, memory, incremental=False, streaming=False)
    report = build(graph, ONTOLOGY, disk, incremental=False, streaming=True)
    assert report.timings["validate"] > 0 and (disk / "current" / "snapshot.nq").is_file()
    return memory / "current", disk / "current"


def _same_build(memory: Path, disk: Path) -> None:
    assert _canonical(memory.parent) == _canonical(disk.parent)
    # the streamed snapshot is written from the loaded text, not dumped from the store: the same quads
    snapshot = ox.Store()
    snapshot.load(path=str(disk / "snapshot.nq"), format=ox.RdfFormat.N_QUADS)
    assert _canonical_quads(list(snapshot)) == _canonical(disk.parent)
    assert json.loads((memory / "summary.json").read_text()) == json.loads((disk / "summary.json").read_text())
    m, d = (json.loads((p / "manifest.json").read_text()) for p in (memory, disk))
    assert (m["sources"], m["triples"], m["inferred"]) == (d["sources"], d["triples"], d["inferred"])
    for name in ("top-collaborations.json",):
        if (memory / "cache" / name).is_file():
            assert (memory / "cache" / name).read_bytes() == (disk / "cache" / name).read_bytes(), name
    # the streaming build writes its name index batch by batch: the same rows, and the same substring search
    indexes = [NameIndex.open(p / "cache" / NAME_INDEX) for p in (memory, disk)]
    try:
        names = [i.names() for i in indexes]
        assert len(names[0]) > 20 and names[0] == names[1]
        assert [i.keys() for i in indexes][0] == [i.keys() for i in indexes][1]
        key = names[0][len(names[0]) // 2][0][:3]
        assert indexes[0].containing(key) == indexes[1].containing(key) != []
    finally:
        for i in indexes:
            i.close()


def test_the_bundled_graph_streamed_file_by_file_is_the_same_store(sources, tmp_path, monkeypatch):
    # a blank-node credit, so the inferred graph points into a file's blank nodes
    with open(sources / "love-wins-all-article.ttl", "a", encoding="utf-8") as f:
        f.write('\n[] a cg:Credit ; cg:agent id:iu ; cg:work id:blue ; cg:role role:guest ;\n'
                '    cg:source source:love-wins-all-article ; cg:quote "The Blue singer-songwriter" .\n')
        # a claimed credit on the same work: a marked collaboration with its claimant (rule 54)
        f.write('fact:lwa-credit-iu-blue-claimed a cg:Credit ; cg:agent id:iu ; cg:work id:blue ; cg:role role:performer ;\n'
                '    cg:claimedBy id:v ; cg:source source:love-wins-all-article ; cg:quote "The Blue singer-songwriter" .\n')
    monkeypatch.setattr(streaming, "BATCH_TRIPLES", 1)  # every file its own batch
    memory, disk = _both(sources, tmp_path)
    _same_build(memory, disk)
    assert len(_canonical(disk.parent)) > 4000
    assert any(s.startswith("[") for s, *_ in _canonical(disk.parent))  # blank nodes were compared
    marked = "<https://w3id.org/collabgraph/fact/lwa-credit-iu-blue-claimed/with/"
    claimed = [q for q in _canonical(disk.parent) if q[0].startswith(marked)]
    assert any("claimedBy" in q[1] for q in claimed)  # the claimant reached the marked statement


def _inferred(build_dir: Path) -> list[tuple[str, str, str, str]]:
    return [q for q in _canonical(build_dir) if q[3] == "<https://w3id.org/collabgraph/graph/inferred>"]


@pytest.mark.parametrize("batch", [1, 10_000_000])  # each file its own batch (one marked, one not); all in one
def test_the_marked_rules_derive_the_same_where_a_batch_has_marks_and_where_not(sources, tmp_path, monkeypatch,
                                                                                 batch):
    # The streaming build skips the rules that need a mark (50-55) on a batch without one: a
    # marked fact of every kind, in one file, beside a file with no mark at all (wikidata-identifiers.ttl).
    with open(sources / "love-wins-all-article.ttl", "a", encoding="utf-8") as f:
        f.write('\nfact:lwa-credit-v-hwarang-claimed a cg:Credit ; cg:agent id:v ; cg:work id:hwarang ;\n'
                '    cg:role role:actor ; cg:claimedBy id:iu ; cg:source source:love-wins-all-article ;\n'
                '    cg:quote "The Blue singer-songwriter" .\n'
                'fact:lwa-membership-iu-bts-claimed a cg:Membership ; cg:member id:iu ; cg:group id:bts ;\n'
                '    cg:claimedBy id:v ; cg:source source:love-wins-all-article ; cg:quote "BTS\' Taehyung, aka V" .\n'
                'fact:lwa-claim-bts-claimed a cg:Claim ; cg:about id:bts ; cg:property cg:wikidata ;\n'
                '    cg:value <http://www.wikidata.org/entity/Q13580495> ; cg:editorsInference "a reading" ; cg:source source:love-wins-all-article ;\n'
                '    cg:quote "BTS\' Taehyung, aka V" .\n')
    monkeypatch.setattr(streaming, "BATCH_TRIPLES", batch)
    memory, disk = _both(sources, tmp_path)
    inferred = _inferred(disk.parent)
    assert inferred == _inferred(memory.parent)
    made = {s for s, *_ in inferred}
    fact = "<https://w3id.org/collabgraph/fact/"
    for statement in ("lwa-credit-v-hwarang-claimed/creditedOn", "lwa-credit-v-hwarang-claimed/appearsIn",
                      "lwa-credit-v-hwarang-claimed/castMember", "lwa-credit-iu-single/performer",
                      "lwa-membership-iu-bts-claimed/statement", "lwa-claim-bts-claimed/statement"):
        assert f"{fact}{statement}>" in made, statement  # every marked rule derived something
    # and the file without marks derived its plain edges (rule 30: its claims)
    assert any(p == "<https://w3id.org/collabgraph/ns#wikidata>" for _s, p, _o, _g in inferred)


def test_a_name_that_only_inference_states_is_in_the_name_index(sources, tmp_path):
    # The streaming build reads the name index beside validation, before the conclusions are loaded;
    # claims that derive a name (rule 30: IU attests BTS under a name) must make it read the index
    # again after them.
    with open(sources / "love-wins-all-article.ttl", "a", encoding="utf-8") as f:
        for n, (p, value) in enumerate([("cg:attests", "id:bts"), ("cg:name", '"Singer-songwriter of Blue"')]):
            f.write(f'\nfact:lwa-claim-iu-name-{n} a cg:Claim ; cg:about id:iu ; cg:property {p} ; cg:value {value} ;\n'
                    '    cg:source source:love-wins-all-article ; cg:quote "The Blue singer-songwriter" .\n')
    memory, disk = _both(sources, tmp_path)
    _same_build(memory, disk)
    index = NameIndex.open(disk / "cache" / NAME_INDEX)
    try:
        assert ("Singer-songwriter of Blue", "https://w3id.org/collabgraph/id/bts") in {n[1:] for n in index.names()}
    finally:
        index.close()


@pytest.mark.load
def test_a_generated_100k_graph_streamed_in_batches_is_the_same_store(tmp_path, monkeypatch):
    from collabgraph.importers.generate import generate

    generate(2170, tmp_path / "graph", seed=1)  # ~100k source triples in three files
    monkeypatch.setattr(streaming, "BATCH_TRIPLES", 40_000)  # three batches
    memory, disk = _both(tmp_path / "graph", tmp_path)
    _same_build(memory, disk)
    assert json.loads((disk / "manifest.json").read_text())["triples"] > 130_000


def _problems(graph: Path, out: Path, stream: bool) -> list[tuple]:
    with pytest.raises(ValidationError) as info:
        build(graph, ONTOLOGY, out, incremental=False, streaming=stream)
    return [(p.file, p.focus, p.rule, p.message, p.path) for p in info.value.problems]


def test_the_same_problems_and_nothing_published(sources, tmp_path, monkeypatch):
    monkeypatch.setattr(streaming, "BATCH_TRIPLES", 1)
    out = tmp_path / "b"
    build(sources, ONTOLOGY, out, streaming=True)
    before = (out / "current" / "manifest.json").read_bytes()
    # A fact in a file of its own that is wrong only given another file: id:iu is an
    # agent (stated in the article's file), not a work.
    (sources / "extra.ttl").write_text(
        "".join(line for line in (sources / "love-wins-all-article.ttl").open(encoding="utf-8")
                if line.lower().startswith(("@prefix", "prefix"))) +
        '\nid:extra-credit a cg:Credit ; cg:agent id:v ; cg:work id:iu ; cg:role role:guest ;\n'
        '    cg:source source:love-wins-all-article ; cg:quote "The Blue singer-songwriter" .\n', "utf-8")
    streamed = _problems(sources, out, True)
    assert streamed == _problems(sources, tmp_path / "m", False)
    assert any("extra.ttl" in p[0] and "work" in (p[4] or "") for p in streamed), streamed
    assert (out / "current" / "manifest.json").read_bytes() == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("gen-")) == ["gen-1"]


def test_every_shape_fails_the_same_way(tmp_path):
    assert _problems(DATA / "invalid", tmp_path / "s", True) == _problems(DATA / "invalid", tmp_path / "m", False)


def test_a_syntax_error_names_the_same_line(sources, tmp_path):
    with open(sources / "wikidata-identifiers.ttl", "a", encoding="utf-8") as f:
        f.write("\nid:iu rdfs:label \"unterminated .\n")
    errors = []
    for stream in (True, False):
        with pytest.raises(SourceSyntaxError) as info:
            build(sources, ONTOLOGY, tmp_path / str(stream), streaming=stream)
        errors.append(str(info.value))
    assert errors[0] == errors[1] and "wikidata-identifiers.ttl:" in errors[0]


def test_auto_compiles_in_memory_while_it_fits_in_half_the_memory_available(sources, tmp_path, monkeypatch):
    """Past STREAMING_ABOVE bytes of sources, `auto` still compiles in memory (3x faster) while the peak it
    would reach fits in half the memory available, and streams when it would not; the manifest says which."""
    import importlib

    pipeline = importlib.import_module("collabgraph.build.pipeline")  # collabgraph.build is also the function
    monkeypatch.setattr(pipeline, "STREAMING_ABOVE", 0)
    for available, expected in ((10 ** 12, "memory"), (10 ** 6, "streaming")):
        monkeypatch.setattr(pipeline, "_available_bytes", lambda: available)
        out = tmp_path / expected
        build(sources, ONTOLOGY, out)
        assert json.loads((out / "current" / "manifest.json").read_text())["compile"] == expected


def _split(fixture: Path, into: Path, parts: int) -> Path:
    """``fixture``'s statements dealt into ``parts`` files (its prefixes in each), so that a node's
    triples, and the nodes it points at, sit in other files than its own."""
    lines = fixture.read_text("utf-8").splitlines(keepends=True)
    head = "".join(line for line in lines if line.lower().startswith(("@prefix", "prefix")))
    blocks = "".join(line for line in lines if not line.lower().startswith(("@prefix", "prefix"))).split("\n\n")
    into.mkdir(parents=True)
    for n in range(parts):
        (into / f"part-{n}.ttl").write_text(head + "\n\n".join(blocks[n::parts]) + "\n", "utf-8")
    return into


BROKEN = {
    "every shape in one file": lambda d: _split(DATA / "invalid" / "many-problems.ttl", d, 1),
    "every shape dealt into three files": lambda d: _split(DATA / "invalid" / "many-problems.ttl", d, 3),
    "a blank-node credit and ill-typed literals": lambda d: _blank_and_literals(d),
}

#: Each a file of its own: an attestation naming two entities, and one
#: describing two, each visible only in the union of two files; a claim whose property is an
#: ontology property only by a source file's statement (valid), and one whose property is none.
SPLIT_FACTS = {
    "att-a.ttl": 'fact:split-att a cg:Attestation ; cg:attests id:ok-person ; cg:name "Split" ;\n'
                 '    cg:source source:s ; cg:quote "OK Person here" .\n'
                 'fact:split-mention a cg:Attestation ; cg:attests id:ok-person ; cg:source source:s ;\n'
                 '    cg:quote "OK Person here" .\n',
    "att-b.ttl": 'fact:split-att cg:attests id:ok-song .\n'
                 'fact:split-mention cg:attests id:ok-song ; cg:mentionedAs "both of them" .\n',
    "claim-a.ttl": 'fact:own-property a cg:Claim ; cg:about id:ok-song ; cg:property <https://example.org/own> ;\n'
                   '    cg:value "v" ; cg:source source:s ; cg:quote "OK Song here" .\n'
                   'fact:no-property a cg:Claim ; cg:about id:ok-song ; cg:property <https://example.org/none> ;\n'
                   '    cg:value "v" ; cg:source source:s ; cg:quote "OK Song here" .\n',
    "claim-b.ttl": '<https://example.org/own> a <http://www.w3.org/2002/07/owl#DatatypeProperty> ;\n'
                   '    rdfs:range xsd:string .\n',
}


def _blank_and_literals(into: Path) -> Path:
    _split(DATA / "invalid" / "many-problems.ttl", into, 2)
    with open(into / "part-1.ttl", "a", encoding="utf-8") as f:
        f.write('\n[] a cg:Credit ; cg:agent id:ok-song ; cg:work id:ok-person ; cg:role role:nobody ;\n'
                '    cg:source source:s ; cg:quote "OK Song here" .\n'
                'id:ok-person schema:birthDate "2024-13-45"^^xsd:date .\n')
    return into


@pytest.mark.parametrize("partition", [None, 1, 10**9],
                         ids=["hashed screens", "partitioned, a file each (past 4M)", "partitioned, one partition"])
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_streamed_verdicts_are_pyshacls(name, partition, tmp_path, monkeypatch):
    """The streaming build validates on the on-disk store by the shapes compiled to SPARQL, per
    shape over the whole store: it finds the problems pySHACL (the reference engine) finds, on the
    same files, and words them as the in-memory compile does, naming the same files; with the
    screens joined by hashing (up to HASHED_SCREENS_UP_TO source triples) and partition by
    partition (a node's triples and the nodes it points at dealt into other files than its own)."""
    from collabgraph import validate

    monkeypatch.setattr(streaming, "HASHED_SCREENS_UP_TO", 10**9 if partition is None else 0)
    monkeypatch.setattr(streaming, "PARTITION_TRIPLES", partition or 0)
    graph = BROKEN[name](tmp_path / "graph")
    streamed = _problems(graph, tmp_path / "s", True)
    with pytest.raises(ValidationError) as info:
        validate(graph, ONTOLOGY, engine="pyshacl")
    reference = {(p.file, p.focus, p.rule) for p in info.value.problems}
    assert {(p[0], p[1], p[2]) for p in streamed} == reference
    assert len(reference) >= 20
    assert streamed == _problems(graph, tmp_path / "m", False)
    assert not (tmp_path / "s" / "current").exists()  # nothing published


def test_partitioned_sparql_constraints_find_what_only_two_files_show(tmp_path, monkeypatch):
    """Past 4M source triples ClaimShape's cg:property test runs on each partition's distinct
    properties (AttestationShape's constraints by seek): a violation that only the union of two
    files shows is found, a property typed by a source file is not one, and the problems are
    pySHACL's (nothing else in the graph fails those shapes, so no other node sends them to their
    exact checks)."""
    from collabgraph import validate

    monkeypatch.setattr(streaming, "HASHED_SCREENS_UP_TO", 0)
    monkeypatch.setattr(streaming, "PARTITION_TRIPLES", 1)  # a partition per file
    graph = tmp_path / "graph"
    graph.mkdir()
    lines = (DATA / "invalid" / "many-problems.ttl").read_text("utf-8").split("\n\n")
    head = "".join(line for line in lines[0].splitlines(keepends=True) if line.lower().startswith("@prefix"))
    (graph / "base.ttl").write_text(head + "\n\n".join(lines[1:3]) + "\n", "utf-8")  # a source, two entities
    for name, text in SPLIT_FACTS.items():
        (graph / name).write_text(head + text, "utf-8")
    streamed = _problems(graph, tmp_path / "s", True)
    with pytest.raises(ValidationError) as info:
        validate(graph, ONTOLOGY, engine="pyshacl")
    reference = {(p.file, p.focus, p.rule) for p in info.value.problems}
    assert {(p[0], p[1], p[2]) for p in streamed} == reference
    assert {focus for _file, focus, rule in reference if rule in ("cgsh:AttestationShape", "cgsh:ClaimShape")} \
        == {"fact:split-att", "fact:split-mention", "fact:no-property"}
    assert streamed == _problems(graph, tmp_path / "m", False)


def _gens(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("gen-"))


def test_a_syntax_error_while_a_chunk_is_written_behind(sources, tmp_path, monkeypatch):
    # every file its own chunk: the first is bulk-loaded in the load's thread while the second is parsed
    monkeypatch.setattr(streaming, "WRITE_CHUNK", 1)
    out = tmp_path / "b"
    build(sources, ONTOLOGY, out, streaming=True)
    before = (out / "current" / "manifest.json").read_bytes()
    with open(sources / "wikidata-identifiers.ttl", "a", encoding="utf-8") as f:
        f.write("\nid:iu rdfs:label \"unterminated .\n")
    errors = []
    for stream, to in ((True, out), (False, tmp_path / "m")):
        with pytest.raises(SourceSyntaxError) as info:
            build(sources, ONTOLOGY, to, streaming=stream)
        errors.append(str(info.value))
    assert errors[0] == errors[1] and "wikidata-identifiers.ttl:" in errors[0]
    assert (out / "current" / "manifest.json").read_bytes() == before and _gens(out) == ["gen-1"]


def test_a_failed_write_behind_fails_the_build_and_keeps_the_previous(sources, tmp_path, monkeypatch):
    monkeypatch.setattr(streaming, "WRITE_CHUNK", 1)
    out = tmp_path / "b"
    build(sources, ONTOLOGY, out, streaming=True)
    before = (out / "current" / "manifest.json").read_bytes()
    written = []

    def full(self, data: bytes) -> None:  # the disk fills up at the first chunk
        written.append(len(data))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(streaming._Writer, "text", full)
    with pytest.raises(OSError, match="No space left"):
        build(sources, ONTOLOGY, out, streaming=True, incremental=False)
    assert len(written) == 1  # nothing more was written once a write failed
    assert (out / "current" / "manifest.json").read_bytes() == before and _gens(out) == ["gen-1"]


def test_counted_pairs_are_top_pairs_on_blank_works_guests_and_marks(tmp_path):
    """The streaming build's pair counts (rows grouped by SQLite) give the in-memory
    build's pairs and the summary's collaboration count: a blank-node work, a work of
    guests only, a credit with two roles, a claimed and an inferred credit."""
    from collabgraph.core.namespaces import CG_IRI, ROLE_IRI
    from collabgraph.store.local import Store
    from collabgraph.views.reader import Reader
    from collabgraph.views.summary import summary
    from collabgraph.views.toppairs import counted_pairs, top_pairs

    credits = [("w1", "a", "performer", ""), ("w1", "b", "guest", ""), ("w1", "c", "guest", ""),
               ("w1", "d", "performer", "cg:claimedBy <https://e/x> ;"), ("_:w2", "a", "performer", ""),
               ("_:w2", "b", "performer", ""), ("_:w2", "c", "guest", "cg:editorsInference <https://e/why> ;"),
               ("w3", "b", "guest", ""), ("w3", "c", "guest", ""), ("w4", "a", "guest", ""),
               ("w4", "c", "performer", ""), ("w4", "c", "guest", ""), ("w1", "b", "performer", "")]
    text = f"@prefix cg: <{CG_IRI}> . @prefix role: <{ROLE_IRI}> .\n"
    text += "".join(f'<https://e/{x}> <http://www.w3.org/2000/01/rdf-schema#label> "{x.upper()}" .\n' for x in "abcd")
    for i, (work, agent, role, mark) in enumerate(credits):
        w = work if work.startswith("_:") else f"<https://e/{work}>"
        text += f"<https://e/c{i}> a cg:Credit ; {mark} cg:agent <https://e/{agent}> ; cg:work {w} ; cg:role role:{role} .\n"
    store = Store.memory()
    store.load_data(text, "turtle", graph="https://e/g")
    pairs, collaborations = counted_pairs(store, tmp_path)
    assert pairs == top_pairs(store) and len(pairs) == 6
    assert collaborations == summary(Reader(store))["collaborations"] == 10
    assert any(m for *_, m in pairs)  # marked pairs were counted
