"""The structures of a day, cached (graph.daycache): the cached answers are the uncached
ones, across days, ``live`` and ``cut``, what-if forks and copies with activity; no
fork, copy or other option ever reads another's graph; the cache stays bounded."""

from __future__ import annotations

import copy
import itertools
import pickle
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import backchannel
from backchannel.core.errors import BackchannelError
from backchannel.graph import daycache
from backchannel.graph.comm import build_graph
from backchannel.graph.cuts import resilience
from backchannel.graph.many import pair_figures
from backchannel.graph.paths import time_to_contact
from backchannel.judge.whatif import fork
from backchannel.testing.generate import generate


def _answers(
    sc: backchannel.Scenario, day: int, live: bool, cut: tuple[str, ...], fresh: bool
) -> list[Any]:
    """Path and resilience of every watched pair at ``day``: through the cache, or each
    question on a graph of its own (``fresh``: nothing shared between questions)."""
    out: list[Any] = []
    for w in sc.doc.watch:
        a, b = w.between
        g = build_graph(sc, day, live=live, cut=cut) if fresh else None
        p = time_to_contact(sc, a, b, day, live=live, cut=cut, graph=g)
        g = build_graph(sc, day, live=live, cut=cut) if fresh else None
        r = resilience(sc, a, b, day, budget_s=w.budget, live=live, cut=cut, graph=g)
        out.append((p.as_dict(), r.as_dict()))
    return out


