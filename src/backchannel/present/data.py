"""Everything the report shows, assembled once as plain data (no drawing, no HTML).

The figures come from :mod:`backchannel.graph`, :mod:`backchannel.judge` and the timeline;
the writers (:mod:`.html`, :mod:`.markdown`) and the charts (:mod:`.charts`) only read a
:class:`ReportData`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from ..core.dates import format_duration, format_percent, iso
from ..core.model import USE_EVENTS, Event, EventType, Watch
from ..core.progress import OnProgress, Progress
from ..graph.cuts import CutResult, resilience
from ..graph.paths import PathResult, time_to_contact
from ..judge.impact import VERDICTS
from ..record.scenario import Scenario
from .paperlive import Contact, contact, may_differ
from .question import QuestionAnswer, answer_question

__all__ = [
    "STRONGEST_FIRST",
    "ImpactRow",
    "KeyDate",
    "PairPoint",
    "PairReport",
    "ReportData",
    "assemble",
    "is_web_url",
]

#: verdicts from the strongest, the order the report lists them in
STRONGEST_FIRST = tuple(reversed(VERDICTS))
_WEB_URL = re.compile(r"^https?://[^\s<>\"'`\\\x00-\x1f\x7f]+$", re.IGNORECASE)


def is_web_url(url: str | None) -> TypeGuard[str]:
    """Whether ``url`` may become a link: http(s) only (never ``javascript:``, ``data:``
    or a relative path), with no character that could end the link early.

    >>> is_web_url("https://example.org/a"), is_web_url("javascript:alert(3)")
    (True, False)
    """
    return bool(url) and _WEB_URL.match(url) is not None  # type: ignore[arg-type]


RECENT_DAYS = 365


@dataclass(frozen=True, slots=True)
class PairPoint:
    """One watched pair's figures at the end of one day."""

    day: int
    reachable: bool
    latency_s: float | None
    min_cut: int | None  # None: joined by links that cannot be cut
    min_cut_fast: int | None


