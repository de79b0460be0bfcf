"""The lightest route within budget (graph.timeroutes) and the fast cut's relaxation over
every route (fastcut.relaxed_bound, lazy_cut with it), against brute force on many small
random graphs: every simple path enumerated, every set of channels tried."""

from __future__ import annotations

import heapq
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backchannel.graph import timeroutes
from backchannel.graph.fastcut import _relaxation, lazy_cut, relaxed_bound
from backchannel.graph.timeroutes import TimeRoutes

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
UNIT = 900


@st.composite
def graphs(draw):
    """Adjacency rows of a small graph: channels (some with three ends, the same latency
    on each of their links) and a few links no one can cut; two office sets; a budget."""
    n = draw(st.integers(3, 7))
    rows: list[list[tuple[int, int, int]]] = [[] for _ in range(n)]
    chans = draw(st.integers(1, 9))
    for c in range(chans):
        ends = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=3, unique=True))
        lat = UNIT * draw(st.integers(1, 6))
        for u, v in itertools.permutations(ends, 2):
            rows[u].append((v, lat, c))
    for _ in range(draw(st.integers(0, 3))):
        u, v = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
        lat = UNIT * draw(st.integers(0, 2))
        rows[u].append((v, lat, -1))
        rows[v].append((u, lat, -1))
    src = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=2, unique=True))
    dst = draw(
        st.lists(st.sampled_from([x for x in range(n) if x not in src]), min_size=1, max_size=2)
    )
    budget = UNIT * draw(st.integers(1, 12))
    weight = {c: draw(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.6, 1.0])) for c in range(chans)}
    return rows, src, sorted(set(dst)), budget, weight


def simple_routes(rows, src, dst, budget):
    """Every simple path from ``src`` to ``dst`` within ``budget``: its set of channels."""
    out: set[frozenset[int]] = set()

    def walk(u, seen, lat, chans):
        if u in dst:
            out.add(frozenset(chans))
            return
        for v, w, c in rows[u]:
            if v not in seen and lat + w <= budget:
                walk(v, seen | {v}, lat + w, chans | ({c} if c >= 0 else set()))

    for s in src:
        walk(s, {s}, 0, frozenset())
    return out


def arrives(rows, src, dst, budget, allowed):
    """Whether a route within ``budget`` uses only ``allowed`` channels (and uncut links)."""
    dist = {s: 0 for s in src}
    heap = [(0, s) for s in src]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist.get(u, d):
            continue
        if u in dst:
            return True
        for v, w, c in rows[u]:
            if (c < 0 or c in allowed) and d + w <= budget and d + w < dist.get(v, budget + 1):
                dist[v] = d + w
                heapq.heappush(heap, (d + w, v))
    return False


def least_cut(routes):
    """The fewest channels meeting every route (brute force); None if a route has none."""
    if any(not r for r in routes):
        return None
    chans = sorted(set().union(*routes)) if routes else []
    for k in range(len(chans) + 1):
        for pick in itertools.combinations(chans, k):
            if all(r & set(pick) for r in routes):
                return k
    raise AssertionError("unreachable")


@SETTINGS
@given(graphs(), st.sampled_from([None, 2, 3]), st.booleans())
def test_lightest_route_is_real_and_least(g, layers, compiled):
    """The programme in C and in numpy alike."""
    rows, src, dst, budget, weight = g
    tr = (
        TimeRoutes(rows, src, dst, budget, compiled=compiled)
        if layers is None
        else TimeRoutes(rows, src, dst, budget, layers=layers, compiled=compiled)
    )
    routes = simple_routes(rows, src, set(dst), budget)
    least = min((sum(weight[c] for c in r) for r in routes), default=None)
    got = tr.lightest(weight)
    if got is None:
        # exact layers: nothing within budget weighs under one; coarse: may miss some
        if layers is None:
            assert least is None or least >= 1 - 1e-9
        return
    w, chans = got
    assert w < 1 - 1e-9
    assert arrives(rows, src, set(dst), budget, set(chans))  # a real route within budget
    assert sum(weight[c] for c in set(chans)) <= w + 1e-9
    assert least is not None and w >= least - 1e-9
    if layers is None:
        assert abs(w - least) < 1e-9


