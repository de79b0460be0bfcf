"""The JSON API under ``/api``: read-only questions about the scenarios the server holds.

Every answer is computed from the foundation (timeline, channels, spans) and the analysis
API; the web UI uses nothing else. Bad input is a 4xx with ``{"error": "..."}``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel

from ..core.dates import iso, parse_duration
from ..core.errors import BackchannelError
from ..core.model import Event
from ..present.layout import layout
from ..record.scenario import Scenario

__all__ = ["ErrorBody", "NotFound", "router"]


class ErrorBody(BaseModel):
    """Every error answer: one plain message."""

    error: str


router = APIRouter(
    prefix="/api",
    responses={
        400: {"model": ErrorBody, "description": "Bad input (a date, a duration)"},
        404: {"model": ErrorBody, "description": "Unknown scenario, office, channel or event"},
        422: {"model": ErrorBody, "description": "A missing or malformed parameter"},
    },
)


class NotFound(BackchannelError):
    """A scenario, office, channel or event the server does not hold (→ 404)."""


def get_scenario(
    request: Request,
    scenario: Annotated[
        str,
        Path(
            max_length=200,
            description="A scenario name from /api/scenarios.",
            json_schema_extra={"pattern": ID_PATTERN},
        ),
    ],
) -> Scenario:
    """The scenario named in the path, among those the server was started with."""
    held: dict[str, Scenario] = request.app.state.scenarios
    sc = held.get(scenario)
    if sc is None:
        raise NotFound(f"unknown scenario '{scenario}' (served: {', '.join(sorted(held))})")
    return sc


# The formats below are stated in the OpenAPI schema; the server checks them itself so
# that a value of the wrong form gets a 400 naming the rule (not a bare pattern error).
DATE_PATTERN = r"^[0-9]{4}(-[0-9]{1,2}(-[0-9]{1,2})?)?$"
DURATION_PATTERN = r"^[0-9]{1,20}(\.[0-9]{1,20})?\s*[smhdw]$"
ID_PATTERN = r"^[^/]+$"

ScenarioDep = Annotated[Scenario, Depends(get_scenario)]
AtQ = Annotated[
    str | None,
    Query(
        max_length=32,
        description="Date YYYY-MM-DD, YYYY-MM or YYYY, ASCII digits (the end of that day); "
        "default: the day of the last event.",
        json_schema_extra={"pattern": DATE_PATTERN},
        openapi_examples={"day": {"value": "2021-11-02"}, "year": {"value": "2021"}},
    ),
]
LiveQ = Annotated[bool, Query(description="Count only live channels (dormant ones left out).")]
EndQ = Annotated[
    str,
    Query(
        min_length=1,
        max_length=200,
        description="Office, actor or side id, as in the scenario.",
        json_schema_extra={"pattern": ID_PATTERN},
    ),
]
BudgetQ = Annotated[
    str | None,
    Query(
        max_length=64,
        description="Fast-channel budget: a number and a unit, s, m, h, d or w (15m, 1h, "
        "2d), at most 100 years; default: the pair's watch, else 1h.",
        json_schema_extra={"pattern": DURATION_PATTERN},
    ),
]


def _id_path(what: str) -> Any:
    return Path(
        min_length=1,
        max_length=200,
        description=f"{what} id, as in the scenario.",
        json_schema_extra={"pattern": ID_PATTERN},
    )


def _day(sc: Scenario, at: str | None) -> int:
    if at is None or at == "":
        day = sc.last_day
        if not day:
            raise BackchannelError("the scenario has no events; give a date with at=")
        return day
    return sc.day(at, "at")


def _name(sc: Scenario, name: str, day: int, what: str) -> str:
    try:
        sc.offices_of(name, day)
    except BackchannelError as exc:
        raise NotFound(f"{what}: {exc}") from None
    return name


def _source(src: Any) -> dict[str, Any] | None:
    if src is None:
        return None
    return {
        "title": src.title,
        "url": src.url,
        "published": str(src.published) if src.published else None,
    }


def _event(e: Event) -> dict[str, Any]:
    return {
        "id": e.id,
        "date": str(e.date),
        "day": iso(e.date.ordinal),
        "do": e.do.value,
        "by": e.by,
        "target": e.target,
        "channel": e.channel,
        "count": e.count,
        "cap": e.cap,
        "note": e.note,
        "source": _source(e.source),
    }


def _bounds(sc: Scenario) -> dict[str, str | None]:
    first = sc.first_day
    last = sc.last_day
    return {"first": iso(first), "last": iso(last)}


@router.get("/scenarios", summary="The scenarios this server holds")
def scenarios(request: Request) -> dict[str, Any]:
    """Names, titles and sizes of the scenarios the server was started with."""
    held: dict[str, Scenario] = request.app.state.scenarios
    return {
        "scenarios": [
            {
                "name": sc.name,
                "title": sc.doc.title,
                "actors": len(sc.actors),
                "channels": len(sc.channels_by_id),
                "events": len(sc.doc.events),
                **_bounds(sc),
            }
            for sc in held.values()
        ]
    }


@router.get("/{scenario}", summary="Everything static about a scenario, with a layout")
def overview(sc: ScenarioDep) -> dict[str, Any]:
    """Actors and offices, channels, watched pairs, sides, events and drawing positions."""
    doc = sc.doc
    return {
        "name": sc.name,
        "title": doc.title,
        "description": doc.description,
        **_bounds(sc),
        "actors": [
            {
                "id": a.id,
                "name": a.name,
                "kind": a.kind.value,
                "head": sc.head_office(a.id),
                "offices": [
                    {
                        "id": o.id,
                        "name": o.name,
                        "rank": o.rank.value,
                        "reports_to": o.reports_to,
                        "also": list(o.also),
                    }
                    for o in a.offices
                ],
            }
            for a in doc.actors
        ],
        "channels": [
            {
                "id": c.id,
                "kind": c.kind.value,
                "name": c.name,
                "ends": list(c.ends),
                "latency_s": c.latency,
                "level": c.level.value if c.level else None,
                "note": c.note,
                "source": _source(c.source),
            }
            for c in doc.channels
        ],
        "frameworks": [
            {"id": f.id, "name": f.name, "parties": list(f.parties)} for f in doc.frameworks
        ],
        "sides": doc.sides,
        "watch": [
            {"between": list(w.between), "budget_s": w.budget, "floor": w.floor, "label": w.label}
            for w in doc.watch
        ],
        "events": [_event(e) for e in sorted(doc.events, key=lambda e: e.key)],
        "layout": layout(sc).as_dict(),
    }


@router.get("/{scenario}/snapshot", summary="The record at the end of a date")
def snapshot(sc: ScenarioDep, at: AtQ = None) -> dict[str, Any]:
    """Every channel opened by the date with its status and dormancy; holders; frameworks."""
    day = _day(sc, at)
    tl = sc.timeline
    return {
        "at": iso(day),
        "channels": [
            sc.channel_record(c, day) for c in sc.channels_by_id if tl.status(c, day) is not None
        ],
        "offices": [{"id": o, "holder": tl.holder(o, day)} for o in sc.offices],
        "frameworks": [
            {"id": f.id, "status": tl.framework_status(f.id, day)} for f in sc.doc.frameworks
        ],
        "members": {
            a.id: tl.members(a.id, day) for a in sc.doc.actors if a.members or tl.members(a.id, day)
        },
    }


@router.get("/{scenario}/timeline", summary="Status spans of channels")
def timeline(
    sc: ScenarioDep,
    channel: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Only this channel (its id).",
            json_schema_extra={"pattern": ID_PATTERN},
        ),
    ] = None,
) -> dict[str, Any]:
    """Status spans (from, to, status) and days of use, for every channel or one."""
    if channel is not None and channel not in sc.channels_by_id:
        raise NotFound(f"unknown channel '{channel}' in scenario '{sc.name}'")
    return {"scenario": sc.name, **_bounds(sc), "channels": list(sc.spans(channel))}


@lru_cache(maxsize=32)
def _impact(sc: Scenario, live: bool) -> list[dict[str, Any]]:
    from ..judge.impact import impact as run_impact

    by_id = {e.id: e for e in sc.doc.events}
    out = []
    for res in run_impact(sc, live=live):
        d = dict(res.as_dict())
        e = by_id.get(d.get("id"))
        if e is not None:
            d.setdefault("do", e.do.value)
            d.setdefault("target", e.target)
            d.setdefault("by", e.by)
            d.setdefault("note", e.note)
            d["source"] = _source(e.source)
        out.append(d)
    return out


@router.get("/{scenario}/impact", summary="The verdict of every event")
def impact(
    sc: ScenarioDep,
    event: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Only this event id.",
            json_schema_extra={"pattern": ID_PATTERN},
        ),
    ] = None,
    live: LiveQ = False,
) -> dict[str, Any]:
    """Each event's verdict (material, symbolic, nonevent), reason, pairs and source."""
    if event is not None and event not in {e.id for e in sc.doc.events}:
        raise NotFound(f"unknown event '{event}' in scenario '{sc.name}'")
    rows = _impact(sc, live)
    if event is not None:
        rows = [r for r in rows if r.get("id") == event]
    return {"events": rows}


