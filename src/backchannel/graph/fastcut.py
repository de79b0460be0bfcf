"""The length-bounded fast cut: channels to cut so that no route arrives within the budget
(DESIGN.md, "What an analyst means by material").

``min_cut_fast`` is the least number of channels whose loss leaves the pair with no path
of total latency ≤ budget. Internal, membership and ``also`` links cannot be cut; when a
path of them alone arrives within the budget (or the two ends share an office) no set of
channels can do it and the answer is None (``uncuttable``); when the pair is already out
of budget it is 0. ``cut`` is one such set; ``single_points`` the channels whose loss
alone takes the pair out of budget.

**How.** An integer programme over the paths within budget, with the paths added lazily:
find the shortest path avoiding the channels chosen so far; if it arrives within the
budget, its channels must be hit (one more constraint ``Σ x_c ≥ 1``); solve the hitting
set again exactly (branch and bound, with disjoint paths as the lower bound; paths sharing
a channel are answered without it) and repeat until the chosen channels leave no path
within budget. Each round adds a path the current
choice misses, so the loop ends, and the last choice is optimal over every path
(:func:`lazy_cut`; the incremental engine runs the same loop warm from its pool).

**The flow certificate first.** Only links with ``dA(u) + l + dB(v) ≤ budget`` can lie on
a route within budget (:func:`budget_rows`); cutting those links' plain minimum cut
leaves no such route, so it is an upper bound. A maximum flow over them (igraph) taken
apart into routes, shortest first (:func:`flow_routes`), or else the flow of least total
latency (:func:`cheapest_routes`), gives channel-disjoint routes; when all of them arrive
within budget they are as many as the cut, a lower bound equal to the upper one, and the
cut is the answer with no search. Otherwise the cut is the incumbent of the branch and
bound, whose bound is also the linear relaxation of the hitting set (HiGHS).

**The relaxation over every route.** Before any exact round, the pool is grown to the
linear relaxation over *all* routes within budget (:func:`relaxed_bound`): solve the
relaxation over the pool, ask for the route within budget whose channels weigh least
under its fractional choice (:class:`.timeroutes.TimeRoutes`, a programme over time
layers in numpy), add it when it weighs less than one, repeat. Rounded up, its value is a
lower bound on the cut; when it meets the incumbent no integer programme is solved, and
otherwise the exact rounds start from the routes that matter (a big world's hardest cut,
36 channels, went from 259 exact rounds and 16 s to one round and 2 s). Each exact round
first rounds that relaxation, kept warm with the routes added since
(:func:`rounded_hitting_set`): a set of the size of the lower bound needs no branch and
cut. The sets chosen can differ from an earlier version's when several least sets exist. When
``time_limit`` runs out first, the answer is not exact: ``exact`` is False, the lower bound
is the best bound of the paths seen so far and the upper bound (the answer given) a cut
completed greedily; never silently.

>>> from backchannel.graph.comm import CommGraph, Link
>>> g = CommGraph(0, ["a", "b", "c"], [
...     Link("a", "b", 900, "hot", "hot"), Link("a", "c", 900, "x", "x"),
...     Link("c", "b", 900, "y", "y"), Link("a", "b", 86400, "slow", "slow")])
>>> r = fast_cut(g, {"a"}, {"b"}, 3600)
>>> r.min_cut, r.cut, r.single_points
(2, ['hot', 'y'], [])
>>> fast_cut(g, {"a"}, {"b"}, 1200).single_points
['hot']
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import searches
from .timeroutes import TimeRoutes

if TYPE_CHECKING:
    from .comm import CommGraph

__all__ = [
    "TIME_LIMIT_S",
    "FastCut",
    "InexactCut",
    "Router",
    "adjacency_rows",
    "fast_cut",
    "greedy_hitting_set",
    "hitting_set",
    "lazy_cut",
    "rounded_hitting_set",
]

#: how long the exact search may run before answering with bounds
TIME_LIMIT_S = 20.0

INF = float("inf")


@dataclass(frozen=True)
class FastCut:
    """The length-bounded cut of one pair (see the module docstring).

    ``bounds`` is ``(lo, hi)`` on the least number of channels; both equal ``min_cut``
    when ``exact``.
    """

    min_cut: int | None
    cut: list[str] = field(default_factory=list)
    single_points: list[str] = field(default_factory=list)
    uncuttable: bool = False
    exact: bool = True
    bounds: tuple[int, int] | None = None


class InexactCut(int):
    """A fast cut found when the time limit ran out: the value given (a cut of that many
    channels exists) with the bounds on the least, so that every answer built from it can
    say so. It equals, sorts and prints as its value.

    >>> v = InexactCut(7, 5)
    >>> v == 7, v.bounds, v + 1
    (True, (5, 7), 8)
    """

    lo: int

    def __new__(cls, value: int, lo: int) -> InexactCut:
        """``value`` (the cut found, an upper bound) and ``lo`` (the lower bound)."""
        out = super().__new__(cls, value)
        out.lo = lo
        return out

    @property
    def bounds(self) -> tuple[int, int]:
        """(lower bound, upper bound)."""
        return (self.lo, int(self))


def figure(r: FastCut) -> int | None:
    """The fast cut's value as figures carry it: an :class:`InexactCut` when not exact.

    >>> figure(FastCut(3)), figure(FastCut(5, exact=False, bounds=(4, 5))).bounds
    (3, (4, 5))
    """
    if r.min_cut is None or r.exact:
        return r.min_cut
    lo = r.min_cut if r.bounds is None else r.bounds[0]
    return InexactCut(r.min_cut, lo)


class Router:
    """Shortest paths over a graph's links with some channels left out, bounded by a
    budget. Channels are numbered in ``g.channels`` order (then first appearance)."""

    def __init__(self, g: CommGraph, keep: Iterable[str] | None = None) -> None:
        """Index ``g``; ``keep`` (if given) limits the channels to those."""
        kept = None if keep is None else set(keep)
        self.g = g
        order = list(g.channels)
        seen = set(order)
        for lk in g.links:
            if lk.channel is not None and lk.channel not in seen:
                seen.add(lk.channel)
                order.append(lk.channel)
        self.names = order
        cidx = {c: i for i, c in enumerate(order)}
        self.adj: list[list[tuple[int, int, int]]] = [[] for _ in g.offices]
        for lk in g.links:
            if lk.channel is not None and kept is not None and lk.channel not in kept:
                continue
            c = -1 if lk.channel is None else cidx[lk.channel]
            u, v = g.index[lk.u], g.index[lk.v]
            self.adj[u].append((v, lk.latency, c))
            self.adj[v].append((u, lk.latency, c))

    def route(
        self,
        src: Iterable[int],
        dst: set[int],
        budget: float,
        banned: Set[int] = frozenset(),
    ) -> tuple[float, list[int]] | None:
        """The shortest path from ``src`` to ``dst`` avoiding ``banned`` channels (and,
        with ``banned`` None, every channel), if it arrives within ``budget``: (latency,
        its channels in order)."""
        dist: dict[int, float] = {}
        pred: dict[int, tuple[int, int]] = {}
        heap = [(0, s, -1, -1) for s in src]
        heapq.heapify(heap)
        while heap:
            d, u, p, c = heapq.heappop(heap)
            if u in dist:
                continue
            if d > budget:
                return None
            dist[u] = d
            if p >= 0:
                pred[u] = (p, c)
            if u in dst:
                chans = []
                while u in pred:
                    u, c = pred[u]
                    if c >= 0:
                        chans.append(c)
                return d, chans[::-1]
            for v, w, ch in self.adj[u]:
                if v in dist or ch in banned:
                    continue
                nd = d + w
                if nd <= budget:
                    heapq.heappush(heap, (nd, v, u, ch))
        return None

    def distances(self, src: Iterable[int], cap: float) -> list[float]:
        """Distances from ``src`` over every link, clamped at ``cap``."""
        dist = [float(cap)] * len(self.adj)
        heap: list[tuple[float, int]] = []
        for x in src:
            dist[x] = 0.0
            heap.append((0.0, x))
        heapq.heapify(heap)
        while heap:
            d, u = heapq.heappop(heap)
            if d > dist[u]:
                continue
            for v, w, _ in self.adj[u]:
                if d + w < dist[v]:
                    dist[v] = d + w
                    heapq.heappush(heap, (d + w, v))
        return dist


def _packing(sets: list[frozenset[int]]) -> int:
    """Disjoint sets found greedily (smallest first): a lower bound on any hitting set."""
    used: set[int] = set()
    n = 0
    for p in sorted(sets, key=len):
        if not (p & used):
            used |= p
            n += 1
    return n


def _programme(sets: list[frozenset[int]]) -> tuple[list[int], Any]:
    """The hitting set as a matrix: the channels (columns) and one row per set."""
    from scipy.sparse import csr_matrix

    cols = sorted(set().union(*sets))
    at = {c: i for i, c in enumerate(cols)}
    data: list[float] = []
    ind: list[int] = []
    ptr = [0]
    for p in sets:
        ind.extend(at[c] for c in p)
        data.extend([1.0] * len(p))
        ptr.append(len(ind))
    return cols, csr_matrix((data, ind, ptr), shape=(len(sets), len(cols)))


def _exact(sets: list[frozenset[int]], deadline: float) -> tuple[set[int] | None, int, bool]:
    """The least hitting set by HiGHS's branch and cut (scipy ``milp``), stopped at
    ``deadline``: (set or None, lower bound, optimal)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    cols, a = _programme(sets)
    ones = np.ones(len(cols))
    res = milp(
        ones,
        constraints=LinearConstraint(a, lb=np.ones(len(sets)), ub=np.inf),
        integrality=ones,
        bounds=Bounds(0, 1),
        options={"time_limit": max(0.05, deadline - time.monotonic())},
    )
    bound = getattr(res, "mip_dual_bound", None)
    lo = 0 if bound is None or not np.isfinite(bound) else int(np.ceil(bound - 1e-6))
    if res.x is None:
        return None, lo, False
    chosen = {cols[i] for i in np.flatnonzero(res.x > 0.5)}
    return chosen, (len(chosen) if res.status == 0 else lo), res.status == 0


