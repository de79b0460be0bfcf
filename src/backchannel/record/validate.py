"""The one validator of scenario content, used by the loader and by what-if forks.

Everything checked here is about what the items say, not how the YAML was written:
pydantic errors put in plain words (:func:`describe`), ids and references
(:func:`check_references`), the shape of each event type (:func:`event_shape`,
:data:`REQUIRED`) and refused lifecycle transitions (:func:`refusals`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Container, Iterable, Mapping
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..core.lifecycle import Refused
from ..core.model import CHANNEL_EVENTS, USE_EVENTS, Channel, Event, EventType, Office, ScenarioDoc
from ..core.suggest import did_you_mean
from .replay import Cursor

__all__ = [
    "EVENT_REFS",
    "INJECTED",
    "REQUIRED",
    "Report",
    "check_references",
    "describe",
    "did_you_mean",
    "event_references",
    "event_shape",
    "refusals",
    "validate_event",
]

#: ``at(loc, message)``: report a problem at a location (keys and indexes) of the file
Report = Callable[[list[Any], str], None]


def describe(err: Mapping[str, Any]) -> str:
    """One pydantic error in plain words (``unknown key 'x'``, ``missing required key``...)."""
    kind = err["type"]
    loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    field = str(loc[-1]) if loc else "value"
    if kind == "extra_forbidden":
        return f"unknown key '{field}'"
    if kind == "missing":
        return f"missing required key '{field}'"
    if kind == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        what = {"do": "event type", "rank": "rank", "kind": "kind", "level": "rank"}.get(
            field, field
        )
        return f"unknown {what} {err['input']!r} (expected one of {expected})"
    msg = str(err["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return f"{field}: {msg}"


def check_references(
    at: Report,
    doc: ScenarioDoc,
    positions: Mapping[str, list[int]],
    invalid: Mapping[str, Container[str]] | None = None,
) -> None:
    """Report unknown and duplicate ids and dangling references through ``at(loc, message)``.

    ``positions`` gives each valid item's index in its section of the file. ``invalid``
    holds, per kind (``actor``, ``office``, ``channel``, ``framework``, ``event``), the ids
    of items that failed validation: they are known, their own error is reported, and a
    reference to one is not reported again. An unknown id gets a "did you mean" from the
    known ids of its kind.
    """
    broken: Mapping[str, Container[str]] = invalid or {}

    def is_broken(kind: str, ident: str) -> bool:
        return ident in broken.get(kind, ())

    def where(section: str, i: int, key: str | None = None, sub: list[Any] | None = None):
        return [section, i, *(sub or []), *([key] if key else [])]

    def numbered(section: str, items: list[Any]) -> Iterable[tuple[int, Any]]:
        return zip(positions[section], items, strict=True)

    seen: dict[str, str] = {}

    def claim(ident: str, what: str, loc: list[Any]) -> None:
        if ident in seen:
            at(loc, f"duplicate id '{ident}' (already used by a {seen[ident]})")
        else:
            seen[ident] = what

    actors = {a.id: a for a in doc.actors}
    offices: dict[str, Office] = {}
    for i, a in numbered("actors", doc.actors):
        claim(a.id, "actor", where("actors", i, "id"))
        for j, o in enumerate(a.offices):
            claim(o.id, "office", where("actors", i, "id", ["offices", j]))
            offices[o.id] = o
    channels = {c.id: c for c in doc.channels}
    for i, c in numbered("channels", doc.channels):
        claim(c.id, "channel", where("channels", i, "id"))
    frameworks = {f.id: f for f in doc.frameworks}
    for i, f in numbered("frameworks", doc.frameworks):
        claim(f.id, "framework", where("frameworks", i, "id"))

    def need(ident: str | None, pool: dict[str, Any], what: str, loc: list[Any]) -> None:
        if ident is None or ident in pool:
            return
        if any(is_broken(k, ident) for k in what.split(" or ")):
            return
        at(loc, f"unknown {what} '{ident}'{did_you_mean(ident, pool, n=1, cutoff=0.75)}")

    for i, a in numbered("actors", doc.actors):
        if a.head is not None:
            need(a.head, offices, "office", where("actors", i, "head"))
            if a.head in offices and offices[a.head].actor != a.id:
                at(where("actors", i, "head"), f"head '{a.head}' is not an office of {a.id}")
        for j, m in enumerate(a.members):
            need(m.actor, actors, "actor", where("actors", i, "actor", ["members", j]))
        for j, o in enumerate(a.offices):
            loc = ["actors", i, "offices", j]
            if o.reports_to is not None:
                need(o.reports_to, offices, "office", [*loc, "reports_to"])
                if o.reports_to in offices and offices[o.reports_to].actor != a.id:
                    at(
                        [*loc, "reports_to"],
                        f"reports_to '{o.reports_to}' is an office of another actor "
                        "(use 'also' for dual-hatted offices)",
                    )
            for k, other in enumerate(o.also):
                need(other, offices, "office", [*loc, "also", k])
    for i, c in numbered("channels", doc.channels):
        for k, end in enumerate(c.ends):
            if end not in offices and not is_broken("office", end):
                hint = (
                    " (channel ends are offices, not actors)"
                    if end in actors
                    else did_you_mean(end, offices, n=1, cutoff=0.75)
                )
                at(["channels", i, "ends", k], f"unknown office '{end}'{hint}")
        if len(set(c.ends)) != len(c.ends):
            at(["channels", i, "ends"], "the same office is named twice")
    for i, f in numbered("frameworks", doc.frameworks):
        for k, party in enumerate(f.parties):
            need(party, actors, "actor", ["frameworks", i, "parties", k])
        for k, ch in enumerate(f.enables):
            need(ch, channels, "channel", ["frameworks", i, "enables", k])
    for i, inf in numbered("influence", doc.influence):
        need(inf.principal, actors, "actor", ["influence", i, "principal"])
        need(inf.agent, actors, "actor", ["influence", i, "agent"])
    for name, members in doc.sides.items():
        for k, m in enumerate(members):
            need(m, actors, "actor", ["sides", name, k])
    nodes = {**actors, **offices}
    for i, w in numbered("watch", doc.watch):
        for k, end in enumerate(w.between):
            need(end, nodes, "office or actor", ["watch", i, "between", k])

    ids: set[str] = set()
    for i, e in numbered("events", doc.events):
        loc = ["events", i]
        if e.id in ids:
            at([*loc, "id"], f"duplicate event id '{e.id}'")
        ids.add(e.id or "")
        pools: dict[str, Collection[str]] = {
            "actor": actors,
            "channel": channels,
            "framework": frameworks,
            "office": offices,
        }
        for sub, message in event_references(e, pools, broken) + event_shape(e):
            at([*loc, *sub], message)
    check_question(at, doc, ids, broken.get("event", ()))


def check_question(
    at: Report, doc: ScenarioDoc, event_ids: Collection[str], broken: Container[str] = ()
) -> None:
    """The question (format v1.1) names its package by a ``group`` that some event
    carries, or by ``events`` that are known ids; not both. Group ids are free text."""
    q = getattr(doc, "question", None)
    if q is None:
        return
    if q.group is None and not q.events:
        at(["question"], "a question names its package: give 'group' or 'events'")
    if q.group is not None and q.events:
        at(["question", "events"], "give 'group' or 'events', not both")
    if q.group is not None:
        groups = {e.group for e in doc.events if e.group}
        if q.group not in groups:
            hint = did_you_mean(q.group, groups, n=1, cutoff=0.75) or (
                f" (groups in the file: {', '.join(sorted(groups))})"
                if groups
                else " (no event carries a 'group')"
            )
            at(["question", "group"], f"no event has group '{q.group}'{hint}")
    for k, ident in enumerate(q.events):
        if ident not in event_ids and ident not in broken:
            hint = did_you_mean(ident, event_ids, n=1, cutoff=0.75)
            at(["question", "events", k], f"unknown event '{ident}'{hint}")


REQUIRED: dict[EventType, tuple[str, ...]] = {
    **{t: ("channel",) for t in CHANNEL_EVENTS},
    EventType.sign: ("framework",),
    EventType.withdraw: ("framework",),
    EventType.join: ("actor", "org"),
    EventType.leave: ("actor", "org"),
    EventType.appoint: ("office", "holder"),
}


#: keys the loader sets on an event (its line and position in the file), never written
INJECTED = ("line", "seq")


def validate_event(data: Mapping[str, Any], seq: int) -> tuple[Event | None, list[str]]:
    """One event from a mapping, validated as the loader validates file events.

    Returns ``(event, [])``, or ``(None, messages)`` naming each bad key and the reason.

    >>> validate_event({"date": "2021-13-01", "do": "open", "channel": "x"}, 0)[1]
    ["date: '2021-13-01' is not a real date (month must be in 1..12)"]
    """
    bad = [f"unknown key '{k}'" for k in INJECTED if k in data]
    if bad:
        return None, bad
    try:
        return TypeAdapter(Event).validate_python({**data, "seq": seq}), []
    except ValidationError as exc:
        return None, [describe(err) for err in exc.errors()]


#: what each id-valued key of an event names
EVENT_REFS = {
    "by": "actor",
    "channel": "channel",
    "framework": "framework",
    "office": "office",
    "actor": "actor",
    "org": "actor",
}


def event_references(
    e: Event,
    pools: Mapping[str, Collection[str]],
    broken: Mapping[str, Container[str]] | None = None,
) -> list[tuple[list[str], str]]:
    """Unknown ids an event names: ``(where, message)`` pairs, ``where`` its key.

    ``pools`` maps ``actor``, ``channel``, ``framework`` and ``office`` to the known ids;
    ``broken`` the same kinds to ids known but invalid (not reported again).

    >>> from backchannel.core.model import Event
    >>> pools = {"actor": {"AAA"}, "channel": set(), "framework": set(), "office": set()}
    >>> event_references(Event(date="2020", do="open", channel="x", by="AAA"), pools)
    [(['channel'], "unknown channel 'x'")]
    """
    out: list[tuple[list[str], str]] = []
    for key, what in EVENT_REFS.items():
        ident = getattr(e, key)
        if ident is None or ident in pools[what] or ident in (broken or {}).get(what, ()):
            continue
        hint = did_you_mean(ident, pools[what], n=1, cutoff=0.75)
        out.append(([key], f"unknown {what} '{ident}'{hint}"))
    return out


def event_shape(e: Event) -> list[tuple[list[str], str]]:
    """Each event type names the target it needs, and only that.

    Returns ``(where, message)`` pairs; ``where`` is the key inside the event ([] for the
    event itself).

    >>> from backchannel.core.model import Event
    >>> event_shape(Event(date="2020", do="open"))
    [([], "an 'open' event needs 'channel'")]
    """
    out: list[tuple[list[str], str]] = []
    if e.do in (EventType.suspend, EventType.restore) and e.channel is None:
        if e.framework is None:
            out.append(([], f"a '{e.do.value}' event needs 'channel' or 'framework'"))
        return out  # a framework may be suspended and restored as well
    for key in REQUIRED.get(e.do, ()):
        if getattr(e, key) is None:
            article = "an" if e.do.value[0] in "aeiou" else "a"
            out.append(([], f"{article} '{e.do.value}' event needs '{key}'"))
    if e.do in CHANNEL_EVENTS and e.framework:
        out.append((["framework"], f"a '{e.do.value}' event acts on a channel, not a framework"))
    if e.count is not None and e.do is not EventType.expel:
        out.append((["count"], "'count' goes with 'expel' only"))
    if e.cap is not None and e.do not in (EventType.expel, EventType.restrict):
        out.append((["cap"], "'cap' goes with 'expel' or 'restrict' only"))
    if e.level is not None and e.do not in (EventType.expel, EventType.restrict, EventType.restore):
        out.append((["level"], "'level' goes with 'restrict', 'expel' or 'restore' only"))
    if e.representation is not None and e.channel is None:
        out.append((["representation"], "'representation' goes with channel events only"))
    if not e.answered and e.do not in USE_EVENTS:
        out.append((["answered"], "'answered' goes with 'call' or 'meet' only"))
    return out


def refusals(channels: Iterable[Channel], events: Iterable[Event]) -> list[tuple[Event, Refused]]:
    """Replay ``events`` in date-then-file order (:class:`~backchannel.record.replay.Cursor`);
    every refused transition with its event. A refused event changes nothing."""
    cursor = Cursor(channels)
    out: list[tuple[Event, Refused]] = []
    for e in sorted(events, key=lambda ev: ev.key):
        try:
            cursor.step(e)
        except Refused as exc:
            out.append((e, exc))
    return out
