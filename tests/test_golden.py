"""Every command's `--json` output on russia-nato, the example, a generated world and the
shared event data is the same as the golden files in tests/golden (a restructuring
changes none of them; a change of semantics rewrites them and says so in the CHANGELOG:
`python -m tests.golden.cases --write`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.golden.cases import HERE, collect


@pytest.fixture(scope="module")
def current(tmp_path_factory, data_dir):
    from typer.testing import CliRunner

    from backchannel.cli import app

    runner = CliRunner()

    def run(*args: str) -> tuple[int, str, str]:
        r = runner.invoke(app, list(args), env={"COLUMNS": "200"})
        return r.exit_code, r.stdout, r.stderr

    return collect(Path(tmp_path_factory.mktemp("golden")), run, data_dir)


@pytest.mark.parametrize("name", ["russia-nato", "example", "generated", "eventdata"])
def test_golden(current, name):
    want = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    got = current[name]
    assert sorted(got) == sorted(want)
    differ = [case for case in want if got[case] != want[case]]
    assert not differ, f"{len(differ)} outputs differ from tests/golden/{name}.json: {differ[:10]}"
