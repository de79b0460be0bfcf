"""The normalised event table every reader produces, and the rows it sets aside."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

__all__ = ["COLUMNS", "SCHEMA", "Batch", "Reject", "RowError", "to_float", "to_int", "valid_date"]

#: Column name → Arrow type of the ``events`` table (also the DuckDB table's columns).
COLUMNS: dict[str, pa.DataType] = {
    "dataset": pa.string(),  # gdelt1, gdelt2, icews, plover
    "event_id": pa.string(),  # the file's own event id (GLOBALEVENTID, Event ID, id)
    "date": pa.date32(),
    "source_actor": pa.string(),  # scenario actor id through the code map, or null
    "target_actor": pa.string(),
    "source_code": pa.string(),  # raw CAMEO code (GDELT, PLOVER) or actor name (ICEWS)
    "target_code": pa.string(),
    "event_code": pa.string(),  # CAMEO code with leading zeros ('042'); null for PLOVER
    "root_code": pa.string(),  # '04'
    "quad_class": pa.int8(),  # 1..4
    "goldstein": pa.float64(),
    "mentions": pa.int32(),  # GDELT NumMentions; null elsewhere
    "plover": pa.string(),  # PLOVER event type (CAMEO rows through CAMEO2PLOVER)
    "plover_mode": pa.string(),
    "url": pa.string(),
    "file": pa.string(),
    "line": pa.int64(),  # line in the file where the record starts (1-based)
}
SCHEMA = pa.schema(list(COLUMNS.items()))


@dataclass(frozen=True, slots=True)
class Reject:
    """A row set aside: where it is and why."""

    file: str
    line: int
    reason: str
    text: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"file": self.file, "line": self.line, "reason": self.reason}


@dataclass
class Batch:
    """A chunk of rows read from one file, plus the rows it set aside."""

    rows: list[tuple[Any, ...]] = field(default_factory=list)  # in COLUMNS order
    rejects: list[Reject] = field(default_factory=list)
    done: int = 0  # bytes of the file read so far
    total: int = 0  # bytes in the file (uncompressed)
    lines: int = 0  # lines (or records) read so far
    skipped: int = 0  # records that are not events (PLOVER's DOCUMENT record)

    def __len__(self) -> int:
        return len(self.rows)

    def add_tab_line(
        self, file: str, n: int, text: str | None, parse: Callable[[list[str], int], Any]
    ) -> None:
        """Parse one tab-separated line into a row, or set it aside with its reason."""
        if text is None:
            self.rejects.append(Reject(file, n, "not valid UTF-8"))
            return
        try:
            self.rows.append(parse(text.split("\t"), n))
        except RowError as exc:
            self.rejects.append(Reject(file, n, str(exc), text[:200]))

    def to_arrow(self) -> pa.Table:
        """The rows as an Arrow table with :data:`SCHEMA`."""
        cols = list(zip(*self.rows, strict=True)) if self.rows else [()] * len(COLUMNS)
        return pa.table(
            [pa.array(c, type=t) for c, t in zip(cols, COLUMNS.values(), strict=True)],
            schema=SCHEMA,
        )


def valid_date(y: int, m: int, d: int) -> dt.date | None:
    """The date if it exists on the calendar, else None."""
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _bounds(lo: float | None, hi: float | None) -> str:
    if hi is None:
        return f"must be at least {lo}"
    if lo is None:
        return f"must be at most {hi}"
    return f"must be {lo} to {hi}"


class RowError(Exception):
    """A row to set aside; the message is the reason."""


def to_int(value: str, what: str, lo: int | None = None, hi: int | None = None) -> int:
    """``value`` as a whole number within ``lo..hi``, else :class:`RowError` naming it."""
    try:
        n = int(value)
    except ValueError:
        raise RowError(f"{what} is not a whole number: {value!r}") from None
    if (lo is not None and n < lo) or (hi is not None and n > hi):
        raise RowError(f"{what} {n} is out of range ({_bounds(lo, hi)})")
    return n


def to_float(value: str, what: str, lo: float | None = None, hi: float | None = None) -> float:
    """``value`` as a number within ``lo..hi``, else :class:`RowError` naming it."""
    try:
        x = float(value)
    except ValueError:
        raise RowError(f"{what} is not a number: {value!r}") from None
    if x != x or (lo is not None and x < lo) or (hi is not None and x > hi):
        raise RowError(f"{what} {value} is out of range ({_bounds(lo, hi)})")
    return x
