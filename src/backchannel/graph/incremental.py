"""Incremental figures for watched pairs: recompute only what a change can affect.

:class:`Engine` holds the current communication graph and, for each watched pair, its
time to contact, minimum cut, fast minimum cut and level, and keeps them exact while
channels are added and removed one at a time:

* **Time to contact.** For each pair it keeps the current least latency ``L``, the
  channels on one shortest path, and per-office *lower bounds* of the distance from A and
  from B (exact inside radius ``L``, clamped to ``L`` beyond). Removing a channel that is
  not on the shortest path cannot change ``L``. Adding a channel (ends u, v, latency l)
  can only shorten it if ``dA(u) + l + dB(v) < L``; otherwise the bounds are lowered
  through the new channel (a decrease-only relaxation) so they stay lower bounds. Only a
  removal on the path or a possible shortcut runs Dijkstra again (stopped at radius L).
* **Minimum cuts.** Each pair keeps an
  :class:`~backchannel.graph.incremental_flow.IncrementalFlow` on the blob graph (offices
  merged by uncuttable links). A membership change (blobs change) rebuilds everything.
* **Fast cut and level** (both about routes within the budget):
  :class:`~backchannel.graph.incremental_fast.FastPair` per pair — lower bounds of the
  distances from A and B, the cut with a pool of routes within budget, and the route that
  gives the level; most changes are settled in one step (a cut channel removed, a packed
  route replaced, a channel that cannot lie on a route within budget) and the rest are
  solved warm from the pool, with the flow certificate of :mod:`.fastcut` first.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Set
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from ..core.model import Rank
from . import searches
from .comm import membership_links, static_links
from .flow import UnionFind
from .incremental_fast import FastPair
from .incremental_flow import IncrementalFlow

if TYPE_CHECKING:
    from ..record.scenario import Scenario

__all__ = ["Engine", "PairSpec"]

INF = float("inf")
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
    min_level: Rank | None = None


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
        self.level: list[Rank] = [c.level or Rank.official for c in sc.doc.channels]
        self.static = static_links(sc)
        self.usable: set[int] = {self.cidx[c] for c in channels}
        self.members: set[tuple[str, str]] = set(members)
        #: the compiled searches (:mod:`.searches`), or None: the Python ones
        self.search: ModuleType | None = searches.native
        self._build()

    # -- building ---------------------------------------------------------------------
    def _build(self) -> None:
        n = self.n
        self.adj: list[dict[tuple[int, int], int]] = [{} for _ in range(n)]
        uf = UnionFind(n)
        for lk in self.static + membership_links(self.sc, self.members):
            u, v = self.idx[lk.u], self.idx[lk.v]
            tag = _TAGS[lk.via]
            for a, b in ((u, v), (v, u)):
                old = self.adj[a].get((tag, b))
                if old is None or lk.latency < old:
                    self.adj[a][(tag, b)] = lk.latency
            uf.union(u, v)
        self.blob = uf.roots()
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
        self.fasts = [
            FastPair(self, d.src, d.dst, p.budget)
            for d, p in zip(self.dists, self.pairs, strict=True)
        ]
        self.flows: list[IncrementalFlow] = []
        for p in self.pairs:
            src = {self.blob[self.idx[o]] for o in p.sources if o in self.idx}
            dst = {self.blob[self.idx[o]] for o in p.targets if o in self.idx}
            self.flows.append(IncrementalFlow(self, src, dst, INF))

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

    def lower(
        self,
        dist: list[float],
        ends: list[int],
        lat: int,
        cap: float = INF,
        banned: Set[int] = frozenset(),
    ) -> None:
        """Lower ``dist`` through a new channel so it stays a lower bound everywhere
        (``cap``: values at or above it mean "at least ``cap``" and are left as they are;
        ``banned`` channels are not passed through)."""
        heap: list[tuple[float, int]] = []
        for u in ends:
            du = dist[u]
            if du == INF or du + lat >= cap:
                continue
            for v in ends:
                if v != u and du + lat < dist[v]:
                    dist[v] = du + lat
                    heap.append((du + lat, v))
        if heap:
            self.relax(dist, heap, cap, banned)

    def relax(
        self,
        dist: list[float],
        heap: list[tuple[float, int]],
        cap: float = INF,
        banned: Set[int] = frozenset(),
    ) -> None:
        """Dijkstra onward from the ``(distance, office)`` entries of ``heap``, lowering
        ``dist`` below ``cap`` and avoiding ``banned`` channels (in C when compiled: the
        same least fixpoint)."""
        if self.search is not None:
            self.search.relax(self.adj, dist, heap, cap, banned)
            return
        heapq.heapify(heap)
        adj = self.adj
        while heap:
            d, u = heapq.heappop(heap)
            if d > dist[u]:
                continue
            for (tag, v), w in adj[u].items():
                nd = d + w
                if nd < dist[v] and nd < cap and (tag < 0 or tag not in banned):
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
        for f in self.fasts:
            f.add(c)
        for fl in self.flows:
            fl.add(c)

    def remove(self, channel: str) -> None:
        """A channel stopped being usable."""
        c = self.cidx[channel]
        if c not in self.usable:
            return
        self.usable.discard(c)
        self._unlink(c)
        for d in self.dists:
            d.remove(c)
        for f in self.fasts:
            f.remove(c)
        for fl in self.flows:
            fl.remove(c)

    def set_level(self, channel: str, level: Rank) -> None:
        """A channel's level changed (restrict, expel or restore with ``level``)."""
        c = self.cidx[channel]
        old = self.level[c]
        if old == level:
            return
        self.level[c] = level
        if c in self.usable:
            for f in self.fasts:
                f.relevel(c, old, level)

    def set_members(self, members: Iterable[tuple[str, str]]) -> None:
        """Memberships changed: blobs change, so everything is rebuilt."""
        self.members = set(members)
        self._build()

    # -- answers ------------------------------------------------------------------------
    def figures(self) -> list[tuple[int | None, int | None, int | None, Rank | None]]:
        """Per pair: (latency or None, min cut or None, fast min cut or None, level)."""
        out = []
        for d, fa, f in zip(self.dists, self.flows, self.fasts, strict=True):
            lat = None if d.L == INF else int(d.L)
            fast, level = f.figures()
            out.append((lat, None if fa.uncuttable else fa.value, fast, level))
        return out
