"""One KEY=VALUE parameter type for every option that takes KEY=VALUE, with one
error format naming the option and the bad value; and the CLI's questions that
moved into the facade (what kind an entity is, the tagged forms of a string)."""

from __future__ import annotations

import json
import re

import click
import pytest

from collabgraph.cli import cli
from collabgraph.cli.common import KeyValue

#: The one message: the option, the value as given, the form wanted.
MESSAGE = re.compile(r"^error: Invalid value for '(?P<option>--[a-z]+)': '(?P<value>[^']*)': use (?P<form>[A-Z]+=[A-Z]+) "
                     r"\(one argument, no spaces around =\)(?:; [^\n]*)?$")


def _commands(command: click.Command, path: tuple[str, ...] = ()):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))


def test_every_key_value_option_has_the_one_type():
    found = {(" ".join(path), p.opts[0]) for path, c in _commands(cli) for p in c.params
             if isinstance(p, click.Option) and "=" in (p.metavar or "")}
    assert ("sparql", "--bind") in found and ("import csv", "--link") in found and ("review add", "--words") in found
    assert [(path, opt) for path, c in _commands(cli) for p in c.params if isinstance(p, click.Option)
            and "=" in (p.metavar or "") and not isinstance(p.type, KeyValue)
            for opt in p.opts] == []


@pytest.mark.parametrize("args, option, value, form", [
    (["sparql", "SELECT * WHERE { ?s ?p ?o }", "--bind", "novalue"], "--bind", "novalue", "NAME=VALUE"),
    (["import", "csv", "x.csv", "--link", "Lee Ji-eun"], "--link", "Lee Ji-eun", "NAME=ID"),
    (["import", "wikidata", "Q1", "--link", "=id:iu"], "--link", "=id:iu", "NAME=ID"),
    (["review", "accept", "abc", "--link", "agent"], "--link", "agent", "SLOT=ENTITY"),
    (["review", "edit", "abc", "--type", "agent="], "--type", "agent=", "SLOT=CLASS"),
    (["review", "add", "art", "--sentence", "1", "--words", "agent"], "--words", "agent", "SLOT=WORDS"),
])
def test_a_bad_key_value_is_one_line_naming_the_option_and_the_value(runner, tmp_path, args, option, value, form):
    result = runner.invoke(cli, [*args, "--graph", str(tmp_path)] if args[0] != "sparql" else
                           [*args, "--build", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and result.stderr.count("\n") == 1, result.stderr
    m = MESSAGE.match(result.stderr.rstrip("\n"))
    assert m, result.stderr
    assert (m["option"], m["value"], m["form"]) == (option, value, form)


def test_a_bind_split_by_a_space_is_given_back_as_meant(runner, built):
    result = runner.invoke(cli, ["sparql", "--build", str(built), "--saved", "collaborators", "--bind", "agent", "V"])
    assert result.exit_code == 2
    assert MESSAGE.match(result.stderr.rstrip("\n"))
    assert "(one argument, no spaces around =); did you mean --bind agent=V? (see '" in result.stderr


def test_a_bind_with_no_value_at_all_gives_no_made_up_hint(runner, built):
    """Defect (a new user): '--bind agent' alone said "did you mean --bind agent=Sentinel.UNSET?"."""
    result = runner.invoke(cli, ["sparql", "--build", str(built), "--saved", "collaborators", "--bind", "agent"])
    assert result.exit_code == 2
    assert "Sentinel" not in result.stderr and "did you mean" not in result.stderr
    assert "use NAME=VALUE" in result.stderr


def test_key_value_pairs_reach_the_command(runner, built):
    """Values keep their own '=' and (for --bind) their spaces; the key is trimmed."""
    out = runner.invoke(cli, ["sparql", "SELECT ?x WHERE { BIND(?v AS ?x) }", "--bind", " v=a = b ", "--format", "json",
                              "--build", str(built)])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["results"]["bindings"] == [{"x": {"type": "literal", "value": "a = b "}}]
    assert KeyValue("SLOT=CLASS").convert(" agent = Person ", None, None) == ("agent", "Person")


def test_the_facade_says_what_kind_an_entity_is(kg):
    assert [kg.kind(n) for n in ("V", "BTS", "Love wins all", "Hwarang: The Poet Warrior Youth", "Tae-joon")] == [
        "agent", "agent", "work", "work", "other"]


def test_the_facade_finds_the_tagged_forms_of_a_plain_string(kg, runner, built):
    assert kg.literal_forms("교포머리") == ['"교포머리"@ko']
    assert kg.literal_forms("no such text anywhere") == []
    result = runner.invoke(cli, ["sparql", "SELECT ?w WHERE { ?w rdfs:label ?name }", "--bind", "name=교포머리",
                                 "--build", str(built)])
    assert result.exit_code == 0
    assert "the data has \"교포머리\"@ko: bind 'name=\"교포머리\"@ko'" in result.stderr
