"""Benchmark: the Correlates of War world — import, load, as-of queries, paths and cuts.

On the real COW Diplomatic Exchange data (all years unless ``--quick``):

* **import**: ``import_cow`` of every row and writing the scenario file.
* **load**: ``backchannel.load`` in a fresh process, cold (no index cache: parse,
  validate, index, write the cache) and cached (the ``.bcindex`` beside the file).
* **channels**: 10,000 as-of ``channels A B --at D`` queries (random states, random
  days). Baseline: for each question, replay the record up to D and rebuild a NetworkX
  multigraph of the channels, then read the edges between A and B (sampled and scaled;
  answers compared on the sample).
* **G20**: time to contact and minimum cut for every pair of the G20 states in 2005 with
  ``backchannel.graph.many.pair_figures`` (one graph and one flow network for the day), and
  with the analysis API pair by pair (``time_to_contact`` and ``resilience``, which share
  the day's graph, flow network and router through ``backchannel.graph.daycache``; each
  side starts from an empty cache, so its time includes building them; one untimed call
  first imports igraph). Baseline: for each
  question, replay the record to that day, rebuild a NetworkX graph of offices and
  channels, then ``multi_source_dijkstra`` or ``maximum_flow_value`` (sampled and scaled;
  answers compared on the sample).

Run: ``python -m benchmarks.world [--quick] [--data DIR]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx

import backchannel
from backchannel.core.lifecycle import ChannelState, apply
from backchannel.core.model import CHANNEL_EVENTS, USE_EVENTS
from backchannel.graph import daycache
from backchannel.graph.cuts import resilience
from backchannel.graph.many import pair_figures
from backchannel.graph.paths import time_to_contact
from backchannel.record.indexcache import cache_path
from backchannel.sources.cow import import_cow

G20 = [
    "ARG",
    "AUS",
    "BRA",
    "CAN",
    "CHN",
    "FRA",
    "DEU",
    "IND",
    "IDN",
    "ITA",
    "JPN",
    "KOR",
    "MEX",
    "RUS",
    "SAU",
    "ZAF",
    "TUR",
    "GBR",
    "USA",
]  # the EU is not a COW state


def _load_in_fresh_process(path: Path) -> float:
    code = (
        "import time, backchannel, sys; t = time.perf_counter(); "
        "backchannel.load(sys.argv[1]); print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], check=True, capture_output=True, text=True
    )
    return float(out.stdout.strip())


def _replay(sc: backchannel.Scenario, day: int) -> dict[str, ChannelState]:
    """The baseline's view of the record: every channel event up to ``day``, replayed."""
    state: dict[str, ChannelState] = {}
    for e in sorted(sc.doc.events, key=lambda ev: ev.key):
        if e.date.ordinal > day:
            break
        if e.channel is None or e.do not in CHANNEL_EVENTS or e.do in USE_EVENTS:
            continue
        state[e.channel] = apply(state.get(e.channel, ChannelState()), e)
    return state


def _baseline_channels(sc: backchannel.Scenario, a: str, b: str, day: int) -> list[tuple]:
    state = _replay(sc, day)
    g = nx.MultiGraph()
    for c in sc.doc.channels:
        st = state.get(c.id)
        if st is None or st.status is None:
            continue
        u, v = (sc.offices[x].actor for x in c.ends[:2])
        g.add_edge(u, v, key=c.id, status=st.status.value)
    if not g.has_node(a) or not g.has_node(b):
        return []
    order = {c: i for i, c in enumerate(sc.channels_by_id)}
    found = [
        (k, d["status"])
        for _, _, k, d in g.edges(a, keys=True, data=True)
        if k in order and set(sc.offices[x].actor for x in sc.channels_by_id[k].ends) == {a, b}
    ]
    return sorted(set(found), key=lambda x: order[x[0]])


def _baseline_graph(sc: backchannel.Scenario, day: int) -> nx.MultiGraph:
    state = _replay(sc, day)
    g = nx.MultiGraph()
    g.add_nodes_from(sc.offices)
    default = sc.doc.defaults.reports_to_latency
    for actor in sc.doc.actors:
        lat = actor.internal_latency if actor.internal_latency is not None else default
        for o in actor.offices:
            if o.reports_to:
                g.add_edge(o.id, o.reports_to, latency=lat, cap=None)
    for c in sc.doc.channels:
        st = state.get(c.id)
        if st is not None and st.status is not None and st.status.usable:
            g.add_edge(c.ends[0], c.ends[1], latency=c.latency, cap=1)
    return g


def _baseline_path(sc: backchannel.Scenario, a: str, b: str, day: int) -> int | None:
    g = _baseline_graph(sc, day)
    simple = nx.Graph()
    for u, v, d in g.edges(data=True):
        if not simple.has_edge(u, v) or simple[u][v]["w"] > d["latency"]:
            simple.add_edge(u, v, w=d["latency"])
    src = {o.id for o in sc.actors[a].offices}
    dist = nx.multi_source_dijkstra_path_length(simple, src, weight="w")
    best = min((dist[o.id] for o in sc.actors[b].offices if o.id in dist), default=None)
    return None if best is None else int(best)


