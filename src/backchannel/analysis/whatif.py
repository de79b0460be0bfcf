"""What-if: hypothetical events on a fork of the record, compared figure by figure.

The fork holds the record's events up to the comparison day, then the hypothetical
events after them (so ``cut X`` at D closes X after every event dated D). The loaded
scenario is never changed. Hypothetical events are validated like file events (keys,
types, references, lifecycle); a refused one (closing a closed channel) is an error.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ..errors import BackchannelError
from ..frames import frame, html_table
from ..lifecycle import ChannelState, Refused, apply
from ..model import CHANNEL_EVENTS, Event, EventType
from ..suggest import did_you_mean
from ..timeline import iso
from .cuts import resilience
from .graph import build_graph, check_channels
from .impact import Figures, PairImpact
from .paths import time_to_contact

if TYPE_CHECKING:
    from ..scenario import Scenario

__all__ = ["WhatIfResult", "fork", "pair_figures", "parse_event", "whatif", "whatif_day"]

_NEEDS: dict[EventType, tuple[str, ...]] = {
    **{t: ("channel",) for t in CHANNEL_EVENTS},
    EventType.sign: ("framework",),
    EventType.withdraw: ("framework",),
    EventType.join: ("actor", "org"),
    EventType.leave: ("actor", "org"),
    EventType.appoint: ("office", "holder"),
}


def parse_event(text: str | Mapping[str, Any], n: int = 1) -> dict[str, Any]:
    """A hypothetical event from a YAML flow map (``{date: 2021-11-02, do: restore,
    channel: x}``) or a dict; a clear error names the event and the reason."""
    if isinstance(text, Mapping):
        return dict(text)
    y = YAML(typ="safe", pure=True)
    y.constructor.add_constructor(  # keep dates as text: the date rules are ours
        "tag:yaml.org,2002:timestamp", lambda self, node: self.construct_scalar(node)
    )
    try:
        data = y.load(text)
    except YAMLError as exc:
        raise BackchannelError(f"--event {n}: not a YAML mapping ({exc})") from None
    if not isinstance(data, dict):
        raise BackchannelError(
            f"--event {n}: expected a mapping like '{{date: 2021-11-02, do: restore, "
            f"channel: ID}}', got {text!r}"
        )
    return data


def _validate(sc: Scenario, data: dict[str, Any], n: int, seq: int) -> Event:
    where = f"--event {n}"
    for k in ("line", "seq"):
        if k in data:
            raise BackchannelError(f"{where}: unknown key '{k}'")
    try:
        e = TypeAdapter(Event).validate_python({**data, "seq": seq})
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "event"
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        elif err["type"] == "missing":
            msg = "missing required key"
        raise BackchannelError(f"{where}: {field}: {msg}") from None
    for key in _NEEDS.get(e.do, ()):
        if getattr(e, key) is None:
            raise BackchannelError(f"{where}: a '{e.do.value}' event needs '{key}'")
    pools: dict[str, Collection[str]] = {
        "channel": sc.channels_by_id,
        "office": sc.offices,
        "actor": sc.actors,
        "org": sc.actors,
        "by": sc.actors,
        "framework": {f.id for f in sc.doc.frameworks},
    }
    for key, pool in pools.items():
        val = getattr(e, key)
        if val is not None and val not in pool:
            raise BackchannelError(
                f"{where}: unknown {key} '{val}' in scenario '{sc.name}'" + did_you_mean(val, pool)
            )
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
    from ..scenario import Scenario

    base = [e for e in sc.doc.events if e.date.ordinal <= day]
    seq = max((e.seq for e in sc.doc.events), default=0) + 1
    hyp: list[Event] = []
    for i, raw in enumerate(events, 1):
        e = _validate(sc, parse_event(raw, i), i, seq)
        if e.date.ordinal > day:
            raise BackchannelError(
                f"--event {i}: dated {e.date}, after the comparison date {iso(day)} "
                "(give a later --at)"
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
    events_all = sorted(base + hyp, key=lambda e: e.key)
    staff0 = {c.id: c.staff for c in sc.doc.channels}
    states: dict[str, ChannelState] = {}
    hyp_ids = {e.id for e in hyp}
    for e in events_all:
        if e.channel is None or e.do not in CHANNEL_EVENTS:
            continue
        try:
            states[e.channel] = apply(
                states.get(e.channel, ChannelState()), e, staff0.get(e.channel)
            )
        except Refused as exc:
            what = "hypothetical event" if e.id in hyp_ids else "record event"
            raise BackchannelError(f"what-if refused: {what} '{e.id}': {exc}") from None
    doc = sc.doc.model_copy(update={"events": base + hyp})
    activity = dict(sc.timeline.activity)
    return Scenario(doc, sc.file, activity or None), hyp


def pair_figures(sc: Scenario, day: int, live: bool = False) -> list[dict[str, Any]]:
    """Every watched pair's figures at ``day``: reach, time to contact, both cuts."""
    out = []
    g = build_graph(sc, day, live=live)
    for w in sc.doc.watch:
        a, b = w.between
        p = time_to_contact(sc, a, b, day, live=live, graph=g)
        r = resilience(sc, a, b, day, budget_s=w.budget, live=live, graph=g)
        out.append(
            {
                "between": [a, b],
                "reachable": p.reachable,
                "within_budget": p.latency_s is not None and p.latency_s <= w.budget,
                "latency_s": p.latency_s,
                "min_cut": r.min_cut,
                "min_cut_fast": r.min_cut_fast,
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
            days.append(sc.day(str(data["date"]), f"--event {i}"))
    if days:
        return max(days)
    if sc.last_day is None:
        raise BackchannelError("the scenario has no events; give the date to compare on")
    return sc.last_day


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
        raise BackchannelError("nothing to compare: give --cut CHANNEL or --event '{...}'")
    day = whatif_day(sc, events) if day is None else sc.day(day, "date")
    forked, hyp = fork(sc, day, cut, events)
    rec = pair_figures(sc, day, live)
    alt = pair_figures(forked, day, live)
    changed = []
    for r, a, w in zip(rec, alt, sc.doc.watch, strict=True):
        pi = PairImpact(
            r["between"][0],
            r["between"][1],
            w.floor,
            Figures(r["latency_s"], r["min_cut"], r["min_cut_fast"], w.budget),
            Figures(a["latency_s"], a["min_cut"], a["min_cut_fast"], w.budget),
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
                "events": [
                    e.model_dump(mode="json", exclude={"line", "seq"}, exclude_none=True)
                    for e in hyp
                ],
            },
            "changed": changed,
            "summary": summary,
            "live": live,
        }
    )
