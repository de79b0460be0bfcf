"""Ingest speed: `backchannel ingest gdelt2` against DuckDB's own read_csv of the same columns.

Generates a GDELT 2.0 export of ``--rows`` rows (default 5,000,000; 61 tab-separated
columns) from the real sample in the shared data folder (its rows repeated with new
GLOBALEVENTIDs) under ``.bench/ingest/`` (never committed). Then, each in a fresh
subprocess (so that its peak RSS is its own), taking turns:

- **backchannel**: ``store.ingest("gdelt2", [file], new.duckdb)`` — layout check, SHA-256
  and line count (beside the read), DuckDB's CSV reader with every check in one statement
  into ``events``, line numbers, the code maps, duplicate checks, one transaction;
- **duckdb read_csv**: ``CREATE TABLE events AS SELECT <the same columns, typed> FROM
  read_csv(file, ..., store_rejects = true)`` into a new DuckDB file: the engine's own
  speed for the same columns, no checks, no mapping.

Each run starts on a warm page cache (the file is read once, untimed, just before it) and
the two sides swap order every round. Prints seconds, rows/s and peak RSS (``VmHWM``) of
each, and the ratio (goal: ≤ 1.5×).

    python -m benchmarks.ingest [--quick] [--rows N] [--rounds R] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.engagement import peak_rss_mb

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("BACKCHANNEL_DATA", ROOT.parent / "shared" / "data"))
BENCH = ROOT / ".bench" / "ingest"
SAMPLE = DATA / "gdelt" / "20191024143000.export.CSV"

# The columns backchannel stores, typed as DuckDB would read them.
TYPED = {1: "VARCHAR", 2: "DATE", 30: "TINYINT", 31: "DOUBLE", 32: "INTEGER"}
KEPT = (1, 2, 6, 8, 9, 16, 18, 19, 27, 29, 30, 31, 32, 33, 34, 35, 60, 61)


def generate(path: Path, rows: int) -> None:
    """``rows`` GDELT 2.0 rows: the sample's rows in turn, each with a new GLOBALEVENTID."""
    sample = SAMPLE.read_text("utf-8").splitlines()
    tails = [ln.split("\t", 1)[1] for ln in sample]
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for start in range(0, rows, 100_000):
            n = min(100_000, rows - start)
            f.write(
                "".join(
                    f"{1_000_000_000 + i}\t{tails[i % len(tails)]}\n"
                    for i in range(start, start + n)
                )
            )
    tmp.replace(path)


def run_backchannel(path: Path, db: Path) -> int:
    """The full ingest of one file into a new database; rows stored."""
    from backchannel.eventdata.store import ingest

    rep = ingest("gdelt2", [path], db)[0]
    return rep.rows


def run_duckdb(path: Path, db: Path) -> int:
    """DuckDB's read_csv of the same columns into a table of a new database file."""
    import duckdb

    cols = ", ".join(f"'c{i}': '{TYPED.get(i, 'VARCHAR')}'" for i in range(1, 62))
    sel = ", ".join(f"c{i}" for i in KEPT)
    con = duckdb.connect(str(db))
    con.execute("SET enable_progress_bar = false")
    con.execute(
        f"CREATE TABLE events AS SELECT {sel} FROM read_csv('{path}', delim = '\t', "
        f"header = false, quote = '', escape = '', columns = {{{cols}}}, "
        "dateformat = '%Y%m%d', auto_detect = false, store_rejects = true)"
    )
    n = con.execute("SELECT count(*) FROM events").fetchone()[0]  # type: ignore[index]
    con.close()
    return int(n)


RUNNERS = {"backchannel": run_backchannel, "duckdb-read_csv": run_duckdb}


def warm(path: Path) -> None:
    """Read the file once (untimed) so that the run after it finds it in the page cache."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def child(which: str, path: Path, db: Path) -> None:
    """Run one side in this process; print seconds, rows and peak RSS as JSON."""
    db.unlink(missing_ok=True)
    Path(str(db) + ".wal").unlink(missing_ok=True)
    t0 = time.perf_counter()
    rows = RUNNERS[which](path, db)
    seconds = time.perf_counter() - t0
    rss = peak_rss_mb()
    print(json.dumps({"run": which, "seconds": seconds, "rows": rows, "rss_mb": rss}))
    db.unlink(missing_ok=True)


def main(argv: list[str]) -> int:
    """Generate the file, run both sides in turn in subprocesses, print the figures."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.ingest")
    ap.add_argument("--rows", type=int, default=None, help="default 5,000,000")
    ap.add_argument("--quick", action="store_true", help="1,000,000 rows")
    ap.add_argument("--rounds", type=int, default=2, help="subprocesses per side, in turn")
    ap.add_argument("--keep", action="store_true", help="keep the generated file")
    ap.add_argument("--run", choices=sorted(RUNNERS), help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.run:
        child(args.run, args.data, args.db)
        return 0
    args.rows = args.rows or (1_000_000 if args.quick else 5_000_000)
    BENCH.mkdir(parents=True, exist_ok=True)
    path = BENCH / f"gdelt2-{args.rows}.export.CSV"
    if not path.exists():
        t0 = time.perf_counter()
        generate(path, args.rows)
        print(
            f"generated {args.rows:,} rows in {time.perf_counter() - t0:.1f}s: {path} "
            f"({path.stat().st_size / 1e6:,.0f} MB)",
            flush=True,
        )
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}", flush=True)
    best: dict[str, dict] = {}
    try:
        for n in range(args.rounds):
            # Each side runs on a warm page cache (the file read once just before it), and
            # the sides swap places every round, so neither always runs first.
            for which in list(RUNNERS)[:: 1 if n % 2 == 0 else -1]:
                warm(path)
                out = subprocess.run(
                    [sys.executable, "-m", "benchmarks.ingest", "--run", which,
                     "--data", str(path), "--db", str(BENCH / f"{which}.duckdb")],
                    capture_output=True, text=True, cwd=ROOT,
                )  # fmt: skip
                if out.returncode:
                    print(f"{which}: failed\n{out.stderr[-2000:]}", file=sys.stderr)
                    return 1
                r = json.loads(out.stdout.strip().splitlines()[-1])
                print(
                    f"  {which:16s} {r['seconds']:7.2f}s  {r['rows'] / r['seconds']:>10,.0f} "
                    f"rows/s  peak {r['rss_mb']:6.0f} MB",
                    flush=True,
                )
                old = best.get(which)
                if old is None or r["seconds"] < old["seconds"]:
                    best[which] = {**r, "rss_mb": max(r["rss_mb"], (old or r)["rss_mb"])}
                else:
                    old["rss_mb"] = max(old["rss_mb"], r["rss_mb"])
    finally:
        if not args.keep:
            path.unlink(missing_ok=True)
    ours, theirs = best["backchannel"], best["duckdb-read_csv"]
    if ours["rows"] != theirs["rows"]:
        print(f"row counts differ: {ours['rows']} vs {theirs['rows']}", file=sys.stderr)
        return 1
    load = os.getloadavg()
    for name, r in best.items():
        print(
            f"{name:16s} best {r['seconds']:7.2f}s  {r['rows'] / r['seconds']:>10,.0f} rows/s  "
            f"peak {r['rss_mb']:6.0f} MB"
        )
    print(
        f"backchannel / read_csv: {ours['seconds'] / theirs['seconds']:.2f}x (goal <= 1.5x); "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
