"""What-if: hypothetical events on a fork of the record, compared figure by figure.

The fork holds the record's events up to the comparison day, then the hypothetical
events after them (so ``cut X`` at D closes X after every event dated D). The loaded
scenario is never changed. Hypothetical events are validated like file events (keys,
types, references, lifecycle); a refused one (closing a closed channel) is an error.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..core.dates import iso
from ..core.errors import BackchannelError, ScenarioError
from ..core.frames import frame, html_table
from ..core.limits import shown
from ..core.model import Event, Rank
from ..graph.comm import build_graph, check_channels
from ..graph.cuts import resilience
from ..graph.level import pair_level
from ..graph.paths import time_to_contact
from ..record.loader import parse_yaml
from ..record.replay import Replay
from ..record.validate import event_references, event_shape, refusals, validate_event
from .impact import Figures, PairImpact, StaffIndex, watch_pairs

if TYPE_CHECKING:
    from ..record.scenario import Scenario

__all__ = ["WhatIfResult", "fork", "parse_event", "watched_figures", "whatif", "whatif_day"]


_MAX_EVENT_CHARS = 10_000


def parse_event(text: str | Mapping[str, Any], n: int = 1) -> dict[str, Any]:
    """A hypothetical event from a YAML flow map (``{date: 2021-11-02, do: restore,
    channel: x}``) or a dict, read as scenario files are read (dates stay text).

    ``n`` numbers the event (1-based) in error messages, which start with ``events[n-1]``.

    >>> parse_event("{date: 2021-11-02, do: restore, channel: x}")["date"]
    '2021-11-02'
    """
    if isinstance(text, Mapping):
        return dict(text)
    where = f"events[{n - 1}]"
    if len(text) > _MAX_EVENT_CHARS:
        raise BackchannelError(
            f"{where}: too long (at most {_MAX_EVENT_CHARS:,} characters)", param="events"
        )
    try:  # the limits (nesting, numbers) come first, inside parse_yaml
        data = parse_yaml(text, where)
    except ScenarioError as exc:
        raise BackchannelError(
            f"{where}: not a YAML mapping ({exc.problems[0].message})", param="events"
        ) from None
    if not isinstance(data, dict):
        raise BackchannelError(
            f"{where}: expected a mapping like '{{date: 2021-11-02, do: restore, "
            f"channel: ID}}', got {shown(repr(text))}",
            param="events",
        )
    return dict(data)


def _validate(sc: Scenario, data: dict[str, Any], n: int, seq: int) -> Event:
    """A hypothetical event checked by the scenario validator: keys, types, references."""
    where = f"events[{n - 1}]"
    e, problems = validate_event(data, seq)
    if e is not None:
        pools: dict[str, Collection[str]] = {
            "actor": sc.actors,
            "channel": sc.channels_by_id,
            "framework": {f.id for f in sc.doc.frameworks},
            "office": sc.offices,
        }
        problems = [
            f"{'.'.join(sub) + ': ' if sub else ''}{message}"
            for sub, message in event_shape(e) + event_references(e, pools)
        ]
    if problems:
        raise BackchannelError(f"{where}: {problems[0]} (scenario '{sc.name}')", param="events")
    assert e is not None
    if e.id is None:
        e = e.model_copy(update={"id": f"whatif-{n}-{e.do.value}-{e.target or 'record'}"})
    return e


def fork(
    sc: Scenario, day: int, cut: Iterable[str] = (), events: Iterable[Any] = ()
) -> tuple[Scenario, list[Event]]:
    """A new Scenario: the record up to ``day``, then the hypothetical events.

    ``cut`` channels are closed on ``day`` after every event of that day; ``events`` are
    dicts or YAML flow-map strings dated on or before ``day``.
    """
    from ..record.scenario import Scenario

    base = [e for e in sc.doc.events if e.date.ordinal <= day]
    seq = max((e.seq for e in sc.doc.events), default=0) + 1
    hyp: list[Event] = []
    for i, raw in enumerate(events, 1):
        e = _validate(sc, parse_event(raw, i), i, seq)
        if e.date.ordinal > day:
            raise BackchannelError(
                f"events[{i - 1}]: dated {e.date}, after the comparison date {iso(day)} "
                "(compare at a later date)",
                param="events",
            )
        hyp.append(e)
        seq += 1
    for ch in check_channels(sc, cut):
        hyp.append(
            Event.model_validate(
                {
                    "date": iso(day),
                    "do": "close",
                    "channel": ch,
                    "id": f"whatif-cut-{ch}",
                    "seq": seq,
                    "note": "hypothetical cut",
                }
            )
        )
        seq += 1
    taken = {e.id for e in base}
    for e in hyp:
        if e.id in taken:
            raise BackchannelError(f"hypothetical event id '{e.id}' is already in the record")
        taken.add(e.id)
    hyp_ids = {e.id for e in hyp}
    for e, exc in refusals(sc.doc.channels, base + hyp)[:1]:
        what = "hypothetical event" if e.id in hyp_ids else "record event"
        raise BackchannelError(f"what-if refused: {what} '{e.id}': {exc}")
    doc = sc.doc.model_copy(update={"events": base + hyp})
    activity = dict(sc.timeline.activity)
    return Scenario(doc, sc.file, activity or None), hyp


def watched_figures(sc: Scenario, day: int, live: bool = False) -> list[dict[str, Any]]:
    """Every watched pair's figures at ``day``: reach, time to contact, both cuts, level
    and direct staff."""
    out = []
    g = build_graph(sc, day, live=live)
    pairs = watch_pairs(sc, day)
    staff = StaffIndex(sc, pairs)
    rep = Replay(sc, [e for e in sc.doc.events if e.date.ordinal <= day])
    for e in rep.events:
        rep.apply(e)
    staffs = staff.staff(rep)
    for w, spec, st in zip(sc.doc.watch, pairs, staffs, strict=True):
        a, b = w.between
        p = time_to_contact(sc, a, b, day, live=live, graph=g)
        r = resilience(sc, a, b, day, budget_s=w.budget, live=live, graph=g)
        level = pair_level(g, spec.sources, spec.targets, w.budget)
        out.append(
            {
                "between": [a, b],
                "reachable": p.reachable,
                "within_budget": p.latency_s is not None and p.latency_s <= w.budget,
                "latency_s": p.latency_s,
                "min_cut": r.min_cut,
                "min_cut_fast": r.min_cut_fast,
                "min_cut_fast_exact": r.fast.exact,
                "level": level.value if level else None,
                "staff": st,
                "budget_s": w.budget,
                "floor": w.floor,
                "path": [s["via"] for s in p.path[1:]],
            }
        )
    return out


class WhatIfResult(dict):
    """The what-if comparison: the JSON document of `backchannel whatif --json`.

    ``to_pandas()`` has one row per watched pair, record and what-if side by side.
    """

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per watched pair: ``record_*`` and ``whatif_*`` figures."""
        changed = {tuple(c["between"]): c for c in self["changed"]}
        out = []
        for r, w in zip(self["record"]["pairs"], self["whatif"]["pairs"], strict=True):
            c = changed.get(tuple(r["between"]))
            row: dict[str, Any] = {
                "at": self["record"]["at"],
                "pair": " ↔ ".join(r["between"]),
                "a": r["between"][0],
                "b": r["between"][1],
                "budget_s": r["budget_s"],
                "floor": r["floor"],
            }
            for k in ("reachable", "within_budget", "latency_s", "min_cut", "min_cut_fast"):
                row[f"record_{k}"] = r[k]
                row[f"whatif_{k}"] = w[k]
            row["changed"] = c["figures"] if c else []
            row["verdict"] = c["verdict"] if c else "nonevent"
            row["live"] = self["live"]
            out.append(row)
        return out

    def to_pandas(self) -> Any:
        """One row per watched pair; ``at`` is ``datetime64``."""
        return frame(self.rows(), ("at",))

    def _repr_html_(self) -> str:
        df = self.to_pandas()
        return html_table([], title=self["summary"]) + df.to_html(index=False, na_rep="—")


