"""Partial dates and durations, the time rules of the scenario format, written once.

Rules (DESIGN.md, "Time rules"):

* A date may be given to the day (``2021-10-06``), the month (``2021-10``) or the year
  (``2021``). A month- or year-precision date counts as the first day of its period,
  except for dormancy, where a use counts at the last day of its period
  (:attr:`PartialDate.last_ordinal`; :mod:`backchannel.record.usage`).
* ``--at D`` means the state after every event dated ``D`` (end of day).
* Events on one day apply in file order.

Durations are ``15m``, ``6h``, ``2d``, ``3w`` (also ``30s``), and ``1y`` (365.25 days, for
horizons; ``m`` stays minutes), stored as seconds, at most :data:`MAX_DURATION_S` (100
years). Dates and durations take ASCII digits only (``'²'`` or ``'٢'`` pass
``str.isdigit`` and ``int()``, not these rules).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from .errors import BackchannelError

__all__ = [
    "MAX_DURATION_S",
    "PartialDate",
    "format_duration",
    "format_percent",
    "iso",
    "parse_date",
    "parse_duration",
    "to_day",
]

Precision = Literal["day", "month", "year"]

_DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?$", re.ASCII)
_DURATION_RE = re.compile(r"^\s*([0-9]{1,20}(?:\.[0-9]{1,20})?)\s*([smhdwy])\s*$", re.ASCII)
# y: 365.25 days (horizons)
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "y": 31_557_600}
MAX_DURATION_S = round(100 * 365.25 * 86400)  # 100 years


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date known to the day, month or year; it sorts and compares as its first day."""

    day: dt.date
    precision: Precision = "day"

    @property
    def ordinal(self) -> int:
        """Proleptic Gregorian ordinal of the first day of the period."""
        return self.day.toordinal()

    @property
    def last_ordinal(self) -> int:
        """Ordinal of the last day of the period (the day itself for a full date).

        >>> parse_date("2004").last_ordinal == dt.date(2004, 12, 31).toordinal()
        True
        >>> parse_date("2021-02").last_ordinal == dt.date(2021, 2, 28).toordinal()
        True
        """
        d = self.day
        if self.precision == "year":
            return dt.date(d.year, 12, 31).toordinal()
        if self.precision == "month":
            nxt = dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)
            return nxt.toordinal() - 1
        return d.toordinal()

    def __str__(self) -> str:
        if self.precision == "year":
            return f"{self.day.year:04d}"
        if self.precision == "month":
            return f"{self.day.year:04d}-{self.day.month:02d}"
        return self.day.isoformat()


def parse_date(value: object) -> PartialDate:
    """Parse ``2021-10-06``, ``2021-10``, ``2021`` (or a date object) into a PartialDate.

    >>> str(parse_date("2021-10")), parse_date("2021").day.isoformat()
    ('2021-10', '2021-01-01')

    Raises ValueError with a plain reason for text that is not a date or a day that does
    not exist (``2021-02-30``).
    """
    if isinstance(value, dt.datetime):
        return PartialDate(value.date(), "day")
    if isinstance(value, dt.date):
        return PartialDate(value, "day")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a date like 2021-10-06, 2021-10 or 2021, got {_cut(value)}")
    text = value.strip()
    m = _DATE_RE.match(text)
    if not m:
        raise ValueError(f"cannot parse {_cut(text)} as a date (use YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        if day is not None:
            return PartialDate(dt.date(int(year), int(month), int(day)), "day")
        if month is not None:
            return PartialDate(dt.date(int(year), int(month), 1), "month")
        return PartialDate(dt.date(int(year), 1, 1), "year")
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date ({exc})") from None


def parse_duration(value: object) -> int:
    """Parse ``15m``, ``6h``, ``2d``, ``3w``, ``30s`` or ``1y`` into whole seconds.

    ``y`` is 365.25 days (for horizons); ``m`` is minutes.

    >>> parse_duration("6h"), parse_duration("2d"), parse_duration("1y")
    (21600, 172800, 31557600)
    """
    if isinstance(value, bool):
        raise ValueError(f"malformed duration {_cut(value)} (use 15m, 6h, 2d, 3w or 1y)")
    if isinstance(value, int | float) and value == 0:
        return 0
    if not isinstance(value, str):
        raise ValueError(f"malformed duration {_cut(value)} (use 15m, 6h, 2d, 3w or 1y)")
    if len(value) < 64 and (m := _DURATION_RE.match(value)):
        seconds = float(m.group(1)) * _UNIT_S[m.group(2)]
        if seconds <= MAX_DURATION_S:
            return round(seconds)
    elif not re.match(r"^\s*[0-9]+(?:\.[0-9]+)?\s*[smhdwy]\s*$", value, re.ASCII):
        raise ValueError(f"malformed duration {_cut(value)} (use 15m, 6h, 2d, 3w or 1y)")
    raise ValueError(f"duration {_cut(value)} out of range (at most 100 years)")


def _cut(value: object, limit: int = 40) -> str:
    """``repr(value)``, shortened: a hostile value is echoed in part, never in full."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_duration(seconds: float | None) -> str:
    """Write seconds the way a person reads them: ``15m``, ``6h 15m``, ``2d 6h``.

    >>> format_duration(22500), format_duration(0), format_duration(None)
    ('6h 15m', '0s', '—')
    """
    if seconds is None:
        return "—"
    s = round(seconds)
    if s == 0:
        return "0s"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        n, s = divmod(s, size)
        if n:
            parts.append(f"{n}{unit}")
    return " ".join(parts[:2])


def iso(day: int | None) -> str | None:
    """ISO text of an ordinal day (None stays None).

    >>> iso(738_826), iso(None)
    ('2023-11-02', None)
    """
    return None if day is None else dt.date.fromordinal(day).isoformat()


def to_day(value: object, what: str = "date") -> int:
    """A user's date (text, date or PartialDate) as an ordinal day; clear error if bad."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 10000:
        return value
    try:
        d = value if isinstance(value, PartialDate) else parse_date(value)
    except ValueError as exc:
        raise BackchannelError(f"{what}: {exc}", param=what) from None
    return d.ordinal


def format_percent(x: float) -> str:
    """A probability the way a person reads it: one decimal, never a false 0% or 100%.

    >>> format_percent(0.9962), format_percent(0.99995), format_percent(0.0004)
    ('99.6%', '>99.9%', '<0.1%')
    """
    if 0 < x < 0.001:
        return "<0.1%"
    if 0.999 < x < 1:
        return ">99.9%"
    return f"{100 * x:.1f}%"
