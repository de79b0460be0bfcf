"""The as-of `channels` question's fast path against plain scans, on random small worlds.

``Scenario.channels_between`` answers two actors from a per-actor-pair index, looks a
channel's state up once (``Timeline.at``) and keeps what a row says whatever the day;
here it is checked against (1) a scan of every channel with the one-figure-at-a-time
timeline methods, row for row, on the v1.1 worlds of ``test_material`` (schedules,
unanswered attempts, month-dated uses, channels with two ends in one actor), and (2) a
replay of the event log with the lifecycle rules, on generated worlds with sides.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.test_material import DAY0, worlds

import backchannel
from backchannel.core.dates import iso
from backchannel.core.lifecycle import ChannelState, apply
from backchannel.core.model import CHANNEL_EVENTS
from backchannel.testing.generate import generate

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def scanned_rows(sc: backchannel.Scenario, a: str, b: str, day: int) -> list[dict]:
    """Every channel of the file joining ``a`` and ``b``, opened by ``day``, each figure
    asked of the timeline on its own."""
    ea, eb = sc.offices_of(a, day), sc.offices_of(b, day)
    tl = sc.timeline
    out = []
    for c in sc.doc.channels:
        if not any(x in ea and y in eb and x != y for x in c.ends for y in c.ends):
            continue
        st = tl.state(c.id, day)
        if st.status is None:
            continue
        out.append(
            {
                "id": c.id,
                "kind": c.kind.value,
                "name": c.name,
                "status": st.status.value,
                "ends": list(c.ends),
                "level": c.level.value if c.level else None,
                "latency_s": c.latency,
                "dormant": tl.dormant(c.id, day),
                "unresponsive": tl.unresponsive(c.id, day),
                "tracked": tl.tracked(c.id, day),
                "last_use": iso(tl.last_use(c.id, day)),
                "opened": iso(tl.opened_on(c.id)),
                "staff": st.staff,
                "cap": st.cap,
            }
        )
    return out


@SETTINGS
@given(worlds())
def test_rows_match_a_scan_of_every_channel(world):
    sc, _ = world
    names = [*sc.actors, *sc.offices]
    for day in range(DAY0 - 1, DAY0 + 60, 3):
        for a in names:
            for b in names:
                got = sc.channels_between(a, b, day)
                want = scanned_rows(sc, a, b, day)
                assert got == want, (a, b, day)
                assert [list(r) for r in got] == [list(r) for r in want]  # key order too


@SETTINGS
@given(worlds(), st.integers(-1, 60))
def test_timeline_at_is_the_single_figures_together(world, offset):
    sc, _ = world
    tl, day = sc.timeline, DAY0 + offset
    for ch in sc.channels_by_id:
        now = tl.at(ch, day)
        assert now.state == tl.state(ch, day)
        assert now.dormant == tl.dormant(ch, day)
        assert now.unresponsive == tl.unresponsive(ch, day)
        assert now.tracked == tl.tracked(ch, day)
        assert now.last_use == tl.last_use(ch, day)
        assert tl.at(ch, day, now.state) == now


def replayed(sc: backchannel.Scenario, a: str, b: str, day: int) -> list[tuple[str, str]]:
    """(id, status) of the channels between ``a`` and ``b``: the log replayed to ``day``."""
    ea, eb = sc.offices_of(a, day), sc.offices_of(b, day)
    staff0 = {c.id: c.staff for c in sc.doc.channels}
    states: dict[str, ChannelState] = {}
    for e in sorted(sc.doc.events, key=lambda e: e.key):
        if e.date.ordinal > day:
            break
        if e.channel is not None and e.do in CHANNEL_EVENTS:
            states[e.channel] = apply(states.get(e.channel, ChannelState()), e, staff0[e.channel])
    return [
        (c.id, states[c.id].status.value)  # type: ignore[union-attr]
        for c in sc.doc.channels
        if any(x in ea and y in eb and x != y for x in c.ends for y in c.ends)
        and c.id in states
        and states[c.id].status is not None
    ]


@settings(max_examples=40, deadline=None)
@given(
    st.integers(4, 14), st.integers(2, 40), st.integers(0, 150), st.integers(0, 10_000)
)  # fmt: skip
def test_answers_match_a_replay_of_the_log(actors, channels, events, seed):
    sc = backchannel.Scenario(
        generate(actors=actors, channels=channels, events=channels + events, seed=seed)
    )
    rng = random.Random(seed)
    names = [*sc.actors, *sc.doc.sides, *rng.sample(sorted(sc.offices), 5)]
    lo, hi = sc.first_day or 0, sc.last_day or 0
    for _ in range(60):
        a, b, day = rng.choice(names), rng.choice(names), rng.randint(lo - 1, hi + 1)
        got = [(r["id"], r["status"]) for r in sc.channels_between(a, b, day)]
        assert got == replayed(sc, a, b, day), (a, b, day)