def _relaxation(sets: list[frozenset[int]]) -> tuple[float, dict[int, float]]:
    """The linear relaxation of the hitting set (HiGHS, through scipy): its value and a
    fractional choice of channels (only those above zero). Value 0 if it fails."""
    import numpy as np
    from scipy.optimize import linprog

    cols, a = _programme(sets)
    res = linprog(
        np.ones(len(cols)), A_ub=-a, b_ub=-np.ones(len(sets)), bounds=(0, 1), method="highs"
    )
    if res.status != 0:
        return 0.0, {}
    return float(res.fun), {cols[i]: float(res.x[i]) for i in np.flatnonzero(res.x > 1e-12)}


def _as_list(xs: Sequence[Any]) -> list[Any]:
    """``xs`` as a list (the compiled searches take lists), copied only when it is not one."""
    return xs if isinstance(xs, list) else list(xs)


def _ceil(x: float) -> int:
    return math.ceil(x - 1e-6)


#: what finds the lightest route within budget under fractional channel weights, if it
#: weighs less than one (:meth:`.timeroutes.TimeRoutes.lightest`)
Lightest = Callable[[Mapping[int, float]], "tuple[float, list[int]] | None"]


def relaxed_bound(
    pool: list[frozenset[int]],
    lightest: Lightest,
    deadline: float,
    keep: int | None = None,
    warm: _Warm | None = None,
) -> int:
    """The linear relaxation over **every** route within budget, rounded up: a lower bound
    on the fast cut, found by adding to ``pool`` (which grows) the route the fractional
    choice misses most (``lightest``) until none is missed or ``deadline`` passes (then
    the bound is the relaxation over the pool so far, still a lower bound). Far
    stronger than the pool's own bound: the routes that matter are found in a few
    hundred cheap rounds rather than a few hundred exact hitting sets. The programme is
    kept warm between rounds (:class:`_Warm`). With ``keep``, a pool that ends larger
    is cut down to the routes the relaxation leans on (a positive dual): without the
    others its value is the same (their dual is zero), so later rounds start small.
    ``warm``: the caller's programme, holding exactly ``pool`` (it then holds the routes
    added too, and still every route cut from the pool).

    >>> routes = [[1, 2], [1, 3], [2, 3]]   # a triangle: one half on each, 1.5
    >>> def lightest(w):
    ...     got = min(routes, key=lambda p: sum(w.get(c, 0) for c in p))
    ...     weight = sum(w.get(c, 0) for c in got)
    ...     return (weight, got) if weight < 1 - 1e-9 else None
    >>> pool = []
    >>> relaxed_bound(pool, lightest, 1e18), len(pool)
    (2, 3)
    """
    if warm is None:
        warm = _Warm.of(pool)
    solve = _relaxation if warm is None else warm.solve
    value, weight = solve(pool) if pool else (0.0, {})
    while time.monotonic() < deadline:
        hit = lightest(weight)
        if hit is None:
            break
        pool.append(frozenset(hit[1]))
        if warm is not None:
            warm.add(pool[-1])
        value, weight = solve(pool)
    if warm is not None and keep is not None and len(pool) > keep:
        pool[:] = [p for p, y in zip(pool, warm.duals(), strict=True) if y > 1e-9]
    return _ceil(value)


