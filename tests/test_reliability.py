"""Reliability of contact: exact against brute force, Monte Carlo coverage, importance,
rates from a hand-made record, and the command line."""

from __future__ import annotations

import datetime as dt
import doctest
import importlib
import itertools
import json
import math

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backchannel
from backchannel.core.errors import BackchannelError
from backchannel.graph.comm import CommGraph, Link
from backchannel.judge.rates import learn_rates
from backchannel.judge.reliability import EXACT_LIMIT, estimate, reliability
from backchannel.record.loader import parse_doc

LATS = [0, 900, 3600, 6 * 3600, 12 * 3600]
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- random small graphs and an independent brute force ----------------------------------
@st.composite
def graphs(draw):
    """A random communication graph: offices, fixed links, channels of 2–4 ends (at most
    8, so that every up/down state can be enumerated), failure probabilities."""
    n = draw(st.integers(2, 7))
    offices = [f"O{i}" for i in range(n)]
    links: list[Link] = []
    for _ in range(draw(st.integers(0, 4))):
        u, v = draw(st.sampled_from(offices)), draw(st.sampled_from(offices))
        if u != v:
            via = draw(st.sampled_from(["reports_to", "membership", "also"]))
            links.append(Link(u, v, 0 if via == "also" else draw(st.sampled_from(LATS)), via))
    chans = []
    p = {}
    for c in range(draw(st.integers(0, 8))):
        cid = f"c{c}"
        ends = draw(st.lists(st.sampled_from(offices), min_size=2, max_size=4, unique=True))
        lat = draw(st.sampled_from(LATS))
        for i, u in enumerate(ends):
            for v in ends[i + 1 :]:
                links.append(Link(u, v, lat, cid, cid))
        chans.append(cid)
        p[cid] = draw(st.sampled_from([0.0, 0.05, 0.3, 0.5, 0.9, 1.0]))
    src = draw(st.lists(st.sampled_from(offices), min_size=1, max_size=2, unique=True))
    dst = draw(st.lists(st.sampled_from(offices), min_size=1, max_size=2, unique=True))
    budget = draw(st.sampled_from([0, 900, 3600, 7200, 43200, 86400]))
    return CommGraph(0, offices, links, chans), src, dst, budget, p


def within(g: CommGraph, up: set[str], src, dst, budget) -> bool:
    """NetworkX: is any target within budget when only the channels in ``up`` work?"""
    h = nx.MultiGraph()
    h.add_nodes_from(g.offices)
    for lk in g.links:
        if lk.channel is None or lk.channel in up:
            h.add_edge(lk.u, lk.v, w=lk.latency)
    dist = nx.multi_source_dijkstra_path_length(h, set(src), weight="w")
    return any(dist.get(t, math.inf) <= budget for t in dst)


def brute(g: CommGraph, src, dst, budget, p) -> tuple[float, dict[str, float]]:
    """Every up/down state of every channel: the reliability and Birnbaum importances."""
    chans = list(g.channels)
    rel = 0.0
    fixed_up = {c: 0.0 for c in chans}
    fixed_down = {c: 0.0 for c in chans}
    for bits in itertools.product([False, True], repeat=len(chans)):
        up = {c for c, b in zip(chans, bits, strict=True) if b}
        if not within(g, up, src, dst, budget):
            continue
        weight = 1.0
        for c, b in zip(chans, bits, strict=True):
            weight *= (1 - p[c]) if b else p[c]
        rel += weight
        for c, b in zip(chans, bits, strict=True):
            other = weight / ((1 - p[c]) if b else p[c]) if ((1 - p[c]) if b else p[c]) else 0.0
            (fixed_up if b else fixed_down)[c] += other
    # weights divided by zero probabilities were skipped: recompute those channels directly
    for c in chans:
        if p[c] in (0.0, 1.0):
            fixed_up[c] = _conditional(g, src, dst, budget, p, c, True)
            fixed_down[c] = _conditional(g, src, dst, budget, p, c, False)
    return rel, {c: fixed_up[c] - fixed_down[c] for c in chans}


