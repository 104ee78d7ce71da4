"""SPARQL: the sparql command, its bindings, hints and result tables."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path
from typing import Any

import click

from ..api import CollabGraph
from ..core.errors import CollabGraphError, UpdateNotAllowed
from ..core.formats import RESULT_FORMATS
from ..core.namespaces import curie, expand
from ..core.output import table, to_json
from ..core.sparqltext import query_form, query_variables
from .common import TEXT, KeyValue, cli, echo, format_option, with_graph


_TYPED = re.compile(r'^"(?P<text>.*)"(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(?P<dt>\S+))?$', re.S)


#: ``--bind NAME=VALUE``: VALUE may be empty (the empty string) and keeps its spaces.
BINDING = KeyValue("NAME=VALUE", empty_value=True, strip=False, stray="query")


def parse_binding(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` as a variable name and an RDF term.

    VALUE is ``<iri>``, a CURIE with a known prefix (``id:v``), an N-Triples-style
    literal (``"IU"@en``, ``"15"^^xsd:integer``), or else a plain string.

    >>> parse_binding('name="IU"@en')
    ('name', rdflib.term.Literal('IU', lang='en'))
    >>> parse_binding("agent=id:v")
    ('agent', rdflib.term.URIRef('https://w3id.org/collabgraph/id/v'))

    :raises click.BadParameter: if it is not NAME=VALUE, or names a bad IRI.
    """
    try:
        name, value = BINDING.convert(text, None, None)
    except click.BadParameter as exc:
        exc.param_hint = "--bind"
        raise
    return binding_term(name, value)


def binding_term(name: str, value: str) -> tuple[str, Any]:
    """The variable ``name`` (without ``?``) and the RDF term ``value`` writes (see :func:`parse_binding`)."""
    from rdflib import Literal, URIRef

    text = f"{name}={value}"
    name = name.lstrip("?$")
    if not name:
        raise click.BadParameter(f"{text!r}: use NAME=VALUE", param_hint="--bind")
    if value.startswith("<") and value.endswith(">"):
        return name, URIRef(_iri(text, value[1:-1]))
    m = _TYPED.match(value)
    if m:
        dt = m.group("dt")
        if dt:
            dt = dt[1:-1] if dt.startswith("<") else expand(dt) or dt
            return name, Literal(m.group("text"), datatype=URIRef(_iri(text, dt)))
        return name, Literal(m.group("text"), lang=m.group("lang"))
    iri = expand(value)
    return name, URIRef(_iri(text, iri)) if iri else value


def _iri(binding: str, iri: str) -> str:
    import pyoxigraph as ox

    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise click.BadParameter(f"{binding!r}: {iri!r} is not an absolute IRI ({exc})", param_hint="--bind") from None
    return iri


@cli.command()
@click.argument("query", required=False, type=TEXT, is_eager=True)  # before --bind: see BINDING
@with_graph
@click.option("--saved", "saved_name", metavar="NAME", type=TEXT, help="Run a saved query instead (see --list).")
@click.option("--list", "list_saved", is_flag=True, help="List the saved queries and their parameters.")
@click.option("--bind", "bindings", multiple=True, metavar="NAME=VALUE", type=BINDING,
              help='Bind ?NAME to VALUE. With --saved, VALUE is plain text (an entity name, a role, a year). '
                   'Otherwise: <iri>, a CURIE like id:v, "text"@en, "15"^^xsd:integer, or else a plain string. '
                   'Repeatable.')
@click.option("--allow-service", multiple=True, metavar="IRI", type=TEXT,
              help="Let SERVICE send requests to this endpoint (or every IRI under it, when it ends in /); "
                   "none by default. Repeatable.")
@format_option("table", "json", "csv", "tsv", "xml", "turtle", "ntriples", "jsonld")
def sparql(kg: CollabGraph, query: str | None, saved_name: str | None, list_saved: bool,
           bindings: tuple[tuple[str, str], ...], allow_service: tuple[str, ...], fmt: str) -> None:
    """Run a SPARQL query (text, or a path to a .rq file) or a saved query.

    Prefixes cg:, id:, role:, rdfs:, skos:, prov:, schema: ... are predeclared.
    Values are shown exactly as the engine has them. JSON is the W3C SPARQL 1.1
    results format; for CONSTRUCT/DESCRIBE it is JSON-LD, xml is RDF/XML, and
    the table, csv and tsv have one row per triple. --bind values are joined in as
    a VALUES block, never pasted into the query text. Only queries run here:
    to change the graph, edit graph/ and build again, or send SPARQL updates
    to 'collabgraph serve --writable'.

    SERVICE clauses are refused unless --allow-service names their endpoint.

    Example: collabgraph sparql --saved collaborators --bind agent=V
    """
    from ..views.saved import bind_saved, saved_queries

    if list_saved:
        queries = saved_queries()
        if fmt == "json":
            click.echo(to_json([q.to_dict() for q in queries.values()]))
            return
        for q in queries.values():
            params = " ".join(f"--bind {p.name}=<{p.kind}>" for p in q.params)
            click.echo(f"{q.name}  {params}\n    {q.title}: {q.description}")
            for p in q.params:
                click.echo(f"    {p.name} ({p.kind}): {p.help}")
        return
    kg.store.allow_service = allow_service
    if saved_name:
        if query:
            raise click.UsageError("give a query or --saved NAME, not both")
        saved_query, bound = bind_saved(kg.reader, saved_name, dict(bindings))
        text = saved_query.text
    elif query:
        text = _query_text(query)
        bound = dict(binding_term(name, value) for name, value in bindings)
        _check_bound_variables(text, bound)
    else:
        raise click.UsageError("give a query, --saved NAME or --list")
    form = query_form(text)
    _check_result_format(form, fmt)
    empty = False  # an empty graph needs no hint: CONSTRUCT templates seldom bind plain strings
    try:
        if fmt != "table":
            data = kg.sparql_serialize(text, fmt, bindings=bound)
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            empty = form not in ("CONSTRUCT", "DESCRIBE") and _empty_results(data, fmt)
        else:
            empty = _print_result(kg.sparql(text, bindings=bound, terms="oxigraph"))
    except UpdateNotAllowed as exc:
        raise UpdateNotAllowed(exc.keyword, "; to change the graph, edit its files in graph/ and run "
                               "'collabgraph build', or send the update to 'collabgraph serve --writable'") from None
    if empty:
        _hint_language_tags(kg, bound)
        _hint_unknown_terms(kg, text)