class _Warm:
    """The relaxation of a growing pool kept warm: HiGHS through the bindings scipy ships
    (``scipy.optimize._highspy``, what ``linprog`` itself calls), one row added per new
    route and the last basis the start, so a round is a few pivots (0.4 ms on a pool of
    200 routes, against 4 ms for ``linprog`` from scratch). Those bindings are scipy's
    own, not public: when they cannot be loaded, :meth:`of` gives None and the caller
    solves each round with :func:`_relaxation`, to the same value.

    >>> w = _Warm.of([frozenset({1, 2}), frozenset({2, 3}), frozenset({1, 3})])
    >>> w.solve([])[0]
    1.5
    """

    def __init__(self, core: Any) -> None:
        """An empty programme (no channels, no routes)."""
        self.core = core
        self.h = core._Highs()
        self.h.setOptionValue("output_flag", False)
        self.col: dict[int, int] = {}
        self.names: list[int] = []

    @classmethod
    def of(cls, pool: list[frozenset[int]]) -> _Warm | None:
        """A warm programme holding ``pool``; None without the bindings."""
        try:
            from scipy.optimize._highspy import _core
        except ImportError:  # pragma: no cover - scipy moved its bindings
            return None
        warm = cls(_core)
        for p in pool:
            warm.add(p)
        return warm

    def add(self, route: frozenset[int]) -> None:
        """One more route that must be hit (its channels added as columns if new)."""
        import numpy as np

        none_i, none_f = np.array([], dtype=np.int32), np.array([], dtype=float)
        for c in sorted(route):
            if c not in self.col:
                self.col[c] = len(self.names)
                self.names.append(c)
                self.h.addCol(1.0, 0.0, 1.0, 0, none_i, none_f)
        idx = np.array(sorted(self.col[c] for c in route), dtype=np.int32)
        self.h.addRow(1.0, self.core.kHighsInf, len(idx), idx, np.ones(len(idx)))

    def duals(self) -> list[float]:
        """The last solve's dual of each route, in the order added."""
        return [float(y) for y in self.h.getSolution().row_dual]

    def solve(self, pool: list[frozenset[int]]) -> tuple[float, dict[int, float]]:
        """The relaxation's value and fractional choice (as :func:`_relaxation`; ``pool``
        is what was added, used only if HiGHS does not reach an optimum)."""
        self.h.run()
        if self.h.getModelStatus() != self.core.HighsModelStatus.kOptimal:
            return _relaxation(pool)
        x = self.h.getSolution().col_value
        value = self.h.getInfo().objective_function_value
        return float(value), {self.names[i]: float(v) for i, v in enumerate(x) if v > 1e-12}


