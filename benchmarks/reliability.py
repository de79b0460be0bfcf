"""Benchmark: Monte Carlo reliability of contact on a generated world.

Default world: 250 actors, 20,000 channels, 100,000 events, 50 watched pairs (built in
memory), asked at the day of its last event, horizon one year, each pair's own budget.

* **backchannel**: ``estimate(..., method="monte_carlo")`` per pair — pruning to the links
  that can lie on a path within budget, screening routes, and the relaxation of many
  states at once (``backchannel.judge.reliability``). Timed end to end (pruning
  included), without and with Birnbaum importance.
* **baseline**: per sample, draw every usable channel's state, rebuild an igraph graph of
  the links that survive (with a super source and sink) and run Dijkstra. Run on a few
  samples per pair and compared state by state with backchannel's answer for the same
  states.
* **one pair, 100,000 samples**: the pair with the most uncertain channels.

Run: ``python -m benchmarks.reliability`` (``--quick`` for a small world).
"""

from __future__ import annotations

import argparse
import gc
import platform
import time

import igraph as ig
import numpy as np

import backchannel
from backchannel.core.dates import iso
from backchannel.graph.comm import build_graph
from backchannel.graph.reach import prune
from backchannel.judge.rates import learn_rates, p_fail
from backchannel.judge.reliability import estimate
from backchannel.testing.generate import generate

YEAR_S = 31_557_600


