"""The route within budget of least weight: a programme over time, in numpy.

The fast cut's linear relaxation (:mod:`.fastcut`) needs, for fractional weights on the
channels, a route that arrives within the budget and whose channels weigh less than one
(a route the fractional cut misses). The least weight under a latency bound is a
shortest path with a resource; latencies here are whole seconds, usually multiples of a
quarter hour, so it is a dynamic programme over time layers: ``best[t, v]``, the least
weight of a route reaching office ``v`` within ``t`` units, from ``best[t - l]`` through
every link of latency ``l`` and, within a layer, through links of no latency until
nothing improves. The layers are filled by a small C extension (``_timeroutes.c``, built
by ``pip install`` through ``setup.py``; one pass over the links per layer, skipping
candidates that weigh one or more) or, where it could not be built, by the same
programme in numpy (a dozen array steps per layer, about four times slower on the big
benchmark world). Both give the same least weight; a tie between routes of equal weight
may be broken apart differently.

The unit is the greatest common divisor of the latencies and the budget. When that gives
more than ``layers`` layers, the unit is coarser and every latency is rounded **up** to
it: a route found then still arrives within the real budget (its real latency is no more
than its rounded one), though a route only just within budget may be missed. So every
route this module returns is a real route within budget; only the least weight can be
missed, which costs the relaxation some strength, never the cut its exactness (the cut is
always checked by an exact search, :func:`.fastcut.lazy_cut`).

>>> rows = [[(1, 900, 0), (2, 900, 1)], [(0, 900, 0), (3, 900, 2)],
...         [(0, 900, 1), (3, 2700, 3)], [(1, 900, 2), (2, 2700, 3)]]
>>> tr = TimeRoutes(rows, [0], [3], 1800)
>>> tr.lightest({0: 0.0, 1: 0.0, 2: 0.0, 3: 0.0})
(0.0, [0, 2])
>>> tr.lightest({0: 0.5, 2: 0.5}) is None   # the only route within budget weighs 1
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from functools import reduce
from types import ModuleType

import numpy as np

_compiled: ModuleType | None
try:  # the same programme in C, built by ``pip install`` where a compiler is at hand
    from . import _timeroutes as _compiled
except ImportError:  # pragma: no cover - installed without a compiler: numpy does it
    _compiled = None

__all__ = ["COMPILED", "LAYERS", "TimeRoutes"]

#: whether the compiled programme (``_timeroutes.c``) is installed; without it the numpy
#: one gives the same weights (ties between routes of equal weight may be broken apart)
COMPILED = _compiled is not None

#: at most this many time layers (the unit is made coarser past it)
LAYERS = 400


class TimeRoutes:
    """The links of adjacency ``rows`` (``(v, latency, channel or -1)`` per office; see
    :func:`.fastcut.budget_rows`) between two office sets, ready for
    :meth:`lightest`."""

    def __init__(
        self,
        rows: Sequence[Iterable[tuple[int, int, int]]],
        src: Iterable[int],
        dst: Iterable[int],
        budget: float,
        layers: int = LAYERS,
        compiled: bool = True,
    ) -> None:
        """Index the links once; each :meth:`lightest` call is then one pass per layer in
        C (``compiled`` and :data:`COMPILED`) or a few numpy steps per layer."""
        tails: list[int] = []
        heads: list[int] = []
        lats: list[int] = []
        chans: list[int] = []
        for u, row in enumerate(rows):
            for v, w, c in row:
                tails.append(u)
                heads.append(v)
                lats.append(int(w))
                chans.append(c)
        self.n = len(rows)
        self.src = sorted(set(src))
        self.dst = sorted(set(dst))
        positive = [x for x in lats if x > 0]
        budget_i = int(budget)
        unit = reduce(math.gcd, positive, budget_i) or 1
        if budget_i // unit > layers:
            unit = -(-budget_i // layers)
        self.layers = budget_i // unit
        self.tail = np.array(tails, dtype=np.int64)
        self.head = np.array(heads, dtype=np.int64)
        self.units = -(-np.array(lats, dtype=np.int64) // unit)  # rounded up
        self.chan = np.array(chans, dtype=np.int64)
        names = sorted({c for c in chans if c >= 0})
        self.names = names
        self._col = {c: i for i, c in enumerate(names)}
        self.col = np.array([self._col.get(c, len(names)) for c in chans], dtype=np.int64)
        usable = self.units <= self.layers
        #: links of no latency (relaxed within a layer until nothing improves)
        self.zero = np.flatnonzero(usable & (self.units == 0))
        #: the other links, by latency: those of latency <= t are the first upto[t]
        moving = np.flatnonzero(usable & (self.units > 0))
        moving = moving[np.argsort(self.units[moving], kind="stable")]
        self.moving = moving
        self.upto = np.searchsorted(self.units[moving], np.arange(self.layers + 1), "right")
        #: for the arc at position i of ``moving``, best[t - lat, tail] is the flat cell
        #: t * n - back[i]
        self.back = self.units[moving] * self.n - self.tail[moving]
        self.heads = self.head[moving]
        self.zheads = self.head[self.zero]
        self.ztails = self.tail[self.zero]
        #: the compiled programme, when asked for and built; it fills buffers kept here
        self._c = _compiled if compiled else None
        if self._c is not None:
            self._src = np.array(self.src, dtype=np.int64)
            self._best = np.empty((self.layers + 1, self.n))
            self._pred = np.empty((self.layers + 1, self.n), dtype=np.int64)

    def lightest(self, weight: Mapping[int, float]) -> tuple[float, list[int]] | None:
        """The route within budget whose channels weigh least (``weight`` per channel,
        0 when absent) if it weighs less than one: (weight, its channels in order).
        None when every route within budget (of the rounded latencies) weighs one or
        more, or none arrives."""
        w_col = np.zeros(len(self.names) + 1)  # the last column: links of no channel
        for c, x in weight.items():
            i = self._col.get(c)
            if i is not None:
                w_col[i] = x
        w = w_col[self.col]
        if self._c is not None:
            best, pred = self._best, self._pred
            self._c.layers(
                self.n, self.layers, self._src, best, pred, self.tail, w[self.moving],
                self.moving, self.back, self.heads, self.upto, self.zero, w[self.zero],
                self.zheads, self.ztails,
            )  # fmt: skip
        else:
            best, pred = self._layers(w)
        top = self.layers
        last = best[top, self.dst]
        j = int(np.argmin(last))
        if not last[j] < 1.0 - 1e-9:
            return None
        v, t = self.dst[j], top
        out: list[int] = []
        while (a := int(pred[t, v])) != -3:
            if a == -1:
                t -= 1
                continue
            if self.chan[a] >= 0:
                out.append(int(self.chan[a]))
            t -= int(self.units[a])
            v = int(self.tail[a])
        return float(last[j]), list(dict.fromkeys(reversed(out)))

    def _layers(self, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The programme in numpy: ``best[t, v]``, ``pred[t, v]`` (the arc giving it; -1
        waited, -2 none, -3 start) for link weights ``w``."""
        n, top = self.n, self.layers
        best = np.full((top + 1, n), np.inf)
        pred = np.full((top + 1, n), -2, dtype=np.int64)  # -3 start, -1 wait, else arc
        best[0, self.src] = 0.0
        pred[0, self.src] = -3
        moving, w_moving, heads = self.moving, w[self.moving], self.heads
        zero, w_zero, zheads, ztails = self.zero, w[self.zero], self.zheads, self.ztails
        flat = best.reshape(-1)
        for t in range(top + 1):
            cur, via = best[t], pred[t]
            if t > 0:
                keep = best[t - 1] < cur
                cur[keep] = best[t - 1][keep]
                via[keep] = -1
                m = int(self.upto[t])
                if m:
                    cand = flat[t * n - self.back[:m]] + w_moving[:m]
                    _improve(cur, via, cand, moving[:m], heads[:m])
            if len(zero):
                while _improve(cur, via, cur[ztails] + w_zero, zero, zheads):
                    pass
        return best, pred


def _improve(
    cur: np.ndarray, via: np.ndarray, cand: np.ndarray, arcs: np.ndarray, heads: np.ndarray
) -> bool:
    """Offer each office in ``heads`` the candidate weight ``cand`` of the arc in
    ``arcs`` into it: ``cur`` takes the least where it improves, ``via`` an arc giving it;
    whether anything improved."""
    ok = cand < cur[heads] - 1e-12
    if not ok.any():
        return False
    arcs, cand, heads = arcs[ok], cand[ok], heads[ok]
    np.minimum.at(cur, heads, cand)
    won = cand == cur[heads]
    via[heads[won]] = arcs[won]
    return True
