"""Benchmark: the full impact timeline and as-of channel queries on a generated world.

Default world: 250 actors, 20,000 channels, 100,000 events, 50 watched pairs (built in
memory; a 100k-event YAML file would mostly measure the YAML parser).

* **impact**: every event, every watched pair, time to contact, the minimum cut, the
  length-bounded fast cut, level and direct staff (format v1.1), with the incremental
  engine (``backchannel.judge.impact.figure_timeline``). Two baselines, each rebuilding
  the graph from the replay state after an event, run on a sample of events spread over
  the measured range, scaled to all of its events and compared answer for answer:

  - **igraph** (:func:`igraph_figures`, the strong one): one igraph office graph and
    one igraph flow graph per event shared by every pair; per pair one row of a single
    multi-source ``distances`` call (time to contact) and ``maxflow_value`` with only the
    super-source and sink capacities set (the minimum cut); the fast cut and level from
    scratch (``graph.fastcut``, ``graph.level``: igraph has no length-bounded cut) on the
    subgraph of the offices within the pair's budget;
  - **NetworkX** (:func:`nx_figures`): ``multi_source_dijkstra`` and ``minimum_cut``
    (hyper-edge gadget) per pair on graphs rebuilt per pair, the fast cut and level on
    the whole graph (slow: sampled on fewer events, ``--nx-sample``).

* **channels**: 10,000 as-of ``channels A B --at D`` queries at random dates with the
  timeline index. Baseline: replaying the event log up to D for each query (sampled and
  scaled); answers compared on the sample.

Exits nonzero when any answer differs. Run: ``python -m benchmarks.impact`` (``--quick``
for a small world, ``--limit N`` for the first N events). Profile the engine alone with
``python -m benchmarks.profile_impact``.
"""

from __future__ import annotations

import argparse
import platform
import random
import time
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np

import backchannel
from backchannel.core.lifecycle import ChannelState, apply
from backchannel.core.model import CHANNEL_EVENTS
from backchannel.graph.comm import CommGraph, graph_from_state
from backchannel.graph.fastcut import InexactCut, fast_cut, figure
from backchannel.graph.flow import merge_offices
from backchannel.graph.level import pair_level
from backchannel.judge.impact import StaffIndex, figure_timeline, watch_pairs
from backchannel.record.replay import Replay
from backchannel.testing.generate import generate

INF = float("inf")


def nx_figures(
    sc: backchannel.Scenario, rep: Replay, pairs: list[Any], staff: StaffIndex | None = None
) -> list[tuple]:
    """The NetworkX baseline: rebuild the graphs from the replay state, then ask NetworkX
    (time to contact, minimum cut) and compute the fast cut, level and staff from scratch
    (``staff``: the static per-pair channel list, built here when not given)."""
    g = graph_from_state(sc, rep.day, rep.usable, rep.members, level=rep.level)
    staffs = (staff or StaffIndex(sc, pairs)).staff(rep)
    simple = nx.Graph()
    simple.add_nodes_from(g.offices)
    for lk in g.links:
        if not simple.has_edge(lk.u, lk.v) or simple[lk.u][lk.v]["w"] > lk.latency:
            simple.add_edge(lk.u, lk.v, w=lk.latency)
    out: list[tuple] = []
    for p in pairs:
        try:
            lat, _ = nx.multi_source_dijkstra(simple, set(p.sources), target=None, weight="w")
            best = min((lat[t] for t in p.targets if t in lat), default=None)
        except nx.NetworkXNoPath:
            best = None
        cut = _nx_min_cut(g, p.sources, p.targets, None)
        fast = figure(fast_cut(g, p.sources, p.targets, p.budget))
        level = pair_level(g, p.sources, p.targets, p.budget)
        out.append((None if best is None else int(best), cut, fast, level, staffs[len(out)]))
    return out


