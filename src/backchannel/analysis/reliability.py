"""Reliability of contact: the probability that A can still reach B within the budget at
D + H, if each channel open at D fails independently within the horizon (DESIGN.md,
"Reliability of contact").

* **Failure probabilities.** A channel usable at D fails within H with
  ``p = 1 − exp(−λ · H_years)``, λ from :mod:`.rates` (learned per kind from the record,
  overridable by kind or channel). ``reports_to``, membership and ``also`` links never
  fail. With ``live``, the channels :func:`live_failure` names (dormant ones) count as
  already failed.
* **Pruning.** With every channel up, ``dA``/``dB`` are the distances from A's and to B's
  offices. A link u→v of latency l can lie on a path within budget only if
  ``dA(u) + l + dB(v) ≤ budget``; every other link (and every office with
  ``dA + dB > budget``) is dropped. The channels left are the *uncertain* ones; a channel
  with ``p = 0`` joins the links that never fail.
* **Exact** when at most 20 uncertain channels are left: every up/down state is
  enumerated and judged. **Monte Carlo** otherwise: N states drawn with numpy's seeded
  generator, and a 95% Wilson interval.
* **Judging many states at once.** The states are rows of a boolean matrix; distances
  for all rows are relaxed together over the pruned links (a Bellman–Ford round is a few
  numpy operations over rows × links), values that cannot arrive in time cut off at
  ``budget − dB``. No per-state Python loop.
* **Importance.** Birnbaum importance ``R(channel up) − R(channel down)``: exact by
  summing over the other channels' states; in Monte Carlo, the difference of the
  sample's conditional means (a channel with fewer than 50 samples on one side is judged
  again on the first 1,000 samples with the channel forced up and down).
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import BackchannelError
from ..timeline import iso
from .graph import CommGraph, build_graph
from .rates import RateTable, learn_rates, p_fail

if TYPE_CHECKING:
    from ..scenario import Scenario

__all__ = [
    "DEFAULT_SAMPLES",
    "EXACT_LIMIT",
    "Estimate",
    "Pruned",
    "Reliability",
    "ReliabilityChannel",
    "estimate",
    "live_failure",
    "prune",
    "reliability",
    "wilson",
]

EXACT_LIMIT = 20
DEFAULT_SAMPLES = 10_000
Z95 = 1.959963984540054
_MIN_SIDE = 50
_FORCED = 1_000
_CELLS = 1 << 22  # rows × links per relaxation block (about 32 MB of float64)
INF = math.inf


def live_failure(sc: Scenario, channel: str, day: int) -> str | None:
    """Why a channel counts as already failed at ``day`` with ``--live`` (None: it does
    not). The one place to add a reason: ``unresponsive`` is taken from the timeline as
    soon as it has that predicate (DESIGN.md v1.1)."""
    tl = sc.timeline
    if tl.dormant(channel, day):
        return "dormant"
    unresponsive = getattr(tl, "unresponsive", None)
    if unresponsive is not None and unresponsive(channel, day):
        return "unresponsive"
    return None


def wilson(hits: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95% by default).

    >>> [round(x, 4) for x in wilson(90, 100)]
    [0.8256, 0.9448]
    """
    if n <= 0:
        return 0.0, 1.0
    phat = hits / n
    denom = 1 + z * z / n
    centre = (phat + z * z / (2 * n)) / denom
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class ReliabilityChannel:
    """An uncertain channel: its kind, chance to fail within the horizon, importance."""

    id: str
    kind: str
    p_fail: float
    importance: float

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "id": self.id,
            "kind": self.kind,
            "p_fail": self.p_fail,
            "importance": self.importance,
        }