def whatif_day(sc: Scenario, events: Iterable[Any] = ()) -> int:
    """The default comparison day: the latest hypothetical event's date, else (only
    cuts) the day of the record's last event, the default date everywhere."""
    days = []
    for i, raw in enumerate(events, 1):
        data = parse_event(raw, i)
        if data.get("date") is not None:
            days.append(sc.day(str(data["date"]), f"events[{i - 1}].date"))
    if days:
        return max(days)
    if sc.last_day is None:
        raise BackchannelError(
            "day: the scenario has no events; give the date to compare on", param="day"
        )
    return sc.last_day


def _figures(d: Mapping[str, Any], budget: int) -> Figures:
    level = Rank(d["level"]) if d["level"] else None
    return Figures(d["latency_s"], d["min_cut"], d["min_cut_fast"], budget, level, d["staff"])


def _event_json(e: Event) -> dict[str, Any]:
    """A hypothetical event as JSON (``answered`` only when false)."""
    skip = {"line", "seq"} | ({"answered"} if e.answered else set())
    return e.model_dump(mode="json", exclude=skip, exclude_none=True)


def whatif(
    sc: Scenario,
    day: object = None,
    cut: Iterable[str] = (),
    events: Iterable[Any] = (),
    live: bool = False,
) -> WhatIfResult:
    """Compare every watched pair's figures on the record and on a hypothetical fork.

    ``day`` is a date as text, ``date`` or ``datetime``; by default the latest
    hypothetical event's date, else (only cuts) the day of the record's last event.
    Returns a :class:`WhatIfResult`: ``{"record": {"at", "pairs"}, "whatif": {"at",
    "pairs", "events"}, "changed": [...], "summary": "..."}``.

    >>> import backchannel
    >>> sc = backchannel.load("example")
    >>> res = whatif(sc, "2021-09-01", cut=["chiefs-line"])
    >>> df = res.to_pandas()
    >>> df[["pair", "record_latency_s", "whatif_latency_s", "verdict"]].values.tolist()[0]
    ['AAA.CHIEF ↔ BBB.CHIEF', 900, 57600, 'material']
    """
    cut = list(cut)
    events = list(events)
    if not cut and not events:
        raise BackchannelError("nothing to compare: give a channel to cut or a hypothetical event")
    day = whatif_day(sc, events) if day is None else sc.day(day, "day")
    forked, hyp = fork(sc, day, cut, events)
    rec = watched_figures(sc, day, live)
    alt = watched_figures(forked, day, live)
    changed = []
    for r, a, w in zip(rec, alt, sc.doc.watch, strict=True):
        pi = PairImpact(
            r["between"][0],
            r["between"][1],
            w.floor,
            _figures(r, w.budget),
            _figures(a, w.budget),
            w.min_level,
        )
        if pi.changed:
            changed.append(
                {
                    "between": r["between"],
                    "figures": pi.changed,
                    "verdict": pi.verdict,
                    "explain": pi.explain(),
                }
            )
    what = "; ".join(
        [f"cutting {c}" for c in cut]
        + [
            f"{e.do.value} {e.target or ''}".strip()
            for e in hyp
            if not (e.id or "").startswith("whatif-cut-")
        ]
    )
    if not sc.doc.watch:
        summary = "The scenario watches no pairs, so there is nothing to compare."
    elif changed:
        worst = max((c["verdict"] for c in changed), key=("symbolic", "material").index)
        summary = (
            f"On {iso(day)}, {what} changes {len(changed)} of {len(rec)} watched pairs "
            f"({worst}): " + "; ".join(c["explain"] for c in changed) + "."
        )
    else:
        summary = f"On {iso(day)}, {what} changes no watched figure."
    return WhatIfResult(
        {
            "record": {"at": iso(day), "pairs": rec},
            "whatif": {
                "at": iso(day),
                "pairs": alt,
                "events": [_event_json(e) for e in hyp],
            },
            "changed": changed,
            "summary": summary,
            "live": live,
        }
    )
