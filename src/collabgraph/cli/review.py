"""Reviewing ingested candidates: the review group."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

import click

from ..core.namespaces import curie
from ..core.output import table, to_json
from .common import TEXT, KeyValue, build_hint, cli, echo, format_option, graph_flag, source_options


#: The KEY=VALUE options of the review commands.
SLOT_ENTITY = KeyValue("SLOT=ENTITY", what="a slot such as agent or work, and a name, CURIE or IRI")
SLOT_CLASS = KeyValue("SLOT=CLASS", what="a slot such as agent or work, and a class such as Person or Song")
SLOT_WORDS = KeyValue("SLOT=WORDS", what="a slot such as agent, and the words the sentence writes for it")


@cli.group("review")
def review() -> None:
    """Review the candidate facts 'collabgraph ingest' proposed from articles.

    Accepted and edited candidates become graph/articles/<id>.ttl after every
    change (validated with the whole graph first: a change the graph refuses
    changes nothing). A mention that is only a fuzzy match is never linked on
    its own: choose with --link SLOT=ENTITY or --new SLOT.

    Example: collabgraph review list --status pending && collabgraph review accept 261c4d3d
    """


def review_graph_option(f: Callable) -> Callable:
    return source_options(f)


def _review(graph_dir: Path, ontology_dir: Path | None) -> Any:
    from ..ingest.review import Review

    return Review(graph_dir, ontology_dir)


@review.command("list")
@review_graph_option
@click.option("--article", type=TEXT, help="Only this article's candidates (its id).")
@click.option("--status", type=click.Choice(["pending", "accepted", "edited", "rejected"]), help="Only this status.")
@click.option("--kind", type=click.Choice(["credit", "membership", "claim", "entity"]), help="Only this kind.")
@click.option("--rule", type=TEXT, help="Only candidates proposed by this rule (its code, see --format json).")
@click.option("--min-score", type=click.FloatRange(0, 1), help="Only candidates scored at least this (0-1).")
@click.option("--since", metavar="DAY", type=TEXT,
              help="Only articles ingested on or after DAY: YYYY-MM-DD, 'today' or 'yesterday'.")
@format_option("table", "json")
def review_list(graph_dir: Path, ontology_dir: Path | None, article: str | None, status: str | None,
                kind: str | None, rule: str | None, min_score: float | None, since: str | None, fmt: str) -> None:
    """List candidates, filtered by article, status, kind, rule, score or ingest day.

    Entities are shown by name, rules and links in words; each candidate's
    sentence is numbered as 'review sentences' numbers it. A list of several
    articles (a day's queue) says which article each candidate is from.

    Example: collabgraph review list --status pending --since today
    """
    r = _review(graph_dir, ontology_dir)
    found = r.candidates(article=article, status=status, rule=rule, min_score=min_score, kind=kind, since=since)
    problems = {c.id: r.problems(c) for c in found}
    shown = {c.id: r.shown(c) for c in found}
    if fmt == "json":
        click.echo(to_json([{**c.to_dict(), "problems": problems[c.id], "shown": shown[c.id]} for c in found]))
        return
    if not found:
        echo("no candidates" + (" fit these filters" if any((article, status, kind, rule, min_score, since)) else
                                 "; run 'collabgraph ingest ARTICLE' first"), err=True)
        return
    # a queue of several articles says where each candidate comes from
    many = len({c.article for c in found}) > 1
    echo(table((["article"] if many else []) + ["id", "sentence", "status", "score", "found by", "what"],
               [(([c.article] if many else []) + [c.id, shown[c.id]["sentences"] or "?", c.status, f"{c.score:.2f}",
                  shown[c.id]["rule"], shown[c.id]["what"] + (" (!)" if problems[c.id] else "")]) for c in found]))
    for line in dict.fromkeys(p for c in found for p in problems[c.id]):
        echo(f"(!) {line}", err=True)


@review.command("articles")
@review_graph_option
@click.option("--since", metavar="DAY", type=TEXT,
              help="Only articles ingested on or after DAY: YYYY-MM-DD, 'today' or 'yesterday'.")
@format_option("table", "json")
def review_articles(graph_dir: Path, ontology_dir: Path | None, since: str | None, fmt: str) -> None:
    """List the articles under review: id (what --article takes), title or headline,
    the day each was ingested, and how many of its candidates are pending, accepted,
    edited and rejected.

    Example: collabgraph review articles --since today
    """
    found = _review(graph_dir, ontology_dir).articles(since=since)
    if fmt == "json":
        click.echo(to_json(found))
        return
    if not found:
        echo("no articles" + (" ingested since then" if since else "; run 'collabgraph ingest ARTICLE' first"),
             err=True)
        return
    echo(table(["article", "ingested", "pending", "accepted", "edited", "rejected", "title"],
               [(a["id"], a["ingested"] or "?", a["pending"], a["accepted"], a["edited"], a["rejected"],
                 a["title"] or "") for a in found]))
    left = sum(a["pending"] for a in found)
    echo(f"{left} candidate(s) pending in {sum(1 for a in found if a['pending'])} of {len(found)} article(s)"
         + (f": collabgraph review list{graph_flag(graph_dir)} --status pending{' --since ' + since if since else ''}"
            if left else ""),
         err=True)


@review.command("show")
@click.argument("cid", metavar="ID", type=TEXT)
@review_graph_option
@format_option("table", "json")
def review_show(cid: str, graph_dir: Path, ontology_dir: Path | None, fmt: str) -> None:
    """Show a candidate: its sentence with the mentions in [brackets], links, methods, suggestions."""
    from ..ingest.review import highlight

    r = _review(graph_dir, ontology_dir)
    c = r.get(cid)
    problems = r.problems(c)
    shown = r.shown(c)
    if fmt == "json":
        click.echo(to_json({**c.to_dict(), "problems": problems, "shown": shown}))
        return
    echo(f"{c.id}  {c.kind}, {c.status}; found by {shown['rule']} (rule {c.rule}), score {c.score:.2f}; "
          f"article {c.article}, sentence{'s' if '-' in (shown['sentences'] or '') else ''} {shown['sentences'] or '?'} "
          f"(characters {c.start}-{c.end})")
    echo(f"  {highlight(c)}")
    echo(f"  {shown['what']}")
    rows = []
    for slot, m in c.slots.items():
        s = shown["slots"][slot]
        close = "; ".join(f"{label} ({curie(iri)}, {score:.0f})" for iri, label, score in m.suggestions)
        entity = f"{s['name']} ({s['id']})" if s["id"] else s["name"] or "(choose)"
        rows.append((slot, s["words"] or "(not written in the sentence)", entity, s["how"], close))
    echo(table(["slot", "words", "entity", "how", "suggestions"], rows))
    for name, value in (("role", c.role), ("character", c.character), ("property", c.property),
                        ("value", c.value)):
        if value:
            echo(f"{name}: {value}")
    if c.date:
        echo(f"date: {c.date}" + (" (inferred from the publication date)" if c.date_inferred else ""))
    if c.by:
        echo(f"accepted with the fact(s) that need it: {', '.join(c.by)}" if c.status == "accepted" else
              f"needed by: {', '.join(c.by)}")
    for name, change in c.edits.items():
        echo(f"edited {name}: {_edit_value(change.get('from'))} -> {_edit_value(change.get('to'))}")
    for line in problems:
        echo(f"problem: {line}")


def _edit_value(value: Any) -> str:
    """A value of a candidate's edit log as a person reads it."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return curie(value)
    return str(value)


def _echo_review(result: Any, verb: str, graph_dir: Path) -> None:
    counts: dict[str, int] = {}
    for status in result.changed:
        counts[status] = counts.get(status, 0) + 1
    echo(", ".join(f"{status} {n}" for status, n in counts.items())
          or f"{verb} nothing" + (f": {result.reason}" if result.reason else ""))
    _echo_effects(result, graph_dir)


def _echo_effects(result: Any, graph_dir: Path) -> None:
    """The new entities that followed a change, what was skipped, and the files written."""
    for cid, status, name, by in result.followed:
        echo(f"{'accepted' if status == 'accepted' else 'back to pending'}: {cid} (new {name}), "
              + (f"needed by {', '.join(by)}" if by else "no accepted fact needs it any more"))
    for _cid, reason in result.skipped:
        echo(f"skipped: {reason}", err=True)
    for f in result.files:
        echo(f"{'wrote' if (graph_dir / f).exists() else 'removed'} {f}", err=True)
    if result.files:
        echo(f"next: {build_hint(graph_dir)}", err=True)


@review.command("accept")
@click.argument("ids", metavar="ID...", nargs=-1, type=TEXT)
@review_graph_option
@click.option("--all", "all_", is_flag=True, help="Accept every pending candidate that fits the filters below.")
@click.option("--article", type=TEXT, help="With --all: only this article's candidates.")
@click.option("--rule", type=TEXT, help="With --all: only candidates of this rule.")
@click.option("--min-score", type=click.FloatRange(0, 1), help="With --all: only candidates scored at least this.")
@click.option("--kind", type=click.Choice(["credit", "membership", "claim", "entity"]),
              help="With --all: only candidates of this kind.")
@click.option("--since", metavar="DAY", type=TEXT,
              help="With --all: only articles ingested on or after DAY (YYYY-MM-DD, 'today' or 'yesterday').")
@click.option("--link", "link_pairs", multiple=True, metavar="SLOT=ENTITY", type=SLOT_ENTITY,
              help="Link the mention in SLOT to this existing entity (a name, CURIE or IRI).")
@click.option("--new", "new_slots", multiple=True, metavar="SLOT", type=TEXT,
              help="Make the mention in SLOT a new entity.")
@click.option("--type", "type_pairs", multiple=True, metavar="SLOT=CLASS", type=SLOT_CLASS,
              help="The class of the new entity in SLOT (Person, Group, Song, TVSeries, ...).")
@click.option("-v", "--verbose", is_flag=True, help="With --all: list each fact accepted, and each new name with it.")
@format_option("table", "json")
def review_accept(ids: tuple[str, ...], graph_dir: Path, ontology_dir: Path | None, all_: bool,
                  article: str | None, rule: str | None, min_score: float | None, kind: str | None,
                  since: str | None, link_pairs: tuple[tuple[str, str], ...],
                  new_slots: tuple[str, ...], type_pairs: tuple[tuple[str, str], ...], verbose: bool,
                  fmt: str) -> None:
    """Accept candidates by id, or in bulk with --all: every pending candidate
    that fits the filters (the same as 'review list' takes). Candidates a person
    must decide first (a name to choose, a new name without a type) are left
    pending and listed as skipped.

    Example: collabgraph review accept --all --since today --min-score 0.7
    """
    r = _review(graph_dir, ontology_dir)
    if all_:
        if ids or link_pairs or new_slots or type_pairs:
            raise click.UsageError("--all takes no ids, --link, --new or --type (it leaves fuzzy mentions and "
                                   "untyped new names for a person)")
        result = r.accept_all(article=article, rule=rule, min_score=min_score, kind=kind, since=since)
    else:
        if article or rule or min_score is not None or kind or since:
            raise click.UsageError("--article, --rule, --min-score, --kind and --since go with --all")
        if not ids:
            raise click.UsageError("give candidate ids, or --all")
        result = r.accept(ids, links=dict(link_pairs), new=new_slots,
                          types=dict(type_pairs))
    if fmt == "json":
        click.echo(to_json(result.to_dict()))
    elif all_:
        _echo_bulk(r, result, graph_dir, verbose)
    else:
        _echo_review(result, "accepted", graph_dir)


def _echo_bulk(r: Any, result: Any, graph_dir: Path, verbose: bool) -> None:
    """What a bulk accept did: the facts it accepted, counted by kind (each with --verbose), then
    the new names they need, accepted with them (one line; each with --verbose)."""
    from ..ingest.reviewtext import kinds_text

    counts = result.by_kind("accepted")
    n = sum(counts.values())
    echo(f"accepted {n}: {kinds_text(counts)}" if n else
         "accepted nothing" + (f": {result.reason}" if result.reason else ""))
    if verbose:
        for cid, status, kind in zip(result.ids, result.changed, result.kinds):
            if status == "accepted":
                echo(f"accepted {kind}: {cid}: {r.shown(r.get(cid))['what']}")
    names = [(cid, name) for cid, status, name, _by in result.followed if status == "accepted"]
    if names and not verbose:
        echo(f"with them, {len(names)} new name(s) they need: {', '.join(name for _, name in names)}")
        result = replace(result, followed=[f for f in result.followed if f[1] != "accepted"])
    _echo_effects(result, graph_dir)


@review.command("reject")
@click.argument("ids", metavar="ID...", nargs=-1, required=True, type=TEXT)
@review_graph_option
@click.option("--cascade", is_flag=True,
              help="Rejecting a proposed new entity: also reject the accepted facts that need it.")
@format_option("table", "json")
def review_reject(ids: tuple[str, ...], graph_dir: Path, ontology_dir: Path | None, cascade: bool, fmt: str) -> None:
    """Reject candidates (an ingest of the same article never proposes them again).

    A new entity that accepted facts need is refused, naming them; --cascade
    rejects those facts with it."""
    result = _review(graph_dir, ontology_dir).reject(ids, cascade=cascade)
    if fmt == "json":
        click.echo(to_json(result.to_dict()))
    else:
        _echo_review(result, "rejected", graph_dir)


@review.command("edit")
@click.argument("cid", metavar="ID", type=TEXT)
@review_graph_option
@click.option("--role", type=TEXT, help="The credit's role (a role of the scheme: actor, composer, ...).")
@click.option("--character", type=TEXT, help="The character played (a credit).")
@click.option("--date", type=TEXT, help="The date: YYYY, YYYY-MM, YYYY-MM-DD, or words the sentence writes such as 'last Friday'.")
@click.option("--link", "link_pairs", multiple=True, metavar="SLOT=ENTITY", type=SLOT_ENTITY,
              help="Link the mention in SLOT to this existing entity (a name, CURIE or IRI).")
@click.option("--new", "new_slots", multiple=True, metavar="SLOT", type=TEXT,
              help="Make the mention in SLOT a new entity.")
@click.option("--type", "type_pairs", multiple=True, metavar="SLOT=CLASS", type=SLOT_CLASS,
              help="The class of the new entity in SLOT (Person, Group, Song, TVSeries, ...).")
@format_option("table", "json")
def review_edit(cid: str, graph_dir: Path, ontology_dir: Path | None, role: str | None, character: str | None,
                date: str | None, link_pairs: tuple[tuple[str, str], ...], new_slots: tuple[str, ...],
                type_pairs: tuple[tuple[str, str], ...], fmt: str) -> None:
    """Change a candidate and accept it as edited (what was proposed is kept in its edits)."""
    result = _review(graph_dir, ontology_dir).edit(cid, role=role, character=character, date=date,
                                                   links=dict(link_pairs), new=new_slots, types=dict(type_pairs))
    if fmt == "json":
        click.echo(to_json(result.to_dict()))
    else:
        _echo_review(result, "edited", graph_dir)


@review.command("sentences")
@click.argument("article", metavar="ARTICLE_ID", type=TEXT)
@review_graph_option
@click.option("--unread", is_flag=True, help="Only the sentences marked '?': two or more names, one of them in no "
                                            "fact read from the sentence (where to look for a fact the readers "
                                            "missed).")
@format_option("table", "json")
def review_sentences(article: str, graph_dir: Path, ontology_dir: Path | None, unread: bool, fmt: str) -> None:
    """Number the article's sentences (for 'collabgraph review add --sentence N').
    A '?' marks a sentence that names two or more entities, one of them (a person, a group
    or a name of no stated kind) in no fact the readers proposed from it.

    Example: collabgraph review sentences winter-single --unread
    """
    r = _review(graph_dir, ontology_dir)
    sents = r.sentences(article)
    marked = set(r.load(article).unread)
    rows = [(n, sent) for n, sent in enumerate(sents, 1) if not unread or n in marked]
    if fmt == "json":
        click.echo(to_json([{"n": n, "sentence": s, "start": a, "end": b, "unread": n in marked}
                            for n, (s, a, b) in rows]))
        return
    for n, (s, _, _) in rows:
        echo(f"{n:>3}{'?' if n in marked else ' '} {s}")


@review.command("add")
@click.argument("article", metavar="ARTICLE_ID", type=TEXT)
@review_graph_option
@click.option("--sentence", "n", type=int, required=True, help="The sentence that states the fact (see 'review sentences').")
@click.option("--agent", type=TEXT, help="A credit's who: a name of the graph (or its id), or a new name.")
@click.option("--work", type=TEXT, help="A credit's in what: a name of the graph (or its id), or a new name.")
@click.option("--role", type=TEXT, help="A credit's role: a role of the scheme (actor, cameo, featured artist, ...).")
@click.option("--character", type=TEXT, help="The character played.")
@click.option("--member", type=TEXT, help="A membership's member (instead of --agent/--work/--role).")
@click.option("--group", type=TEXT, help="A membership's group.")
@click.option("--date", type=TEXT,
              help="The date (a membership's start): YYYY, YYYY-MM, YYYY-MM-DD, or words such as 'last Friday'.")
@click.option("--type", "type_pairs", multiple=True, metavar="SLOT=CLASS", type=SLOT_CLASS,
              help="The class of a new name: agent=Person, work=MusicVideo, ...")
@click.option("--words", "word_pairs", multiple=True, metavar="SLOT=WORDS", type=SLOT_WORDS,
              help="What the sentence writes for a side when it is not the name (agent=she).")
@click.option("--accept", is_flag=True, help="Accept the fact at once.")
@format_option("table", "json")
def review_add(article: str, graph_dir: Path, ontology_dir: Path | None, n: int, agent: str | None,
               work: str | None, role: str | None, character: str | None, member: str | None, group: str | None,
               date: str | None, type_pairs: tuple[tuple[str, str], ...], word_pairs: tuple[tuple[str, str], ...],
               accept: bool, fmt: str) -> None:
    """Add a fact the extractor missed (a credit, or a membership), quoting one sentence of the article.

    Names are resolved to the graph's entities exactly (case and hyphens
    aside); a name the graph does not know is a new entity and needs --type.
    The fact is a candidate like any other (pending unless --accept).

    \b
    Example: collabgraph review add winter-single --sentence 5 --agent "Um Tae-hwa"
      --type agent=Person --work "Love wins all" --role "music video director" --accept
    """
    if member is None and group is None and not (agent and work and role):
        raise click.UsageError("give --agent, --work and --role (a credit), or --member and --group (a membership)")
    result = _review(graph_dir, ontology_dir).add(article, n, agent=agent, work=work, role=role, character=character,
                                                  member=member, group=group, date=date, types=dict(type_pairs),
                                                  words=dict(word_pairs), accept=accept)
    if fmt == "json":
        click.echo(to_json(result.to_dict()))
        return
    echo(f"added {result.ids[0]} ({result.changed[0]})")
    _echo_effects(result, graph_dir)


@review.command("undo")
@click.argument("ids", metavar="ID...", nargs=-1, required=True, type=TEXT)
@review_graph_option
@format_option("table", "json")
def review_undo(ids: tuple[str, ...], graph_dir: Path, ontology_dir: Path | None, fmt: str) -> None:
    """Put accepted, edited or rejected candidates back to pending.

    Example: collabgraph review undo 261c4d3d
    """
    result = _review(graph_dir, ontology_dir).reopen(ids)
    if fmt == "json":
        click.echo(to_json(result.to_dict()))
    else:
        _echo_review(result, "undone", graph_dir)


@review.command("merge")
@click.option("--article", type=TEXT, help="Only this article (default: every article).")
@review_graph_option
def review_merge(article: str | None, graph_dir: Path, ontology_dir: Path | None) -> None:
    """Write graph/articles/<id>.ttl again from the accepted and edited candidates."""
    r = _review(graph_dir, ontology_dir)
    files = []
    for aid in [article] if article else r.article_ids():
        files += r.merge(aid).files
    for f in files:
        echo(f"{'wrote' if (graph_dir / f).exists() else 'removed'} {f}", err=True)
    echo(f"{len(files)} file(s) changed" if files else "nothing changed")
    if files:
        echo(f"next: {build_hint(graph_dir)}", err=True)
