"""Wrong, broken and hostile event input, and interrupted loads: one line in our words.

Every case here failed before the native reader (a traceback, a fuzzy answer, 2,111 lines
of rejects, or a load that ignored Ctrl-C) and names file, line and reason now.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from backchannel import BackchannelError
from backchannel.eventdata.store import MAX_REJECTS, ingest
from backchannel.present.engagement_chart import gaps, series_lines

GDELT1 = "gdelt/events.csv"
GDELT2 = "gdelt/20191024143000.export.CSV"
ICEWS = "icews/events.2018.sample.tab"
PLOVER = "plover/PLOVER_GSR_CAMEO.txt"
ROOT = Path(__file__).resolve().parents[1]


def count(db: Path, sql: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return int(con.execute(sql).fetchone()[0])  # type: ignore[index]


def one_line_error(res) -> str:
    """The error of a failed command: exit 1, one line, no traceback."""
    assert res.code == 1, (res.code, res.out, res.err)
    lines = [ln for ln in res.err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), res.err
    assert "Traceback" not in res.err
    return lines[0]


@pytest.mark.parametrize(
    ("kind", "name", "looks"),
    [
        ("gdelt2", GDELT1, "gdelt1"),
        ("gdelt1", GDELT2, "gdelt2"),
        ("gdelt2", ICEWS, "icews"),
        ("icews", GDELT2, "gdelt2"),
        ("gdelt2", PLOVER, "plover"),
    ],
)
def test_a_file_of_another_kind_is_one_error_naming_it(
    run_cli, tmp_path, data_dir, kind, name, looks
):
    db = tmp_path / "k.duckdb"
    res = run_cli("ingest", kind, data_dir / name, "--db", db)
    msg = one_line_error(res)
    assert f"ingest {looks}" in msg and f"{name.split('/')[-1]}:1:" in msg
    assert "nothing was stored" in msg
    if db.exists():
        assert count(db, "SELECT count(*) FROM events") == 0
        assert count(db, "SELECT count(*) FROM rejects") == 0


def test_rejects_of_one_file_are_capped(tmp_path, data_dir):
    lines = (data_dir / GDELT2).read_text("utf-8").splitlines()
    out = []
    for i in range(3000):
        p = lines[i % len(lines)].split("\t")
        p[0] = str(900_000_000 + i)
        if i % 2:  # every other row has a Goldstein value that is not a number
            p[30] = "n/a"
        out.append("\t".join(p))
    f = tmp_path / "half-bad.export.CSV"
    f.write_text("\n".join(out) + "\n", encoding="utf-8")
    db = tmp_path / "cap.duckdb"
    rep = ingest("gdelt2", [f], db)[0]
    assert (rep.rows, rep.rejected, len(rep.rejects)) == (1500, 1500, MAX_REJECTS)
    assert count(db, "SELECT count(*) FROM rejects") == MAX_REJECTS
    assert count(db, "SELECT rejected FROM loads") == 1500
    assert rep.rejects[0].line == 2 and rep.rejects[-1].line == 2000
    assert rep.rejects[0].reason == "GoldsteinScale is not a number: 'n/a'"
    # good rows keep their own lines between the bad ones
    assert count(db, "SELECT count(*) FROM events WHERE line % 2 = 0") == 0


def test_numbers_out_of_range_and_superscript_digits_are_rejects(tmp_path, data_dir):
    lines = (data_dir / GDELT2).read_text("utf-8").splitlines()[:6]
    p = lines[1].split("\t")
    p[31] = str(2**31)  # NumMentions that does not fit
    lines[1] = "\t".join(p)
    p = lines[2].split("\t")
    p[1] = "2019102²"  # '²' passes str.isdigit
    lines[2] = "\t".join(p)
    p = lines[3].split("\t")
    p[31] = "99999999999999999999999"
    lines[3] = "\t".join(p)
    p = lines[4].split("\t")
    p[1] = "20190229"  # not a leap year
    lines[4] = "\t".join(p)
    f = tmp_path / "range.export.CSV"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rep = ingest("gdelt2", [f], tmp_path / "r.duckdb")[0]
    assert rep.rows == 2
    assert [(r.line, r.reason) for r in rep.rejects] == [
        (2, "NumMentions 2147483648 is out of range (must be 0 to 2147483647)"),
        (3, "impossible date in SQLDATE: '2019102²'"),
        (4, "NumMentions 99999999999999999999999 is out of range (must be 0 to 2147483647)"),
        (5, "impossible date in SQLDATE: '20190229'"),
    ]


def test_corrupt_and_truncated_archives_are_one_line(run_cli, tmp_path, data_dir):
    raw = (data_dir / GDELT2).read_bytes()
    good = tmp_path / "ok.export.CSV.gz"
    good.write_bytes(gzip.compress(raw))
    assert ingest("gdelt2", [good], tmp_path / "gz.duckdb")[0].rows == 2111
    cut = tmp_path / "cut.export.CSV.gz"
    cut.write_bytes(gzip.compress(raw)[:20_000])
    bad = tmp_path / "bad.export.CSV.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00" + b"\xff" * 500)
    notzip = tmp_path / "bad.export.CSV.zip"
    notzip.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    two = tmp_path / "two.zip"
    with zipfile.ZipFile(two, "w") as zf:
        zf.writestr("a.CSV", raw[:1000])
        zf.writestr("b.CSV", raw[:1000])
    db = tmp_path / "c.duckdb"
    for f, words in (
        (cut, "truncated"),
        (bad, "corrupt"),
        (notzip, "corrupt"),
        (two, "exactly one event file"),
    ):
        msg = one_line_error(run_cli("ingest", "gdelt2", f, "--db", db))
        assert f.name in msg and words in msg, msg
    assert count(db, "SELECT count(*) FROM events") == 0


def test_deeply_nested_plover_json(run_cli, tmp_path):
    f = tmp_path / "deep.json"
    f.write_text("[" * 100_000 + "]" * 100_000)
    msg = one_line_error(run_cli("ingest", "plover", f, "--db", tmp_path / "p.duckdb"))
    assert "deep.json:1: JSON nested too deeply" in msg


def test_a_bom_on_the_icews_header(tmp_path, data_dir):
    f = tmp_path / "bom.tab"
    f.write_bytes(b"\xef\xbb\xbf" + (data_dir / ICEWS).read_bytes())
    rep = ingest("icews", [f], tmp_path / "i.duckdb")[0]
    assert (rep.rows, rep.rejected) == (3705, 0)


def test_engagement_sources_that_are_not_databases(run_cli, tmp_path, data_dir):
    folder = tmp_path / "folder"
    folder.mkdir()
    msg = one_line_error(run_cli("engagement", "USA", "RUS", "--db", folder))
    assert "folder" in msg and "Parquet" in msg
    msg = one_line_error(run_cli("engagement", "USA", "RUS", "--db", data_dir / GDELT2))
    assert "not a DuckDB database" in msg
    db = tmp_path / "e.duckdb"
    ingest("gdelt2", [data_dir / GDELT2], db)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('ready', flush=True); time.sleep(60)", str(db)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        msg = one_line_error(run_cli("engagement", "USA", "RUS", "--db", db))
        assert "in use by another process" in msg
        msg = one_line_error(run_cli("ingest", "gdelt1", data_dir / GDELT1, "--db", db))
        assert "in use by another process" in msg
    finally:
        holder.kill()
        holder.wait()


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory, data_dir) -> Path:
    db = tmp_path_factory.mktemp("hostile") / "events.duckdb"
    for kind, name in (("gdelt1", GDELT1), ("gdelt2", GDELT2), ("icews", ICEWS)):
        ingest(kind, [data_dir / name], db)
    return db


def test_unknown_actors_are_errors_with_suggestions(run_cli, sample_db):
    msg = one_line_error(run_cli("engagement", "USA", "SYRR", "--db", sample_db))
    assert "'SYRR'" in msg and "did you mean" in msg and "SYR" in msg
    msg = one_line_error(run_cli("engagement", "NOPE", "PRK", "--db", sample_db))
    assert "'NOPE'" in msg
    msg = one_line_error(run_cli("engagement", "RUSXYZ", "USA", "--db", sample_db))
    assert "'RUSXYZ'" in msg
    # a country code with CAMEO roles still names the country; an id the map lacks but
    # the data has is fine too
    ok = run_cli("engagement", "RUSGOVMIL", "USA", "--db", sample_db, "--json")
    assert ok.code == 0 and json.loads(ok.out)["a"] == ["RUS"]


def test_engagement_takes_the_scenarios_sides_and_ids(run_cli, sample_db):
    res = run_cli(
        "engagement", "west", "russia", "--scenario", "russia-nato", "--db", sample_db,
        "--by", "year", "--json",
    )  # fmt: skip
    assert res.code == 0, res.err
    doc = json.loads(res.out)
    assert doc["b"] == ["RUS"] and {"NATO", "EU", "USA", "GBR", "DEU"} <= set(doc["a"])
    by_ids = run_cli(
        "engagement", ",".join(doc["a"]), "RUS", "--db", sample_db, "--by", "year", "--json"
    )
    assert json.loads(by_ids.out)["series"] == doc["series"]
    assert sum(s["events"] for s in doc["series"]) > sum(
        s["events"]
        for s in json.loads(
            run_cli("engagement", "USA", "RUS", "--db", sample_db, "--by", "year", "--json").out
        )["series"]
    )
    # without the scenario, a side name is unknown
    msg = one_line_error(run_cli("engagement", "west", "russia", "--db", sample_db))
    assert "'west'" in msg


def test_the_country_code_columns_come_first(sample_db):
    # GDELT 1.0 event 564464392: NGOUSA (Actor1CountryCode USA) hosts CHN; the code's own
    # first segment (NGO) names no country, the country column does
    with duckdb.connect(str(sample_db), read_only=True) as con:
        got = con.execute(
            "SELECT source_code, source_actor, target_actor FROM events "
            "WHERE event_id = '564464392'"
        ).fetchall()
    assert got == [("NGOUSA", "USA", "CHN")]


def test_plot_has_a_time_axis_with_gaps(run_cli, sample_db, tmp_path):
    res = run_cli("engagement", "USA", "PRK", "--db", sample_db, "--json")
    series = json.loads(res.out)["series"]
    holes = gaps(series, "month")
    assert any(a.year == 1983 and b.year == 2006 for a, b in holes), holes
    xs, ys = series_lines(series, "month", "consult")
    # no line across a gap: a NaN sits between the two periods around each one
    assert sum(1 for y in ys if math.isnan(y)) == len(holes)
    assert xs == sorted(xs) and xs[0].year == 1982
    png = tmp_path / "usa-prk.png"
    res = run_cli("engagement", "USA", "PRK", "--db", sample_db, "--plot", png)
    assert res.code == 0 and png.read_bytes()[:4] == b"\x89PNG"


def test_parquet_by_year_is_an_engagement_source(run_cli, tmp_path, data_dir):
    db = tmp_path / "p.duckdb"
    out = tmp_path / "events-parquet"
    res = run_cli("ingest", "gdelt1", data_dir / GDELT1, "--db", db, "--parquet", out, "--json")
    assert res.code == 0, res.err
    assert json.loads(res.out)["parquet"]["rows"] == 710
    years = sorted(p.name for p in out.iterdir())
    assert years[0] == "year=1982" and "year=2016" in years
    res = run_cli("ingest", "gdelt2", data_dir / GDELT2, "--db", db, "--parquet", out)
    assert res.code == 0, res.err
    assert "year=2019" in {p.name for p in out.iterdir()}
    for by in ("month", "year"):
        a = run_cli("engagement", "USA", "CHN", "--db", db, "--by", by, "--json")
        b = run_cli("engagement", "USA", "CHN", "--parquet", out, "--by", by, "--json")
        assert a.code == b.code == 0
        assert json.loads(a.out)["series"] == json.loads(b.out)["series"]
    assert run_cli("engagement", "USA", "CHN", "--db", db, "--parquet", out).code == 2


def _big_gdelt2(data_dir: Path, dst: Path, rows: int) -> None:
    tails = [ln.split("\t", 1)[1] for ln in (data_dir / GDELT2).read_text("utf-8").splitlines()]
    with open(dst, "w", encoding="utf-8") as f:
        f.write("".join(f"{10**9 + i}\t{tails[i % len(tails)]}\n" for i in range(rows)))


@pytest.mark.slow
def test_ctrl_c_at_any_moment_rolls_back(tmp_path, data_dir):
    db = tmp_path / "int.duckdb"
    ingest("gdelt1", [data_dir / GDELT1], db)
    big = tmp_path / "big.export.CSV"
    _big_gdelt2(data_dir, big, 150_000)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    code = (
        "import sys; from backchannel.cli import app; print('ready', flush=True); "
        "app(sys.argv[1:], standalone_mode=True)"
    )
    # time one whole load (start-up included) into a scratch database, then send the
    # signal at fractions of it, so that some land while the file is being read
    scratch = tmp_path / "scratch.duckdb"
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", code, "ingest", "gdelt2", str(big), "--db", str(scratch)],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    whole = time.monotonic() - start
    outcomes = []
    for delay in (0.1, *(whole * f for f in (0.45, 0.55, 0.65, 0.75, 0.85)), whole * 2):
        proc = subprocess.Popen(
            [sys.executable, "-c", code, "ingest", "gdelt2", str(big), "--db", str(db)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        assert "Traceback" not in err, err
        n = count(db, "SELECT count(*) FROM events WHERE dataset = 'gdelt2'")
        if proc.returncode == 130 and n == 0:
            assert "was rolled back" in err or "nothing was loaded" in err, err
        elif proc.returncode == 130:  # the signal came as the file was being committed
            assert "file(s) was loaded (committed whole)" in err and n == 150_000, err
            break
        else:  # the load had finished before the signal came (it may land as Python exits)
            assert proc.returncode in (0, -signal.SIGINT), err
            assert n == 150_000
            break
        outcomes.append(err)
        assert count(db, "SELECT count(*) FROM events") == 710
    assert any("big.export.CSV was rolled back" in e for e in outcomes), outcomes


def test_a_second_file_of_the_wrong_kind_stops_before_it_stores(tmp_path, data_dir):
    db = tmp_path / "two.duckdb"
    with pytest.raises(BackchannelError, match=r"looks like a GDELT 1\.0 file"):
        ingest("gdelt2", [data_dir / GDELT2, data_dir / GDELT1], db)
    assert count(db, "SELECT count(*) FROM events") == 2111


def test_duckdbs_interrupt_inside_a_statement_is_a_rollback(tmp_path, data_dir, monkeypatch):
    # a Ctrl-C inside a statement DuckDB runs on the main thread surfaces as
    # RuntimeError("Query interrupted") (seen in CI): it must roll back like any other
    from backchannel.eventdata import store
    from backchannel.eventdata.store import Interrupted, ingest

    db = tmp_path / "i.duckdb"
    ingest("gdelt1", [data_dir / GDELT1], db)
    real = store._record_load

    def interrupted(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("Query interrupted")

    monkeypatch.setattr(store, "_record_load", interrupted)
    with pytest.raises(Interrupted) as info:
        ingest("gdelt2", [data_dir / GDELT2], db)
    assert info.value.file is not None and not info.value.loaded
    assert count(db, "SELECT count(*) FROM events") == 710
