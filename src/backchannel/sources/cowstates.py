"""The Correlates of War state system: who was a state when (``states2016.csv`` spells, or
``system2016.csv`` state-years), read with file, line and reason for every bad row."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import BackchannelError, Problem
from ..core.limits import shown
from ..core.progress import OnProgress
from .rows import header, read_rows

__all__ = ["Spell", "read_spells"]


@dataclass(frozen=True, slots=True)
class Spell:
    """A continuous membership of the state system: first and last day (inclusive)."""

    ccode: int
    abb: str
    name: str
    start: dt.date
    end: dt.date | None  # None: still a member when the file ends
    line: int
    year_precision: bool = False


def _int(value: str, what: str) -> int:
    try:
        text = value.strip()
        if not text.isascii() or len(text) > 15:  # int() takes '٢٠' and 5,000 digits
            raise ValueError
        return int(text)
    except ValueError:
        raise ValueError(f"{what} {shown(repr(value.strip()))} is not a whole number") from None


def read_spells(
    path: Path, problems: list[Problem], progress: OnProgress | None = None
) -> list[Spell]:
    """Membership spells from ``states2016.csv`` (spells) or ``system2016.csv`` (state-years).

    A spell that ends on the file's last day (31 December 2016) is still running. Bad rows
    are added to ``problems`` and skipped.
    """
    cols = [c.strip() for c in header(path)]
    if {"styear", "endyear"} <= set(cols):
        return _read_state_spells(path, cols, problems, progress)
    if {"year", "ccode"} <= set(cols):
        return _read_state_years(path, cols, problems, progress)
    raise BackchannelError(
        f"{path}:1: not a COW state system file (expected the columns of states2016.csv or "
        f"system2016.csv, got {shown(', '.join(cols), 200) or 'nothing'})"
    )


def _read_state_spells(
    path: Path, cols: list[str], problems: list[Problem], progress: OnProgress | None
) -> list[Spell]:
    idx = {c: i for i, c in enumerate(cols)}
    raw: list[tuple[int, str, str, dt.date, dt.date, int]] = []
    for line, fields, error in read_rows(path, "states", progress):
        if fields is None:
            problems.append(Problem(str(path), line, error or "unreadable"))
            continue
        try:
            if len(fields) != len(cols):
                raise ValueError(f"expected {len(cols)} fields, got {len(fields)}")
            ccode = _int(fields[idx["ccode"]], "ccode")
            start = dt.date(
                _int(fields[idx["styear"]], "styear"),
                _int(fields[idx["stmonth"]], "stmonth"),
                _int(fields[idx["stday"]], "stday"),
            )
            end = dt.date(
                _int(fields[idx["endyear"]], "endyear"),
                _int(fields[idx["endmonth"]], "endmonth"),
                _int(fields[idx["endday"]], "endday"),
            )
            if end < start:
                raise ValueError(f"membership ends ({end}) before it starts ({start})")
        except ValueError as exc:
            problems.append(Problem(str(path), line, str(exc)))
            continue
        abb = fields[idx["stateabb"]].strip() if "stateabb" in idx else str(ccode)
        name = fields[idx["statenme"]].strip() if "statenme" in idx else abb
        raw.append((ccode, abb, name, start, end, line))
    last = max((r[4] for r in raw), default=None)
    return [Spell(c, a, n, s, None if e == last else e, line) for c, a, n, s, e, line in raw]


def _read_state_years(
    path: Path, cols: list[str], problems: list[Problem], progress: OnProgress | None
) -> list[Spell]:
    idx = {c: i for i, c in enumerate(cols)}
    years: dict[int, dict[int, int]] = defaultdict(dict)
    abbs: dict[int, str] = {}
    for line, fields, error in read_rows(path, "states", progress):
        if fields is None:
            problems.append(Problem(str(path), line, error or "unreadable"))
            continue
        try:
            if len(fields) != len(cols):
                raise ValueError(f"expected {len(cols)} fields, got {len(fields)}")
            ccode = _int(fields[idx["ccode"]], "ccode")
            year = _int(fields[idx["year"]], "year")
        except ValueError as exc:
            problems.append(Problem(str(path), line, str(exc)))
            continue
        years[ccode].setdefault(year, line)
        if "stateabb" in idx:
            abbs.setdefault(ccode, fields[idx["stateabb"]].strip())
    last = max((y for ys in years.values() for y in ys), default=None)
    out: list[Spell] = []
    for ccode in sorted(years):
        ys = sorted(years[ccode])
        first = prev = ys[0]
        for y in [*ys[1:], None]:
            if y is not None and y == prev + 1:
                prev = y
                continue
            end = None if prev == last else dt.date(prev, 12, 31)
            abb = abbs.get(ccode, str(ccode))
            out.append(Spell(ccode, abb, abb, dt.date(first, 1, 1), end, years[ccode][first], True))
            if y is not None:
                first = prev = y
    return out
