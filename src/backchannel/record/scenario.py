"""The Python API: load a scenario and ask it questions.

>>> import backchannel
>>> sc = backchannel.load("example")
>>> [c["id"] for c in sc.at("2021-09-01").channels("AAA", "BBB")]
['embassy-a-in-b', 'chiefs-line']

Dates may be given as text (``"2021-11-02"``, ``"2021-11"``, ``"2021"``), as
``datetime.date`` or ``datetime.datetime``; ordinal days stay inside the library.

>>> import datetime as dt
>>> sc.at(dt.date(2021, 9, 1)).day == sc.at("2021-09-01").day == sc.day(dt.datetime(2021, 9, 1))
True
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

from ..core.dates import iso, to_day
from ..core.errors import BackchannelError
from ..core.frames import Tabular, frame, html_table
from ..core.lifecycle import ChannelState
from ..core.model import (
    DEFAULT_BUDGET_S,
    Actor,
    ActorKind,
    Channel,
    Office,
    Rank,
    ScenarioDoc,
    Status,
)
from ..core.records import Records
from ..core.suggest import unknown_message
from .indexcache import cached_scenario
from .loader import load_doc, parse_doc
from .timeline import Change, Timeline

__all__ = [
    "DEFAULT_SCENARIO",
    "ChangeList",
    "Scenario",
    "Snapshot",
    "SpanRecords",
    "builtin_scenarios",
    "load",
    "resolve_scenario",
]

DEFAULT_SCENARIO = "russia-nato"


class SpanRecords(Records):
    """Status spans per channel (the `timeline` JSON); the frame has one row per span.

    Frame columns: ``channel``, ``kind``, ``status``, ``from``, ``to`` (``datetime64``;
    ``to`` is ``NaT`` while the span runs) and ``days`` (None while it runs).
    """

    def to_pandas(self) -> Any:
        """One row per span, dates as ``datetime64``."""
        rows = [
            {
                "channel": r["id"],
                "kind": r["kind"],
                "status": s["status"],
                "from": s["from"],
                "to": s["to"],
                "days": (
                    (dt.date.fromisoformat(s["to"]) - dt.date.fromisoformat(s["from"])).days
                    if s["to"]
                    else None
                ),
            }
            for r in self
            for s in r["spans"]
        ]
        cols = ["channel", "kind", "status", "from", "to", "days"]
        return frame(rows, ("from", "to"), columns=cols)

    def uses(self) -> Records:
        """One row per recorded day of use: ``channel``, ``date``."""
        return Records(
            ({"channel": r["id"], "date": d} for r in self for d in r["uses"]),
            dates=("date",),
            partial=(),
        )


class ChangeList(list[Change]):
    """What changed between two dates (a list of ``Change``), as a table too."""

    def __init__(self, changes: Iterable[Change] = (), title: str = "") -> None:
        super().__init__(changes)
        self.title = title

    def to_pandas(self) -> Any:
        """One row per change: ``what``, ``id``, ``before``, ``after``."""
        rows = [c.as_dict() for c in self]
        return frame(rows, columns=["what", "id", "before", "after"])

    def _repr_html_(self) -> str:
        return Tabular._repr_html_(self)  # type: ignore[arg-type]


def builtin_scenarios() -> dict[str, Path]:
    """Built-in scenario names and the files behind them."""
    root = resources.files("backchannel") / "scenarios"
    return {Path(str(p)).stem: Path(str(p)) for p in root.iterdir() if str(p).endswith(".yaml")}


def resolve_scenario(name: str | Path) -> Path:
    """A built-in name or a path to a YAML file; unknown names are a clear error."""
    p = Path(name)
    try:
        exists = p.exists()
    except (OSError, ValueError):  # a name too long, or with a NUL, is no file
        exists = False
    if p.suffix in (".yaml", ".yml") or exists:
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
    sc.file = path
    return sc


class Scenario:
    """A validated scenario with its timeline index.

    ``file`` is the YAML file it came from (None when built in memory).
    """

    def __init__(
        self,
        doc: ScenarioDoc,
        file: Path | None = None,
        activity: Mapping[str, Iterable[object]] | None = None,
    ) -> None:
        """Index ``doc``; ``activity`` adds days of use per channel from event data."""
        self.doc = doc
        self.file = file
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
    def path(self) -> NoReturn:
        """Renamed :attr:`file` (beside the `path` question it was a trap): an error."""
        raise AttributeError(
            "Scenario.path was renamed Scenario.file (the YAML file); for the time to "
            "contact and its path use backchannel.time_to_contact(sc, a, b, date)"
        )

    def _repr_html_(self) -> str:
        first, last = self.first_day, self.last_day
        span = f"{iso(first)} to {iso(last)}" if first is not None else "no events"
        n_off = sum(len(a.offices) for a in self.doc.actors)
        builtin = self.file is not None and builtin_scenarios().get(self.name) == self.file
        rows = [
            ("title", self.doc.title),
            ("file", f"built-in ({self.file.name})" if builtin and self.file else self.file),
            ("record", f"{len(self.doc.events)} events, {span}"),
            (
                "size",
                f"{len(self.actors)} actors, {n_off} offices, "
                f"{len(self.channels_by_id)} channels, {len(self.doc.frameworks)} frameworks",
            ),
            ("sides", ", ".join(f"{k}: {' '.join(v)}" for k, v in self.doc.sides.items())),
            *(
                (f"watch {i}", f"{w.between[0]} ↔ {w.between[1]} within {w.budget}s")
                for i, w in enumerate(self.doc.watch, 1)
            ),
        ]
        return html_table(rows, title=f"Scenario {self.name}")

    def actors_table(self) -> Records:
        """Every actor: id, kind, name, offices, head office, members now (the last day)."""
        from .listing import actor_rows

        return actor_rows(self)

    def offices_table(self, actor: str | None = None, date: object = None) -> Records:
        """Every office (or one actor's): id, actor, name, rank, reports_to, also, holder."""
        from .listing import office_rows

        return office_rows(self, actor, None if date is None else self.day(date, "date"))

    def events_table(
        self,
        channel: str | None = None,
        start: object = None,
        end: object = None,
        do: str | None = None,
    ) -> Records:
        """The record's events in date-then-file order, optionally filtered.

        ``channel``: only events on that channel; ``start``/``end``: dated on or after /
        on or before these dates (a partial date counts as its first day); ``do``: one
        event type. The frame's ``date`` is ``datetime64`` with a ``precision`` column.
        """
        from .listing import event_rows

        return event_rows(self, channel, start, end, do)

    @property
    def name(self) -> str:
        """The scenario's slug."""
        return self.doc.scenario

    def with_activity(self, activity: Mapping[str, Iterable[object]]) -> Scenario:
        """A copy of this scenario with days of use from event data added."""
        return Scenario(self.doc, self.file, activity)

    # -- names --------------------------------------------------------------------------
    def day(self, value: object = None, what: str = "at") -> int:
        """Turn a user's date into an ordinal day, with an error naming the parameter.

        None means the day of the last event (:attr:`last_day`), as everywhere else.
        """
        if value is None:
            if self.last_day is None:
                raise BackchannelError(
                    f"{what}: the scenario has no events; give a date", param=what
                )
            return self.last_day
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
        pool = [*self.actors, *self.offices, *self.doc.sides]
        msg = unknown_message("actor, office or side", name, pool, self.name)
        if msg.endswith("?"):
            return msg
        return f"{msg} (actors: {', '.join(sorted(self.actors))})"

    def head_office(self, actor: str) -> str | None:
        """The office that stands for an actor: its ``head``, else its most senior one."""
        a = self.actors[actor]
        if a.head:
            return a.head
        if not a.offices:
            return None
        return min(a.offices, key=lambda o: (o.rank.order, o.rank is not Rank.head_of_state)).id

    # -- questions ----------------------------------------------------------------------
    def at(self, date: object = None) -> Snapshot:
        """The record as it stood at the end of ``date`` (default: the last event's day)."""
        return Snapshot(self, self.day(date))

    def channel_record(
        self, channel: str, day: int, state: ChannelState | None = None
    ) -> dict[str, Any]:
        """One channel at ``day``, as the `channels` command prints it (``state``: its
        state at ``day``, when the caller already has it)."""
        cid, kind, name, ends, level, latency, opened = self._channel_facts[channel]
        now = self.timeline.at(channel, day, state)
        st = now.state
        return {
            "id": cid,
            "kind": kind,
            "name": name,
            "status": None if st.status is None else _STATUS_TEXT[st.status],
            "ends": list(ends),
            "level": level,
            "latency_s": latency,
            "dormant": now.dormant,
            "unresponsive": now.unresponsive,
            "tracked": now.tracked,
            "last_use": None if now.last_use is None else _iso_day(now.last_use),
            "opened": opened,
            "staff": st.staff,
            "cap": st.cap,
        }

    @cached_property
    def _channel_facts(self) -> dict[str, tuple[Any, ...]]:
        """What a `channels` row says of a channel whatever the day (id, kind, name, ends,
        level, latency, opened), worked out once per channel."""
        tl = self.timeline
        return {
            c.id: (
                c.id,
                c.kind.value,
                c.name,
                tuple(c.ends),
                c.level.value if c.level else None,
                c.latency,
                iso(tl.opened_on(c.id)),
            )
            for c in self.doc.channels
        }

    def channels_between(self, a: str, b: str, day: object = None) -> Records:
        """Channels with an end in ``a`` and another in ``b``, opened on or before ``day``.

        Two actor names are answered from the per-actor-pair index (:meth:`_pair_channels`),
        so a question costs the channels that pair has, not every channel of every office;
        office and side names (whose offices may depend on the day) scan their offices'
        channels.
        """
        day = self.day(day, "day")
        record = self.channel_record
        return Records(
            [
                record(ch, day, st)
                for ch, st in self.timeline.opened_states(self._candidates(a, b, day), day)
            ]
        )

    def _candidates(self, a: str, b: str, day: int) -> list[str]:
        """Channels with an end in ``a`` and another end in ``b``, in file order (any
        status)."""
        if (
            a in self.actors
            and b in self.actors
            and a not in self.offices
            and b not in self.offices
        ):
            return self._pair_channels.get((a, b) if a <= b else (b, a), [])
        ends_a, ends_b = self.offices_of(a, day), self.offices_of(b, day)
        candidates: set[str] = set()
        for office in ends_a:
            candidates.update(self._by_office.get(office, ()))
        return [
            ch
            for ch in sorted(candidates, key=self._channel_order.__getitem__)
            if _joins(self.channels_by_id[ch].ends, ends_a, ends_b)
        ]

    @cached_property
    def _pair_channels(self) -> dict[tuple[str, str], list[str]]:
        """For each pair of actors (sorted; a self-pair for a channel with two ends in one
        actor), the channels joining an office of one to another office of the other, in
        file order. Built once, on the first question between two actors."""
        owner = {o.id: a.id for a in self.doc.actors for o in a.offices}
        offices = {a.id: {o.id for o in a.offices} for a in self.doc.actors}
        out: dict[tuple[str, str], list[str]] = {}
        for c in self.doc.channels:
            actors = sorted({owner[x] for x in c.ends if x in owner})
            for i, u in enumerate(actors):
                for v in actors[i:]:
                    if _joins(c.ends, offices[u], offices[v]):
                        out.setdefault((u, v), []).append(c.id)
        return out

    def spans(self, channel: str | None = None) -> SpanRecords:
        """Status spans per channel (all channels, or one); ``.to_pandas()`` gives one
        row per span."""
        if channel is not None:
            self.check_channel(channel)
        ids = [channel] if channel else list(self.channels_by_id)
        out = SpanRecords()
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

    def check_channel(self, channel: str, what: str = "channel") -> str:
        """``channel`` if the scenario has it, else an error with close ids."""
        if channel not in self.channels_by_id:
            raise BackchannelError(
                unknown_message(
                    what,
                    channel,
                    self.channels_by_id,
                    self.name,
                    "(every channel's id is in the scenario's channels list)",
                )
            )
        return channel

    def diff(self, date1: object, date2: object) -> ChangeList:
        """What changed between the end of ``date1`` and the end of ``date2``.

        A list of :class:`~backchannel.record.timeline.Change`; ``.to_pandas()`` has one row each
        (``what``, ``id``, ``before``, ``after``).
        """
        changes = self.timeline.diff(self.day(date1, "date1"), self.day(date2, "date2"))
        return ChangeList(changes, title=f"{self.name}: {date1} → {date2}")

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

    def __repr__(self) -> str:
        return f"<Snapshot {self.scenario.name!r} at {iso(self.day)}>"

    def records(self) -> Records:
        """Every channel opened by this day, in file order, as the `channels` rows."""
        sc = self.scenario
        return Records(
            (
                sc.channel_record(ch, self.day)
                for ch in sc.channels_by_id
                if sc.timeline.status(ch, self.day) is not None
            ),
            title=f"{sc.name} at {iso(self.day)}",
        )

    def to_pandas(self) -> Any:
        """Every channel opened by this day: status, dormancy, staff, last use..."""
        return self.records().to_pandas()

    def _repr_html_(self) -> str:
        cols = ["id", "kind", "status", "dormant", "tracked", "last_use", "staff", "latency_s"]
        df = self.to_pandas()
        df = df[[c for c in cols if c in df.columns]]
        title = f"{self.scenario.name} at {iso(self.day)}: {len(df)} channels opened so far"
        return f"<p><b>{title}</b></p>" + df.to_html(index=False, na_rep="—", max_rows=60)

    @property
    def date(self) -> dt.date:
        """The day as a date."""
        return dt.date.fromordinal(self.day)

    def channels(self, a: str, b: str) -> Records:
        """Channels between ``a`` and ``b`` (office, actor or side names)."""
        return self.scenario.channels_between(a, b, self.day)

    def status(self, channel: str) -> str | None:
        """A channel's de jure status (None before it opens)."""
        st = self.scenario.timeline.status(self.scenario.check_channel(channel), self.day)
        return st.value if st else None

    def dormant(self, channel: str) -> bool:
        """Whether a channel is dormant on this day."""
        return self.scenario.timeline.dormant(self.scenario.check_channel(channel), self.day)

    def holder(self, office: str) -> str | None:
        """Who holds an office on this day."""
        return self.scenario.timeline.holder(office, self.day)

    def members(self, org: str) -> list[str]:
        """Members of an alliance or organisation on this day."""
        return self.scenario.timeline.members(org, self.day)

    def framework(self, framework: str) -> str | None:
        """A framework's status on this day."""
        return self.scenario.timeline.framework_status(framework, self.day)


def _joins(ends: list[str], ends_a: set[str], ends_b: set[str]) -> bool:
    """Whether a channel with ``ends`` has an end in ``ends_a`` and another in ``ends_b``."""
    return any(x in ends_a and y in ends_b and x != y for x in ends for y in ends)


_STATUS_TEXT = {s: s.value for s in Status}


@functools.lru_cache(maxsize=4096)
def _iso_day(day: int) -> str:
    """:func:`~backchannel.core.dates.iso` of a day, remembered (rows repeat days)."""
    return iso(day)  # type: ignore[return-value]