def greedy_hitting_set(sets: list[frozenset[int]]) -> set[int]:
    """A hitting set: the channel in most unhit sets (the earliest on ties), repeatedly.
    The counts are kept as sets are hit (a heap of ``(-count, channel)`` with stale
    entries skipped), so a pool of thousands of routes costs its size, not its size per
    channel chosen.

    >>> sorted(greedy_hitting_set([frozenset({1, 2}), frozenset({2, 3}), frozenset({4})]))
    [2, 4]
    """
    holding: dict[int, list[int]] = {}
    for i, p in enumerate(sets):
        for c in p:
            holding.setdefault(c, []).append(i)
    count = {c: len(ix) for c, ix in holding.items()}
    heap = [(-k, c) for c, k in count.items()]
    heapq.heapify(heap)
    hit = [False] * len(sets)
    left = len(sets)
    chosen: set[int] = set()
    while left:
        k, best = heapq.heappop(heap)
        if -k != count[best]:
            continue  # stale: the count has dropped since this entry
        chosen.add(best)
        for i in holding[best]:
            if hit[i]:
                continue
            hit[i] = True
            left -= 1
            for c in sets[i]:
                count[c] -= 1
                if c != best and count[c]:
                    heapq.heappush(heap, (-count[c], c))
    return chosen


def hitting_set(
    pool: list[frozenset[int]],
    deadline: float,
    incumbent: set[int] | None = None,
    floor: int = 0,
    relaxed: bool = False,
    guide: Callable[[], Mapping[int, float]] | None = None,
) -> tuple[set[int], int, bool]:
    """The least set of channels meeting every set of ``pool``: (set, lower bound,
    optimal). A greedy set, or ``incumbent`` (a set known to meet every set), is kept when
    a packing of disjoint sets or the linear relaxation shows it least; then the
    relaxation rounded (:func:`rounded_hitting_set`) is tried; otherwise HiGHS's branch and
    cut (scipy ``milp``) decides, within ``deadline``. ``floor`` is a lower bound already
    known (for the cut the pool's routes come from, as :func:`lazy_cut` passes it: a set
    of that size is the answer it wants); ``relaxed``: it is the relaxation over a
    superset of ``pool`` (:func:`relaxed_bound`), so the pool's own cannot be stronger.
    ``guide`` gives a fractional choice of channels to round (the caller's warm
    relaxation); without it the pool's own relaxation is rounded.

    >>> hitting_set([frozenset({1, 2}), frozenset({2, 3}), frozenset({3, 1})], 1e18)
    ({1, 2}, 2, True)
    """
    common = frozenset.intersection(*pool)
    if common:
        return {min(common)}, 1, True
    best = [greedy_hitting_set(pool)]
    if incumbent is not None and len(incumbent) <= len(best[0]):
        best[0] = set(incumbent)
    root = max(floor, _packing(pool))
    if root >= len(best[0]):
        return best[0], root, True
    weights: Mapping[int, float] | None = None
    if not relaxed:
        value, weights = _relaxation(pool)
        root = max(root, _ceil(value))
    if root >= len(best[0]):
        return best[0], root, True
    if weights is None:
        weights = guide() if guide is not None else _relaxation(pool)[1]
    near = rounded_hitting_set(pool, weights)
    if len(near) < len(best[0]):
        best[0] = near
    if root >= len(best[0]):
        return best[0], root, True
    chosen, lo, optimal = _exact(pool, deadline)
    if chosen is not None and len(chosen) < len(best[0]):
        best[0] = chosen
    return best[0], max(root, lo), optimal