@dataclass
class PairReport:
    """A watched pair: its figures over time, and its path and cut at the last date."""

    watch: Watch
    points: list[PairPoint]
    path: PathResult
    cut: CutResult
    events: dict[str, list[str]] = field(default_factory=dict)  # verdict -> event ids
    channels: frozenset[str] = frozenset()  # the scenario's channel ids
    both: Contact | None = None  # time to contact on paper and live at the last date
    other_cut: CutResult | None = None  # the cut counted the other way (live, or paper)
    scenario: Scenario | None = None
    reliability: dict[str, Any] | None = None  # `reliability --json` at the last date, 1y

    def reliability_text(self) -> str | None:
        """Reliability a year on, the three channels it rests on most, the rates used."""
        r = self.reliability
        if r is None:
            return None
        a, b = self.watch.between
        pct = format_percent(r["reliability"])
        if r["method"] == "exact":
            how = "exact"
        else:
            lo, hi = r["ci"]
            interval = f"{format_percent(lo)}–{format_percent(hi)}"
            how = f"Monte Carlo, {r['samples']:,} samples, 95% interval {interval}"
        head = (
            f"Reliability a year on: {pct} ({how}) that {a} can still reach {b} within "
            f"{format_duration(self.watch.budget)} a year after {r['at']}, if channels fail "
            "independently at the rates of the record."
        )
        top = [c for c in r["channels"] if c["importance"] >= 0.0005][:3]
        if top:
            listed = ", ".join(f"{c['id']} (importance {c['importance']:.3f})" for c in top)
            head += f" It depends most on {listed}."
        elif r["channels"]:
            head += " No single channel's loss changes it by as much as 0.05 points."
        kinds = {c["kind"] for c in r["channels"]}
        named = {c["id"] for c in r["channels"]}
        rates = [x for x in r["rates"] if x.get("kind") in kinds or x.get("channel") in named]
        if rates:
            head += (
                " Rates used: "
                + "; ".join(
                    f"{x.get('kind') or x.get('channel')} {x['rate_per_year']:.3f}/year "
                    f"({x['failures']} failure{'' if x['failures'] == 1 else 's'} in "
                    f"{x['exposure_years']:.1f} years open"
                    f"{', override' if x['source'] == 'override' else ''})"
                    for x in rates
                )
                + "."
            )
        return head

    @property
    def via(self) -> list[str]:
        """The channels the path at the last date goes through (internal links left out)."""
        return list(dict.fromkeys(s["via"] for s in self.path.path if s["via"] in self.channels))

    @property
    def label(self) -> str:
        """``A ↔ B`` (or the watch's name)."""
        return self.watch.label

    @property
    def within_budget(self) -> bool:
        """Reachable within the budget at the last date."""
        lat = self.path.latency_s
        return self.path.reachable and lat is not None and lat <= self.watch.budget

    @property
    def redundant(self) -> bool:
        """At least as many independent fast routes as the floor (or uncuttable)."""
        fast = self.cut.min_cut_fast
        return fast is None or fast >= self.watch.floor

    def answer(self) -> str:
        """The pair's answer in plain sentences, paper and live side by side when they
        differ."""
        a, b = self.watch.between
        at = iso(self.path.day)
        budget = format_duration(self.watch.budget)
        if self.both is not None and self.both.differs and self.scenario is not None:
            head = self.both.sentence(self.scenario, a, b, prefix=f"On {at}, ")
        elif not self.path.reachable:
            head = f"On {at}, {a} cannot reach {b} at all."
        else:
            via_text = f" via {', '.join(self.via)}" if self.via else ""
            verdict = "within" if self.within_budget else "outside"
            head = (
                f"On {at}, {a} can reach {b} in {format_duration(self.path.latency_s)}"
                f"{via_text}: {verdict} the {budget} budget."
            )
        if self.cut.min_cut is None:
            return (
                f"{head} They cannot be cut off by channels alone: internal, membership or "
                "dual-hatting links join them."
            )
        fast, floor = self.cut.min_cut_fast, self.watch.floor
        other = self.other_cut
        where = "on paper" if self.path.live else "live"
        if fast is None:
            fast_text = f"Their fast routes (≤ {budget}) cannot be cut by channels alone"
        else:
            routes = "route" if fast == 1 else "routes"
            relation = "at or above" if fast >= floor else "below"
            fast_text = (
                f"{fast} independent fast {routes} (≤ {budget}), {relation} the "
                f"redundancy floor of {floor}"
            )
            if other is not None and other.min_cut_fast != fast:
                fast_text += f" ({where}: {other.min_cut_fast})"
        singles = self.cut.fast.single_points
        if singles:
            fast_text += f", resting on {', '.join(singles)} alone"
        full = f"{self.cut.min_cut} channel(s)"
        if other is not None and other.min_cut != self.cut.min_cut:
            full += f" ({where}: {other.min_cut})"
        return f"{head} {fast_text}; {full} must fail to cut them off entirely."


@dataclass(frozen=True, slots=True)
class ImpactRow:
    """One event's verdict, with its reason and source."""

    id: str
    date: str
    do: str
    target: str | None
    by: str | None
    verdict: str
    reason: str
    dormant_before: bool
    source_title: str | None
    source_url: str | None
    note: str | None
    pairs: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class KeyDate:
    """A date worth a network picture, and why."""

    day: int
    label: str