def _conditional(g, src, dst, budget, p, channel, state) -> float:
    others = [c for c in g.channels if c != channel]
    total = 0.0
    for bits in itertools.product([False, True], repeat=len(others)):
        up = {c for c, b in zip(others, bits, strict=True) if b}
        if state:
            up.add(channel)
        if within(g, up, src, dst, budget):
            w = 1.0
            for c, b in zip(others, bits, strict=True):
                w *= (1 - p[c]) if b else p[c]
            total += w
    return total


@SETTINGS
@given(graphs())
def test_exact_equals_brute_force(world):
    g, src, dst, budget, p = world
    est = estimate(g, src, dst, budget, p, method="exact")
    want, importance = brute(g, src, dst, budget, p)
    assert est.reliability == pytest.approx(want, abs=1e-9), (g.links, src, dst, budget, p)
    got = {c: imp for c, _, imp in est.channels}
    for c, imp in got.items():
        assert imp == pytest.approx(importance[c], abs=1e-9), c
    # a channel left out of the answer cannot matter
    for c in set(g.channels) - set(got):
        if 0.0 < p[c] < 1.0:
            assert importance[c] == pytest.approx(0.0, abs=1e-9), c
    assert [imp for *_, imp in est.channels] == sorted(
        (imp for *_, imp in est.channels), reverse=True
    )


def _mc_worlds():
    """A fixed set of worlds with many uncertain channels, exact answers known."""
    import random

    out = []
    for seed in range(8):
        rng = random.Random(seed)
        n = 8
        offices = [f"O{i}" for i in range(n)]
        links = [Link(f"O{i}", f"O{i + 1}", 3600, "reports_to") for i in range(0, n - 1, 3)]
        chans, p = [], {}
        for c in range(14):
            u, v = rng.sample(offices, 2)
            cid = f"c{c}"
            links.append(Link(u, v, rng.choice([900, 1800, 3600]), cid, cid))
            chans.append(cid)
            p[cid] = rng.choice([0.3, 0.5, 0.6])
        out.append((CommGraph(0, offices, links, chans), ["O0"], [f"O{n - 1}"], 7200, p))
    return out


def test_monte_carlo_interval_covers_the_exact_answer():
    trials = hits = 0
    for g, src, dst, budget, p in _mc_worlds():
        exact = estimate(g, src, dst, budget, p, method="exact").reliability
        for seed in range(100):
            mc = estimate(
                g,
                src,
                dst,
                budget,
                p,
                method="monte_carlo",
                samples=1000,
                seed=seed,
                importance=False,
            )
            lo, hi = mc.ci
            trials += 1
            hits += lo <= exact <= hi
    assert trials == 800
    assert hits / trials >= 0.94, f"{hits}/{trials}"


def test_same_seed_same_answer():
    g, src, dst, budget, p = _mc_worlds()[0]
    a = estimate(g, src, dst, budget, p, method="monte_carlo", samples=3000, seed=7)
    b = estimate(g, src, dst, budget, p, method="monte_carlo", samples=3000, seed=7)
    c = estimate(g, src, dst, budget, p, method="monte_carlo", samples=3000, seed=8)
    assert a == b
    assert (a.reliability, a.channels) != (c.reliability, c.channels)


def _bridge_world() -> tuple[CommGraph, list[str], list[str], int, dict[str, float]]:
    """A → X over one bridge channel, then X → B over three parallel channels, and a slow
    detour that misses the budget."""
    links = [Link("A", "X", 900, "bridge", "bridge")]
    for i in range(3):
        links.append(Link("X", "B", 900, f"par{i}", f"par{i}"))
    links.append(Link("A", "B", 86400, "slow", "slow"))
    p = {"bridge": 0.05, "par0": 0.5, "par1": 0.5, "par2": 0.5, "slow": 0.5}
    return CommGraph(0, ["A", "X", "B"], links, list(p)), ["A"], ["B"], 3600, p


