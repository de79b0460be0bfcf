"""Replaying the record one event at a time, for judging events one by one.

The timeline answers "at the end of day D"; impact needs the state between two events of
the same day. :class:`Replay` walks the events in date-then-file order and keeps each
channel's lifecycle state, the memberships in force and the uses seen so far, and says
which channels are usable (paper) or live (usable and not dormant) at that point.

Memberships declared with ``from``/``to`` dates in the file take effect at the start of
their day, before that day's events; ``join``/``leave`` events take effect in file order.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.lifecycle import ChannelState, apply
from ..core.model import CHANNEL_EVENTS, USE_EVENTS, Event, EventType

if TYPE_CHECKING:
    from .scenario import Scenario

__all__ = ["Replay"]

_START = -(1 << 62)


@dataclass(frozen=True, slots=True)
class _MemberChange:
    key: tuple[int, int]
    org: str
    actor: str
    joined: bool


class Replay:
    """The record replayed event by event (see the module docstring)."""

    def __init__(
        self, sc: Scenario, events: Iterable[Event] | None = None, live: bool = False
    ) -> None:
        """Prepare a replay of ``events`` (default: the scenario's) from the empty state."""
        self.sc = sc
        self.live = live
        self.events: list[Event] = sorted(
            sc.doc.events if events is None else events, key=lambda e: e.key
        )
        self.window = sc.doc.defaults.dormancy // 86400
        self.state: dict[str, ChannelState] = {}
        self.uses: dict[str, list[int]] = {}
        self.members: set[tuple[str, str]] = set()
        self._staff0 = {c.id: c.staff for c in sc.doc.channels}
        self._flag = {c.id: c.tracked for c in sc.doc.channels}
        self._activity: dict[str, list[int]] = dict(sc.timeline.activity)
        changes: list[_MemberChange] = []
        for a in sc.doc.actors:
            for m in a.members:
                start = m.from_.ordinal if m.from_ else _START
                changes.append(_MemberChange((start, -1), a.id, m.actor, True))
                if m.to is not None:
                    changes.append(_MemberChange((m.to.ordinal, -1), a.id, m.actor, False))
        changes.sort(key=lambda c: c.key)
        self._member_changes = changes
        self._next_change = 0
        self.day = _START
        self._live_set: set[str] = set()

    # -- state ------------------------------------------------------------------------
    def status_usable(self, ch: str) -> bool:
        """Active or restricted now."""
        st = self.state.get(ch)
        return st is not None and st.status is not None and st.status.usable

    def tracked(self, ch: str) -> bool:
        """Tracked now: flagged, with event-data activity, or used so far."""
        return bool(self._flag.get(ch) or ch in self._activity or self.uses.get(ch))

    def last_use(self, ch: str, day: int) -> int | None:
        """The latest use seen so far (recorded, or from event data up to ``day``)."""
        rec = self.uses.get(ch)
        best = rec[-1] if rec else None
        act = self._activity.get(ch)
        if act:
            i = bisect_right(act, day)
            if i and (best is None or act[i - 1] > best):
                best = act[i - 1]
        return best

    def dormant(self, ch: str, day: int | None = None) -> bool:
        """Dormant now (DESIGN.md "Precise rules"), judged on ``day`` (default: today)."""
        d = self.day if day is None else day
        st = self.state.get(ch)
        if st is None or st.status is None or not st.status.usable or st.since is None:
            return False
        if d - st.since < self.window or not self.tracked(ch):
            return False
        last = self.last_use(ch, d)
        return last is None or d - last >= self.window

    def usable(self, ch: str) -> bool:
        """Whether the channel carries messages now (paper, or live if asked)."""
        if not self.status_usable(ch):
            return False
        return not (self.live and self.dormant(ch))

    def usable_set(self) -> set[str]:
        """Every usable channel now."""
        return {c for c in self.state if self.usable(c)}

    def inactive(self, ch: str) -> bool:
        """Not carrying messages now: dormant, suspended or closed (false if never opened)."""
        st = self.state.get(ch)
        if st is None or st.status is None:
            return False
        return not st.status.usable or self.dormant(ch)

    # -- moving on -----------------------------------------------------------------------
    def advance(self, key: tuple[int, int]) -> tuple[bool, set[str], set[str]]:
        """Move to just before ``key``: apply dated membership changes, age dormancy.

        Returns (memberships changed, channels that stopped, channels that started being
        usable) for the move itself.
        """
        changed = False
        while (
            self._next_change < len(self._member_changes)
            and self._member_changes[self._next_change].key < key
        ):
            c = self._member_changes[self._next_change]
            changed |= self._set_member(c.org, c.actor, c.joined)
            self._next_change += 1
        lost: set[str] = set()
        gained: set[str] = set()
        if key[0] != self.day:
            self.day = key[0]
            if self.live:
                now = {c for c in self._live_set if self.usable(c)}
                lost = self._live_set - now
                self._live_set = now
        return changed, lost, gained

    def _set_member(self, org: str, actor: str, joined: bool) -> bool:
        pair = (org, actor)
        if joined and pair not in self.members:
            self.members.add(pair)
            return True
        if not joined and pair in self.members:
            self.members.discard(pair)
            return True
        return False

    def touched(self, e: Event) -> list[str]:
        """The channels an event acts on."""
        return [e.channel] if e.channel is not None and e.do in CHANNEL_EVENTS else []

    def apply(self, e: Event) -> tuple[bool, set[str], set[str]]:
        """Apply one event. Returns (memberships changed, channels lost, channels gained)."""
        self.advance(e.key)
        if e.channel is not None and e.do in CHANNEL_EVENTS:
            ch = e.channel
            before = self.usable(ch)
            st = self.state.get(ch, ChannelState())
            self.state[ch] = apply(st, e, self._staff0.get(ch))
            if e.do in USE_EVENTS:
                self.uses.setdefault(ch, []).append(e.date.ordinal)
            after = self.usable(ch)
            if self.live:
                if after:
                    self._live_set.add(ch)
                else:
                    self._live_set.discard(ch)
            if before and not after:
                return False, {ch}, set()
            if after and not before:
                return False, set(), {ch}
            return False, set(), set()
        if e.do in (EventType.join, EventType.leave) and e.org and e.actor:
            return self._set_member(e.org, e.actor, e.do is EventType.join), set(), set()
        return False, set(), set()