def _days(sc: backchannel.Scenario, k: int) -> list[int]:
    days = sorted({e.date.ordinal for e in sc.doc.events})
    step = max(1, len(days) // k)
    return sorted({*days[::step][:k], days[-1]})


@pytest.fixture(scope="module")
def generated() -> backchannel.Scenario:
    return backchannel.Scenario(generate(actors=12, channels=40, events=200, watch=4, seed=3))


@pytest.mark.parametrize("name", ["russia-nato", "example", "generated"])
def test_cached_answers_equal_uncached_ones_across_days_live_and_cut(
    name: str, generated: backchannel.Scenario
) -> None:
    sc = generated if name == "generated" else backchannel.load(name)
    daycache.clear(sc)
    days = _days(sc, 6)
    cuts: list[tuple[str, ...]] = [(), (sc.doc.channels[0].id,), tuple(sc.channels_by_id)[:3]]
    # interleaved, so that every question finds other days and options in the cache
    combos = list(itertools.product(days, (False, True), cuts))
    for day, live, cut in combos + combos[::-1]:
        cached = _answers(sc, day, live, cut, fresh=False)
        assert cached == _answers(sc, day, live, cut, fresh=True), (day, live, cut)


def test_a_fork_never_reads_its_parents_structures(russia_nato: backchannel.Scenario) -> None:
    sc = backchannel.load("russia-nato")
    day = sc.day("2022-03-01")
    a, b = sc.doc.watch[0].between
    before = resilience(sc, a, b, day)
    assert before.min_cut and before.all.cut
    forked, _ = fork(sc, day, cut=before.all.cut)
    assert daycache.cached_keys(forked) == []  # another object: an empty cache of its own
    after = resilience(forked, a, b, day)
    assert after.min_cut == 0  # the cut was made on the fork...
    fresh = build_graph(forked, day)
    assert after.as_dict() == resilience(forked, a, b, day, graph=fresh).as_dict()
    assert (
        time_to_contact(forked, a, b, day).as_dict()
        == time_to_contact(forked, a, b, day, graph=fresh).as_dict()
    )
    # ...and not on the record, whose cached graph is still its own
    assert resilience(sc, a, b, day).as_dict() == before.as_dict()
    assert daycache.day_graph(sc, day) is not daycache.day_graph(forked, day)


def test_a_copy_with_activity_has_its_own_structures() -> None:
    sc = backchannel.load("example")
    day = sc.day("2021-09-01")
    g = daycache.day_graph(sc, day, live=True)
    used = {ch: ["2021-08-31"] for ch in sc.channels_by_id}
    busy = sc.with_activity(used)
    assert daycache.day_graph(busy, day, live=True) is not g
    fresh = build_graph(busy, day, live=True)
    assert daycache.day_graph(busy, day, live=True).records() == fresh.records()
    assert (
        resilience(busy, "AAA", "BBB", day, live=True).as_dict()
        == resilience(busy, "AAA", "BBB", day, live=True, graph=fresh).as_dict()
    )


def test_a_different_cut_or_live_never_gets_a_stale_graph(
    russia_nato: backchannel.Scenario,
) -> None:
    sc = russia_nato
    day = sc.day("2021-11-02")
    plain = daycache.day_graph(sc, day)
    some = plain.channels[:2]
    assert some
    cut = daycache.day_graph(sc, day, cut=some)
    assert cut is not plain and not set(some) & set(cut.channels)
    assert cut is daycache.day_graph(sc, day, cut=some[::-1])  # the same set, either order
    assert cut is daycache.day_graph(sc, day, cut=[*some, some[0]])
    live = daycache.day_graph(sc, day, live=True)
    assert live is not plain
    assert live.records() == build_graph(sc, day, live=True).records()
    assert cut.records() == build_graph(sc, day, cut=some).records()
    assert daycache.day_graph(sc, day - 1) is not plain
    fast = daycache.day_graph(sc, day, max_latency=3600)
    assert fast is not plain and fast.records() == build_graph(sc, day, max_latency=3600).records()
    # each graph has structures of its own
    assert daycache.structures(cut) is not daycache.structures(plain)
    assert daycache.structures(cut).graph is cut


def test_the_same_errors_as_build_graph(russia_nato: backchannel.Scenario) -> None:
    with pytest.raises(BackchannelError) as cached:
        daycache.day_graph(russia_nato, "2021-11-02", cut=["no-such-channel"])
    with pytest.raises(BackchannelError) as built:
        build_graph(russia_nato, "2021-11-02", cut=["no-such-channel"])
    assert str(cached.value) == str(built.value)
    with pytest.raises(BackchannelError, match="day"):
        resilience(russia_nato, "RUS", "NATO", "not a date")


def test_the_cache_is_bounded_and_keeps_the_most_recent_days() -> None:
    sc = backchannel.load("russia-nato")
    days = _days(sc, daycache.DAYS + 4)
    assert len(set(days)) > daycache.DAYS
    for d in days:
        daycache.day_graph(sc, d)
    keys = daycache.cached_keys(sc)
    assert len(keys) == daycache.DAYS
    assert keys[-1] == (days[-1], False, (), None)
    first = daycache.day_graph(sc, keys[0][0])  # used again: now the most recent
    assert daycache.cached_keys(sc)[-1] == keys[0]
    assert daycache.day_graph(sc, keys[0][0]) is first


def test_a_replaced_timeline_starts_afresh() -> None:
    sc = backchannel.load("russia-nato")
    day = sc.day("2022-03-01")
    a, b = sc.doc.watch[0].between
    before = resilience(sc, a, b, day)
    forked, _ = fork(sc, day, cut=before.all.cut)
    sc.doc, sc.timeline = forked.doc, forked.timeline  # not how it is meant to be used
    assert resilience(sc, a, b, day).as_dict() == resilience(forked, a, b, day).as_dict()


def test_pair_figures_and_the_api_share_one_graph_and_agree(
    generated: backchannel.Scenario,
) -> None:
    sc = generated
    day = sc.last_day
    assert day is not None
    names = sorted({x for w in sc.doc.watch for x in w.between})
    daycache.clear(sc)
    rows = pair_figures(sc, names, day)
    assert daycache.cached_keys(sc) == [(day, False, (), None)]
    for r in rows:
        p = time_to_contact(sc, r["a"], r["b"], day)
        c = resilience(sc, r["a"], r["b"], day)
        assert (r["latency_s"], r["min_cut"], r["min_cut_fast"]) == (
            p.latency_s,
            c.min_cut,
            c.min_cut_fast,
        )
    assert daycache.cached_keys(sc) == [(day, False, (), None)]  # no second graph built


def test_questions_from_threads_get_the_sequential_answers(
    generated: backchannel.Scenario,
) -> None:
    sc = generated
    days = _days(sc, 4)
    jobs = [(d, live) for d in days for live in (False, True)] * 2
    want = [_answers(sc, d, live, (), fresh=True) for d, live in jobs]
    daycache.clear(sc)
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda j: _answers(sc, j[0], j[1], (), fresh=False), jobs))
    assert got == want


def test_a_graph_with_structures_still_pickles_and_copies(example: backchannel.Scenario) -> None:
    g = build_graph(example, "2021-09-01")
    want = resilience(example, "AAA", "BBB", "2021-09-01", graph=g).as_dict()
    assert daycache.structures(g).flow is not None
    for other in (pickle.loads(pickle.dumps(g)), copy.deepcopy(g)):
        assert other.records() == g.records()
        assert daycache.structures(other).graph is other
        assert resilience(example, "AAA", "BBB", "2021-09-01", graph=other).as_dict() == want
