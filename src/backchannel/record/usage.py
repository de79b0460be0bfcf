"""De facto use of a channel: tracked, dormant and unresponsive, the rules written once
(DESIGN.md, "Precise rules" and "What an analyst means by material").

* **Uses** are answered ``meet``/``call`` events, days of event-data activity, and
  scheduled uses: the grid days ``from``, ``from + every``, … up to ``to`` (inclusive; a
  partial ``to`` up to the last day of its period) on which the channel is de jure open
  at the end of the day, so a schedule pauses while the channel is suspended.
* An **unanswered attempt** (``answered: false``) is not a use; it makes the channel
  tracked.
* **Tracked** at D: the channel sets ``tracked: true``, has event-data activity, or has a
  use or an attempt dated on or before D (a partial date counts from its first day).
* **Dormant** at D (window W days): tracked, active or restricted without a break since
  its latest ``open`` or ``restore`` for at least W days, and no use within the W days
  ending at D (D − use < W; a use dated D counts). For this rule alone a use dated to a
  month or a year counts at the last day of its period, or at D when D falls inside it.
* **Unresponsive** at D: tracked, de jure open, and the latest contact record dated on or
  before D is an unanswered attempt (on one day an attempt is later than a scheduled use
  or a day of event-data activity; attempts and use events of one day keep file order).

The timeline index (as-of questions) and the replay cursor (event by event) both keep a
:class:`ChannelUse` per channel, so the two can never disagree.

>>> from backchannel.core.lifecycle import ChannelState
>>> from backchannel.core.model import Status
>>> st = ChannelState(Status.active, since=0)
>>> dormant(st, tracked=True, last_use=10, day=400, window=365)
True
>>> dormant(st, tracked=True, last_use=100, day=400, window=365)
False
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..core.lifecycle import ChannelState
from ..core.model import Event, Schedule

__all__ = ["ChannelUse", "Grid", "dormant", "tracked"]


def tracked(flag: bool, has_activity: bool, first_use: int | None, day: int) -> bool:
    """Whether use is tracked at ``day``.

    Parameters: ``flag`` is the channel's ``tracked: true``; ``has_activity`` whether
    event data gives it days of use; ``first_use`` the day of its first recorded use or
    attempt (None if none). Returns True when any of them makes it tracked by ``day``.

    >>> tracked(False, False, 30, 29), tracked(False, False, 30, 30)
    (False, True)
    """
    return flag or has_activity or (first_use is not None and first_use <= day)


def dormant(
    state: ChannelState, tracked: bool, last_use: int | None, day: int, window: int
) -> bool:
    """Whether a channel in ``state`` is dormant at ``day``.

    Parameters: ``tracked`` (see :func:`tracked`), ``last_use`` the latest use on or
    before ``day`` as dormancy counts it (None if none), ``window`` in days.
    """
    if state.status is None or not state.status.usable or state.since is None:
        return False
    if day - state.since < window or not tracked:
        return False
    return last_use is None or day - last_use >= window


@dataclass(frozen=True, slots=True)
class Grid:
    """One schedule as days: ``start`` (None: the channel's first opening), ``end``
    (inclusive, None: open-ended) and ``every`` in seconds.

    >>> g = Grid(100, 130, 7 * 86400)
    >>> g.last_on_or_before(110, 100), g.first_on_or_after(101, 100)
    (107, 107)
    """

    start: int | None
    end: int | None
    every: int

    @classmethod
    def of(cls, s: Schedule) -> Grid:
        """The grid of a channel's ``uses:`` entry."""
        return cls(
            s.from_.ordinal if s.from_ else None, s.to.last_ordinal if s.to else None, s.every
        )

    def last_on_or_before(self, day: int, anchor: int) -> int | None:
        """The latest grid day ≤ ``day`` (grid anchored at ``anchor``), or None."""
        if day < anchor:
            return None
        k = ((day - anchor + 1) * 86400 - 1) // self.every
        return anchor + (k * self.every) // 86400

    def first_on_or_after(self, day: int, anchor: int) -> int:
        """The earliest grid day ≥ ``day`` (grid anchored at ``anchor``)."""
        if day <= anchor:
            return anchor
        k = -((-(day - anchor) * 86400) // self.every)  # ceil
        return anchor + (k * self.every) // 86400


@dataclass(slots=True)
class ChannelUse:
    """What the record says of one channel's use, in date-then-file order.

    Fed event by event (:meth:`record`, :meth:`opened`, :meth:`stopped`); every query
    takes a day and looks only at what is dated on or before it.
    """

    flag: bool = False
    activity: list[int] = field(default_factory=list)  # event-data days, sorted
    grids: list[Grid] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # first days of answered uses
    ends: list[int] = field(default_factory=list)  # running max of their last days
    keys: list[tuple[int, int]] = field(default_factory=list)  # answered uses' keys
    attempts: list[tuple[int, int]] = field(default_factory=list)  # unanswered attempts
    runs: list[list[int | None]] = field(default_factory=list)  # de jure open [from, to)

    @classmethod
    def of(cls, flag: bool, schedules: Iterable[Schedule], activity: Iterable[int]) -> ChannelUse:
        """A channel's log from its declaration (flag, ``uses:``) and event-data days."""
        return cls(flag, sorted(set(activity)), [Grid.of(s) for s in schedules])

    # -- feeding ----------------------------------------------------------------------
    def record(self, e: Event) -> None:
        """A ``meet`` or ``call`` event (answered, or an unanswered attempt)."""
        if not e.answered:
            self.attempts.append(e.key)
            return
        self.starts.append(e.date.ordinal)
        last = e.date.last_ordinal
        self.ends.append(max(last, self.ends[-1]) if self.ends else last)
        self.keys.append(e.key)

    def opened(self, day: int) -> None:
        """The channel became de jure open (active or restricted) on ``day``."""
        if self.runs and self.runs[-1][1] == day:
            self.runs[-1][1] = None  # suspended and restored on one day: one run
        elif not self.runs or self.runs[-1][1] is not None:
            self.runs.append([day, None])

    def stopped(self, day: int) -> None:
        """The channel stopped being de jure open on ``day``."""
        if self.runs and self.runs[-1][1] is None:
            if self.runs[-1][0] == day:
                self.runs.pop()  # opened and stopped on one day: never open at its end
            else:
                self.runs[-1][1] = day

    # -- scheduled use ----------------------------------------------------------------
    def _anchor(self, g: Grid) -> int | None:
        if g.start is not None:
            return g.start
        return self.runs[0][0] if self.runs else None

    def last_scheduled(self, day: int) -> int | None:
        """The latest scheduled use on or before ``day``, or None."""
        best: int | None = None
        for g in self.grids:
            anchor = self._anchor(g)
            if anchor is None:
                continue
            hi_all = day if g.end is None else min(day, g.end)
            for start, end in reversed(self.runs):
                assert start is not None
                if start > hi_all:
                    continue
                lo = max(start, anchor)
                hi = hi_all if end is None else min(hi_all, end - 1)
                if hi < lo:
                    continue
                x = g.last_on_or_before(hi, anchor)
                if x is not None and x >= lo:
                    if best is None or x > best:
                        best = x
                    break
        return best

    def first_scheduled(self, day: int) -> int | None:
        """The earliest scheduled use, if it is on or before ``day``."""
        best: int | None = None
        for g in self.grids:
            anchor = self._anchor(g)
            if anchor is None:
                continue
            for start, end in self.runs:
                assert start is not None
                lo = max(start, anchor)
                x = g.first_on_or_after(lo, anchor)
                if (end is None or x < end) and (g.end is None or x <= g.end):
                    if best is None or x < best:
                        best = x
                    break
        return best if best is not None and best <= day else None

    # -- the rules --------------------------------------------------------------------
    def tracked(self, day: int) -> bool:
        """Tracked at ``day`` (see the module docstring)."""
        if self.flag or self.activity:
            return True
        if self.starts and self.starts[0] <= day:
            return True
        if self.attempts and self.attempts[0][0] <= day:
            return True
        return bool(self.grids) and self.first_scheduled(day) is not None

    def _activity_before(self, day: int) -> int | None:
        i = bisect_right(self.activity, day)
        return self.activity[i - 1] if i else None

    def last_use(self, day: int) -> int | None:
        """The latest use dated on or before ``day`` (a partial date as its first day)."""
        i = bisect_right(self.starts, day)
        out = [self.starts[i - 1]] if i else []
        out += [x for x in (self._activity_before(day), self.last_scheduled(day)) if x is not None]
        return max(out, default=None)

    def last_use_for_dormancy(self, day: int) -> int | None:
        """The latest use as dormancy counts it: a partial date at the end of its period,
        or at ``day`` when ``day`` falls inside it."""
        i = bisect_right(self.starts, day)
        out = [min(self.ends[i - 1], day)] if i else []
        out += [x for x in (self._activity_before(day), self.last_scheduled(day)) if x is not None]
        return max(out, default=None)

    def dormant(self, state: ChannelState, day: int, window: int) -> bool:
        """Dormant at ``day`` (see :func:`dormant`)."""
        if state.status is None or not state.status.usable:
            return False
        return dormant(state, self.tracked(day), self.last_use_for_dormancy(day), day, window)

    def unresponsive(self, state: ChannelState, day: int) -> bool:
        """Unresponsive at ``day``: open, tracked, and the latest contact record on or
        before it is an unanswered attempt."""
        if state.status is None or not state.status.usable or not self.attempts:
            return False
        i = bisect_right(self.attempts, (day, 1 << 62))
        if not i:
            return False
        attempt = self.attempts[i - 1]
        j = bisect_right(self.keys, (day, 1 << 62))
        if j and self.keys[j - 1] > attempt:
            return False
        for other in (self._activity_before(day), self.last_scheduled(day)):
            if other is not None and other > attempt[0]:
                return False
        return True
