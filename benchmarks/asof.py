"""Benchmark: as-of ``channels A B --at D`` questions against Raphtory's ``PersistentGraph``.

The same 10,000 random questions (actor A, actor B, day) on a generated world
(``backchannel.testing.generate``; default 250 actors, 20,000 channels, 100,000 events,
``--quick`` 60 actors, 2,000 channels, 10,000 events):

* **backchannel**: ``sc.channels_between(a, b, day)``, the full ``channels`` rows (status,
  dormancy, staff, last use, ...), of which the ids and statuses are compared.
* **Raphtory** (the temporal graph engine a user might pick instead): a
  ``raphtory.PersistentGraph`` with one node per actor and one layer per channel. A
  channel is an edge between every two actors it joins (two distinct ends; a self-loop
  for two ends in one actor), on the channel's layer, from the day it first opens; every
  change of its status (replayed from the event log with the lifecycle rules) is an
  update of the edge's ``status`` property on that day, so a closed channel stays an
  edge whose status is ``closed``, as ``channels`` lists it. The question is
  ``g.at(day).edge(a, b).explode_layers()`` and each layer's ``status``, sorted into file
  order. Loaded in one ``load_edges`` call from a DataFrame (its fastest build).

Every answer must be identical (ids, statuses, order); any mismatch is a failure exit.
Then the cost of a question as the record grows: the same actors and channels with 10×
the events (each channel's history ten times as long), the same kind of questions.

Raphtory is a bench-only extra (``pip install -e '.[bench]'``, installed by ``make
bench``), never a runtime dependency.

Run: ``python -m benchmarks.asof`` (``--quick`` for the small world).
"""

from __future__ import annotations

import argparse
import platform
import random
import time
from collections.abc import Callable
from typing import Any

try:
    import raphtory
except ImportError:  # a bench-only extra
    raise SystemExit(
        "benchmarks.asof needs Raphtory (a bench-only extra): pip install -e '.[bench]'"
    ) from None
import pandas as pd

import backchannel
from backchannel.core.lifecycle import ChannelState, apply
from backchannel.core.model import CHANNEL_EVENTS, ScenarioDoc
from backchannel.testing.generate import generate

MAX_CHANNEL_LAYERS = 5000  # measured: 2.6 GB for Raphtory at 5,000 layers, about n² growth
Question = tuple[str, str, int]
Answer = list[tuple[str, str | None]]


def status_updates(doc: ScenarioDoc) -> list[tuple[int, str, str]]:
    """Every change of a channel's de jure status, replayed from the event log with the
    lifecycle rules: ``(day, channel, status)`` in record order (several on one day kept;
    the day's last one is its status at the end of the day)."""
    states: dict[str, ChannelState] = {}
    staff0 = {c.id: c.staff for c in doc.channels}
    out: list[tuple[int, str, str]] = []
    for e in sorted(doc.events, key=lambda e: e.key):
        if e.channel is None or e.do not in CHANNEL_EVENTS:
            continue
        before = states.get(e.channel, ChannelState())
        after = apply(before, e, staff0[e.channel])
        states[e.channel] = after
        if after.status is not None and after.status != before.status:
            out.append((e.date.ordinal, e.channel, after.status.value))
    return out


def actor_pairs(sc: backchannel.Scenario, channel: str) -> list[tuple[str, str]]:
    """The actor pairs (sorted, a self-pair for two ends in one actor) a channel joins."""
    ends = sc.channels_by_id[channel].ends
    actors = [sc.offices[o].actor for o in ends]
    pairs = {
        (min(actors[i], actors[j]), max(actors[i], actors[j]))
        for i in range(len(ends))
        for j in range(i + 1, len(ends))
        if ends[i] != ends[j]
    }
    return sorted(pairs)


def build_raphtory(sc: backchannel.Scenario, layers: str = "slot") -> Any:
    """The Raphtory model of the record (see the module docstring).

    ``layers="channel"``: one layer per channel, named by its id. ``layers="slot"``: the
    k-th channel of an actor pair is layer ``k`` of that pair's edge, with the channel id
    as a property beside its status (Raphtory keeps a column per layer for every edge,
    so 20,000 channel layers do not fit in memory).
    """
    pairs = {c: actor_pairs(sc, c) for c in sc.channels_by_id}
    slot: dict[tuple[str, str, str], int] = {}
    per_pair: dict[tuple[str, str], int] = {}
    rows: dict[str, list[Any]] = {
        "time": [], "src": [], "dst": [], "status": [], "channel": [], "layer": [],
    }  # fmt: skip
    for day, ch, status in status_updates(sc.doc):
        for u, v in pairs[ch]:
            if layers == "channel":
                layer = ch
            else:
                k = slot.get((u, v, ch))
                if k is None:
                    k = slot[(u, v, ch)] = per_pair.get((u, v), 0)
                    per_pair[(u, v)] = k + 1
                layer = str(k)
            rows["time"].append(day)
            rows["src"].append(u)
            rows["dst"].append(v)
            rows["status"].append(status)
            rows["channel"].append(ch)
            rows["layer"].append(layer)
    g = raphtory.PersistentGraph()
    g.load_edges(
        pd.DataFrame(rows), time="time", src="src", dst="dst",
        properties=["status", "channel"], layer_col="layer",
    )  # fmt: skip
    return g


