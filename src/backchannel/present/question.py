"""The report's first answer: the scenario's question, or else its last package of moves.

A scenario may state ``question: {text, at, group | events}`` (format v1.1). The report
answers it first, in sentences a policy reader can quote: the package's verdict for each
watched pair, the time to contact on paper and counting only channels in use, and the
channels the live answer leaves out with their last recorded use. Without a question the
report answers for the record's last package (``group:``), and without packages for its
last event.

The package verdict comes from :func:`package_verdicts`, the one place to swap in the
package judgement of :mod:`backchannel.judge.impact` (a fork with only the package's
events applied). Until that exists the package is judged with the per-event verdicts
``impact`` gives: for each pair, the strongest verdict over the package's events, its
figures before the first event and after the last.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.dates import format_duration
from ..core.model import Event, Watch
from .paperlive import Contact, contact, long_date

if TYPE_CHECKING:
    from ..record.scenario import Scenario

__all__ = [
    "Package",
    "PackagePair",
    "PairVerdict",
    "QuestionAnswer",
    "answer_question",
    "figure_changes",
    "package_verdicts",
    "pick_package",
]


@dataclass(frozen=True)
class Package:
    """The events the first answer is about, and why these."""

    events: list[Event]
    group: str | None = None
    text: str | None = None  # the scenario's question, when it states one
    at: int | None = None  # the day the question asks about
    origin: str = "question"  # question | group | event

    @property
    def ids(self) -> list[str]:
        """The events' ids, in date-then-file order."""
        return [e.id or "" for e in self.events]

    @property
    def first_day(self) -> int:
        """The day of the first event."""
        return self.events[0].date.ordinal

    @property
    def last_day(self) -> int:
        """The day of the last event."""
        return self.events[-1].date.ordinal

    @property
    def day(self) -> int:
        """The day the answer is given for: the question's ``at``, else the last event's."""
        return self.at if self.at is not None else self.last_day

    def name(self, sc: Scenario) -> str:
        """``the package russia-answer-2021-11: 3 moves by RUS on 1 November 2021``."""
        first, last = self.events[0].date, self.events[-1].date
        when = (
            f"on {long_date(first)}"
            if str(first) == str(last)
            else f"from {long_date(first)} to {long_date(last)}"
        )
        by = {e.by for e in self.events}
        who = f" by {by.pop()}" if len(by) == 1 and None not in by else ""
        n = len(self.events)
        if n == 1:
            e = self.events[0]
            what = " ".join(x for x in (e.by, e.do.value, e.target) if x)
            return f"the event {e.id} ({what}, {when})"
        head = f"the package {self.group}" if self.group else "the package"
        return f"{head}: {n} moves{who} {when}"


def pick_package(sc: Scenario) -> Package | None:
    """The question's package, else the record's last package, else its last event."""
    events = sorted(sc.doc.events, key=lambda e: e.key)
    if not events:
        return None
    q = getattr(sc.doc, "question", None)
    if q is not None:
        group = getattr(q, "group", None)
        wanted = set(getattr(q, "events", None) or [])
        chosen = [e for e in events if (group and e.group == group) or e.id in wanted]
        at = q.at.ordinal if getattr(q, "at", None) is not None else None
        if chosen:
            return Package(chosen, group, q.text, at, "question")
    groups: dict[str, list[Event]] = {}
    for e in events:
        if getattr(e, "group", None):
            groups.setdefault(e.group, []).append(e)  # type: ignore[arg-type]
    if groups:
        gid, members = max(groups.items(), key=lambda kv: kv[1][-1].key)
        return Package(members, gid, None, None, "group")
    return Package([events[-1]], None, None, None, "event")


@dataclass(frozen=True)
class PairVerdict:
    """One watched pair's verdict on a package, with its figures before and after."""

    between: tuple[str, str]
    verdict: str
    before: Mapping[str, Any]
    after: Mapping[str, Any]


def package_verdicts(
    sc: Scenario, package: Package, live: bool, watch: Sequence[Watch]
) -> list[PairVerdict]:
    """Each watched pair's verdict on ``package``, judged as one package
    (:func:`backchannel.judge.packages.judge_package`: before is the state just before its
    first event, after that state with only its events applied)."""
    from ..judge.packages import judge_package

    judged = judge_package(sc, package.group or "question", package.events, live=live)
    out = []
    for w, pi in zip(watch, judged.pairs, strict=True):
        d = pi.as_dict()
        out.append(PairVerdict((w.between[0], w.between[1]), pi.verdict, d["before"], d["after"]))
    return out


def _lat(x: Any) -> str:
    return "unreachable" if x is None else format_duration(x)


def _cut(x: Any) -> str:
    return "uncuttable" if x is None else str(x)