@router.get("/{scenario}/path", summary="Time to contact from a to b")
def path(sc: ScenarioDep, a: EndQ, b: EndQ, at: AtQ = None, live: LiveQ = False) -> dict[str, Any]:
    """The fastest path (offices and channels) and its total latency; unreachable is an
    answer, not an error."""
    from ..graph.paths import time_to_contact

    day = _day(sc, at)
    _name(sc, a, day, "a")
    _name(sc, b, day, "b")
    return time_to_contact(sc, a, b, day, live=live).as_dict()


@router.get("/{scenario}/resilience", summary="Minimum cut between a and b")
def resilience(
    sc: ScenarioDep,
    a: EndQ,
    b: EndQ,
    at: AtQ = None,
    budget: BudgetQ = None,
    live: LiveQ = False,
) -> dict[str, Any]:
    """How many channels must fail to disconnect a from b, one such cut, single points of
    failure, and the same count over fast channels only."""
    from ..graph.cuts import resilience as run_resilience

    day = _day(sc, at)
    _name(sc, a, day, "a")
    _name(sc, b, day, "b")
    if budget is None:
        budget_s = sc.budget_for(a, b)
    else:
        try:
            budget_s = parse_duration(budget)
        except ValueError as exc:
            raise BackchannelError(f"budget: {exc}") from None
    return run_resilience(sc, a, b, day, budget_s=budget_s, live=live).as_dict()


