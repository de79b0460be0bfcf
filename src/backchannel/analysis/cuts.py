"""Resilience: how many channels must fail before A can no longer reach B.

Each channel is a unit-capacity hyper-edge: nodes ``c_in → c_out`` with capacity 1,
every end ``→ c_in`` and ``c_out →`` every end with infinite capacity, so that a channel
of n ends and parallel channels count right. Uncuttable links (``reports_to``,
``membership``, ``also``) have infinite capacity both ways. A super source feeds every
office of A, every office of B drains to a super sink; the s–t maximum flow (igraph) is
the minimum number of channels to cut.

When A and B are joined by uncuttable links alone (or share an office) no set of channels
separates them: ``min_cut`` is None and ``uncuttable`` is true, with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..dates import parse_duration
from ..errors import BackchannelError
from ..frames import Tabular, frame
from ..timeline import iso
from .graph import CommGraph, build_graph

if TYPE_CHECKING:
    from ..scenario import Scenario

__all__ = ["CutFigures", "CutResult", "cut_on", "resilience"]


@dataclass(frozen=True)
class CutFigures:
    """The minimum cut of one graph: its size, one cut set, the single points of failure.

    ``min_cut`` is None when the ends cannot be separated by cutting channels.
    """

    min_cut: int | None
    cut: list[str] = field(default_factory=list)
    single_points: list[str] = field(default_factory=list)
    uncuttable: bool = False


@dataclass(frozen=True)
class CutResult(Tabular):
    """Resilience of ``source`` ↔ ``target`` at ``day``: over all channels and fast ones."""

    day: int
    source: str
    target: str
    all: CutFigures
    fast: CutFigures
    budget_s: int
    reason: str | None = None
    live: bool = False

    @property
    def min_cut(self) -> int | None:
        """Channels to cut (None: joined by uncuttable links)."""
        return self.all.min_cut

    @property
    def min_cut_fast(self) -> int | None:
        """Fast channels (latency ≤ budget) to cut."""
        return self.fast.min_cut

    @property
    def title(self) -> str:
        """One line: the pair, the date, and both cuts."""
        mode = " (live channels only)" if self.live else ""
        return (
            f"{self.source} ↔ {self.target} at {iso(self.day)}{mode}: "
            f"min cut {_show(self.min_cut)}, fast ({self.budget_s}s) {_show(self.min_cut_fast)}"
        )

    def to_pandas(self) -> Any:
        """Two rows, ``scope`` ``all`` (any channel) and ``fast`` (latency ≤ budget):
        ``min_cut`` (nullable: uncuttable), ``cut`` and ``single_points`` (lists of
        channel ids), ``uncuttable``, ``max_latency_s`` (None for all); then ``at``
        (``datetime64``), ``from``, ``to``, ``live``."""
        rows = [
            {
                "scope": scope,
                "min_cut": f.min_cut,
                "cut": list(f.cut),
                "single_points": list(f.single_points),
                "uncuttable": f.uncuttable,
                "max_latency_s": limit,
                "at": iso(self.day),
                "from": self.source,
                "to": self.target,
                "live": self.live,
            }
            for scope, f, limit in (("all", self.all, None), ("fast", self.fast, self.budget_s))
        ]
        return frame(rows, ("at",))

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of `backchannel resilience --json`."""
        out: dict[str, Any] = {
            "at": iso(self.day),
            "from": self.source,
            "to": self.target,
            "min_cut": self.all.min_cut,
            "cut": list(self.all.cut),
            "single_points": list(self.all.single_points),
            "min_cut_fast": self.fast.min_cut,
            "cut_fast": list(self.fast.cut),
            "single_points_fast": list(self.fast.single_points),
            "budget_s": self.budget_s,
            "uncuttable": self.all.uncuttable,
            "live": self.live,
        }
        if self.reason:
            out["reason"] = self.reason
        return out


def _show(x: int | None) -> str:
    return "uncuttable" if x is None else str(x)


class _Union:
    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {x: x for x in items}

    def find(self, x: str) -> str:
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def join(self, x: str, y: str) -> None:
        self.parent[self.find(x)] = self.find(y)


def _connected(g: CommGraph, src: set[str], dst: set[str], skip: str | None = None) -> bool:
    u = _Union(g.offices)
    for lk in g.links:
        if lk.channel is None or lk.channel != skip:
            u.join(lk.u, lk.v)
    roots = {u.find(o) for o in src}
    return any(u.find(o) in roots for o in dst)


