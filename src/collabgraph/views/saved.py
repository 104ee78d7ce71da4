"""Saved queries: named, documented SPARQL files shipped in ``saved/``, for the
common questions. Each file starts with comment lines giving its title, its
description and its parameters (``# param NAME: KIND — help``). Parameters
are converted by kind and bound through a VALUES block, never pasted:

- ``entity``: any name, alias, CURIE or IRI, resolved like ``collabgraph entity``;
- ``role``: a role of the scheme (``actor``, ``cameo`` ...);
- ``type``: a class of the ontology (``Person``, ``KDrama`` ...);
- ``integer``: a whole number; ``string``: text as is.

>>> sorted(saved_queries())[:3]
['co-appearances', 'collaborators', 'conflicting-claims']
>>> saved_queries()["collaborators"].params[0].name
'agent'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from ..core.packaged import package_file
from typing import TYPE_CHECKING, Any

from ..core.errors import CollabGraphError, QueryError
from ..core.names import close_matches
from .entities import resolve

if TYPE_CHECKING:
    from .reader import Reader

__all__ = ["SavedQuery", "Param", "saved_queries", "bind_saved", "PRECOMPUTED"]

KINDS = ("entity", "role", "type", "integer", "string")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    help: str


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "description": self.description,
                "params": [p.__dict__ for p in self.params], "query": self.text}


_PARAM = re.compile(r"^#\s*param\s+(\w+)\s*:\s*(\w+)\s*(?:—|-)?\s*(.*)$")


@cache
def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query, by name."""
    folder = package_file("saved")
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text("utf-8")
        meta: dict[str, str] = {}
        params = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            m = _PARAM.match(line)
            if m:
                if m.group(2) not in KINDS:
                    raise ValueError(f"{entry.name}: unknown parameter kind {m.group(2)!r}")
                params.append(Param(m.group(1), m.group(2), m.group(3).strip()))
            elif ":" in line:
                k, _, v = line[1:].partition(":")
                meta[k.strip()] = v.strip()
        name = entry.name[:-3]
        out[name] = SavedQuery(name, meta.get("title", name), meta.get("description", ""), tuple(params), text)
    return out


def bind_saved(r: "Reader", name: str, args: dict[str, str]) -> tuple[SavedQuery, dict[str, Any]]:
    """The saved query ``name`` and its arguments converted to RDF terms.

    :raises CollabGraphError: for an unknown query, a missing or unknown
        parameter, or a value of the wrong kind.
    :raises EntityNotFound: for an entity parameter naming nobody (role and type
        parameters naming nothing raise CollabGraphError with close names).
    """
    queries = saved_queries()
    if name not in queries:
        raise CollabGraphError(f"no saved query {name!r}; 'collabgraph sparql --list' shows them: "
                               + ", ".join(sorted(queries)))
    q = queries[name]
    expected = {p.name: p for p in q.params}
    unknown = sorted(set(args) - set(expected))
    if unknown:
        raise CollabGraphError(f"{name} takes {', '.join(expected) or 'no parameters'}, not {', '.join(unknown)}")
    missing = [p for p in q.params if p.name not in args]
    if missing:
        raise CollabGraphError(f"{name} needs " + ", ".join(f"--bind {p.name}=... ({p.kind}: {p.help})" for p in missing))
    bound = {p: _convert(r, name, expected[p], v) for p, v in args.items()}
    if name in PRECOMPUTED:  # the same rows from counts a build made once (see views.toppairs)
        from dataclasses import replace

        try:
            text = PRECOMPUTED[name](r)
        except QueryError:  # e.g. a server's row cap on the counting pass: the saved text answers
            text = None
        if text is not None:
            q = replace(q, text=text)
    return q, bound


def _top_collaborations(r: "Reader") -> str | None:
    from .toppairs import fast_text

    return fast_text(r.store, r.cache_dir)


#: Saved queries answered from counts made at build time: same rows, read in milliseconds.
PRECOMPUTED = {"top-collaborations": _top_collaborations}


def _convert(r: "Reader", query: str, param: Param, value: str) -> Any:
    # rdflib here, not at the top: the server lists the saved queries (/saved.json, /query) and never
    # binds one, and a server process keeps what it imports (issue 23, memory).
    from rdflib import URIRef

    from ..core.namespaces import CG, ROLE

    if param.kind == "entity":
        return URIRef(resolve(r, value).iri)
    if param.kind == "integer":
        try:
            return int(value)
        except ValueError:
            raise CollabGraphError(f"{query}: {param.name} must be a whole number, not {value!r}") from None
    if param.kind in ("role", "type"):
        iri = URIRef((ROLE if param.kind == "role" else CG)[value.strip()])
        test = "ASK { ?c skos:inScheme cg:roles }" if param.kind == "role" else "ASK { ?c a owl:Class }"
        if not r.store.query(test, {"c": iri}):
            options = _choices(r, param.kind)
            close = [o for o, _ in close_matches(value, options, limit=8)] or options[:8]
            raise CollabGraphError(f"{query}: no {param.kind} named {value!r}; did you mean: {', '.join(close)}? "
                                   f"('collabgraph sparql --list' shows every parameter)")
        return iri
    return value


def _choices(r: "Reader", kind: str) -> list[str]:
    if kind == "role":
        rows = r.store.select("SELECT ?c WHERE { ?c skos:inScheme cg:roles }")
        return sorted(r["c"].value.rsplit("/", 1)[-1] for r in rows)
    rows = r.store.select("SELECT ?c WHERE { ?c a owl:Class . FILTER STRSTARTS(STR(?c), STR(cg:)) }")
    return sorted(r["c"].value.rsplit("#", 1)[-1] for r in rows)