@pytest.mark.parametrize("method", ["exact", "monte_carlo"])
def test_importance_ranks_the_bridge_first(method):
    g, src, dst, budget, p = _bridge_world()
    est = estimate(g, src, dst, budget, p, method=method, samples=20_000, seed=1)
    assert est.channels[0][0] == "bridge"
    assert "slow" not in [c for c, *_ in est.channels]  # pruned: never within budget
    want = (1 - 0.05) * (1 - 0.5**3)
    assert est.reliability == pytest.approx(want, abs=1e-12 if method == "exact" else 0.01)


def test_more_than_the_limit_goes_to_monte_carlo():
    links = [Link("A", "B", 60, f"c{i}", f"c{i}") for i in range(EXACT_LIMIT + 1)]
    p = {f"c{i}": 0.9 for i in range(EXACT_LIMIT + 1)}
    g = CommGraph(0, ["A", "B"], links, list(p))
    est = estimate(g, ["A"], ["B"], 3600, p, samples=2000, seed=0)
    assert est.method == "monte_carlo"
    assert est.samples == 2000 and est.ci is not None
    exact = 1 - 0.9 ** (EXACT_LIMIT + 1)
    assert est.ci[0] <= exact <= est.ci[1]
    with pytest.raises(BackchannelError, match="at most 20"):
        estimate(g, ["A"], ["B"], 3600, p, method="exact")


@pytest.mark.parametrize("seed", range(6))
def test_scenario_answers_match_brute_force_on_generated_worlds(seed):
    """The whole chain on small generated worlds: the graph at D, learned rates, the
    formula for p, the watched pairs' budgets."""
    from backchannel.graph.comm import build_graph
    from backchannel.testing.generate import generate

    sc = backchannel.Scenario(generate(actors=4, channels=7, events=40, watch=3, seed=seed))
    day = max(e.date.ordinal for e in sc.doc.events)
    g = build_graph(sc, day)
    table = learn_rates(sc, day)
    p = {c: 1 - math.exp(-table.rate(sc, c) * 1.0) for c in g.channels}  # one year
    for w in sc.doc.watch:
        a, b = w.between
        r = reliability(sc, a, b, day)
        assert r.method == "exact"
        want, _ = brute(g, sc.offices_of(a, day), sc.offices_of(b, day), w.budget, p)
        assert r.reliability == pytest.approx(want, abs=1e-9)


# -- rates from a hand-made record -------------------------------------------------------
RECORD = """
scenario: rates-test
title: A record to count failures by hand
actors:
  - id: AAA
    kind: state
    name: A
    offices:
      - {id: AAA.HOS, name: President, rank: head_of_state}
      - {id: AAA.CHIEF, name: Chief, rank: military_chief, reports_to: AAA.HOS}
  - id: BBB
    kind: state
    name: B
    offices:
      - {id: BBB.HOS, name: President, rank: head_of_state}
      - {id: BBB.CHIEF, name: Chief, rank: military_chief, reports_to: BBB.HOS}
channels:
  - {id: line-1, kind: hotline, ends: [AAA.CHIEF, BBB.CHIEF], latency: 15m}
  - {id: line-2, kind: hotline, ends: [AAA.CHIEF, BBB.CHIEF], latency: 30m}
  - {id: emb, kind: embassy, ends: [AAA.HOS, BBB.HOS], latency: 12h}
watch:
  - {between: [AAA.CHIEF, BBB.CHIEF], budget: 1h}
events:
  - {date: 2000-01-01, do: open, channel: line-1}
  - {date: 2001-01-01, do: suspend, channel: line-1}
  - {date: 2001-07-01, do: restore, channel: line-1}
  - {date: 2002-02-01, do: restrict, channel: line-1}
  - {date: 2003-01-01, do: close, channel: line-1}
  - {date: 2004-01-01, do: open, channel: line-1}
  - {date: 2002-03-15, do: open, channel: line-2}
  - {date: 2004-05-05, do: suspend, channel: line-2}
  - {date: 2004-05-05, do: restore, channel: line-2}
  - {date: 2005-03-01, do: close, channel: line-2}
  - {date: 1999-06-01, do: open, channel: emb}
"""