def igraph_figures(
    sc: backchannel.Scenario,
    rep: Replay,
    pairs: list[Any],
    staff: StaffIndex | None = None,
    times: dict[str, float] | None = None,
) -> list[tuple]:
    """The strong baseline: the graphs rebuilt from the replay state after an event, in
    igraph (C), each built once and shared by every pair.

    * one directed office graph (each link both ways, weight = latency) with one *hub*
      vertex per distinct end set of the pairs (arcs hub → each of its offices, weight 0,
      nothing entering a hub, so no shortcut): one ``distances`` call gives every end
      set's multi-source distances to every office; time to contact reads them off;
    * one flow graph (the hyper-edge gadget over offices merged by uncuttable links,
      :func:`backchannel.graph.flow.merge_offices`; a channel of two blobs a pair of
      unit arcs, of more a unit ``c_in → c_out`` arc with infinite arcs from and to its
      ends) with a super source and sink and their arcs to every end blob present, at
      capacity 0: per pair only those arcs' capacities are set and ``maxflow_value``
      gives the minimum cut;
    * the fast cut and the level (igraph has no length-bounded cut) from scratch with
      :func:`~backchannel.graph.fastcut.fast_cut` and
      :func:`~backchannel.graph.level.pair_level`, but on the subgraph of the offices
      within the budget (``dA + dB ≤ budget`` from the igraph distances) and the links
      that can lie on a route within it, which holds every route they look at.

    ``staff`` is the static per-pair channel list (built once by the caller); ``times``,
    if given, collects the seconds spent on the v1 figures (rebuild, distances, flow) and
    the v1.1 ones (fast cut, level, staff).
    """
    t0 = time.perf_counter()
    g = graph_from_state(sc, rep.day, rep.usable, rep.members, level=rep.level)
    index = g.index
    n = len(g.offices)
    links = g.links
    # -- the office graph, hubs and all distances ------------------------------------------
    ends = list(dict.fromkeys([p.sources for p in pairs] + [p.targets for p in pairs]))
    hub = {s: n + i for i, s in enumerate(ends)}
    edges: list[tuple[int, int]] = []
    weights: list[int] = []
    for lk in links:
        u, v = index[lk.u], index[lk.v]
        edges += [(u, v), (v, u)]
        weights += [lk.latency, lk.latency]
    for s, h in hub.items():
        for o in s:
            if o in index:
                edges.append((h, index[o]))
                weights.append(0)
    og = ig.Graph(n=n + len(ends), edges=edges, directed=True)
    m = len(links)
    link_ends = (
        np.array([e[0] for e in edges[: 2 * m : 2]], dtype=np.int64),
        np.array([e[1] for e in edges[: 2 * m : 2]], dtype=np.int64),
        np.array(weights[: 2 * m : 2], dtype=np.float64),
    )
    dist = np.array(og.distances(source=list(hub.values()), weights=weights, mode="out"))
    row = {s: dist[h - n, :n] for s, h in hub.items()}
    # -- the flow graph, with terminal arcs at capacity 0 -----------------------------------
    merged = merge_offices(g)
    blob = merged.blob
    big = len(merged.channels) + 1
    fedges: list[tuple[int, int]] = []
    cap: list[int] = []
    nxt = n
    for bl in merged.channels.values():
        if len(bl) < 2:
            continue
        if len(bl) == 2:
            u, v = bl
            fedges += [(u, v), (v, u)]
            cap += [1, 1]
            continue
        cin, cout = nxt, nxt + 1
        nxt += 2
        fedges.append((cin, cout))
        cap.append(1)
        for b in bl:
            fedges += [(b, cin), (cout, b)]
            cap += [big, big]
    s_v, t_v = nxt, nxt + 1
    blobs = {s: {blob[index[o]] for o in s if o in index} for s in ends}
    terminal = sorted(set().union(*blobs.values()))
    arc_from_s = {b: len(fedges) + i for i, b in enumerate(terminal)}
    fedges += [(s_v, b) for b in terminal]
    arc_to_t = {b: len(fedges) + i for i, b in enumerate(terminal)}
    fedges += [(b, t_v) for b in terminal]
    cap += [0] * (2 * len(terminal))
    fg = ig.Graph(n=nxt + 2, edges=fedges, directed=True)
    t1 = time.perf_counter()
    v1 = t1 - t0
    staffs = (staff or StaffIndex(sc, pairs)).staff(rep)
    v11 = time.perf_counter() - t1
    out: list[tuple] = []
    for p, st in zip(pairs, staffs, strict=True):
        t1 = time.perf_counter()
        dA, dB = row[p.sources], row[p.targets]
        tgt = [index[o] for o in p.targets if o in index]
        best = min((dA[i] for i in tgt), default=INF)
        ba, bb = blobs[p.sources], blobs[p.targets]
        if not ba or not bb:
            cut: int | None = 0
        elif ba & bb:
            cut = None
        else:
            for x in ba:
                cap[arc_from_s[x]] = big
            for x in bb:
                cap[arc_to_t[x]] = big
            cut = round(fg.maxflow_value(s_v, t_v, capacity=cap))
            for x in ba:
                cap[arc_from_s[x]] = 0
            for x in bb:
                cap[arc_to_t[x]] = 0
        t2 = time.perf_counter()
        v1 += t2 - t1
        sub = _within(g, link_ends, dA, dB, p.budget)
        fast = figure(fast_cut(sub, p.sources, p.targets, p.budget))
        level = pair_level(sub, p.sources, p.targets, p.budget)
        v11 += time.perf_counter() - t2
        out.append((None if best == INF else int(best), cut, fast, level, st))
    if times is not None:
        times["v1"] = times.get("v1", 0.0) + v1
        times["v1.1"] = times.get("v1.1", 0.0) + v11
    return out


