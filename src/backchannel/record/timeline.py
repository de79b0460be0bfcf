"""The timeline: the state of every channel, membership, holder and framework at any date.

The index is built once from the events (sorted by date, then file order). An as-of
query is a binary search in a channel's own list of transitions, never a replay of the
log. ``day`` arguments are proleptic ordinals (``datetime.date.toordinal()``); the state
"at D" is the state after every event dated D (end of day).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from ..core.dates import iso
from ..core.lifecycle import ChannelState, effective_level
from ..core.model import Rank, ScenarioDoc, Status
from . import usage
from .replay import Cursor

__all__ = ["Change", "ChannelAt", "Span", "Timeline"]

_END = 1 << 62  # -_END: the day of a membership or holder with no start, before any day


@dataclass(frozen=True, slots=True)
class Span:
    """A run of one status: from a day (inclusive) to the next change (exclusive, or open)."""

    start: int
    end: int | None
    status: str

    def as_dict(self) -> dict[str, str | None]:
        """The JSON form of `timeline --json`."""
        return {"from": iso(self.start), "to": iso(self.end), "status": self.status}


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two dates: what, which, and the value before and after."""

    what: str  # channel, staff, membership, holder, framework
    id: str
    before: str | None
    after: str | None

    def as_dict(self) -> dict[str, str | None]:
        """The JSON form of `diff --json`."""
        return {"what": self.what, "id": self.id, "before": self.before, "after": self.after}


class ChannelAt(NamedTuple):
    """A channel at the end of one day, as the `channels` row needs it: its de jure
    ``state`` and its de facto use (:mod:`backchannel.record.usage`), from one look-up."""

    state: ChannelState
    dormant: bool
    unresponsive: bool
    tracked: bool
    last_use: int | None


class _Series:
    """Values that change at sorted keys; ``value(day)`` is the value at the end of ``day``.

    ``days`` holds each key's day as a plain int beside ``keys``: the value at the end of
    a day is a binary search of ints, logarithmic in this series' own changes (not in
    the length of the record).
    """

    __slots__ = ("days", "keys", "values")

    def __init__(self) -> None:
        self.keys: list[tuple[int, int]] = []
        self.days: list[int] = []
        self.values: list[object] = []

    def push(self, key: tuple[int, int], value: object) -> None:
        self.keys.append(key)
        self.days.append(key[0])
        self.values.append(value)

    def sort(self) -> None:
        """Put the changes in key order (stable)."""
        order = sorted(range(len(self.keys)), key=self.keys.__getitem__)
        self.keys = [self.keys[i] for i in order]
        self.days = [k[0] for k in self.keys]
        self.values = [self.values[i] for i in order]

    def end(self, day: int) -> int:
        """How many changes are dated on or before ``day``."""
        return bisect_right(self.days, day)

    def value(self, day: int, default: object = None) -> object:
        i = bisect_right(self.days, day)
        return self.values[i - 1] if i else default


