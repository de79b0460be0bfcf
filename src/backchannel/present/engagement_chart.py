"""A PNG chart of an engagement series on a real time axis (matplotlib, no display needed).

Periods sit at their dates, as wide as they last; the series lists only periods in which
the data has events, so a stretch without any period is a gap: it is shaded and no line
crosses it (1982-12 and 2006-07 are 24 years apart, not one step).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.errors import BackchannelError
from ..eventdata.engagement import BY
from ..sources.codebook import QUADS

__all__ = ["gaps", "period_span", "plot_engagement", "series_lines"]

_COLOURS = {
    "verbal_cooperation": "#9ecae1",
    "material_cooperation": "#3182bd",
    "verbal_conflict": "#fdae6b",
    "material_conflict": "#e6550d",
}


def period_span(label: str, by: str) -> tuple[dt.date, dt.date]:
    """The first day of a period and the first day after it (``2021-09``, ``2021-Q3``, ``2021``)."""
    if by == "month":
        y, m = int(label[:4]), int(label[5:7])
        start = dt.date(y, m, 1)
        end = dt.date(y + (m == 12), m % 12 + 1, 1)
    elif by == "quarter":
        y, q = int(label[:4]), int(label[6])
        start = dt.date(y, 3 * q - 2, 1)
        end = dt.date(y + (q == 4), (3 * q) % 12 + 1, 1)
    else:
        start, end = dt.date(int(label), 1, 1), dt.date(int(label) + 1, 1, 1)
    return start, end


def gaps(series: Sequence[dict[str, Any]], by: str) -> list[tuple[dt.date, dt.date]]:
    """The stretches between listed periods that are not themselves listed (no data)."""
    spans = [period_span(s["period"], by) for s in series]
    return [(a[1], b[0]) for a, b in itertools.pairwise(spans) if a[1] < b[0]]


def series_lines(
    series: Sequence[dict[str, Any]], by: str, key: str
) -> tuple[list[dt.date], list[float]]:
    """Points of a line at the middle of each period, broken (NaN) across every gap."""
    xs: list[dt.date] = []
    ys: list[float] = []
    prev_end: dt.date | None = None
    for s in series:
        start, end = period_span(s["period"], by)
        if prev_end is not None and prev_end < start:
            xs.append(prev_end)
            ys.append(float("nan"))
        xs.append(start + (end - start) / 2)
        value = s[key]
        ys.append(float("nan") if value is None else float(value))
        prev_end = end
    return xs, ys


def plot_engagement(
    series: Sequence[dict[str, Any]], path: str | Path, title: str, by: str = "month"
) -> Path:
    """Stacked quad-class counts per period, consult events, and the share of volume."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    path = Path(path)
    if path.suffix.lower() != ".png":
        raise BackchannelError(f"{path}: --plot writes a PNG; give a .png file name")
    if by not in BY:
        raise BackchannelError(f"--by must be one of {', '.join(BY)}, not {by!r}")
    spans = [period_span(s["period"], by) for s in series]
    fig, ax = plt.subplots(figsize=(9, 3.8), dpi=100)
    starts = [mdates.date2num(a) for a, _ in spans]
    widths = [0.9 * (mdates.date2num(b) - mdates.date2num(a)) for a, b in spans]
    bottom = [0] * len(series)
    for q in QUADS:
        values = [s["quad"][q] for s in series]
        ax.bar(starts, values, width=widths, bottom=bottom, align="edge", color=_COLOURS[q],
               label=q.replace("_", " "))  # fmt: skip
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    xs, ys = series_lines(series, by, "consult")
    ax.plot(xs, ys, "k.-", lw=1, ms=3, label="consult (040–046)")  # type: ignore[arg-type]
    for i, (a, b) in enumerate(gaps(series, by)):
        ax.axvspan(a, b, color="#eeeeee", hatch="//", ec="#cccccc", lw=0, zorder=0,  # type: ignore[arg-type]
                   label="no data" if i == 0 else None)  # fmt: skip
    ax.set_ylabel("events")
    ax.set_title(title, fontsize=10)
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax2 = ax.twinx()
    xs, ys = series_lines([{**s, "pct": 100 * s["share"]} for s in series], by, "pct")
    ax2.plot(xs, ys, color="#555", ls="--", lw=1, label="share of all events (%)")  # type: ignore[arg-type]
    ax2.set_ylabel("share of volume (%)")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=7, loc="upper left", frameon=False)
    fig.tight_layout()
    try:
        fig.savefig(path)
    except OSError as exc:
        raise BackchannelError(f"{path}: cannot write the plot ({exc.strerror})") from None
    finally:
        plt.close(fig)
    return path