def rounded_hitting_set(sets: list[frozenset[int]], weights: Mapping[int, float]) -> set[int]:
    """A hitting set from a fractional one: the channels weighing at least a half, the
    sets they miss hit greedily, then every channel whose sets are all hit by others
    dropped (the lightest first). On the big benchmark world it found a set of the lower
    bound's size in nine exact rounds out of ten, each of which had cost a branch and cut.

    >>> sets = [frozenset({1, 2}), frozenset({2, 3}), frozenset({4})]
    >>> sorted(rounded_hitting_set(sets, {1: 0.5, 2: 0.5, 3: 0.5, 4: 1.0}))
    [2, 4]
    """
    chosen = {c for c, x in weights.items() if x >= 0.5 - 1e-9}
    rest = [p for p in sets if not (p & chosen)]
    if rest:
        chosen |= greedy_hitting_set(rest)
    holding: dict[int, list[int]] = {}
    cover = [0] * len(sets)
    for i, p in enumerate(sets):
        for c in p & chosen:
            holding.setdefault(c, []).append(i)
            cover[i] += 1
    for c in sorted(chosen, key=lambda c: (weights.get(c, 0.0), c)):
        ix = holding.get(c, [])
        if all(cover[i] > 1 for i in ix):
            chosen.discard(c)
            for i in ix:
                cover[i] -= 1
    return chosen


def _channels(hit: tuple[float, list[int]] | None) -> list[int] | None:
    return None if hit is None else hit[1]


def lazy_cut(
    pool: list[frozenset[int]],
    route: Callable[[Set[int]], list[int] | None],
    deadline: float,
    incumbent: set[int] | None = None,
    lightest: Lightest | None = None,
    keep: int | None = None,
) -> tuple[set[int], int, bool]:
    """The lazy programme of the module docstring: the least hitting set of ``pool``
    (which grows), until ``route(banned)`` finds no route within budget avoiding it.
    Returns (cut, lower bound, exact); past ``deadline`` the cut is completed greedily
    (or is ``incumbent``, a known cut, when that is smaller) and not exact. (Adding more
    than one route a round was tried: the hitting sets grow slower faster than the rounds
    fall.) With ``lightest``, the pool is first grown to the linear relaxation over every
    route (:func:`relaxed_bound`): then an ``incumbent`` of that size is the answer with
    no hitting set, and otherwise the exact rounds start from the routes that matter
    (``keep``: see :func:`relaxed_bound`).

    >>> routes = {frozenset(): [1, 2], frozenset({1}): [3], frozenset({3}): [1, 2]}
    >>> lazy_cut([], lambda banned: routes.get(frozenset(banned)), 1e18)
    ({1, 3}, 2, True)
    """
    lo = 0
    if not pool:
        first = route(frozenset())
        if first is None:
            return set(), 0, True
        pool.append(frozenset(first))
    warm = None
    if lightest is not None:
        warm = _Warm.of(pool)
        lo = relaxed_bound(pool, lightest, deadline, keep, warm)
        if incumbent is not None and len(incumbent) <= lo:
            return set(incumbent), lo, True

    def guide() -> Mapping[int, float]:
        """The relaxation kept warm (over the pool and the routes cut from it), to round."""
        assert warm is not None
        return warm.solve(pool)[1]

    while True:
        chosen, got, optimal = hitting_set(
            pool, deadline, incumbent, lo, lightest is not None, guide if warm else None
        )
        lo = max(lo, got)
        if not optimal or time.monotonic() > deadline:
            if incumbent is None or len(incumbent) > len(chosen):
                while (hit := route(chosen)) is not None:
                    chosen.add(hit[0])
            if incumbent is not None and len(incumbent) <= len(chosen):
                chosen = set(incumbent)
            return chosen, lo, False
        hit = route(chosen)
        if hit is None:
            return chosen, len(chosen), True
        pool.append(frozenset(hit))
        if warm is not None:
            warm.add(pool[-1])