def _record() -> backchannel.Scenario:
    return backchannel.Scenario(parse_doc(RECORD, "rates-test.yaml"))


def test_rates_from_a_hand_made_record():
    sc = _record()
    day = dt.date(2005, 1, 1).toordinal()
    d = dt.date.toordinal
    t = learn_rates(sc, day)
    hot = t.kinds["hotline"]
    # line-1: suspend and close; line-2: the same-day suspend (its close is after D)
    assert hot.failures == 3
    exposure = (
        (d(dt.date(2001, 1, 1)) - d(dt.date(2000, 1, 1)))
        + (d(dt.date(2003, 1, 1)) - d(dt.date(2001, 7, 1)))
        + (day - d(dt.date(2004, 1, 1)))
        + (d(dt.date(2004, 5, 5)) - d(dt.date(2002, 3, 15)))
        + (day - d(dt.date(2004, 5, 5)))
    )
    assert hot.exposure_days == exposure
    assert hot.exposure_years == exposure / 365.25
    assert hot.rate_per_year == (3 + 0.5) / (exposure / 365.25 + 1)
    emb = t.kinds["embassy"]
    assert (emb.failures, emb.exposure_days) == (0, day - d(dt.date(1999, 6, 1)))
    assert emb.rate_per_year == 0.5 / ((day - d(dt.date(1999, 6, 1))) / 365.25 + 1)
    # and the probability used for a channel open at D
    r = reliability(sc, "AAA.CHIEF", "BBB.CHIEF", day, horizon_s=26 * 7 * 86400)
    p = 1 - math.exp(-hot.rate_per_year * (26 * 7 / 365.25))
    assert {c.id: c.p_fail for c in r.channels} == {
        "line-1": pytest.approx(p, rel=1e-15),
        "line-2": pytest.approx(p, rel=1e-15),
    }
    assert r.reliability == pytest.approx(1 - p * p, abs=1e-12)


def test_rates_overrides(tmp_path):
    sc = _record()
    day = dt.date(2005, 1, 1).toordinal()
    f = tmp_path / "rates.csv"
    f.write_text("kind,rate_per_year\n# a comment\nhotline,0.5\nline-2,0\n")
    from backchannel.judge.rates import read_rates

    over = read_rates(sc, f)
    r = reliability(sc, "AAA.CHIEF", "BBB.CHIEF", day, rates=over)
    rows = {(x.get("kind") or x.get("channel")): x for x in r.as_dict()["rates"]}
    assert rows["hotline"]["source"] == "override" and rows["hotline"]["rate_per_year"] == 0.5
    assert rows["line-2"]["source"] == "override" and rows["line-2"]["rate_per_year"] == 0
    assert rows["embassy"]["source"] == "record"
    # line-2 never fails: the pair is certain to keep contact
    assert r.reliability == 1.0
    assert [c.id for c in r.channels] == ["line-1"]


# -- the command line ----------------------------------------------------------------------
KEYS = {"at", "horizon_s", "budget_s", "reliability", "method", "ci", "samples", "channels"}