@SETTINGS
@given(graphs())
def test_lazy_cut_with_the_relaxation_is_the_least_cut(g):
    rows, src, dst, budget, _ = g
    routes = simple_routes(rows, src, set(dst), budget)
    want = least_cut(routes)
    if want is None or not routes:
        return  # uncuttable or out of reach: fast_cut answers before any programme
    tr = TimeRoutes(rows, src, dst, budget)

    def route(banned):
        left = [r for r in routes if not (r & banned)]
        return sorted(min(left, key=lambda r: (len(r), sorted(r)))) if left else None

    pool: list[frozenset[int]] = []
    bound = relaxed_bound(pool, tr.lightest, 1e18)
    assert bound <= want
    # cut down to the routes with a positive dual, the relaxation keeps its value
    kept: list[frozenset[int]] = []
    assert relaxed_bound(kept, tr.lightest, 1e18, keep=0) == bound
    assert set(kept) <= set(pool)
    if kept:
        assert abs(_relaxation(kept)[0] - _relaxation(pool)[0]) < 1e-7
    assert all(r in routes or arrives(rows, src, set(dst), budget, r) for r in pool)
    # with the plain cut of every channel as the incumbent, as the engine gives it
    every = set().union(*routes)
    for incumbent in (None, every):
        chosen, lo, exact = lazy_cut([], route, 1e18, incumbent, tr.lightest)
        assert exact and lo == len(chosen) == want
        assert all(r & chosen for r in routes)


def test_the_compiled_programme_is_built_where_a_compiler_is():
    # setup.py builds it optionally; on this project's machines (a C compiler at hand) a
    # silent fallback to numpy would only be slower, so it must not go unnoticed
    import shutil
    import sysconfig

    if shutil.which(sysconfig.get_config_var("CC").split()[0] or "cc"):
        assert timeroutes.COMPILED


@SETTINGS
@given(graphs(), st.floats(0.0, 0.3))
def test_compiled_and_numpy_programmes_give_the_same_weight(g, scale):
    rows, src, dst, budget, weight = g
    w = {c: x * scale for c, x in weight.items()}
    a = TimeRoutes(rows, src, dst, budget).lightest(w)
    b = TimeRoutes(rows, src, dst, budget, compiled=False).lightest(w)
    assert (a is None) == (b is None)
    if a is not None and b is not None:
        assert abs(a[0] - b[0]) < 1e-9


def test_coarse_layers_round_latencies_up_so_no_late_route_is_found():
    # two hops of 1.5 h against a budget of 2.5 h, in two layers of 1.25 h: rounded down
    # the route would fit (1 + 1 layers); rounded up (2 + 2) it does not, as in reality
    rows = [[(1, 5400, 0)], [(0, 5400, 0), (2, 5400, 1)], [(1, 5400, 1)]]
    assert TimeRoutes(rows, [0], [2], 9000, layers=2).lightest({}) is None
    assert TimeRoutes(rows, [0], [2], 10800, layers=2).lightest({}) == (0.0, [0, 1])


@SETTINGS
@given(st.lists(st.frozensets(st.integers(0, 8), min_size=1, max_size=4), min_size=1, max_size=12))
def test_the_warm_relaxation_equals_solving_from_scratch(pool):
    from backchannel.graph.fastcut import _relaxation, _Warm

    warm = _Warm.of(pool[:1])
    assert warm is not None  # scipy's HiGHS bindings are there
    for i in range(1, len(pool) + 1):
        if i > 1:
            warm.add(pool[i - 1])
        value, x = warm.solve(pool[:i])
        assert abs(value - _relaxation(pool[:i])[0]) < 1e-7
        assert all(sum(x.get(c, 0.0) for c in p) >= 1 - 1e-7 for p in pool[:i])
