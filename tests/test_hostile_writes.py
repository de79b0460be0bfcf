"""Interrupted work: a writer that fails (full disk, Ctrl-C, a kill) never leaves a
truncated file where the good one was, and cleans up its temporary files."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import backchannel
from backchannel.core.atomic import atomic_dir, atomic_path, temp_name, write_bytes

ROOT = Path(__file__).resolve().parents[1]
OLD = b"the good file from before\n"
COW_HEADER = "ccode1,ccode2,year,DR_at_1,DR_at_2,DE,version\n"


def full_disk_cli(*args: object, cwd: Path, limit: int = 4096) -> subprocess.CompletedProcess:
    """`backchannel ARGS` where no file may grow past ``limit`` bytes (a full disk)."""

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "BACKCHANNEL_INDEX_CACHE": "0",
    }
    return subprocess.run(
        [sys.executable, "-c", "from backchannel.cli import main; main()", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=180,
        preexec_fn=small_disk,
    )


def _cow_files(tmp_path: Path, data_dir: Path) -> tuple[Path, Path]:
    exchange = tmp_path / "ex.csv"
    exchange.write_text(COW_HEADER + "2,20,1990,3,3,1,2006.1\n20,2,1990,3,3,1,2006.1\n")
    return exchange, data_dir / "cow" / "states2016.csv"


WRITERS = {
    "import-cow": lambda ex, st: ["import", "cow", ex, "--states", st, "--out", "OUT"],
    "report-html": lambda ex, st: ["report", "-s", "russia-nato", "--out", "OUT"],
    "export-gexf": lambda ex, st: ["export", "gexf", "-s", "russia-nato", "--out", "OUT"],
    "export-graphml": lambda ex, st: ["export", "graphml", "-s", "russia-nato", "--out", "OUT"],
    "generate": lambda ex, st: ["generate", "--out", "OUT"],
}


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_full_disk_leaves_the_old_file_whole(tmp_path, data_dir, writer):
    exchange, states = _cow_files(tmp_path, data_dir)
    work = tmp_path / "work"
    work.mkdir()
    out = work / "result.out"
    out.write_bytes(OLD)
    args = [str(out) if a == "OUT" else a for a in WRITERS[writer](exchange, states)]
    res = full_disk_cli(*args, cwd=work)
    assert res.returncode == 1, res.stderr[-2000:]
    assert "Traceback" not in res.stderr, res.stderr[-2000:]
    assert "cannot write" in res.stderr
    assert out.read_bytes() == OLD
    assert sorted(p.name for p in work.iterdir()) == ["result.out"]  # no temporary left


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_full_disk_leaves_an_exported_folder_whole(tmp_path, fmt):
    out = tmp_path / "tables"
    out.mkdir()
    (out / f"events.{fmt}").write_bytes(OLD)
    (out / "mine.txt").write_bytes(OLD)
    res = full_disk_cli("export", fmt, "-s", "russia-nato", "--out", out, cwd=tmp_path, limit=2048)
    assert res.returncode == 1, res.stderr[-2000:]
    assert "Traceback" not in res.stderr and "cannot write" in res.stderr
    assert sorted(p.name for p in out.iterdir()) == [f"events.{fmt}", "mine.txt"]
    assert (out / f"events.{fmt}").read_bytes() == OLD


def test_a_full_disk_leaves_a_markdown_report_and_its_figures_whole(tmp_path):
    out = tmp_path / "r.md"
    out.write_bytes(OLD)
    res = full_disk_cli("report", "-s", "example", "-f", "md", "--out", out, cwd=tmp_path)
    assert res.returncode == 1 and "Traceback" not in res.stderr, res.stderr[-2000:]
    assert out.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md"]


# -- Ctrl-C and kills ------------------------------------------------------------------------


def test_ctrl_c_in_an_export_keeps_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    import xml.etree.ElementTree as ET

    from backchannel.formats.export import write_graphml

    sc = backchannel.load("example")
    out = tmp_path / "g.graphml"
    out.write_bytes(OLD)

    def interrupted(self, file, *args, **kwargs):
        Path(file).write_text("<half")
        raise KeyboardInterrupt

    monkeypatch.setattr(ET.ElementTree, "write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_graphml(sc, out, sc.day("2021"))
    assert out.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["g.graphml"]


def test_ctrl_c_in_a_table_export_writes_no_table(tmp_path, monkeypatch):
    from backchannel.formats.export import write_tables

    calls = []
    real = pd.DataFrame.to_csv

    def interrupted(self, path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_tables(backchannel.load("example"), tmp_path / "new", "csv")
    assert list(tmp_path.iterdir()) == []  # neither the folder nor a temporary one


def test_atomic_path_cleans_up_on_every_exit(tmp_path):
    target = tmp_path / "t.txt"
    target.write_bytes(OLD)
    for exc in (KeyboardInterrupt, RuntimeError, SystemExit):
        with pytest.raises(exc), atomic_path(target) as tmp:
            tmp.write_text("partial")
            raise exc
        assert target.read_bytes() == OLD
        assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]
    write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]


def test_a_new_folder_arrives_whole(tmp_path):
    target = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt), atomic_dir(target) as tmp:
        (tmp / "a.csv").write_text("a")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    with atomic_dir(target) as tmp:
        (tmp / "a.csv").write_text("a")
        assert not target.exists()  # nothing there until all files are written
    assert [p.name for p in target.iterdir()] == ["a.csv"]


def test_what_a_killed_writer_left_is_removed_by_the_next_write(tmp_path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = int(dead.stdout)
    target = tmp_path / "world.yaml.bcindex"
    stale = target.with_name(f".{target.name}.{pid}.0badc0de.tmp")
    stale.write_text("half a cache")
    mine = temp_name(target)  # a live writer's (this process) is left alone
    mine.write_text("in progress")
    write_bytes(target, b"cache")
    assert not stale.exists() and mine.exists()
    assert target.read_bytes() == b"cache"


def test_the_index_cache_is_written_atomically(tmp_path, monkeypatch):
    import backchannel.record.indexcache as ic

    monkeypatch.setattr(ic, "MIN_BYTES", 0)
    path = tmp_path / "example.yaml"
    path.write_text((Path(backchannel.__file__).parent / "scenarios" / "example.yaml").read_text())

    def interrupted(obj, out):
        out.write(b"half")
        raise KeyboardInterrupt

    monkeypatch.setattr(ic, "_dump", interrupted)
    with pytest.raises(KeyboardInterrupt):
        backchannel.load(path)
    assert [p.name for p in tmp_path.iterdir()] == ["example.yaml"]
