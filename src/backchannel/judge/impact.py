"""Impact: was an event material, symbolic or a nonevent for the watched pairs?

For each event, in date-then-file order, every watched pair's figures are taken just
before it (the state after the preceding event) and just after it (this one event added);
both are judged on the event's own day, so that dormancy setting in with the mere passing
of time is never blamed on the event. Same-day events are judged one by one.

* ``material``: a pair lost or gained reach within its budget, its fast minimum cut
  (channels to cut so that no route arrives within the budget) crossed the pair's floor
  (from ≥ floor to < floor, or back), or its level crossed the watch's ``min_level``
  (from ≥ to < or none, or back);
* ``symbolic``: some watched figure (reach, time to contact, minimum cut, fast minimum
  cut, level, direct staff) changed, but no threshold was crossed;
* ``nonevent``: no watched figure changed.

Packages of events (``group:``, or with ``packages="day"`` the events without a group
that share a date and a ``by`` actor) are judged in :mod:`backchannel.judge.packages`.

The event's verdict is the strongest over its pairs. ``dormant_before`` says whether the
channels the event acts on were already dormant, suspended or closed just before it
(None for events that act on no channel).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.dates import format_duration
from ..core.errors import BackchannelError
from ..core.frames import Tabular, frame
from ..core.model import Event, Rank
from ..core.progress import OnProgress, Progress
from ..core.records import Records
from ..core.suggest import did_you_mean
from ..graph.comm import graph_from_state
from ..graph.cuts import cut_on
from ..graph.fastcut import InexactCut, fast_cut, figure
from ..graph.incremental import Engine, PairSpec
from ..graph.level import pair_level, pair_staff, rank_at_least
from ..graph.paths import contact_on
from ..record.replay import Replay

if TYPE_CHECKING:
    from ..record.scenario import Scenario

__all__ = [
    "VERDICTS",
    "EventImpact",
    "Figures",
    "ImpactList",
    "PairImpact",
    "StaffIndex",
    "figure_timeline",
    "impact",
    "naive_figures",
    "watch_pairs",
]

VERDICTS = ("nonevent", "symbolic", "material")

#: latency, min cut, fast min cut, level, staff
Figs = tuple[int | None, int | None, int | None, Rank | None, int]


@dataclass(frozen=True)
class Figures:
    """A watched pair's figures at one moment (``level`` None: no reach within budget)."""

    latency_s: int | None
    min_cut: int | None
    min_cut_fast: int | None
    budget_s: int
    level: Rank | None = None
    staff: int = 0

    @property
    def reachable(self) -> bool:
        """Any path at all."""
        return self.latency_s is not None

    @property
    def within_budget(self) -> bool:
        """Time to contact ≤ budget."""
        return self.latency_s is not None and self.latency_s <= self.budget_s

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "reachable": self.reachable,
            "within_budget": self.within_budget,
            "latency_s": self.latency_s,
            "min_cut": self.min_cut,
            "min_cut_fast": self.min_cut_fast,
            "level": self.level.value if self.level else None,
            "staff": self.staff,
            **_inexact(self.min_cut_fast),
        }


def _inexact(fast: int | None) -> dict[str, Any]:
    """``min_cut_fast_exact: false`` and the bounds, only when the time limit ran out
    (DESIGN: never silently); nothing otherwise, so exact answers read as before."""
    if isinstance(fast, InexactCut):
        return {"min_cut_fast_exact": False, "min_cut_fast_bounds": list(fast.bounds)}
    return {}


def _above(cut: int | None, floor: int) -> bool:
    return cut is None or cut >= floor  # None: uncuttable, as redundant as it gets


