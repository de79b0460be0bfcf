"""The one replay of the record: events applied one at a time, in date-then-file order.

:class:`Cursor` is the only loop over the lifecycle. It keeps each channel's de jure state
(through :func:`backchannel.core.lifecycle.apply`), the uses seen so far and the
frameworks' status, and says what each event changed (a :class:`Step`). Everything that
replays the record stands on it:

* the timeline index (:mod:`backchannel.record.timeline`) records every step as a series;
* the validator (:func:`backchannel.record.validate.refusals`) reports refused transitions
  for the loader and for what-if forks;
* :class:`Replay`, for judging events one by one (impact), adds memberships, the day, and
  which channels are usable (paper) or live (usable, neither dormant nor unresponsive)
  between two events.

Memberships declared with ``from``/``to`` dates in the file take effect at the start of
their day, before that day's events; ``join``/``leave`` events take effect in file order.

>>> import backchannel
>>> sc = backchannel.load("example")
>>> cur = Cursor(sc.doc.channels)
>>> [cur.step(e).changed for e in sorted(sc.doc.events, key=lambda e: e.key)][:3]
[True, True, True]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.lifecycle import ChannelState, apply, effective_level
from ..core.model import CHANNEL_EVENTS, USE_EVENTS, Channel, Event, EventType, Rank
from . import usage

if TYPE_CHECKING:
    from .scenario import Scenario

__all__ = ["FRAMEWORK_STATUS", "Cursor", "Replay", "Step"]

_START = -(1 << 62)
_NONE = ChannelState()

#: the status a framework event leaves a framework in
FRAMEWORK_STATUS = {
    EventType.sign: "in_force",
    EventType.restore: "in_force",
    EventType.suspend: "suspended",
    EventType.withdraw: "withdrawn",
}


@dataclass(frozen=True, slots=True)
class Step:
    """What one event changed.

    ``channel``/``before``/``after``: the channel whose de jure state changed; ``use``: a
    use recorded on ``event.channel``; ``framework``: the framework's new status;
    ``member``: True for a join, False for a leave; ``holder``: an appointment.
    """

    event: Event
    channel: str | None = None
    before: ChannelState | None = None
    after: ChannelState | None = None
    use: bool = False
    framework: str | None = None
    member: bool | None = None
    holder: bool = False

    @property
    def changed(self) -> bool:
        """Whether the event changed anything the record keeps."""
        return bool(
            self.channel or self.use or self.framework or self.member is not None or self.holder
        )


class Cursor:
    """Channel states, uses and framework status after the events stepped so far."""

    def __init__(
        self, channels: Iterable[Channel], activity: Mapping[str, Iterable[int]] | None = None
    ) -> None:
        """Start from the empty record; ``channels`` give the declared staff, level and
        schedules, ``activity`` days of use from event data."""
        channels = list(channels)
        act = activity or {}
        self.staff0 = {c.id: c.staff for c in channels}
        self.level0 = {c.id: c.level for c in channels}
        self.state: dict[str, ChannelState] = {}
        self.use: dict[str, usage.ChannelUse] = {
            c.id: usage.ChannelUse.of(c.tracked, c.uses, act.get(c.id, ())) for c in channels
        }
        self.frameworks: dict[str, str] = {}

    def channel_state(self, ch: str) -> ChannelState:
        """The channel's state now (not opened yet: the empty state)."""
        return self.state.get(ch, _NONE)

    def step(self, e: Event) -> Step:
        """Apply one event; raise :class:`~backchannel.core.lifecycle.Refused` (and change
        nothing) if the lifecycle does not allow it."""
        if e.channel is not None and e.do in CHANNEL_EVENTS:
            ch = e.channel
            before = self.state.get(ch, _NONE)
            after = apply(before, e, self.staff0.get(ch))
            log = self.use.get(ch)
            if e.do in USE_EVENTS:
                if log is not None:
                    log.record(e)
                return Step(e, use=True)
            if after != before:
                self.state[ch] = after
                if log is not None:
                    was, now = _open(before), _open(after)
                    if now and not was:
                        log.opened(e.date.ordinal)
                    elif was and not now:
                        log.stopped(e.date.ordinal)
                return Step(e, channel=ch, before=before, after=after)
            return Step(e)
        if e.channel is not None and e.do is EventType.note and e.representation is not None:
            before = self.state.get(e.channel, _NONE)
            after = apply(before, e, self.staff0.get(e.channel))
            if after != before:
                self.state[e.channel] = after
                return Step(e, channel=e.channel, before=before, after=after)
            return Step(e)
        if e.framework is not None and e.do is not EventType.note:
            new = FRAMEWORK_STATUS.get(e.do)
            if new is not None and self.frameworks.get(e.framework) != new:
                self.frameworks[e.framework] = new
                return Step(e, framework=new)
            return Step(e)
        if e.do in (EventType.join, EventType.leave):
            return Step(e, member=e.do is EventType.join)
        if e.do is EventType.appoint:
            return Step(e, holder=True)
        return Step(e)


