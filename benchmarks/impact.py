"""Benchmark: the full impact timeline and as-of channel queries on a generated world.

Default world: 250 actors, 20,000 channels, 100,000 events, 50 watched pairs (built in
memory; a 100k-event YAML file would mostly measure the YAML parser).

* **impact**: every event, every watched pair, time to contact, the minimum cut, the
  length-bounded fast cut, level and direct staff (format v1.1), with the incremental
  engine (``backchannel.judge.impact.figure_timeline``). Baseline: the graph rebuilt after
  each event; NetworkX ``multi_source_dijkstra`` and ``minimum_cut`` (hyper-edge gadget)
  for time to contact and the minimum cut, and the fast cut and level computed from
  scratch on the rebuilt graph (``graph.fastcut``, ``graph.level``: NetworkX has no
  length-bounded cut) for every pair — run on a sample of events spread over the record
  and scaled to the whole; answers compared on the sample.
* **channels**: 10,000 as-of ``channels A B --at D`` queries at random dates with the
  timeline index. Baseline: replaying the event log up to D for each query (sampled and
  scaled); answers compared on the sample.

Run: ``python -m benchmarks.impact`` (``--quick`` for a small world).
"""

from __future__ import annotations

import argparse
import platform
import random
import time
from typing import Any

import networkx as nx

import backchannel
from backchannel.core.lifecycle import ChannelState, apply
from backchannel.core.model import CHANNEL_EVENTS
from backchannel.graph.comm import graph_from_state
from backchannel.graph.fastcut import fast_cut
from backchannel.graph.level import pair_level
from backchannel.judge.impact import StaffIndex, figure_timeline, watch_pairs
from backchannel.record.replay import Replay
from backchannel.testing.generate import generate

INF = float("inf")


def nx_figures(sc: backchannel.Scenario, rep: Replay, pairs: list[Any]) -> list[tuple]:
    """The baseline: rebuild the graphs from the replay state, then ask NetworkX (time to
    contact, minimum cut) and compute the fast cut, level and staff from scratch."""
    g = graph_from_state(sc, rep.day, rep.usable, rep.members, level=rep.level)
    staff = StaffIndex(sc, pairs).staff(rep)
    simple = nx.Graph()
    simple.add_nodes_from(g.offices)
    for lk in g.links:
        if not simple.has_edge(lk.u, lk.v) or simple[lk.u][lk.v]["w"] > lk.latency:
            simple.add_edge(lk.u, lk.v, w=lk.latency)
    out = []
    for p in pairs:
        try:
            lat, _ = nx.multi_source_dijkstra(simple, set(p.sources), target=None, weight="w")
            best = min((lat[t] for t in p.targets if t in lat), default=None)
        except nx.NetworkXNoPath:
            best = None
        cut = _nx_min_cut(g, p.sources, p.targets, None)
        fast = fast_cut(g, p.sources, p.targets, p.budget).min_cut
        level = pair_level(g, p.sources, p.targets, p.budget)
        out.append((None if best is None else int(best), cut, fast, level, staff[len(out)]))
    return out


def _nx_min_cut(g: Any, src: frozenset[str], dst: frozenset[str], maxlat: int | None):
    if src & dst:
        return None
    net = nx.DiGraph()
    fixed = nx.Graph()
    fixed.add_nodes_from(g.offices)
    ends: dict[str, set[str]] = {}
    for lk in g.links:
        if lk.channel is None:
            fixed.add_edge(lk.u, lk.v)
            net.add_edge(lk.u, lk.v)  # no capacity: infinite
            net.add_edge(lk.v, lk.u)
        elif maxlat is None or lk.latency <= maxlat:
            ends.setdefault(lk.channel, set()).update((lk.u, lk.v))
    comp = {n: i for i, c in enumerate(nx.connected_components(fixed)) for n in c}
    if {comp[o] for o in src} & {comp[o] for o in dst}:
        return None
    for c, es in ends.items():
        net.add_edge(("in", c), ("out", c), capacity=1)
        for o in es:
            net.add_edge(o, ("in", c))
            net.add_edge(("out", c), o)
    for o in src:
        net.add_edge("__S", o)
    for o in dst:
        net.add_edge(o, "__T")
    if "__S" not in net or "__T" not in net:
        return 0
    value, _ = nx.minimum_cut(net, "__S", "__T")
    return int(value)