@dataclass(frozen=True)
class PairImpact:
    """One watched pair before and after an event, with its own verdict."""

    a: str
    b: str
    floor: int
    before: Figures
    after: Figures
    min_level: Rank | None = None

    @property
    def changed(self) -> list[str]:
        """The watched figures that changed."""
        out = []
        if self.before.reachable != self.after.reachable:
            out.append("reachable")
        if self.before.latency_s != self.after.latency_s:
            out.append("latency_s")
        if self.before.min_cut != self.after.min_cut:
            out.append("min_cut")
        if self.before.min_cut_fast != self.after.min_cut_fast:
            out.append("min_cut_fast")
        if self.before.level != self.after.level:
            out.append("level")
        if self.before.staff != self.after.staff:
            out.append("staff")
        return out

    @property
    def level_crossed(self) -> bool:
        """The level crossed the watch's ``min_level`` (either way)."""
        m = self.min_level
        return m is not None and (
            rank_at_least(self.before.level, m) != rank_at_least(self.after.level, m)
        )

    @property
    def verdict(self) -> str:
        """material, symbolic or nonevent for this pair."""
        b, a = self.before, self.after
        if b.within_budget != a.within_budget:
            return "material"
        if _above(b.min_cut_fast, self.floor) != _above(a.min_cut_fast, self.floor):
            return "material"
        if self.level_crossed:
            return "material"
        return "symbolic" if self.changed else "nonevent"

    def explain(self) -> str:
        """What happened to this pair, in plain words."""
        b, a = self.before, self.after
        label = f"{self.a} ↔ {self.b}"
        budget = format_duration(b.budget_s)
        parts = []
        if b.within_budget != a.within_budget:
            verb = "lost" if b.within_budget else "gained"
            parts.append(
                f"{verb} contact within its {budget} budget "
                f"({_lat(b.latency_s)} → {_lat(a.latency_s)})"
            )
        elif b.latency_s != a.latency_s:
            parts.append(f"time to contact {_lat(b.latency_s)} → {_lat(a.latency_s)}")
        if b.min_cut_fast != a.min_cut_fast:
            crossed = _above(b.min_cut_fast, self.floor) != _above(a.min_cut_fast, self.floor)
            where = (
                f", crossing its floor of {self.floor}"
                if crossed
                else f", floor {self.floor} not crossed"
            )
            parts.append(
                f"fast routes (≤ {budget}) {_cut(b.min_cut_fast)} → {_cut(a.min_cut_fast)}{where}"
            )
        if b.min_cut != a.min_cut:
            parts.append(f"channels to cut {_cut(b.min_cut)} → {_cut(a.min_cut)}")
        if b.level != a.level:
            where = ""
            if self.min_level is not None:
                crossed = self.level_crossed
                where = (
                    f", crossing its minimum of {self.min_level.value}"
                    if crossed
                    else f", minimum {self.min_level.value} not crossed"
                )
            parts.append(f"level {_level(b.level)} → {_level(a.level)}{where}")
        if b.staff != a.staff:
            parts.append(f"direct staff {b.staff} → {a.staff}")
        return f"{label}: " + "; ".join(parts) if parts else f"{label}: unchanged"

    def as_dict(self) -> dict[str, Any]:
        """JSON form of one pair."""
        return {
            "between": [self.a, self.b],
            "budget_s": self.before.budget_s,
            "floor": self.floor,
            "min_level": self.min_level.value if self.min_level else None,
            "verdict": self.verdict,
            "changed": self.changed,
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
        }


def _lat(x: int | None) -> str:
    return "unreachable" if x is None else format_duration(x)


def _cut(x: int | None) -> str:
    if isinstance(x, InexactCut):
        return f"{int(x)} (not proven least: {x.lo}–{int(x)})"
    return "uncuttable" if x is None else str(x)


def _level(x: Rank | None) -> str:
    return "none within budget" if x is None else x.value


