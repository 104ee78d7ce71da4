"""Facts stated outside ordinary sentences (issue 20): credit blocks, list and
tracklist lines, photo captions and speaker turns, read by ``collabgraph
ingest`` into candidates; and what is never a fact there (photo credits,
"Related:" lines, a rumour in a block). Each article is written here, ingested
through the public :func:`ingest` or the CLI, on a tiny graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from collabgraph.cli import cli
from collabgraph.ingest.article import DEFAULT_THRESHOLD

from .articles import ingest_text, tiny_graph
from .layout import lay_out

ID = "https://w3id.org/collabgraph/id/"

TINY = """@prefix cg: <https://w3id.org/collabgraph/ns#> .
@prefix id: <https://w3id.org/collabgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:iu a cg:Person ; rdfs:label "IU"@en .
id:peakboy a cg:Person ; rdfs:label "Peakboy"@en .
id:v a cg:Person ; rdfs:label "V"@en .
id:bts a cg:Group ; rdfs:label "BTS"@en .
"""


@pytest.fixture
def graph(tmp_path) -> Path:
    return tiny_graph(tmp_path, TINY)


def read(graph: Path, tmp_path: Path, text: str):
    """Ingest ``text`` as the whole article file, headline included."""
    return ingest_text(graph, tmp_path, text, headline=None)


def _name(m) -> str:
    """The entity a slot names (linked, or the one known entity proposed for a person to confirm), else its words."""
    iri = m.link or m.proposed
    return iri.rsplit("/", 1)[-1] if iri else (m.label or m.text)


def credits(report, *, at_least: float = DEFAULT_THRESHOLD) -> set[tuple]:
    """(agent, role, work, character) of the credits proposed at or above a score."""
    return {(_name(c.slots["agent"]), c.role, _name(c.slots["work"]), c.character)
            for c in report.candidates if c.kind == "credit" and c.score >= at_least}


def quotes_are_verbatim(report, text: str) -> None:
    for c in report.candidates:
        assert text[c.start:c.end] == c.sentence
        for m in c.slots.values():
            assert text[m.start:m.end] == m.text


SINGLE = """Nari Drops Rainy Single ‘Umbrella Theory’

By Kim Ji-su | May 20, 2026

Singer Nari released her new single “Umbrella Theory” on Tuesday.

Lyrics: Nari / Composition: Nari, Baek Seung-ho / Arrangement: Oh Min-chan
Credits — Vocals: Nari; Rap: Peakboy
MV director: Cha Eun-seok
Styling: Lee Bo-ra

(Photo: Tidewater Music)

Related: Cha Eun-seok on directing Peakboy
"""


def test_a_credit_block_under_the_story_credits_its_work(graph, tmp_path):
    """A verbless credit block ("Lyrics: X / Composition: X, Y / Arrangement: Z",
    "Credits — Vocals: A; Rap: B", "MV director: C") credits the single the story is
    about, with roles from the vocabulary, quoting the whole line."""
    report = read(graph, tmp_path, SINGLE)
    found = credits(report)
    assert {("Nari", "lyricist", "Umbrella Theory", None), ("Nari", "composer", "Umbrella Theory", None),
            ("Baek Seung-ho", "composer", "Umbrella Theory", None), ("Oh Min-chan", "arranger", "Umbrella Theory", None),
            ("Nari", "vocalist", "Umbrella Theory", None), ("peakboy", "vocalist", "Umbrella Theory", None),
            ("Cha Eun-seok", "director", "Umbrella Theory", None)} <= found
    block = [c for c in report.candidates if c.rule == "block-credits" and c.slots["agent"].text == "Oh Min-chan"]
    assert block[0].sentence == "Lyrics: Nari / Composition: Nari, Baek Seung-ho / Arrangement: Oh Min-chan"
    quotes_are_verbatim(report, SINGLE)
    # "(Photo: Tidewater Music)", a stylist (no role in the vocabulary) and a "Related:"
    # headline give no candidate and no proposed entity
    words = {m.text for c in report.candidates for m in c.slots.values()}
    assert "Tidewater Music" not in words and "Lee Bo-ra" not in words
    # the director is named in the Related line too: only the block's line is quoted
    assert all("Related" not in c.sentence for c in report.candidates)


def test_a_rumour_or_a_denial_in_a_block_is_no_fact(graph, tmp_path):
    text = ("Peakboy Returns\n\nPeakboy is back with the single “Late Checkout.”\n\n"
            "Featuring: IU (rumoured)\nProduced by: Kim Ha-neul (unconfirmed)\nDirected by: not V\n")
    report = read(graph, tmp_path, text)
    assert not [f for f in credits(report) if f[0] in ("iu", "Kim Ha-neul", "v")], credits(report)
    # the rumours are there for a person to judge, marked, below the threshold; the denial is not
    hedged = [c for c in report.candidates if c.rule == "block-credits+hedged"]
    assert {_name(c.slots["agent"]) for c in hedged} == {"iu", "Kim Ha-neul"}
    assert all(c.score < DEFAULT_THRESHOLD for c in hedged)
    assert not [f for f in credits(report, at_least=0.0) if f[0] == "v"]


def test_a_cast_line_credits_actors_with_their_characters(graph, tmp_path):
    text = ("TV Review: ‘Paper Crown’ Is a Delight\n\n"
            "Cast: Jo A-ra (as Dan-bi), Kim Do-yun (as Hyeon)\nStarring: Choi Woo-shik\nWritten by Nam Ye-rin\n\n"
            "“Paper Crown” is the palace comedy of the year.\n")
    report = read(graph, tmp_path, text)
    found = credits(report)
    assert {("Jo A-ra", "actor", "Paper Crown", "Dan-bi"), ("Kim Do-yun", "actor", "Paper Crown", "Hyeon"),
            ("Choi Woo-shik", "actor", "Paper Crown", None),
            ("Nam Ye-rin", "screenwriter", "Paper Crown", None)} <= found
    assert not [f for f in found if f[0] in ("Dan-bi", "Hyeon")]


LIST = """The 4 Best Duets of the Spring, Ranked