def fast_cut(
    g: CommGraph,
    sources: Iterable[str],
    targets: Iterable[str],
    budget: int,
    time_limit: float = TIME_LIMIT_S,
    router: Router | None = None,
    upper: int | None = None,
) -> FastCut:
    """The length-bounded cut between two office sets of ``g`` (module docstring).

    ``upper``: the pair's plain minimum cut when the caller already knows it (the
    incremental engine does); when the disjoint paths within budget reach it, the value is
    returned without a cut set (``cut`` empty), since only the value was asked for.
    """
    src = {g.index[o] for o in sources if o in g.index}
    dst = {g.index[o] for o in targets if o in g.index}
    if src & dst:
        return FastCut(None, uncuttable=True)
    if not src or not dst:
        return FastCut(0)
    r = router if router is not None else Router(g)
    first = r.route(src, dst, budget)
    if first is None:
        return FastCut(0)
    every = set(range(len(r.names)))
    if r.route(src, dst, budget, banned=every) is not None:
        return FastCut(None, uncuttable=True)
    start = time.monotonic()
    # Channel-disjoint paths within budget (shortest first): each needs its own channel,
    # so their number is a lower bound. When it equals the plain minimum cut (an upper
    # bound: cutting the sides off entirely leaves no path at all), that cut is the answer.
    pool = [frozenset(first[1])]
    used = set(first[1])
    while (more := r.route(src, dst, budget, banned=used)) is not None:
        pool.append(frozenset(more[1]))
        used.update(more[1])
    if upper is not None and upper == len(pool):
        return (
            FastCut(upper, [], [], False, True, (upper, upper))
            if upper > 1
            else _answer(r, src, dst, budget, first, {r.names[next(iter(pool[0]))]}, 1, True)
        )
    whole = _plain_cut(g, src, dst)
    if whole is not None and whole[0] == len(pool):
        return _answer(r, src, dst, budget, first, whole[1], len(pool), True)
    # The flow certificate: a maximum flow over the links that can lie on a route within
    # budget; when every unit of it arrives within budget, its cut is the answer.
    dA, dB = r.distances(src, budget + 1), r.distances(dst, budget + 1)
    rows = budget_rows(len(r.adj), r.adj.__getitem__, dA, dB, budget)
    near = flow_routes(rows, src, dst, budget)
    incumbent = None
    if near is not None:
        if len(near.routes) < near.value:
            cheap = cheapest_routes(rows, src, dst, budget, near.value)
            if len(cheap) > len(near.routes):
                near = FlowRoutes(near.value, near.cut, cheap)
        if len(near.routes) == near.value:
            return _answer(
                r, src, dst, budget, first, {r.names[c] for c in near.cut}, near.value, True
            )
        incumbent = near.cut
        pool.extend(frozenset(p) for p in near.routes)
    chosen, lo, exact = lazy_cut(
        pool,
        lambda banned: _channels(r.route(src, dst, budget, banned=banned)),
        start + time_limit,
        incumbent,
        TimeRoutes(rows, src, dst, budget).lightest,
    )
    if not exact and whole is not None and whole[0] < len(chosen):  # the plain cut is better
        return _answer(r, src, dst, budget, first, whole[1], lo, whole[0] == lo)
    return _answer(r, src, dst, budget, first, {r.names[c] for c in chosen}, lo, exact)


def _answer(
    r: Router,
    src: set[int],
    dst: set[int],
    budget: int,
    first: tuple[float, list[int]],
    chosen: set[str],
    lo: int,
    exact: bool,
) -> FastCut:
    """The figures from a cut set: single points are looked for on the shortest path."""
    names = r.names
    pos = {c: i for i, c in enumerate(names)}
    cut = sorted(chosen, key=pos.__getitem__)
    singles: list[str] = []
    if len(cut) == 1 or lo <= 1:
        singles = list(
            dict.fromkeys(
                names[c] for c in first[1] if r.route(src, dst, budget, banned={c}) is None
            )
        )
    value = len(cut)
    if singles:
        value, lo, exact = 1, 1, True
        cut = cut if len(cut) == 1 else [singles[0]]
    return FastCut(value, cut, singles, False, exact, (value if exact else lo, value))


def _plain_cut(g: CommGraph, src: set[int], dst: set[int]) -> tuple[int, set[str]] | None:
    """The minimum cut over all channels (any speed) and one cut set; None when the ends
    are joined by uncuttable links."""
    from .flow import FlowNet, merge_offices

    merged = merge_offices(g)
    a, b = merged.blobs_of(src), merged.blobs_of(dst)
    res = FlowNet(len(g.offices), merged.channels).solve(a, b)
    return None if res.value is None else (res.value, set(res.cut))


#: capacity standing for "cannot be cut" in the flow certificate
_BIG = float(1 << 40)

Rows = list[list[tuple[int, int, int]]]


@dataclass(frozen=True)
class FlowRoutes:
    """A maximum channel-disjoint flow over the links that can lie on a route within
    budget: its ``value`` (the plain minimum cut of those links), one minimum ``cut``
    (channel numbers), and the flow taken apart into ``routes`` that arrive within budget
    (their channels), which are channel-disjoint."""

    value: int
    cut: set[int]
    routes: list[list[int]]


def budget_rows(
    n: int,
    rows: Callable[[int], Iterable[tuple[int, int, int]]],
    dA: Sequence[float],
    dB: Sequence[float],
    budget: float,
) -> Rows:
    """The links that can lie on a route within ``budget``, as adjacency rows
    ``(v, latency, channel or -1)``: ``rows(u)`` gives ``u``'s links, ``dA``, ``dB`` lower
    bounds of the distance from each end. A channel is kept whole (every link between its
    ends near enough) when one of its links has ``dA(u) + l + dB(v) ≤ budget``.

    >>> budget_rows(3, lambda u: [[(1, 5, 0)], [(0, 5, 0), (2, 9, 1)], [(1, 9, 1)]][u],
    ...             [0, 5, 14], [5, 0, 9], 6)
    [[(1, 5, 0)], [(0, 5, 0)], []]
    """
    near = [dA[u] + dB[u] <= budget for u in range(n)]
    keep: set[int] = set()
    for u in range(n):
        if near[u]:
            for v, w, c in rows(u):
                if c >= 0 and near[v] and dA[u] + w + dB[v] <= budget:
                    keep.add(c)
    out: Rows = [[] for _ in range(n)]
    for u in range(n):
        if not near[u]:
            continue
        row = out[u]
        for v, w, c in rows(u):
            if not near[v]:
                continue
            if c >= 0:
                if c in keep:
                    row.append((v, w, c))
            elif dA[u] + w + dB[v] <= budget or dA[v] + w + dB[u] <= budget:
                row.append((v, w, c))
    return out


