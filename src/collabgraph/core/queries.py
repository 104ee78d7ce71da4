"""SPARQL text shipped with the package: ``queries/*.rq`` (read side) and
``rules/*.ru`` (inference, SPARQL updates). Parameters are bound by the store, never pasted.

>>> "cg:agent" in query_text("collaborators-of")
True
"""

from __future__ import annotations

import re
from functools import cache
from .packaged import package_file

__all__ = ["query_text", "rule_texts", "rule_construct"]


@cache
def query_text(name: str) -> str:
    """The text of ``queries/<name>.rq``."""
    return package_file("queries", f"{name}.rq").read_text("utf-8")


@cache
def rule_texts() -> list[tuple[str, str]]:
    """``(name, text)`` of every inference rule (a SPARQL update), in the order they run."""
    folder = package_file("rules")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".ru"))
    return [(n[:-3], folder.joinpath(n).read_text("utf-8")) for n in names]


_INSERT_INFERRED = re.compile(r"\s*INSERT\s*\{\s*GRAPH\s+graph:inferred\s*\{(.*?)\}\s*\}\s*WHERE\b(.*)\Z", re.S)


def rule_construct(text: str) -> str | None:
    """The CONSTRUCT query deriving what the rule ``text`` inserts, when the
    rule has the usual form ``INSERT { GRAPH graph:inferred { T } } WHERE { P }``
    (else ``None``). A build runs these read-only queries while validation
    reads the same store.

    >>> rule_construct("# c\\nINSERT { GRAPH graph:inferred { ?a cg:x ?b } } WHERE { ?a cg:y ?b }")
    'CONSTRUCT { ?a cg:x ?b } WHERE { ?a cg:y ?b }'
    """
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    match = _INSERT_INFERRED.match(body)
    if match is None or "INSERT" in match.group(2).upper() or "DELETE" in match.group(2).upper():
        return None
    return f"CONSTRUCT {{{match.group(1)}}} WHERE{match.group(2)}"
