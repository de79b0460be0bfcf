"""The DuckDB event store: ``events``, ``rejects`` and ``loads`` tables, idempotent loads.

One transaction per file: a file is either loaded whole (its good rows in ``events``, its
bad rows in ``rejects``, one line in ``loads``) or, if anything interrupts it, not at
all. A file whose bytes were loaded before (same SHA-256 and kind) adds nothing; an event
whose ``(dataset, event_id)`` is already stored (say, from a zipped copy of the same
export) is counted as a duplicate and not stored twice.

GDELT and ICEWS files go through DuckDB's CSV reader (:mod:`.native`) into a staging
table, then into ``events`` in one write; a file larger than :func:`stage_limit` takes
one statement straight into ``events`` (the staging table when it has bad rows). PLOVER
JSON is read in Python.
The rejects of one file are capped at :data:`MAX_REJECTS` (the rest are counted). Every
long statement runs in a worker thread, so Ctrl-C interrupts it at once and the file is
rolled back (:class:`Interrupted`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from ..core.errors import BackchannelError
from ..core.progress import OnProgress, Progress
from ..sources.codebook import Codebook, codebook
from ..sources.codemap import CodeMap, load_codemap
from ..sources.eventfiles import Plain, blank_lines, plain_file
from ..sources.eventrows import COLUMNS, Batch, Reject
from ..sources.gdelt import read_gdelt
from ..sources.icews import read_icews
from ..sources.kinds import check_kind
from ..sources.plover import read_plover
from .native import (
    ICEWS_NEEDED,
    TabSpec,
    dim_sql,
    fast_insert_sql,
    gdelt_spec,
    icews_spec,
    keys_sql,
    lit,
    reject_sql,
    stage_sql,
)

__all__ = [
    "KINDS",
    "FileReport",
    "connect",
    "export_parquet",
    "ingest",
    "reader",
]

KINDS = ("gdelt1", "gdelt2", "icews", "plover")

EVENTS_DDL = """
CREATE TABLE IF NOT EXISTS events (
    dataset VARCHAR NOT NULL, event_id VARCHAR NOT NULL, date DATE NOT NULL,
    source_actor VARCHAR, target_actor VARCHAR, source_code VARCHAR, target_code VARCHAR,
    event_code VARCHAR, root_code VARCHAR, quad_class TINYINT, goldstein DOUBLE,
    mentions INTEGER, plover VARCHAR, plover_mode VARCHAR, url VARCHAR,
    file VARCHAR, line BIGINT
)"""
REJECTS_DDL = """
CREATE TABLE IF NOT EXISTS rejects (
    dataset VARCHAR, file VARCHAR, line BIGINT, reason VARCHAR, text VARCHAR
)"""
LOADS_DDL = """
CREATE TABLE IF NOT EXISTS loads (
    sha256 VARCHAR, dataset VARCHAR, file VARCHAR, rows BIGINT, duplicates BIGINT,
    rejected BIGINT, skipped BIGINT, loaded_at TIMESTAMP DEFAULT current_timestamp
)"""


#: Rejects of one file kept (in the ``rejects`` table and the report); the rest are counted.
MAX_REJECTS = 1000

# Columns that make two rows of one file the same record (all but file and line).
_SAME = ", ".join(c for c in COLUMNS if c not in ("file", "line"))


@dataclass
class FileReport:
    """What loading one file did."""

    file: str
    sha256: str
    rows: int = 0  # newly stored by this call
    duplicates: int = 0  # events already in the database (from another file)
    rejected: int = 0
    skipped: int = 0  # records that are not events (PLOVER DOCUMENT)
    already_loaded: bool = False
    rejects: list[Reject] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (rejects with file, line and reason)."""
        return {
            "file": self.file, "rows": self.rows, "duplicates": self.duplicates,
            "rejected": self.rejected, "skipped": self.skipped,
            "already_loaded": self.already_loaded,
            "rejects": [r.as_dict() for r in self.rejects],
        }  # fmt: skip


_DUCKDB_MAGIC = b"DUCK"


