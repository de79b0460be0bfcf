"""Profile the incremental impact engine alone: ``figure_timeline`` over the first N events
of the benchmark world (:mod:`benchmarks.impact`) under cProfile, then the top functions.

Run: ``python -m benchmarks.profile_impact --quick --limit 2000`` (``--top 25`` functions
by ``--sort cumulative``; ``--out FILE`` also writes the raw profile for ``pstats`` or
``snakeviz``). Generating and indexing the world is not profiled. Not part of
``python -m benchmarks``: it measures no baseline.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time

import backchannel
from backchannel.judge.impact import watch_pairs
from backchannel.testing.generate import generate

from .impact import run_engine

QUICK = {"actors": 60, "channels": 2000, "events": 10_000, "watch": 20}
FULL = {"actors": 250, "channels": 20_000, "events": 100_000, "watch": 50}


def main(argv: list[str] | None = None) -> int:
    """Profile the engine and print the top functions."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the small world of --quick")
    ap.add_argument("--limit", type=int, default=None, help="the first N events only")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--top", type=int, default=25, help="functions to print")
    ap.add_argument(
        "--sort", default="cumulative", help="pstats sort key (cumulative, tottime, ...)"
    )
    ap.add_argument("--out", default=None, help="also write the raw profile here")
    args = ap.parse_args(argv)
    size = QUICK if args.quick else FULL
    doc = generate(seed=args.seed, **size)
    sc = backchannel.Scenario(doc)
    pairs = watch_pairs(sc)
    events = sorted(doc.events, key=lambda e: e.key)[: args.limit]
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    run_engine(sc, pairs, events, set())
    prof.disable()
    took = time.perf_counter() - t
    print(
        f"world {size}, seed {args.seed}: {len(events)} events x {len(pairs)} pairs in "
        f"{took:.1f}s under cProfile ({took / max(len(events), 1) * 1e3:.2f} ms/event)"
    )
    if args.out:
        prof.dump_stats(args.out)
    pstats.Stats(prof, stream=sys.stdout).strip_dirs().sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
