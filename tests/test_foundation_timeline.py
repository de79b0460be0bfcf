"""The timeline index against a plain replay, on random event sequences (hypothesis)."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from backchannel.core.dates import PartialDate
from backchannel.core.lifecycle import ChannelState, Refused, apply
from backchannel.core.model import CHANNEL_EVENTS, USE_EVENTS, Event, EventType, ScenarioDoc
from backchannel.record.replay import Cursor
from backchannel.record.timeline import Timeline

CHANNELS = ["c0", "c1", "c2"]
BASE = dt.date(2000, 1, 1).toordinal()
LIFECYCLE = sorted(CHANNEL_EVENTS | {EventType.note}, key=lambda t: t.value)


def doc_for(events: list[Event], *, window_days: int, tracked: bool) -> ScenarioDoc:
    """A scenario of two offices joined by the test channels."""
    return ScenarioDoc.model_validate(
        {
            "scenario": "prop",
            "title": "random",
            "defaults": {"dormancy": f"{window_days}d"},
            "actors": [
                {
                    "id": "A",
                    "kind": "state",
                    "name": "A",
                    "offices": [{"id": "A.H", "name": "H", "rank": "head_of_state"}],
                },
                {
                    "id": "B",
                    "kind": "state",
                    "name": "B",
                    "offices": [{"id": "B.H", "name": "H", "rank": "head_of_state"}],
                },
            ],
            "channels": [
                {
                    "id": c,
                    "kind": "hotline",
                    "ends": ["A.H", "B.H"],
                    "latency": "15m",
                    "staff": 12,
                    "tracked": tracked and c == "c0",
                }
                for c in CHANNELS
            ],
            "events": [e.model_dump(by_alias=True) for e in events],
        }
    )


@st.composite
def raw_events(draw):
    """Random channel events (valid or not), dates at day, month or year precision."""
    n = draw(st.integers(0, 40))
    out = []
    for i in range(n):
        day = BASE + draw(st.integers(0, 3000))
        precision = draw(st.sampled_from(["day", "day", "day", "month", "year"]))
        d = dt.date.fromordinal(day)
        if precision == "month":
            d = d.replace(day=1)
        elif precision == "year":
            d = d.replace(month=1, day=1)
        do = draw(st.sampled_from(LIFECYCLE))
        out.append(
            Event(
                date=PartialDate(d, precision),
                do=do,
                channel=draw(st.sampled_from(CHANNELS)),
                count=draw(st.integers(0, 5)) if do is EventType.expel else None,
                cap=draw(st.sampled_from([None, 8, 20]))
                if do in (EventType.expel, EventType.restrict)
                else None,
                seq=i,
                id=f"e{i}",
            )
        )
    return out


def valid_subsequence(events: list[Event]) -> list[Event]:
    """Keep the events the lifecycle accepts, replayed in date-then-file order."""
    state = {c: ChannelState() for c in CHANNELS}
    kept = []
    for e in sorted(events, key=lambda e: e.key):
        try:
            state[e.channel] = apply(state[e.channel], e, 12)
        except Refused:
            continue
        kept.append(e)
    return kept


def replay(events: list[Event], channel: str, day: int) -> tuple[ChannelState, list[int]]:
    """The plain way: apply every event dated on or before ``day``, in order."""
    state = ChannelState()
    uses = []
    for e in sorted(events, key=lambda e: e.key):
        if e.date.ordinal > day or e.channel != channel:
            continue
        state = apply(state, e, 12)
        if e.do in USE_EVENTS:
            # for dormancy a partial date may have been as late as the end of its period
            uses.append(min(e.date.last_ordinal, day))
    return state, uses


def brute_dormant(events, channel, day, window, tracked_flag) -> bool:
    """Dormancy straight from DESIGN.md's words, without the index."""
    state, uses = replay(events, channel, day)
    tracked = tracked_flag or bool(uses)
    if not tracked or state.status is None or not state.status.usable:
        return False
    # usable without a break since the latest open or restore, for at least `window` days
    last_start = max(
        e.date.ordinal
        for e in events
        if e.channel == channel
        and e.do in (EventType.open, EventType.restore)
        and e.date.ordinal <= day
    )
    if day - last_start < window:
        return False
    return not any(day - u < window for u in uses if u <= day)


