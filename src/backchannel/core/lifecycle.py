"""The channel lifecycle: which event may follow which status, and what it leaves.

``active → restricted → suspended → closed``; ``restore`` goes back to active and ``open``
creates a channel or re-opens a closed one. ``expel`` and ``restrict`` lower staff or
capacity and leave the channel usable (restricted). ``meet`` and ``call`` record use and
are refused on a suspended or closed channel. ``note`` never changes anything.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .model import Event, EventType, Status

__all__ = ["ChannelState", "Refused", "apply"]


@dataclass(frozen=True, slots=True)
class ChannelState:
    """A channel's de jure state after some event.

    ``since`` is the ordinal date of the latest ``open`` or ``restore`` (the start of the
    current unbroken usable run); ``staff`` and ``cap`` follow expulsions and caps.
    """

    status: Status | None = None  # None: not opened yet
    since: int | None = None
    staff: int | None = None
    cap: int | None = None


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
    day = event.date.ordinal
    match event.do:
        case EventType.open:
            return ChannelState(Status.active, day, staff0, None)
        case EventType.restore:
            return replace(state, status=Status.active, since=day)
        case EventType.suspend:
            return replace(state, status=Status.suspended)
        case EventType.close:
            return replace(state, status=Status.closed)
        case EventType.restrict | EventType.expel:
            staff = state.staff
            cap = event.cap if event.cap is not None else state.cap
            if event.do is EventType.expel and event.count is not None and staff is not None:
                staff = max(0, staff - event.count)
            if cap is not None and staff is not None:
                staff = min(staff, cap)
            return replace(state, status=Status.restricted, staff=staff, cap=cap)
        case _:  # meet, call, note: use or remark, no change of state
            return state