def raphtory_answer(g: Any, order: dict[str, int], a: str, b: str, day: int) -> Answer:
    """The channels between ``a`` and ``b`` at ``day``, asked of Raphtory (either model:
    the channel id is a property of every layer)."""
    e = g.at(day).edge(a, b) if a <= b else g.at(day).edge(b, a)
    if e is None:
        return []
    out = [(p.get("channel"), p.get("status")) for p in (x.properties for x in e.explode_layers())]
    out.sort(key=lambda p: order[p[0]])
    return out


def questions(sc: backchannel.Scenario, n: int, seed: int) -> list[Question]:
    """``n`` random (actor, actor, day) questions over the record's span."""
    rng = random.Random(seed)
    actors = list(sc.actors)
    lo, hi = sc.first_day or 0, sc.last_day or 0
    return [(rng.choice(actors), rng.choice(actors), rng.randint(lo, hi)) for _ in range(n)]


def best_of(rounds: int, ask: Callable[[], list[Any]]) -> tuple[float, list[Any]]:
    """The fastest of ``rounds`` runs of ``ask`` (seconds) and its answers."""
    best, out = float("inf"), []
    for _ in range(rounds):
        t = time.perf_counter()
        out = ask()
        best = min(best, time.perf_counter() - t)
    return best, out


def time_ours(
    sc: backchannel.Scenario, qs: list[Question], rounds: int
) -> tuple[float, list[Answer]]:
    """Seconds for every question with ``channels_between`` (best of ``rounds``), and the
    answers as (id, status) lists; the first question (it builds the pair index) apart."""
    t = time.perf_counter()
    sc.channels_between(*qs[0])
    print(f"first question (builds the actor-pair index): {(time.perf_counter() - t) * 1e3:.0f} ms")
    took, rows = best_of(rounds, lambda: [sc.channels_between(a, b, d) for a, b, d in qs])
    return took, [[(r["id"], r["status"]) for r in rs] for rs in rows]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures and ratios; 1 if any answer differs."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a small world (fast run)")
    ap.add_argument("--queries", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=2, help="timed rounds (best is kept)")
    ap.add_argument("--no-growth", action="store_true", help="skip the 10x-events world")
    args = ap.parse_args(argv)
    if args.quick:
        size = {"actors": 60, "channels": 2000, "events": 10_000, "watch": 5}
    else:
        size = {"actors": 250, "channels": 20_000, "events": 100_000, "watch": 5}
    print(
        f"machine: {platform.machine()}, Python {platform.python_version()}, "
        f"Raphtory {raphtory.__version__}, 2 cores shared; world {size}, seed {args.seed}"
    )
    t = time.perf_counter()
    sc = backchannel.Scenario(generate(seed=args.seed, **size))
    print(f"generate + index: {time.perf_counter() - t:.1f}s")
    qs = questions(sc, args.queries, args.seed)
    ours_s, ours = time_ours(sc, qs, args.rounds)
    n = len(qs)
    print(
        f"backchannel channels_between: {ours_s / n * 1e6:.1f} µs/question "
        f"({n:,} questions, {sum(len(x) for x in ours):,} channels in the answers)"
    )
    order = {c: i for i, c in enumerate(sc.channels_by_id)}
    models = ["slot"]
    if len(order) <= MAX_CHANNEL_LAYERS:
        models.insert(0, "channel")
    else:
        print(
            f"Raphtory, one layer per channel: not built ({len(order):,} layers; Raphtory "
            f"keeps a column per layer for every edge, {MAX_CHANNEL_LAYERS:,} channels "
            "already take 2.6 GB)"
        )
    failed = False
    best = float("inf")
    for model in models:
        t = time.perf_counter()
        g = build_raphtory(sc, model)
        build_s = time.perf_counter() - t
        rt_s, theirs = best_of(
            args.rounds, lambda g=g: [raphtory_answer(g, order, a, b, d) for a, b, d in qs]
        )
        best = min(best, rt_s)
        bad = [i for i, (x, y) in enumerate(zip(ours, theirs, strict=True)) if x != y]
        print(
            f"Raphtory, one layer per {model}: build {build_s:.1f}s ({g.count_nodes()} "
            f"nodes, {g.count_edges():,} edges, {len(g.unique_layers):,} layers); "
            f"{rt_s / n * 1e6:.1f} µs/question; backchannel {rt_s / ours_s:.1f}x faster; "
            f"answers identical {n - len(bad):,}/{n:,}, mismatches {len(bad)}"
        )
        for i in bad[:3]:
            print(f"  MISMATCH {qs[i]}: backchannel {ours[i]} vs Raphtory {theirs[i]}")
        failed = failed or bool(bad)
        del g
    print(f"ratio: backchannel {best / ours_s:.1f}x faster than Raphtory's faster model")

    if not args.no_growth:
        # the same actors and channels (generated before the events), 10x the events
        big = {**size, "events": size["events"] * 10}
        t = time.perf_counter()
        sc10 = backchannel.Scenario(generate(seed=args.seed, **big))
        print(f"10x the events: generate + index {time.perf_counter() - t:.1f}s")
        assert list(sc10.channels_by_id) == list(sc.channels_by_id)
        qs10 = questions(sc10, args.queries, args.seed)
        s10, _ = time_ours(sc10, qs10, args.rounds)
        ours_s2, _ = time_ours(sc, qs, args.rounds)  # again, in the same conditions
        e1, e10 = size["events"], big["events"]
        print(
            f"record size: {e1:,} events {ours_s2 / n * 1e6:.1f} µs/question, "
            f"{e10:,} events {s10 / n * 1e6:.1f} µs/question "
            f"(ratio {s10 / ours_s2:.2f} for 10x the record)"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