def adjacency_rows(
    adj: Sequence[Mapping[tuple[int, int], int]],
    dA: Sequence[float],
    dB: Sequence[float],
    budget: float,
) -> Rows:
    """:func:`budget_rows` of an adjacency kept as the engine keeps it (per office, a dict
    ``{(channel or a negative tag, v): latency}``): the same rows, in C when compiled
    (:mod:`.searches`).

    >>> adjacency_rows([{(0, 1): 5}, {(0, 0): 5, (1, 2): 9}, {(1, 1): 9}], [0, 5, 14],
    ...                [5, 0, 9], 6)
    [[(1, 5, 0)], [(0, 5, 0)], []]
    """
    if searches.native is not None and isinstance(adj, list):
        return searches.native.budget_rows(adj, _as_list(dA), _as_list(dB), budget)
    return budget_rows(
        len(adj),
        lambda u: [(v, w, tag) for (tag, v), w in adj[u].items()],
        dA,
        dB,
        budget,
    )


def flow_routes(
    rows: Rows, src: Iterable[int], dst: Iterable[int], budget: float
) -> FlowRoutes | None:
    """The certificate of the fast cut (module docstring): a maximum flow over ``rows``
    (one unit per channel; ``-1`` links cannot be cut) between the two office sets, by
    igraph; None when uncuttable links join them. When every unit of the flow arrives
    within ``budget`` the cut is the fast cut: ``len(routes) == value``.

    >>> rows = [[(1, 5, 0), (2, 5, 1)], [(0, 5, 0), (3, 5, 2)], [(0, 5, 1), (3, 50, 3)],
    ...         [(1, 5, 2), (2, 50, 3)]]
    >>> r = flow_routes(rows, [0], [3], 20)
    >>> r.value, sorted(r.cut), r.routes
    (2, [2, 3], [[0, 2]])
    """
    import igraph as ig

    n = len(rows)
    gate: dict[int, int] = {}  # channel -> its c_in vertex (c_out is the next one)
    edges: list[tuple[int, int]] = []
    caps: list[float] = []
    cost: list[float] = []
    chan_of: dict[int, int] = {}  # edge id of a gadget arc -> channel
    seen: set[tuple[int, int]] = set()
    for u, row in enumerate(rows):
        for v, w, c in row:
            if c < 0:
                edges.append((u, v))
                caps.append(_BIG)
                cost.append(w)
                continue
            g = gate.get(c)
            if g is None:
                g = gate[c] = n + 2 * len(gate)
                chan_of[len(edges)] = c
                edges.append((g, g + 1))
                caps.append(1.0)
                cost.append(0)
            for arc, lat in (((u, g), w), ((g + 1, v), 0)):
                if arc not in seen:
                    seen.add(arc)
                    edges.append(arc)
                    caps.append(_BIG)
                    cost.append(lat)
    s = n + 2 * len(gate)
    t = s + 1
    for x in src:
        edges.append((s, x))
        caps.append(_BIG)
        cost.append(0)
    for y in dst:
        edges.append((y, t))
        caps.append(_BIG)
        cost.append(0)
    graph = ig.Graph(n=t + 1, edges=edges, directed=True)
    flow = graph.maxflow(s, t, capacity=caps)
    if flow.value >= _BIG:
        return None
    cut = {chan_of[e] for e in flow.cut if e in chan_of}
    left = {e: f for e, f in enumerate(flow.flow) if f > 0}
    routes = _take_apart(
        left,
        [x for x, _ in edges],
        [y for _, y in edges],
        cost,
        chan_of,
        s,
        t,
        round(flow.value),
        budget,
    )
    return FlowRoutes(round(flow.value), cut, routes)


