"""The repository keeps its promises: CI runs the README's test command, and
the README's examples match what the tools print."""

from __future__ import annotations

import re

from .conftest import ROOT


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, re.S)


def test_readme_opens_with_two_commands():
    setup, tests = quick_start_commands()
    assert "collabgraph build" in setup
    assert "pytest" in tests


def test_ci_runs_the_readme_test_command_verbatim():
    _, tests = quick_start_commands()
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    commands = [line for line in ci.splitlines() if line and not line.startswith("#")]
    assert tests in commands


def test_readme_path_transcript_matches_the_cli(runner, built):
    from collabgraph.cli import cli

    readme = (ROOT / "README.md").read_text("utf-8")
    shown = readme.split('$ collabgraph path IU "Park Seo-joon"\n', 1)[1].split("\n\n$", 1)[0]
    actual = runner.invoke(cli, ["path", "IU", "Park Seo-joon", "--build", str(built)]).output
    assert actual.strip() == shown.strip()