@settings(max_examples=150, deadline=None)
@given(raw_events(), st.integers(30, 400), st.booleans())
def test_index_matches_plain_replay_at_every_date(events, window, tracked):
    events = valid_subsequence(events)
    doc = doc_for(events, window_days=window, tracked=tracked)
    tl = Timeline(doc)
    days = sorted({e.date.ordinal for e in events} | {BASE - 1, BASE + 3100})
    probe = sorted({d + k for d in days for k in (-1, 0, 1)} | {d + window for d in days})
    for ch in CHANNELS:
        for day in probe:
            expected, _ = replay(events, ch, day)
            assert tl.state(ch, day) == expected, (ch, day)
            assert tl.dormant(ch, day) == brute_dormant(
                events, ch, day, window, tracked and ch == "c0"
            ), (ch, day)


#: the lifecycle as DESIGN.md states it: event -> (statuses it may follow, status after;
#: None after means "unchanged")
ALLOWED = {
    "open": ({None, "closed"}, "active"),
    "restrict": ({"active", "restricted"}, "restricted"),
    "expel": ({"active", "restricted"}, "restricted"),
    "suspend": ({"active", "restricted"}, "suspended"),
    "restore": ({"restricted", "suspended"}, "active"),
    "close": ({"active", "restricted", "suspended"}, "closed"),
    "meet": ({"active", "restricted"}, None),
    "call": ({"active", "restricted"}, None),
    "note": ({None, "active", "restricted", "suspended", "closed"}, None),
}


@settings(max_examples=150, deadline=None)
@given(raw_events())
def test_the_cursor_refuses_exactly_what_the_lifecycle_forbids(events):
    cursor = Cursor(doc_for([], window_days=365, tracked=False).channels)
    status: dict[str, str | None] = dict.fromkeys(CHANNELS)
    for e in sorted(events, key=lambda e: e.key):
        allowed, after = ALLOWED[e.do.value]
        before = cursor.channel_state(e.channel)
        try:
            cursor.step(e)
        except Refused as exc:
            assert status[e.channel] not in allowed, (e, status[e.channel])
            assert cursor.channel_state(e.channel) == before  # nothing changed
            assert e.channel in str(exc)
            assert (status[e.channel] or "not opened yet") in str(exc)
        else:
            assert status[e.channel] in allowed, (e, status[e.channel])
            status[e.channel] = after or status[e.channel]
        now = cursor.channel_state(e.channel).status
        assert (now.value if now else None) == status[e.channel]


@settings(max_examples=80, deadline=None)
@given(raw_events())
def test_spans_cover_the_record_without_gaps(events):
    events = valid_subsequence(events)
    tl = Timeline(doc_for(events, window_days=365, tracked=False))
    for ch in CHANNELS:
        spans = tl.spans(ch)
        for a, b in itertools.pairwise(spans):
            assert a.end == b.start and a.status != b.status
        for s in spans:
            assert tl.status(ch, s.start).value == s.status
            if s.end is not None:
                assert tl.status(ch, s.end - 1).value == s.status


def test_same_day_events_apply_in_file_order():
    events = [
        Event(date=PartialDate(dt.date(2001, 1, 1)), do=EventType.open, channel="c0", seq=0),
        Event(date=PartialDate(dt.date(2001, 5, 1)), do=EventType.suspend, channel="c0", seq=1),
        Event(date=PartialDate(dt.date(2001, 5, 1)), do=EventType.restore, channel="c0", seq=2),
        Event(
            date=PartialDate(dt.date(2001, 5, 1), "month"), do=EventType.close, channel="c0", seq=3
        ),
    ]
    tl = Timeline(doc_for(events, window_days=365, tracked=False))
    day = dt.date(2001, 5, 1).toordinal()
    assert tl.status("c0", day).value == "closed"  # end of day: after all three
    assert tl.status("c0", day - 1).value == "active"
    assert [s.status for s in tl.spans("c0")] == ["active", "closed"]
