"""Quotes are the sources' own words, and say what their facts say.

``validate`` and ``build`` check every quote against the local copy of its
source; the statement checks below make sure each quote names what its fact
is about (by a name the graph knows or a description declared with
cg:mentionedAs), so a true sentence about something else cannot stand in.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from collabgraph import CollabGraph, ValidationError
from collabgraph import build
from collabgraph.cli import cli
from collabgraph.core.namespaces import curie

from .conftest import ONTOLOGY, needs_shared

ARTICLE_TTL = "love-wins-all-article.ttl"


def run_validate(runner, graph, *options):
    return runner.invoke(cli, ["validate", "--graph", str(graph), "--ontology", str(ONTOLOGY), *options])


# -- validate and build check quotes against local copies -------------------------------------------

@needs_shared
def test_validate_passes_and_notes_each_source_without_a_local_copy_once(runner, sources):
    result = run_validate(runner, sources)
    assert result.exit_code == 0, result.output
    # BTS's Wikidata item has no copy: its facts cite the record by locator, not by quotes nothing checks
    assert [line for line in result.output.splitlines() if line.startswith(("note:", "warning:"))] == []
    assert "quotes: " in result.output and " found verbatim in local copies of their sources\n" in result.output
    with open(sources / "wikidata-identifiers.ttl", "a", encoding="utf-8") as f:
        f.write('\nfact:wd-bts-quoted a cg:Claim ; cg:about id:bts ; cg:property cg:wikidata ; cg:value wd:Q13580495 ;\n'
                '    cg:source source:wikidata-Q13580495 ; cg:quote "Q13580495" .\n')
    result = run_validate(runner, sources)
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if line.startswith("note:")]
    assert notes == ["note: source:wikidata-Q13580495: has no cg:localPath (no copy of the source to check its "
                     "quotes against); its quotes are not checked"]
    # the line names the copies the checked quotes were found in, and the source it could not check
    line = next(x for x in result.output.splitlines() if x.startswith("quotes: "))
    assert re.fullmatch(r"quotes: \d+ found verbatim in the local copies of source:love-wins-all-article \(\d+\), "
                        r"source:wikidata-Q20145 \(4\); 1 source not checked: source:wikidata-Q13580495 "
                        r"\(why: the note below\)", line), line


# -- validate --strict: nothing passes by not being checked (issue 21, item 9) -----------------------

@needs_shared
def test_strict_passes_on_the_bundled_graph(runner, sources):
    result = run_validate(runner, sources, "--strict")
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.output and "note:" not in result.output


def test_strict_fails_when_a_local_copy_is_missing(runner, sources, tmp_path):
    moved = tmp_path / "deeper" / "elsewhere" / "graph"  # ../../shared is no longer there
    moved.parent.mkdir(parents=True)
    sources.rename(moved)
    assert run_validate(runner, moved).exit_code == 0  # by default: a note
    result = run_validate(runner, moved, "--strict")
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    copy = moved.parent.parent / "shared" / "sources" / "love-wins-all-article.txt"
    assert errors == [f"error: {moved / ARTICLE_TTL}: source:love-wins-all-article: its local copy is missing: "
                      f"cg:localPath '../../shared/sources/love-wins-all-article.txt' is {copy}; its quotes cannot "
                      "be checked (--strict) [cg:quote verbatim]", "error: validation failed with 1 problem(s)"]
    # the API: strict= raises the same problem
    from collabgraph import validate
    assert validate(moved, ONTOLOGY).notes  # by default a note ...
    with pytest.raises(ValidationError) as info:
        validate(moved, ONTOLOGY, strict=True)  # ... and a failure under strict
    assert [p.focus for p in info.value.problems] == ["source:love-wins-all-article"]


def test_strict_fails_on_quotes_of_a_source_with_no_copy(runner, sources):
    with open(sources / "wikidata-identifiers.ttl", "a", encoding="utf-8") as f:
        f.write('\nfact:wd-bts-quoted a cg:Claim ; cg:about id:bts ; cg:property cg:wikidata ; cg:value wd:Q13580495 ;\n'
                '    cg:source source:wikidata-Q13580495 ; cg:quote "Q13580495" .\n')
    result = run_validate(runner, sources, "--strict")
    assert result.exit_code == 1
    assert "source:wikidata-Q13580495: has no cg:localPath" in result.output and "(--strict)" in result.output


@needs_shared
def test_an_altered_quote_fails_validate_naming_the_fact_and_the_file(runner, sources):
    path = sources / ARTICLE_TTL
    text = path.read_text("utf-8")
    altered = text.replace('cg:quote "Peakboy\'s song GYOPO HAIRSTYLE (교포머리)" .\nfact:lwa-credit-v-gyopo',
                           'cg:quote "Peakboy\'s hit GYOPO HAIRSTYLE (교포머리)" .\nfact:lwa-credit-v-gyopo')
    assert altered != text
    path.write_text(altered, "utf-8")
    result = run_validate(runner, sources)
    assert result.exit_code != 0
    errors = [line for line in result.output.splitlines() if "quote not found" in line]
    assert len(errors) == 1
    assert "fact:lwa-credit-peakboy-gyopo" in errors[0]
    assert ARTICLE_TTL in errors[0] and "love-wins-all-article.txt" in errors[0]


@needs_shared
def test_a_made_up_quote_fails_and_build_keeps_the_previous_build(sources, tmp_path):
    out = tmp_path / "build"
    build(sources, ONTOLOGY, out)
    before = (out / "manifest.json").read_text()
    with open(sources / ARTICLE_TTL, "a", encoding="utf-8") as f:
        f.write('\nfact:lwa-made-up a cg:Credit ; cg:agent id:v ; cg:work id:blue ; cg:role role:songwriter ;\n'
                '    cg:source source:love-wins-all-article ; cg:quote "V wrote Blue" .\n')
    with pytest.raises(ValidationError) as info:
        build(sources, ONTOLOGY, out)
    assert [(p.focus, p.file.rsplit("/", 1)[-1]) for p in info.value.problems] == [("fact:lwa-made-up", ARTICLE_TTL)]
    assert (out / "manifest.json").read_text() == before


def test_a_copy_that_is_not_the_one_quoted_fails(runner, sources):
    # the Wikidata copy lies inside graph/ (graph/documents/), next to the file that cites it
    copy = sources / "documents" / "wikidata-Q20145.json"
    copy.write_text(copy.read_text("utf-8").replace('"lastrevid":448321170', '"lastrevid":448321171'), "utf-8")
    result = run_validate(runner, sources)
    assert result.exit_code != 0
    assert "source:wikidata-Q20145" in result.output and "does not match cg:sha256" in result.output


def test_local_paths_are_relative_to_the_declaring_file(runner, sources, tmp_path):
    # a graph moved elsewhere keeps its own copies; a copy out of reach is a note, not a silent pass
    moved = tmp_path / "deeper" / "elsewhere" / "graph"  # ../../shared is no longer there
    moved.parent.mkdir(parents=True)
    sources.rename(moved)
    result = run_validate(runner, moved)
    assert result.exit_code == 0, result.output
    assert "note: source:love-wins-all-article: its local copy is missing: " in result.output
    assert "love-wins-all-article.ttl gives cg:localPath '../../shared/sources/love-wins-all-article.txt', which is " \
        f"{moved.parent.parent / 'shared' / 'sources' / 'love-wins-all-article.txt'}" in result.output
    # its copy moved with graph/ and was checked: named as read, with no note
    assert "found verbatim in the local copy of source:wikidata-Q20145; 1 source not checked" in result.output
    assert not [line for line in result.output.splitlines() if line.startswith("note:") and "wikidata-Q20145" in line]


def test_the_wikidata_copy_is_the_fixture_item(sources):
    import json
    from .conftest import ROOT

    fixture = ROOT.parent / "shared" / "fixtures" / "wikidata" / "Q20145.json"
    if not fixture.is_file():
        pytest.skip("the shared fixtures are not beside the repository")
    ours = json.loads((sources / "documents" / "wikidata-Q20145.json").read_text("utf-8"))
    assert ours == json.loads(fixture.read_text("utf-8"))


# -- every quote says what its fact says --------------------------------------------------------------

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]


def _words(text: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)")


class Mentions:
    """How the graph lets a quote refer to an entity: its labels, aliases and
    attested names (whole words, case as written), and the descriptions its
    source declares (cg:mentionedAs). A name found only inside a name of
    the other entity of the fact does not count ("IU" in "IU's Palette")."""

    def __init__(self, kg: CollabGraph):
        self.names: dict[str, set[str]] = defaultdict(set)
        self.described: dict[tuple[str, str], set[str]] = defaultdict(set)
        for r in kg.sparql("SELECT ?e ?n WHERE { { ?e rdfs:label ?n } UNION { ?e skos:altLabel ?n } "
                           "UNION { ?a cg:attests ?e ; cg:name ?n } }"):
            self.names[str(r.e)].add(str(r.n))
        for r in kg.sparql("SELECT ?e ?src ?d WHERE { ?a cg:attests ?e ; cg:source ?src ; cg:mentionedAs ?d }"):
            self.described[(str(r.e), str(r.src))].add(str(r.d))

    def spans(self, entity: str, quote: str, source: str, *, names_only: bool = False) -> list[tuple[int, int]]:
        found = [m.span() for n in self.names[entity] for m in _words(n).finditer(quote)]
        if not names_only:
            found += [m.span() for d in self.described[(entity, source)] for m in _words(d).finditer(quote)]
        return found

    def mentioned(self, entity: str, quote: str, source: str, other: str | None = None) -> bool:
        inside = self.spans(other, quote, source, names_only=True) if other else []
        return any(not any(a <= s and e <= b and (s, e) != (a, b) for a, b in inside)
                   for s, e in self.spans(entity, quote, source))


def _literal_shown(value, datatype: str) -> str | None:
    """How a source writes a literal value, or None if the value is the editors' words."""
    v = str(value)
    if datatype.endswith("#date"):
        y, m, d = v.split("-")
        return f"{_MONTHS[int(m) - 1]} {int(d)}, {y}"
    if datatype.endswith("#gMonthDay"):
        _, _, m, d = v.split("-")
        return f"{_MONTHS[int(m) - 1]} {int(d)}"
    if datatype.endswith(("#gYear", "#integer", "#string")):
        return v
    return None


