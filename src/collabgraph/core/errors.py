"""Domain exceptions. The CLI and the server map these to one-line messages.

Every exception carries what a person needs to fix the problem: the file and
line, the entity, the rule. ``str(exc)`` is that one line (or, for
:class:`ValidationError`, one line per problem). ``http_status`` is the status
the SPARQL server answers with when a request fails with it (500 unless the
class says otherwise: the client's mistakes are 4xx, a failed remote 502).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "CollabGraphError", "SourceError", "SourceSyntaxError", "SourceRefused", "ValidationError", "Problem",
    "EntityNotFound", "AmbiguousEntity", "QueryError", "QuerySyntaxError", "QueryTooComplex", "UpdateNotAllowed", "BuildNotFound",
    "NoPath", "SameEntity", "StoreBusy", "ServeError", "WriteFailed", "OutgoingRefused", "OutgoingFailed",
    "ResultTooLarge", "UpdateFailed", "QueryCrashed", "WorkerError", "Refused", "BodyTooLarge", "BodyTooSlow",
    "http_status",
]


class CollabGraphError(Exception):
    """Base class of every error collabgraph raises on purpose."""

    #: The HTTP status the server answers with for this error.
    http_status: int = 500


def http_status(exc: BaseException) -> int:
    """The HTTP status for ``exc``: its class's ``http_status``, 500 for any other exception.

    >>> http_status(QuerySyntaxError("expected ...", 1, 2)), http_status(KeyError("x"))
    (400, 500)
    """
    return getattr(exc, "http_status", 500) if isinstance(exc, CollabGraphError) else 500


def no_graph_directory(shown: str) -> str:
    """The one line for a graph directory that is not there, saying how to name one (``shown``:
    the directory as the user wrote it)."""
    return f"{shown}: no such graph directory; run where graph/ is, or name it with --graph DIR"


class SourceError(CollabGraphError):
    """A source directory or file cannot be read (missing, wrong kind)."""


class SourceSyntaxError(SourceError):
    """A source file is not valid RDF.

    >>> str(SourceSyntaxError("graph/a.ttl", 3, 11, "Unexpected end of file"))
    'graph/a.ttl:3:11: syntax error: Unexpected end of file'
    """

    def __init__(self, path: str, line: int | None, column: int | None, message: str):
        self.path, self.line, self.column, self.message = path, line, column, message
        where = path + (f":{line}" if line else "") + (f":{column}" if line and column else "")
        super().__init__(f"{where}: syntax error: {message}")


class SourceRefused(SourceError):
    """A source file is refused before or while it is read: it writes outside
    its own named graph, or goes past a limit (entity expansion, literal size).

    >>> str(SourceRefused("graph/a.trig", 4, "states triples in the named graph <https://e/g>"))
    'graph/a.trig:4: states triples in the named graph <https://e/g>'
    """

    def __init__(self, path: str, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}{f':{line}' if line else ''}: {message}")


@dataclass(frozen=True)
class Problem:
    """One failed check: where, what, and which rule.

    >>> print(Problem("graph/a.ttl", "fact:c1", "cg:CreditShape", "needs a quote"))
    graph/a.ttl: fact:c1: needs a quote [cg:CreditShape]
    """

    file: str
    focus: str
    rule: str
    message: str
    path: str | None = field(default=None)

    def __str__(self) -> str:
        return f"{self.file}: {self.focus}: {self.message} [{self.rule}]"


class ValidationError(CollabGraphError):
    """The data breaks the contract in ``ontology/shapes.ttl``."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class UnstatedFact(CollabGraphError):
    """A fact a person accepts, adds or edits whose sentence does not state it
    (the check of ``validate --strict``, run as it is decided): one line for
    the first, and ``reasons`` (candidate id -> why) for every one."""

    http_status = 400

    def __init__(self, reasons: dict[str, str]):
        self.reasons = reasons
        first = next(iter(reasons.values()))
        more = f" (and {len(reasons) - 1} more candidate(s) whose sentence does not say them)" if len(reasons) > 1 else ""
        super().__init__(first + more + "; nothing was changed")


class EntityNotFound(CollabGraphError, LookupError):
    """No entity has that name; ``suggestions`` lists close matches, and
    ``partial`` the entities with a longer name containing it.

    >>> str(EntityNotFound("Tehyung", ["Taehyung (id:v)"]))
    "no entity named 'Tehyung'; did you mean: Taehyung (id:v)?"
    >>> str(EntityNotFound("Park", partial=["Park Seo-joon (id:park-seo-joon)", "Park Hyung-sik (id:park-hyung-sik)"]))
    "no entity named 'Park'; 2 names contain it: Park Seo-joon (id:park-seo-joon), Park Hyung-sik (id:park-hyung-sik); 'collabgraph search Park' lists them all"
    """

    def __init__(self, name: str, suggestions: list[str] | None = None, *, partial: list[str] | None = None,
                 hint: str = ""):
        """``hint``: words after the name in place of the suggestions (where the name was looked for)."""
        self.name, self.suggestions, self.partial = name, list(suggestions or []), list(partial or [])
        if not hint and self.suggestions:
            hint = f"; did you mean: {', '.join(self.suggestions)}?"
        elif not hint and self.partial:
            shown = self.partial[:5] + (["..."] if len(self.partial) > 5 else [])
            count = f"{len(self.partial)}" if len(self.partial) <= 5 else "more than 5"
            hint = (f"; {count} {'names contain' if len(self.partial) > 1 else 'name contains'} it: {', '.join(shown)}; "
                    f"'collabgraph search {name}' lists them all")
        super().__init__(f"no entity named {name!r}{hint}")


