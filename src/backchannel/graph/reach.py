"""Which states reach in time: pruning to the links that can matter, then judging many
up/down states of the channels at once (used by :mod:`.reliability`).

* **Pruning.** With every channel up (but those certain to fail), ``dA``/``dB`` are the
  distances from A's and to B's offices. A link u→v of latency l can lie on a path within
  budget only if ``dA(u) + l + dB(v) ≤ budget``; every other link (and every office with
  ``dA + dB > budget``) is dropped. The channels left are the *uncertain* ones; a channel
  with ``p = 0`` joins the links that never fail.
* **Screening routes.** Up to 64 routes within budget that share no channel: a state in
  which one of them is whole reaches in time with no further work.
* **Relaxation.** The other states are columns of a matrix; Gauss–Seidel rounds take the
  offices in order of ``dA`` and relax every state at once (a few numpy operations per
  office), arrivals later than ``budget − dB`` cut off. No per-state Python loop.
"""

from __future__ import annotations

import gc
import itertools
import math
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from .comm import CommGraph

__all__ = ["Pruned", "prune"]

_CELLS = 1 << 22  # rows × links per relaxation block (about 32 MB of float64)
INF = math.inf


@dataclass
class Pruned:
    """The links that can lie on a path within budget, as arrays for many states at once.

    Offices are numbered in order of ``dA`` (distance from A with every channel up).
    Links are directed (u → v), sorted by v; ``chan[i]`` is the column of the link's
    uncertain channel in a state matrix, or ``k`` for a link that never fails; ``slack[v]``
    is ``budget − dB(v)``, the latest arrival at v from which B can still be reached in
    time.
    """

    channels: list[str]  # the uncertain channels, file order
    p: np.ndarray  # their failure probabilities
    n: int  # offices kept
    src: np.ndarray
    dst: np.ndarray
    u: np.ndarray
    v: np.ndarray
    lat: np.ndarray
    chan: np.ndarray
    slack: np.ndarray  # per office
    within_now: bool
    budget_s: int = 0

    @property
    def k(self) -> int:
        """Number of uncertain channels."""
        return len(self.channels)

    def __post_init__(self) -> None:
        # float32 holds every sum exactly while it stays below 2^24 seconds
        self.dtype = np.float32 if 2 * self.budget_s < (1 << 24) else np.float64
        self._screen: list[np.ndarray] | None = None
        starts = np.searchsorted(self.v, np.arange(self.n + 1))
        srcs = set(self.src.tolist())
        self._into = [
            (
                v,
                self.u[lo:hi],
                self.lat[lo:hi, None].astype(self.dtype),
                self.chan[lo:hi],
                self.dtype(self.slack[v]),
            )
            for v, (lo, hi) in enumerate(itertools.pairwise(starts))
            if hi > lo and v not in srcs
        ]

    def screen(self) -> list[np.ndarray]:
        """Up to 64 routes within budget that share no channel, as columns of uncertain
        channels (found once): a state in which every channel of one of them is up
        reaches in time without further work. ``[[]]`` when a route needs no uncertain
        channel at all."""
        if self._screen is not None:
            return self._screen

        with _quiet_gc():
            return self._find_screen()

    def _find_screen(self) -> list[np.ndarray]:
        import igraph as ig

        n = self.n
        s, t = n, n + 1
        edges = list(zip(self.u.tolist(), self.v.tolist(), strict=True))
        edges += [(s, int(x)) for x in self.src] + [(int(x), t) for x in self.dst]
        net = ig.Graph(n=n + 2, edges=edges, directed=True)
        m = self.u.size
        w = [*self.lat.tolist(), *[0.0] * (len(edges) - m)]
        chan = self.chan.tolist()
        by_chan: dict[int, list[int]] = {}
        for e, c in enumerate(chan):
            by_chan.setdefault(c, []).append(e)
        blocked = float(self.budget_s) * 4 + 1
        out: list[np.ndarray] = []
        while len(out) < 64:
            with warnings.catch_warnings():  # igraph warns when t cannot be reached
                warnings.simplefilter("ignore")
                epath = net.get_shortest_path(s, t, weights=w, output="epath")
            if not epath or sum(w[e] for e in epath) > self.budget_s:
                break
            cols = sorted({chan[e] for e in epath if e < m and chan[e] < self.k})
            if not cols:
                out = [np.zeros(0, dtype=np.int64)]
                break
            out.append(np.array(cols, dtype=np.int64))
            for c in cols:
                for e in by_chan[c]:
                    w[e] = blocked
        self._screen = out
        return out

    def reach(self, up: np.ndarray) -> np.ndarray:
        """For each row of ``up`` (states × uncertain channels, True = up): can the pair
        reach within budget? Rows in which a screening route is whole are settled at
        once; the rest go through the relaxation."""
        rows = up.shape[0]
        out = np.zeros(rows, dtype=bool)
        if not self.within_now or rows == 0:
            return out
        if self.n == 0:  # A and B share an office
            out[:] = True
            return out
        for cols in self.screen():
            out |= up[:, cols].all(axis=1)
        rest = np.flatnonzero(~out)
        if rest.size == 0:
            return out
        todo = up[rest]
        block = max(256, _CELLS // max(1, self.u.size, self.n))
        for i in range(0, rest.size, block):
            out[rest[i : i + block]] = self._reach(todo[i : i + block])
        return out

    def _reach(self, up: np.ndarray) -> np.ndarray:
        """Gauss–Seidel rounds over the offices in dA order, every state (column) at once:
        a state whose fastest route never goes back in dA order settles in one round."""
        rows = up.shape[0]
        dt = self.dtype
        pen = np.zeros((self.k + 1, rows), dtype=dt)
        pen[: self.k][~up.T] = INF
        dist = np.full((self.n, rows), INF, dtype=dt)
        dist[self.src] = 0
        for _ in range(self.n):
            changed = False
            for v, us, lat, cs, slack in self._into:
                cand = dist[us] + pen[cs]
                cand += lat
                best = cand.min(axis=0) if cand.shape[0] > 1 else cand[0]
                best[best > slack] = INF
                cur = dist[v]
                if (best < cur).any():
                    np.minimum(cur, best, out=cur)
                    changed = True
            if not changed:
                break
        return dist[self.dst].min(axis=0) < INF


@dataclass(frozen=True)
class _Links:
    """A graph's links as arrays (built once per graph): ends, latency, channel index."""

    channels: list[str]
    u: np.ndarray
    v: np.ndarray
    lat: np.ndarray
    chan: np.ndarray  # index into ``channels``, −1 for links that never fail


def _links(g: CommGraph) -> _Links:
    cached = g.__dict__.get("_reliability_links")
    if cached is not None and cached[0] == len(g.links):
        return cached[1]
    chans = list(dict.fromkeys([*g.channels, *(lk.channel for lk in g.links if lk.channel)]))
    ci = {c: i for i, c in enumerate(chans)}
    idx = g.index
    out = _Links(
        chans,
        np.fromiter((idx[lk.u] for lk in g.links), dtype=np.int64, count=len(g.links)),
        np.fromiter((idx[lk.v] for lk in g.links), dtype=np.int64, count=len(g.links)),
        np.fromiter((lk.latency for lk in g.links), dtype=float, count=len(g.links)),
        np.fromiter(
            (ci[lk.channel] if lk.channel else -1 for lk in g.links),
            dtype=np.int64,
            count=len(g.links),
        ),
    )
    g.__dict__["_reliability_links"] = (len(g.links), out)
    return out


def _distances(
    n: int, u: np.ndarray, v: np.ndarray, lat: np.ndarray, src: list[int], dst: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Distances from any source office and to any target office over the given links."""
    import igraph as ig

    sa, sb = n, n + 1
    edges = np.concatenate(
        [
            np.column_stack([u, v]),
            np.column_stack([v, u]),
            np.array([(sa, x) for x in src] + [(x, sb) for x in dst], dtype=np.int64),
        ]
    )
    w = np.concatenate([lat, lat, np.zeros(len(src) + len(dst))])
    with _quiet_gc():
        net = ig.Graph(n=n + 2, edges=edges.tolist(), directed=True)
        weights = w.tolist()
        da = net.distances(source=[sa], weights=weights, mode="out")[0][:n]
        db = net.distances(source=[sb], weights=weights, mode="in")[0][:n]
    return np.array(da, dtype=float), np.array(db, dtype=float)


@contextmanager
def _quiet_gc() -> Iterator[None]:
    """No garbage collection while many short-lived numbers are made: with a big scenario
    in memory each collection walks every object of it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def prune(
    g: CommGraph,
    sources: Iterable[str],
    targets: Iterable[str],
    budget_s: int,
    p: dict[str, float],
) -> Pruned:
    """Keep the links that can lie on a path within ``budget_s`` (see the module doc).

    ``p`` gives each channel of ``g`` its failure probability (channels with p = 0 never
    fail; a channel missing from ``p`` is taken as failed).

    >>> from backchannel.graph.comm import CommGraph, Link
    >>> links = [Link("A", "B", 900, "fast", "fast"), Link("A", "B", 86400, "slow", "slow")]
    >>> pr = prune(CommGraph(0, ["A", "B"], links), ["A"], ["B"], 3600, {"fast": .1, "slow": .1})
    >>> pr.channels, pr.reach(np.array([[True], [False]])).tolist()
    (['fast'], [True, False])
    """
    src = sorted({g.index[o] for o in sources if o in g.index})
    dst = sorted({g.index[o] for o in targets if o in g.index})
    empty = np.zeros(0, dtype=np.int64)
    if not src or not dst:
        return Pruned([], np.zeros(0), 0, empty, empty, empty, empty, empty, empty, empty, False)
    lk = _links(g)
    # the last entry stands for chan −1, the links that never fail
    pc = np.array([*(p.get(c, 1.0) for c in lk.channels), 0.0], dtype=float)
    alive = pc[lk.chan] < 1.0
    u, v, lat, chan = lk.u[alive], lk.v[alive], lk.lat[alive], lk.chan[alive]
    n = len(g.offices)
    da, db = _distances(n, u, v, lat, src, dst)
    within = bool(da[dst].min() <= budget_s)
    if set(src) & set(dst):
        return Pruned([], np.zeros(0), 0, empty, empty, empty, empty, empty, empty, empty, True)
    keep = np.flatnonzero(da + db <= budget_s) if within else empty
    keep = keep[np.argsort(da[keep], kind="stable")]
    local = np.full(n, -1, dtype=np.int64)
    local[keep] = np.arange(keep.size)
    # both directions of every link, kept when dA(x) + latency + dB(y) ≤ budget
    xs, ys = np.concatenate([u, v]), np.concatenate([v, u])
    lat2, chan2 = np.concatenate([lat, lat]), np.concatenate([chan, chan])
    ok = (local[xs] >= 0) & (local[ys] >= 0)
    ok &= da[xs] + lat2 + db[ys] <= budget_s
    xs, ys, lat2, chan2 = local[xs[ok]], local[ys[ok]], lat2[ok], chan2[ok]
    uncertain = np.unique(chan2[(chan2 >= 0)])
    uncertain = uncertain[pc[uncertain] > 0.0]
    k = uncertain.size
    col = np.full(len(lk.channels) + 1, k, dtype=np.int64)  # the last entry: chan −1
    col[uncertain] = np.arange(k)
    order = np.lexsort((xs, ys))
    return Pruned(
        [lk.channels[i] for i in uncertain],
        pc[uncertain],
        keep.size,
        local[src][local[src] >= 0],
        local[dst][local[dst] >= 0],
        xs[order],
        ys[order],
        lat2[order],
        col[chan2[order]],
        budget_s - db[keep],
        within,
        budget_s,
    )