class Timeline:
    """Index of a scenario's record; answers as-of questions by binary search."""

    def __init__(
        self, doc: ScenarioDoc, activity: Mapping[str, Iterable[int]] | None = None
    ) -> None:
        """Build the index once from ``doc``; ``activity`` adds use days from event data."""
        self.doc = doc
        self.window = doc.defaults.dormancy // 86400
        self._channels: dict[str, _Series] = {c.id: _Series() for c in doc.channels}
        self._uses: dict[str, list[int]] = defaultdict(list)
        self._use: dict[str, usage.ChannelUse] = {}
        self._activity: dict[str, list[int]] = {
            k: sorted(set(v)) for k, v in (activity or {}).items() if v
        }
        self._members: dict[tuple[str, str], _Series] = defaultdict(_Series)
        self._holders: dict[str, _Series] = defaultdict(_Series)
        self._frameworks: dict[str, _Series] = {f.id: _Series() for f in doc.frameworks}
        self._level0 = {c.id: c.level for c in doc.channels}
        self._build()

    # -- building ---------------------------------------------------------------------
    def _build(self) -> None:
        doc = self.doc
        for a in doc.actors:
            for m in a.members:
                s = self._members[(a.id, m.actor)]
                s.push((m.from_.ordinal if m.from_ else -_END, -1), True)
                if m.to is not None:
                    s.push((m.to.ordinal, -1), False)
            for o in a.offices:
                for h in o.holders:
                    self._holders[o.id].push((h.from_.ordinal if h.from_ else -_END, -1), h.name)
                    if h.to is not None:
                        self._holders[o.id].push((h.to.ordinal, -1), None)
        cursor = Cursor(doc.channels, self._activity)
        self._use = cursor.use  # complete once built; every query clips at its day
        for e in sorted(doc.events, key=lambda ev: ev.key):
            step = cursor.step(e)  # validated by the loader: never refused here
            if step.use:
                if e.answered:
                    self._uses[e.channel or ""].append(e.date.ordinal)
            elif step.channel is not None:
                self._channels[step.channel].push(e.key, step.after)
            elif step.framework is not None:
                self._frameworks[e.framework or ""].push(e.key, step.framework)
            elif step.member is not None:
                self._members[(e.org or "", e.actor or "")].push(e.key, step.member)
            elif step.holder:
                self._holders[e.office or ""].push(e.key, e.holder)
        # declared memberships and holders and their events interleave: sort each series
        for s in (*self._members.values(), *self._holders.values()):
            s.sort()

    @property
    def activity(self) -> Mapping[str, list[int]]:
        """Days of use per channel that came from event data (sorted, unique)."""
        return self._activity

    # -- channels ---------------------------------------------------------------------
    def state(self, channel: str, day: int) -> ChannelState:
        """The channel's de jure state at the end of ``day``."""
        return self._channels[channel].value(day, _NONE)  # type: ignore[return-value]

    def opened_states(self, channels: Iterable[str], day: int) -> list[tuple[str, ChannelState]]:
        """``(channel, state at the end of day)`` for those of ``channels`` opened by
        ``day`` (status not None), in the order given."""
        out = []
        series = self._channels
        for ch in channels:
            s = series[ch]
            i = bisect_right(s.days, day)
            if i:
                st: ChannelState = s.values[i - 1]  # type: ignore[assignment]
                if st.status is not None:
                    out.append((ch, st))
        return out

    def status(self, channel: str, day: int) -> Status | None:
        """``active``, ``restricted``, ``suspended``, ``closed``, or None before it opens."""
        return self.state(channel, day).status

    def transitions(self, channel: str, day: int | None = None) -> list[tuple[int, Status]]:
        """Every change of de jure state up to the end of ``day`` (all if None), in order:
        ``(day, status)``, same-day changes kept one by one (no merging)."""
        s = self._channels[channel]
        end = len(s.keys) if day is None else s.end(day)
        return [(s.keys[i][0], s.values[i].status) for i in range(end)]  # type: ignore[attr-defined]

    def opened_on(self, channel: str) -> int | None:
        """The day the channel was first opened, or None if never."""
        s = self._channels[channel]
        return s.keys[0][0] if s.keys else None

    def uses(self, channel: str) -> list[int]:
        """Days of recorded use: meet and call events, then event-data activity."""
        recorded = self._uses.get(channel, [])
        data = self._activity.get(channel, [])
        return sorted({*recorded, *data}) if data else recorded

    def states(self, channel: str) -> list[tuple[int, ChannelState]]:
        """Every change of the channel's state as ``(day, state after it)``, in record
        order (several on one day when events of that day change it)."""
        series = self._channels[channel]
        return [(key[0], st) for key, st in zip(series.keys, series.values, strict=True)]  # type: ignore[misc]

    def use_ends(self, channel: str) -> list[int]:
        """The last day of each recorded use's period (a use dated to a month counts to its
        end for dormancy), in record order."""
        return list(self._use[channel].ends)

    def last_use(self, channel: str, day: int) -> int | None:
        """The latest use on or before ``day`` (recorded, scheduled or from event data;
        a partial date as its first day), or None."""
        return self._use[channel].last_use(day)

    def tracked(self, channel: str, day: int) -> bool:
        """Tracked at D (:mod:`backchannel.record.usage`): ``tracked: true``, event-data
        activity, or a use or unanswered attempt on or before D."""
        return self._use[channel].tracked(day)

    def dormant(self, channel: str, day: int, window: int | None = None) -> bool:
        """Dormant at ``day`` (:mod:`backchannel.record.usage`; ``window`` in days,
        default the scenario's)."""
        w = self.window if window is None else window
        return self._use[channel].dormant(self.state(channel, day), day, w)

    def unresponsive(self, channel: str, day: int) -> bool:
        """Unresponsive at ``day``: the latest contact record is an unanswered attempt
        (:mod:`backchannel.record.usage`)."""
        return self._use[channel].unresponsive(self.state(channel, day), day)

    def at(self, channel: str, day: int, state: ChannelState | None = None) -> ChannelAt:
        """The channel's state and use at the end of ``day`` together (one binary search
        for the state; the same answers as :meth:`state`, :meth:`dormant`,
        :meth:`unresponsive`, :meth:`tracked` and :meth:`last_use`). ``state``: the
        channel's state at ``day`` when the caller already has it."""
        st = self.state(channel, day) if state is None else state
        use = self._use[channel]
        return ChannelAt(
            st,
            use.dormant(st, day, self.window),
            use.unresponsive(st, day),
            use.tracked(day),
            use.last_use(day),
        )

    def level(self, channel: str, day: int) -> Rank:
        """The level the channel works at, at the end of ``day``
        (:func:`backchannel.core.lifecycle.effective_level`)."""
        return effective_level(self.state(channel, day), self._level0.get(channel))

    def spans(self, channel: str) -> list[Span]:
        """Status spans of a channel, merged where the status does not change."""
        s = self._channels[channel]
        points: list[tuple[int, str]] = []
        for (day, _), st in zip(s.keys, s.values, strict=True):
            status = st.status.value  # type: ignore[attr-defined]
            if points and points[-1][0] == day:
                points[-1] = (day, status)  # the day's last state wins
            elif not points or points[-1][1] != status:
                points.append((day, status))
        merged: list[tuple[int, str]] = []
        for day, status in points:
            if not merged or merged[-1][1] != status:
                merged.append((day, status))
        return [
            Span(day, merged[i + 1][0] if i + 1 < len(merged) else None, status)
            for i, (day, status) in enumerate(merged)
        ]

    # -- memberships, holders, frameworks -----------------------------------------------
    def members(self, org: str, day: int) -> list[str]:
        """The members of an alliance or organisation at the end of ``day``."""
        return sorted(a for (o, a), s in self._members.items() if o == org and s.value(day, False))

    def memberships(self) -> list[tuple[str, str]]:
        """Every (organisation, member) pair the record ever mentions."""
        return list(self._members)

    def holder(self, office: str, day: int) -> str | None:
        """Who holds ``office`` at the end of ``day`` (None if unknown or vacant)."""
        s = self._holders.get(office)
        return s.value(day) if s else None  # type: ignore[return-value]

    def framework_status(self, framework: str, day: int) -> str | None:
        """``in_force``, ``suspended``, ``withdrawn``, or None before it is signed."""
        s = self._frameworks.get(framework)
        return s.value(day) if s else None  # type: ignore[return-value]

    # -- differences --------------------------------------------------------------------
    def diff(self, day1: int, day2: int) -> list[Change]:
        """Everything whose state differs between the end of ``day1`` and of ``day2``."""
        out: list[Change] = []
        for ch in self._channels:
            a, b = self.state(ch, day1), self.state(ch, day2)
            if a.status != b.status:
                out.append(
                    Change(
                        "channel",
                        ch,
                        a.status.value if a.status else None,
                        b.status.value if b.status else None,
                    )
                )
            if (a.staff, a.cap) != (b.staff, b.cap) and b.status is not None:
                out.append(Change("staff", ch, _staff(a), _staff(b)))
        for (org, actor), s in self._members.items():
            x, y = bool(s.value(day1, False)), bool(s.value(day2, False))
            if x != y:
                out.append(Change("membership", f"{actor} in {org}", _yn(x), _yn(y)))
        for office, s in self._holders.items():
            h1, h2 = s.value(day1), s.value(day2)
            if h1 != h2:
                out.append(Change("holder", office, h1, h2))  # type: ignore[arg-type]
        for fw, s in self._frameworks.items():
            f1, f2 = s.value(day1), s.value(day2)
            if f1 != f2:
                out.append(Change("framework", fw, f1, f2))  # type: ignore[arg-type]
        return out


_NONE = ChannelState()


def _yn(flag: bool) -> str:
    return "member" if flag else "not a member"


def _staff(st: ChannelState) -> str | None:
    if st.staff is None and st.cap is None:
        return None
    parts = []
    if st.staff is not None:
        parts.append(f"staff {st.staff}")
    if st.cap is not None:
        parts.append(f"cap {st.cap}")
    return ", ".join(parts)
