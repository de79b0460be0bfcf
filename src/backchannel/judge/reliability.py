"""Reliability of contact: the probability that A can still reach B within the budget at
D + H, if each channel open at D fails independently within the horizon (DESIGN.md,
"Reliability of contact").

* **Failure probabilities.** A channel usable at D fails within H with
  ``p = 1 − exp(−λ · H_years)``, λ from :mod:`.rates` (learned per kind from the record,
  overridable by kind or channel). ``reports_to``, membership and ``also`` links never
  fail. With ``live``, the channels :func:`live_failure` names (dormant ones) count as
  already failed.
* **Pruning** (:mod:`.reach`): only links u→v with ``dA(u) + latency + dB(v) ≤ budget``
  can lie on a path within budget; the channels left are the *uncertain* ones.
* **Exact** when at most 20 uncertain channels are left: every up/down state is
  enumerated and judged. **Monte Carlo** otherwise: N states drawn with numpy's seeded
  generator, and a 95% Wilson interval.
* **Judging many states at once** (:mod:`.reach`): screening routes, then relaxation
  rounds vectorised over the states. In Monte Carlo the channels off the screening
  routes are drawn only for the states no route settles.
* **Importance.** Birnbaum importance ``R(channel up) − R(channel down)``: exact by
  summing over the other channels' states; in Monte Carlo, the difference of the
  sample's conditional means (a channel with fewer than 50 samples on one side is judged
  again on the first 1,000 samples with the channel forced up and down).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.dates import iso
from ..core.errors import BackchannelError
from ..graph.comm import CommGraph, build_graph
from ..graph.reach import Pruned, prune
from .rates import RateTable, learn_rates, p_fail

if TYPE_CHECKING:
    from ..record.scenario import Scenario

__all__ = [
    "DEFAULT_SAMPLES",
    "EXACT_LIMIT",
    "Estimate",
    "Reliability",
    "ReliabilityChannel",
    "estimate",
    "live_failure",
    "reliability",
    "wilson",
]

EXACT_LIMIT = 20
DEFAULT_SAMPLES = 10_000
Z95 = 1.959963984540054
_MIN_SIDE = 50
_FORCED = 1_000


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
    probabilities ``p`` (see :func:`prune`); ``method`` as in :func:`reliability`.

    >>> from backchannel.graph.comm import CommGraph, Link
    >>> g = CommGraph(0, ["A", "B"], [Link("A", "B", 900, "x", "x"), Link("A", "B", 900, "y", "y")])
    >>> e = estimate(g, ["A"], ["B"], 3600, {"x": 0.5, "y": 0.2})
    >>> e.method, e.reliability, [(c, imp) for c, _, imp in e.channels]
    ('exact', 0.9, [('y', 0.5), ('x', 0.2)])
    """
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
    overrides as :func:`~backchannel.judge.rates.read_rates` returns them; ``method``
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