@dataclass(frozen=True)
class Reliability:
    """The probability that ``source`` reaches ``target`` within ``budget_s`` at
    ``day`` + ``horizon_s``, how it was computed, and what it rests on."""

    day: int
    source: str
    target: str
    horizon_s: int
    budget_s: int
    live: bool
    reliability: float
    method: str  # "exact" or "monte_carlo"
    ci: tuple[float, float] | None
    samples: int | None
    seed: int | None
    channels: list[ReliabilityChannel]
    rates: RateTable
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (channel, why), --live
    within_budget_now: bool = True

    def top(self, n: int = 3) -> list[ReliabilityChannel]:
        """The ``n`` channels the pair depends on most (importance > 0)."""
        return [c for c in self.channels if c.importance > 0][:n]

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of `backchannel reliability --json`."""
        return {
            "at": iso(self.day),
            "from": self.source,
            "to": self.target,
            "horizon_s": self.horizon_s,
            "budget_s": self.budget_s,
            "live": self.live,
            "reliability": self.reliability,
            "method": self.method,
            "ci": list(self.ci) if self.ci is not None else None,
            "samples": self.samples,
            "seed": self.seed,
            "within_budget_now": self.within_budget_now,
            "channels": [c.as_dict() for c in self.channels],
            "left_out": [{"id": c, "why": why} for c, why in self.left_out],
            "rates": self.rates.as_list(),
        }


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


def _distances(
    g: CommGraph, sources: Iterable[str], targets: Iterable[str], failed: set[str]
) -> tuple[Any, Any]:
    """Distances from any source office and to any target office, every channel up but
    the ``failed`` ones."""
    import igraph as ig

    n = len(g.offices)
    sa, sb = n, n + 1
    edges = []
    w = []
    for lk in g.links:
        if lk.channel in failed:
            continue
        a, b = g.index[lk.u], g.index[lk.v]
        edges += [(a, b), (b, a)]
        w += [lk.latency, lk.latency]
    edges += [(sa, g.index[o]) for o in sources] + [(g.index[o], sb) for o in targets]
    w += [0] * (len(edges) - len(w))
    net = ig.Graph(n=n + 2, edges=edges, directed=True)
    da = np.array(net.distances(source=[sa], weights=w, mode="out")[0][:n], dtype=float)
    db = np.array(net.distances(source=[sb], weights=w, mode="in")[0][:n], dtype=float)
    return da, db


def prune(
    g: CommGraph,
    sources: Iterable[str],
    targets: Iterable[str],
    budget_s: int,
    p: dict[str, float],
) -> Pruned:
    """Keep the links that can lie on a path within ``budget_s`` (see the module doc).

    ``p`` gives each channel of ``g`` its failure probability (channels with p = 0 never
    fail; a channel missing from ``p`` is taken as failed)."""
    src = sorted(set(sources) & set(g.index))
    dst = sorted(set(targets) & set(g.index))
    empty = np.zeros(0, dtype=np.int64)
    if not src or not dst:
        return Pruned([], np.zeros(0), 0, empty, empty, empty, empty, empty, empty, empty, False)
    failed = {c for c in g.channels if p.get(c, 1.0) >= 1.0}
    da, db = _distances(g, src, dst, failed)
    within = bool(min(da[g.index[o]] for o in dst) <= budget_s)
    if set(src) & set(dst):
        return Pruned([], np.zeros(0), 0, empty, empty, empty, empty, empty, empty, empty, True)
    keep = np.flatnonzero(da + db <= budget_s) if within else empty
    keep = keep[np.argsort(da[keep], kind="stable")]
    local = {int(x): i for i, x in enumerate(keep)}
    links = []
    for lk in g.links:
        if lk.channel in failed:
            continue
        a, b = g.index[lk.u], g.index[lk.v]
        for x, y in ((a, b), (b, a)):
            if x in local and y in local and da[x] + lk.latency + db[y] <= budget_s:
                links.append((local[y], local[x], lk.latency, lk.channel))
    order = {c: i for i, c in enumerate(g.channels)}
    chans = sorted(
        {c for *_, c in links if c is not None and p.get(c, 1.0) > 0.0}, key=order.__getitem__
    )
    col = {c: i for i, c in enumerate(chans)}
    links.sort(key=lambda t: (t[0], t[1]))
    k = len(chans)

    def arr(i: int, dtype: Any) -> np.ndarray:
        return np.array([t[i] for t in links], dtype=dtype)

    return Pruned(
        chans,
        np.array([p[c] for c in chans], dtype=float),
        len(keep),
        np.array([local[g.index[o]] for o in src if g.index[o] in local], dtype=np.int64),
        np.array([local[g.index[o]] for o in dst if g.index[o] in local], dtype=np.int64),
        arr(1, np.int64),
        arr(0, np.int64),
        arr(2, float),
        np.array([col.get(t[3], k) if t[3] is not None else k for t in links], dtype=np.int64),
        budget_s - db[keep],
        within,
        budget_s,
    )


def _weights(p: np.ndarray) -> np.ndarray:
    """Probability of every state of the given channels (bit i of the state = channel i
    up), as a vector of length 2^len(p)."""
    v = np.ones(1)
    for pi in p:
        v = np.concatenate([v * pi, v * (1.0 - pi)])
    return v


def _states(start: int, stop: int, k: int) -> np.ndarray:
    s = np.arange(start, stop, dtype=np.int64)
    return ((s[:, None] >> np.arange(k, dtype=np.int64)) & 1).astype(bool)


def _exact(pr: Pruned) -> tuple[float, np.ndarray]:
    k = pr.k
    total = 1 << k
    phi = np.empty(total, dtype=float)
    step = 1 << 16
    for i in range(0, total, step):
        phi[i : i + step] = pr.reach(_states(i, min(total, i + step), k))
    rel = float(phi @ _weights(pr.p))
    imp = np.zeros(k)
    for j in range(k):
        low, high = _weights(pr.p[:j]), _weights(pr.p[j + 1 :])
        down, up = np.einsum("h,hbl,l->b", high, phi.reshape(high.size, 2, low.size), low)
        imp[j] = up - down
    # sums of many products: keep 12 decimals so that 1 − 1e-16 reads as 1
    return min(1.0, max(0.0, round(rel, 12))), np.round(imp, 12) + 0.0


def _monte_carlo(pr: Pruned, samples: int, seed: int, importance: bool) -> tuple[int, np.ndarray]:
    """Draw ``samples`` states and judge them; returns (hits, importance per channel).

    The channels of the screening routes (``S``) are drawn for every state; the others
    (``R``) only for the states no screening route settles, since a settled state reaches
    in time whatever they do. Importance of a channel c: for c in S, the difference of
    the conditional means over all states; for c in R, the same difference over the
    unsettled states times their share (settled states reach either way). A channel
    with fewer than 50 states on one side is judged again on 1,000 states with it
    forced up and down."""
    rng = np.random.default_rng(seed)
    k = pr.k
    screen = pr.screen() if pr.within_now else []
    in_s = np.zeros(k, dtype=bool)
    for cols in screen:
        in_s[cols] = True
    s_cols, r_cols = np.flatnonzero(in_s), np.flatnonzero(~in_s)
    local = np.full(k, -1, dtype=np.int64)
    local[s_cols] = np.arange(s_cols.size)
    routes = [local[cols] for cols in screen]
    ps, pr_ = pr.p[s_cols].astype(np.float32), pr.p[r_cols].astype(np.float32)
    hits = unsettled = unsettled_hits = 0
    up_n = np.zeros(k, dtype=np.int64)
    up_hit = np.zeros(k, dtype=np.int64)
    step = max(256, min(1 << 14, (1 << 23) // max(1, s_cols.size)))
    for i in range(0, samples, step):
        rows = min(step, samples - i)
        us = rng.random((rows, s_cols.size), dtype=np.float32) >= ps
        phi = np.zeros(rows, dtype=bool)
        for cols in routes:
            phi |= us[:, cols].all(axis=1)
        if not pr.within_now:
            phi[:] = False
        rest = np.flatnonzero(~phi) if pr.within_now else np.zeros(0, dtype=np.int64)
        ur = np.zeros((0, r_cols.size), dtype=bool)
        if rest.size:
            ur = rng.random((rest.size, r_cols.size), dtype=np.float32) >= pr_
            full = np.empty((rest.size, k), dtype=bool)
            full[:, s_cols] = us[rest]
            full[:, r_cols] = ur
            got = pr.reach(full)
            phi[rest] = got
            unsettled += rest.size
            unsettled_hits += int(got.sum())
        hits += int(phi.sum())
        if importance:
            up_n[s_cols] += us.sum(axis=0)
            up_hit[s_cols] += (us & phi[:, None]).sum(axis=0)
            if rest.size:
                up_n[r_cols] += ur.sum(axis=0)
                up_hit[r_cols] += (ur & phi[rest][:, None]).sum(axis=0)
    imp = np.zeros(k)
    if not importance or k == 0:
        return hits, imp
    total = np.where(in_s, samples, unsettled)
    total_hit = np.where(in_s, hits, unsettled_hits)
    down_n, down_hit = total - up_n, total_hit - up_hit
    share = np.where(in_s, 1.0, unsettled / samples)
    with np.errstate(invalid="ignore", divide="ignore"):
        imp = share * (up_hit / up_n - down_hit / down_n)
    imp = np.nan_to_num(imp, nan=0.0)
    thin = [
        j
        for j in range(k)
        if (up_n[j] < _MIN_SIDE or down_n[j] < _MIN_SIDE) and total[j] >= _MIN_SIDE
    ]
    if thin:
        m = min(samples, _FORCED)
        kept = rng.random((m, k), dtype=np.float32) >= pr.p.astype(np.float32)
        forced = np.repeat(kept[None, :, :], 2 * len(thin), axis=0)
        for t, j in enumerate(thin):
            forced[2 * t, :, j] = True
            forced[2 * t + 1, :, j] = False
        phi = pr.reach(forced.reshape(-1, k)).reshape(2 * len(thin), m).mean(axis=1)
        for t, j in enumerate(thin):
            imp[j] = phi[2 * t] - phi[2 * t + 1]
    return hits, imp


@dataclass(frozen=True)
class Estimate:
    """The answer on one graph: probability, method, interval, and per uncertain channel
    ``(id, p_fail, importance)`` sorted by importance, largest first."""

    reliability: float
    method: str
    ci: tuple[float, float] | None
    samples: int | None
    seed: int | None
    channels: list[tuple[str, float, float]]
    within_now: bool


def estimate(
    g: CommGraph,
    sources: Iterable[str],
    targets: Iterable[str],
    budget_s: int,
    p: dict[str, float],
    method: str = "auto",
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    importance: bool = True,
) -> Estimate:
    """Reliability within ``budget_s`` on the graph ``g`` whose channels fail with the
    probabilities ``p`` (see :func:`prune`); ``method`` as in :func:`reliability`."""
    if method not in ("auto", "exact", "monte_carlo"):
        raise BackchannelError(f"method: expected auto, exact or monte_carlo, got '{method}'")
    pr = prune(g, sources, targets, budget_s, p)
    exact = method == "exact" or (method == "auto" and pr.k <= EXACT_LIMIT)
    if exact and pr.k > EXACT_LIMIT:
        raise BackchannelError(
            f"exact: {pr.k} channels can lie on a path within budget (at most {EXACT_LIMIT})"
        )
    if exact:
        rel, imp = _exact(pr)
        ci, n, used_seed = None, None, None
    else:
        hits, imp = _monte_carlo(pr, samples, seed, importance)
        rel, ci, n, used_seed = hits / samples, wilson(hits, samples), samples, seed
    rows = [(c, float(pr.p[i]), float(imp[i])) for i, c in enumerate(pr.channels)]
    rows.sort(key=lambda r: -r[2])  # stable: file order among equals
    return Estimate(rel, "exact" if exact else "monte_carlo", ci, n, used_seed, rows, pr.within_now)


def reliability(
    sc: Scenario,
    a: str,
    b: str,
    day: int,
    horizon_s: int = 31_557_600,
    budget_s: int | None = None,
    live: bool = False,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    rates: dict[str, tuple[str, float]] | None = None,
    method: str = "auto",
    importance: bool = True,
    graph: CommGraph | None = None,
) -> Reliability:
    """The probability that ``a`` can still reach ``b`` within the budget at ``day`` +
    ``horizon_s`` (see the module doc).

    ``budget_s`` defaults to the budget of a watch on this pair, else 1h; ``rates`` are
    overrides as :func:`~backchannel.analysis.rates.read_rates` returns them; ``method``
    is ``auto`` (exact when at most 20 uncertain channels are left), ``exact`` or
    ``monte_carlo``; ``samples`` and ``seed`` drive Monte Carlo. ``graph`` may be given
    to reuse the graph of the same day (built with every usable channel).

    >>> import backchannel
    >>> sc = backchannel.load("example")
    >>> r = reliability(sc, "AAA.CHIEF", "BBB.CHIEF", sc.day("2021-09-01"))
    >>> r.method, round(r.reliability, 4), [c.id for c in r.channels]
    ('exact', 0.7827, ['chiefs-line'])
    """
    if method not in ("auto", "exact", "monte_carlo"):
        raise BackchannelError(f"method: expected auto, exact or monte_carlo, got '{method}'")
    if horizon_s < 0:
        raise BackchannelError("--horizon: must not be negative")
    if samples < 1:
        raise BackchannelError(f"--samples: must be at least 1, got {samples}")
    if budget_s is None:
        watched = [w.budget for w in sc.doc.watch if set(w.between) == {a, b}]
        budget_s = watched[0] if watched else 3600
    src = sc.offices_of(a, day)
    dst = sc.offices_of(b, day)
    table = learn_rates(sc, day, rates)
    if graph is None:
        graph = build_graph(sc, day)
    left_out: list[tuple[str, str]] = []
    p: dict[str, float] = {}
    for ch in graph.channels:
        why = live_failure(sc, ch, day) if live else None
        if why is not None:
            left_out.append((ch, why))
            p[ch] = 1.0
        else:
            p[ch] = p_fail(table.rate(sc, ch), horizon_s)
    if left_out:  # name only those that could have carried contact in time
        could = set(prune(graph, src, dst, budget_s, {**p, **dict.fromkeys(p, 0.5)}).channels)
        left_out = [(c, why) for c, why in left_out if c in could]
    est = estimate(graph, src, dst, budget_s, p, method, samples, seed, importance)
    rows = [
        ReliabilityChannel(c, sc.channels_by_id[c].kind.value, pf, imp)
        for c, pf, imp in est.channels
    ]
    return Reliability(
        day,
        a,
        b,
        horizon_s,
        budget_s,
        live,
        est.reliability,
        est.method,
        est.ci,
        est.samples,
        est.seed,
        rows,
        table,
        left_out,
        est.within_now,
    )
