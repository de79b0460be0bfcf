"""Benchmark: as-of ``channels A B --at D`` questions against Raphtory's ``PersistentGraph``.

The same 10,000 random questions (actor A, actor B, day) on a generated world
(``backchannel.testing.generate``; default 250 actors, 20,000 channels, 100,000 events,
``--quick`` 60 actors, 2,000 channels, 10,000 events):

* **backchannel**: ``sc.channels_between(a, b, day)``, the full ``channels`` rows (status,
  dormancy, staff, last use, ...), of which the ids and statuses are compared.
* **Raphtory** (the temporal graph engine a user might pick instead): a
  ``raphtory.PersistentGraph`` with one node per actor. A channel is an edge between
  every two actors it joins (two distinct ends; a self-loop for two ends in one actor),
  from the day it first opens; every change of its status (replayed from the event log
  with the lifecycle rules) is an update of the edge's ``status`` property on that day,
  so a closed channel stays an edge whose status is ``closed``, as ``channels`` lists
  it. The question is ``g.at(day).edge(a, b).explode_layers()`` and each layer's
  ``channel`` and ``status``, sorted into file order. Loaded with ``load_edges`` from a
  DataFrame (its fastest build). Two layer schemes, each timed and checked:

  - **one layer per channel** (the issue's model). Raphtory keeps a column per layer
    for every edge (5,000 layers: 2.6 GB, growing about as layers × edges), so beyond
    5,000 channels the actor pairs are split over graphs of about 1,000 channels'
    layers each (20 for the full world); each pair's edge is in one graph, and a
    question asks that graph only.
  - **slot**: the k-th channel of an actor pair is layer ``k`` (a dozen layers in all),
    the channel id a property beside the status: compact, and Raphtory's fastest.

The rounds are interleaved (best of ``--rounds``), so a change of load on the shared
machine falls on every side alike. Every answer must be identical (ids, statuses,
order); any mismatch is a failure exit. Then the cost of a question as the record grows:
the same actors and channels with 10× the events (each channel's history ten times as
long), both worlds loaded from a pickle as the index cache loads a big file.

Raphtory is a bench-only extra (``pip install -e '.[bench]'``, installed by ``make
bench``), never a runtime dependency.

Run: ``python -m benchmarks.asof`` (``--quick`` for the small world).
"""

from __future__ import annotations

import argparse
import gc
import pickle
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


class Model:
    """A Raphtory model of the record: one or more ``PersistentGraph`` pieces, each actor
    pair's edge in one of them (``piece``)."""

    def __init__(self, graphs: list[Any], piece: dict[tuple[str, str], int]) -> None:
        self.graphs = graphs
        self.piece = piece

    def describe(self) -> str:
        """Nodes, edges and layers (per piece when split)."""
        g = self.graphs
        layers = sum(len(x.unique_layers) for x in g)
        text = (
            f"{g[0].count_nodes() if len(g) == 1 else len(set(p for k in self.piece for p in k))}"
            f" nodes, {sum(x.count_edges() for x in g):,} edges, {layers:,} layers"
        )
        return text if len(g) == 1 else f"{text} in {len(g)} graphs"


def build_raphtory(sc: backchannel.Scenario, layers: str = "slot", pieces: int = 1) -> Model:
    """The Raphtory model of the record (see the module docstring).

    ``layers="channel"``: one layer per channel, named by its id. ``layers="slot"``: the
    k-th channel of an actor pair is layer ``k`` of that pair's edge, with the channel id
    as a property beside its status. Raphtory keeps a column per layer for every edge,
    so 20,000 channel layers do not fit in memory: ``pieces`` splits the actor pairs
    (and so the channels' layers) over that many graphs, each pair's edge in one.
    """
    pairs = {c: actor_pairs(sc, c) for c in sc.channels_by_id}
    every = sorted({p for ps in pairs.values() for p in ps})
    piece = {p: i % pieces for i, p in enumerate(every)}
    slot: dict[tuple[str, str, str], int] = {}
    per_pair: dict[tuple[str, str], int] = {}
    cols = ("time", "src", "dst", "status", "channel", "layer")
    rows: list[dict[str, list[Any]]] = [{k: [] for k in cols} for _ in range(pieces)]
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
            r = rows[piece[(u, v)]]
            for col, value in zip(cols, (day, u, v, status, ch, layer), strict=True):
                r[col].append(value)
    graphs = []
    for r in rows:
        g = raphtory.PersistentGraph()
        g.load_edges(
            pd.DataFrame(r), time="time", src="src", dst="dst",
            properties=["status", "channel"], layer_col="layer",
        )  # fmt: skip
        graphs.append(g)
    return Model(graphs, piece)