def figure_changes(before: Mapping[str, Any], after: Mapping[str, Any], budget_s: int) -> list[str]:
    """What changed between two sets of pair figures, in words (level and staff too,
    when the figures carry them)."""
    out = []
    budget = format_duration(budget_s)
    b_in, a_in = before.get("within_budget"), after.get("within_budget")
    b_lat, a_lat = before.get("latency_s"), after.get("latency_s")
    if b_in != a_in:
        verb = "lost" if b_in else "gained"
        out.append(f"{verb} contact within the {budget} budget ({_lat(b_lat)} → {_lat(a_lat)})")
    elif b_lat != a_lat:
        out.append(f"time to contact {_lat(b_lat)} → {_lat(a_lat)}")
    if before.get("min_cut_fast") != after.get("min_cut_fast"):
        out.append(
            f"routes within the budget {_cut(before.get('min_cut_fast'))} → "
            f"{_cut(after.get('min_cut_fast'))}"
        )
    if before.get("min_cut") != after.get("min_cut"):
        out.append(
            f"channels to cut them off entirely {_cut(before.get('min_cut'))} → "
            f"{_cut(after.get('min_cut'))}"
        )
    if "level" in before and before.get("level") != after.get("level"):
        out.append(f"level {before.get('level') or 'none'} → {after.get('level') or 'none'}")
    if "staff" in before and before.get("staff") != after.get("staff"):
        out.append(f"direct staff {before.get('staff')} → {after.get('staff')}")
    return out


@dataclass(frozen=True)
class PackagePair:
    """A watched pair's answer to the question: verdicts on paper and live, and contact
    on the day asked about."""

    watch: Watch
    paper: PairVerdict
    live: PairVerdict
    contact: Contact

    @property
    def label(self) -> str:
        """The pair's name."""
        return self.watch.label

    def changes(self, live: bool = False) -> list[str]:
        """What the package changed for this pair (paper, or live)."""
        v = self.live if live else self.paper
        return figure_changes(v.before, v.after, self.watch.budget)


@dataclass
class QuestionAnswer:
    """The report's first answer."""

    package: Package
    pairs: list[PackagePair] = field(default_factory=list)
    question: str = ""

    def lead(self, sc: Scenario) -> str:
        """The first paragraph: the package, its verdict for each pair, contact on paper
        and live."""
        name = self.package.name(sc)
        if self.package.origin == "group":
            intro = f"The record's last package is {name} ({', '.join(self.package.ids)}). "
        elif self.package.origin == "event":
            intro = f"The record has no package of moves; its last entry is {name}. "
        else:
            intro = ""
        if not self.pairs:
            return intro + "The scenario watches no pair, so nothing is judged."
        verdicts = [f"{_a(p.paper.verdict)} for {_the(p.watch)}" for p in self.pairs]
        if intro:
            what = "It"
        else:
            what = name[0].upper() + name[1:]
            if len(self.package.events) > 1:
                what += f" ({', '.join(self.package.ids)})"
        text = f"{intro}{what} was " + _join(verdicts) + "."
        if all(p.paper.verdict != "material" for p in self.pairs):
            text += " On paper it crossed no threshold for any watched pair."
        differ = [p for p in self.pairs if p.live.verdict != p.paper.verdict]
        if differ:
            text += (
                " Counting only channels in use, it was "
                + _join([f"{_a(p.live.verdict)} for {_the(p.watch)}" for p in differ])
                + "."
            )
        day = long_date(self.package.day)
        for p in self.pairs:
            a, b = p.watch.between
            text += " " + p.contact.sentence(sc, a, b, prefix=f"On {day}, ")
        return text

    def details(self, p: PackagePair) -> str:
        """A pair's verdict explained: what changed, on paper and live."""
        paper = p.changes()
        live = p.changes(live=True)
        text = f"{p.label}: {p.paper.verdict}. "
        text += (
            "On paper the package changed " + "; ".join(paper) + "."
            if paper
            else "On paper the package changed no watched figure."
        )
        if live != paper:
            text += (
                f" Counting only channels in use ({p.live.verdict}): " + "; ".join(live) + "."
                if live
                else f" Counting only channels in use ({p.live.verdict}) it changed nothing."
            )
        return text


def _a(verdict: str) -> str:
    return "a nonevent" if verdict == "nonevent" else verdict


def _the(w: Watch) -> str:
    return f"the {w.name}" if w.name else w.label


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def answer_question(
    sc: Scenario, paper_rows: Sequence[Any], live_rows: Sequence[Any] | None
) -> QuestionAnswer | None:
    """The first answer of the report (None for an empty record)."""
    package = pick_package(sc)
    if package is None:
        return None
    watch = list(sc.doc.watch)
    paper = package_verdicts(sc, package, False, watch)
    live = package_verdicts(sc, package, True, watch) if live_rows is not None else paper
    pairs = [
        PackagePair(w, pv, lv, contact(sc, w.between[0], w.between[1], package.day, w.budget))
        for w, pv, lv in zip(watch, paper, live, strict=True)
    ]
    return QuestionAnswer(package, pairs, package.text or "")