@dataclass(frozen=True)
class EventImpact(Tabular):
    """An event's verdict over every watched pair, with its reason in plain words."""

    event: Event
    verdict: str
    dormant_before: bool | None
    reason: str
    pairs: list[PairImpact] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The event id."""
        return self.event.id or ""

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of one event in `backchannel impact --json`."""
        e = self.event
        return {
            "id": e.id,
            "date": str(e.date),
            "do": e.do.value,
            "target": e.target,
            "by": e.by,
            "verdict": self.verdict,
            "dormant_before": self.dormant_before,
            "reason": self.reason,
            "source": e.source.model_dump(mode="json") if e.source else None,
            "note": e.note,
            "pairs": [p.as_dict() for p in self.pairs],
        }

    @property
    def title(self) -> str:
        """One line: date, event, verdict."""
        return f"{self.event.date} {self.id}: {self.verdict}"

    def pair_rows(self) -> list[dict[str, Any]]:
        """One flat row per watched pair: the event's columns, then the pair's figures
        before and after (``before_latency_s``, ``after_min_cut_fast``...)."""
        e = self.event
        head = {
            "id": e.id,
            "date": str(e.date),
            "do": e.do.value,
            "target": e.target,
            "by": e.by,
            "verdict": self.verdict,
            "dormant_before": self.dormant_before,
        }
        rows = []
        for p in self.pairs:
            row = {
                **head,
                "pair": f"{p.a} ↔ {p.b}",
                "a": p.a,
                "b": p.b,
                "budget_s": p.before.budget_s,
                "floor": p.floor,
                "pair_verdict": p.verdict,
                "changed": p.changed,
            }
            for when, f in (("before", p.before), ("after", p.after)):
                for k, v in f.as_dict().items():
                    row[f"{when}_{k}"] = v
            row["explain"] = p.explain()
            rows.append(row)
        return rows

    def to_pandas(self) -> Any:
        """One row per watched pair (see :meth:`pair_rows`); ``date`` is ``datetime64``
        with a ``precision`` column."""
        return frame(self.pair_rows(), partial=("date",))

    def row(self) -> dict[str, Any]:
        """A flat row for a DataFrame."""
        return {
            "id": self.id,
            "date": str(self.event.date),
            "do": self.event.do.value,
            "target": self.event.target,
            "verdict": self.verdict,
            "dormant_before": self.dormant_before,
            "reason": self.reason,
        }


class ImpactList(list[EventImpact]):
    """The verdicts of :func:`impact`, a list of :class:`EventImpact` in record order.

    ``to_pandas()`` has one row per event and watched pair, flattened (the event's id,
    date, verdict...; the pair, its verdict and its figures ``before_*`` and ``after_*``);
    ``events()`` one row per event. Both have ``date`` as ``datetime64`` with a
    ``precision`` column (an event may be dated to the month or the year).
    """

    title = "Impact of events on the watched pairs"
    packages: list[Any]

    def __init__(self, items: Iterable[EventImpact] = (), packages: Iterable[Any] = ()) -> None:
        """The events' verdicts and, in ``packages``, the packages'
        (:class:`backchannel.judge.packages.Package`)."""
        super().__init__(items)
        self.packages = list(packages)

    def to_pandas(self) -> Any:
        """One row per event and watched pair, flattened."""
        rows = [r for x in self for r in x.pair_rows()]
        return frame(rows, partial=("date",), columns=_PAIR_COLUMNS if not rows else None)

    def events(self) -> Records:
        """One row per event: id, date, do, target, verdict, dormant_before, reason."""
        return Records((x.row() for x in self), title=self.title)

    def _repr_html_(self) -> str:
        return self.events()._repr_html_()


_PAIR_COLUMNS = [
    "id",
    "date",
    "do",
    "target",
    "by",
    "verdict",
    "dormant_before",
    "pair",
    "a",
    "b",
    "budget_s",
    "floor",
    "pair_verdict",
    "changed",
]


def watch_pairs(sc: Scenario, day: int | None = None) -> list[PairSpec]:
    """The scenario's watched pairs as office sets with budgets, floors and minimum
    levels."""
    d = day if day is not None else (sc.first_day or 0)
    return [
        PairSpec(
            w.between[0],
            w.between[1],
            frozenset(sc.offices_of(w.between[0], d)),
            frozenset(sc.offices_of(w.between[1], d)),
            w.budget,
            w.floor,
            w.min_level,
        )
        for w in sc.doc.watch
    ]


