"""Channel use from event data: consult events between a channel's actors, by kind.

A consult event counts as use of a channel when its source and target are two different
actors owning ends of the channel, and its CAMEO code (or, for PLOVER records, its
CONSULT mode) fits the channel's kind:

========================  ==================================================
channel kind              counted events
========================  ==================================================
hotline                   041 discuss by telephone (PLOVER mode ``phone``)
embassy, permanent_mission,
liaison_office,
information_office        042 make a visit, 043 host a visit (mode ``visit``)
meeting_venue             044 meet at a "third" location (mode ``third-party``)
format, dialogue, council 046 engage in negotiation
========================  ==================================================

040 (consult, unspecified) and 045 (mediate) name no channel and are not counted.
A council counts negotiation like a format: its sessions are where the sides negotiate
(DESIGN.md leaves council out; this is backchannel's choice, documented in
docs/event-data.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from .store import connect

if TYPE_CHECKING:
    from ..record.scenario import Scenario

__all__ = ["KIND_CODES", "KIND_MODES", "channel_activity"]

#: Channel kind → CAMEO event codes that count as its use.
KIND_CODES: dict[str, tuple[str, ...]] = {
    "hotline": ("041",),
    "embassy": ("042", "043"),
    "permanent_mission": ("042", "043"),
    "liaison_office": ("042", "043"),
    "information_office": ("042", "043"),
    "meeting_venue": ("044",),
    "format": ("046",),
    "dialogue": ("046",),
    "council": ("046",),
}
#: Channel kind → PLOVER CONSULT modes that count as its use (PLOVER-coded records).
KIND_MODES: dict[str, tuple[str, ...]] = {
    "hotline": ("phone",),
    "embassy": ("visit",),
    "permanent_mission": ("visit",),
    "liaison_office": ("visit",),
    "information_office": ("visit",),
    "meeting_venue": ("third-party",),
}


def channel_activity(sc: Scenario, db_path: str | Path) -> dict[str, list[dt.date]]:
    """Days on which event data shows each channel of ``sc`` in use (sorted, unique).

    Only channels whose ends belong to at least two actors can be seen in dyadic data.
    """
    chan_actors: dict[str, set[str]] = {}
    for ch in sc.doc.channels:
        if str(ch.kind) not in KIND_CODES:
            continue
        actors = {sc.offices[end].actor for end in ch.ends if end in sc.offices}
        if len(actors) >= 2:
            chan_actors[ch.id] = actors
    if not chan_actors:
        return {}
    all_actors = sorted(set().union(*chan_actors.values()))
    con = connect(db_path, read_only=True)
    try:
        rows = con.execute(
            """
            SELECT DISTINCT date, source_actor, target_actor, event_code, plover_mode,
                   dataset = 'plover' AS is_plover
            FROM events
            WHERE root_code = '04' AND source_actor <> target_actor
              AND list_contains(?, source_actor) AND list_contains(?, target_actor)
            """,
            [all_actors, all_actors],
        ).fetchall()
    finally:
        con.close()
    # (actor, actor, code or mode) → days
    days: dict[tuple[str, str, str], set[dt.date]] = defaultdict(set)
    for date, src, tgt, code, mode, is_plover in rows:
        key = (mode or "") if is_plover else (code or "")
        days[(src, tgt, key)].add(date)
    out: dict[str, list[dt.date]] = {}
    for ch in sc.doc.channels:
        if ch.id not in chan_actors:
            continue
        ends = chan_actors[ch.id]
        wanted = set(KIND_CODES[str(ch.kind)]) | set(KIND_MODES.get(str(ch.kind), ()))
        found: set[dt.date] = set()
        for (src, tgt, key), ds in days.items():
            if key in wanted and src in ends and tgt in ends:
                found |= ds
        if found:
            out[ch.id] = sorted(found)
    return out