def test_cli_json_shape(run_cli):
    res = run_cli("reliability", "RUS.CGS", "NATO.SACEUR", "--at", "2021-11-02", "--json")
    assert res.code == 0, res.err
    d = json.loads(res.out)
    assert set(d) >= KEYS
    assert d["method"] == "exact" and d["ci"] is None and d["samples"] is None
    assert d["budget_s"] == 3600 and d["horizon_s"] == 31_557_600
    assert d["channels"][0]["id"] == "saceur-cgs-line"
    assert set(d["channels"][0]) == {"id", "kind", "p_fail", "importance"}
    for row in d["rates"]:
        assert {"failures", "exposure_years", "rate_per_year", "source"} <= set(row)
        assert ("kind" in row) != ("channel" in row)


def test_cli_text_and_monte_carlo(run_cli, tmp_path):
    world = tmp_path / "world.yaml"
    gen = ["--actors", "12", "--channels", "80", "--events", "300", "--seed", "7"]
    assert run_cli("generate", *gen, "--out", world).code == 0
    pair = ["S000", "S005", "--budget", "2d", "-s", world]
    res = run_cli("reliability", *pair)
    assert res.code == 0, res.err
    assert "reliability:" in res.out and "Monte Carlo" in res.out and "95% interval" in res.out
    out = tmp_path / "rates.csv"
    mc = ["--samples", "500", "--seed", "3", "--json"]
    res = run_cli("reliability", *pair, *mc, "--rates-out", out)
    d = json.loads(res.out)
    assert d["method"] == "monte_carlo" and d["samples"] == 500 and d["seed"] == 3
    assert d["ci"][0] <= d["reliability"] <= d["ci"][1]
    assert len(d["channels"]) > EXACT_LIMIT
    # the rates written read back as overrides and give the same answer
    again = json.loads(run_cli("reliability", *pair, *mc, "--rates", out).out)
    assert again["reliability"] == d["reliability"]
    assert {r["source"] for r in again["rates"]} == {"override"}


def test_cli_live_counts_dormant_channels_as_failed(run_cli):
    res = run_cli("reliability", "RUS.CGS", "NATO.SACEUR", "--live", "--json")
    d = json.loads(res.out)
    assert d["live"] is True
    assert {"id": "saceur-cgs-line", "why": "dormant"} in d["left_out"]
    assert "saceur-cgs-line" not in [c["id"] for c in d["channels"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["XX", "NATO"], "unknown actor, office or side 'XX'"),
        (["RUS", "NATO", "--horizon", "3q"], "--horizon: malformed duration"),
        (["RUS", "NATO", "--budget", "soon"], "--budget: malformed duration"),
        (["RUS", "NATO", "--at", "2021-02-30"], "--at:"),
    ],
)
def test_cli_bad_input(run_cli, args, message):
    res = run_cli("reliability", *args)
    assert res.code == 1
    assert message in res.err
    assert len(res.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("hotline,fast\n", 1, "is not a number"),
        ("kind,rate_per_year\nhotline,-1\n", 2, "must be a finite number ≥ 0"),
        ("hotline,0.1\nnot-a-channel,0.2\n", 2, "neither a channel kind"),
        ("hotline\n", 1, "expected 'kind or channel id,rate_per_year'"),
        ("hotline,0.1\nhotline,0.2\n", 2, "given twice"),
    ],
)
def test_cli_bad_rates_file(run_cli, tmp_path, text, line, reason):
    f = tmp_path / "bad.csv"
    f.write_text(text)
    res = run_cli("reliability", "RUS", "NATO", "--rates", f)
    assert res.code == 1
    err = " ".join(res.err.split())
    assert f"{f}, line {line}: " in err and reason in err
    assert len(res.err.strip().splitlines()) == 1


def test_cli_missing_rates_file(run_cli, tmp_path):
    res = run_cli("reliability", "RUS", "NATO", "--rates", tmp_path / "none.csv")
    assert res.code == 1 and "cannot read" in res.err


@pytest.mark.parametrize(
    "module",
    [
        "backchannel.judge.rates",
        "backchannel.graph.reach",
        "backchannel.judge.reliability",
        "backchannel.core.dates",
    ],
)
def test_doctests(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
