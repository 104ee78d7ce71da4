"""SPARQL text shipped with the package: ``queries/*.rq`` (read side) and
``rules/*.ru`` (inference, SPARQL updates). Parameters are bound by the store, never pasted.

>>> "cg:agent" in query_text("collaborators-of")
True
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["query_text", "rule_texts"]


@cache
def query_text(name: str) -> str:
    """The text of ``queries/<name>.rq``."""
    return resources.files(__package__).joinpath("queries", f"{name}.rq").read_text("utf-8")


@cache
def rule_texts() -> list[tuple[str, str]]:
    """``(name, text)`` of every inference rule (a SPARQL update), in the order they run."""
    folder = resources.files(__package__).joinpath("rules")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".ru"))
    return [(n[:-3], folder.joinpath(n).read_text("utf-8")) for n in names]