def statement_problems(kg: CollabGraph) -> tuple[list[str], int]:
    """Facts whose quotes do not say what the fact says; and how many facts were checked.

    - credit, membership: every quote names both sides;
    - claim: every quote names the subject or the value, and together they name both
      (a literal value as the source writes it, a concept by its label; a cg:note is
      the editors' words, only its subject is checked);
    - attestation: every cg:name and cg:mentionedAs is in a quote, and every quote
      names the entity.
    """
    m = Mentions(kg)
    quotes: dict[str, list[str]] = defaultdict(list)
    for r in kg.sparql("SELECT ?f ?q WHERE { ?f cg:quote ?q }"):
        quotes[str(r.f)].append(str(r.q))
    problems, checked = [], 0

    def fail(fact, why):
        problems.append(f"{curie(fact)}: {why}")

    pairs = "SELECT ?f ?src ?a ?b WHERE { ?f a %s ; %s ?a ; %s ?b ; cg:source ?src ; cg:quote ?any } GROUP BY ?f ?src ?a ?b"
    for kind, p1, p2 in (("cg:Credit", "cg:agent", "cg:work"), ("cg:Membership", "cg:member", "cg:group")):
        for r in kg.sparql(pairs % (kind, p1, p2)):
            f, src, a, b = str(r.f), str(r.src), str(r.a), str(r.b)
            checked += 1
            for q in quotes[f]:
                if not (m.mentioned(a, q, src, b) and m.mentioned(b, q, src, a)):
                    fail(f, f"quote does not name both {curie(a)} and {curie(b)}: {q!r}")

    labels = defaultdict(set)
    for r in kg.sparql("SELECT ?c ?l WHERE { ?c a skos:Concept . { ?c skos:prefLabel ?l } UNION { ?c skos:altLabel ?l } }"):
        labels[str(r.c)].add(str(r.l).lower())
    entities = {str(r.e) for r in kg.sparql("SELECT DISTINCT ?e WHERE { ?e a ?t . ?t rdfs:subClassOf* cg:Entity }")}
    for r in kg.sparql("SELECT ?f ?src ?s ?p ?v WHERE { ?f a cg:Claim ; cg:about ?s ; cg:property ?p ; "
                       "cg:value ?v ; cg:source ?src ; cg:quote ?any } GROUP BY ?f ?src ?s ?p ?v"):
        f, src, s, v = str(r.f), str(r.src), str(r.s), r.v
        checked += 1
        if str(v) in entities:
            says_value = lambda q: m.mentioned(str(v), q, src, s)  # noqa: E731
        elif str(v) in labels:
            says_value = lambda q: any(_words(name).search(q.lower()) for name in labels[str(v)])  # noqa: E731
        elif str(r.p).endswith("#note"):
            says_value = None
        elif hasattr(v, "datatype"):
            shown = _literal_shown(v, str(v.datatype or "#string"))
            says_value = (lambda q: shown in q) if shown else None
        else:  # an outside identifier, such as a Wikidata item
            says_value = lambda q: str(v).rsplit("/", 1)[-1] in q  # noqa: E731
        said_subject = said_value = False
        for q in quotes[f]:
            sub, val = m.mentioned(s, q, src, str(v)), bool(says_value and says_value(q))
            said_subject, said_value = said_subject or sub, said_value or val
            if not (sub or val):
                fail(f, f"quote names neither {curie(s)} nor the value: {q!r}")
        if not said_subject:
            fail(f, f"no quote names {curie(s)}")
        if says_value and not said_value:
            fail(f, f"no quote gives the value {curie(str(v))}")

    names = defaultdict(set)
    for r in kg.sparql("SELECT ?f ?n WHERE { ?f a cg:Attestation . { ?f cg:name ?n } UNION { ?f cg:mentionedAs ?n } }"):
        names[str(r.f)].add(str(r.n))
    attested = defaultdict(set)
    for r in kg.sparql("SELECT DISTINCT ?f ?src ?e WHERE { ?f a cg:Attestation ; cg:attests ?e ; cg:source ?src ; cg:quote ?any }"):
        attested[(str(r.f), str(r.src))].add(str(r.e))
    for (f, src), es in attested.items():
        checked += 1
        for n in names[f]:
            if not any(_words(n).search(q) for q in quotes[f]):
                fail(f, f"{n!r} is in none of its quotes")
        for q in quotes[f]:
            if not any(m.mentioned(e, q, src) for e in es):
                fail(f, f"quote names none of {sorted(curie(e) for e in es)}: {q!r}")
    return problems, checked