def _open(st: ChannelState) -> bool:
    return st.status is not None and st.status.usable


@dataclass(frozen=True, slots=True)
class _MemberChange:
    key: tuple[int, int]
    org: str
    actor: str
    joined: bool


class Replay(Cursor):
    """The record replayed event by event for judging (see the module docstring)."""

    def __init__(
        self,
        sc: Scenario,
        events: Iterable[Event] | None = None,
        live: bool = False,
        activity: Mapping[str, list[int]] | None = None,
    ) -> None:
        """Prepare a replay of ``events`` (default: the scenario's) from the empty state.

        ``activity`` (default: the scenario's) gives days of use from event data.
        """
        super().__init__(sc.doc.channels, sc.timeline.activity if activity is None else activity)
        self.sc = sc
        self.live = live
        self.events: list[Event] = sorted(
            sc.doc.events if events is None else events, key=lambda e: e.key
        )
        self.window = sc.doc.defaults.dormancy // 86400
        self.members: set[tuple[str, str]] = set()
        self._scheduled = [c.id for c in sc.doc.channels if c.uses]
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
        """Tracked now (:class:`backchannel.record.usage.ChannelUse`)."""
        return self.use[ch].tracked(self.day)

    def last_use(self, ch: str, day: int) -> int | None:
        """The latest use seen so far (recorded, scheduled, or from event data up to
        ``day``)."""
        return self.use[ch].last_use(day)

    def dormant(self, ch: str, day: int | None = None) -> bool:
        """Dormant now (:mod:`backchannel.record.usage`), judged on ``day`` (default:
        today)."""
        d = self.day if day is None else day
        st = self.state.get(ch)
        if st is None:
            return False
        return self.use[ch].dormant(st, d, self.window)

    def unresponsive(self, ch: str, day: int | None = None) -> bool:
        """Unresponsive now (:mod:`backchannel.record.usage`)."""
        st = self.state.get(ch)
        if st is None:
            return False
        return self.use[ch].unresponsive(st, self.day if day is None else day)

    def level(self, ch: str) -> Rank:
        """The channel's level now (:func:`backchannel.core.lifecycle.effective_level`)."""
        return effective_level(self.state.get(ch, _NONE), self.level0.get(ch))

    def usable(self, ch: str) -> bool:
        """Whether the channel carries messages now (paper, or live if asked)."""
        if not self.status_usable(ch):
            return False
        return not (self.live and (self.dormant(ch) or self.unresponsive(ch)))

    def inactive(self, ch: str) -> bool:
        """Not carrying messages now: dormant, suspended or closed (false if never opened)."""
        st = self.state.get(ch)
        if st is None or st.status is None:
            return False
        return not st.status.usable or self.dormant(ch) or self.unresponsive(ch)

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
                # a scheduled use can wake a dormant channel with the mere passing of time
                gained = {c for c in self._scheduled if c not in self._live_set and self.usable(c)}
                self._live_set = now | gained
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
            self.step(e)
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
        step = self.step(e)
        if step.member is not None and e.org and e.actor:
            return self._set_member(e.org, e.actor, step.member), set(), set()
        return False, set(), set()
