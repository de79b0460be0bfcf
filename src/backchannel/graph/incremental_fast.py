"""The length-bounded fast cut and the level of one watched pair, kept between changes.

Both figures are about routes that arrive within the pair's budget (DESIGN.md, "What an
analyst means by material"; :mod:`.fastcut`, :mod:`.level`). :class:`FastPair` keeps,
from its last computation:

* ``dA``, ``dB``: lower bounds of the distance from A and from B over every usable link,
  clamped at the budget + 1 (exact after a computation; an added channel lowers them
  through itself, a removed one leaves them lower bounds). No route within budget uses a
  channel with ``dA(u) + l + dB(v) > budget`` for every pair of its ends.
* **Fast cut**: the cut ``H`` (channels), a pool ``P`` of routes within budget (each a
  set of channels, all still usable) and ``hA``, ``hB``: lower bounds like ``dA``, ``dB``
  but in the graph without ``H``. The value ``k = |H|`` is exact because ``H`` is a least
  hitting set of ``P`` and leaves no route within budget.

  - Removing a channel of ``H``: the value drops by exactly one (``H`` minus it still cuts;
    any cut of the new graph plus the removed channel cuts the old one). Nothing searched.
  - Removing a channel outside ``H`` and outside every route of ``P``: ``H`` still cuts and
    ``P`` still forces ``k``. Nothing searched. Otherwise the routes through it leave the
    pool and the pair is marked.
  - Adding a channel with ``hA(u) + l + hB(v) > budget`` for every pair of its ends: no
    route avoiding ``H`` uses it, so ``H`` still cuts. The bounds are lowered through it.
    Otherwise the pair is marked.

  - **Packed** (``P`` is ``k`` channel-disjoint routes, each holding one channel of
    ``H``, as the flow certificate leaves it): a lost route is replaced by a route
    disjoint from the others, and ``k`` stands; a new route avoiding ``H`` (it must use
    the added channel ``c``) with one more route disjoint from ``P`` gives ``k + 1``
    disjoint routes against the cut ``H + {c}``. Both are one or two searches.

  A marked pair is solved when figures are asked for: the flow certificate of
  :mod:`.fastcut` (a maximum flow over the links within budget, taken apart into routes
  within budget), and when it falls short, the lazy programme (:func:`.fastcut.lazy_cut`,
  with the relaxation over every route first) started warm from the pool with the
  smaller of the certificate's cut and ``H`` plus the channels added since (``since``:
  a route avoiding that set would have been a route of the last solve, or used an added
  channel that can lie on a route within budget) as the incumbent. The pool is kept
  between solves (past ten routes per channel of the cut, only those the relaxation leans
  on), so the relaxation needs only a few new routes each time.
  ``moves`` counts the changes that could move the cut since it was last exact (each by
  at most one): when the last cut plus them cannot reach the flow's value, the
  certificate cannot hold and the search for more disjoint routes is skipped.
  When the time limit runs out the value given is a cut found, not proven least: the
  figures carry it as an :class:`.fastcut.InexactCut` with its bounds.
* **Level**: the class of rank ``L`` (``Rank.order``; None when nothing arrives within
  budget) and one route ``W`` achieving it. Removing a channel off ``W``, or adding one
  whose class is no better than ``L``, cannot change it; otherwise it is searched again:
  the best class first, one bounded search per class.

Searches run over the engine's adjacency, ordered by distance and pruned with ``dB``
(a lower bound on what is left to go), so they visit only offices that could lie on a
route within budget.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Set
from typing import TYPE_CHECKING

from ..core.model import Rank
from .fastcut import (
    TIME_LIMIT_S,
    InexactCut,
    adjacency_rows,
    cheapest_routes,
    flow_routes,
    lazy_cut,
)
from .level import LEVELS
from .timeroutes import TimeRoutes

if TYPE_CHECKING:
    from .incremental import Engine

__all__ = ["FastPair"]

INF = float("inf")
#: a pool larger than this many routes per channel of the cut (plus a margin) is cut down
#: to the routes the relaxation leans on (:func:`.fastcut.relaxed_bound`), so old routes
#: do not slow every solve down and the pool is never rebuilt from nothing
_POOL_PER_CUT = 10
_POOL_MARGIN = 64


class FastPair:
    """Fast cut and level for one pair (module docstring)."""

    def __init__(self, eng: Engine, src: list[int], dst: list[int], budget: int) -> None:
        self.eng = eng
        self.src = src
        self.dst = dst
        self.dset = set(dst)
        self.budget = budget
        self.cap = budget + 1
        self.fresh = True
        #: "empty", "shared" or "uncut" when channels cannot change the figures
        self.fixed: str | None = None
        self.dA: list[float] = []
        self.dB: list[float] = []
        self.d_exact = False
        self.L: int | None = None
        self.W: frozenset[int] = frozenset()
        self.level_dirty = True
        self.k = 0
        self.H: set[int] = set()
        self.P: list[frozenset[int]] = []
        self.in_pool: dict[int, int] = {}
        self.hA: list[float] = []
        self.hB: list[float] = []
        self.fast_dirty = True
        self.exact = True
        #: changes that could move the fast cut (of channels that can lie on a route
        #: within budget) since ``k`` was last exact; each moves it by at most one
        self.moves = 0
        self.solved = False
        #: channels added since the last solve that could lie on a route within budget:
        #: the cut then, less what was removed, plus these, is a cut now
        self.since: set[int] = set()
        #: the lower bound on the fast cut when ``exact`` is False (the time limit ran out)
        self.lo = 0
        #: the pool is k channel-disjoint routes (each holding one channel of H)
        self.packed = False

    # -- changes ------------------------------------------------------------------------
    def add(self, c: int) -> None:
        """Channel ``c`` became usable (already linked in the engine)."""
        if self.fresh or self.fixed is not None:
            return
        self.d_exact = False
        eng = self.eng
        ends, lat, budget = eng.ends[c], eng.lat[c], self.budget
        dA, dB = self.dA, self.dB
        near = _crosses(ends, lat, dA, dB, budget)
        self._moved(near)
        if near:
            self.since.add(c)
        self._lower(dA, c, frozenset())
        self._lower(dB, c, frozenset())
        if near and not self.level_dirty and (self.L is None or eng.level[c].order < self.L):
            self.level_dirty = True
        if near and not self.fast_dirty and _crosses(ends, lat, self.hA, self.hB, budget):
            if self.packed:
                before = self.hA[:], self.hB[:]
                self._lower(self.hA, c, self.H)
                self._lower(self.hB, c, self.H)
                # (searches avoiding H, or the packing's channels, which hold H, are
                # pruned with hB: a lower bound on what is left to go without H)
                if self._route(self.H, None, self.hB) is not None:
                    # a route now avoids H, through c. With one more route disjoint from
                    # the packing, k + 1 disjoint routes and the cut H + {c} agree.
                    more = self._route(self.in_pool.keys(), None, self.hB)
                    if more is not None:
                        self._add_route(frozenset(more))
                        self.H.add(c)
                        self.k += 1
                        # the graph without H is the one before c: hA, hB stand
                        self.hA, self.hB = before
                        return
                    self.fast_dirty = True
                return
            self.fast_dirty = True
        self._lower(self.hA, c, self.H)
        self._lower(self.hB, c, self.H)

    def remove(self, c: int) -> None:
        """Channel ``c`` stopped being usable (already unlinked in the engine)."""
        if self.fresh or self.fixed is not None:
            return
        self.d_exact = False
        eng = self.eng
        self._moved(_crosses(eng.ends[c], eng.lat[c], self.dA, self.dB, self.budget))
        self.since.discard(c)
        if c in self.W:
            self.level_dirty = True
        if self.fast_dirty:
            self._drop_routes(c)
            self.H.discard(c)
        elif c in self.H:
            self.H.discard(c)
            self._drop_routes(c)
            if self.exact:
                self.k -= 1
            else:
                self.fast_dirty = True
        elif c in self.in_pool:
            self._drop_routes(c)
            if self.packed:
                # a replacement for the lost route, disjoint from the others, keeps k
                # (it crosses the lost route's channel of H: hB does not hold for it)
                more = self._route(self.in_pool.keys(), None)
                if more is not None:
                    self._add_route(frozenset(more))
                    return
            self.fast_dirty = True

    def _moved(self, near: bool) -> None:
        if not self.fast_dirty:
            self.moves = 0  # k is exact before this change
        if near:
            self.moves += 1

    def relevel(self, c: int, old: Rank, new: Rank) -> None:
        """Usable channel ``c`` changed level from ``old`` to ``new``."""
        if self.fresh or self.fixed is not None or self.level_dirty or self.L is None:
            return  # with nothing within budget, no level of a channel matters
        if c in self.W and new.order > self.L:
            self.level_dirty = True  # the route that gave the level no longer does
        elif new.order < self.L:  # a better route through c may now exist
            eng = self.eng
            if _crosses(eng.ends[c], eng.lat[c], self.dA, self.dB, self.budget):
                self.level_dirty = True

    # -- answers ------------------------------------------------------------------------
    def figures(self) -> tuple[int | None, Rank | None]:
        """(fast minimum cut or None when uncuttable, level or None)."""
        if self.fresh:
            self._start()
        if self.fixed == "empty":
            return 0, None
        if self.fixed is not None:
            return None, LEVELS[0]
        if self.level_dirty:
            self._solve_level()
        if self.fast_dirty:
            self._solve_fast()
        k = self.k if self.exact else InexactCut(self.k, min(self.lo, self.k))
        return k, None if self.L is None else LEVELS[self.L]

    # -- computing ----------------------------------------------------------------------
    def _start(self) -> None:
        self.fresh = False
        src, dst = self.src, self.dst
        if not src or not dst:
            self.fixed = "empty"
            return
        if self.dset.intersection(src):
            self.fixed = "shared"
            return
        n = self.eng.n
        self.dB = [0.0] * n  # no pruning until real bounds exist
        if self._route(None, None) is not None:
            self.fixed = "uncut"
            return
        self._refresh()
        self.level_dirty = self.fast_dirty = True

    def _refresh(self) -> None:
        if self.d_exact:
            return
        self.d_exact = True
        self.dA = self._dists(self.src, frozenset())
        self.dB = self._dists(self.dst, frozenset())

    def _solve_level(self) -> None:
        self._refresh()
        self.level_dirty = False
        self.L, self.W = None, frozenset()
        if min(self.dA[t] for t in self.dst) > self.budget:
            return
        for order in range(len(LEVELS)):
            hit = self._route(frozenset(), order)
            if hit is not None:
                self.L, self.W = order, frozenset(hit)
                return

    def _solve_fast(self) -> None:
        self.fast_dirty = False
        deadline = time.monotonic() + TIME_LIMIT_S
        old = set(self.H)
        self._refresh()
        if self._route(frozenset(), None) is None:
            self._set_pool([])
            self._settle(set(), True, old)
            return
        # the flow certificate first (:func:`.fastcut.flow_routes`)
        rows = adjacency_rows(self.eng.adj, self.dA, self.dB, self.budget)
        near = flow_routes(rows, self.src, self.dst, self.budget)
        routes = [] if near is None else [frozenset(p) for p in near.routes]
        # the certificate needs a fast cut as large as the flow; when the last exact cut
        # plus one per change since cannot reach it, looking for more routes is futile
        futile = (
            near is not None and self.solved and self.exact and self.k + self.moves < near.value
        )
        if near is not None and not futile and len(routes) < near.value:
            # more routes disjoint from those, shortest first, may still reach the cut
            used = set().union(*routes)
            while len(routes) < near.value and (more := self._route(used, None)) is not None:
                routes.append(frozenset(more))
                used.update(more)
        # the flow of least latency; tried one route short only (over the big world's
        # first 5,000 events it never made up more than one)
        if near is not None and not futile and len(routes) + 1 == near.value:
            cheap = cheapest_routes(rows, self.src, self.dst, self.budget, near.value)
            if len(cheap) > len(routes):
                routes = [frozenset(p) for p in cheap]
        if near is not None and len(routes) == near.value:
            self._set_pool(routes)
            self._settle(near.cut, True, old)
            return
        incumbent = None if near is None else near.cut
        if self.solved:  # the last cut plus what was added since (usually one more)
            known = self.H | self.since
            if incumbent is None or len(known) < len(incumbent):
                incumbent = known
        for p in routes:
            self._add_route(p)
        pool = list(self.P)
        lightest = TimeRoutes(rows, self.src, self.dst, self.budget).lightest
        chosen, self.lo, exact = lazy_cut(
            pool,
            lambda banned: self._route(banned, None),
            deadline,
            incumbent,
            lightest,
            _POOL_PER_CUT * self.k + _POOL_MARGIN,
        )
        self._set_pool(pool)
        self._settle(chosen, exact, old)

    def _settle(self, chosen: set[int], exact: bool, old: set[int]) -> None:
        self.since = set()
        self.H, self.k, self.exact, self.solved = chosen, len(chosen), exact, True
        self.packed = exact and len(self.P) == self.k and len(self.in_pool) == sum(map(len, self.P))
        if chosen != old or not self.hA:
            ban = frozenset(chosen)
            self.hA = self._dists(self.src, ban)
            self.hB = self._dists(self.dst, ban)

    # -- the pool -----------------------------------------------------------------------
    def _set_pool(self, pool: list[frozenset[int]]) -> None:
        self.P = []
        self.in_pool = {}
        for p in pool:
            self._add_route(p)

    def _add_route(self, p: frozenset[int]) -> None:
        self.P.append(p)
        for c in p:
            self.in_pool[c] = self.in_pool.get(c, 0) + 1

    def _drop_routes(self, c: int) -> None:
        keep = []
        for p in self.P:
            if c in p:
                for x in p:
                    left = self.in_pool[x] - 1
                    if left:
                        self.in_pool[x] = left
                    else:
                        del self.in_pool[x]
            else:
                keep.append(p)
        self.P = keep

    # -- searches -----------------------------------------------------------------------
    def _route(
        self, banned: Set[int] | None, order: int | None, bound: list[float] | None = None
    ) -> list[int] | None:
        """The channels of the shortest route within budget from A to B avoiding
        ``banned`` (None: every channel) and channels of a class below ``order``, pruned
        with ``bound`` (a lower bound on the distance to B without ``banned``; ``dB``
        when not given). Without a class bound it runs in C when compiled
        (``_search.c``: the same search, popping offices in the same order)."""
        eng = self.eng
        adj, level, dset, budget = eng.adj, eng.level, self.dset, self.budget
        dB = self.dB if bound is None else bound
        if order is None and eng.search is not None:
            return eng.search.route(adj, self.src, dset, dB, budget, banned)
        done: set[int] = set()
        best: dict[int, float] = {}
        pred: dict[int, tuple[int, int]] = {}
        heap: list[tuple[float, int]] = []
        for s in self.src:
            best[s] = 0
            heap.append((0, s))
        heapq.heapify(heap)
        while heap:
            d, u = heapq.heappop(heap)
            if u in done:
                continue
            done.add(u)
            if u in dset:
                chans = []
                while u in pred:
                    u, c = pred[u]
                    if c >= 0:
                        chans.append(c)
                return chans[::-1]
            for (tag, v), w in adj[u].items():
                if v in done:
                    continue
                if tag >= 0:
                    if banned is None or tag in banned:
                        continue
                    if order is not None and level[tag].order > order:
                        continue
                nd = d + w
                if nd + dB[v] <= budget and nd < best.get(v, INF):
                    best[v] = nd
                    pred[v] = (u, tag)
                    heapq.heappush(heap, (nd, v))
        return None

    def _dists(self, sources: list[int], banned: Set[int]) -> list[float]:
        """Distances from ``sources`` avoiding ``banned`` channels, clamped at the cap."""
        dist = [float(self.cap)] * self.eng.n
        for x in sources:
            dist[x] = 0.0
        self.eng.relax(dist, [(0.0, x) for x in sources], self.cap, banned)
        return dist

    def _lower(self, dist: list[float], c: int, banned: Set[int]) -> None:
        """Lower ``dist`` (clamped lower bounds) through new channel ``c``."""
        if dist and c not in banned:
            self.eng.lower(dist, self.eng.ends[c], self.eng.lat[c], self.cap, banned)


def _crosses(ends: list[int], lat: int, dA: list[float], dB: list[float], budget: int) -> bool:
    """Whether a channel with these ends could lie on a route within budget."""
    return any(dA[u] + lat + dB[v] <= budget for u in ends for v in ends if u != v)