def cut_on(g: CommGraph, sources: Iterable[str], targets: Iterable[str]) -> CutFigures:
    """Minimum channel cut between the office sets in ``g`` (see the module docstring)."""
    import igraph as ig

    src = set(sources) & set(g.index)
    dst = set(targets) & set(g.index)
    if not src or not dst:
        return CutFigures(0)
    fixed = _Union(g.offices)
    for lk in g.links:
        if lk.channel is None:
            fixed.join(lk.u, lk.v)
    roots = {fixed.find(o) for o in src}
    if any(fixed.find(o) in roots for o in dst):
        return CutFigures(None, uncuttable=True)

    n = len(g.offices)
    s, t = n, n + 1
    chans = list(dict.fromkeys(lk.channel for lk in g.links if lk.channel is not None))
    big = len(chans) + 1
    node = {c: (n + 2 + 2 * i, n + 3 + 2 * i) for i, c in enumerate(chans)}
    ends: dict[str, list[str]] = {c: [] for c in chans}
    for lk in g.links:
        if lk.channel is not None:
            for o in (lk.u, lk.v):
                if o not in ends[lk.channel]:
                    ends[lk.channel].append(o)
    edges: list[tuple[int, int]] = []
    caps: list[int] = []
    unit: dict[int, str] = {}
    for lk in g.links:
        if lk.channel is None:
            a, b = g.index[lk.u], g.index[lk.v]
            edges += [(a, b), (b, a)]
            caps += [big, big]
    for c in chans:
        cin, cout = node[c]
        unit[len(edges)] = c
        edges.append((cin, cout))
        caps.append(1)
        for o in ends[c]:
            edges += [(g.index[o], cin), (cout, g.index[o])]
            caps += [big, big]
    edges += [(s, g.index[o]) for o in sorted(src)] + [(g.index[o], t) for o in sorted(dst)]
    caps += [big] * (len(src) + len(dst))
    net = ig.Graph(n=n + 2 + 2 * len(chans), edges=edges, directed=True)
    flow = net.maxflow(s, t, capacity=caps)
    value = round(flow.value)
    cut = sorted((unit[e] for e in flow.cut if e in unit), key=chans.index)
    singles: list[str] = []
    if value == 1:
        carrying = [unit[e] for e in unit if flow.flow[e] > 0.5]
        singles = [c for c in carrying if not _connected(g, src, dst, skip=c)]
    return CutFigures(value, cut, singles)


def resilience(
    sc: Scenario,
    a: str,
    b: str,
    day: object = None,
    budget_s: int | str = 3600,
    live: bool = False,
    cut: Iterable[str] = (),
    graph: CommGraph | None = None,
) -> CutResult:
    """Minimum number of channels whose loss disconnects ``a`` from ``b`` at ``day``.

    ``day`` is a date as text, ``date`` or ``datetime`` (default: the last event's day);
    ``budget_s`` is seconds or a duration (``"1h"``).

    Also one minimum cut set, the single points of failure (channels every path uses),
    and the same over fast channels only (latency ≤ ``budget_s``).

    >>> import backchannel
    >>> sc = backchannel.load("example")
    >>> r = resilience(sc, "AAA", "BBB", "2021-09-01")
    >>> r.min_cut, r.all.cut, r.min_cut_fast
    (2, ['embassy-a-in-b', 'chiefs-line'], 1)
    """
    day = sc.day(day, "date")
    if isinstance(budget_s, str):
        try:
            budget_s = parse_duration(budget_s)
        except ValueError as exc:
            raise BackchannelError(f"budget: {exc}") from None
    src = sc.offices_of(a, day)
    dst = sc.offices_of(b, day)
    g = graph if graph is not None else build_graph(sc, day, live=live, cut=cut)
    full = cut_on(g, src, dst)
    fast = cut_on(g.without(max_latency=budget_s), src, dst)
    reason = None
    if full.uncuttable:
        reason = (
            f"{a} and {b} are joined by reports_to, membership or also links, which cannot be cut"
        )
    elif full.min_cut == 0:
        reason = f"{a} cannot reach {b} on {iso(day)}: nothing left to cut"
    return CutResult(day, a, b, full, fast, budget_s, reason, live)
