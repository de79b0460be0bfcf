"""De facto use of a channel: tracked and dormant, the rules written once (DESIGN.md,
"Precise rules").

* **Tracked** at D: the channel sets ``tracked: true``, has event-data activity, or has a
  ``meet`` or ``call`` dated on or before D.
* **Dormant** at D (window W days): tracked, active or restricted without a break since
  its latest ``open`` or ``restore`` for at least W days, and no use within the W days
  ending at D (D − use < W; a use dated D counts).

The timeline index (as-of questions) and the replay cursor (event by event) both ask
these functions, so the two can never disagree.

>>> from backchannel.core.lifecycle import ChannelState
>>> from backchannel.core.model import Status
>>> st = ChannelState(Status.active, since=0)
>>> dormant(st, tracked=True, last_use=10, day=400, window=365)
True
>>> dormant(st, tracked=True, last_use=100, day=400, window=365)
False
"""

from __future__ import annotations

from ..core.lifecycle import ChannelState

__all__ = ["dormant", "tracked"]


def tracked(flag: bool, has_activity: bool, first_use: int | None, day: int) -> bool:
    """Whether use is tracked at ``day``.

    Parameters: ``flag`` is the channel's ``tracked: true``; ``has_activity`` whether
    event data gives it days of use; ``first_use`` the day of its first recorded use
    (None if none). Returns True when any of them makes it tracked by ``day``.

    >>> tracked(False, False, 30, 29), tracked(False, False, 30, 30)
    (False, True)
    """
    return flag or has_activity or (first_use is not None and first_use <= day)


def dormant(
    state: ChannelState, tracked: bool, last_use: int | None, day: int, window: int
) -> bool:
    """Whether a channel in ``state`` is dormant at ``day``.

    Parameters: ``tracked`` (see :func:`tracked`), ``last_use`` the latest use on or
    before ``day`` (None if none), ``window`` in days. Returns the dormancy rule above.
    """
    if state.status is None or not state.status.usable or state.since is None:
        return False
    if day - state.since < window or not tracked:
        return False
    return last_use is None or day - last_use >= window