class StaffIndex:
    """Each pair's direct staff (:func:`backchannel.graph.level.pair_staff`), from the
    channels with an end in each of the two ends' actors, listed once."""

    def __init__(self, sc: Scenario, pairs: list[PairSpec]) -> None:
        """List each pair's channels (static: they depend on the ends only)."""
        self.sc = sc
        actor = {o: off.actor for o, off in sc.offices.items()}
        self.actor_of = actor.__getitem__
        self.pairs: list[tuple[set[str], set[str], list[tuple[str, list[str]]]]] = []
        for p in pairs:
            aa = {actor[o] for o in p.sources if o in actor}
            bb = {actor[o] for o in p.targets if o in actor}
            chans = [
                (c.id, list(c.ends))
                for c in sc.doc.channels
                if {actor.get(o) for o in c.ends} & aa and {actor.get(o) for o in c.ends} & bb
            ]
            self.pairs.append((aa, bb, chans))

    def staff(self, replay: Replay) -> list[int]:
        """Every pair's staff on the replay's current state (de jure open channels)."""

        def staff_of(ch: str) -> int | None:
            return replay.channel_state(ch).staff

        return [
            pair_staff(
                [(c, ends) for c, ends in chans if replay.status_usable(c)],
                aa,
                bb,
                self.actor_of,
                staff_of,
            )
            for aa, bb, chans in self.pairs
        ]


def naive_figures(
    sc: Scenario, replay: Replay, pairs: list[PairSpec], staff: StaffIndex | None = None
) -> list[Figs]:
    """Every pair's figures computed from scratch on the replay's current state."""
    g = graph_from_state(sc, replay.day, replay.usable, replay.members, level=replay.level)
    staffs = (staff or StaffIndex(sc, pairs)).staff(replay)
    out: list[Figs] = []
    for p, st in zip(pairs, staffs, strict=True):
        dist, _ = contact_on(g, p.sources, p.targets)
        full = cut_on(g, p.sources, p.targets)
        fast = fast_cut(g, p.sources, p.targets, p.budget)
        level = pair_level(g, p.sources, p.targets, p.budget)
        lat = None if dist == float("inf") else int(dist)
        out.append((lat, full.min_cut, figure(fast), level, st))
    return out


def figure_timeline(
    sc: Scenario,
    live: bool = False,
    pairs: list[PairSpec] | None = None,
    events: Iterable[Event] | None = None,
    naive: bool = False,
) -> Iterator[tuple[Event, list[Figs], list[Figs], bool | None]]:
    """Yield ``(event, before, after, dormant_before)`` for every event, in order.

    ``before``/``after`` hold per pair ``(latency_s, min_cut, min_cut_fast, level,
    staff)``. The incremental :class:`~backchannel.graph.incremental.Engine` does the
    work; ``naive`` recomputes everything from scratch at each event instead (for
    checking). Staff is summed afresh at each event over each pair's few channels.
    """
    pairs = watch_pairs(sc) if pairs is None else pairs
    rep = Replay(sc, events, live=live)
    staff = StaffIndex(sc, pairs)
    engine = None if naive else Engine(sc, pairs)
    graph: list[tuple[int | None, int | None, int | None, Rank | None]] | None = None
    current: list[Figs] | None = None

    def refresh(members_changed: bool, lost: set[str], gained: set[str]) -> None:
        nonlocal graph, current
        if engine is not None:
            if members_changed:
                engine.set_members(rep.members)
            for ch in lost:
                engine.remove(ch)
            for ch in gained:
                engine.add(ch)
            if members_changed or lost or gained or graph is None:
                graph = engine.figures()
            st = staff.staff(rep)
            current = [(*g, s) for g, s in zip(graph, st, strict=True)]
        elif members_changed or lost or gained or current is None:
            current = naive_figures(sc, rep, pairs, staff)

    for e in rep.events:
        refresh(*rep.advance(e.key))
        touched = rep.touched(e)
        dormant = any(rep.inactive(ch) for ch in touched) if touched else None
        before = current
        level = rep.level(touched[0]) if touched else None
        state_before = rep.channel_state(touched[0]) if touched else None
        members_changed, lost, gained = rep.apply(e)
        relevel = touched and rep.level(e.channel or "") != level
        restaff = touched and rep.channel_state(e.channel or "") != state_before
        if engine is not None:
            if relevel:
                engine.set_level(e.channel or "", rep.level(e.channel or ""))
                graph = None
            refresh(members_changed, lost, gained)
        elif members_changed or lost or gained or relevel or restaff:
            current = naive_figures(sc, rep, pairs, staff)
        assert before is not None and current is not None
        yield e, before, current, dormant