class AmbiguousEntity(CollabGraphError, LookupError):
    """Several entities share a name; pass an identifier (``id:...``) instead."""

    def __init__(self, name: str, candidates: list[str]):
        self.name, self.candidates = name, candidates
        super().__init__(
            f"{name!r} names {len(candidates)} entities: {', '.join(candidates)}; "
            "use one of these identifiers"
        )


class QueryError(CollabGraphError, ValueError):
    """A SPARQL query cannot be run as asked (e.g. a binding it cannot take)."""

    http_status = 400
    #: The HTTP status a SPARQL server refused the query with (:mod:`collabgraph.store.remote`), else None.
    status: int | None = None


class QuerySyntaxError(QueryError):
    """A SPARQL query does not parse.

    >>> str(QuerySyntaxError("expected one of ...", 1, 26))
    'SPARQL syntax error at line 1, column 26: expected one of ...'
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        message = " ".join(message.split())  # one line, whatever the engine said
        self.message, self.line, self.column = message, line, column
        where = f" at line {line}, column {column}" if line is not None else ""
        super().__init__(f"SPARQL syntax error{where}: {message}")


class QueryTooComplex(QueryError):
    """A query the engine could not run without overflowing its stack (and
    killing the process), refused before the engine sees it.

    >>> str(QueryTooComplex("nests brackets more than 100 deep", 3, 7))
    'the query nests brackets more than 100 deep (line 3, column 7); it is refused before it reaches the engine, which would crash on it'
    """

    def __init__(self, why: str, line: int, column: int):
        self.line, self.column = line, column
        super().__init__(f"the query {why} (line {line}, column {column}); it is refused before it reaches the "
                         "engine, which would crash on it")


class UpdateNotAllowed(QueryError):
    """A SPARQL update (``INSERT``, ``DELETE``, ``LOAD`` ...) was given where only queries run.

    >>> str(UpdateNotAllowed("INSERT"))
    'this is a SPARQL update (INSERT), and only queries are run here'
    """

    def __init__(self, keyword: str, hint: str = ""):
        self.keyword = keyword
        super().__init__(f"this is a SPARQL update ({keyword}), and only queries are run here" + hint)


class BuildNotFound(CollabGraphError, FileNotFoundError):
    """There is no usable build at that path (run ``collabgraph build``)."""


class NoPath(CollabGraphError):
    """Two entities are not connected in the collaboration graph."""


class SameEntity(CollabGraphError, ValueError):
    """A question about two entities was asked about one (``path V taehyung``).

    >>> str(SameEntity("V (id:v)"))
    'both names are the same entity, V (id:v): a path needs two different agents'
    """

    def __init__(self, entity: object):
        self.entity = entity
        super().__init__(f"both names are the same entity, {entity}: a path needs two different agents")


class StoreBusy(CollabGraphError):
    """Another process holds the store for writing."""


class ServeError(CollabGraphError):
    """The server cannot start where it was asked to (port in use, address not here)."""


class WriteFailed(CollabGraphError):
    """A file could not be written (a full disk, no permission): nothing was changed.
    ``reason`` says why in a few words."""

    reason: str = ""


class OutgoingRefused(CollabGraphError):
    """The query or update would make the server send a request it may not send."""

    http_status = 403


class OutgoingFailed(CollabGraphError):
    """A SERVICE or LOAD request that was allowed failed (what it got is not repeated)."""

    http_status = 502


class ResultTooLarge(CollabGraphError):
    """A result past the server's ``max_rows`` or ``max_result_bytes``."""

    http_status = 413


class UpdateFailed(CollabGraphError):
    """The engine refused to apply an update (the client's mistake: 400)."""

    http_status = 400


class QueryCrashed(CollabGraphError):
    """A query that crashed a query worker: refused, and not run again."""

    http_status = 400


class WorkerError(CollabGraphError):
    """A query worker could not start, or stopped under a query (out of memory, killed)."""


class Refused(CollabGraphError):
    """The query queue cannot take the request now: ``http_status`` (503 or 429)
    and ``retry_after``, the seconds to wait.

    >>> e = Refused(429, 2, "too many queries"); (e.http_status, e.status, e.retry_after)
    (429, 429, 2)
    """

    http_status = 503

    def __init__(self, status: int, retry_after: int, message: str):
        super().__init__(message)
        self.http_status, self.retry_after = status, retry_after

    @property
    def status(self) -> int:
        """The old name of ``http_status``."""
        return self.http_status


class BodyTooLarge(CollabGraphError):
    """A request body past the server's ``--max-body``."""

    http_status = 413


class BodyTooSlow(BodyTooLarge):
    """A request body that did not arrive whole in time (``--body-timeout``)."""

    http_status = 408