@dataclass
class ReportData:
    """The whole report as data."""

    scenario: Scenario
    live: bool
    first_day: int
    last_day: int
    pairs: list[PairReport]
    impact: list[ImpactRow]
    spans: list[dict[str, Any]]
    key_dates: list[KeyDate]
    first_answer: QuestionAnswer | None = None

    @property
    def title(self) -> str:
        """The scenario's title."""
        return self.scenario.doc.title

    @property
    def question(self) -> str:
        """What the report answers, in plain words: the scenario's question when it
        states one."""
        if self.first_answer is not None and self.first_answer.question:
            return self.first_answer.question
        pairs = "; ".join(
            f"{p.watch.between[0]} ↔ {p.watch.between[1]} within {format_duration(p.watch.budget)}"
            for p in self.pairs
        )
        live = " counting only channels in use (live)" if self.live else ""
        if not pairs:
            return (
                "Which channels were open, when, and at what status? (The scenario "
                "watches no pair, so no event is judged.)"
            )
        return (
            f"Can the watched pairs still talk fast enough{live} — {pairs} — and did "
            "each event change that (material), change a figure without crossing a "
            "threshold (symbolic), or change nothing (nonevent)?"
        )

    def counts(self) -> dict[str, int]:
        """How many events got each verdict."""
        out = dict.fromkeys(STRONGEST_FIRST, 0)
        for row in self.impact:
            out[row.verdict] = out.get(row.verdict, 0) + 1
        return out

    def summary(self) -> list[str]:
        """A few plain lines for the terminal."""
        lines = [
            f"{self.title} ({self.scenario.name}), {iso(self.first_day)} to "
            f"{iso(self.last_day)}{' — live channels only' if self.live else ''}"
        ]
        if self.first_answer is not None and self.pairs:
            lines.append(self.first_answer.lead(self.scenario))
        lines.extend(f"{p.label}: {p.answer()}" for p in self.pairs)
        if self.impact:
            c = self.counts()
            lines.append(
                f"{len(self.impact)} events judged: {c['material']} material, "
                f"{c['symbolic']} symbolic, {c['nonevent']} nonevent."
            )
        return lines

    def event(self, event_id: str) -> ImpactRow | None:
        """An impact row by event id."""
        return next((r for r in self.impact if r.id == event_id), None)

    @property
    def recent_from(self) -> int:
        """The first day of the record's last year (the window of :meth:`recent`)."""
        return self.last_day - RECENT_DAYS

    def recent(self, pair: PairReport) -> list[tuple[ImpactRow, str]]:
        """Changes (not uses or notes) of the record's last year, with the pair's verdict."""
        verdict = {eid: v for v, ids in pair.events.items() for eid in ids}
        by_id = {e.id: e for e in self.scenario.doc.events}
        out = []
        for row in self.impact:
            e = by_id.get(row.id)
            if e is None or e.do in USE_EVENTS or e.do is EventType.note:
                continue
            if e.date.ordinal > self.recent_from:
                out.append((row, verdict.get(row.id, row.verdict)))
        return out


def _events(sc: Scenario) -> list[Event]:
    return sorted(sc.doc.events, key=lambda e: e.key)


def event_id(e: Event) -> str:
    """The event's id (the loader gives every event one: its own or a derived one)."""
    return e.id or f"{e.date}-{e.do.value}-{e.target}"


def _sample_days(sc: Scenario) -> list[int]:
    """Days at which figures can change: every event day (use events too, for --live)."""
    return sorted({e.date.ordinal for e in sc.doc.events})


def _impact_rows(sc: Scenario, live: bool) -> list[ImpactRow]:
    from ..judge.impact import impact

    rows: list[ImpactRow] = []
    for res in impact(sc, live=live):
        e = res.event
        rows.append(
            ImpactRow(
                id=event_id(e),
                date=str(e.date),
                do=e.do.value,
                target=e.target,
                by=e.by,
                verdict=res.verdict,
                reason=res.reason,
                dormant_before=bool(res.dormant_before),
                source_title=e.source.title if e.source else None,
                source_url=e.source.url if e.source else None,
                note=e.note,
                pairs=[p.as_dict() for p in res.pairs],
            )
        )
    return rows


def _pair_key(between: Any) -> tuple[str, str] | None:
    if isinstance(between, list | tuple) and len(between) == 2:
        return (str(between[0]), str(between[1]))
    return None


