"""Packages of moves judged as one (DESIGN.md, "What an analyst means by material").

Events may carry ``group: ID``; every group is a package. With ``mode="day"`` the events
without a group that share a date and a ``by`` actor (two or more) form a package too,
named ``{date}-{by}``.

* **before** is the state just before the package's first event (date-then-file order),
  judged on that event's day;
* **after** is that state with only the package's events applied, in order, judged on the
  day of its last event: a fork, as in what-if, so events of the record that fall in
  between are not applied.

The verdict is the strongest over the watched pairs, as for one event
(:mod:`backchannel.judge.impact`). A package event that the lifecycle refuses on the fork
(it needed an event of the record left out in between) changes nothing there and is
named in ``skipped`` and in the reason.

>>> import backchannel
>>> sc = backchannel.load("example")
>>> packages(sc, mode="day")
[]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.errors import BackchannelError
from ..core.lifecycle import Refused
from ..core.model import Event
from ..record.replay import Replay
from .impact import VERDICTS, PairImpact, StaffIndex, naive_figures, pair_impacts, watch_pairs

if TYPE_CHECKING:
    from ..record.scenario import Scenario

__all__ = ["MODES", "Package", "judge_package", "package_events", "packages"]

#: the ways of forming packages besides ``group:``
MODES = ("day",)


@dataclass(frozen=True)
class Package:
    """A package of events with its verdict over the watched pairs."""

    id: str
    events: list[Event]
    verdict: str
    reason: str
    pairs: list[PairImpact] = field(default_factory=list)
    formed_by: str = "group"  # "group", or "day": same date and same `by`
    skipped: list[str] = field(default_factory=list)  # refused on the fork

    @property
    def start(self) -> str:
        """The first event's date."""
        return str(self.events[0].date)

    @property
    def end(self) -> str:
        """The last event's date."""
        return str(self.events[-1].date)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of one package in `backchannel impact --json`."""
        return {
            "id": self.id,
            "events": [e.id for e in self.events],
            "from": self.start,
            "to": self.end,
            "formed_by": self.formed_by,
            "skipped": list(self.skipped),
            "verdict": self.verdict,
            "pairs": [p.as_dict() for p in self.pairs],
            "reason": self.reason,
        }


def package_events(sc: Scenario, mode: str | None = None) -> list[tuple[str, str, list[Event]]]:
    """The packages of the record as ``(id, formed_by, events)``, each in date-then-file
    order, packages in the order of their first event."""
    if mode is not None and mode not in MODES:
        raise BackchannelError(
            f"packages: unknown way of forming packages '{mode}' (expected {', '.join(MODES)})",
            param="packages",
        )
    ordered = sorted(sc.doc.events, key=lambda e: e.key)
    found: dict[tuple[str, str], list[Event]] = {}
    for e in ordered:
        if e.group is not None:
            found.setdefault(("group", e.group), []).append(e)
        elif mode == "day" and e.by is not None:
            found.setdefault(("day", f"{e.date}-{e.by}"), []).append(e)
    out = [
        (name, how, evs) for (how, name), evs in found.items() if how == "group" or len(evs) >= 2
    ]
    out.sort(key=lambda x: x[2][0].key)
    return out


def judge_package(
    sc: Scenario, name: str, events: Iterable[Event], live: bool = False, formed_by: str = "group"
) -> Package:
    """One package's verdict (see the module docstring)."""
    evs = sorted(events, key=lambda e: e.key)
    if not evs:
        raise BackchannelError(f"package '{name}' has no events", param="packages")
    first = evs[0].key
    ids = {e.id for e in evs}
    base = [e for e in sc.doc.events if e.key < first and e.id not in ids]
    pairs = watch_pairs(sc)
    rep = Replay(sc, [*base, *evs], live=live)
    staff = StaffIndex(sc, pairs)
    for e in rep.events[: len(base)]:
        rep.apply(e)
    rep.advance(first)
    before = naive_figures(sc, rep, pairs, staff)
    skipped: list[str] = []
    for e in rep.events[len(base) :]:
        try:
            rep.apply(e)
        except Refused as exc:
            skipped.append(f"{e.id} ({exc})")
    after = naive_figures(sc, rep, pairs, staff)
    items = pair_impacts(pairs, before, after)
    verdict = max((pi.verdict for pi in items), key=VERDICTS.index, default="nonevent")
    reason = _reason(evs, verdict, items)
    if skipped:
        reason += " Not applied on its own (it needs events of the record in between): "
        reason += "; ".join(skipped) + "."
    return Package(name, evs, verdict, reason, items, formed_by, [x.split(" ")[0] for x in skipped])


def _reason(evs: list[Event], verdict: str, items: list[PairImpact]) -> str:
    what = f"{len(evs)} events" if len(evs) != 1 else "1 event"
    span = str(evs[0].date) if evs[0].date == evs[-1].date else f"{evs[0].date} to {evs[-1].date}"
    lead = f"Taken together ({what}, {span}): "
    if not items:
        return lead + "no watched pairs in this scenario, so nothing to judge."
    if verdict == "nonevent":
        return lead + "no watched figure changed."
    shown = [pi for pi in items if pi.verdict == verdict]
    text = "; ".join(pi.explain() for pi in shown[:3])
    if len(shown) > 3:
        text += f"; and {len(shown) - 3} more pairs"
    word = {"material": "a threshold was crossed", "symbolic": "figures changed"}[verdict]
    return f"{lead}{word}: {text}."


def packages(sc: Scenario, live: bool = False, mode: str | None = None) -> list[Package]:
    """Every package of the record (``group:``; with ``mode="day"`` also same-day moves by
    one actor), judged as one."""
    return [judge_package(sc, name, evs, live, how) for name, how, evs in package_events(sc, mode)]