def raphtory_answer(m: Model, order: dict[str, int], a: str, b: str, day: int) -> Answer:
    """The channels between ``a`` and ``b`` at ``day``, asked of Raphtory (either model:
    the channel id is a property of every layer)."""
    pair = (a, b) if a <= b else (b, a)
    i = m.piece.get(pair)
    if i is None:
        return []
    e = m.graphs[i].at(day).edge(*pair)
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


def best_of(
    rounds: int, asks: dict[str, Callable[[], list[Any]]]
) -> tuple[dict[str, float], dict[str, list[Any]]]:
    """Each ask's fastest of ``rounds`` runs (seconds) and its answers; the rounds are
    interleaved, so a change of load on the machine falls on every side alike."""
    best = dict.fromkeys(asks, float("inf"))
    out: dict[str, list[Any]] = {}
    for _ in range(rounds):
        for name, ask in asks.items():
            t = time.perf_counter()
            out[name] = ask()
            best[name] = min(best[name], time.perf_counter() - t)
    return best, out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures and ratios; 1 if any answer differs."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a small world (fast run)")
    ap.add_argument("--queries", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds (best is kept)")
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
    order = {c: i for i, c in enumerate(sc.channels_by_id)}
    models: dict[str, Model] = {}
    for layers in ("channel", "slot"):
        pieces = 1 if layers == "slot" or len(order) <= 5000 else -(-len(order) // 1000)
        t = time.perf_counter()
        models[layers] = m = build_raphtory(sc, layers, pieces)
        print(
            f"Raphtory, one layer per {layers}: build {time.perf_counter() - t:.1f}s "
            f"({m.describe()})"
        )

    qs = questions(sc, args.queries, args.seed)
    t = time.perf_counter()
    sc.channels_between(*qs[0])
    print(f"first question (builds the actor-pair index): {(time.perf_counter() - t) * 1e3:.0f} ms")
    asks: dict[str, Callable[[], list[Any]]] = {
        "backchannel": lambda: [sc.channels_between(a, b, d) for a, b, d in qs],
        **{
            f"Raphtory, one layer per {k}": (
                lambda m=m: [raphtory_answer(m, order, a, b, d) for a, b, d in qs]
            )
            for k, m in models.items()
        },
    }
    took, answers = best_of(args.rounds, asks)  # rounds interleaved: the same load for all
    n = len(qs)
    ours_s = took["backchannel"]
    ours = [[(r["id"], r["status"]) for r in rs] for rs in answers["backchannel"]]
    print(
        f"backchannel channels_between: {ours_s / n * 1e6:.1f} µs/question "
        f"({n:,} questions, {sum(len(x) for x in ours):,} channels in the answers)"
    )
    failed = False
    for name in list(asks)[1:]:
        theirs = answers[name]
        bad = [i for i, (x, y) in enumerate(zip(ours, theirs, strict=True)) if x != y]
        print(
            f"{name}: {took[name] / n * 1e6:.1f} µs/question; backchannel "
            f"{took[name] / ours_s:.2f}x as fast; answers identical {n - len(bad):,}/{n:,}, "
            f"mismatches {len(bad)}"
        )
        for i in bad[:3]:
            print(f"  MISMATCH {qs[i]}: backchannel {ours[i]} vs Raphtory {theirs[i]}")
        failed = failed or bool(bad)
    del models

    if not args.no_growth:
        # The same actors and channels (generated before the events), 10x the events.
        # Both worlds as a big file's index is loaded (a pickle: the index cache), each
        # laid out in memory on its own; a world built beside another is scattered among
        # its objects, and that, not the record's length, would be measured.
        big = {**size, "events": size["events"] * 10}
        sc.channels_between(*qs[0])  # the actor-pair index goes in the pickle
        small_pickle = pickle.dumps(sc, pickle.HIGHEST_PROTOCOL)
        del sc, asks, answers
        gc.collect()
        t = time.perf_counter()
        sc10 = backchannel.Scenario(generate(seed=args.seed, **big))
        sc10.channels_between(*questions(sc10, 1, args.seed)[0])
        print(f"10x the events: generate + index {time.perf_counter() - t:.1f}s")
        large_pickle = pickle.dumps(sc10, pickle.HIGHEST_PROTOCOL)
        del sc10
        gc.collect()
        sc = pickle.loads(small_pickle)
        sc10 = pickle.loads(large_pickle)
        del small_pickle, large_pickle
        assert list(sc10.channels_by_id) == list(sc.channels_by_id)
        qs10 = questions(sc10, args.queries, args.seed)
        took, _ = best_of(
            args.rounds,
            {
                "small": lambda: [sc.channels_between(a, b, d) for a, b, d in qs],
                "large": lambda: [sc10.channels_between(a, b, d) for a, b, d in qs10],
            },
        )
        small, large = (took[k] / n * 1e6 for k in ("small", "large"))
        print(
            f"record size: {size['events']:,} events {small:.1f} µs/question, "
            f"{big['events']:,} events {large:.1f} µs/question "
            f"(ratio {large / small:.2f} for 10x the record)"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