def test_every_quote_says_what_its_fact_says(kg):
    problems, checked = statement_problems(kg)
    facts = len(list(kg.sparql("SELECT DISTINCT ?f WHERE { ?f cg:source ?s ; cg:quote ?q ; a ?t . ?t rdfs:subClassOf cg:Fact }")))
    assert checked == facts > 100  # every quoted fact was checked: nothing passes by being skipped
    assert problems == []


MUTATIONS = [
    # a true sentence of the article, but not about the credit's work (V's Instagram post)
    ("lwa-credit-v-post", "Taehyung and IU posted additional pictures from the photo session for the music video on Instagram on January 28, 2024\" .\nfact:lwa-credit-iu-post",
     "Taehyung let out a gasp of air to express how shocked he was\" .\nfact:lwa-credit-iu-post"),
    # the old quote of the characters' claim: it never names the character
    ("lwa-tae-joon-in-mv", "             \"Be happy, Tae-joon and Ji-hye.\" .\nfact:lwa-ji-hye-in-mv",
     "             \"along with the picture their characters took in the photo booth\" .\nfact:lwa-ji-hye-in-mv"),
    # a date the quote does not give
    ("lwa-release-hwarang", "cg:value \"2016\"^^xsd:gYear ;\n    cg:source source:love-wins-all-article ;\n    cg:quote \"the 2016",
     "cg:value \"2017\"^^xsd:gYear ;\n    cg:source source:love-wins-all-article ;\n    cg:quote \"the 2016"),
]


