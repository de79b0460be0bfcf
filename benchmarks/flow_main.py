"""The main branch's IncrementalFlow before issue 15, kept verbatim as the baseline of
benchmarks/flow.py (the per-channel gadget with reach/coreach supersets, pure Python)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backchannel.graph.incremental import Engine

__all__ = ["IncrementalFlow"]

_S, _T = -1, -2


class IncrementalFlow:
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
