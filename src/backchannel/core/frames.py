"""Results as pandas DataFrames and as HTML tables in a notebook.

Dates in frames are ``datetime64`` columns. Where a date may be partial (an event dated
``2021-10`` or ``1971``), the column holds the first day of its period and a
``precision`` column beside it says ``day``, ``month`` or ``year`` — the same rule as
everywhere else (DESIGN.md, "Time rules"). Open ends (a span still running, a channel
never used) are ``NaT``.

pandas is imported when a frame is asked for, never at import time.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .dates import PartialDate, parse_date

__all__ = ["Tabular", "frame", "html_table", "to_datetime64"]


def _missing(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and value != value)


def _first_day(value: object) -> dt.date | None:
    if _missing(value):
        return None
    if isinstance(value, PartialDate):
        return value.day
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value > 10000:
        return dt.date.fromordinal(value)
    return parse_date(value).day


def _precision(value: object) -> str | None:
    if _missing(value):
        return None
    if isinstance(value, PartialDate):
        return value.precision
    if isinstance(value, dt.date | int):
        return "day"
    return parse_date(value).precision


def _all_dates(values: Iterable[object]) -> bool:
    try:
        for v in values:
            _first_day(v)
    except (ValueError, TypeError):
        return False
    return True


def to_datetime64(values: Iterable[object]) -> Any:
    """Dates (ISO text, partial dates, ordinals, ``date``) as a ``datetime64`` Series.

    >>> s = to_datetime64(["2021-10-06", "1971", None])
    >>> str(s.dtype).startswith("datetime64"), [str(x.date()) for x in s[:2]], s.isna().tolist()
    (True, ['2021-10-06', '1971-01-01'], [False, False, True])
    """
    import pandas as pd

    days = [_first_day(v) for v in values]
    return pd.Series(pd.to_datetime([d.isoformat() if d else None for d in days]))


def frame(
    rows: Iterable[Mapping[str, Any]],
    dates: Sequence[str] = (),
    partial: Sequence[str] = (),
    columns: Sequence[str] | None = None,
) -> Any:
    """A DataFrame of ``rows``; ``dates`` columns become ``datetime64``, and so do
    ``partial`` ones, each with a precision column after it (``precision`` for the first,
    ``<name>_precision`` for others)."""
    import pandas as pd

    data = list(rows)
    df = pd.DataFrame(data, columns=list(columns) if columns is not None else None)
    for name in df.columns:  # with gaps, whole numbers stay Int64 and flags stay boolean
        values = [r.get(name) for r in data] if data and isinstance(data[0], Mapping) else []
        present = [v for v in values if v is not None]
        if not present or len(present) == len(values):
            continue
        if all(isinstance(v, bool) for v in present):
            df[name] = df[name].astype("boolean")
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            df[name] = df[name].astype("Int64")
    for name in dates:
        if name in df.columns and _all_dates(df[name].tolist()):
            df[name] = to_datetime64(df[name].tolist()).to_numpy()
    for i, name in enumerate(partial):
        if name not in df.columns or not _all_dates(df[name].tolist()):
            continue  # a column of that name that holds no dates is left as it is
        raw = df[name].tolist()
        df[name] = to_datetime64(raw).to_numpy()
        label = "precision" if i == 0 else f"{name}_precision"
        if label in df.columns:
            df[label] = [_precision(v) for v in raw]
        else:
            df.insert(df.columns.get_loc(name) + 1, label, [_precision(v) for v in raw])
    return df


def html_table(
    rows: Sequence[Sequence[object]], header: Sequence[str] = (), title: str = ""
) -> str:
    """A small HTML table (escaped), for ``_repr_html_`` of things that are not frames."""
    out = ["<table>"]
    if title:
        out.append(f"<caption>{html.escape(title)}</caption>")
    if header:
        out.append("<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header))
        out.append("</tr></thead>")
    out.append("<tbody>")
    for r in rows:
        cells = "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in r)
        out.append(f"<tr>{cells}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


class Tabular:
    """A result that is a table: ``to_pandas()``, and shown as one in a notebook."""

    def to_pandas(self) -> Any:  # pragma: no cover - every subclass has its own
        """The result as a :class:`pandas.DataFrame`."""
        raise NotImplementedError

    def _repr_html_(self) -> str:
        title = getattr(self, "title", "")
        body = self.to_pandas().to_html(index=False, na_rep="—", max_rows=60)
        return (f"<p><b>{html.escape(title)}</b></p>" if title else "") + body
