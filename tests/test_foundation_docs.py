"""Docstring examples run, and every command is documented in the README."""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pytest
import typer.main

from backchannel.cli import app

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("module", ["backchannel.core.dates", "backchannel.record.scenario"])
def test_doctests(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0


def command_names() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_every_command_has_help_with_an_example(run_cli):
    for name in command_names():
        res = run_cli(name, "--help")
        assert res.code == 0, name
        if name != "import":  # a group: its subcommands carry the examples
            assert "Example: backchannel" in res.out, f"`{name} --help` has no example"


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [n for n in command_names() if not re.search(rf"backchannel {n}\b", readme)]
    assert not missing, f"commands missing from README.md: {missing}"


def test_version(run_cli):
    from backchannel import __version__

    res = run_cli("--version")
    assert res.code == 0
    assert res.out.strip() == f"backchannel {__version__}"


def test_the_docs_example_files_are_valid(run_cli):
    """docs/examples/*.yaml (the format v1.1 by example) pass `check`."""
    files = sorted((ROOT / "docs" / "examples").glob("*.yaml"))
    assert files
    for path in files:
        res = run_cli("check", path)
        assert res.code == 0, res.err
