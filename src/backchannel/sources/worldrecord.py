"""What an imported world records beyond the lifecycle: levels of representation and
state-system membership, as series by day.

The importers put the level of representation on each channel event as data
(``representation: ambassador`` for COW, ``representation: Embassy`` for US missions);
the lifecycle keeps it in the channel's state (:class:`~backchannel.core.lifecycle.
ChannelState`), and ``close`` clears it. State-system membership is recorded as
``system: enters`` / ``system: leaves`` notes on the actor. On a hand-written scenario
there is no representation and callers fall back to the channel's own ``level``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from functools import cached_property

from ..core.model import EventType, Status
from ..record.scenario import Scenario
from .worldbuild import ENTERS, LEAVES

__all__ = ["WorldRecord"]


class WorldRecord:
    """Levels and state-system membership of a scenario, as series by day."""

    def __init__(self, sc: Scenario) -> None:
        """Read the series from ``sc``'s events (once)."""
        self.sc = sc

    @cached_property
    def levels(self) -> dict[str, tuple[list[int], list[str | None]]]:
        """Per channel: the days its level changes and the level from each (None: closed),
        from the representation in its state; channels that never have one are left out."""
        out: dict[str, tuple[list[int], list[str | None]]] = {}
        tl = self.sc.timeline
        for ch in self.sc.channels_by_id:
            states = tl.states(ch)
            if not any(st.representation is not None for _, st in states):
                continue
            days: list[int] = []
            values: list[str | None] = []
            for day, st in states:
                level = None if st.status is Status.closed else st.representation
                if days and days[-1] == day:
                    values[-1] = level  # the day's last state wins
                elif not values or values[-1] != level:
                    days.append(day)
                    values.append(level)
            out[ch] = (days, values)
        return out

    def level(self, channel: str, day: int) -> str | None:
        """The level of representation on ``channel`` at the end of ``day``.

        From the importers' notes when there are any, else the channel's ``level`` rank.
        """
        series = self.levels.get(channel)
        if series is None:
            lv = self.sc.channels_by_id[channel].level
            return lv.value if lv is not None else None
        i = bisect_right(series[0], day)
        return series[1][i - 1] if i else None

    def level_spans(self, channel: str) -> list[tuple[int, int | None, str | None]]:
        """``(start, end, level)`` runs of one level (end exclusive, None: still running)."""
        series = self.levels.get(channel)
        if series is None:
            return []
        days, values = series
        return [
            (d, days[i + 1] if i + 1 < len(days) else None, v)
            for i, (d, v) in enumerate(zip(days, values, strict=True))
        ]

    @cached_property
    def system(self) -> dict[str, list[tuple[int, int | None]]]:
        """Per actor: state-system membership spans ``(start, end)`` (end exclusive or None)."""
        spans: dict[str, list[tuple[int, int | None]]] = defaultdict(list)
        for e in sorted(self.sc.doc.events, key=lambda ev: ev.key):
            if e.do is not EventType.note or e.actor is None or e.channel or not e.note:
                continue
            if e.note.startswith(ENTERS):
                if not spans[e.actor] or spans[e.actor][-1][1] is not None:
                    spans[e.actor].append((e.date.ordinal, None))
            elif e.note.startswith(LEAVES) and spans[e.actor] and spans[e.actor][-1][1] is None:
                spans[e.actor][-1] = (spans[e.actor][-1][0], e.date.ordinal)
        return dict(spans)

    @property
    def has_system(self) -> bool:
        """Whether the scenario records state-system membership at all."""
        return bool(self.system)

    def in_system(self, actor: str, day: int) -> bool:
        """Whether ``actor`` is in the state system at the end of ``day`` (True if unknown)."""
        if not self.has_system:
            return True
        return any(s <= day and (e is None or day < e) for s, e in self.system.get(actor, ()))