def _duration_q(name: str, text: str) -> int:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise BackchannelError(f"{name}: {exc}") from None


@router.get("/{scenario}/reliability", summary="Reliability of contact between a and b")
def reliability(
    sc: ScenarioDep,
    a: EndQ,
    b: EndQ,
    at: AtQ = None,
    horizon: Annotated[
        str, Query(max_length=20, description="How far ahead: 1y, 26w, 90d (y = 365.25 days).")
    ] = "1y",
    budget: Annotated[
        str | None,
        Query(
            max_length=20,
            description="Contact within (15m, 1h, 2d); default: the watch's, else 1h.",
        ),
    ] = None,
    live: LiveQ = False,
    samples: Annotated[int, Query(ge=1, le=100_000, description="Monte Carlo samples.")] = 10_000,
    seed: Annotated[int, Query(ge=0, le=2**32 - 1, description="Monte Carlo seed.")] = 0,
) -> dict[str, Any]:
    """The probability that a can still reach b within the budget at the date plus the
    horizon, if channels fail independently at rates learned from the record; exact or
    Monte Carlo (with a 95% interval); channels by Birnbaum importance; the rates used."""
    from ..judge.reliability import reliability as run_reliability

    day = _day(sc, at)
    _name(sc, a, day, "a")
    _name(sc, b, day, "b")
    horizon_s = _duration_q("horizon", horizon)
    budget_s = None if budget is None else _duration_q("budget", budget)
    res = run_reliability(
        sc, a, b, day, horizon_s=horizon_s, budget_s=budget_s, live=live, samples=samples, seed=seed
    )
    return res.as_dict()