def _hint_unknown_terms(kg: CollabGraph, text: str) -> None:
    """After an empty answer, name the terms of the query the graph does not
    have (a typo in a property), with the nearest it has."""
    for u in kg.unknown_terms(text):
        echo(f"no results; {u.message()}", err=True)


def _empty_results(data: bytes, fmt: str) -> bool:
    """Whether serialised SELECT/ASK results say nothing (no row, or "no")."""
    import pyoxigraph as ox

    if fmt not in RESULT_FORMATS:
        return False
    if fmt == "csv":  # a format Oxigraph does not read back: a header line and nothing else
        lines = [line for line in data.decode("utf-8").splitlines() if line]
        return lines == ["false"] or len(lines) == 1 and lines[0] != "true"
    results = ox.parse_query_results(data, format=RESULT_FORMATS[fmt])
    if isinstance(results, ox.QueryBoolean):
        return not bool(results)
    return next(iter(results), None) is None


def _print_result(result: Any) -> bool:
    """Print a result as a table of the engine's terms (CONSTRUCT/DESCRIBE: one
    row per triple), or yes/no for ASK; return whether it was empty."""
    import pyoxigraph as ox

    from ..views.results import rows as result_rows

    if isinstance(result, ox.QueryBoolean):
        click.echo("yes" if result else "no")
        return not result
    names, rows = result_rows(result)
    graph = isinstance(result, (ox.QueryTriples, list))
    if names:
        click.echo(table(names, [[_cell(t) for t in row] for row in rows]))
    noun = "triple" if graph else "row"
    click.echo(f"({len(rows)} {noun}{'s' if len(rows) != 1 else ''})")
    return not rows


def _query_text(query: str) -> str:
    """The text of QUERY: the file it names (a .rq file, or any file that
    exists), else the argument itself."""
    path = Path(query)
    try:
        is_file = query.endswith(".rq") or path.is_file()
    except (OSError, ValueError):  # "File name too long", a NUL byte: not a file name
        is_file = False
    if not is_file:
        if re.fullmatch(r"[^\s{}]*/[^\s{}]*", query) and _is_dir(path):
            raise CollabGraphError(f"{query}: is a directory, not a query file")
        return query
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CollabGraphError(f"{query}: not UTF-8 text (byte {exc.start + 1} is 0x{data[exc.start]:02x})") from None


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _check_bound_variables(text: str, bound: dict[str, Any]) -> None:
    """Refuse a --bind for a variable the query does not use: it would
    otherwise only add a column, or be silently ignored."""
    used = query_variables(text)
    for name in bound:
        if name not in used and re.fullmatch(r"\w+", name):  # other names: refused when bound
            listed = ", ".join("?" + v for v in used) or "none"
            raise CollabGraphError(f"--bind {name}=...: the query has no variable ?{name} (its variables: {listed})")


def _check_result_format(form: str | None, fmt: str) -> None:
    """Refuse an RDF format for SELECT/ASK; CONSTRUCT/DESCRIBE take every format
    (json is JSON-LD, xml RDF/XML, csv/tsv and the table one row per triple)."""
    if form in ("SELECT", "ASK") and fmt not in ("table", *RESULT_FORMATS):
        raise click.BadParameter(f"{fmt} is for CONSTRUCT and DESCRIBE; a {form} result can be "
                                 f"{', '.join(('table', *RESULT_FORMATS))}", param_hint="--format")


def _hint_language_tags(kg: CollabGraph, bound: dict[str, Any]) -> None:
    """After an empty answer, say so when a plain string was bound that the
    data also holds with a language tag or a datatype (``"교포머리"@ko``)."""
    from rdflib import XSD, Literal, URIRef

    plain = {n: v for n, v in bound.items() if isinstance(v, str) and not isinstance(v, (URIRef, Literal))
             or isinstance(v, Literal) and not v.language and v.datatype in (None, XSD.string)}
    hints = [(name, form) for name, value in plain.items() for form in kg.literal_forms(str(value))]
    if hints:
        echo("no results; the data has " + ", ".join(
            f"{literal}: bind {shlex.quote(f'{name}={literal}')}" for name, literal in hints), err=True)


def _cell(term: Any) -> str:
    """A table cell: an IRI as a CURIE where a prefix fits, a literal as its
    lexical form exactly, a blank node as ``_:id``, a triple term as
    ``<<( s p o )>>`` in N-Triples."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    if isinstance(term, ox.Triple):
        return f"<<( {term} )>>"
    if isinstance(term, ox.BlankNode):
        return str(term)
    return term.value
