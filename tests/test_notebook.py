"""The docs notebook (docs/notebook.ipynb) runs from top to bottom on a fresh kernel, and
its answers are the ones the docs tell."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import ipykernel  # noqa: F401
import nbclient
import nbformat
import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "notebook.ipynb"


def _text(cell) -> str:
    out = []
    for o in cell.get("outputs", []):
        if o["output_type"] == "stream":
            out.append(o["text"])
        elif "data" in o:
            out.append(o["data"].get("text/plain", ""))
            out.append(o["data"].get("text/html", ""))
    return "\n".join(out)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # the kernel imports this checkout's package, whichever way the tests import it
    src = str(Path(__import__("backchannel").__file__).resolve().parents[1])
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (src, env_path) if p)
    try:
        client = nbclient.NotebookClient(
            nb,
            timeout=300,
            kernel_name="python3",
            resources={"metadata": {"path": str(tmp_path_factory.mktemp("nb"))}},
        )
        client.execute()
    finally:
        if env_path:
            os.environ["PYTHONPATH"] = env_path
        else:
            os.environ.pop("PYTHONPATH", None)
    return nb


def test_the_notebook_runs_without_errors(executed):
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert code
    for cell in code:
        errors = [o for o in cell.outputs if o["output_type"] == "error"]
        assert not errors, f"{cell.source}\n{errors[0]['ename']}: {errors[0]['evalue']}"
        assert cell.outputs, f"a cell shows nothing: {cell.source}"


def test_the_notebook_tells_the_case(executed):
    text = {c.source.splitlines()[-1]: _text(c) for c in executed.cells if c.cell_type == "code"}
    joined = "\n".join(text.values())
    assert "Scenario russia-nato" in joined  # the scenario's HTML table
    assert "RUS.CGS → NATO.SACEUR at 2021-11-02: 15m" in joined
    assert "syria-deconfliction-line" in joined  # the live path
    assert "russia-suspends-mission-2021" in joined
    groups = next(v for k, v in text.items() if "groupby" in k)
    assert "material      3" in groups
    assert "'dormant': True" in joined  # the exported crisis line, read with NetworkX


def test_the_stored_outputs_are_current(executed):
    """The notebook in docs/ is stored with its outputs; they must be what it gives now
    (rerun it with `python -m tests.test_notebook` after a change)."""
    stored = nbformat.read(NOTEBOOK, as_version=4)
    for old, new in zip(stored.cells, executed.cells, strict=True):
        if old.cell_type == "code":
            assert [o.get("data", {}).get("text/plain") for o in old.outputs] == [
                o.get("data", {}).get("text/plain") for o in new.outputs
            ], old.source


def _rewrite() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.metadata = {}
    nbformat.write(nb, NOTEBOOK)
    print(f"wrote {NOTEBOOK}", file=sys.stderr)


if __name__ == "__main__":
    _rewrite()
