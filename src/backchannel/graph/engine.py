"""Incremental figures for watched pairs: recompute only what a change can affect.

:class:`Engine` holds the current communication graph and, for each watched pair, its
time to contact and both minimum cuts, and keeps them exact while channels are added and
removed one at a time:

* **Time to contact.** For each pair it keeps the current least latency ``L``, the
  channels on one shortest path, and per-office *lower bounds* of the distance from A and
  from B (exact inside radius ``L``, clamped to ``L`` beyond). Removing a channel that is
  not on the shortest path cannot change ``L``. Adding a channel (ends u, v, latency l)
  can only shorten it if ``dA(u) + l + dB(v) < L``; otherwise the bounds are lowered
  through the new channel (a decrease-only relaxation) so they stay lower bounds. Only a
  removal on the path or a possible shortcut runs Dijkstra again (stopped at radius L).
* **Minimum cuts.** Offices joined by uncuttable links collapse into *blobs*; each pair
  keeps a maximum flow on the blob graph, one unit per channel (a hyper-edge gadget
  ``c_in → c_out``), and a superset of the blobs the source reaches in the residual graph.
  Removing a channel that carries no flow changes nothing. Removing one that does cancels
  one unit along its flow route and tries one augmenting path. Adding a channel can raise
  the cut by at most one, and only if one of its ends is reachable from the source: one
  augmenting-path search. A membership change (blobs change) rebuilds everything.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .comm import membership_links, static_links

if TYPE_CHECKING:
    from ..record.scenario import Scenario

__all__ = ["Engine", "PairSpec"]

INF = float("inf")
_S, _T = -1, -2
_TAGS = {"reports_to": -1, "membership": -2, "also": -3}


@dataclass(frozen=True)
class PairSpec:
    """A watched pair: the two ends' names, their office sets, the budget and the floor."""

    a: str
    b: str
    sources: frozenset[str]
    targets: frozenset[str]
    budget: int
    floor: int


