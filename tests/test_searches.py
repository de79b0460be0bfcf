"""The compiled searches (``graph/_search.c``) give what the Python ones give, route for
route, on many random small graphs; and the greedy hitting set kept by counts picks what
a recount each round picks.

The Python searches are the reference: :mod:`backchannel.graph.searches` set to None
makes every caller run them.
"""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backchannel.graph import fastcut, searches
from backchannel.graph.fastcut import flow_routes, greedy_hitting_set
from backchannel.graph.incremental import Engine
from backchannel.graph.incremental_fast import FastPair

C = searches.native
#: the tests of the compiled searches against the Python ones (nothing to compare without)
needs_c = pytest.mark.skipif(C is None, reason="graph/_search.c not compiled")


def test_compiled_is_built_where_a_compiler_is() -> None:
    assert (C is not None) == searches.COMPILED
    if shutil.which("cc") or shutil.which("gcc"):
        assert C is not None, "setup.py should have built graph/_search.c"


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[dict[tuple[int, int], int]], int]:
    """A random adjacency as the engine keeps it: static links (tags < 0) and channels
    (tag = channel id) with whole latencies, both ways; some channels of three ends."""
    n = draw(st.integers(2, 9))
    adj: list[dict[tuple[int, int], int]] = [{} for _ in range(n)]
    for c in range(draw(st.integers(0, 14))):
        ends = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=3, unique=True))
        lat = draw(st.sampled_from([0, 1, 2, 3, 5]))
        for u in ends:
            for v in ends:
                if u != v:
                    adj[u][(c, v)] = lat
    for _ in range(draw(st.integers(0, 3))):
        u, v = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if u != v:
            tag = draw(st.sampled_from([-1, -2, -3]))
            lat = draw(st.sampled_from([0, 1, 4]))
            adj[u][(tag, v)] = adj[v][(tag, u)] = lat
    return adj, n


@needs_c
@settings(max_examples=300, deadline=None)
@given(g=graphs(), data=st.data())
def test_relax_lowers_as_python_does(g, data) -> None:
    adj, n = g
    inf = float("inf")
    dist = data.draw(st.lists(st.sampled_from([0, 1.0, 2, 4.0, 7.0, inf]), min_size=n, max_size=n))
    starts = data.draw(st.lists(st.integers(0, n - 1), max_size=3, unique=True))
    cap = data.draw(st.sampled_from([inf, 3.0, 6, 10.0]))
    banned = frozenset(data.draw(st.lists(st.integers(0, 13), max_size=4)))
    heap = [(dist[u], u) for u in starts if dist[u] < inf]
    want, got = list(dist), list(dist)
    Engine.relax(SimpleNamespace(adj=adj, search=None), want, list(heap), cap, banned)
    Engine.relax(SimpleNamespace(adj=adj, search=C), got, list(heap), cap, banned)
    assert got == want


@needs_c
@settings(max_examples=400, deadline=None)
@given(g=graphs(), data=st.data())
def test_route_is_the_python_route(g, data) -> None:
    adj, n = g
    src = sorted(data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=2, unique=True)))
    dst = set(data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=2, unique=True)))
    budget = data.draw(st.integers(0, 12))
    bound = [float(x) for x in data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))]
    bound = [0.0 if v in dst else b for v, b in enumerate(bound)]
    chans = sorted({tag for row in adj for tag, _ in row if tag >= 0})
    banned = data.draw(
        st.one_of(st.none(), st.frozensets(st.sampled_from(chans)) if chans else st.none())
    )
    pair = SimpleNamespace(
        src=src, dset=dst, budget=budget, dB=bound, eng=SimpleNamespace(adj=adj, level=[])
    )
    pair.eng.search = None
    want = FastPair._route(pair, banned, None)
    pair.eng.search = C
    got = FastPair._route(pair, banned, None)
    assert got == want
    keys = {}.fromkeys(banned or ()).keys()  # a dict's keys, as the engine passes its pool
    if banned is not None:
        assert FastPair._route(pair, keys, None) == want


@needs_c
@settings(max_examples=200, deadline=None)
@given(g=graphs(), data=st.data())
def test_flow_taken_apart_as_python_does(g, data) -> None:
    adj, n = g
    rows = [[(v, w, tag) for (tag, v), w in adj[u].items()] for u in range(n)]
    src = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=2, unique=True))
    dst = [x for x in range(n) if x not in src][: data.draw(st.integers(1, 2))]
    budget = data.draw(st.integers(0, 12))
    if not dst:
        return
    searches.native = None
    try:
        want = flow_routes(rows, src, dst, budget)
        want_cheap = fastcut.cheapest_routes(rows, src, dst, budget, 4)
    finally:
        searches.native = C
    got = flow_routes(rows, src, dst, budget)
    assert got == want
    assert fastcut.cheapest_routes(rows, src, dst, budget, 4) == want_cheap


@needs_c
@settings(max_examples=300, deadline=None)
@given(g=graphs(), data=st.data())
def test_budget_rows_of_an_adjacency_as_python_does(g, data) -> None:
    adj, n = g
    inf = float("inf")
    dA = data.draw(st.lists(st.sampled_from([0, 1.0, 2, 4.0, 7.0, inf]), min_size=n, max_size=n))
    dB = data.draw(st.lists(st.sampled_from([0, 1.0, 3, 5.0, inf]), min_size=n, max_size=n))
    budget = data.draw(st.integers(0, 10))
    searches.native = None
    try:
        want = fastcut.adjacency_rows(adj, dA, dB, budget)
    finally:
        searches.native = C
    assert fastcut.adjacency_rows(adj, dA, dB, budget) == want


def _greedy_by_recount(sets: list[frozenset[int]]) -> set[int]:
    """The reference: count every unhit set again each round."""
    chosen: set[int] = set()
    left = list(sets)
    while left:
        count: dict[int, int] = {}
        for p in left:
            for c in p:
                count[c] = count.get(c, 0) + 1
        best = min(count, key=lambda c: (-count[c], c))
        chosen.add(best)
        left = [p for p in left if best not in p]
    return chosen


@settings(max_examples=500, deadline=None)
@given(st.lists(st.frozensets(st.integers(0, 12), min_size=1, max_size=5), min_size=1, max_size=25))
def test_greedy_hitting_set_picks_as_a_recount_does(sets) -> None:
    assert greedy_hitting_set(sets) == _greedy_by_recount(sets)


@needs_c
def test_the_timeline_is_the_same_with_and_without_them() -> None:
    """End to end: every figure after every event of a generated world, and whether each
    fast cut is exact, with the compiled searches and with the Python ones."""
    import backchannel
    from backchannel.judge.impact import figure_timeline, watch_pairs
    from backchannel.testing.generate import generate

    doc = generate(seed=4, actors=20, channels=300, events=1500, watch=8)
    sc = backchannel.Scenario(doc)
    pairs = watch_pairs(sc)
    events = sorted(doc.events, key=lambda e: e.key)

    def run() -> list[list[tuple]]:
        return [after for _, _, after, _ in figure_timeline(sc, pairs=pairs, events=events)]

    searches.native = None
    try:
        want = run()
    finally:
        searches.native = C
    got = run()
    assert got == want
    assert [[type(f[2]) for f in a] for a in got] == [[type(f[2]) for f in a] for a in want]
    assert any(f[2] and f[2] > 2 for a in got for f in a)  # cuts of several channels
