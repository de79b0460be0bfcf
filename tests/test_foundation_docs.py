"""Docstring examples run, and every command is documented in the README."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
import typer.main

from backchannel.cli import app

ROOT = Path(__file__).resolve().parents[1]


def all_modules() -> list[str]:
    import backchannel

    return sorted(m.name for m in pkgutil.walk_packages(backchannel.__path__, "backchannel."))


@pytest.mark.parametrize("module", all_modules())
def test_doctests(module, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_public_functions_show_examples():
    import backchannel

    with_examples = 0
    for name in all_modules():
        finder = doctest.DocTestFinder()
        with_examples += sum(bool(t.examples) for t in finder.find(importlib.import_module(name)))
    assert with_examples >= 25, f"only {with_examples} docstrings with examples"
    assert backchannel.load.__doc__


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
