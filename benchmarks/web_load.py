"""Load on the web API: snapshot and path requests against `backchannel serve` on loopback.

Starts the real server (`backchannel serve`, a subprocess, so that client and server do
not share one interpreter lock), then sends a bounded loop of requests (at most
``--requests``, for at most ``--seconds``) from a few client threads with keep-alive
connections: half ``/api/{s}/snapshot?at=D``, half ``/api/{s}/path?a=&b=&at=D``, at dates
drawn over the scenario's record. Prints requests per second and latency percentiles per
endpoint, and as the baseline the same questions asked in process (no HTTP), with the
ratio between the two.

    python -m benchmarks.web_load [--quick] [--scenario NAME] [--requests N] [--seconds T]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

import backchannel
from backchannel.core.dates import iso
from backchannel.graph.paths import time_to_contact
from backchannel.record.scenario import DEFAULT_SCENARIO


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def _queries(sc: backchannel.Scenario, n: int, seed: int = 7) -> list[tuple[str, dict]]:
    rng = random.Random(seed)
    days = [e.date.ordinal for e in sc.doc.events]
    lo, hi = min(days), max(days)
    if sc.doc.watch:
        pairs = [tuple(w.between) for w in sc.doc.watch]
    else:
        heads = [sc.head_office(a) for a in sc.actors]
        pairs = [(heads[0], heads[-1])]
    out = []
    for i in range(n):
        at = iso(rng.randint(lo, hi))
        if i % 2 == 0:
            out.append(("snapshot", {"at": at}))
        else:
            a, b = rng.choice(pairs)
            out.append(("path", {"a": a, "b": b, "at": at}))
    return out


def _start_server(scenario: str, port: int) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("backchannel")
    cmd = [str(exe), "serve", "--scenario", scenario, "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/scenarios", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("server did not start within 60 s")


def _load(
    base: str, name: str, queries: list[tuple[str, dict]], seconds: float, threads: int
) -> tuple[dict[str, list[float]], float, int]:
    lat: dict[str, list[float]] = {"snapshot": [], "path": []}
    lock = threading.Lock()
    nxt = iter(range(len(queries)))
    errors = [0]
    deadline = time.monotonic() + seconds

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            while time.monotonic() < deadline:
                with lock:
                    i = next(nxt, None)
                if i is None:
                    return
                kind, params = queries[i]
                t0 = time.perf_counter()
                r = client.get(f"/api/{name}/{kind}", params=params)
                dt = time.perf_counter() - t0
                with lock:
                    if r.status_code != 200:
                        errors[0] += 1
                    lat[kind].append(dt)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    t0 = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return lat, time.perf_counter() - t0, errors[0]


def _in_process(sc: backchannel.Scenario, queries: list[tuple[str, dict]]) -> dict[str, float]:
    """Seconds per question asked directly of the library (the baseline)."""
    spent = {"snapshot": 0.0, "path": 0.0}
    count = {"snapshot": 0, "path": 0}
    for kind, p in queries:
        day = sc.day(p["at"])
        t0 = time.perf_counter()
        if kind == "snapshot":
            [
                sc.channel_record(c, day)
                for c in sc.channels_by_id
                if sc.timeline.status(c, day) is not None
            ]
        else:
            time_to_contact(sc, p["a"], p["b"], day).as_dict()
        spent[kind] += time.perf_counter() - t0
        count[kind] += 1
    return {k: spent[k] / max(count[k], 1) for k in spent}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a small run (300 requests, 10 s)")
    ap.add_argument("--scenario", default=DEFAULT_SCENARIO)
    ap.add_argument("--requests", type=int, default=None, help="at most this many requests")
    ap.add_argument("--seconds", type=float, default=None, help="and at most this long")
    ap.add_argument("--threads", type=int, default=4, help="client threads (keep-alive each)")
    args = ap.parse_args(argv)
    n = args.requests or (300 if args.quick else 3000)
    seconds = args.seconds or (10.0 if args.quick else 60.0)

    sc = backchannel.load(args.scenario)
    queries = _queries(sc, n)
    port = _free_port()
    proc = _start_server(args.scenario, port)
    try:
        base = f"http://127.0.0.1:{port}"
        _load(base, sc.name, queries[: min(40, n)], 10, 1)  # warm up
        lat, wall, errors = _load(base, sc.name, queries, seconds, args.threads)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    per_call = _in_process(sc, queries)

    done = sum(len(v) for v in lat.values())
    print(
        f"scenario {sc.name}: {len(sc.actors)} actors, {len(sc.channels_by_id)} channels, "
        f"{len(sc.doc.events)} events; {os.cpu_count()} cores; {args.threads} client threads"
    )
    print(f"{done} requests in {wall:.2f} s ({errors} errors): {done / wall:.0f} requests/s")
    print(
        f"{'endpoint':<10}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
        f"{'in-process ms':>15}{'HTTP/in-process (p50)':>23}"
    )
    for kind, values in lat.items():
        p50 = _pct(values, 0.5) * 1000
        base_ms = per_call[kind] * 1000
        print(
            f"{kind:<10}{len(values):>6}{p50:>9.2f}{_pct(values, 0.99) * 1000:>9.2f}"
            f"{max(values, default=float('nan')) * 1000:>9.2f}{base_ms:>15.3f}"
            f"{p50 / base_ms if base_ms else float('nan'):>22.1f}x"
        )
    everything = [v for vs in lat.values() for v in vs]
    print(
        f"all       {len(everything):>6}{_pct(everything, 0.5) * 1000:>9.2f}"
        f"{_pct(everything, 0.99) * 1000:>9.2f}"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
