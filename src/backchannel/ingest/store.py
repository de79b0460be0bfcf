"""The DuckDB event store: ``events``, ``rejects`` and ``loads`` tables, idempotent loads.

One transaction per file: a file is either loaded whole (its good rows in ``events``, its
bad rows in ``rejects``, one line in ``loads``) or, if anything interrupts it, not at
all. A file whose bytes were loaded before (same SHA-256 and kind) adds nothing; an event
whose ``(dataset, event_id)`` is already stored (say, from a zipped copy of the same
export) is counted as a duplicate and not stored twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from ..core.errors import BackchannelError
from .codebook import Codebook, codebook
from .codemap import CodeMap, load_codemap
from .files import file_digest
from .gdelt import read_gdelt
from .icews import read_icews
from .plover import read_plover
from .table import COLUMNS, Batch, Reject

__all__ = [
    "KINDS",
    "FileReport",
    "Progress",
    "connect",
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


# Columns that make two rows of one file the same record (all but file and line).
_SAME = ", ".join(c for c in COLUMNS if c not in ("file", "line"))


@dataclass
class Progress:
    """How far the load of one file has got (for a progress bar)."""

    file: str
    done: int  # bytes read (0 when unknown)
    total: int  # bytes in the file (0 when unknown)
    lines: int
    rows: int
    rejected: int


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


def connect(db_path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (or create) the event database; read-only opening needs an existing file."""
    path = Path(db_path)
    if read_only and not path.is_file():
        raise BackchannelError(f"{path}: event database not found (make it with `ingest`)")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise BackchannelError(f"{path}: cannot open as a DuckDB database ({exc})") from None
    if not read_only:
        for ddl in (EVENTS_DDL, REJECTS_DDL, LOADS_DDL):
            con.execute(ddl)
    elif not con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'events'"
    ).fetchone()[0]:  # type: ignore[index]
        con.close()
        raise BackchannelError(f"{path}: no events table (not made by `backchannel ingest`)")
    return con


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
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _rejects_table(kind: str, rejects: list[Reject]) -> pa.Table:
    return pa.table({
        "dataset": pa.array([kind] * len(rejects), pa.string()),
        "file": pa.array([r.file for r in rejects], pa.string()),
        "line": pa.array([r.line for r in rejects], pa.int64()),
        "reason": pa.array([r.reason for r in rejects], pa.string()),
        "text": pa.array([r.text for r in rejects], pa.string()),
    })  # fmt: skip


def _load_file(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    path: Path,
    codes: CodeMap,
    book: Codebook,
    on_progress: Callable[[Progress], None] | None,
    batch: int,
) -> FileReport:
    name = str(path)
    report = FileReport(name, file_digest(path))
    with _transaction(con):
        seen = con.execute(
            "SELECT count(*) FROM loads WHERE sha256 = ? AND dataset = ?", [report.sha256, kind]
        ).fetchone()
        if seen and seen[0]:
            report.already_loaded = True
            return report
        con.execute("CREATE OR REPLACE TEMP TABLE staging AS SELECT * FROM events LIMIT 0")
        read = 0
        for b in reader(kind, path, codes, book=book, name=name, batch=batch):
            if b.rows:
                staged = b.to_arrow()  # noqa: F841 (read by DuckDB below)
                con.execute("INSERT INTO staging SELECT * FROM staged")
                read += len(b)
            if b.rejects:
                rej = _rejects_table(kind, b.rejects)  # noqa: F841
                con.execute("INSERT INTO rejects SELECT * FROM rej")
                report.rejects += b.rejects
            report.skipped += b.skipped
            if on_progress is not None:
                on_progress(Progress(name, b.done, b.total, b.lines, read, len(report.rejects)))
        # The same record twice in one file (same id and content): keep the first, set the
        # others aside. The same id on records that differ is kept: the PLOVER gold
        # standard gives two different events the id PLOVER-GSR01-COERCE-0004.
        source = "staging"
        dup: list[tuple[int, str, int]] = []
        repeated = con.execute(
            "SELECT count(*) FROM (SELECT event_id FROM staging GROUP BY event_id "
            "HAVING count(*) > 1)"
        ).fetchone()
        if repeated and repeated[0]:
            con.execute(f"""
                CREATE OR REPLACE TEMP TABLE ranked AS
                SELECT *, row_number() OVER w AS n_, min(line) OVER w AS first_
                FROM staging WINDOW w AS (PARTITION BY {_SAME} ORDER BY line)""")
            con.execute("""
                INSERT INTO rejects
                SELECT dataset, file, line,
                       'duplicate of line ' || first_ || ' (event id ' || event_id || ')',
                       NULL
                FROM ranked WHERE n_ > 1 ORDER BY line""")
            dup = con.execute(
                "SELECT line, event_id, first_ FROM ranked WHERE n_ > 1 ORDER BY line"
            ).fetchall()
            source = "(SELECT * EXCLUDE (n_, first_) FROM ranked WHERE n_ = 1 ORDER BY line)"
        report.rejects += [
            Reject(name, line, f"duplicate of line {first} (event id {eid})")
            for line, eid, first in dup
        ]
        report.rejected = len(report.rejects)
        # Events already stored from another file are not stored twice.
        prior = con.execute(
            "SELECT count(*) FROM (SELECT 1 FROM events WHERE dataset = ? LIMIT 1)", [kind]
        ).fetchone()
        anti = (
            " WHERE NOT EXISTS (SELECT 1 FROM events e "
            "WHERE e.dataset = s.dataset AND e.event_id = s.event_id)"
            if prior and prior[0]
            else ""
        )
        stored = con.execute(f"INSERT INTO events SELECT s.* FROM {source} s{anti}").fetchone()
        report.rows = int(stored[0]) if stored else 0
        report.duplicates = read - len(dup) - report.rows
        con.execute(
            "INSERT INTO loads (sha256, dataset, file, rows, duplicates, rejected, skipped) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                report.sha256,
                kind,
                name,
                report.rows,
                report.duplicates,
                report.rejected,
                report.skipped,
            ],
        )
        con.execute("DROP TABLE staging")
        con.execute("DROP TABLE IF EXISTS ranked")
    return report


def ingest(
    kind: str,
    files: Iterable[str | Path],
    db_path: str | Path,
    *,
    codes: CodeMap | None = None,
    book: Codebook | None = None,
    on_progress: Callable[[Progress], None] | None = None,
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
    con = connect(db_path)
    reports = []
    try:
        for p in paths:
            rep = _load_file(con, kind, p, codes, book, on_progress, batch)
            reports.append(rep)
            if on_file is not None:
                on_file(rep)
    finally:
        con.close()
    return reports