@needs_shared
@pytest.mark.parametrize("fact, old, new", MUTATIONS)
def test_validate_warns_of_a_quote_that_says_something_else_and_strict_fails(runner, sources, fact, old, new):
    """The library's check (issue 21, item 9): a verbatim quote that does not
    say its fact is a warning of `validate`, and an error of `validate --strict`."""
    path = sources / ARTICLE_TTL
    text = path.read_text("utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), "utf-8")
    result = run_validate(runner, sources)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    assert warnings and all(w.startswith(f"warning: {path}: fact:{fact}: ") for w in warnings), warnings
    result = run_validate(runner, sources, "--strict")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error: ") and "[cg:quote states" in line]
    assert errors == [f"error: {w.removeprefix('warning: ')} [cg:quote states its fact]" for w in warnings]


@needs_shared
def test_a_fact_naming_one_side_only_is_caught_however_true_its_quote(runner, sources):
    # Hwarang's credit, quoting only "the 2016 K-drama Hwarang: The Poet Warrior Youth": true, verbatim, no V
    path = sources / ARTICLE_TTL
    with open(path, "a", encoding="utf-8") as f:
        f.write('\nfact:lwa-one-sided a cg:Credit ; cg:agent id:v ; cg:work id:hwarang ; cg:role role:actor ;\n'
                '    cg:source source:love-wins-all-article ; cg:quote "the 2016 K-drama Hwarang: The Poet Warrior Youth" .\n')
    result = run_validate(runner, sources)
    assert result.exit_code == 0
    assert f"warning: {path}: fact:lwa-one-sided: quote does not name both id:v and id:hwarang: " \
           "'the 2016 K-drama Hwarang: The Poet Warrior Youth'" in result.output.splitlines()
    assert run_validate(runner, sources, "--strict").exit_code == 1


@pytest.mark.parametrize("fact, old, new", MUTATIONS)
def test_the_statement_check_catches_a_quote_that_says_something_else(sources, fact, old, new):
    path = sources / ARTICLE_TTL
    text = path.read_text("utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), "utf-8")
    problems, _ = statement_problems(CollabGraph.load(sources, ONTOLOGY))
    assert problems and all(p.startswith(f"fact:{fact}:") for p in problems), problems


def test_a_rebuild_still_notes_a_missing_copy_and_says_which_quotes_it_read(runner, sources, tmp_path):
    """A fresh clone's second build printed "quotes: 0 found verbatim" and no longer said that the article's
    copy was missing: the unchecked source is noted by every build until its copy is there, and a rebuild says
    that it read only the quotes of the sources its changed files cite."""
    moved = tmp_path / "deeper" / "elsewhere" / "graph"  # ../../shared is not beside it
    moved.parent.mkdir(parents=True)
    sources.rename(moved)
    out = tmp_path / "build"
    args = ["build", "--graph", str(moved), "--ontology", str(ONTOLOGY), "--out", str(out)]
    missing = "note: source:love-wins-all-article: its local copy is missing: "
    first = runner.invoke(cli, args)
    assert first.exit_code == 0 and missing in first.output, first.output
    assert " found verbatim in the local copy of source:wikidata-Q20145; 1 source not checked: " \
           "source:love-wins-all-article (why: the note below)" in first.output
    for change in ("", "\n# a comment\n"):  # nothing changed, then a file the article does not cite
        if change:
            with open(moved / "wikidata-identifiers.ttl", "a", encoding="utf-8") as f:
                f.write(change)
        again = runner.invoke(cli, args)
        assert again.exit_code == 0 and missing in again.output, again.output
        # nothing changed: no copy read; the Wikidata file changed: its copy read, and named
        read = "local copies of the sources the changed files declare or cite (the others were read when their " \
            "files changed)" if not change else "the local copy of source:wikidata-Q20145"
        assert f"found verbatim in {read}; 1 source not checked: source:love-wins-all-article (why: the note " \
               "below)" in again.output, again.output
