"""The report's pictures, drawn with matplotlib (Agg, no display) and returned as PNG bytes.

Figures are built with :class:`matplotlib.figure.Figure` directly (never ``pyplot``), so
drawing holds no global state and works in threads and on servers without a display.
"""

from __future__ import annotations

import datetime as dt
import io
import math

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..core.dates import iso
from ..core.model import USE_EVENTS
from .data import PairReport, ReportData
from .layout import FONT_PX, LABEL_DX, layout, short_label

__all__ = [
    "STATUS_COLOURS",
    "VERDICT_COLOURS",
    "network_png",
    "pair_png",
    "timeline_png",
]

STATUS_COLOURS = {
    "active": "#2e7d32",
    "restricted": "#f9a825",
    "suspended": "#c62828",
    "closed": "#9e9e9e",
}
VERDICT_COLOURS = {"material": "#c62828", "symbolic": "#ef6c00", "nonevent": "#90a4ae"}
DPI = 96


def _png(fig: Figure) -> bytes:
    """The figure as a small PNG: drawn by Agg, then reduced to a palette of 128 colours."""
    from PIL import Image  # a dependency of matplotlib

    FigureCanvasAgg(fig)
    raw = io.BytesIO()
    fig.savefig(raw, format="png", dpi=DPI)
    raw.seek(0)
    small = io.BytesIO()
    with Image.open(raw) as im:
        im.convert("RGB").quantize(colors=128).save(small, format="PNG")
    return small.getvalue()


def _date(day: int) -> dt.date:
    """The date of an ordinal day, held within 0001-01-01 … 9999-12-31 (a record near
    either end gets its margin cut rather than a date that cannot exist)."""
    return dt.date.fromordinal(min(max(day, 1), dt.date.max.toordinal()))


def _margin(data: ReportData) -> int:
    return max(30, (data.last_day - data.first_day) // 40)


_TICKS_H = [
    (1 / 60, "1m"),
    (5 / 60, "5m"),
    (0.25, "15m"),
    (1, "1h"),
    (6, "6h"),
    (24, "1d"),
    (7 * 24, "1w"),
    (30 * 24, "30d"),
    (365 * 24, "1y"),
]


def _duration_ticks(ax: object, hours: list[float]) -> None:
    """Label a log axis in hours with durations people read (15m, 1h, 1d)."""
    from matplotlib.ticker import NullFormatter, NullLocator

    lo, hi = min(hours, default=1.0), max(hours, default=1.0)
    ticks = [(h, label) for h, label in _TICKS_H if lo / 4 <= h <= hi * 4] or _TICKS_H[3:4]
    ax.set_ylim(min(lo, ticks[0][0]) / 1.6, max(hi, ticks[-1][0]) * 1.6)  # type: ignore[attr-defined]
    ax.set_yticks([h for h, _ in ticks], [label for _, label in ticks])  # type: ignore[attr-defined]
    ax.yaxis.set_minor_locator(NullLocator())  # type: ignore[attr-defined]
    ax.yaxis.set_minor_formatter(NullFormatter())  # type: ignore[attr-defined]


def timeline_png(data: ReportData) -> bytes:
    """One bar a channel, coloured by status over time; recorded uses as black ticks."""
    from matplotlib.artist import Artist
    from matplotlib.dates import date2num
    from matplotlib.patches import Patch

    rows = data.spans
    end = data.last_day + _margin(data)
    fig = Figure(figsize=(9.5, 1.2 + 0.3 * max(len(rows), 1)), layout="constrained")
    ax = fig.add_subplot()
    for i, row in enumerate(rows):
        y = len(rows) - 1 - i
        for span in row["spans"]:
            start = date2num(dt.date.fromisoformat(span["from"]))
            stop = (
                date2num(dt.date.fromisoformat(span["to"])) if span["to"] else date2num(_date(end))
            )
            ax.broken_barh(
                [(start, max(stop - start, 1))],
                (y - 0.35, 0.7),
                facecolors=STATUS_COLOURS.get(span["status"], "#ccc"),
            )
        uses = [date2num(dt.date.fromisoformat(u)) for u in row["uses"]]
        if uses:
            ax.plot(uses, [y] * len(uses), "|", color="black", markersize=9, mew=1.2)
    ax.set_yticks(range(len(rows)), [r["id"] for r in reversed(rows)], fontsize=8)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlim(date2num(_date(data.first_day - _margin(data))), date2num(_date(end)))
    ax.xaxis_date()
    ax.grid(axis="x", alpha=0.3)
    handles: list[Artist] = [Patch(color=c, label=s) for s, c in STATUS_COLOURS.items()]
    handles.append(ax.plot([], [], "|", color="black", markersize=9, label="use (meet, call)")[0])
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08 - 0.3 / len(rows)),
        ncol=5,
        fontsize=8,
        frameon=False,
    )
    ax.set_title("Channels over time (de jure status)", fontsize=10)
    return _png(fig)


