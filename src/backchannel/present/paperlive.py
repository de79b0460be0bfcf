"""Paper and live side by side (DESIGN.md, "Paper and live together").

Wherever a text answer gives a time to contact, a reach verdict or a cut, and the answer
over live channels only differs from the answer on paper, it gives both and names the
channels the live answer leaves out (dormant or unresponsive ones) with their last
recorded use. This module computes both answers once and puts them in words; the command
line and the report use it, so the two never word the same figures differently.

>>> import backchannel
>>> sc = backchannel.load("russia-nato")
>>> c = contact(sc, "RUS.CGS", "NATO.SACEUR", sc.day("2021-11-01"), budget_s=3600)
>>> c.paper.latency_s, c.live.latency_s, [x.id for x in c.left_out]
(900, 14400, ['saceur-cgs-line'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..core.dates import PartialDate, format_duration, parse_date
from ..core.model import USE_EVENTS
from ..graph.cuts import CutResult, resilience
from ..graph.paths import PathResult, time_to_contact

if TYPE_CHECKING:
    from ..record.scenario import Scenario

__all__ = [
    "Contact",
    "Cuts",
    "LeftOut",
    "contact",
    "cuts",
    "left_out",
    "left_out_words",
    "long_date",
    "may_differ",
]

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def long_date(value: PartialDate | str | int | None) -> str:
    """A date as a policy reader writes it: ``1 November 2021``, ``March 2020``, ``2020``.

    Accepts a :class:`PartialDate`, its text, or an ordinal day.

    >>> long_date("2021-11-01"), long_date("2020-03"), long_date("2013")
    ('1 November 2021', 'March 2020', '2013')
    """
    if value is None:
        return "—"
    if isinstance(value, int):
        value = PartialDate(dt.date.fromordinal(value))
    elif isinstance(value, str):
        value = parse_date(value)
    d = value.day
    if value.precision == "year":
        return str(d.year)
    if value.precision == "month":
        return f"{_MONTHS[d.month - 1]} {d.year}"
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _end_of_period(p: PartialDate) -> int:
    d = p.day
    if p.precision == "year":
        return dt.date(d.year, 12, 31).toordinal()
    if p.precision == "month":
        nxt = dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)
        return nxt.toordinal() - 1
    return d.toordinal()


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A channel usable on paper that the live answer leaves out, and why."""

    id: str
    why: str  # "dormant" or "unresponsive"
    last_use: str | None  # as written in the record (``2020-03``), None if never used

    @property
    def use(self) -> str:
        """``last recorded use March 2020`` (or ``no recorded use``)."""
        if not self.last_use:
            return "no recorded use"
        return f"last recorded use {long_date(self.last_use)}"

    def words(self) -> str:
        """``saceur-cgs-line (dormant, last recorded use March 2020)``."""
        return f"{self.id} ({self.why}, {self.use})"

    def clause(self) -> str:
        """``saceur-cgs-line is dormant (last recorded use March 2020)``."""
        return f"{self.id} is {self.why} ({self.use})"


def may_differ(sc: Scenario) -> bool:
    """Whether any channel can be dormant or unresponsive (if not, live equals paper)."""
    return bool(
        sc.timeline.activity
        or any(c.tracked or getattr(c, "uses", None) for c in sc.doc.channels)
        or any(e.do in USE_EVENTS for e in sc.doc.events)
    )


def _last_use(sc: Scenario, ch: str, day: int) -> str | None:
    """The latest recorded use of ``ch`` on or before ``day``, as the record writes it."""
    best = None
    for e in sc.doc.events:
        if (
            e.channel == ch
            and e.do in USE_EVENTS
            and getattr(e, "answered", True)
            and e.date.ordinal <= day
            and (best is None or e.key > best.key)
        ):
            best = e
    latest = sc.timeline.last_use(ch, day)  # also event data and scheduled use
    if latest is not None and (best is None or latest > _end_of_period(best.date)):
        return dt.date.fromordinal(latest).isoformat()
    return str(best.date) if best is not None else None


def left_out(sc: Scenario, day: int, among: Iterable[str] | None = None) -> list[LeftOut]:
    """Channels de jure usable at ``day`` that ``--live`` leaves out (dormant or
    unresponsive), in file order; only those in ``among`` when given."""
    wanted = None if among is None else set(among)
    out = []
    for ch in sc.channels_by_id:
        if wanted is not None and ch not in wanted:
            continue
        status = sc.timeline.status(ch, day)
        if status is None or not status.usable:
            continue
        rec = sc.channel_record(ch, day)
        why = "unresponsive" if rec.get("unresponsive") else "dormant" if rec["dormant"] else None
        if why is not None:
            out.append(LeftOut(ch, why, _last_use(sc, ch, day)))
    return out