def replay_channels(sc: backchannel.Scenario, a: str, b: str, day: int) -> list[tuple]:
    """Baseline for `channels`: replay the log up to ``day`` for the channels between."""
    ea, eb = sc.offices_of(a, day), sc.offices_of(b, day)
    cand = [
        c
        for c in sc.doc.channels
        if any(x in ea and y in eb and x != y for x in c.ends for y in c.ends)
    ]
    want = {c.id for c in cand}
    states: dict[str, ChannelState] = {}
    for e in sorted(sc.doc.events, key=lambda e: e.key):
        if e.date.ordinal > day:
            break
        if e.channel in want and e.do in CHANNEL_EVENTS:
            states[e.channel] = apply(states.get(e.channel, ChannelState()), e)
    return [
        (c.id, states[c.id].status.value)
        for c in cand
        if c.id in states and states[c.id].status is not None
    ]


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the figures and ratios."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a small world (fast run)")
    ap.add_argument("--sample", type=int, default=None, help="baseline events to sample")
    ap.add_argument("--queries", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--limit",
        type=int,
        default=None,
        help="judge only the first N events of the world (a partial run)",
    )
    args = ap.parse_args(argv)
    if args.quick:
        size = {"actors": 60, "channels": 2000, "events": 10_000, "watch": 20}
        sample = args.sample or 10
    else:
        size = {"actors": 250, "channels": 20_000, "events": 100_000, "watch": 50}
        sample = args.sample or 6
    print(
        f"machine: {platform.machine()}, Python {platform.python_version()}, "
        f"2 cores shared; world {size}, seed {args.seed}"
    )

    t = time.perf_counter()
    doc = generate(seed=args.seed, **size)
    sc = backchannel.Scenario(doc)
    print(f"generate + index: {time.perf_counter() - t:.1f}s")
    pairs = watch_pairs(sc)

    # -- impact, incremental ----------------------------------------------------------------
    events = sorted(doc.events, key=lambda e: e.key)
    if args.limit:
        events = events[: args.limit]
    n = len(events)
    rng = random.Random(args.seed)
    picks = sorted(rng.sample(range(n // 10, n), min(sample, n)))  # past the empty start
    want: dict[int, list[tuple]] = {}
    t = time.perf_counter()
    for i, (_, _, after, _) in enumerate(figure_timeline(sc, pairs=pairs, events=events)):
        if i in picks:
            want[i] = after
    fast_s = time.perf_counter() - t
    print(
        f"impact, incremental: {n} events x {len(pairs)} pairs in {fast_s:.1f}s "
        f"({fast_s / n * 1e3:.3f} ms/event)"
    )

    # -- impact, NetworkX baseline on the sampled events -----------------------------------
    rep = Replay(sc)
    base_s = 0.0
    same = True
    j = 0
    for i, e in enumerate(events):
        rep.apply(e)
        if j >= len(picks):
            break
        if i == picks[j]:
            t = time.perf_counter()
            got = nx_figures(sc, rep, pairs)
            base_s += time.perf_counter() - t
            if got != want[i]:
                same = False
                bad = [
                    (p.a, p.b, x, y) for p, x, y in zip(pairs, got, want[i], strict=True) if x != y
                ]
                print(f"  MISMATCH at event {i} ({e.id}): {bad[:3]}")
            j += 1
    per = base_s / len(picks)
    scaled = per * n
    print(
        f"impact, NetworkX rebuild: {per:.2f}s/event on {len(picks)} sampled events "
        f"-> {scaled:,.0f}s scaled to {n} events; answers identical: {same}"
    )
    print(f"impact speed-up: {scaled / fast_s:,.0f}x")

    # -- as-of channels queries --------------------------------------------------------------
    states = [a.id for a in doc.actors]
    first = events[0].date.ordinal
    last = events[-1].date.ordinal
    qs = [
        (rng.choice(states), rng.choice(states), rng.randint(first, last))
        for _ in range(args.queries)
    ]
    t = time.perf_counter()
    answers = [sc.channels_between(a, b, d) for a, b, d in qs]
    idx_s = time.perf_counter() - t
    print(
        f"channels, timeline index: {len(qs)} queries in {idx_s:.2f}s "
        f"({idx_s / len(qs) * 1e3:.3f} ms/query)"
    )
    k = min(len(qs), 200 if not args.quick else 500)
    t = time.perf_counter()
    ok = True
    for (a, b, d), ans in zip(qs[:k], answers[:k], strict=True):
        if replay_channels(sc, a, b, d) != [(r["id"], r["status"]) for r in ans]:
            ok = False
    rep_s = (time.perf_counter() - t) / k * len(qs)
    print(
        f"channels, replaying the log: {rep_s:.1f}s scaled from {k} queries; "
        f"answers identical: {ok}"
    )
    print(f"channels speed-up: {rep_s / idx_s:,.0f}x")


if __name__ == "__main__":
    main()