def pair_png(data: ReportData, pair: PairReport) -> bytes:
    """Time to contact and minimum cuts of one watched pair over time, events marked."""
    from matplotlib.dates import date2num

    fig = Figure(figsize=(9.5, 4.2), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    end = data.last_day + _margin(data)
    xs = [date2num(_date(p.day)) for p in pair.points] + [date2num(_date(end))]
    hours = [
        p.latency_s / 3600 if p.reachable and p.latency_s is not None else math.nan
        for p in pair.points
    ]
    top.step(
        xs, [*hours, hours[-1]], where="post", color="#1565c0", lw=1.8, label="time to contact"
    )
    top.axhline(pair.watch.budget / 3600, color="#6a1b9a", ls="--", lw=1, label="budget")
    top.set_yscale("log")
    _duration_ticks(top, [h for h in hours if not math.isnan(h)] + [pair.watch.budget / 3600])
    top.set_ylabel("time to contact")
    unreachable = [x for x, p in zip(xs, pair.points, strict=False) if not p.reachable]
    if unreachable:
        top.plot(
            unreachable,
            [pair.watch.budget / 3600] * len(unreachable),
            "x",
            color="#c62828",
            label="unreachable",
        )
    # an uncuttable moment (None) is drawn as a gap
    cut = [math.nan if p.min_cut is None else p.min_cut for p in pair.points]
    fast = [math.nan if p.min_cut_fast is None else p.min_cut_fast for p in pair.points]
    bottom.step(xs, [*cut, cut[-1]], where="post", color="#b0bec5", lw=4, label="min cut")
    bottom.step(xs, [*fast, fast[-1]], where="post", color="#1565c0", lw=1.8, label="fast min cut")
    bottom.axhline(pair.watch.floor, color="#6a1b9a", ls="--", lw=1, label="floor")
    bottom.set_ylabel("channels")
    bottom.set_ylim(-0.3, max([c for c in cut if c == c] + [pair.watch.floor]) + 0.8)
    by_id = {e.id: e for e in data.scenario.doc.events}
    for verdict in ("nonevent", "symbolic", "material"):
        xs_v = [
            date2num(_date(by_id[eid].date.ordinal))
            for eid in pair.events.get(verdict, [])
            if eid in by_id and by_id[eid].do not in USE_EVENTS
        ]
        if not xs_v:
            continue
        for ax in (top, bottom):  # one collection per verdict: fast with many events
            ax.vlines(
                xs_v,
                0,
                1,
                transform=ax.get_xaxis_transform(),
                colors=VERDICT_COLOURS[verdict],
                lw=0.5 if verdict == "nonevent" else 0.9,
                alpha=0.8,
                zorder=0,
            )
    top.plot([], [], color=VERDICT_COLOURS["material"], lw=0.9, label="material event")
    top.plot([], [], color=VERDICT_COLOURS["symbolic"], lw=0.9, label="symbolic event")
    top.plot([], [], color=VERDICT_COLOURS["nonevent"], lw=0.5, label="nonevent")
    top.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    bottom.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    bottom.set_xlim(date2num(_date(data.first_day - _margin(data))), date2num(_date(end)))
    bottom.xaxis_date()
    for ax in (top, bottom):
        ax.grid(alpha=0.3)
    top.set_title(f"{pair.label}{' (live channels)' if data.live else ''}", fontsize=10)
    return _png(fig)


def network_png(data: ReportData, day: int, label: str = "") -> bytes:
    """The network at the end of ``day``: offices around their actor, channels by status."""
    sc = data.scenario
    pos = layout(sc)
    tl = sc.timeline
    # The layout's scale: labels of FONT_PX pixels fit at pos.size pixels a unit; draw the
    # unit square at least that big in points (capped for huge worlds).
    side_in = min(max(pos.size * 0.75 / 72, 5.0), 14.0)
    top = min((y - pos.radius[a] for a, (_, y) in pos.actors.items()), default=0.0) - 0.06
    bottom = max((y + pos.radius[a] for a, (_, y) in pos.actors.items()), default=1.0) + 0.03
    # As tall as the drawing, plus the title and the legend.
    fig = Figure(
        figsize=(side_in * 1.05, side_in * (bottom - top) / 1.04 + 1.3), layout="constrained"
    )
    font_pt = min(7.5, FONT_PX * side_in * 0.9 * 72 / max(pos.size, 1))
    ax = fig.add_subplot()
    ax.set_aspect("equal")
    ax.axis("off")
    ax.invert_yaxis()
    from matplotlib.patches import Circle

    for actor, (x, y) in pos.actors.items():
        ax.add_patch(Circle((x, y), pos.radius[actor], facecolor="#eceff1", edgecolor="#b0bec5"))
        ax.text(
            x,
            y - pos.radius[actor] - 8 / pos.size,
            actor,
            ha="center",
            va="bottom",
            fontsize=min(9.0, font_pt * 1.5),
            weight="bold",
            color="#37474f",
        )
    for office in sc.offices.values():
        if office.reports_to and office.reports_to in pos.offices:
            (x1, y1), (x2, y2) = pos.offices[office.id], pos.offices[office.reports_to]
            ax.plot([x1, x2], [y1, y2], color="#b0bec5", lw=0.8, zorder=1)
        for other in office.also:
            if other in pos.offices:
                (x1, y1), (x2, y2) = pos.offices[office.id], pos.offices[other]
                ax.plot([x1, x2], [y1, y2], color="#7e57c2", lw=0.8, ls=":", zorder=1)
    for ch in sc.doc.channels:
        status = tl.status(ch.id, day)
        if status is None:
            continue
        colour = STATUS_COLOURS[status.value]
        style = "--" if tl.dormant(ch.id, day) else "-"
        width = 2.2 if status.usable else 1.2
        ends = [pos.offices[e] for e in ch.ends if e in pos.offices]
        if len(ends) == 2:
            (x1, y1), (x2, y2) = ends
            ax.plot([x1, x2], [y1, y2], color=colour, lw=width, ls=style, zorder=2)
        elif len(ends) > 2:
            hx = sum(x for x, _ in ends) / len(ends)
            hy = sum(y for _, y in ends) / len(ends)
            for x, y in ends:
                ax.plot([x, hx], [y, hy], color=colour, lw=width * 0.6, ls=style, zorder=2)
            ax.plot([hx], [hy], "D", color=colour, markersize=5, zorder=3)
    for oid, (x, y) in pos.offices.items():
        ax.plot([x], [y], "o", color="#263238", markersize=4, zorder=4)
        # The label beside its dot, on the side the layout chose (inside the circle).
        left = pos.labels.get(oid) == "left"
        dx = LABEL_DX / pos.size
        ax.text(
            x - dx if left else x + dx,
            y,
            short_label(oid),
            ha="right" if left else "left",
            va="center",
            fontsize=font_pt,
            color="#263238",
            zorder=5,
        )
    for name, colour in STATUS_COLOURS.items():
        ax.plot([], [], color=colour, lw=2, label=name)
    ax.plot([], [], color="#555", lw=1.5, ls="--", label="dormant")
    ax.legend(fontsize=7, loc="lower center", ncol=5, frameon=False, bbox_to_anchor=(0.5, -0.06))
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(bottom, top)
    ax.set_title(f"{iso(day)}{' — ' + label if label else ''}", fontsize=10)
    return _png(fig)