def left_out_words(items: list[LeftOut], limit: int = 4, clauses: bool = False) -> str:
    """``a (dormant, last recorded use 2020) and b (...)``, at most ``limit`` named
    (``clauses``: ``a is dormant (...) and b is ...``)."""
    shown = [x.clause() if clauses else x.words() for x in items[:limit]]
    more = len(items) - len(shown)
    if more:
        shown.append(f"{more} more")
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _lat(x: int | None) -> str:
    return "unreachable" if x is None else format_duration(x)


def _via(p: PathResult, sc: Scenario) -> str:
    chans = [s["via"] for s in p.path if s["via"] in sc.channels_by_id]
    return f" via {', '.join(dict.fromkeys(chans))}" if chans else ""


@dataclass(frozen=True)
class Contact:
    """Time to contact on paper and live, with the channels the live answer leaves out
    (those on the paper path)."""

    paper: PathResult
    live: PathResult
    budget_s: int | None = None
    left_out: list[LeftOut] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        """Whether the live answer differs from the paper one."""
        return self.paper.latency_s != self.live.latency_s

    def within(self, live: bool = False) -> bool | None:
        """Within the budget (None without one)."""
        if self.budget_s is None:
            return None
        lat = (self.live if live else self.paper).latency_s
        return lat is not None and lat <= self.budget_s

    def _fig(self, sc: Scenario, live: bool) -> str:
        p = self.live if live else self.paper
        if not p.reachable:
            text = "cannot reach at all"
        else:
            text = f"{format_duration(p.latency_s)}{_via(p, sc)}"
        ok = self.within(live)
        if ok is not None and p.reachable:
            where = "within" if ok else "outside"
            text += f" ({where} the {format_duration(self.budget_s)} budget)"
        return text

    def sentence(self, sc: Scenario, a: str, b: str, prefix: str = "") -> str:
        """One or two sentences: the paper answer, and the live one when it differs."""
        paper = self._fig(sc, live=False)
        if not self.differs:
            if not self.paper.reachable:
                return f"{prefix}{a} cannot reach {b} at all."
            return f"{prefix}{a} can reach {b} in {paper}."
        if self.paper.reachable:
            head = f"{prefix}{a} can reach {b} on paper in {paper}"
        else:
            head = f"{prefix}{a} cannot reach {b} at all on paper"
        why = f", but {left_out_words(self.left_out, clauses=True)}" if self.left_out else ""
        live = self._fig(sc, live=True)
        tail = (
            f"counting only channels in use, it takes {live}"
            if self.live.reachable
            else "counting only channels in use, it cannot reach at all"
        )
        return f"{head}{why}; {tail}."


def contact(
    sc: Scenario,
    a: str,
    b: str,
    day: int,
    budget_s: int | None = None,
    cut: Iterable[str] = (),
    min_rank: str | None = None,
) -> Contact:
    """Time to contact from ``a`` to ``b`` at ``day``, on paper and live."""
    cut = list(cut)
    paper = time_to_contact(sc, a, b, day, min_rank=min_rank, cut=cut)
    live = time_to_contact(sc, a, b, day, live=True, min_rank=min_rank, cut=cut)
    gone = left_out(sc, day, paper.channels) if paper.latency_s != live.latency_s else []
    return Contact(paper, live, budget_s, gone)


@dataclass(frozen=True)
class Cuts:
    """Resilience on paper and live, with the channels the live answer leaves out."""

    paper: CutResult
    live: CutResult
    left_out: list[LeftOut] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        """Whether any cut figure differs between paper and live."""
        p, q = self.paper, self.live
        return (p.min_cut, p.min_cut_fast) != (q.min_cut, q.min_cut_fast)


def cuts(sc: Scenario, a: str, b: str, day: int, budget_s: int, cut: Iterable[str] = ()) -> Cuts:
    """Resilience of ``a`` ↔ ``b`` at ``day`` on paper and live."""
    cut = list(cut)
    paper = resilience(sc, a, b, day, budget_s=budget_s, cut=cut)
    live = resilience(sc, a, b, day, budget_s=budget_s, live=True, cut=cut)
    res = Cuts(paper, live)
    if not res.differs:
        return res
    among = set(paper.all.cut) | set(paper.fast.cut)
    gone = left_out(sc, day, among) or left_out(sc, day)
    return Cuts(paper, live, gone)
