"""Conversions between rdflib terms, pyoxigraph terms and plain Python values.

>>> from rdflib import Literal, URIRef
>>> to_ox("IU")
<Literal value=IU datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
>>> to_rdflib(to_ox(URIRef("https://w3id.org/collabgraph/id/v")))
rdflib.term.URIRef('https://w3id.org/collabgraph/id/v')
>>> to_python(to_ox(Literal(15)))
15
"""

from __future__ import annotations

import datetime as _dt
import sys
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

if TYPE_CHECKING:
    from rdflib.term import Identifier

__all__ = ["to_ox", "to_rdflib", "to_python", "lexical"]

_XSD = "http://www.w3.org/2001/XMLSchema#"


def to_ox(value: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term, pyoxigraph term or Python value as a pyoxigraph term.

    Plain ``str`` becomes a string literal (never an IRI: that is what makes
    binding user input safe); use ``URIRef`` for IRIs.
    """
    if isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return value
    rdf = sys.modules.get("rdflib.term")  # without rdflib imported, no value is one of its terms
    if rdf is not None:
        if isinstance(value, rdf.URIRef):
            return ox.NamedNode(str(value))
        if isinstance(value, rdf.BNode):
            return ox.BlankNode(str(value))
        if isinstance(value, rdf.Literal):
            if value.language:
                return ox.Literal(str(value), language=value.language)
            dt = value.datatype
            return ox.Literal(str(value), datatype=ox.NamedNode(str(dt))) if dt else ox.Literal(str(value))
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(_XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(_XSD + "double"))
    if isinstance(value, _dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(_XSD + "date"))
    if isinstance(value, str):
        return ox.Literal(value)
    raise TypeError(f"cannot use {value!r} as an RDF term")


def to_rdflib(term: Any) -> Identifier | None:
    """A pyoxigraph term as an rdflib term (``None`` stays ``None``), with the
    engine's lexical form, datatype and language exactly: literals are made
    with ``normalize=False``, so ``"INF"^^xsd:double`` stays ``INF`` (not
    ``inf``), ``1050`` stays ``1050`` and ``PT0S`` stays ``PT0S``.

    >>> str(to_rdflib(ox.Literal("2024-01-24T00:00:00Z", datatype=ox.NamedNode(_XSD + "dateTime"))))
    '2024-01-24T00:00:00Z'

    :raises QueryError: for what rdflib has no term for: a triple term or a
        literal with a base direction (RDF 1.2).
    """
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if getattr(term, "direction", None) is not None:
            _no_rdflib_term(f"the literal {term} with a base direction (RDF 1.2)")
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD + "string":
            return Literal(term.value)
        if dt in _WHITESPACE_TYPES:  # rdflib collapses their spaces even with normalize=False: set the type after
            lit = Literal(term.value)
            lit._datatype = URIRef(dt)
            return lit
        return Literal(term.value, datatype=URIRef(dt), normalize=False)
    if isinstance(term, ox.Triple):
        _no_rdflib_term(f"the triple term <<( {term} )>> (RDF 1.2)")
    raise TypeError(f"unsupported term {term!r}")


_WHITESPACE_TYPES = {_XSD + "token", _XSD + "normalizedString"}


def _no_rdflib_term(what: str) -> None:
    """rdflib has no term for RDF 1.2's triple terms and directional literals:
    say so, and where they can be had."""
    from .errors import QueryError

    raise QueryError(f"the result holds {what}, which an rdflib result cannot hold; use "
                     "kg.sparql(..., terms='oxigraph') for the engine's terms, or ask for SPARQL JSON, XML, CSV, "
                     "TSV or the table (--format json|xml|csv|tsv|table)")


def to_python(term: Any) -> Any:
    """The natural Python value of a pyoxigraph term: IRIs and strings as
    ``str``, numbers as numbers, booleans as ``bool``; dates stay ISO strings
    (``2016`` for a gYear), which is how people read and sort them."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt in (_XSD + "integer", _XSD + "int", _XSD + "long"):
            return int(term.value)
        if dt in (_XSD + "decimal", _XSD + "double", _XSD + "float"):
            return float(term.value)
        if dt == _XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return term.value


def lexical(term: Any) -> str | None:
    """The lexical form (or IRI) of an optional query value: ``None`` when unbound.

    >>> lexical(ox.Literal("2016")), lexical(None)
    ('2016', None)
    """
    return term.value if term is not None else None
