"""A scenario as tables (actors, offices, channels, events, status and level spans) for
pandas, Polars or DuckDB, written as Parquet or CSV (see :mod:`backchannel.formats.export`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from ..core.atomic import atomic_dir
from ..core.errors import BackchannelError
from ..record.scenario import Scenario
from ..sources.worldrecord import WorldRecord

__all__ = ["tables", "write_tables"]


def _date(day: int | None) -> dt.date | None:
    return dt.date.fromordinal(day) if day is not None else None


def tables(sc: Scenario) -> dict[str, Any]:
    """actors, offices, channels, events, spans and levels as pandas DataFrames."""
    import pandas as pd

    rec = WorldRecord(sc)
    tl = sc.timeline
    actors = [
        {
            "id": a.id,
            "kind": a.kind.value,
            "name": a.name,
            "note": a.note,
            "offices": len(a.offices),
            "head_office": sc.head_office(a.id),
        }
        for a in sc.doc.actors
    ]
    offices = [
        {
            "id": o.id,
            "actor": a.id,
            "name": o.name,
            "rank": o.rank.value,
            "reports_to": o.reports_to,
            "also": ";".join(o.also),
        }
        for a in sc.doc.actors
        for o in a.offices
    ]
    channels = [
        {
            "id": c.id,
            "kind": c.kind.value,
            "name": c.name,
            "from_office": c.ends[0],
            "to_office": c.ends[1],
            "from_actor": sc.offices[c.ends[0]].actor,
            "to_actor": sc.offices[c.ends[1]].actor,
            "ends": ";".join(c.ends),
            "latency_s": c.latency,
            "level": c.level.value if c.level else None,
            "tracked": c.tracked,
            "opened": _date(tl.opened_on(c.id)),
            "line": c.line,
        }
        for c in sc.doc.channels
    ]
    events = [
        {
            "id": e.id,
            "date": e.date.day,
            "precision": e.date.precision,
            "date_text": str(e.date),
            "do": e.do.value,
            "channel": e.channel,
            "actor": e.actor,
            "org": e.org,
            "office": e.office,
            "framework": e.framework,
            "by": e.by,
            "note": e.note,
            "source": e.source.title if e.source else None,
            "source_url": e.source.url if e.source else None,
            "line": e.line,
            "seq": e.seq,
        }
        for e in sorted(sc.doc.events, key=lambda ev: ev.key)
    ]
    spans = []
    for c in sc.doc.channels:
        for s in tl.spans(c.id):
            spans.append(
                {
                    "channel": c.id,
                    "start": _date(s.start),
                    "end": _date(s.end),
                    "status": s.status,
                    "level": rec.level(c.id, s.start),
                }
            )
    levels = [
        {"channel": c.id, "start": _date(start), "end": _date(end), "level": level}
        for c in sc.doc.channels
        for start, end, level in rec.level_spans(c.id)
    ]
    frames = {
        "actors": actors,
        "offices": offices,
        "channels": channels,
        "events": events,
        "spans": spans,
        "levels": levels,
    }
    columns = {
        "actors": ["id", "kind", "name", "note", "offices", "head_office"],
        "offices": ["id", "actor", "name", "rank", "reports_to", "also"],
        "channels": [
            "id",
            "kind",
            "name",
            "from_office",
            "to_office",
            "from_actor",
            "to_actor",
            "ends",
            "latency_s",
            "level",
            "tracked",
            "opened",
            "line",
        ],
        "events": [
            "id",
            "date",
            "precision",
            "date_text",
            "do",
            "channel",
            "actor",
            "org",
            "office",
            "framework",
            "by",
            "note",
            "source",
            "source_url",
            "line",
            "seq",
        ],
        "spans": ["channel", "start", "end", "status", "level"],
        "levels": ["channel", "start", "end", "level"],
    }
    return {name: pd.DataFrame(rows, columns=columns[name]) for name, rows in frames.items()}


def write_tables(
    sc: Scenario, out: str | Path, fmt: Literal["parquet", "csv"] = "parquet"
) -> dict[str, dict[str, Any]]:
    """Write the tables into folder ``out``; return each file's path and row count."""
    out = Path(out)
    written: dict[str, dict[str, Any]] = {}
    frames = tables(sc)
    try:  # all tables into a temporary folder first: they reach ``out`` together
        with atomic_dir(out) as tmp:
            for name, df in frames.items():
                path = tmp / f"{name}.{fmt}"
                if fmt == "parquet":
                    df.to_parquet(path, index=False)
                else:
                    df.to_csv(path, index=False, lineterminator="\n")
                written[name] = {"path": str(out / path.name), "rows": len(df)}
    except OSError as exc:
        raise BackchannelError(f"{out}: cannot write: {exc}") from None
    return written
