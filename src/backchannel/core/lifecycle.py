"""The channel lifecycle: which event may follow which status, and what it leaves.

``active → restricted → suspended → closed``; ``restore`` goes back to active and ``open``
creates a channel or re-opens a closed one. ``expel`` and ``restrict`` lower staff or
capacity and leave the channel usable (restricted). ``meet`` and ``call`` record use and
are refused on a suspended or closed channel. ``note`` never changes anything.

Level and direct staff (format v1.1), written here once:

* **Level.** ``open`` gives the channel its declared level; ``restrict`` and ``expel``
  may set ``level``; ``restore`` sets its ``level`` or returns to the declared one. A
  channel without a level counts as ``official`` (:func:`effective_level`).
* **Staff.** ``open`` starts from the declared ``staff``. When none is declared, the staff
  is 0 (``None`` in the state) until a ``cap`` is first set, and that cap is the staff
  after the event that sets it. Each ``expel count`` lowers it (never below 0) and it is
  held under the current cap.

>>> from backchannel.core.model import Event
>>> st = apply(ChannelState(), Event(date="2021", do="open", channel="m"), None)
>>> st = apply(st, Event(date="2021-10", do="expel", channel="m", count=8, cap=10), None)
>>> st.staff, st.cap
(10, 10)
>>> apply(st, Event(date="2021-11", do="expel", channel="m", count=3), None).staff
7
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .model import Event, EventType, Rank, Status

__all__ = ["ChannelState", "Refused", "apply", "effective_level"]


@dataclass(frozen=True, slots=True)
class ChannelState:
    """A channel's de jure state after some event.

    ``since`` is the ordinal date of the latest ``open`` or ``restore`` (the start of the
    current unbroken usable run); ``staff`` and ``cap`` follow expulsions and caps
    (``staff`` None: none declared and no cap yet, which counts as 0); ``level`` is the
    level an event set (None: the declared level); ``representation`` is the level of
    representation in the record's own words (an imported world's "ambassador",
    "chargé d'affaires", "Legation"), set by any channel event that carries one and
    cleared by ``close``.
    """

    status: Status | None = None  # None: not opened yet
    since: int | None = None
    staff: int | None = None
    cap: int | None = None
    level: Rank | None = None
    representation: str | None = None


class Refused(ValueError):
    """A transition the lifecycle does not allow; says what and from which status."""


_ALLOWED: dict[EventType, tuple[Status | None, ...]] = {
    EventType.open: (None, Status.closed),
    EventType.restrict: (Status.active, Status.restricted),
    EventType.expel: (Status.active, Status.restricted),
    EventType.suspend: (Status.active, Status.restricted),
    EventType.restore: (Status.restricted, Status.suspended),
    EventType.close: (Status.active, Status.restricted, Status.suspended),
    EventType.meet: (Status.active, Status.restricted),
    EventType.call: (Status.active, Status.restricted),
    EventType.note: (None, Status.active, Status.restricted, Status.suspended, Status.closed),
}

_VERB = {
    EventType.open: "open",
    EventType.restrict: "restrict",
    EventType.expel: "expel staff from",
    EventType.suspend: "suspend",
    EventType.restore: "restore",
    EventType.close: "close",
    EventType.meet: "record a meeting on",
    EventType.call: "record a call on",
}


def _describe(status: Status | None) -> str:
    return "not opened yet" if status is None else status.value


def effective_level(state: ChannelState, declared: Rank | None) -> Rank:
    """The level a channel works at now: set by an event, else declared, else official.

    >>> effective_level(ChannelState(), None).value
    'official'
    """
    return state.level or declared or Rank.official


def apply(state: ChannelState, event: Event, staff0: int | None = None) -> ChannelState:
    """Return the channel state after ``event``; raise :class:`Refused` if not allowed.

    ``staff0`` is the channel's declared staff, used when it is (re)opened.
    """
    allowed = _ALLOWED.get(event.do)
    if allowed is None:
        raise Refused(f"'{event.do.value}' is not a channel event")
    if state.status not in allowed:
        raise Refused(
            f"cannot {_VERB.get(event.do, event.do.value)} channel '{event.channel}': "
            f"it is {_describe(state.status)} on {event.date}"
        )
    after = _apply(state, event, staff0)
    if event.do is EventType.close:
        return replace(after, representation=None)
    if event.representation is not None:
        return replace(after, representation=event.representation)
    return after


def _apply(state: ChannelState, event: Event, staff0: int | None) -> ChannelState:
    day = event.date.ordinal
    match event.do:
        case EventType.open:
            return ChannelState(Status.active, day, staff0, None, None, state.representation)
        case EventType.restore:
            return replace(state, status=Status.active, since=day, level=event.level)
        case EventType.suspend:
            return replace(state, status=Status.suspended)
        case EventType.close:
            return replace(state, status=Status.closed)
        case EventType.restrict | EventType.expel:
            staff = state.staff
            cap = event.cap if event.cap is not None else state.cap
            if staff is None:  # none declared: the first cap is the staff
                staff = cap
            elif event.do is EventType.expel and event.count is not None:
                staff = max(0, staff - event.count)
            if cap is not None and staff is not None:
                staff = min(staff, cap)
            level = event.level if event.level is not None else state.level
            return replace(state, status=Status.restricted, staff=staff, cap=cap, level=level)
        case _:  # meet, call, note: use or remark, no change of state
            return state
