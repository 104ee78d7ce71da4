"""Entities and their connections: entity, search, collaborators, works, path."""

from __future__ import annotations

import re
import shlex
from typing import Any

import click

from ..api import CollabGraph, Entity, SharedWork
from ..core.errors import CollabGraphError, EntityNotFound
from ..core.output import table, to_json
from ..views.records import date_shown
from .common import TEXT, cli, echo, format_option, with_graph


@cli.command()
@click.argument("name", type=TEXT)
@with_graph
@format_option("table", "json")
def entity(kg: CollabGraph, name: str, fmt: str) -> None:
    """Show one entity: names, types, identifiers, credits and claims.

    NAME can be any label or alias (case, spaces and hyphens do not matter),
    an identifier like id:v, or an IRI.

    Example: collabgraph entity taehyung
    """
    e = kg.entity(name)
    credits, claims = kg.credits(e), kg.claims(e)
    if fmt == "json":
        click.echo(to_json({**e.to_dict(), "credits": [c.to_dict() for c in credits],
                            "claims": [c.to_dict() for c in claims]}))
        return
    echo(f"{e.label}  ({e.id})")
    echo(f"  type:     {', '.join(e.types)}")
    echo(f"  labels:   {', '.join(f'{v}@{k}' if k else v for k, v in sorted(e.labels.items()))}")
    if e.aliases:
        echo(f"  aliases:  {', '.join(e.aliases)}")
    for qid in e.wikidata:
        echo(f"  wikidata: {qid}")
    if credits:
        click.echo()
        click.echo(_credits_table(credits, e))
    if claims:
        click.echo()
        click.echo(table(["claim", "value", "claimed by", "quote"],
                         [(c.property, mark_inferred(c.value_label, c), c.claimed_by.label if c.claimed_by else "",
                           c.citation + _reasons([c])) for c in claims]))


#: Marks the part of a line that is an editor's inference; the line's quote
#: cell (or the line after a path hop) then gives the reason.
INFERRED = "*"


def mark_inferred(text: str, fact: Any) -> str:
    """``text`` with the inference marker when ``fact`` is an editor's inference."""
    return text + INFERRED if fact.editors_inference else text


def _reasons(facts: Any, *, who: bool = False) -> str:
    """The reasons of the facts that are editors' inferences, to follow a quote
    on the same line; ``who`` names the agent and role of each credit."""
    notes = [f"[{INFERRED}editor's inference{f' ({c.agent.label}, {c.role})' if who else ''}: "
             f"{c.editors_inference}]" for c in facts if c.editors_inference]
    return "".join("  " + n for n in notes)


def _roles(work: SharedWork, agent: Entity) -> str:
    """The roles of ``agent`` on a shared work, each marked when its credit is inferred."""
    inferred = {c.role for c in work.inferred if c.agent.iri == agent.iri}
    return ", ".join(r + (INFERRED if r in inferred else "") for r in work.roles_of(agent))


def _credits_table(credits: list, e: Entity) -> str:
    rows = []
    for c in credits:
        other = c.work if c.agent.iri == e.iri else c.agent
        role = mark_inferred(c.role, c) + (f" ({c.instrument})" if c.instrument else "") + (" (debut)" if c.debut else "")
        rows.append((other.label, other.type, role,
                     c.character.label if c.character else "",
                     date_shown(c.date) or (f"{date_shown(c.released)} (release)" if c.released else ""),
                     c.citations[0] + _reasons([c])))
    return table(["credited with" if credits and credits[0].work.iri == e.iri else "work",
                  "type", "role", "character", "date", "quote"], rows)


@cli.command()
@click.argument("text", type=TEXT)
@with_graph
@click.option("--limit", default=10, show_default=True, help="At most this many results.")
@format_option("table", "json")
def search(kg: CollabGraph, text: str, limit: int, fmt: str) -> None:
    """Find entities whose names contain TEXT.

    Example: collabgraph search park
    """
    if not text.strip():
        raise click.UsageError("TEXT is empty: give part of a name, e.g. collabgraph search park")
    found = kg.search(text, limit=limit + 1)  # one more, to tell the user when there are more
    more, found = len(found) > limit, found[:limit]
    if not found:
        _no_match_hint(kg, text)
    if fmt == "json":
        click.echo(to_json([e.to_dict() for e in found]))
    elif found:
        click.echo(table(["id", "label", "type"], [(e.id, e.label, e.type) for e in found]))
    if more:
        echo(f"note: the first {limit} shown; more names contain {text!r} (--limit N shows more)", err=True)


@cli.command()
@click.argument("name", type=TEXT)
@with_graph
@format_option("table", "json")
def collaborators(kg: CollabGraph, name: str, fmt: str) -> None:
    """List the agents credited on the same works as NAME, with the works and quotes.

    Example: collabgraph collaborators V
    """
    a = kg.entity(name, want="agent")
    found = kg.collaborators(a)
    if not found:
        why_empty(kg, a, "collaborators")
    if fmt == "json":
        click.echo(to_json({"agent": a.to_dict(), "collaborators": [c.to_dict() for c in found]}))
        return
    if not found:
        return
    rows = []
    for c in found:
        for w in c.works:
            theirs, mine = w.evidence(c.agent), w.evidence(a)
            cited = [e[0] for e in dict.fromkeys(x for x in (theirs, mine) if x is not None)]
            rows.append((c.agent.label, w.work.label, _roles(w, a), _roles(w, c.agent),
                         " / ".join(cited) + _reasons(w.inferred, who=True)))
    click.echo(table(["collaborator", "work", f"role of {a.label}", "their role",
                      "their credit's quote / yours"], rows))