By the Culture Desk · May 20, 2026

4. “Rain Check” – Peakboy & Nari (“Hotel Aster”)
A bossa nova duet.

3. “Tin Roof” – Oh Min-gyu feat. Seo Ga-eun
Composed by Baek Seung-ho, it sounds like a barn.

Track 2: “Runway” (feat. Peakboy) – prod. Yang Se-hoon

#1 IU – “Starfall Avenue”
"""


def test_listicle_and_tracklist_lines(graph, tmp_path):
    """"4. “Song” – A & B", "3. “Song” – A feat. B", "Track 2: “Song” (feat. A) – prod. B",
    "#1 A – “Song”", and a body line opening with "Composed by X," under its item."""
    report = read(graph, tmp_path, LIST)
    found = credits(report)
    assert {("peakboy", "performer", "Rain Check", None), ("Nari", "performer", "Rain Check", None),
            ("Oh Min-gyu", "performer", "Tin Roof", None), ("Seo Ga-eun", "featuredArtist", "Tin Roof", None),
            ("Baek Seung-ho", "composer", "Tin Roof", None), ("peakboy", "featuredArtist", "Runway", None),
            ("Yang Se-hoon", "producer", "Runway", None), ("iu", "performer", "Starfall Avenue", None)} <= found
    # the drama in brackets is no performer's work, and "&" is no part of a name
    assert not [f for f in found if f[2] == "Hotel Aster"]
    assert "& Nari" not in {m.text for m in report.mentions}
    quotes_are_verbatim(report, LIST)


def test_a_title_heading_gives_the_work_to_the_block_under_it(graph, tmp_path):
    text = ("Spring Playlist\n\nOur picks of the week.\n\n“Paper Boats” by Min Ha-rin (2023)\n"
            "Written by Min Ha-rin, Seo Yun-ho\n\n‘Love Song’ by IU feat. BTS’ V\n")
    report = read(graph, tmp_path, text)
    found = credits(report)
    assert {("Min Ha-rin", "performer", "Paper Boats", None), ("Min Ha-rin", "songwriter", "Paper Boats", None),
            ("Seo Yun-ho", "songwriter", "Paper Boats", None)} <= found
    # "BTS’ V": the group says whose member V is; V is the featured one
    assert ("v", "featuredArtist", "Love Song", None) in found
    assert not [f for f in found if f[0] == "bts"]


def test_an_unclear_list_line_scores_below_the_threshold(graph, tmp_path):
    """"“Glow Tape” — A and B" in a list of collaborations: performers or collaborators,
    not said: proposed for a person to judge, below the threshold."""
    text = "The Year in Collaborations\n\nHere they are.\n\n“Glow Tape” — Min Ha-rin and Seo Yun-ho\nA voice memo.\n"
    report = read(graph, tmp_path, text)
    low = credits(report, at_least=0.0) - credits(report)
    assert ("Min Ha-rin", "performer", "Glow Tape", None) in low


def test_captions_with_a_work_are_low_scored_and_a_photo_credit_is_nothing(graph, tmp_path):
    text = ("Luna Wraps Filming\n\nThe film “Luna” wrapped on Tuesday.\n\n"
            "Caption: Jo A-ra and Kim Do-yun on the set of “Luna.” (Photo: Moonbay Pictures)\n"
            "Photo: Peakboy as a lifeguard in “Luna.” Courtesy of the studio.\n(Photo: Yonhap)\n")
    report = read(graph, tmp_path, text)
    low = credits(report, at_least=0.0)
    assert ("Jo A-ra", "actor", "Luna", None) in low and ("Kim Do-yun", "actor", "Luna", None) in low
    assert ("peakboy", "actor", "Luna", "lifeguard") in low
    caption = [c for c in report.candidates if c.rule == "block-caption"]
    assert caption and all(c.score < DEFAULT_THRESHOLD for c in caption)
    words = {m.text for c in report.candidates for m in c.slots.values()}
    assert not words & {"Moonbay Pictures", "Yonhap", "Photo", "Caption"}


QA = """Q&A: Noh Ji-an on Revenge and Ramen

