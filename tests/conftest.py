"""Shared fixtures: the real data folder and the CLI run in process."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

import backchannel
from backchannel.cli import app

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The shared real data files (BACKCHANNEL_DATA, default ../shared/data)."""
    path = Path(os.environ.get("BACKCHANNEL_DATA", ROOT.parent / "shared" / "data"))
    if not path.is_dir():
        pytest.fail(f"real data not found at {path}; set BACKCHANNEL_DATA")
    return path


@pytest.fixture(scope="session")
def example() -> backchannel.Scenario:
    """The built-in example scenario (two states and a hotline), loaded once."""
    return backchannel.load("example")


@pytest.fixture(scope="session")
def russia_nato() -> backchannel.Scenario:
    """The built-in russia-nato scenario, loaded once."""
    return backchannel.load("russia-nato")


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli():
    """Run `backchannel ARGS...` in process; returns exit code, stdout and stderr."""
    runner = CliRunner()

    def run(*args: str) -> CliResult:
        res = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
        if res.exception and not isinstance(res.exception, SystemExit):
            raise res.exception
        return CliResult(res.exit_code, res.stdout, res.stderr)

    return run