def _within(g: CommGraph, ends: Any, dA: Any, dB: Any, budget: int) -> CommGraph:
    """The subgraph of the offices (``dA + dB ≤ budget``) and links (``dA(u) + l + dB(v) ≤
    budget`` one way or the other) that can lie on a route within ``budget`` between the
    two ends; ``dA``, ``dB`` are the distances from each end, ``ends`` the links' end
    indices and latencies as arrays ``(u, v, l)``."""
    u, v, lat = ends
    on = np.minimum(dA[u] + lat + dB[v], dA[v] + lat + dB[u]) <= budget
    links = g.links
    keep = [links[i] for i in on.nonzero()[0]]
    offices = [g.offices[i] for i in (dA + dB <= budget).nonzero()[0]]
    used = {lk.channel for lk in keep if lk.channel is not None}
    return CommGraph(g.day, offices, keep, [c for c in g.channels if c in used], g.levels)


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
    out = []
    for c in cand:
        status = states[c.id].status if c.id in states else None
        if status is not None:
            out.append((c.id, status.value))
    return out


def spread(n: int, k: int, rng: random.Random) -> list[int]:
    """``k`` event indices spread over ``0 … n-1``: one at random in each of ``k`` equal
    stretches (fewer when ``n < k``).

    >>> spread(100, 4, random.Random(1))
    [4, 43, 74, 77]
    """
    k = min(k, n)
    return sorted({rng.randrange(i * n // k, (i + 1) * n // k) for i in range(k)})


def thin(picks: list[int], k: int) -> list[int]:
    """``k`` of the sorted ``picks``, spread over them (the middle of each stretch).

    >>> thin([4, 43, 74, 77], 2), thin([4, 43], 5)
    ([43, 77], [4, 43])
    """
    k = min(k, len(picks))
    return [picks[(2 * i + 1) * len(picks) // (2 * k)] for i in range(k)]


def run_engine(
    sc: backchannel.Scenario,
    pairs: list[Any],
    events: list[Any],
    keep: set[int],
    inexact: list[int] | None = None,
) -> tuple[float, dict[int, list[tuple]]]:
    """The incremental engine over ``events``: its seconds and the figures after the
    events at the indices ``keep``. ``inexact`` (if given) gets the number of pair
    figures whose fast cut the time limit stopped (``InexactCut``)."""
    want: dict[int, list[tuple]] = {}
    stopped = 0
    t = time.perf_counter()
    for i, (_, _, after, _) in enumerate(figure_timeline(sc, pairs=pairs, events=events)):
        if i in keep:
            want[i] = after
        if inexact is not None:
            stopped += sum(isinstance(f[2], InexactCut) for f in after)
    took = time.perf_counter() - t
    if inexact is not None:
        inexact.append(stopped)
    return took, want


def _bounds(x: Any) -> tuple[int, int] | None:
    """A fast cut's (lower, upper) bounds: an exact value is both."""
    if isinstance(x, InexactCut):
        return x.bounds
    return (x, x) if isinstance(x, int) else None


def _agree(x: Any, y: Any) -> bool:
    """Two figures agree: equal, or fast cuts of which one was stopped by the time limit
    (an :class:`InexactCut`) whose bounds leave room for the other (the least cut can be
    both)."""
    if not (isinstance(x, InexactCut) or isinstance(y, InexactCut)):
        return x == y
    bx, by = _bounds(x), _bounds(y)
    return bx is not None and by is not None and bx[0] <= by[1] and by[0] <= bx[1]


def _compare(
    name: str,
    i: int,
    e: Any,
    pairs: list[Any],
    got: list[tuple],
    want: list[tuple],
    loose: list[int] | None = None,
) -> bool:
    """Whether the baseline's figures (``got``) are the engine's (``want``): equal, or a
    fast cut stopped by the time limit on either side whose bounds hold the other's value
    (counted in ``loose``, printed); any other difference is printed as a mismatch."""
    bad, within = [], 0
    for p, x, y in zip(pairs, got, want, strict=True):
        if len(x) != len(y) or not all(_agree(u, v) for u, v in zip(x, y, strict=True)):
            bad.append((p.a, p.b, x, y))
        elif any(isinstance(v, InexactCut) for v in (*x, *y)):
            within += 1
    if within:
        print(
            f"  within bounds ({name}) at event {i} ({e.id}): {within} pair figures with a "
            f"fast cut stopped by the time limit on one side, the other side's value "
            f"within its bounds"
        )
        if loose is not None:
            loose.append(within)
    if not bad:
        return True
    print(f"  MISMATCH ({name}) at event {i} ({e.id}), (pair, baseline, engine): {bad[:3]}")
    return False


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures and ratios; 1 when any answer differs."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a small world (fast run)")
    ap.add_argument(
        "--sample",
        type=int,
        default=None,
        help="events for the igraph baseline, spread over the run (default 10, quick 20)",
    )
    ap.add_argument(
        "--nx-sample",
        type=int,
        default=None,
        help="of those, events for the NetworkX baseline (default 2; 0: skip it)",
    )
    ap.add_argument("--queries", type=int, default=10_000, help="as-of channels queries")
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
        sample = args.sample or 20
    else:
        size = {"actors": 250, "channels": 20_000, "events": 100_000, "watch": 50}
        sample = args.sample or 10
    nx_sample = 2 if args.nx_sample is None else args.nx_sample
    print(
        f"machine: {platform.machine()}, Python {platform.python_version()}, "
        f"igraph {ig.__version__}, NetworkX {nx.__version__}, 2 cores shared; "
        f"world {size}, seed {args.seed}"
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
    picks = spread(n, sample, rng)
    nx_picks = set(thin(picks, nx_sample))
    stopped: list[int] = []
    fast_s, want = run_engine(sc, pairs, events, set(picks), stopped)
    print(
        f"impact, incremental engine: {n} events x {len(pairs)} pairs in {fast_s:.1f}s "
        f"({fast_s / n * 1e3:.3f} ms/event); fast cuts stopped by the time limit: "
        f"{stopped[0]} of {n * len(pairs)} pair figures"
    )

    # -- impact, the rebuild baselines on the sampled events --------------------------------
    rep = Replay(sc)
    staff = StaffIndex(sc, pairs)  # static (each pair's channels): built once, not timed
    ig_s, nx_s = 0.0, 0.0
    split: dict[str, float] = {}
    same_ig = same_nx = True
    loose: list[int] = []
    todo = iter(picks)
    nxt = next(todo, None)
    for i, e in enumerate(events):
        if nxt is None:
            break
        rep.apply(e)
        if i != nxt:
            continue
        t = time.perf_counter()
        got = igraph_figures(sc, rep, pairs, staff, split)
        ig_s += time.perf_counter() - t
        same_ig &= _compare("igraph", i, e, pairs, got, want[i], loose)
        if i in nx_picks:
            t = time.perf_counter()
            got = nx_figures(sc, rep, pairs, staff)
            nx_s += time.perf_counter() - t
            same_nx &= _compare("NetworkX", i, e, pairs, got, want[i], loose)
        nxt = next(todo, None)
    where = f"events {picks[0]}…{picks[-1]} of {n}" if picks else "no events"
    ig_per = ig_s / max(len(picks), 1)
    ig_scaled = ig_per * n
    print(
        f"impact, igraph rebuild (shared graphs): {ig_per * 1e3:.1f} ms/event on "
        f"{len(picks)} sampled events ({where}) -> {ig_scaled:,.1f}s scaled to {n} events; "
        f"answers identical: {same_ig}"
        + (f" ({sum(loose)} pair figures within a stopped cut's bounds)" if loose else "")
    )
    if picks:
        v1, v11 = split.get("v1", 0.0), split.get("v1.1", 0.0)
        print(
            f"  igraph split per event: v1 figures (rebuild, distances, maximum flow) "
            f"{v1 / len(picks) * 1e3:.1f} ms, v1.1 figures (fast cut, level, staff) "
            f"{v11 / len(picks) * 1e3:.1f} ms"
        )
    print(f"impact speed-up vs igraph rebuild: {ig_scaled / fast_s:,.1f}x")
    if nx_picks:
        nx_per = nx_s / len(nx_picks)
        nx_scaled = nx_per * n
        print(
            f"impact, NetworkX rebuild: {nx_per:.2f}s/event on {len(nx_picks)} of the sampled "
            f"events -> {nx_scaled:,.0f}s scaled to {n} events; answers identical: {same_nx}"
        )
        print(f"impact speed-up vs NetworkX rebuild: {nx_scaled / fast_s:,.0f}x")

    # -- as-of channels queries --------------------------------------------------------------
    ok = True
    if args.queries > 0:
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
        for (a, b, d), ans in zip(qs[:k], answers[:k], strict=True):
            if replay_channels(sc, a, b, d) != [(r["id"], r["status"]) for r in ans]:
                ok = False
        rep_s = (time.perf_counter() - t) / k * len(qs)
        print(
            f"channels, replaying the log: {rep_s:.1f}s scaled from {k} queries; "
            f"answers identical: {ok}"
        )
        print(f"channels speed-up: {rep_s / idx_s:,.0f}x")
    return 0 if same_ig and same_nx and ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