def _figures(f: Figs, budget: int) -> Figures:
    lat, cut, fast, level, staff = f
    return Figures(lat, cut, fast, budget, level, staff)


def pair_impacts(pairs: list[PairSpec], before: list[Figs], after: list[Figs]) -> list[PairImpact]:
    """Each watched pair before and after, with its own verdict."""
    return [
        PairImpact(p.a, p.b, p.floor, _figures(b, p.budget), _figures(a, p.budget), p.min_level)
        for p, b, a in zip(pairs, before, after, strict=True)
    ]


def _judge(
    e: Event,
    before: list[Figs],
    after: list[Figs],
    dormant: bool | None,
    pairs: list[PairSpec],
) -> EventImpact:
    items = pair_impacts(pairs, before, after)
    verdict = max((pi.verdict for pi in items), key=VERDICTS.index, default="nonevent")
    return EventImpact(e, verdict, dormant, _reason(e, verdict, dormant, items), items)


def _reason(e: Event, verdict: str, dormant: bool | None, items: list[PairImpact]) -> str:
    what = e.channel or e.target or "the record"
    before = f" {what} was already dormant, suspended or closed before it." if dormant else ""
    if not items:
        return "No watched pairs in this scenario, so nothing to judge." + before
    if verdict == "nonevent":
        return "No watched figure changed." + before
    shown = [pi for pi in items if pi.verdict == verdict]
    text = "; ".join(pi.explain() for pi in shown[:3])
    if len(shown) > 3:
        text += f"; and {len(shown) - 3} more pairs"
    lead = {
        "material": "A threshold was crossed",
        "symbolic": "Figures changed but no threshold was crossed",
    }[verdict]
    return f"{lead}: {text}." + before


def impact(
    sc: Scenario,
    event_id: str | None = None,
    live: bool = False,
    progress: OnProgress | None = None,
    packages: str | None = None,
) -> ImpactList:
    """The verdict of every event (or of one, ``event_id``) for the watched pairs, and
    of every package (``group:``; ``packages="day"`` also forms packages of same-day
    moves by one actor; see :mod:`backchannel.judge.packages`).

    Returns an :class:`ImpactList` (a list of :class:`EventImpact`; ``.to_pandas()``
    gives one row per event and watched pair).

    ``progress`` receives a :class:`~backchannel.core.progress.Progress` (events judged)
    now and then for long records.

    >>> import backchannel
    >>> sc = backchannel.load("example")
    >>> [(x.id, x.verdict) for x in impact(sc) if x.verdict != "nonevent"][:2]
    [('2001-01-10-open-embassy-a-in-b', 'material'), ('2015-06-open-chiefs-line', 'material')]
    """
    from .packages import packages as judge_packages

    pairs = watch_pairs(sc)
    if event_id is not None and event_id not in {e.id for e in sc.doc.events}:
        ids = [e.id or "" for e in sc.doc.events]
        hint = did_you_mean(event_id, ids)
        if not hint:
            hint = f" (for example: {', '.join(ids[:8])}; every event of the record has an id)"
        raise BackchannelError(
            f"event_id: unknown event '{event_id}' in scenario '{sc.name}'" + hint,
            param="event_id",
        )
    total = len(sc.doc.events)
    out = ImpactList()
    if event_id is not None:
        rep = Replay(sc, live=live)
        for e in rep.events:
            if e.id == event_id:
                rep.advance(e.key)
                before = naive_figures(sc, rep, pairs)
                touched = rep.touched(e)
                dormant = any(rep.inactive(ch) for ch in touched) if touched else None
                rep.apply(e)
                after = naive_figures(sc, rep, pairs)
                return ImpactList([_judge(e, before, after, dormant, pairs)])
            rep.apply(e)
    pkgs = judge_packages(sc, live, packages)  # checks the mode before the long part
    for i, (e, before, after, dormant) in enumerate(figure_timeline(sc, live, pairs)):
        out.append(_judge(e, before, after, dormant, pairs))
        if progress is not None and i % 1000 == 0:
            progress(Progress("judging events", i, total, "events"))
    return ImpactList(out, pkgs)