@cli.command()
@click.argument("name", type=TEXT)
@with_graph
@format_option("table", "json")
def works(kg: CollabGraph, name: str, fmt: str) -> None:
    """List the works of an agent with role, character, date and quote.

    Example: collabgraph works V
    """
    a = kg.entity(name, want="agent")
    credits = kg.works(a)
    if not credits:
        why_empty(kg, a, "works")
    if fmt == "json":
        click.echo(to_json({"agent": a.to_dict(), "credits": [c.to_dict() for c in credits]}))
        return
    if credits:
        click.echo(_credits_table(credits, a))


def _not_an_agent(kg: CollabGraph, e: Entity) -> tuple[str, str] | None:
    """``None`` for an agent; else what ``e`` is ("a work (MusicVideo)", "a Character")
    and what `collabgraph entity` shows of it."""
    kind = kg.kind(e)
    if kind == "agent":
        return None
    what = f"a work ({e.type})" if kind == "work" else f"{'an' if e.type[:1] in 'AEIOU' else 'a'} {e.type}"
    return what, "lists who is credited on it" if kind == "work" else "shows what the graph says about it"


def shell(text: str) -> str:
    """``text`` as one shell word, in double quotes where that is enough."""
    if re.fullmatch(r"[\w.:@%+=-]+", text):
        return text
    if not re.search(r'["$`\\!]', text):
        return f'"{text}"'
    return shlex.quote(text)


def why_empty(kg: CollabGraph, e: Entity, command: str) -> None:
    """Say on stderr why ``command`` found nothing for ``e``, and what to try."""
    other = _not_an_agent(kg, e)
    if other is not None:
        echo(f"{e.label} is {other[0]}, not an agent; `collabgraph entity {shell(e.label)}` {other[1]}", err=True)
        return
    members = [c for c in kg.claims(e) if c.kind == "Membership" and c.property == "cg:member"]
    own = kg.works(e) if command == "collaborators" else []
    if own:
        echo(f"{e.label} shares no work with another agent; `collabgraph works {shell(e.label)}` "
              f"lists its {len(own)} credit(s)", err=True)
    elif members:
        names = [m.value_label for m in members]
        echo(f"{e.label} has no credits of its own; it is a group with the member(s) {', '.join(names)}: "
              f"try `collabgraph {command} {shell(names[0])}`", err=True)
    else:
        echo(f"{e.label} has no credits in the graph", err=True)


def _no_match_hint(kg: CollabGraph, text: str) -> None:
    try:
        kg.entity(text)
    except EntityNotFound as exc:
        hint = f"; did you mean: {', '.join(exc.suggestions)}?" if exc.suggestions else "; try a shorter part of it"
        echo(f"no entity has a name containing {text!r}{hint}", err=True)
    except CollabGraphError:
        echo(f"no entity has a name containing {text!r}", err=True)


def _one_line(text: str) -> str:
    """A quote for a terminal: its line breaks as spaces (the words are the source's; the JSON keeps them)."""
    return re.sub(r"\s*\n\s*", " ", text)


@cli.command()
@click.argument("source", type=TEXT)
@click.argument("target", type=TEXT)
@with_graph
@format_option("table", "json")
def path(kg: CollabGraph, source: str, target: str, fmt: str) -> None:
    """Show the shortest connection between two agents, hop by hop, with the
    work, the roles and the quote behind each hop.

    Example: collabgraph path IU "Park Seo-joon"
    """
    ends = [kg.entity(source, want="agent"), kg.entity(target, want="agent")]
    for e in ends:
        other = _not_an_agent(kg, e)
        if other is not None:
            raise CollabGraphError(f"{e.label} is {other[0]}, not an agent: a path joins two agents; "
                                   f"`collabgraph entity {shell(e.label)}` {other[1]}")
    hops = kg.path(*ends)
    if fmt == "json":
        click.echo(to_json([h.to_dict() for h in hops]))
        return
    echo(" – ".join([hops[0].source.label, *(h.target.label for h in hops)]))
    for i, h in enumerate(hops, 1):
        click.echo()
        if h.kind == "membership":
            member, group = (h.member, h.group) if h.member and h.group else (h.source, h.target)
            echo(f"{i}. {member.label} is a member of {group.label}")
        else:
            first = h.works[0]  # a collaboration hop: its first shared work is h.work
            echo(f"{i}. {h.source.label} ({_roles(first, h.source)}) and {h.target.label} "
                 f"({_roles(first, h.target)}) on {first.work.label} [{first.work.type}]")
            if len(h.works) > 1:
                echo(f"   also: {', '.join(w.work.label for w in h.works[1:])}")
        cited = h.cited()  # each side's own words (or record), once if shared, with where they are from
        for k, said in enumerate(cited):
            # a quote over a title line and its sentence ("2-3") on one line: the hop's indentation holds
            echo(f"   “{_one_line(said['text'])}”" if said["quote"] else f"   {said['text']}")
            for d in said["described"]:  # why "the video" is Night Bus: the sentence that names it
                echo(f"     “{d.words}” is {d.entity.label}, named in: “{_one_line(d.named_in)}”")
            following = cited[k + 1]["source"] if k + 1 < len(cited) else None
            if said["source"] is not None and said["source"] != following:  # once for quotes of one source
                echo(f"   source: {said['source'].shown()}")
        for c in (h.works[0].inferred if h.works else []):
            echo(f"   {INFERRED}editor's inference ({c.agent.label}, {c.role}): {c.editors_inference}")
