"""What both importers share: the result object, actors, membership notes and the order.

Conventions (docs/world.md): every state is an actor whose id comes from
:class:`~backchannel.sources.cowcodes.StateCodes`, with two offices, ``ID.HOS`` (head of state)
and ``ID.MFA`` (foreign ministry, reporting to the head of state). Embassies join the two
foreign ministries. State-system membership is recorded as ``note`` events on the actor
(``system: enters`` / ``system: leaves``), never as an organisation with members, so
that membership adds no links to the communication graph.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import Problem
from ..formats.yamlwrite import Plain, dump_scenario

__all__ = [
    "EMBASSY_LATENCY",
    "ENTERS",
    "LEAVES",
    "WorldImport",
    "actor_entry",
    "event_order",
    "membership_event",
]

ENTERS = "system: enters"
LEAVES = "system: leaves"
EMBASSY_LATENCY = Plain("6h")  # a resident mission (DESIGN.md, "latency")

#: events on one day: entries first, then channel changes, then departures
_RANK = {"enters": 0, "open": 1, "restore": 2, "restrict": 3, "note": 4, "close": 5, "leaves": 6}


@dataclass
class WorldImport:
    """An imported world: the scenario as plain data, the rows set aside, and counts."""

    doc: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The scenario as YAML text (deterministic: same input, same bytes)."""
        return dump_scenario(self.doc, self.comments)

    def write(self, path: str | Path) -> Path:
        """Write the scenario file (LF line ends, UTF-8) and return its path."""
        from ..core.atomic import write_bytes

        return write_bytes(Path(path), self.text().encode("utf-8"))

    def summary(self) -> dict[str, Any]:
        """The counts and the rejected rows, as `import --json` prints them."""
        return {
            "scenario": self.doc["scenario"],
            **self.stats,
            "rejected": [p.as_dict() for p in self.problems],
        }


def actor_entry(ident: str, name: str, note: str) -> dict[str, Any]:
    """A state actor with its head-of-state and foreign-ministry offices."""
    return {
        "id": ident,
        "kind": "state",
        "name": name,
        "note": note,
        "offices": [
            {"id": f"{ident}.HOS", "name": "Head of state", "rank": "head_of_state"},
            {
                "id": f"{ident}.MFA",
                "name": "Foreign ministry",
                "rank": "minister",
                "reports_to": f"{ident}.HOS",
            },
        ],
    }


def membership_event(
    ident: str, day: dt.date | int, enters: bool, note: str, source: str
) -> dict[str, Any]:
    """A ``note`` event on the actor recording entry into (or exit from) the state system."""
    date = Plain(str(day)) if isinstance(day, int) else Plain(day.isoformat())
    what = ENTERS if enters else LEAVES
    return {
        "date": date,
        "do": "note",
        "actor": ident,
        "note": f"{what} ({note})" if note else what,
        "source": {"title": source},
    }


def _ordinal(date: str) -> int:
    parts = [int(p) for p in str(date).split("-")]
    while len(parts) < 3:
        parts.append(1)
    return dt.date(*parts).toordinal()


def event_order(event: dict[str, Any]) -> tuple[int, int, str]:
    """Sort key of an event: its day, then entries, changes, departures, then target id."""
    do = event["do"]
    if do == "note" and "actor" in event:
        do = "enters" if event["note"].startswith(ENTERS) else "leaves"
    target = event.get("channel") or event.get("actor") or ""
    return (_ordinal(event["date"]), _RANK.get(do, 4), target)