def _open_error(path: Path, exc: Exception) -> BackchannelError:
    text = str(exc)
    if "lock" in text.lower():
        return BackchannelError(
            f"{path}: the database is in use by another process (an ingest still running?); "
            "try again when it has finished"
        )
    return BackchannelError(f"{path}: cannot open as a DuckDB database")


def connect(db_path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (or create) the event database; read-only opening needs an existing file.

    A folder, a file that is not a DuckDB database (a CSV given as --db) and a database
    locked by another process are refused with one line in our words.
    """
    path = Path(db_path)
    if path.is_dir():
        raise BackchannelError(f"{path}: a folder, not a DuckDB database file")
    if read_only and not path.is_file():
        raise BackchannelError(f"{path}: event database not found (make it with `ingest`)")
    if path.is_file() and path.stat().st_size:
        with open(path, "rb") as f:
            magic = f.read(12)[8:12]
        if magic != _DUCKDB_MAGIC:
            raise BackchannelError(
                f"{path}: not a DuckDB database (give the file made by `backchannel ingest`)"
            )
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise _open_error(path, exc) from None
    if not read_only:
        for ddl in (EVENTS_DDL, REJECTS_DDL, LOADS_DDL):
            con.execute(ddl)
        # the size of the file as given, so a new file need not be hashed before it loads
        con.execute("ALTER TABLE loads ADD COLUMN IF NOT EXISTS size BIGINT")
    elif not con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'events'"
    ).fetchone()[0]:  # type: ignore[index]
        con.close()
        raise BackchannelError(f"{path}: no events table (not made by `backchannel ingest`)")
    return con


def export_parquet(con: duckdb.DuckDBPyConnection, folder: str | Path) -> int:
    """Write every stored event as Parquet partitioned by year: ``folder/year=YYYY/*.parquet``.

    The folder is written beside itself and renamed into place, so a reader never sees a
    half-written one. Returns the number of events written.
    """
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise BackchannelError(f"{out}: --parquet wants a folder, and this is a file")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        _run(
            con,
            "COPY (SELECT *, CAST(year(date) AS INTEGER) AS year FROM events) "
            f"TO {lit(str(tmp))} (FORMAT parquet, PARTITION_BY (year), COMPRESSION zstd)",
        )
        n = _one(con, "SELECT count(*) FROM events")
        if out.exists():
            out.rename(old)
        tmp.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return int(n)


def reader(
    kind: str,
    path: Path,
    codes: CodeMap,
    *,
    book: Codebook | None = None,
    name: str | None = None,
    batch: int = 50_000,
) -> Iterator[Batch]:
    """The batches of one file read by the reader for ``kind``."""
    if kind in ("gdelt1", "gdelt2"):
        return read_gdelt(path, kind, codes, book=book, name=name, batch=batch)
    if kind == "icews":
        return read_icews(path, codes, book=book, name=name, batch=batch)
    if kind == "plover":
        return read_plover(path, codes, book=book, name=name, batch=batch)
    raise BackchannelError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")


@contextmanager
def _transaction(
    con: duckdb.DuckDBPyConnection, done: list[FileReport]
) -> Iterator[list[FileReport]]:
    """One file's transaction; the report is added to ``done`` when (and only if) committed.

    A Ctrl-C that arrives while COMMIT runs is held until the report is in ``done``, so a
    committed file is never reported as rolled back.
    """
    con.execute("BEGIN TRANSACTION")
    holder: list[FileReport] = []
    try:
        yield holder
    except BaseException as exc:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        if _interrupted(exc):  # Ctrl-C inside a statement DuckDB ran in this thread
            raise KeyboardInterrupt from None
        raise
    with _held_interrupt():
        con.execute("COMMIT")
        done.extend(holder)


def _interrupted(exc: BaseException) -> bool:
    """Whether ``exc`` is DuckDB's word for a statement stopped by Ctrl-C."""
    return isinstance(exc, duckdb.InterruptException) or (
        isinstance(exc, RuntimeError) and "interrupt" in str(exc).lower()
    )


@contextmanager
def _held_interrupt() -> Iterator[None]:
    """Hold SIGINT during the block and raise KeyboardInterrupt after it if one came."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    hit: list[int] = []
    old = signal.signal(signal.SIGINT, lambda *_: hit.append(1))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)
    if hit:
        raise KeyboardInterrupt


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during an ingest: the file being loaded was rolled back.

    ``loaded`` holds the reports of the files committed before it (they stay loaded);
    ``file`` is the file that was rolled back (None when the interrupt came between files).
    """

    def __init__(self, loaded: list[FileReport], file: str | None) -> None:
        super().__init__()
        self.loaded = loaded
        self.file = file


def _run(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: Any = None,
    tick: Callable[[float], None] | None = None,
) -> list[tuple[Any, ...]]:
    """Run one statement in a worker thread so that Ctrl-C stops it at once.

    The main thread waits (and reports progress); a KeyboardInterrupt there interrupts
    the query, waits for DuckDB to stop, and propagates, so the transaction rolls back.
    DuckDB's own "Interrupted" error becomes a KeyboardInterrupt too.
    """
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["rows"] = con.execute(sql, params or None).fetchall()
        except BaseException as exc:  # handed to the main thread
            box["error"] = exc

    worker = threading.Thread(target=work, name="backchannel-ingest", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.1)
            if tick is not None and worker.is_alive():
                tick(con.query_progress())
    except BaseException:
        con.interrupt()
        worker.join()
        raise
    err = box.get("error")
    if err is not None and _interrupted(err):
        raise KeyboardInterrupt from None
    if err is not None:
        raise err
    return box["rows"]


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    row = con.execute(sql, params or []).fetchone()
    return row[0] if row else None


def _tables(con: duckdb.DuckDBPyConnection, codes: CodeMap, book: Codebook) -> None:
    """The code map and the CAMEO → PLOVER table as temporary tables for the SQL readers."""
    amap = pa.table(
        {
            "code": pa.array(list(codes.entries), pa.string()),
            "actor": pa.array(list(codes.entries.values()), pa.string()),
        }
    )
    pmap = pa.table(
        {
            "cameo": pa.array(list(book.plover_map), pa.string()),
            "event": pa.array([c.event for c in book.plover_map.values()], pa.string()),
            "mode": pa.array([c.mode or None for c in book.plover_map.values()], pa.string()),
        }
    )
    for name, table in (("bc_map", amap), ("bc_pmap", pmap)):
        con.register(f"{name}_arrow", table)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
        con.unregister(f"{name}_arrow")


def _icews_header(head: bytes, name: str) -> list[str]:
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BackchannelError(f"{name}:1: not an ICEWS header (not UTF-8)") from None
    names = [h.strip() for h in text.split("\t")]
    missing = [c for c in ICEWS_NEEDED if c not in names]
    if missing:
        raise BackchannelError(
            f"{name}:1: not an ICEWS header; missing columns: " + ", ".join(missing)
        )
    return names


def _stage_tab(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    plain: Plain,
    name: str,
    on_progress: OnProgress | None,
) -> tuple[str, str]:
    """Stage a GDELT or ICEWS file through DuckDB's CSV reader; rejects into ``bc_rej``.

    Returns the staged rows as SQL (a subquery with each row's line in ``line_``) and the
    layout's column counts for messages.
    """
    spec = gdelt_spec(kind) if kind != "icews" else icews_spec(_icews_header(plain.head, name))

    def tick(pct: float) -> None:
        if on_progress is not None and pct >= 0:
            done = int(plain.size * min(pct, 100.0) / 100)
            on_progress(Progress(name, done, plain.size, "bytes", 0, 0))

    con.execute("DROP TABLE IF EXISTS bc_reject_errors")
    con.execute("DROP TABLE IF EXISTS bc_reject_scans")
    _run(con, stage_sql(spec, str(plain.path)), tick=tick)
    staged = _one(con, "SELECT count(*) FROM bc_stage")
    con.execute(f"CREATE OR REPLACE TEMP TABLE bc_dup_lines AS {reject_sql(spec)}")
    # Lines that gave no row: the header, lines DuckDB set aside, blank lines.
    skipped = _one(con, "SELECT count(*) FROM bc_dup_lines") + spec.skip
    blanks: list[int] = []
    if staged + skipped < plain.lines:
        blanks = blank_lines(plain.path)
    extra = [*range(1, spec.skip + 1), *blanks]
    con.execute(
        "CREATE OR REPLACE TEMP TABLE bc_skip AS "
        "SELECT line - row_number() OVER (ORDER BY line) AS g, "
        "row_number() OVER (ORDER BY line) AS i FROM "
        "(SELECT line FROM bc_dup_lines UNION SELECT unnest(?::BIGINT[]))",
        [extra],
    )
    # Rows are staged in file order with consecutive row ids (DuckDB keeps insertion order).
    base = _one(con, "SELECT coalesce(min(rowid), 0) FROM bc_stage")
    pos = f"(s.rowid - {int(base)} + 1)"
    src = f"(SELECT s.*, {pos} AS line_ FROM bc_stage s)"
    if _one(con, "SELECT count(*) FROM bc_skip"):
        con.execute(
            "CREATE OR REPLACE TEMP TABLE bc_skip AS SELECT g, max(i) AS i FROM bc_skip GROUP BY g"
        )
        src = (
            f"(SELECT s.*, {pos} + coalesce(k.i, 0) AS line_ FROM bc_stage s "
            f"ASOF LEFT JOIN bc_skip k ON {pos} > k.g)"
        )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE bc_rej AS "
        "SELECT line, reason, NULL::VARCHAR AS text FROM bc_dup_lines "
        f"UNION ALL SELECT line_, reason, NULL FROM {src} WHERE reason IS NOT NULL "
        "UNION ALL SELECT unnest(?::BIGINT[]), ?, ''",
        [blanks, f"1 columns, expected {spec.widths} (an empty line)"],
    )
    return src, spec.widths


_NOT_UTF8 = "\x00not-utf-8\x00"


def _line_texts(path: Path, lines: set[int]) -> dict[int, str]:
    """The text of some lines of a file (the kept rejects only; at most MAX_REJECTS)."""
    out: dict[int, str] = {}
    if not lines:
        return out
    last = max(lines)
    with open(path, "rb") as f:
        for n, raw in enumerate(f, start=1):
            if n in lines:
                raw = raw.rstrip(b"\r\n")
                try:
                    out[n] = raw.decode("utf-8")
                except UnicodeDecodeError:
                    out[n] = _NOT_UTF8 + raw.decode("utf-8", errors="replace")
            if n >= last:
                break
    return out


def _rejects_table(rejects: list[Reject]) -> pa.Table:
    return pa.table({
        "line": pa.array([r.line for r in rejects], pa.int64()),
        "reason": pa.array([r.reason for r in rejects], pa.string()),
        "text": pa.array([r.text for r in rejects], pa.string()),
    })  # fmt: skip


def _tab_events_sql(kind: str, src: str) -> str:
    """The ``events`` columns of the staged good rows (actor and PLOVER maps joined)."""
    return f"""
    SELECT '{kind}' AS dataset, s.event_id, s.date,
           da.actor AS source_actor, db.actor AS target_actor,
           nullif(s.a_code, '') AS source_code, nullif(s.b_code, '') AS target_code,
           s.event_code, s.root_code, CAST(s.quad_ AS TINYINT) AS quad_class, s.goldstein,
           CAST(s.mentions_ AS INTEGER) AS mentions, p.event AS plover, p.mode AS plover_mode,
           s.url, $file AS file, s.line_ AS line
    FROM {src} s
    LEFT JOIN bc_dim da ON da.country IS NOT DISTINCT FROM s.a_country
        AND da.code IS NOT DISTINCT FROM s.a_code AND da.grp IS NOT DISTINCT FROM s.a_group
    LEFT JOIN bc_dim db ON db.country IS NOT DISTINCT FROM s.b_country
        AND db.code IS NOT DISTINCT FROM s.b_code AND db.grp IS NOT DISTINCT FROM s.b_group
    LEFT JOIN bc_pdim p ON p.code = s.event_code
    WHERE s.reason IS NULL"""


_PDIM_FROM = "(SELECT DISTINCT event_code AS code FROM bc_stage WHERE reason IS NULL) c"
_PDIM = """
CREATE OR REPLACE TEMP TABLE bc_pdim AS
SELECT c.code, coalesce(p1.event, p2.event, p3.event) AS event,
       CASE WHEN p1.event IS NOT NULL THEN p1.mode WHEN p2.event IS NOT NULL THEN p2.mode
            ELSE p3.mode END AS mode
FROM (SELECT DISTINCT event_code AS code FROM bc_stage WHERE reason IS NULL) c
LEFT JOIN bc_pmap p1 ON p1.cameo = c.code
LEFT JOIN bc_pmap p2 ON p2.cameo = left(c.code, 3)
LEFT JOIN bc_pmap p3 ON p3.cameo = left(c.code, 2)"""


def _stage_plover(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    codes: CodeMap,
    book: Codebook,
    name: str,
    report: FileReport,
    on_progress: OnProgress | None,
    batch: int,
) -> int:
    """Stage PLOVER records (the Python JSON reader) in ``bc_pl``; rejects into ``bc_rej``."""
    con.execute("CREATE OR REPLACE TEMP TABLE bc_pl AS SELECT * FROM events LIMIT 0")
    con.execute("CREATE OR REPLACE TEMP TABLE bc_rej (line BIGINT, reason VARCHAR, text VARCHAR)")
    read = rejected = 0
    for b in read_plover(path, codes, book=book, name=name, batch=batch):
        if b.rows:
            staged = b.to_arrow()  # noqa: F841 (read by DuckDB below)
            con.execute("INSERT INTO bc_pl SELECT * FROM staged")
            read += len(b)
        if b.rejects:
            rej = _rejects_table(b.rejects)  # noqa: F841
            con.execute("INSERT INTO bc_rej SELECT * FROM rej")
            rejected += len(b.rejects)
        report.skipped += b.skipped
        if on_progress is not None:
            on_progress(Progress(name, b.done, b.total, "bytes", read, rejected))
    return read


def _load_file(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    path: Path,
    codes: CodeMap,
    book: Codebook,
    on_progress: OnProgress | None,
    batch: int,
    done: list[FileReport],
) -> FileReport:
    name = str(path)
    with plain_file(path, name) as plain:
        check_kind(kind, path, name, plain.head)
        report = FileReport(name, "")
        with _transaction(con, done) as holder:
            holder.append(report)
            # Only a file of the same size can be one loaded before: then its digest is
            # waited for first; otherwise it is computed while DuckDB reads the file.
            if _one(
                con,
                "SELECT count(*) FROM loads WHERE dataset = ? AND (size IS NULL OR size = ?)",
                [kind, plain.stored_size],
            ):
                report.sha256 = plain.sha256
                if _one(
                    con,
                    "SELECT count(*) FROM loads WHERE sha256 = ? AND dataset = ?",
                    [report.sha256, kind],
                ):
                    report.already_loaded = True
                    return report
            # A file small enough to stage in memory is staged: that is one write of the
            # events; the one-statement path writes them, then rewrites them at COMMIT for
            # the lines and code maps it writes back (28% slower at 5M rows), but needs no
            # memory in proportion to the file.
            fast = (
                kind != "plover"
                and plain.size > stage_limit()
                and _fast_tab(con, kind, plain, name, report, on_progress)
            )
            if fast:
                read = report.rows + report.duplicates
            elif kind == "plover":
                read = _stage_plover(con, path, codes, book, name, report, on_progress, batch)
                events_sql, ids, widths = "SELECT * FROM bc_pl", "bc_pl", ""
            else:
                src, widths = _stage_tab(con, kind, plain, name, on_progress)
                con.execute(dim_sql(kind))
                con.execute(_PDIM)
                events_sql = _tab_events_sql(kind, src)
                ids = "bc_stage WHERE reason IS NULL"
                read = _one(con, f"SELECT count(*) FROM {ids}")
            if not fast:
                report.sha256 = plain.sha256
                _store(con, kind, name, report, events_sql, ids, read, plain, widths)
            if on_progress is not None:
                on_progress(Progress(name, plain.size, plain.size, "bytes", read, report.rejected))
            for t in _TEMP:
                con.execute(f"DROP TABLE IF EXISTS {t}")
    return report


def stage_limit() -> int:
    """The largest plain file (bytes) staged in memory: a fifth of the machine's memory.

    A staged file takes about its own size in memory (DuckDB spills beyond its limit);
    a larger file takes the one-statement path, whose memory does not grow with it.
    """
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 5
    except (ValueError, OSError, AttributeError):  # no sysconf: stage up to 1 GB
        return 1 << 30


_TEMP = (
    "bc_keys", "bc_codes",
    "bc_stage", "bc_pl", "bc_rej", "bc_dim", "bc_pdim", "bc_ranked", "bc_skip", "bc_dup_lines",
)  # fmt: skip


def _keep_rejects(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    name: str,
    report: FileReport,
    plain: Plain,
    widths: str,
) -> None:
    """Count ``bc_rej``; keep the first MAX_REJECTS (with their text) in ``rejects``."""
    report.rejected = _one(con, "SELECT count(*) FROM bc_rej")
    kept = con.execute(
        "SELECT line, reason, text FROM bc_rej ORDER BY line LIMIT ?", [MAX_REJECTS]
    ).fetchall()
    texts = _line_texts(plain.path, {int(ln) for ln, _, t in kept if t is None})
    for ln, reason, text in kept:
        raw = texts.get(int(ln), "") if text is None else text
        if raw.startswith(_NOT_UTF8):
            raw, reason = raw[len(_NOT_UTF8) :], "not valid UTF-8"
        elif reason == "WIDTH":
            reason = f"{raw.count(chr(9)) + 1} columns, expected {widths}"
        report.rejects.append(Reject(name, int(ln), str(reason), raw[:200]))
    if report.rejects:
        rej = pa.table({
            "dataset": pa.array([kind] * len(report.rejects), pa.string()),
            "file": pa.array([name] * len(report.rejects), pa.string()),
            "line": pa.array([r.line for r in report.rejects], pa.int64()),
            "reason": pa.array([r.reason for r in report.rejects], pa.string()),
            "text": pa.array([r.text for r in report.rejects], pa.string()),
        })  # fmt: skip
        con.register("bc_kept_arrow", rej)
        con.execute("INSERT INTO rejects SELECT * FROM bc_kept_arrow")
        con.unregister("bc_kept_arrow")


def _record_load(
    con: duckdb.DuckDBPyConnection, kind: str, name: str, report: FileReport, plain: Plain
) -> None:
    con.execute(
        "INSERT INTO loads (sha256, dataset, file, rows, duplicates, rejected, skipped, size) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [report.sha256, kind, name, report.rows, report.duplicates, report.rejected,
         report.skipped, plain.stored_size],
    )  # fmt: skip


def _fast_tab(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    plain: Plain,
    name: str,
    report: FileReport,
    on_progress: OnProgress | None,
) -> bool:
    """The path of a file too large to stage: one statement from DuckDB's reader into ``events``.

    Every check and both code maps run inside the statement; rows land in file order, so
    each row's line is set afterwards from its position (plus the lines that gave no row:
    the header, lines the reader set aside, blank lines). When some row failed a check
    or an id repeats within the file, the rows are taken out again and False returned:
    the staged path then reports each bad row with its line.
    """
    spec: TabSpec = (
        gdelt_spec(kind) if kind != "icews" else icews_spec(_icews_header(plain.head, name))
    )

    def tick(pct: float) -> None:
        if on_progress is not None and pct >= 0:
            done = int(plain.size * min(pct, 100.0) / 100)
            on_progress(Progress(name, done, plain.size, "bytes", 0, 0))

    con.execute("DROP TABLE IF EXISTS bc_reject_errors")
    con.execute("DROP TABLE IF EXISTS bc_reject_scans")
    before = int(_one(con, "SELECT coalesce(max(rowid), -1) FROM events"))
    new = f"rowid > {before}"
    inserted = int(_run(con, fast_insert_sql(spec, str(plain.path)), {"file": name}, tick)[0][0])
    con.execute(f"CREATE OR REPLACE TEMP TABLE bc_dup_lines AS {reject_sql(spec)}")
    rejected = int(_one(con, "SELECT count(*) FROM bc_dup_lines"))
    blanks: list[int] = []
    if inserted + rejected + spec.skip < plain.lines:
        blanks = blank_lines(plain.path)
    undo = inserted + rejected + spec.skip + len(blanks) != plain.lines
    if not undo and inserted:
        undo = bool(
            _one(con, f"SELECT count(*) - count(DISTINCT event_id) FROM events WHERE {new}")
        )
    if undo:
        con.execute(f"DELETE FROM events WHERE {new}")
        return False
    if inserted:
        base = int(_one(con, f"SELECT min(rowid) FROM events WHERE {new}"))
        extra = [*range(1, spec.skip + 1), *blanks]
        con.execute(
            "CREATE OR REPLACE TEMP TABLE bc_skip AS SELECT g, max(i) AS i FROM ("
            "SELECT line - row_number() OVER (ORDER BY line) AS g, "
            "row_number() OVER (ORDER BY line) AS i FROM "
            "(SELECT line FROM bc_dup_lines UNION SELECT unnest(?::BIGINT[]))) GROUP BY g",
            [extra],
        )
        pos = f"(rowid - {base} + 1)"
        if _one(con, "SELECT count(*) FROM bc_skip"):
            _run(con, f"""
                UPDATE events SET line = x.line_ FROM (
                    SELECT e.rowid AS rid_, (e.rowid - {base} + 1) + coalesce(k.i, 0) AS line_
                    FROM events e ASOF LEFT JOIN bc_skip k ON (e.rowid - {base} + 1) > k.g
                    WHERE e.rowid > {before}) x
                WHERE events.rowid = x.rid_""")  # fmt: skip
        else:
            _run(con, f"UPDATE events SET line = {pos} WHERE {new}")
    if inserted:
        # The code maps: the distinct keys of the new rows, mapped once, then written back.
        con.execute(keys_sql(new))
        con.execute(dim_sql(kind, "bc_keys"))
        con.execute(
            "CREATE OR REPLACE TEMP TABLE bc_codes AS "
            f"SELECT DISTINCT event_code FROM events WHERE {new}"
        )
        con.execute(_PDIM.replace(_PDIM_FROM, "(SELECT event_code AS code FROM bc_codes) c"))
        for col in ("source_actor", "target_actor"):
            _run(con, f"UPDATE events SET {col} = d.actor FROM bc_dim d "
                      f"WHERE events.rowid > {before} AND events.{col} = d.k")  # fmt: skip
        _run(con, "UPDATE events SET plover = p.event, plover_mode = p.mode FROM bc_pdim p "
                  f"WHERE events.rowid > {before} AND events.event_code = p.code "
                  "AND p.event IS NOT NULL")  # fmt: skip
    # Events already stored from another file are not stored twice.
    dup = 0
    if before >= 0 and inserted:
        old = (
            f"EXISTS (SELECT 1 FROM events o WHERE o.rowid <= {before} "
            "AND o.dataset = events.dataset AND o.event_id = events.event_id)"
        )
        dup = int(_one(con, f"SELECT count(*) FROM events WHERE {new} AND {old}"))
        if dup:
            con.execute(f"DELETE FROM events WHERE {new} AND {old}")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE bc_rej AS "
        "SELECT line, reason, NULL::VARCHAR AS text FROM bc_dup_lines "
        "UNION ALL SELECT unnest(?::BIGINT[]), ?, ''",
        [blanks, f"1 columns, expected {spec.widths} (an empty line)"],
    )
    report.sha256 = plain.sha256
    _keep_rejects(con, kind, name, report, plain, spec.widths)
    report.rows = inserted - dup
    report.duplicates = dup
    _record_load(con, kind, name, report, plain)
    return True


def _store(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    name: str,
    report: FileReport,
    events_sql: str,
    ids: str,
    read: int,
    plain: Plain,
    widths: str,
) -> None:
    """Set the staged rejects aside (the first MAX_REJECTS kept), store the new events."""
    params: dict[str, Any] = {"file": name} if "$file" in events_sql else {}
    # The same record twice in one file (same id and content): keep the first, set the
    # others aside. The same id on records that differ is kept: the PLOVER gold
    # standard gives two different events the id PLOVER-GSR01-COERCE-0004.
    source = f"({events_sql})"
    dup = 0
    if _one(con, f"SELECT count(*) - count(DISTINCT event_id) FROM {ids}"):
        _run(con, f"""
            CREATE OR REPLACE TEMP TABLE bc_ranked AS
            SELECT *, row_number() OVER w AS n_, min(line) OVER w AS first_
            FROM ({events_sql}) WINDOW w AS (PARTITION BY {_SAME} ORDER BY line)""",
            params)  # fmt: skip
        con.execute("""
            INSERT INTO bc_rej
            SELECT line, 'duplicate of line ' || first_ || ' (event id ' || event_id || ')',
                   NULL
            FROM bc_ranked WHERE n_ > 1""")
        dup = _one(con, "SELECT count(*) FROM bc_ranked WHERE n_ > 1")
        source = "(SELECT * EXCLUDE (n_, first_) FROM bc_ranked WHERE n_ = 1)"
        params = {}
    _keep_rejects(con, kind, name, report, plain, widths)
    # Events already stored from another file are not stored twice.
    prior = _one(
        con, "SELECT count(*) FROM (SELECT 1 FROM events WHERE dataset = ? LIMIT 1)", [kind]
    )
    anti = (
        " WHERE NOT EXISTS (SELECT 1 FROM events e "
        "WHERE e.dataset = s.dataset AND e.event_id = s.event_id)"
        if prior
        else ""
    )
    # Lines are already known: the order rows are written in does not matter any more.
    con.execute("SET preserve_insertion_order = false")
    try:
        stored = _run(con, f"INSERT INTO events SELECT s.* FROM {source} s{anti}", params)
    finally:
        # after an interrupt the transaction is aborted and takes no statement until the
        # caller rolls it back; the setting is the session's, so put it back when it can be
        with contextlib.suppress(duckdb.Error):
            con.execute("SET preserve_insertion_order = true")
    report.rows = int(stored[0][0]) if stored else 0
    report.duplicates = read - dup - report.rows
    _record_load(con, kind, name, report, plain)


def ingest(
    kind: str,
    files: Iterable[str | Path],
    db_path: str | Path,
    *,
    codes: CodeMap | None = None,
    book: Codebook | None = None,
    on_progress: OnProgress | None = None,
    on_file: Callable[[FileReport], None] | None = None,
    batch: int = 50_000,
) -> list[FileReport]:
    """Load event files of one ``kind`` into the DuckDB file ``db_path``, one transaction each.

    Every file is checked to exist before any is read. ``on_progress`` is called after
    each batch, ``on_file`` after each file is committed. An exception (or an interrupt)
    while a file loads rolls that file back and propagates; files before it stay loaded.
    """
    if kind not in KINDS:
        raise BackchannelError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    paths = [Path(f) for f in files]
    for p in paths:
        if not p.is_file():
            raise BackchannelError(f"{p}: file not found")
    codes = codes or load_codemap()
    book = book or codebook()
    reports: list[FileReport] = []
    current: str | None = None
    try:
        con = connect(db_path)
        try:
            _tables(con, codes, book)
            for p in paths:
                current = str(p)
                _load_file(con, kind, p, codes, book, on_progress, batch, reports)
                if on_file is not None:
                    on_file(reports[-1])
        finally:
            con.close()
    except KeyboardInterrupt:
        committed = bool(reports) and reports[-1].file == current
        raise Interrupted(reports, None if committed else current) from None
    return reports
