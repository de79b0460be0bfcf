"""The incremental maximum flow behind the engine's minimum cuts.

Offices joined by uncuttable links are merged into blobs (:mod:`backchannel.graph.flow`);
the blobs of A become the source ``S`` and those of B the sink ``T``. The flow runs on the
*aggregated* blob graph: all the two-ended channels between the same two nodes are one
undirected edge whose capacity is their number, and all the channels of more ends with
the same ends are one hyper-edge gadget ``c_in → c_out`` of that capacity (every end
``→ c_in`` and ``c_out →`` every end of unbounded capacity). Arcs come in pairs (``a`` and
its reverse ``a ^ 1``) with residual capacities in flat lists.

Besides the flow it keeps one **minimum cut** ``X`` (a set containing ``S`` and not
``T`` that no residual arc leaves), stored as the smaller side found by the last search:
either the nodes ``S`` reaches or the nodes that reach ``T``. That certificate decides
most changes without any search:

* **Adding** a channel raises the capacity of one edge or gadget. Unless the new residual
  capacity leaves ``X``, ``X`` is still a cut of the same capacity as the flow: nothing
  changes. Otherwise one augmenting-path search (bidirectional), and the cut is renewed
  from the side that ran out first.
* **Removing** a channel whose edge keeps enough capacity for its flow changes nothing.
  Otherwise one unit on ``x → y`` must go. If ``x → y`` crosses ``X`` the value drops by
  one for sure: the unit is cancelled along the flow (from ``y`` on to ``T``, from ``x``
  back to ``S``) and ``X`` stays a minimum cut. Otherwise a bidirectional search for a
  residual detour ``x ⇝ y`` keeps the value if it finds one; if none exists the value
  drops by one (any flow of the old value would give such a detour), the unit is
  cancelled and the cut renewed.

A rebuild (new blobs) solves from scratch with igraph (in C) and reads its flow back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .incremental import Engine

__all__ = ["IncrementalFlow"]

_S, _T = 0, 1
_BIG = 1 << 40  # the capacity of a gadget's end arcs: more than any flow
_ENDS = (_BIG, 0, _BIG, 0)


class IncrementalFlow:
    """A maximum flow between two blob sets over channels no slower than ``maxlat``."""

    def __init__(self, eng: Engine, src: set[int], dst: set[int], maxlat: float) -> None:
        """Build the aggregated graph of ``eng``'s usable channels and solve it."""
        self.eng = eng
        self.maxlat = maxlat
        self.src = src
        self.dst = dst
        self.uncuttable = bool(src & dst)
        self.dead = not src or not dst
        self.off = self.uncuttable or self.dead
        self.value = 0
        # nodes: S, T, every other blob, then two per gadget
        node = [-1] * eng.n
        nxt = 2
        for b in sorted(set(eng.blob)):
            if b in src:
                node[b] = _S
            elif b in dst:
                node[b] = _T
            else:
                node[b] = nxt
                nxt += 1
        self.node = node
        self.width = nxt
        self.adj: list[list[int]] = [[] for _ in range(nxt)]
        self.head: list[int] = []
        self.res: list[int] = []
        self.cap: list[int] = []
        self.edge: dict[int, int] = {}  # u * width + v (u < v) -> the arc u -> v
        self.gadget: dict[tuple[int, ...], int] = {}  # sorted ends -> the arc c_in -> c_out
        self.new: tuple[int, ...] = ()  # the ends of the gadget made last
        # the cut: ``side`` is its source side when ``zs``, else its sink side
        self.side: set[int] = {_S}
        self.zs = True
        if self.off:
            return
        for c in sorted(eng.usable):
            self._grow(c)
        if self.head:
            self._solve()

    # -- building -----------------------------------------------------------------------
    def _grow(self, c: int) -> int:
        """Add the channel's unit of capacity; returns its arc, or -1 if it carries
        nothing, or -2 - arc for a new gadget (then ``self.new`` holds its ends)."""
        if self.eng.lat[c] > self.maxlat:
            return -1
        node = self.node
        bl = self.eng.chan_blobs[c]
        res, cap = self.res, self.cap
        if len(bl) == 2:
            u, v = node[bl[0]], node[bl[1]]
            if u == v:
                return -1
            if u > v:
                u, v = v, u
            key = u * self.width + v
            a = self.edge.get(key)
            if a is None:
                a = len(res)
                self.edge[key] = a
                self.head += (v, u)
                res += (1, 1)
                cap += (1, 1)
                self.adj[u].append(a)
                self.adj[v].append(a + 1)
                return a
            cap[a] += 1
            cap[a + 1] += 1
            res[a] += 1
            res[a + 1] += 1
            return a
        e = tuple(sorted({node[b] for b in bl}))
        if len(e) < 2:
            return -1
        if len(e) == 2:  # two ends once A's (or B's) blobs are merged: an edge after all
            u, v = e
            key = u * self.width + v
            a = self.edge.get(key)
            if a is None:
                a = len(res)
                self.edge[key] = a
                self.head += (v, u)
                res += (1, 1)
                cap += (1, 1)
                self.adj[u].append(a)
                self.adj[v].append(a + 1)
                return a
            cap[a] += 1
            cap[a + 1] += 1
            res[a] += 1
            res[a + 1] += 1
            return a
        a = self.gadget.get(e)
        if a is not None:
            cap[a] += 1
            res[a] += 1
            return a
        adj, head = self.adj, self.head
        a = len(res)
        self.gadget[e] = a
        cin = len(adj)
        cout = cin + 1
        head += (cout, cin)
        res += (1, 0)
        cap += (1, 0)
        ain = [a]
        aout = [a + 1]
        b = a + 2
        for x in e:  # b: x -> c_in, b + 2: c_out -> x
            head += (cin, x, x, cout)
            res += _ENDS
            cap += _ENDS
            adj[x] += (b, b + 3)
            ain.append(b + 1)
            aout.append(b + 2)
            b += 4
        adj += (ain, aout)
        self.new = e
        return -2 - a

    def _solve(self) -> None:
        """The maximum flow from scratch (igraph), then the cut."""
        import igraph as ig

        head = self.head
        edges = [(head[a ^ 1], head[a]) for a in range(len(head))]
        g = ig.Graph(n=len(self.adj), edges=edges, directed=True)
        flow = g.maxflow(_S, _T, capacity=self.cap).flow
        res, cap = self.res, self.cap
        for a in range(0, len(head), 2):
            f = round(flow[a]) - round(flow[a + 1])
            res[a] = cap[a] - f
            res[a + 1] = cap[a + 1] + f
        self.value = sum(cap[a] - res[a] for a in self.adj[_S])
        self._improve()

    # -- searches -----------------------------------------------------------------------
    def _search(self, s: int, t: int, cut: bool) -> list[int] | None:
        """A residual path ``s ⇝ t`` (its arcs), growing both ends a level at a time from
        the smaller frontier. With none and ``cut``, the side that ran out becomes the
        cut (``s``, ``t`` being ``S``, ``T``)."""
        head, res, adj = self.head, self.res, self.adj
        pf = {s: -1}
        pb = {t: -1}
        ff = [s]
        fb = [t]
        while ff and fb:
            nf = []
            if len(ff) <= len(fb):
                for n in ff:
                    for a in adj[n]:
                        if res[a] > 0:
                            m = head[a]
                            if m not in pf:
                                pf[m] = a
                                if m in pb:
                                    return self._path(pf, pb, m)
                                nf.append(m)
                ff = nf
            else:
                for n in fb:
                    for a in adj[n]:
                        if res[a ^ 1] > 0:
                            m = head[a]
                            if m not in pb:
                                pb[m] = a ^ 1
                                if m in pf:
                                    return self._path(pf, pb, m)
                                nf.append(m)
                fb = nf
        if cut:
            if not ff:
                self.side, self.zs = set(pf), True
            else:
                self.side, self.zs = set(pb), False
        return None

    def _path(self, pf: dict[int, int], pb: dict[int, int], m: int) -> list[int]:
        head = self.head
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
        while (path := self._search(_S, _T, True)) is not None:
            self._push(path, 1)
            self.value += 1

    def _route(self, start: int, goals: tuple[int, ...], forward: bool) -> list[int] | None:
        """Arcs carrying flow from ``start`` to a goal (or, backwards, from a goal to it)."""
        head, res, cap, adj = self.head, self.res, self.cap, self.adj
        parent: dict[int, int] = {start: -1}
        stack = [start]
        while stack:
            u = stack.pop()
            for a in adj[u]:
                b = a if forward else a ^ 1
                if cap[b] - res[b] <= 0:
                    continue
                v = head[a]
                if v in parent:
                    continue
                parent[v] = b
                if v in goals:
                    out = []
                    while (b := parent[v]) >= 0:
                        out.append(b)
                        v = head[b ^ 1] if forward else head[b]
                    return out
                stack.append(v)
        return None

    def _cancel(self, x: int, y: int) -> bool:
        """Cancel the unit that entered ``y`` from ``x`` (already off their arc): on from
        ``y`` to ``T`` (or round to ``x``) and back from ``x`` to ``S``. Returns whether
        the value dropped."""
        if y == _T:
            goal = _T
        else:
            r = self._route(y, (_T, x), True)
            if r is None:  # cannot happen for a valid flow
                raise AssertionError("flow lost")
            self._push(r, -1)
            goal = self.head[r[0]]
        if goal == x:
            return False
        if x != _S:
            r = self._route(x, (_S,), False)
            if r is None:
                raise AssertionError("flow lost")
            self._push(r, -1)
        self.value -= 1
        return True

    # -- changes ------------------------------------------------------------------------
    def add(self, c: int) -> None:
        """A channel became usable."""
        if self.off:
            return
        a = self._grow(c)
        if a == -1:
            return
        side = self.side
        if a < -1:  # a new gadget: it joins its ends' side of the cut if they agree
            a = -2 - a
            n = sum(x in side for x in self.new)
            if n == len(self.new):
                side.update((self.head[a + 1], self.head[a]))
            if n == 0 or n == len(self.new):
                return
            self._improve()
            return
        # more residual capacity on u -> v (and v -> u for an edge)
        u, v = self.head[a + 1], self.head[a]
        iu = u in side
        if iu == (v in side):
            return
        if not self.cap[a + 1] and iu != self.zs:  # a gadget's c_in -> c_out entering X
            return
        self._improve()

    def remove(self, c: int) -> None:
        """A channel stopped being usable."""
        if self.off or self.eng.lat[c] > self.maxlat:
            return
        node = self.node
        bl = self.eng.chan_blobs[c]
        if len(bl) == 2:
            u, v = node[bl[0]], node[bl[1]]
            if u == v:
                return
            a = self.edge[u * self.width + v if u < v else v * self.width + u]
        else:
            e = tuple(sorted({node[b] for b in bl}))
            if len(e) < 2:
                return
            a = self.edge[e[0] * self.width + e[1]] if len(e) == 2 else self.gadget[e]
        res, cap = self.res, self.cap
        k = cap[a]
        f = k - res[a]
        if cap[a + 1]:  # an undirected edge
            if -k < f < k:
                cap[a] -= 1
                cap[a + 1] -= 1
                res[a] -= 1
                res[a + 1] -= 1
                return
            if f < 0:
                a ^= 1
            cap[a] -= 1
            cap[a ^ 1] -= 1
            res[a ^ 1] -= 2
        else:
            if f < k:
                cap[a] -= 1
                res[a] -= 1
                return
            cap[a] -= 1
            res[a + 1] -= 1
        x, y = self.head[a ^ 1], self.head[a]
        if (x in self.side) == self.zs and (y in self.side) != self.zs:
            self._cancel(x, y)  # X was a cut through this unit: one less
            return
        detour = self._search(x, y, False)
        if detour is not None:
            self._push(detour, 1)
            return
        self._cancel(x, y)
        self._improve()