@router.get("/{scenario}/channels", summary="Channels between a and b at a date")
def channels(sc: ScenarioDep, a: EndQ, b: EndQ, at: AtQ = None) -> dict[str, Any]:
    """Every channel with an end in a and one in b opened by the date, in any status."""
    day = _day(sc, at)
    _name(sc, a, day, "a")
    _name(sc, b, day, "b")
    return {"at": iso(day), "channels": list(sc.channels_between(a, b, day))}


@router.get("/{scenario}/channel/{channel_id}", summary="One channel: state, history, sources")
def channel(
    sc: ScenarioDep,
    channel_id: Annotated[str, _id_path("A channel")],
    at: AtQ = None,
) -> dict[str, Any]:
    """A channel at a date, its status spans, and every event about it with its source."""
    c = sc.channels_by_id.get(channel_id)
    if c is None:
        raise NotFound(f"unknown channel '{channel_id}' in scenario '{sc.name}'")
    day = _day(sc, at)
    state = sc.channel_record(c.id, day)
    return {
        "at": iso(day),
        "channel": {**state, "note": c.note, "source": _source(c.source)},
        "spans": [s.as_dict() for s in sc.timeline.spans(c.id)],
        "events": [
            _event(e)
            for e in sorted((e for e in sc.doc.events if e.channel == c.id), key=lambda e: e.key)
        ],
    }


@router.get("/{scenario}/office/{office_id}", summary="One office: holder and channels")
def office(
    sc: ScenarioDep,
    office_id: Annotated[str, _id_path("An office")],
    at: AtQ = None,
) -> dict[str, Any]:
    """An office at a date: its actor, rank, holder (with sources) and its channels."""
    o = sc.offices.get(office_id)
    if o is None:
        raise NotFound(f"unknown office '{office_id}' in scenario '{sc.name}'")
    day = _day(sc, at)
    tl = sc.timeline
    return {
        "at": iso(day),
        "office": {
            "id": o.id,
            "name": o.name,
            "actor": o.actor,
            "rank": o.rank.value,
            "reports_to": o.reports_to,
            "also": list(o.also),
            "note": o.note,
            "holder": tl.holder(o.id, day),
        },
        "holders": [
            {
                "name": h.name,
                "from": str(h.from_) if h.from_ else None,
                "to": str(h.to) if h.to else None,
                "source": _source(h.source),
            }
            for h in o.holders
        ],
        "channels": [
            sc.channel_record(c.id, day)
            for c in sc.doc.channels
            if o.id in c.ends and tl.status(c.id, day) is not None
        ],
        "events": [
            _event(e) for e in sorted(sc.doc.events, key=lambda e: e.key) if e.office == o.id
        ],
    }


@router.get("/{scenario}/whatif", summary="What if channels were cut: every watched pair")
def whatif(
    sc: ScenarioDep,
    cut: Annotated[
        list[str],
        Query(
            min_length=1,
            max_length=100,
            description="A channel to cut (close at the end of the date); repeat for more.",
        ),
    ],
    at: AtQ = None,
    live: LiveQ = False,
) -> dict[str, Any]:
    """Every watched pair's figures (reach, time to contact, minimum cut, fast minimum cut)
    on the record and with the channels cut, side by side. The record is never changed:
    the cut is applied to a fork."""
    from ..judge.whatif import whatif as run_whatif

    day = _day(sc, at)
    for ch in cut:
        if len(ch) > 200 or ch not in sc.channels_by_id:
            raise NotFound(f"cut: unknown channel '{ch[:200]}' in scenario '{sc.name}'")
    usable = [ch for ch in cut if sc.timeline.status(ch, day) is not None]
    if len(usable) < len(cut):
        missing = next(ch for ch in cut if ch not in usable)
        raise BackchannelError(f"cut: channel '{missing}' is not yet open on {iso(day)}")
    return run_whatif(sc, day, cut=cut, live=live)
