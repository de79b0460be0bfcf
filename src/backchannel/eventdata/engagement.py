"""Engagement: the dyad series, written once as an Ibis expression for every engine.

For each period (month, quarter or year): the dyad's events, counts by quad class,
consult events (CAMEO 040–046, root ``04``; PLOVER CONSULT), reduce-relations events
(CAMEO 16x, root ``16``; PLOVER SANCTION), mean Goldstein value, and the dyad's share of
the period's total volume (every event in the data in that period), because coverage
grows over the years. Every period in which the data has any event is listed, so a dyad
that falls silent shows zeros rather than a gap.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from ..core.errors import BackchannelError
from ..sources.codebook import QUADS
from ..sources.codemap import CodeMap

__all__ = [
    "BY",
    "SERIES_FIELDS",
    "engagement",
    "engagement_expr",
    "period_label",
    "period_start",
    "resolve_side",
    "to_series",
]

BY = ("month", "quarter", "year")
#: The flat fields of one row of the series (CSV columns), in order.
SERIES_FIELDS = ("period", "events", *QUADS, "consult", "reduce", "goldstein", "total", "share")


def resolve_side(
    text: str,
    codes: CodeMap,
    *,
    sides: dict[str, list[str]] | None = None,
    known: Callable[[], set[str]] | None = None,
) -> list[str]:
    """The actor ids one side of an ``engagement`` question names (comma separated).

    Each item is a scenario side (``west``: its actors), an actor id of the code map, the
    scenario or the data, or a code the map knows (``RUSGOV`` is RUS). An item that is
    none of these is an error with the nearest ids ("did you mean"), never a near match.
    """
    out: list[str] = []
    data: set[str] | None = None
    for item in (x.strip() for x in text.split(",")):
        if not item:
            continue
        if sides and item in sides:
            out.extend(sides[item])
            continue
        hit = codes.lookup(item)
        if hit is None:
            data = data if data is not None else (known() if known else set())
            if item in data:
                hit = item
        if hit is None:
            pool = set(codes.actors) | set(data or ()) | set(sides or ())
            pool |= {c for c in codes.entries if c.isupper() and len(c) <= 9}
            near = difflib.get_close_matches(item, sorted(pool), n=4, cutoff=0.6)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise BackchannelError(
                f"unknown actor {item!r}: not an actor id, side or code of the code map"
                f"{hint} (ids are ISO 3166 alpha-3 codes for states, e.g. USA, RUS; NATO, EU)"
            )
        out.append(hit)
    if not out:
        raise BackchannelError(f"no actor given in {text!r}")
    return list(dict.fromkeys(out))


def engagement_expr(
    events: ir.Table,
    a: Sequence[str] | None = None,
    b: Sequence[str] | None = None,
    *,
    by: str = "month",
    directed: bool = False,
) -> ir.Table:
    """The engagement table of dyad ``a``–``b`` (or of every dyad when both are None).

    ``events`` needs the columns ``date``, ``source_actor``, ``target_actor``,
    ``quad_class``, ``root_code`` and ``goldstein``. Both directions count unless
    ``directed`` (then only ``a`` → ``b``). Columns: (``actor_a``, ``actor_b`` for all
    dyads,) ``year``, ``sub`` (month 1–12, quarter 1–4, or 0 by year), ``events``, the
    four quad counts, ``consult``, ``reduce``, ``goldstein`` (mean, null without events),
    ``total`` (all events of the period) and ``share`` (``events / total``).
    """
    if by not in BY:
        raise BackchannelError(f"--by must be one of {', '.join(BY)}, not {by!r}")
    if (a is None) != (b is None):
        raise BackchannelError("give both sides of the dyad, or neither for every dyad")
    sub = {"month": events.date.month(), "quarter": events.date.quarter()}.get(by, ibis.literal(0))
    t = events.mutate(year=events.date.year().cast("int32"), sub=sub.cast("int32"))
    keys = ["year", "sub"]
    counts = ["events", *QUADS, "consult", "reduce"]
    if a is not None and b is not None:
        # Only the dyad's rows are grouped; the totals take one more pass.
        cond = t.source_actor.isin(list(a)) & t.target_actor.isin(list(b))
        if not directed:
            cond = cond | (t.source_actor.isin(list(b)) & t.target_actor.isin(list(a)))
        totals = t.group_by(keys).aggregate(total=t.count())
        agg = _aggregate(t.filter(cond), keys)
        j = totals.left_join(agg, keys)
        j = j.select(
            "year", "sub", **{c: j[c].fill_null(0) for c in counts},
            gsum=j.gsum, gcount=j.gcount.fill_null(0), total=j.total,
        )  # fmt: skip
        dyad: list[str] = []
    else:
        totals = t.group_by(keys).aggregate(total=t.count())
        d = t.filter(t.source_actor.notnull() & t.target_actor.notnull())
        if directed:
            d = d.mutate(actor_a=d.source_actor, actor_b=d.target_actor)
        else:
            d = d.mutate(
                actor_a=ibis.least(d.source_actor, d.target_actor),
                actor_b=ibis.greatest(d.source_actor, d.target_actor),
            )
        dyad = ["actor_a", "actor_b"]
        j = _aggregate(d, [*dyad, *keys]).inner_join(totals, keys)
    out = j.select(
        *dyad, "year", "sub", *counts,
        goldstein=(j.gcount > 0).ifelse(j.gsum / j.gcount.cast("float64"), ibis.null()),
        total=j.total,
        share=j.events.cast("float64") / j.total.cast("float64"),
    )  # fmt: skip
    return out.order_by([*dyad, "year", "sub"])


def _aggregate(t: ir.Table, keys: list[str]) -> ir.Table:
    """Counts by quad class, consult and reduce, and Goldstein sum and count, per key."""
    return t.group_by(keys).aggregate(
        events=t.count(),
        **{q: t.count(where=t.quad_class == i) for i, q in enumerate(QUADS, start=1)},
        consult=t.count(where=t.root_code == "04"),
        reduce=t.count(where=t.root_code == "16"),
        gsum=t.goldstein.sum(),
        gcount=t.goldstein.count(),
    )


def period_label(by: str, year: int, sub: int) -> str:
    """``2021-09`` by month, ``2021-Q3`` by quarter, ``2021`` by year."""
    if by == "month":
        return f"{year:04d}-{sub:02d}"
    if by == "quarter":
        return f"{year:04d}-Q{sub}"
    return f"{year:04d}"


def period_start(by: str, year: int, sub: int) -> dt.date:
    """The first day of a period."""
    if by == "month":
        return dt.date(year, sub, 1)
    if by == "quarter":
        return dt.date(year, 3 * sub - 2, 1)
    return dt.date(year, 1, 1)


def _num(value: Any) -> float | None:
    if value is None:
        return None
    x = float(value)
    return None if math.isnan(x) else x


def to_series(rows: Any, by: str) -> list[dict[str, Any]]:
    """Executed engagement rows (a pandas frame) as the JSON series of DESIGN.md.

    ``[{"period","events","quad": {...},"consult","reduce","goldstein","share","total"}]``
    (with ``actor_a``/``actor_b`` first when every dyad was asked for).
    """
    out = []
    for r in rows.to_dict("records"):
        item: dict[str, Any] = {}
        if "actor_a" in r:
            item["actor_a"], item["actor_b"] = r["actor_a"], r["actor_b"]
        gold = _num(r["goldstein"])
        item.update(
            period=period_label(by, int(r["year"]), int(r["sub"])),
            events=int(r["events"]),
            quad={q: int(r[q]) for q in QUADS},
            consult=int(r["consult"]),
            reduce=int(r["reduce"]),
            goldstein=None if gold is None else round(gold, 4),
            share=round(float(r["share"]), 6),
            total=int(r["total"]),
        )
        out.append(item)
    return out


def engagement(
    source: str | Path,
    a: Sequence[str] | None,
    b: Sequence[str] | None,
    *,
    by: str = "month",
    directed: bool = False,
    engine: str = "duckdb",
) -> list[dict[str, Any]]:
    """Run :func:`engagement_expr` on ``engine`` over ``source`` and return the series."""
    from .engines import events_table

    with events_table(source, engine) as events:
        frame = engagement_expr(events, a, b, by=by, directed=directed).execute()
    return to_series(frame, by)
