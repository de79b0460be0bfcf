"""A scenario's own lists: its actors, offices and events, as records.

These are the rows of `backchannel actors`, `offices` and `events` (``--json``,
``--csv``, ``--jsonl`` or a table) and of ``Scenario.actors_table()``,
``offices_table()`` and ``events_table()`` in a notebook (``.to_pandas()``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core.dates import to_day
from ..core.errors import BackchannelError
from ..core.model import EventType
from ..core.records import Records
from ..core.suggest import did_you_mean, unknown_message

if TYPE_CHECKING:
    from .scenario import Scenario

__all__ = ["actor_rows", "event_rows", "office_rows"]


def actor_rows(sc: Scenario, day: int | None = None) -> Records:
    """Every actor in file order: ``id``, ``kind``, ``name``, ``offices`` (count),
    ``head_office``, ``members`` (at ``day``, default the last event's day) and ``sides``.

    >>> import backchannel
    >>> [(r["id"], r["offices"], r["sides"]) for r in actor_rows(backchannel.load("example"))]
    [('AAA', 3, ['a']), ('BBB', 3, ['b'])]
    """
    d = day if day is not None else (sc.last_day or 0)
    sides: dict[str, list[str]] = {}
    for side, actors in sc.doc.sides.items():
        for a in actors:
            sides.setdefault(a, []).append(side)
    return Records(
        (
            {
                "id": a.id,
                "kind": a.kind.value,
                "name": a.name,
                "offices": len(a.offices),
                "head_office": sc.head_office(a.id),
                "members": sc.timeline.members(a.id, d) if a.members else [],
                "sides": sides.get(a.id, []),
            }
            for a in sc.doc.actors
        ),
        title=f"Actors of {sc.name}",
    )


def office_rows(sc: Scenario, actor: str | None = None, day: int | None = None) -> Records:
    """Every office (or ``actor``'s) in file order: ``id``, ``actor``, ``name``, ``rank``,
    ``reports_to``, ``also``, ``holder`` (at ``day``, default the last event's day) and
    ``channels`` (ids of the channels with an end at it)."""
    if actor is not None and actor not in sc.actors:
        raise BackchannelError(unknown_message("actor", actor, sc.actors, sc.name))
    d = day if day is not None else (sc.last_day or 0)
    by_office: dict[str, list[str]] = {}
    for c in sc.doc.channels:
        for end in c.ends:
            by_office.setdefault(end, []).append(c.id)
    return Records(
        (
            {
                "id": o.id,
                "actor": a.id,
                "name": o.name,
                "rank": o.rank.value,
                "reports_to": o.reports_to,
                "also": list(o.also),
                "holder": sc.timeline.holder(o.id, d),
                "channels": by_office.get(o.id, []),
            }
            for a in sc.doc.actors
            if actor is None or a.id == actor
            for o in a.offices
        ),
        title=f"Offices of {actor or sc.name}",
    )


def event_rows(
    sc: Scenario,
    channel: str | None = None,
    start: object = None,
    end: object = None,
    do: str | None = None,
) -> Records:
    """The record's events in date-then-file order, each as one flat row.

    ``channel`` keeps the events on that channel; ``start`` and ``end`` keep those dated
    on or after / on or before (a partial date counts as its first day, as everywhere);
    ``do`` keeps one event type. Row: ``id``, ``date`` (as written: ``2021-10-06``,
    ``2021-10`` or ``2021``), ``precision``, ``do``, ``target``, ``by``, ``count``,
    ``cap``, ``note``, ``source`` (title), ``url``, ``line``.

    >>> import backchannel
    >>> sc = backchannel.load("example")
    >>> [r["id"] for r in event_rows(sc, channel="chiefs-line", start="2021")]
    ['2021-07-27-restore-chiefs-line', '2021-09-01-call-chiefs-line']
    """
    if channel is not None:
        sc.check_channel(channel)
    if do is not None and do not in EventType.__members__:
        types = list(EventType.__members__)
        raise BackchannelError(
            f"unknown event type '{do}'"
            + (did_you_mean(do, types) or f" (expected one of {', '.join(types)})")
        )
    lo = to_day(start, "from") if start is not None else None
    hi = to_day(end, "to") if end is not None else None
    rows: list[dict[str, Any]] = []
    for e in sorted(sc.doc.events, key=lambda ev: ev.key):
        day = e.date.ordinal
        if channel is not None and e.channel != channel:
            continue
        if (lo is not None and day < lo) or (hi is not None and day > hi):
            continue
        if do is not None and e.do.value != do:
            continue
        rows.append(
            {
                "id": e.id,
                "date": str(e.date),
                "precision": e.date.precision,
                "do": e.do.value,
                "target": e.target,
                "by": e.by,
                "count": e.count,
                "cap": e.cap,
                "note": e.note,
                "source": e.source.title if e.source else None,
                "url": e.source.url if e.source else None,
                "line": e.line,
            }
        )
    return Records(rows, title=f"Events of {sc.name}")
