"""The incremental maximum flow behind the engine's minimum cuts.

Offices joined by uncuttable links are merged into blobs (:mod:`backchannel.graph.flow`).
The flow runs on the *aggregated* blob graph: all the two-ended channels between the same
two blobs are one undirected edge whose capacity is their number, and all the channels of
more ends with the same ends are one hyper-edge gadget ``c_in → c_out`` of that capacity
(every end ``→ c_in`` and ``c_out →`` every end of unbounded capacity). Arcs come in pairs
(``a`` and its reverse ``a ^ 1``). That graph (:class:`_Graph`) is built once per engine
build and shared by every watched pair; each pair keeps only its residual capacities, its
value and one minimum cut. The blobs of A act as one source ``S`` and those of B as one
sink ``T``: searches start from all of them at once, and a search for a detour never
passes through them (an arc among A's blobs is inside ``S``).

The **minimum cut** ``X`` (a set holding ``S`` and not ``T`` that no residual arc leaves)
is stored as the smaller side found by the last search: either what ``S`` reaches or
what reaches ``T``. It decides most changes without any search:

* **Adding** a channel raises the capacity of one edge or gadget. Unless the new residual
  capacity leaves ``X``, ``X`` is still a cut of the flow's value: nothing changes.
  Otherwise one augmenting-path search (bidirectional, from the smaller frontier). If it
  finds a path, that path left ``X`` by the new unit and filled it, so ``X`` is a cut of
  the new value; if not, the cut is renewed from the side that ran out first.
* **Removing** a channel whose edge keeps enough capacity for its flow changes nothing.
  Otherwise one unit on ``x → y`` must go. If ``x → y`` leaves ``X`` the value drops by
  one for sure (no flow enters ``X``): the unit is cancelled along the flow (from ``y``
  on to ``T``, from ``x`` back to ``S``) and ``X`` stays a minimum cut. Otherwise a
  search for a residual detour ``x ⇝ y`` keeps the value if it finds one; if not, the
  unit is cancelled and one augmenting-path search settles the value and the cut (a
  flow of the old value would give a detour, through ``S`` or ``T`` if need be).

A rebuild (new blobs) solves each pair from scratch: shortest augmenting paths, each
filled to its bottleneck (faster here than igraph's solver with its import and the flow
read back).
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .incremental import Engine

__all__ = ["IncrementalFlow"]

_BIG = 1 << 40  # the capacity of a gadget's end arcs: more than any flow
_ENDS = (0, 0, _BIG, 0, _BIG, 0)  # initial capacities: c_in -> c_out, then one end's arcs
_shared: weakref.WeakKeyDictionary[Engine, dict[float, _Graph]] = weakref.WeakKeyDictionary()


class _Graph:
    """The aggregated blob graph of an engine's usable channels, shared by its pairs.

    ``cap`` holds every arc's capacity; ``init`` the capacity an arc had when it was made
    (a pair's residual capacity for it before it saw the change that made it).
    """

    def __init__(self, eng: Engine, maxlat: float) -> None:
        self.eng = eng
        self.blob = eng.blob
        self.maxlat = maxlat
        self.width = eng.n
        self.adj: list[list[int]] = [[] for _ in range(eng.n)]
        self.head: list[int] = []
        self.cap: list[int] = []
        self.init: list[int] = []
        self.edge: dict[int, int] = {}  # u * width + v (u < v) -> the arc u -> v
        self.gadget: dict[tuple[int, ...], int] = {}  # sorted ends -> the arc c_in -> c_out
        self.ends: dict[int, tuple[int, ...]] = {}  # gadget arc -> its ends
        self.arc_of: dict[int, int] = {}  # channel -> its arc (-1: carries nothing)
        self.on: set[int] = set()  # channels counted in ``cap``
        for c in sorted(eng.usable):
            self.add(c)

    def arc(self, c: int) -> int:
        """The channel's arc (made on first sight), or -1 if it carries nothing."""
        a = self.arc_of.get(c)
        if a is not None:
            return a
        bl = self.eng.chan_blobs[c]
        if self.eng.lat[c] > self.maxlat or len(bl) < 2:
            a = -1
        elif len(bl) == 2:
            u, v = bl
            a = self._edge(u, v) if u < v else self._edge(v, u)
        else:
            e = tuple(sorted(bl))
            a = self.gadget.get(e, -1)
            if a < 0:
                a = self._gadget(e)
        self.arc_of[c] = a
        return a

    def _edge(self, u: int, v: int) -> int:
        key = u * self.width + v
        a = self.edge.get(key)
        if a is None:
            a = len(self.head)
            self.edge[key] = a
            self.head += (v, u)
            self.cap += (0, 0)
            self.init += (0, 0)
            self.adj[u].append(a)
            self.adj[v].append(a + 1)
        return a

    def _gadget(self, e: tuple[int, ...]) -> int:
        adj, head = self.adj, self.head
        a = len(head)
        self.gadget[e] = a
        self.ends[a] = e
        cin = len(adj)
        cout = cin + 1
        head += (cout, cin)
        ain = [a]
        aout = [a + 1]
        b = a + 2
        for x in e:  # b: x -> c_in, b + 2: c_out -> x
            head += (cin, x, x, cout)
            adj[x] += (b, b + 3)
            ain.append(b + 1)
            aout.append(b + 2)
            b += 4
        adj += (ain, aout)
        caps = _ENDS[:2] + _ENDS[2:] * len(e)
        self.cap += caps
        self.init += caps
        return a

    def add(self, c: int) -> int:
        """Count a newly usable channel (once, whichever pair sees it first)."""
        a = self.arc(c)
        if a >= 0 and c not in self.on:
            self.on.add(c)
            self.cap[a] += 1
            if a not in self.ends:
                self.cap[a + 1] += 1
        return a

    def remove(self, c: int) -> int:
        """Uncount a channel that stopped being usable (once)."""
        a = self.arc_of.get(c, -1)
        if a >= 0 and c in self.on:
            self.on.discard(c)
            self.cap[a] -= 1
            if a not in self.ends:
                self.cap[a + 1] -= 1
        return a

    def synced(self) -> bool:
        """Whether the counted channels are still the engine's usable ones (they are while
        every change reaches a pair)."""
        use, on = self.eng.usable, self.on
        return on <= use and all(c in on or self.arc_of.get(c) == -1 for c in use)


def _graph(eng: Engine, maxlat: float) -> _Graph:
    """The engine's shared graph for its current blobs (made on first use)."""
    per = _shared.setdefault(eng, {})
    g = per.get(maxlat)
    if g is None or g.blob is not eng.blob or not g.synced():
        per[maxlat] = g = _Graph(eng, maxlat)
    return g


class IncrementalFlow:
    """A maximum flow between two blob sets over channels no slower than ``maxlat``."""

    def __init__(self, eng: Engine, src: set[int], dst: set[int], maxlat: float) -> None:
        """Solve the pair on the engine's (shared) graph of its usable channels."""
        self.eng = eng
        self.maxlat = maxlat
        self.src = set(src)
        self.dst = set(dst)
        self.term = self.src | self.dst
        self.uncuttable = bool(src & dst)
        self.dead = not src or not dst
        self.off = self.uncuttable or self.dead
        self.value = 0
        self.g = _graph(eng, maxlat)
        self.res: list[int] = []
        # the cut: ``side`` is its source side when ``zs``, else its sink side
        self.side: set[int] = set(self.src)
        self.zs = True
        if self.off:
            return
        self._solve()

    def _solve(self) -> None:
        """The maximum flow from scratch: shortest augmenting paths, each filled to its
        bottleneck (capacities are aggregated), until none is left; then the cut."""
        res = self.res = list(self.g.cap)
        while (path := self._search(-1, -2, True)) is not None:
            d = min(res[a] for a in path)
            self._push(path, d)
            self.value += d

    # -- searches -----------------------------------------------------------------------
    def _search(self, s: int, t: int, cut: bool) -> list[int] | None:
        """A residual path ``s ⇝ t`` (its arcs; ``-1`` for ``S``, ``-2`` for ``T``),
        grown from both ends a level at a time from the smaller frontier, through no
        blob of A or B. With none and ``cut``, the side that ran out becomes the cut."""
        g = self.g
        head, res, adj, term = g.head, self.res, g.adj, self.term
        pf = dict.fromkeys(self.src if s == -1 else self.dst if s == -2 else (s,), -1)
        pb = dict.fromkeys(self.src if t == -1 else self.dst if t == -2 else (t,), -1)
        ff = list(pf)
        fb = list(pb)
        while ff and fb:
            nf = []
            if len(ff) <= len(fb):
                for n in ff:
                    for a in adj[n]:
                        if res[a] > 0:
                            m = head[a]
                            if m not in pf:
                                if m in pb:
                                    pf[m] = a
                                    return self._path(pf, pb, m)
                                if m in term:
                                    continue
                                pf[m] = a
                                nf.append(m)
                ff = nf
            else:
                for n in fb:
                    for a in adj[n]:
                        if res[a ^ 1] > 0:
                            m = head[a]
                            if m not in pb:
                                if m in pf:
                                    pb[m] = a ^ 1
                                    return self._path(pf, pb, m)
                                if m in term:
                                    continue
                                pb[m] = a ^ 1
                                nf.append(m)
                fb = nf
        if cut:
            if not ff:
                self.side, self.zs = set(pf), True
            else:
                self.side, self.zs = set(pb), False
        return None

    def _path(self, pf: dict[int, int], pb: dict[int, int], m: int) -> list[int]:
        head = self.g.head
        out = []
        n = m
        while (a := pf[n]) >= 0:
            out.append(a)
            n = head[a ^ 1]
        out.reverse()
        n = m
        while (a := pb[n]) >= 0:
            out.append(a)
            n = head[a]
        return out

    def _push(self, arcs: list[int], d: int) -> None:
        res = self.res
        for a in arcs:
            res[a] -= d
            res[a ^ 1] += d

    def _improve(self) -> None:
        """Augment while a path exists (at most once after one change), then renew the
        cut."""
        while (path := self._search(-1, -2, True)) is not None:
            self._push(path, 1)
            self.value += 1

    def _route(self, start: int, stop: int, forward: bool) -> tuple[int, list[int]]:
        """Arcs carrying flow from ``start`` on to a blob of A or B or ``stop`` (or,
        backwards, from one to ``start``): (where it ended, the arcs)."""
        g = self.g
        head, cap, adj, term = g.head, g.cap, g.adj, self.term
        res = self.res
        if start in term:
            return start, []
        parent: dict[int, int] = {start: -1}
        stack = [start]
        while stack:
            u = stack.pop()
            for a in adj[u]:
                b = a if forward else a ^ 1
                if cap[b] <= res[b]:
                    continue
                v = head[a]
                if v in parent:
                    continue
                parent[v] = b
                if v in term or v == stop:
                    end, out = v, []
                    while (b := parent[v]) >= 0:
                        out.append(b)
                        v = head[b ^ 1] if forward else head[b]
                    return end, out
                stack.append(v)
        raise AssertionError("a unit of flow has no route")  # cannot happen

    def _cancel(self, x: int, y: int) -> int:
        """Cancel the unit that went from ``x`` to ``y`` (already off their arc): on from
        ``y`` (to ``T``, ``S`` or round to ``x``) and back from ``x``. Returns the change
        of the value."""
        end, arcs = self._route(y, x, True)
        self._push(arcs, -1)
        d = 1 if end in self.src else 0
        if end != x:
            start, arcs = self._route(x, -3, False)
            self._push(arcs, -1)
            d -= 1 if start in self.src else 0
        self.value += d
        return d

    # -- changes ------------------------------------------------------------------------
    def add(self, c: int) -> None:
        """A channel became usable."""
        g = self.g
        a = g.add(c)
        if a < 0 or self.off:
            return
        res = self.res
        n = len(res)
        if n < len(g.init):
            res += g.init[n:]
        side, zs = self.side, self.zs
        head = g.head
        u, v = head[a + 1], head[a]
        if a in g.ends:
            res[a] += 1
            if a >= n:  # a new gadget: it joins its ends' side of the cut if they agree
                e = g.ends[a]
                k = sum(x in side for x in e)
                if k == len(e):
                    side.update((u, v))
                if k == 0 or k == len(e):
                    return
                side.add(u if zs else v)  # else c_in in X, c_out not: X is left by one unit
            elif (u in side) != zs or (v in side) == zs:
                return  # c_in -> c_out does not leave X
        else:
            res[a] += 1
            res[a + 1] += 1
            if (u in side) == (v in side):
                return
        self._raise()

    def _raise(self) -> None:
        """One more unit of residual capacity leaves the cut ``X``: augment if a path
        exists (``X`` is then a cut of the new value: the path left ``X`` by that unit and
        filled it), else renew the cut."""
        path = self._search(-1, -2, True)
        if path is not None:
            self._push(path, 1)
            self.value += 1

    def remove(self, c: int) -> None:
        """A channel stopped being usable."""
        g = self.g
        a = g.remove(c)
        if a < 0 or self.off:
            return
        res = self.res
        k = g.cap[a] + 1  # before the change
        f = k - res[a]
        if a in g.ends:
            if f < k:
                res[a] -= 1
                return
            res[a + 1] -= 1
        else:
            if -k < f < k:
                res[a] -= 1
                res[a + 1] -= 1
                return
            if f < 0:
                a ^= 1
            res[a ^ 1] -= 2
        x, y = g.head[a ^ 1], g.head[a]
        src, dst = self.src, self.dst
        if (x in src and y in src) or (x in dst and y in dst):
            return  # a unit inside S (or T)
        side, zs = self.side, self.zs
        if (x in side) == zs and (y in side) != zs:
            # X was a cut through this unit: one less (unless the flow had a cycle)
            if self._cancel(x, y) != -1:
                self._improve()
            return
        detour = self._search(
            -1 if x in src else -2 if x in dst else x,
            -1 if y in src else -2 if y in dst else y,
            False,
        )
        if detour is not None:
            self._push(detour, 1)
            return
        self._cancel(x, y)
        self._improve()
