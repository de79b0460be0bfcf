"""The Python API: load a scenario and ask it questions.

>>> import backchannel
>>> sc = backchannel.load("example")
>>> [c["id"] for c in sc.at("2021-09-01").channels("AAA", "BBB")]
['embassy-a-in-b', 'chiefs-line']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from ..core.dates import iso, to_day
from ..core.errors import BackchannelError
from ..core.model import DEFAULT_BUDGET_S, Actor, ActorKind, Channel, Office, Rank, ScenarioDoc
from ..core.records import Records
from .indexcache import cached_scenario
from .loader import load_doc, parse_doc
from .timeline import Change, Timeline

__all__ = [
    "DEFAULT_SCENARIO",
    "Scenario",
    "Snapshot",
    "builtin_scenarios",
    "load",
    "resolve_scenario",
]

DEFAULT_SCENARIO = "russia-nato"


def builtin_scenarios() -> dict[str, Path]:
    """Built-in scenario names and the files behind them."""
    root = resources.files("backchannel") / "scenarios"
    return {Path(str(p)).stem: Path(str(p)) for p in root.iterdir() if str(p).endswith(".yaml")}


def resolve_scenario(name: str | Path) -> Path:
    """A built-in name or a path to a YAML file; unknown names are a clear error."""
    p = Path(name)
    if p.suffix in (".yaml", ".yml") or p.exists():
        return p
    found = builtin_scenarios()
    if str(name) in found:
        return found[str(name)]
    raise BackchannelError(
        f"unknown scenario '{name}': not a file, and not a built-in "
        f"(built-ins: {', '.join(sorted(found))})"
    )


def load(
    name: str | Path = DEFAULT_SCENARIO,
    activity: Mapping[str, Iterable[object]] | None = None,
) -> Scenario:
    """Load a built-in scenario by name, or any scenario file by path.

    ``activity`` maps channel ids to days of use found in event data (dates or text).
    """
    path = resolve_scenario(name)
    if activity:
        return Scenario(load_doc(path), path, activity)
    # big files (imported worlds): the validated index is cached beside the file
    sc = cached_scenario(
        path,
        build=lambda text: Scenario(parse_doc(text, str(path)), path),
        reload=lambda: Scenario(load_doc(path), path),
    )
    sc.path = path
    return sc


class Scenario:
    """A validated scenario with its timeline index."""

    def __init__(
        self,
        doc: ScenarioDoc,
        path: Path | None = None,
        activity: Mapping[str, Iterable[object]] | None = None,
    ) -> None:
        """Index ``doc``; ``activity`` adds days of use per channel from event data."""
        self.doc = doc
        self.path = path
        days = {ch: [to_day(d, "activity") for d in ds] for ch, ds in (activity or {}).items()}
        self.timeline = Timeline(doc, days)
        self.actors: dict[str, Actor] = {a.id: a for a in doc.actors}
        self.offices: dict[str, Office] = {o.id: o for a in doc.actors for o in a.offices}
        self.channels_by_id: dict[str, Channel] = {c.id: c for c in doc.channels}
        self._by_office: dict[str, list[str]] = {}
        for c in doc.channels:
            for end in c.ends:
                self._by_office.setdefault(end, []).append(c.id)

    def __repr__(self) -> str:
        return (
            f"<Scenario {self.name!r}: {len(self.actors)} actors, "
            f"{len(self.channels_by_id)} channels, {len(self.doc.events)} events>"
        )

    @property
    def name(self) -> str:
        """The scenario's slug."""
        return self.doc.scenario

    def with_activity(self, activity: Mapping[str, Iterable[object]]) -> Scenario:
        """A copy of this scenario with days of use from event data added."""
        return Scenario(self.doc, self.path, activity)

    # -- names --------------------------------------------------------------------------
    def day(self, value: object, what: str = "at") -> int:
        """Turn a user's date into an ordinal day, with an error naming the parameter."""
        return to_day(value, what)

    def offices_of(self, name: str, day: int) -> set[str]:
        """The offices an office, actor or side name stands for at ``day``.

        An actor stands for all its offices; a side for all offices of its actors, and a
        listed alliance or organisation also brings in its members at that date.
        """
        if name in self.offices:
            return {name}
        if name in self.actors:
            return {o.id for o in self.actors[name].offices}
        if name in self.doc.sides:
            out: set[str] = set()
            for actor in self.side_actors(name, day):
                out |= {o.id for o in self.actors[actor].offices}
            return out
        raise BackchannelError(self._unknown(name))

    def side_actors(self, side: str, day: int) -> list[str]:
        """Actors of a side at ``day``, alliances and organisations expanded to members."""
        out: list[str] = []
        for a in self.doc.sides[side]:
            out.append(a)
            if self.actors[a].kind is not ActorKind.state:
                out.extend(m for m in self.timeline.members(a, day) if m not in out)
        return list(dict.fromkeys(out))

    def _unknown(self, name: str) -> str:
        return (
            f"unknown actor, office or side '{name}' in scenario '{self.name}' "
            f"(actors: {', '.join(sorted(self.actors))})"
        )

    def head_office(self, actor: str) -> str | None:
        """The office that stands for an actor: its ``head``, else its most senior one."""
        a = self.actors[actor]
        if a.head:
            return a.head
        if not a.offices:
            return None
        return min(a.offices, key=lambda o: (o.rank.order, o.rank is not Rank.head_of_state)).id

    # -- questions ----------------------------------------------------------------------
    def at(self, date: object) -> Snapshot:
        """The record as it stood at the end of ``date``."""
        return Snapshot(self, self.day(date))

    def channel_record(self, channel: str, day: int) -> dict[str, Any]:
        """One channel at ``day``, as the `channels` command prints it."""
        c = self.channels_by_id[channel]
        tl = self.timeline
        st = tl.state(channel, day)
        return {
            "id": c.id,
            "kind": c.kind.value,
            "name": c.name,
            "status": st.status.value if st.status else None,
            "ends": list(c.ends),
            "level": c.level.value if c.level else None,
            "latency_s": c.latency,
            "dormant": tl.dormant(channel, day),
            "unresponsive": tl.unresponsive(channel, day),
            "tracked": tl.tracked(channel, day),
            "last_use": iso(tl.last_use(channel, day)),
            "opened": iso(tl.opened_on(channel)),
            "staff": st.staff,
            "cap": st.cap,
        }

    def channels_between(self, a: str, b: str, day: int) -> Records:
        """Channels with an end in ``a`` and another in ``b``, opened on or before ``day``."""
        ends_a, ends_b = self.offices_of(a, day), self.offices_of(b, day)
        candidates: list[str] = []
        seen: set[str] = set()
        for office in ends_a:
            for ch in self._by_office.get(office, ()):
                if ch not in seen:
                    seen.add(ch)
                    candidates.append(ch)
        out = Records()
        for ch in sorted(candidates, key=self._channel_order.__getitem__):
            ends = self.channels_by_id[ch].ends
            if not any(x in ends_a and y in ends_b and x != y for x in ends for y in ends):
                continue
            if self.timeline.status(ch, day) is None:
                continue
            out.append(self.channel_record(ch, day))
        return out

    def spans(self, channel: str | None = None) -> Records:
        """Status spans per channel (all channels, or one)."""
        if channel is not None and channel not in self.channels_by_id:
            raise BackchannelError(f"unknown channel '{channel}' in scenario '{self.name}'")
        ids = [channel] if channel else list(self.channels_by_id)
        out = Records()
        for ch in ids:
            uses = [iso(d) for d in self.timeline.uses(ch)]
            out.append(
                {
                    "id": ch,
                    "kind": self.channels_by_id[ch].kind.value,
                    "spans": [s.as_dict() for s in self.timeline.spans(ch)],
                    "uses": uses,
                }
            )
        return out

    def diff(self, date1: object, date2: object) -> list[Change]:
        """What changed between the end of ``date1`` and the end of ``date2``."""
        return self.timeline.diff(self.day(date1, "from"), self.day(date2, "to"))

    @cached_property
    def _channel_order(self) -> dict[str, int]:
        """Position of each channel in the file (built once, not per question)."""
        return {c: i for i, c in enumerate(self.channels_by_id)}

    @cached_property
    def first_day(self) -> int | None:
        """The earliest event's day (None for an empty record)."""
        return min((e.date.ordinal for e in self.doc.events), default=None)

    @cached_property
    def last_day(self) -> int | None:
        """The latest event's day (None for an empty record): the default date of every
        question."""
        return max((e.date.ordinal for e in self.doc.events), default=None)

    def budget_for(self, a: str, b: str) -> int:
        """The budget of the watch on the pair ``a``, ``b`` (either order), else one hour.

        >>> import backchannel
        >>> sc = backchannel.load("example")
        >>> sc.budget_for("BBB.HOS", "AAA.HOS"), sc.budget_for("AAA", "BBB")
        (172800, 3600)
        """
        for w in self.doc.watch:
            if set(w.between) == {a, b}:
                return w.budget
        return DEFAULT_BUDGET_S


class Snapshot:
    """The record at the end of one day."""

    def __init__(self, scenario: Scenario, day: int) -> None:
        """Bind a scenario to a day (an ordinal)."""
        self.scenario = scenario
        self.day = day

    @property
    def date(self) -> dt.date:
        """The day as a date."""
        return dt.date.fromordinal(self.day)

    def channels(self, a: str, b: str) -> Records:
        """Channels between ``a`` and ``b`` (office, actor or side names)."""
        return self.scenario.channels_between(a, b, self.day)

    def status(self, channel: str) -> str | None:
        """A channel's de jure status (None before it opens)."""
        st = self.scenario.timeline.status(channel, self.day)
        return st.value if st else None

    def dormant(self, channel: str) -> bool:
        """Whether a channel is dormant on this day."""
        return self.scenario.timeline.dormant(channel, self.day)

    def holder(self, office: str) -> str | None:
        """Who holds an office on this day."""
        return self.scenario.timeline.holder(office, self.day)

    def members(self, org: str) -> list[str]:
        """Members of an alliance or organisation on this day."""
        return self.scenario.timeline.members(org, self.day)

    def framework(self, framework: str) -> str | None:
        """A framework's status on this day."""
        return self.scenario.timeline.framework_status(framework, self.day)
