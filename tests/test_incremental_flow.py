"""The incremental minimum cut (graph.incremental_flow) against a from-scratch maximum
flow (graph.flow.FlowNet, igraph) after every change, on random small blob graphs:
two-ended and n-ended channels, parallel channels, channels inside A or B, pairs that
share a blob or have an empty side, a latency bound, several pairs sharing one graph,
pairs that join midway, and rebuilds. The engine built on it is checked against a naive
recomputation in tests/test_analysis_oracle.py and tests/test_material.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backchannel.graph.flow import FlowNet
from backchannel.graph.incremental_flow import IncrementalFlow

INF = float("inf")


@dataclass(eq=False)
class Host:
    """What IncrementalFlow reads from its engine."""

    n: int
    blob: list[int]
    chan_blobs: list[tuple[int, ...]]
    lat: list[int]
    usable: set[int] = field(default_factory=set)


@st.composite
def worlds(draw):
    n = draw(st.integers(3, 12))
    label = [0, 1, 2, *draw(st.lists(st.integers(0, n - 1), min_size=n - 3, max_size=n - 3))]
    blob = [label.index(x) for x in label]  # the smallest office of each group
    roots = sorted(set(blob))
    chans = draw(
        st.lists(
            st.tuples(
                st.lists(st.sampled_from(roots), min_size=2, max_size=5, unique=True),
                st.sampled_from([1, 5, 10]),
            ),
            min_size=3,
            max_size=30,
        )
    )
    pairs = []
    for i in range(draw(st.integers(1, 4))):
        perm = draw(st.permutations(roots))
        k = draw(st.integers(1, min(2, len(roots) - 1)))
        j = draw(st.integers(k + 1, min(k + 2, len(roots))))
        src, dst = set(perm[:k]), set(perm[k:j])
        kind = draw(st.sampled_from(["cut"] * 6 + ["shared", "empty"]))
        if kind == "shared":  # A and B share a blob: uncuttable
            dst.add(perm[0])
        elif kind == "empty":
            dst = set()
        start = 0 if i == 0 else draw(st.integers(0, 30))  # when it starts being watched
        pairs.append((src, dst, draw(st.sampled_from([INF, INF, 5])), start))
    steps = draw(st.lists(st.integers(0, len(chans) - 1), min_size=10, max_size=80))
    for i in sorted(draw(st.sets(st.integers(0, len(steps)), max_size=2)), reverse=True):
        steps.insert(i, -1)  # a rebuild
    return n, blob, chans, pairs, steps


def expected(h: Host, src: set[int], dst: set[int], maxlat: float) -> int | None:
    net = FlowNet(h.n, {str(c): h.chan_blobs[c] for c in h.usable if h.lat[c] <= maxlat})
    return net.value(src, dst)


def check_cut(fl: IncrementalFlow) -> None:
    """The kept certificate: a set holding A's blobs, none of B's, left by no residual
    arc, so its capacity is the flow's value."""
    g = fl.g
    inx = [(n in fl.side) == fl.zs for n in range(len(g.adj))]
    assert all(inx[b] for b in fl.src) and not any(inx[b] for b in fl.dst)
    for a, r in enumerate(fl.res):
        if r > 0:
            assert not (inx[g.head[a ^ 1]] and not inx[g.head[a]])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_incremental_flow_matches_a_fresh_maximum_flow(world):
    n, blob, chans, pairs, steps = world
    h = Host(n, blob, [tuple(e) for e, _ in chans], [lat for _, lat in chans])
    flows: list[tuple[IncrementalFlow, set[int], set[int], float]] = []

    def watch(i: int) -> None:
        for src, dst, maxlat, start in pairs:
            if start == i:
                flows.append((IncrementalFlow(h, src, dst, maxlat), src, dst, maxlat))  # type: ignore[arg-type]

    def compare() -> None:
        for fl, src, dst, maxlat in flows:
            want = expected(h, src, dst, maxlat)
            assert fl.uncuttable == (want is None)
            if want is not None:
                assert fl.value == want
                if not fl.dead:
                    check_cut(fl)

    watch(0)
    compare()
    for i, c in enumerate(steps, 1):
        if c == -1:  # new blobs (same ones here): every pair from scratch
            h = Host(h.n, list(h.blob), h.chan_blobs, h.lat, set(h.usable))
            flows = [
                (IncrementalFlow(h, src, dst, maxlat), src, dst, maxlat)  # type: ignore[arg-type]
                for _, src, dst, maxlat in flows
            ]
        elif c in h.usable:
            h.usable.discard(c)
            for fl, *_ in flows:
                fl.remove(c)
        else:
            h.usable.add(c)
            for fl, *_ in flows:
                fl.add(c)
        watch(i)
        compare()