class _Flow:
    """A maximum flow between two blob sets over channels no slower than ``maxlat``."""

    def __init__(self, eng: Engine, src: set[int], dst: set[int], maxlat: float) -> None:
        self.eng = eng
        self.maxlat = maxlat
        self.src = src
        self.dst = dst
        self.map = {b: _S for b in src}
        self.map.update({b: _T for b in dst})
        self.uncuttable = bool(src & dst)
        self.dead = not src or not dst
        self.fl: dict[int, tuple[int, int]] = {}
        self.ends: dict[int, tuple[int, ...]] = {}
        self.reach: set[int] = set()  # a superset of what S reaches in the residual
        self.coreach: set[int] = set()  # a superset of what reaches T
        self.value = 0
        self.nb: dict[int, set[int]] = {}  # node -> channels usable by this flow
        if not (self.uncuttable or self.dead):
            for cs in eng.blob_chans.values():
                for c in cs:
                    self._attach(c)
            self._solve()

    def _attach(self, c: int) -> None:
        if self.eng.lat[c] > self.maxlat:
            return
        me = self.mends(c)
        if len(me) > 1:
            for e in me:
                self.nb.setdefault(e, set()).add(c)

    # -- graph views ------------------------------------------------------------------
    def mends(self, c: int) -> tuple[int, ...]:
        e = self.ends.get(c)
        if e is None:
            m = self.map
            e = tuple(dict.fromkeys(m.get(b, b) for b in self.eng.chan_blobs[c]))
            self.ends[c] = e
        return e

    def chans(self, u: int) -> set[int] | tuple[()]:
        return self.nb.get(u, ())

    def _nbrs(self, n: int) -> Iterator[int]:
        if n > -3:  # a blob (or S, T)
            for c in self.chans(n):
                yield -3 - 2 * c
                f = self.fl.get(c)
                if f is not None and f[1] == n:
                    yield -4 - 2 * c
            return
        c, out = divmod(-n - 3, 2)
        f = self.fl.get(c)
        if not out:  # c_in
            yield (n - 1) if f is None else f[0]
        else:  # c_out
            yield from self.mends(c)
            if f is not None:
                yield n + 1

    def _bfs(self, start: int, goals: set[int]) -> tuple[list[int] | None, dict[int, int]]:
        parent: dict[int, int] = {start: start}
        q = deque([start])
        while q:
            n = q.popleft()
            for m in self._nbrs(n):
                if m not in parent:
                    parent[m] = n
                    if m in goals:
                        path = [m]
                        while path[-1] != start:
                            path.append(parent[path[-1]])
                        return path[::-1], parent
                    q.append(m)
        return None, parent

    def _preds(self, n: int) -> Iterator[int]:
        """Nodes with a residual arc into ``n``."""
        if n > -3:  # blob z: c_out of each channel; c_in where the flow enters at z
            for c in self.chans(n):
                yield -4 - 2 * c
                f = self.fl.get(c)
                if f is not None and f[0] == n:
                    yield -3 - 2 * c
            return
        c, out = divmod(-n - 3, 2)
        f = self.fl.get(c)
        if not out:  # c_in <- every end; <- c_out if carrying flow
            yield from self.mends(c)
            if f is not None:
                yield n - 1
        else:  # c_out <- c_in if free; <- the exit end if carrying flow
            yield (n + 1) if f is None else f[1]

    def _back(self) -> set[int]:
        """Blobs (and S, T) that reach T in the residual graph: a backward search."""
        seen = {_T}
        q = deque([_T])
        while q:
            for m in self._preds(q.popleft()):
                if m not in seen:
                    seen.add(m)
                    q.append(m)
        return {n for n in seen if n > -3}

    def _extend(self, start: int, grow: set[int], other: set[int], forward: bool) -> bool:
        """Grow ``grow`` (kept closed) from a new channel's gadget node; True as soon as
        it meets ``other`` (then an augmenting path may exist)."""
        step = self._nbrs if forward else self._preds
        local = {start}
        q = deque([start])
        while q:
            for m in step(q.popleft()):
                if m > -3:
                    if m in grow:
                        continue
                    if m in other:
                        return True
                    grow.add(m)
                    q.append(m)
                elif m not in local:
                    local.add(m)
                    q.append(m)
        return False

    def _set(self, c: int, f: tuple[int, int] | None) -> None:
        if f is None or f[0] == f[1]:
            self.fl.pop(c, None)
        else:
            self.fl[c] = f

    def _augment(self, path: list[int]) -> None:
        i = 0
        while i < len(path) - 1:
            u, g = path[i], path[i + 1]
            c, out = divmod(-g - 3, 2)
            nxt = path[i + 2]
            if not out:  # u -> c_in
                if nxt == g - 1:  # -> c_out -> z
                    self._set(c, (u, path[i + 3]))
                    i += 3
                else:  # -> x, taking over the entry
                    self._set(c, (u, self.fl[c][1]))
                    i += 2
            else:  # u is the exit: u -> c_out
                if nxt == g + 1:  # -> c_in -> x: cancel
                    self._set(c, None)
                    i += 3
                else:  # -> z, moving the exit
                    self._set(c, (self.fl[c][0], nxt))
                    i += 2

    def _solve(self) -> None:
        self.fl.clear()
        while True:
            path, parent = self._bfs(_S, {_T})
            if path is None:
                self.reach = {n for n in parent if n > -3}
                self.coreach = self._back()
                break
            self._augment(path)
        self._count()

    def _count(self) -> None:
        v = 0
        for c in self.chans(_S):
            f = self.fl.get(c)
            if f is not None:
                v += (f[0] == _S) - (f[1] == _S)
        self.value = v

    def _improve(self) -> None:
        path, parent = self._bfs(_S, {_T})
        if path is not None:
            self._augment(path)
            path, parent = self._bfs(_S, {_T})
            if path is not None:  # cannot happen after one channel; stay exact anyway
                self._solve()
                return
        self.reach = {n for n in parent if n > -3}
        self.coreach = self._back()
        self._count()

    def _route(self, start: int, goals: set[int], forward: bool) -> tuple[int, list[int]] | None:
        """A flow-carrying route from ``start`` to a goal (or backwards): (goal, channels)."""
        parent: dict[int, tuple[int, int]] = {start: (start, -1)}
        stack = [start]
        while stack:
            u = stack.pop()
            for c in self.chans(u):
                f = self.fl.get(c)
                if f is None or f[0 if forward else 1] != u:
                    continue
                v = f[1 if forward else 0]
                if v in parent:
                    continue
                parent[v] = (u, c)
                if v in goals:
                    goal, out = v, []
                    while v != start:
                        v, ch = parent[v]
                        out.append(ch)
                    return goal, out
                stack.append(v)
        return None

    # -- changes ----------------------------------------------------------------------
    def add(self, c: int) -> None:
        if self.uncuttable or self.dead or self.eng.lat[c] > self.maxlat:
            return
        self.ends.pop(c, None)
        self._attach(c)
        me = self.mends(c)
        if len(me) < 2:
            return
        # An augmenting path must run S ~> u -> c -> v ~> T over the old residual graph;
        # otherwise only the reach sets grow (they stay closed supersets).
        hit_s = any(u in self.reach for u in me)
        hit_t = any(v in self.coreach for v in me)
        if hit_s and hit_t:
            self._improve()
        elif hit_s:
            if self._extend(-3 - 2 * c, self.reach, self.coreach, forward=True):
                self._improve()
        elif hit_t and self._extend(-4 - 2 * c, self.coreach, self.reach, forward=False):
            self._improve()

    def remove(self, c: int) -> None:
        if self.uncuttable or self.dead:
            return
        for e in self.ends.pop(c, ()):
            cs = self.nb.get(e)
            if cs is not None:
                cs.discard(c)
        f = self.fl.pop(c, None)
        if f is None:
            return
        x, y = f
        # Cancel the unit that went through c: follow its flow on from y (to the sink,
        # or round to x), and if it reached the sink, back from x to the source.
        route = (_T, []) if y == _T else self._route(y, {_T, x}, forward=True)
        if route is None:  # cannot happen for a valid flow; stay exact anyway
            self._solve()
            return
        goal, chans = route
        for ch in chans:
            self.fl.pop(ch)
        if goal != x and x != _S:
            back = self._route(x, {_S}, forward=False)
            if back is None:
                self._solve()
                return
            for ch in back[1]:
                self.fl.pop(ch)
        self._improve()