Interview by Sun-hee Park | May 20, 2026

We sat down with the actress in a café.

Q: Tell us about your first film.
A: I starred in “Salt Road” in 2021. I had two lines.

Q: And the soundtrack rumours?
A: I did not sing on “Red Moon.” I would love to direct a video like “Lift Off” one day.

PARK: Who directed “Lift Off”?
NOH JI-AN: I directed the video for “Lift Off” myself, believe it or not.
"""


def test_speaker_turns_resolve_i_to_the_speaker(graph, tmp_path):
    """"A:" is the person the interview is with (the one person its headline names);
    "NOH JI-AN:" is Noh Ji-an; a denial or a wish is no fact; a speaker's label is
    never part of a name ("A: I", "PARK: Who")."""
    text = QA.replace("We sat down with the actress", "We sat down with Noh Ji-an")
    report = read(graph, tmp_path, text)
    found = credits(report)
    assert ("Noh Ji-an", "actor", "Salt Road", None) in found
    assert ("Noh Ji-an", "director", "Lift Off", None) in found
    # "I did not sing on “Red Moon”": nothing; "I would love to direct ...": no fact
    assert not [f for f in found if f[2] == "Red Moon" or f[1] == "performer"]
    assert not [c for c in report.candidates if c.rule.startswith("block-") and c.score < DEFAULT_THRESHOLD]
    assert not [f for f in found if f[0] in ("Park", "PARK", "Sun-hee Park")]
    assert not [m for m in report.mentions if ":" in m.text]


def test_block_candidates_pass_review_and_the_shapes(tmp_path):
    """Through the CLI: ingest, list the block's candidates, accept everything at the
    threshold, build: the credits are in the graph, with the line as their quote."""
    graph = lay_out(tmp_path)
    path = tmp_path / "single.txt"
    path.write_text(SINGLE, "utf-8")
    runner = CliRunner()
    out = runner.invoke(cli, ["ingest", str(path), "--graph", str(graph), "--published", "2026-05-20"])
    assert out.exit_code == 0, out.output
    listed = runner.invoke(cli, ["review", "list", "--graph", str(graph), "--rule", "block-credits",
                                 "--format", "json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert len(rows) >= 7
    out = runner.invoke(cli, ["review", "accept", "--all", "--min-score", str(DEFAULT_THRESHOLD),
                              "--graph", str(graph)])
    assert out.exit_code == 0, out.output
    ttl = next((graph / "articles").glob("*.ttl")).read_text("utf-8")
    assert "Lyrics: Nari / Composition: Nari, Baek Seung-ho / Arrangement: Oh Min-chan" in ttl
    built = runner.invoke(cli, ["build", "--graph", str(graph), "--out", str(tmp_path / "build")])
    assert built.exit_code == 0, built.output


def test_a_list_of_cameos_credits_the_cameo_and_the_song_s_artist(graph, tmp_path):
    """"1. V in Peakboy’s “Late Checkout”" under a headline about cameos: V's cameo and
    Peakboy's song; an item whose text takes it back ("It is not IU") gives nothing."""
    text = ("3 Music Video Cameos You Missed\n\nBlink and you miss them.\n\n"
            "1. V in Peakboy’s “Late Checkout”\nHe is the bellboy.\n\n"
            "2. IU in Peakboy’s “Soju Song”\nA trick: it is not IU but a body double.\n\n"
            "3. Park Seo-joon in his own friend’s project, Peakboy’s “Gyopo”\nHe waves.\n")
    report = read(graph, tmp_path, text)
    found = credits(report)
    assert {("v", "cameo", "Late Checkout", None), ("peakboy", "performer", "Late Checkout", None),
            ("Park Seo-joon", "cameo", "Gyopo", None)} <= found
    assert not [f for f in credits(report, at_least=0.0) if f[0] == "iu"]


