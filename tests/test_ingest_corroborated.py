"""A known name is linked automatically only when something else in the
article backs it: another entity the article names that a fact of the graph
ties to it (a group and its member, a work and its credited agent), or that
shares such a neighbour with it (two agents credited on one work). A name
alone is thin evidence: on unseen articles, exact names linked this way were
other works of the same title and other people of the same name. Such a
name is proposed instead, for a person to confirm (``Mention.proposed``).
Each case on a tiny graph made here, through the public :func:`ingest` and
the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from collabgraph.cli import cli

from .articles import ingest_text as read
from .articles import tiny_graph
from .conftest import lay_out

ID = "https://w3id.org/collabgraph/id/"

TINY = """@prefix cg: <https://w3id.org/collabgraph/ns#> .
@prefix id: <https://w3id.org/collabgraph/id/> .
@prefix role: <https://w3id.org/collabgraph/role/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:v a cg:Person ; rdfs:label "V"@en .
id:bts a cg:Group ; rdfs:label "BTS"@en .
id:iu a cg:Person ; rdfs:label "IU"@en .
id:love-wins-all a cg:Song ; rdfs:label "Love wins all"@en .
id:friends a cg:TVSeries ; rdfs:label "Friends"@en .
id:seo-min-ji a cg:Person ; rdfs:label "Seo Min-ji"@en .
id:m1 a cg:Membership ; cg:member id:v ; cg:group id:bts .
id:c1 a cg:Credit ; cg:agent id:iu ; cg:work id:love-wins-all ; cg:role role:performer .
id:c2 a cg:Credit ; cg:agent id:v ; cg:work id:love-wins-all ; cg:role role:collaborator .
"""


@pytest.fixture
def graph(tmp_path) -> Path:
    return tiny_graph(tmp_path, TINY)


def by_text(report) -> dict[str, tuple[str | None, str | None]]:
    """Words -> (the entity linked, the entity proposed), IRIs' last parts."""
    def tail(iri):
        return iri.rsplit("/", 1)[-1] if iri else None
    return {m.text: (tail(m.link), tail(m.proposed)) for m in report.mentions}


def test_a_member_and_the_group_the_graph_ties_him_to_are_linked(graph, tmp_path):
    got = by_text(read(graph, tmp_path, "V of BTS released a single on Friday."))
    assert got["V"] == ("v", None) and got["BTS"] == ("bts", None)


def test_two_agents_credited_on_one_work_back_each_other_and_the_work(graph, tmp_path):
    got = by_text(read(graph, tmp_path, "IU and V sang “Love wins all” again."))
    assert got["IU"] == ("iu", None) and got["V"] == ("v", None) and got["Love wins all"] == ("love-wins-all", None)
    alone = by_text(read(graph, tmp_path, "IU sang at the festival with V."))
    assert alone["IU"] == ("iu", None) and alone["V"] == ("v", None)  # a neighbour in common: the song


def test_a_known_title_alone_is_proposed_and_so_is_a_description_of_it(graph, tmp_path):
    # (a show: a song called “Friends” is no TV series, so the graph's series is not even proposed for it,
    # test_extract_wrong.py)
    report = read(graph, tmp_path, "The band Lowtide appeared on a show called “Friends” on Friday. "
                                   "The show is about growing up.")
    got = by_text(report)
    assert got["Friends"] == (None, "friends")
    assert not [m for m in report.mentions if m.link == ID + "friends"]
    assert not [m for c in report.candidates for m in c.slots.values() if m.link == ID + "friends"]


def test_a_lone_full_name_waits_for_a_person_and_one_link_confirms_it(tmp_path, runner):
    """On the bundled graph: the article names nothing the graph ties to Park Hyung-sik."""
    graph = lay_out(tmp_path / "repo")
    article = tmp_path / "cast.txt"
    article.write_text("Casting news\n\nPark Hyung-sik will star in the film “Night Ferry”.\n", "utf-8")
    g = ["--graph", str(graph)]
    assert runner.invoke(cli, ["ingest", str(article), *g, "--published", "2026-05-20"]).exit_code == 0
    listed = runner.invoke(cli, ["review", "list", *g]).output
    assert "Park Hyung-sik (known name, nothing else in the article backs it: confirm)" in listed
    out = runner.invoke(cli, ["review", "accept", "--all", *g])
    assert out.exit_code == 0, out.output
    assert "names Park Hyung-sik (id:park-hyung-sik) but nothing else in the article backs it" in out.output
    assert "--link agent=id:park-hyung-sik" in out.output
    credit = next(line.split()[0] for line in runner.invoke(cli, ["review", "list", *g]).output.splitlines()
                  if "actor on Night Ferry" in line)
    out = runner.invoke(cli, ["review", "accept", credit, "--link", "agent=id:park-hyung-sik", *g])
    assert out.exit_code == 0, out.output
    ttl = next((graph / "articles").glob("*.ttl")).read_text("utf-8")
    assert "id:park-hyung-sik" in ttl


def test_a_name_confirmed_once_holds_for_every_fact_of_the_article(tmp_path, runner):
    """The person's word on the name itself (its entity candidate, linked) settles the same words
    in the article's other candidates: accept --all then takes the facts that needed it."""
    graph = lay_out(tmp_path / "repo")
    article = tmp_path / "cast.txt"
    article.write_text("Casting news\n\nPark Hyung-sik will star in the film “Night Ferry”.\n", "utf-8")
    g = ["--graph", str(graph)]
    assert runner.invoke(cli, ["ingest", str(article), *g, "--published", "2026-05-20"]).exit_code == 0
    rows = runner.invoke(cli, ["review", "list", *g]).output.splitlines()
    name = next(line.split()[0] for line in rows if "a name to choose" in line and "Park Hyung-sik" in line)
    credit = next(line.split()[0] for line in rows if "actor on Night Ferry" in line)
    out = runner.invoke(cli, ["review", "accept", name, "--link", "entity=id:park-hyung-sik", *g])
    assert out.exit_code == 0, out.output
    out = runner.invoke(cli, ["review", "accept", "--all", *g])
    assert out.exit_code == 0 and f"skipped: candidate {credit}" not in out.output, out.output
    shown = runner.invoke(cli, ["review", "show", credit, *g]).output
    assert "accepted" in shown.splitlines()[0] and "id:park-hyung-sik" in shown