class _Dist:
    """Time to contact for one pair, with lower bounds for pruning (see module doc)."""

    def __init__(self, eng: Engine, src: list[int], dst: list[int]) -> None:
        self.eng = eng
        self.src = src
        self.dst = dst
        self.dset = set(dst)
        self.L: float = INF
        self.path: set[int] = set()
        self.dA: list[float] = []
        self.dB: list[float] = []
        self.solve()

    def solve(self) -> None:
        eng = self.eng
        if not self.src or not self.dst:
            self.L, self.path = INF, set()
            self.dA = self.dB = [INF] * eng.n
            return
        dA, pred, hit, radius = eng.dijkstra(self.src, self.dset, INF)
        self.L = radius if hit is not None else INF
        self.dA = dA
        path: set[int] = set()
        v = hit
        while v is not None and v in pred:
            v, tag = pred[v]
            if tag >= 0:
                path.add(tag)
        self.path = path
        self.dB = eng.dijkstra(self.dst, None, self.L)[0]

    def add(self, c: int) -> None:
        eng = self.eng
        ends, lat = eng.ends[c], eng.lat[c]
        dA, dB, L = self.dA, self.dB, self.L
        best = INF
        for u in ends:
            for v in ends:
                if u != v:
                    s = dA[u] + lat + dB[v]
                    if s < best:
                        best = s
        if best < L:
            self.solve()
            return
        eng.lower(dA, ends, lat)
        eng.lower(dB, ends, lat)

    def remove(self, c: int) -> None:
        if c in self.path:
            self.solve()


