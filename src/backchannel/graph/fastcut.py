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
choice misses, so the loop ends, and the last choice is optimal over every path. When
``time_limit`` runs out first, the answer is not exact: ``exact`` is False, the lower bound
is the best bound of the paths seen so far and the upper bound (the answer given) a cut
completed greedily; never silently.

>>> from backchannel.graph.comm import CommGraph, Link
>>> g = CommGraph(0, ["a", "b", "c"], [
...     Link("a", "b", 900, "hot", "hot"), Link("a", "c", 900, "x", "x"),
...     Link("c", "b", 900, "y", "y"), Link("a", "b", 86400, "slow", "slow")])
>>> r = fast_cut(g, {"a"}, {"b"}, 3600)
>>> r.min_cut, r.cut, r.single_points
(2, ['hot', 'x'], [])
>>> fast_cut(g, {"a"}, {"b"}, 1200).single_points
['hot']
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .comm import CommGraph

__all__ = ["TIME_LIMIT_S", "FastCut", "Router", "fast_cut"]

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


class _OutOfTime(Exception):
    pass


def _packing(sets: list[frozenset[int]]) -> int:
    """Disjoint sets found greedily (smallest first): a lower bound on any hitting set."""
    used: set[int] = set()
    n = 0
    for p in sorted(sets, key=len):
        if not (p & used):
            used |= p
            n += 1
    return n


def _greedy(sets: list[frozenset[int]]) -> set[int]:
    """A hitting set: the channel in most unhit sets (the earliest on ties), repeatedly."""
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


def _hitting_set(pool: list[frozenset[int]], deadline: float) -> tuple[set[int], int, bool]:
    """The least set of channels meeting every set of ``pool`` by branch and bound:
    (set, lower bound, optimal). Ties go to the set of earliest channels found first."""
    common = frozenset.intersection(*pool)
    if common:
        return {min(common)}, 1, True
    best = [_greedy(pool)]
    root = _packing(pool)
    if root >= len(best[0]):
        return best[0], root, True
    ticks = [0]

    def search(chosen: list[int], left: list[frozenset[int]]) -> None:
        ticks[0] += 1
        if ticks[0] % 256 == 0 and time.monotonic() > deadline:
            raise _OutOfTime
        if not left:
            if len(chosen) < len(best[0]):
                best[0] = set(chosen)
            return
        if len(chosen) + _packing(left) >= len(best[0]):
            return
        branch = min(left, key=lambda p: (len(p), min(p)))
        count: dict[int, int] = {}
        for p in left:
            for c in p:
                count[c] = count.get(c, 0) + 1
        excluded: set[int] = set()
        for c in sorted(branch, key=lambda c: (-count[c], c)):
            rest = []
            ok = True
            for p in left:
                if c in p:
                    continue
                q = p - excluded
                if not q:
                    ok = False
                    break
                rest.append(q)
            if ok:
                search([*chosen, c], rest)
            excluded.add(c)

    try:
        search([], list(pool))
    except _OutOfTime:
        return best[0], root, False
    return best[0], len(best[0]), True


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
    chosen, lo, exact = _hitting_set(pool, start + time_limit)
    while exact:
        hit = r.route(src, dst, budget, banned=chosen)
        if hit is None:
            break
        pool.append(frozenset(hit[1]))
        left = time_limit - (time.monotonic() - start)
        if left <= 0:
            exact = False
            break
        chosen, got, optimal = _hitting_set(pool, time.monotonic() + left)
        lo = max(lo, got)
        if not optimal:
            exact = False
            break
    if not exact:  # complete greedily to a real cut; the programme's bound stays the floor
        while (hit := r.route(src, dst, budget, banned=chosen)) is not None:
            chosen.add(hit[1][0])
        if whole is not None and whole[0] < len(chosen):
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