def _baseline_cut(sc: backchannel.Scenario, a: str, b: str, day: int) -> int:
    g = _baseline_graph(sc, day)
    net = nx.DiGraph()
    for u, v, d in g.edges(data=True):
        for x, y in ((u, v), (v, u)):
            if d["cap"] is None:
                net.add_edge(x, y)  # internal link: no capacity attribute = infinite
            elif net.has_edge(x, y) and "capacity" in net[x][y]:
                net[x][y]["capacity"] += 1
            elif not net.has_edge(x, y):
                net.add_edge(x, y, capacity=1)
    for o in sc.actors[a].offices:
        net.add_edge("__S", o.id)
    for o in sc.actors[b].offices:
        net.add_edge(o.id, "__T")
    return int(nx.maximum_flow_value(net, "__S", "__T"))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1990–2005 only, fewer queries")
    ap.add_argument(
        "--data",
        type=Path,
        default=Path(
            os.environ.get(
                "BACKCHANNEL_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"
            )
        ),
    )
    ap.add_argument("--queries", type=int, default=10_000)
    ap.add_argument("--sample", type=int, default=None, help="baseline sample size")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    first, last = (1990, 2005) if args.quick else (None, None)
    queries = 1000 if args.quick else args.queries
    sample = args.sample or (30 if args.quick else 100)
    rng = random.Random(args.seed)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f}"
    )

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "world.yaml"
        t = time.perf_counter()
        res = import_cow(
            args.data / "cow" / "Diplomatic_Exchange_2006v1.csv.gz",
            args.data / "cow" / "states2016.csv",
            first,
            last,
        )
        res.write(path)
        t_import = time.perf_counter() - t
        s = res.stats
        print(
            f"import: {t_import:.2f} s — {s['rows']:,} rows, {s['actors']} actors, "
            f"{s['channels']:,} channels, {s['events']:,} events, "
            f"{path.stat().st_size / 1e6:.1f} MB"
        )

        cache_path(path).unlink(missing_ok=True)
        cold = _load_in_fresh_process(path)
        cached = min(_load_in_fresh_process(path) for _ in range(3))
        print(
            f"load: cold {cold:.2f} s (parse, validate, index, write cache); "
            f"cached {cached:.3f} s (best of 3, fresh process)"
        )

        sc = backchannel.load(path)
        actors = sorted(sc.actors)
        lo = sc.first_day or sc.day("1817")
        hi = sc.day(str(last or 2005))
        qs = [(*rng.sample(actors, 2), rng.randint(lo, hi)) for _ in range(queries)]
        # bias half of the questions to pairs that have channels
        pairs = [tuple(sc.offices[e].actor for e in c.ends[:2]) for c in sc.doc.channels]
        for i in range(0, queries, 2):
            a, b = rng.choice(pairs)
            qs[i] = (a, b, rng.randint(lo, hi))
        t = time.perf_counter()
        fast = [sc.channels_between(a, b, d) for a, b, d in qs]
        t_fast = time.perf_counter() - t
        picks = rng.sample(range(queries), sample)
        t = time.perf_counter()
        base = {i: _baseline_channels(sc, *qs[i]) for i in picks}
        t_base = (time.perf_counter() - t) / sample * queries
        same = all([(r["id"], r["status"]) for r in fast[i]] == base[i] for i in picks)
        print(
            f"channels: {queries:,} queries in {t_fast:.2f} s "
            f"({t_fast / queries * 1e6:.0f} µs each); baseline {t_base:.1f} s "
            f"(scaled from {sample}); {t_base / t_fast:.0f}× faster; "
            f"answers identical on the sample: {same}"
        )

        day = sc.day("2005")
        g20 = [x for x in G20 if x in sc.actors]
        g20_pairs = [(a, b) for i, a in enumerate(g20) for b in g20[i + 1 :]]
        n = len(g20_pairs)
        pair_figures(sc, g20[:2], day)  # warm-up, untimed: igraph imported, lazy indexes built
        daycache.clear(sc)  # each side builds the structures of the day itself
        t = time.perf_counter()
        rows = pair_figures(sc, g20, day)
        t_matrix = time.perf_counter() - t
        answers = {(r["a"], r["b"]): (r["latency_s"], r["min_cut"]) for r in rows}
        daycache.clear(sc)
        t = time.perf_counter()
        api: dict[tuple[str, str], tuple[Any, int]] = {}
        for a, b in g20_pairs:
            p = time_to_contact(sc, a, b, day)
            c = resilience(sc, a, b, day)
            api[(a, b)] = (p.as_dict()["latency_s"], c.as_dict()["min_cut"])
        t_api = time.perf_counter() - t
        picks = rng.sample(range(n), min(n, max(5, sample // 5)))
        t = time.perf_counter()
        base_ans = {}
        for i in picks:
            a, b = g20_pairs[i]
            base_ans[(a, b)] = (_baseline_path(sc, a, b, day), _baseline_cut(sc, a, b, day))
        t_base = (time.perf_counter() - t) / len(picks) * n
        same = all(answers[k] == v == api[k] for k, v in base_ans.items())
        same_api = answers == api
        print(
            f"G20 2005: {n} pairs × (time to contact + minimum cut); baseline (NetworkX) "
            f"{t_base:.1f} s (scaled from {len(picks)} pairs); answers identical on the "
            f"sample: {same}; pair_figures = API on all pairs: {same_api}"
        )
        print(
            f"  pair_figures (one graph, one flow network): {t_matrix:.2f} s, "
            f"{t_base / t_matrix:.0f}× NetworkX"
        )
        print(
            f"  analysis API pair by pair (time_to_contact + resilience, the day's "
            f"structures cached): {t_api:.2f} s, {t_base / t_api:.0f}× NetworkX "
            f"(goal ≥ 100×); {t_api / t_matrix:.1f}× the time of pair_figures"
        )
        lat = [v[0] for v in answers.values() if v[0] is not None]
        cuts = [v[1] for v in answers.values()]
        print(
            f"  time to contact {min(lat) / 3600:.0f}–{max(lat) / 3600:.0f} h; "
            f"minimum cut {min(cuts)}–{max(cuts)} channels"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