class Engine:
    """The current graph and the watched pairs' figures, kept up to date incrementally."""

    def __init__(
        self,
        sc: Scenario,
        pairs: list[PairSpec],
        channels: Iterable[str] = (),
        members: Iterable[tuple[str, str]] = (),
    ) -> None:
        """Start from the given usable channels and memberships."""
        self.sc = sc
        self.pairs = pairs
        self.offices = [o.id for a in sc.doc.actors for o in a.offices]
        self.idx = {o: i for i, o in enumerate(self.offices)}
        self.n = len(self.offices)
        self.cids = [c.id for c in sc.doc.channels]
        self.cidx = {c: i for i, c in enumerate(self.cids)}
        self.lat = [c.latency for c in sc.doc.channels]
        self.ends = [list(dict.fromkeys(self.idx[e] for e in c.ends)) for c in sc.doc.channels]
        self.static = static_links(sc)
        self.usable: set[int] = {self.cidx[c] for c in channels}
        self.members: set[tuple[str, str]] = set(members)
        self._build()

    # -- building ---------------------------------------------------------------------
    def _build(self) -> None:
        n = self.n
        self.adj: list[dict[tuple[int, int], int]] = [{} for _ in range(n)]
        parent = list(range(n))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for lk in self.static + membership_links(self.sc, self.members):
            u, v = self.idx[lk.u], self.idx[lk.v]
            tag = _TAGS[lk.via]
            for a, b in ((u, v), (v, u)):
                old = self.adj[a].get((tag, b))
                if old is None or lk.latency < old:
                    self.adj[a][(tag, b)] = lk.latency
            parent[find(u)] = find(v)
        self.blob = [find(i) for i in range(n)]
        self.chan_blobs: list[tuple[int, ...]] = [
            tuple(dict.fromkeys(self.blob[e] for e in ends)) for ends in self.ends
        ]
        self.blob_chans: dict[int, set[int]] = {}
        for c in self.usable:
            self._link(c)
        self.dists = [
            _Dist(
                self,
                sorted(self.idx[o] for o in p.sources if o in self.idx),
                sorted(self.idx[o] for o in p.targets if o in self.idx),
            )
            for p in self.pairs
        ]
        self.flows: list[tuple[_Flow, _Flow]] = []
        for p in self.pairs:
            src = {self.blob[self.idx[o]] for o in p.sources if o in self.idx}
            dst = {self.blob[self.idx[o]] for o in p.targets if o in self.idx}
            self.flows.append((_Flow(self, src, dst, INF), _Flow(self, src, dst, p.budget)))

    def _link(self, c: int) -> None:
        ends, lat = self.ends[c], self.lat[c]
        for u in ends:
            a = self.adj[u]
            for v in ends:
                if u != v:
                    a[(c, v)] = lat
        if len(self.chan_blobs[c]) > 1:
            for b in self.chan_blobs[c]:
                self.blob_chans.setdefault(b, set()).add(c)

    def _unlink(self, c: int) -> None:
        ends = self.ends[c]
        for u in ends:
            a = self.adj[u]
            for v in ends:
                if u != v:
                    a.pop((c, v), None)
        for b in self.chan_blobs[c]:
            s = self.blob_chans.get(b)
            if s is not None:
                s.discard(c)

    # -- shortest paths -----------------------------------------------------------------
    def dijkstra(
        self, sources: list[int], targets: set[int] | None, limit: float
    ) -> tuple[list[float], dict[int, tuple[int, int]], int | None, float]:
        """Distances from ``sources``: exact up to the stopping radius, that radius beyond.

        Stops at the first target popped, or when the next distance reaches ``limit``.
        Returns (lower bounds, predecessors, the target reached or None, the radius).
        """
        n = self.n
        dist = [INF] * n
        done = [False] * n
        pred: dict[int, tuple[int, int]] = {}
        heap: list[tuple[float, int]] = []
        for s in sources:
            dist[s] = 0
            heap.append((0, s))
        heapq.heapify(heap)
        adj = self.adj
        hit = None
        radius = INF
        while heap:
            d, u = heapq.heappop(heap)
            if done[u] or d > dist[u]:
                continue
            if d >= limit:
                radius = d
                break
            done[u] = True
            if targets is not None and u in targets:
                hit, radius = u, d
                break
            for (tag, v), w in adj[u].items():
                nd = d + w
                if nd < dist[v]:
                    dist[v] = nd
                    pred[v] = (u, tag)
                    heapq.heappush(heap, (nd, v))
        if radius < INF:  # stopped early: everything not settled is at least that far
            for i in range(n):
                if not done[i]:
                    dist[i] = radius
        return dist, pred, hit, radius

    def lower(self, dist: list[float], ends: list[int], lat: int) -> None:
        """Lower ``dist`` through a new channel so it stays a lower bound everywhere."""
        heap: list[tuple[float, int]] = []
        for u in ends:
            du = dist[u]
            if du == INF:
                continue
            for v in ends:
                if v != u and du + lat < dist[v]:
                    dist[v] = du + lat
                    heap.append((du + lat, v))
        if not heap:
            return
        heapq.heapify(heap)
        adj = self.adj
        while heap:
            d, u = heapq.heappop(heap)
            if d > dist[u]:
                continue
            for (_, v), w in adj[u].items():
                nd = d + w
                if nd < dist[v]:
                    dist[v] = nd
                    heapq.heappush(heap, (nd, v))

    # -- changes ------------------------------------------------------------------------
    def add(self, channel: str) -> None:
        """A channel became usable."""
        c = self.cidx[channel]
        if c in self.usable:
            return
        self.usable.add(c)
        self._link(c)
        for d in self.dists:
            d.add(c)
        for fa, ff in self.flows:
            fa.add(c)
            ff.add(c)

    def remove(self, channel: str) -> None:
        """A channel stopped being usable."""
        c = self.cidx[channel]
        if c not in self.usable:
            return
        self.usable.discard(c)
        self._unlink(c)
        for d in self.dists:
            d.remove(c)
        for fa, ff in self.flows:
            fa.remove(c)
            ff.remove(c)

    def set_members(self, members: Iterable[tuple[str, str]]) -> None:
        """Memberships changed: blobs change, so everything is rebuilt."""
        self.members = set(members)
        self._build()

    # -- answers ------------------------------------------------------------------------
    def figures(self) -> list[tuple[int | None, int | None, int | None]]:
        """Per pair: (latency or None, min cut or None, fast min cut or None)."""
        out = []
        for d, (fa, ff) in zip(self.dists, self.flows, strict=True):
            lat = None if d.L == INF else int(d.L)
            out.append(
                (lat, None if fa.uncuttable else fa.value, None if ff.uncuttable else ff.value)
            )
        return out