def baseline_sample(g, src, dst, budget, down: set[str]) -> bool:
    """The plain way: rebuild the graph without the failed channels, run Dijkstra (timed
    with garbage collection off, as backchannel's own graph building is, so that neither
    pays for walking the big scenario in memory)."""
    n = len(g.offices)
    s, t = n, n + 1
    edges, w = [], []
    for lk in g.links:
        if lk.channel is not None and lk.channel in down:
            continue
        edges.append((g.index[lk.u], g.index[lk.v]))
        w.append(lk.latency)
    edges += [(s, g.index[o]) for o in src] + [(g.index[o], t) for o in dst]
    w += [0] * (len(src) + len(dst))
    net = ig.Graph(n=n + 2, edges=edges, directed=False)
    return net.distances(s, t, weights=w)[0][0] <= budget


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the figures and ratios."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a small world (fast run)")
    ap.add_argument("--samples", type=int, default=10_000, help="Monte Carlo samples per pair")
    ap.add_argument("--baseline", type=int, default=5, help="baseline samples per pair")
    ap.add_argument("--big", type=int, default=100_000, help="samples for the one-pair run")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if args.quick:
        size = {"actors": 60, "channels": 2000, "events": 10_000, "watch": 20}
    else:
        size = {"actors": 250, "channels": 20_000, "events": 100_000, "watch": 50}
    print(
        f"machine: {platform.machine()}, Python {platform.python_version()}, "
        f"2 cores shared; world {size}, seed {args.seed}"
    )
    t = time.perf_counter()
    sc = backchannel.Scenario(generate(seed=args.seed, **size))
    day = max(e.date.ordinal for e in sc.doc.events)
    g = build_graph(sc, day)
    table = learn_rates(sc, day)
    p = {c: p_fail(table.rate(sc, c), YEAR_S) for c in g.channels}
    print(
        f"generate + index + graph + rates: {time.perf_counter() - t:.1f}s; "
        f"{len(g.channels)} usable channels, {len(g.links)} links at {iso(day)}"
    )
    pairs = [
        (
            w.between[0],
            w.between[1],
            w.budget,
            sc.offices_of(w.between[0], day),
            sc.offices_of(w.between[1], day),
        )
        for w in sc.doc.watch
    ]

    # -- backchannel: Monte Carlo for every pair ---------------------------------------------
    fast = {"plain": 0.0, "importance": 0.0}
    sizes = []
    for label, imp in (("plain", False), ("importance", True)):
        for _a, _b, budget, src, dst in pairs:
            t = time.perf_counter()
            est = estimate(
                g,
                src,
                dst,
                budget,
                p,
                method="monte_carlo",
                samples=args.samples,
                seed=args.seed,
                importance=imp,
            )
            fast[label] += time.perf_counter() - t
            if not imp:
                sizes.append(len(est.channels))
    total = args.samples * len(pairs)
    rate = {k: total / v for k, v in fast.items()}
    print(
        f"backchannel: {len(pairs)} pairs x {args.samples:,} samples in {fast['plain']:.1f}s "
        f"= {rate['plain']:,.0f} samples/s (with importance: {fast['importance']:.1f}s, "
        f"{rate['importance']:,.0f} samples/s); uncertain channels per pair: "
        f"min {min(sizes)}, median {int(np.median(sizes))}, max {max(sizes)}"
    )

    # -- baseline: rebuild and Dijkstra per sample, same states checked -------------------------
    rng = np.random.default_rng(args.seed)
    chans = list(g.channels)
    pv = np.array([p[c] for c in chans])
    base_s = 0.0
    n_base = 0
    same = True
    for a, b, budget, src, dst in pairs:
        pr = prune(g, src, dst, budget, p)
        col = {c: i for i, c in enumerate(pr.channels)}
        for _ in range(args.baseline):
            failed = rng.random(len(chans)) < pv
            down = {c for c, f in zip(chans, failed, strict=True) if f}
            gc.disable()
            t = time.perf_counter()
            want = baseline_sample(g, src, dst, budget, down)
            base_s += time.perf_counter() - t
            gc.enable()
            n_base += 1
            up = np.ones((1, pr.k), dtype=bool)
            for c in down:
                if c in col:
                    up[0, col[c]] = False
            if bool(pr.reach(up)[0]) != want:
                same = False
                print(f"  MISMATCH for {a} ↔ {b}")
    base_rate = n_base / base_s
    print(
        f"baseline (rebuild igraph + Dijkstra per sample): {n_base} samples in {base_s:.1f}s "
        f"= {base_rate:,.1f} samples/s; same answer on every sampled state: {same}"
    )
    print(
        f"speed-up: {rate['plain'] / base_rate:,.0f}x "
        f"(with importance: {rate['importance'] / base_rate:,.0f}x)"
    )

    # -- one pair, many samples ----------------------------------------------------------------
    biggest = max(pairs, key=lambda x: len(prune(g, x[3], x[4], x[2], p).channels))
    a, b, budget, src, dst = biggest
    for imp in (False, True):
        t = time.perf_counter()
        est = estimate(
            g,
            src,
            dst,
            budget,
            p,
            method="monte_carlo",
            samples=args.big,
            seed=args.seed,
            importance=imp,
        )
        took = time.perf_counter() - t
        print(
            f"one pair {a} ↔ {b} (budget {budget}s, {len(est.channels)} uncertain channels): "
            f"{args.big:,} samples in {took:.2f}s{' with importance' if imp else ''}; "
            f"reliability {est.reliability:.5f}, 95% CI [{est.ci[0]:.5f}, {est.ci[1]:.5f}]"
        )

    # -- a hard case: every channel fails with p = 0.5, so screening settles few states -----
    half = dict.fromkeys(p, 0.5)
    for a, b, budget, src, dst in (biggest, pairs[0]):
        pr = prune(g, src, dst, budget, half)
        t = time.perf_counter()
        est = estimate(
            g,
            src,
            dst,
            budget,
            half,
            method="monte_carlo",
            samples=args.samples,
            seed=args.seed,
            importance=False,
        )
        took = time.perf_counter() - t
        rng = np.random.default_rng(args.seed)
        up = rng.random((2000, pr.k)) >= 0.5
        screened = np.zeros(2000, dtype=bool)
        for cols in pr.screen():
            screened |= up[:, cols].all(axis=1)
        print(
            f"hard case, p = 0.5 for every channel, {a} ↔ {b} ({pr.k} uncertain channels, "
            f"{pr.n} offices, {pr.u.size} links): {args.samples:,} samples in {took:.2f}s "
            f"= {args.samples / took:,.0f} samples/s; {1 - screened.mean():.0%} of states "
            f"need the relaxation; reliability {est.reliability:.4f}"
        )
        t = time.perf_counter()
        alone = np.concatenate([pr._reach(up[i : i + 256]) for i in range(0, 2000, 256)])
        took = time.perf_counter() - t
        assert alone[screened].all()  # a state a route settles is reached by relaxation too
        print(
            f"  the relaxation alone (no screening) on 2,000 of those states: {took:.2f}s "
            f"= {2000 / took:,.0f} samples/s"
        )


if __name__ == "__main__":
    main()