def _pair_events(watch: Watch, rows: list[ImpactRow]) -> dict[str, list[str]]:
    """Event ids by verdict for one pair (the pair's own verdict when the impact gives it)."""
    out: dict[str, list[str]] = {v: [] for v in STRONGEST_FIRST}
    want = tuple(watch.between)
    for row in rows:
        verdict = row.verdict
        for p in row.pairs:
            if _pair_key(p.get("between")) == want and p.get("verdict"):
                verdict = p["verdict"]
                break
        out.setdefault(verdict, []).append(row.id)
    return out


def _key_dates(sc: Scenario, rows: list[ImpactRow], first: int, last: int) -> list[KeyDate]:
    """Before and after the latest material and the latest symbolic event, and the last day.

    The last day is left out when nothing changed since the previous picture.
    """
    by_id = {e.id: e for e in sc.doc.events}
    picked: list[ImpactRow] = []
    for verdict in ("material", "symbolic"):
        found = [r for r in rows if r.verdict == verdict and r.id in by_id]
        if found:
            picked.append(max(found, key=lambda r: by_id[r.id].key))
    out: dict[int, str] = {}
    for r in picked:
        day = by_id[r.id].date.ordinal
        out.setdefault(day - 1, f"before {r.id}")
        out[day] = f"after {r.id} ({r.verdict})"
    if not out:
        out[first] = "first event"
    latest = max(out)
    if last > latest and sc.timeline.diff(latest, last):
        out[last] = "last date"
    return [KeyDate(d, out[d]) for d in sorted(out)]


def assemble(
    sc: Scenario,
    live: bool = False,
    progress: OnProgress | None = None,
    last_day: int | None = None,
) -> ReportData:
    """Compute every figure the report shows for ``sc``.

    ``last_day`` is the date the answer is given for (default: the last event's day).
    ``progress`` receives a short message at each stage.
    """
    from ..judge.reliability import reliability

    def say(phase: str) -> None:
        if progress is not None:
            progress(Progress(phase))

    events = _events(sc)
    if not events:
        from ..core.errors import BackchannelError

        raise BackchannelError(f"scenario '{sc.name}' has no events: nothing to report")
    first = events[0].date.ordinal
    last = last_day if last_day is not None else events[-1].date.ordinal
    days = [d for d in _sample_days(sc) if d <= last]
    if days[-1] != last:
        days.append(last)

    say("judging events")
    rows = _impact_rows(sc, live) if sc.doc.watch else []
    other_rows = _impact_rows(sc, not live) if sc.doc.watch and may_differ(sc) else rows
    paper_rows, live_rows = (other_rows, rows) if live else (rows, other_rows)

    pairs: list[PairReport] = []
    for w in sc.doc.watch:
        say(f"figures over time for {w.label}")
        a, b = w.between
        points = []
        for day in days:
            p = time_to_contact(sc, a, b, day, live=live)
            c = resilience(sc, a, b, day, budget_s=w.budget, live=live)
            points.append(PairPoint(day, p.reachable, p.latency_s, c.min_cut, c.min_cut_fast))
        both = contact(sc, a, b, last, w.budget)
        path = both.live if live else both.paper
        cut = resilience(sc, a, b, last, budget_s=w.budget, live=live)
        rel = reliability(sc, a, b, last, budget_s=w.budget, live=live, seed=0).as_dict()
        other = resilience(sc, a, b, last, budget_s=w.budget, live=not live)
        pairs.append(
            PairReport(
                w,
                points,
                path,
                cut,
                _pair_events(w, rows),
                frozenset(sc.channels_by_id),
                both,
                other,
                sc,
                reliability=rel,
            )
        )
    say("answering the question")
    first_answer = answer_question(sc, paper_rows, live_rows)

    return ReportData(
        scenario=sc,
        live=live,
        first_day=first,
        last_day=last,
        pairs=pairs,
        impact=rows,
        spans=list(sc.spans()),
        key_dates=_key_dates(sc, rows, first, last),
        first_answer=first_answer,
    )