def test_a_known_title_named_as_another_artist_s_is_not_linked(graph, tmp_path):
    """The graph's "Love Me Again" is V's; "EDEN’s “Love Me Again”" in a list line is
    another song: a suggestion for a person, never an automatic link."""
    (graph / "tiny.ttl").write_text(TINY + 'id:love-me a cg:Song ; rdfs:label "Love Me Again"@en .\n'
                                    "[] cg:work id:love-me ; cg:agent id:v .\n", "utf-8")
    report = read(graph, tmp_path, "Spring Cameos\n\nOur picks.\n\n1. IU in EDEN’s “Love Me Again”\nShe waves.\n"
                                   "\n2. IU in V’s “Love Me Again”\nShe smiles.\n")
    first, second = [m for m in report.mentions if m.text == "Love Me Again"]
    assert first.link is None and first.suggestions[0][0] == ID + "love-me"
    assert second.link == ID + "love-me"


def test_each_named_speaker_makes_their_own_claims(graph, tmp_path):
    """Two guests in "NAME:" turns: "I" in the director's turn is the director, never the
    one guest the introduction names; the label's name is a name of the article."""
    text = ("Q&A: The Makers of ‘Salt Road’\n\nInterview by Sun-hee Park | May 20, 2026\n\n"
            "We sat down with actress Noh Ji-an and her director in Seongsu.\n\n"
            "NOH JI-AN: I starred in “Salt Road” when I was nineteen.\n"
            "BAEK DO-HYUN: And I directed “Salt Road” on a tiny budget.\n")
    report = read(graph, tmp_path, text)
    found = {(f[0].lower(), f[1], f[2]) for f in credits(report, at_least=0.0)}
    assert ("noh ji-an", "actor", "Salt Road") in found and ("baek do-hyun", "director", "Salt Road") in found
    assert ("noh ji-an", "director", "Salt Road") not in found
    noh = [c for c in report.candidates if c.rule == "block-speaker" and c.role == "actor"]
    assert noh[0].slots["agent"].label == "Noh Ji-an"


def test_a_line_s_label_is_no_part_of_a_name(graph, tmp_path):
    """"Best Actress: Noh Ji-an", "Warning: I ...", "EXCLUSIVE: Peakboy ...": the label
    before the colon is neither a name nor a speaker."""
    report = read(graph, tmp_path, "Awards Night\n\nThe winners are in.\n\n"
                                   "Best Actress: Noh Ji-an, for her role as Ji-hye in “Crimson Tide.”\n"
                                   "Warning: I loved every minute of it.\n"
                                   "EXCLUSIVE: Peakboy will star in the film “Salt Road.”\n")
    names = {m.text for m in report.mentions}
    assert "Noh Ji-an" in names and not [n for n in names if ":" in n or n in ("Best Actress", "Warning")]
    assert ("peakboy", "actor", "Salt Road", None) in credits(report, at_least=0.0)


def test_liner_notes_a_place_and_an_inline_photo_credit(graph, tmp_path):
    """"Mixed by A at Ferry Studio": A is the engineer, the studio no name; "Drums — B":
    the instrumentalist; "(Photo: Yonhap News)" in a paragraph is nobody; a recording's
    roles are never a film's."""
    text = ("Peakboy’s New Single\n\nPeakboy released the single “Soju Song” on Tuesday. (Photo: Yonhap News)\n\n"
            "Mixed by Lim Gyu-ri at Ferry Studio\nDrums — Gu Bon-hwa\n\n"
            "He also stars in the film “Salt Road.”\n\nGuitar: Tak Hyun-woo\n")
    report = read(graph, tmp_path, text)
    found = credits(report)
    assert {("Lim Gyu-ri", "engineer", "Soju Song", None), ("Gu Bon-hwa", "instrumentalist", "Soju Song", None)} <= found
    names = {m.text for m in report.mentions}
    assert not names & {"Ferry Studio", "Yonhap News", "Photo: Yonhap News", "Yonhap"}
    assert not [f for f in credits(report, at_least=0.0) if f[0] == "Tak Hyun-woo"]


def test_a_heading_above_a_credit_block_is_its_work(graph, tmp_path):
    """Liner notes: an unquoted heading ("Polaroid Summer", "Track 4: Signal (3:45)") is the
    work of the credits under it; a "Credits" heading is not, and ends the track's section."""
    text = ("Liner Notes: The Making of an EP\n\nOur column reads the booklet of the EP “Low Tide Radio.”\n\n"
            "Polaroid Summer\nWritten by Ian and Kwon Hae-rim\nComposed by Jaehan\n\n"
            "Track 4: Signal (3:45)\nProduced by Yul\n\nCredits\nMixing: Lim Gyu-ri\n")
    found = credits(read(graph, tmp_path, text))
    assert {("Ian", "songwriter", "Polaroid Summer", None), ("Jaehan", "composer", "Polaroid Summer", None),
            ("Yul", "producer", "Signal", None), ("Lim Gyu-ri", "engineer", "Low Tide Radio", None)} <= found
    assert not [f for f in found if f[2] in ("Credits", "Liner Notes")]
    assert not [f for f in found if f[0] == "Yul" and f[2] == "Polaroid Summer"]