def _take_apart(
    flow: dict[int, float],
    tail: Sequence[int],
    head: Sequence[int],
    cost: Sequence[float],
    chan: dict[int, int],
    s: int,
    t: int,
    units: int,
    budget: float,
) -> list[list[int]]:
    """A flow (units per arc, consumed) taken apart into routes from ``s`` to ``t``, the
    shortest flow-carrying route first, one unit at a time, while they arrive within
    ``budget``: each route's channels (``chan``: the channel an arc spends). In C when
    compiled (:mod:`.searches`; the same pops, so the same routes)."""
    if searches.native is not None:
        return searches.native.take_apart(
            flow, _as_list(tail), _as_list(head), _as_list(cost), chan, s, t, units, budget
        )
    out: dict[int, list[int]] = {}
    for a in flow:
        out.setdefault(tail[a], []).append(a)
    routes: list[list[int]] = []
    for _ in range(units):
        dist = {s: 0.0}
        via: dict[int, int] = {}
        heap = [(0.0, s)]
        done: set[int] = set()
        while heap:
            d, x = heapq.heappop(heap)
            if x in done:
                continue
            done.add(x)
            if x == t or d > budget:
                break
            for a in out.get(x, ()):
                if flow[a] <= 0:
                    continue
                y = head[a]
                nd = d + cost[a]
                if nd < dist.get(y, INF):
                    dist[y] = nd
                    via[y] = a
                    heapq.heappush(heap, (nd, y))
        if t not in done or dist[t] > budget:
            break
        chans = []
        x = t
        while x != s:
            a = via[x]
            flow[a] -= 1
            if a in chan:
                chans.append(chan[a])
            x = tail[a]
        routes.append(chans[::-1])
    return routes


def cheapest_routes(
    rows: Rows, src: Iterable[int], dst: Iterable[int], budget: float, want: int
) -> list[list[int]]:
    """Up to ``want`` channel-disjoint routes within ``budget`` from a flow of least total
    latency (successive shortest paths with potentials, one unit per channel): when the
    flow of :func:`flow_routes` has units that arrive too late, the cheapest flow of the
    same size often has none.

    >>> rows = [[(1, 5, 0), (2, 5, 1)], [(0, 5, 0), (3, 5, 2)], [(0, 5, 1), (3, 50, 3)],
    ...         [(1, 5, 2), (2, 50, 3)]]
    >>> cheapest_routes(rows, [0], [3], 20, 2)
    [[0, 2]]
    """
    n = len(rows)
    head: list[int] = []
    cap: list[float] = []
    cost: list[float] = []
    out: list[list[int]] = [[] for _ in range(n + 2)]
    chan: list[int] = []  # the channel an arc spends (-1: none)

    def arc(u: int, v: int, c: float, w: float, ch: int) -> None:
        for x, y, cc, ww in ((u, v, c, w), (v, u, 0.0, -w)):
            out[x].append(len(head))
            head.append(y)
            cap.append(cc)
            cost.append(ww)
            chan.append(ch)

    ends: dict[int, set[int]] = {}
    for u, row in enumerate(rows):
        for v, _, c in row:
            if c >= 0:
                ends.setdefault(c, set()).update((u, v))
    gate: dict[int, int] = {}
    seen: set[tuple[int, int]] = set()
    for u, row in enumerate(rows):
        for v, w, c in row:
            if c < 0:
                arc(u, v, _BIG, w, -1)
            elif len(ends[c]) == 2:
                arc(u, v, 1.0, w, c)
            else:
                g = gate.get(c)
                if g is None:
                    g = gate[c] = len(out)
                    out.extend(([], []))
                    arc(g, g + 1, 1.0, 0, c)
                if (u, g) not in seen:
                    seen.add((u, g))
                    arc(u, g, _BIG, w, -1)
                if (g + 1, v) not in seen:
                    seen.add((g + 1, v))
                    arc(g + 1, v, _BIG, 0, -1)
    s, t = n, n + 1
    for x in src:
        arc(s, x, _BIG, 0, -1)
    for y in dst:
        arc(y, t, _BIG, 0, -1)
    size = len(out)
    pot = [0.0] * size
    units = 0
    while units < want:
        dist = [INF] * size
        via = [-1] * size
        dist[s] = 0.0
        heap = [(0.0, s)]
        while heap:
            d, u = heapq.heappop(heap)
            if d > dist[u]:
                continue
            pu = pot[u]
            for a in out[u]:
                if cap[a] <= 0:
                    continue
                v = head[a]
                nd = d + cost[a] + pu - pot[v]
                if nd < dist[v] - 1e-9:
                    dist[v] = nd
                    via[v] = a
                    heapq.heappush(heap, (nd, v))
        if dist[t] == INF:
            break
        for v in range(size):
            if dist[v] < INF:
                pot[v] += dist[v]
        v = t
        while v != s:
            a = via[v]
            cap[a] -= 1
            cap[a ^ 1] += 1
            v = head[a ^ 1]
        units += 1
    # the flow on each forward arc, opposite units on one channel cancelled
    flow = {a: cap[a ^ 1] for a in range(0, len(head), 2) if cap[a ^ 1] > 0}
    pairs: dict[tuple[int, int, int], int] = {}
    for a in flow:
        if chan[a] >= 0 and len(ends[chan[a]]) == 2:
            key = (chan[a], head[a ^ 1], head[a])
            back = pairs.get((chan[a], head[a], head[a ^ 1]))
            if back is not None and flow.get(back, 0) > 0:
                flow[a] -= 1
                flow[back] -= 1
            else:
                pairs[key] = a
    tail = [head[a ^ 1] for a in range(len(head))]
    spent = {a: chan[a] for a in flow if chan[a] >= 0}
    return _take_apart(flow, tail, head, cost, spent, s, t, units, budget)
