"""Benchmark: the incremental minimum cut of the impact engine (issue 15).

Replays the first events of a generated world (default: the big one of
``benchmarks/impact.py``, 250 actors, 20,000 channels, 100,000 events, 50 watched pairs;
``--quick``: 60 actors, 2,000 channels, 10,000 events, 20 pairs) and times, in the same
run, the main branch's ``IncrementalFlow`` (``benchmarks/flow_main.py``: a unit gadget per
channel, reach/coreach supersets, one augmenting-path search per relevant change) and the
new one (``backchannel.graph.incremental_flow``: one aggregated blob graph shared by the
pairs, a kept minimum cut, bidirectional searches). Two measurements:

* **flow**: only the minimum cuts. The channel and membership changes the impact timeline
  makes are recorded once (``Replay``, as ``figure_timeline`` does); then an engine with no
  pairs keeps the blobs and usable channels, and one flow per watched pair is fed every
  change; only the flows' calls are timed. Values are compared after every event.
* **timeline** (``--timeline``): ``figure_timeline`` for the same events, all figures,
  with the engine's flow class swapped for the baseline; answers compared.

Run: ``python -m benchmarks.flow [--quick] [--limit N] [--timeline]``.
"""

from __future__ import annotations

import argparse
import platform
import time
from functools import partial
from typing import Any

import backchannel
from backchannel.graph import incremental
from backchannel.graph import incremental_flow as new
from backchannel.judge.impact import figure_timeline, watch_pairs
from backchannel.record.replay import Replay
from backchannel.testing.generate import generate

from . import flow_main as old

INF = float("inf")
print = partial(print, flush=True)  # progress shows in a redirected log
Op = tuple[str, Any]


def changes(sc: backchannel.Scenario, events: list[Any]) -> list[list[Op]]:
    """Per event, the engine changes ``figure_timeline`` makes (members, lost, gained)."""
    rep = Replay(sc, events)
    out: list[list[Op]] = []
    for e in rep.events:
        ops: list[Op] = []
        for m, lost, gained in (rep.advance(e.key), rep.apply(e)):
            if m:
                ops.append(("m", set(rep.members)))
            ops += [("r", c) for c in sorted(lost)]
            ops += [("a", c) for c in sorted(gained)]
        out.append(ops)
    return out


def run_flows(
    sc: backchannel.Scenario, pairs: list[Any], log: list[list[Op]], cls: type
) -> tuple[float, list[tuple[int | None, ...]]]:
    """Feed every change to one ``cls`` flow per pair; (seconds in the flows, values)."""
    eng = incremental.Engine(sc, [])  # blobs and usable channels only

    def build() -> list[Any]:
        out = []
        for p in pairs:
            src = {eng.blob[eng.idx[o]] for o in p.sources if o in eng.idx}
            dst = {eng.blob[eng.idx[o]] for o in p.targets if o in eng.idx}
            out.append(cls(eng, src, dst, INF))
        return out

    spent = 0.0
    t = time.perf_counter()
    flows = build()
    spent += time.perf_counter() - t
    values = []
    for ops in log:
        for kind, x in ops:
            if kind == "m":
                eng.set_members(x)
                t = time.perf_counter()
                flows = build()
            elif kind == "a":
                if eng.cidx[x] in eng.usable:
                    continue
                eng.add(x)
                t = time.perf_counter()
                for fl in flows:
                    fl.add(eng.cidx[x])
            else:
                if eng.cidx[x] not in eng.usable:
                    continue
                eng.remove(x)
                t = time.perf_counter()
                for fl in flows:
                    fl.remove(eng.cidx[x])
            spent += time.perf_counter() - t
        values.append(tuple(None if f.uncuttable else f.value for f in flows))
    return spent, values


def run_timeline(
    sc: backchannel.Scenario, pairs: list[Any], events: list[Any], cls: type
) -> tuple[float, list[Any]]:
    """``figure_timeline`` with the engine using ``cls``; (seconds, the figures)."""
    keep = incremental.IncrementalFlow
    incremental.IncrementalFlow = cls  # type: ignore[misc]
    try:
        t = time.perf_counter()
        out = [after for _, _, after, _ in figure_timeline(sc, pairs=pairs, events=events)]
        return time.perf_counter() - t, out
    finally:
        incremental.IncrementalFlow = keep  # type: ignore[misc]


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print ms/event before and after, and the ratio."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the small world (whole record)")
    ap.add_argument("--limit", type=int, default=None, help="the first N events only")
    ap.add_argument("--timeline", action="store_true", help="also time figure_timeline")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if args.quick:
        size = {"actors": 60, "channels": 2000, "events": 10_000, "watch": 20}
    else:
        size = {"actors": 250, "channels": 20_000, "events": 100_000, "watch": 50}
    limit = args.limit if args.limit is not None else (None if args.quick else 10_000)
    print(
        f"machine: {platform.machine()}, Python {platform.python_version()}, "
        f"2 cores shared; world {size}, seed {args.seed}, events: {limit or 'all'}"
    )
    doc = generate(seed=args.seed, **size)
    sc = backchannel.Scenario(doc)
    pairs = watch_pairs(sc)
    events = sorted(doc.events, key=lambda e: e.key)[:limit]
    n = len(events)
    log = changes(sc, events)
    print(
        f"{n} events: {sum(o[0] == 'a' for ops in log for o in ops)} channels gained, "
        f"{sum(o[0] == 'r' for ops in log for o in ops)} lost, "
        f"{sum(o[0] == 'm' for ops in log for o in ops)} membership changes; "
        f"{len(pairs)} pairs"
    )

    before, want = run_flows(sc, pairs, log, old.IncrementalFlow)
    after, got = run_flows(sc, pairs, log, new.IncrementalFlow)
    print(f"flow, main:  {before:7.1f}s ({before / n * 1e3:.3f} ms/event)")
    print(f"flow, now:   {after:7.1f}s ({after / n * 1e3:.3f} ms/event)")
    print(f"flow speed-up: {before / after:.1f}x; values identical: {got == want}")

    if args.timeline:
        before, want = run_timeline(sc, pairs, events, old.IncrementalFlow)
        after, got = run_timeline(sc, pairs, events, new.IncrementalFlow)
        print(f"figure_timeline, main flow: {before:7.1f}s ({before / n * 1e3:.3f} ms/event)")
        print(f"figure_timeline, now:       {after:7.1f}s ({after / n * 1e3:.3f} ms/event)")
        print(f"figure_timeline speed-up: {before / after:.1f}x; figures identical: {got == want}")


if __name__ == "__main__":
    main()
