"""Resilience: how many channels must fail before A can no longer reach B.

The flow network is :mod:`backchannel.graph.flow`'s: offices joined by uncuttable links
(``reports_to``, ``membership``, ``also``) are merged, every channel is one unit of
capacity (a hyper-edge gadget for channels of more than two ends, so that n-ended and
parallel channels count right), and the s–t maximum flow is the minimum number of
channels to cut.

When A and B are joined by uncuttable links alone (or share an office) no set of channels
separates them: ``min_cut`` is None and ``uncuttable`` is true, with a reason.

The fast figures (``min_cut_fast``, ``cut_fast``, ``single_points_fast``) are the
length-bounded cut of :mod:`backchannel.graph.fastcut`: channels to cut so that no route
arrives within the budget (``min_cut_fast_exact`` false, with ``min_cut_fast_bounds``,
when its time limit stopped the search).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.dates import iso, parse_duration
from ..core.errors import BackchannelError
from ..core.frames import Tabular, frame
from ..core.model import DEFAULT_BUDGET_S
from .comm import CommGraph
from .daycache import day_graph, structures
from .fastcut import fast_cut
from .flow import UnionFind

if TYPE_CHECKING:
    from ..record.scenario import Scenario

__all__ = ["CutFigures", "CutResult", "cut_on", "fast_cut_on", "resilience"]


@dataclass(frozen=True)
class CutFigures:
    """The minimum cut of one graph: its size, one cut set, the single points of failure.

    ``min_cut`` is None when the ends cannot be separated by cutting channels.
    """

    min_cut: int | None
    cut: list[str] = field(default_factory=list)
    single_points: list[str] = field(default_factory=list)
    uncuttable: bool = False
    exact: bool = True
    bounds: tuple[int, int] | None = None  # (lo, hi) when not exact


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
        """Channels to cut so that no route arrives within the budget (None: an
        uncuttable route arrives within it)."""
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
            "min_cut_fast_exact": self.fast.exact,
            "budget_s": self.budget_s,
            "uncuttable": self.all.uncuttable,
            "live": self.live,
        }
        if not self.fast.exact:
            out["min_cut_fast_bounds"] = list(self.fast.bounds or ())
        if self.reason:
            out["reason"] = self.reason
        return out


def _show(x: int | None) -> str:
    return "uncuttable" if x is None else str(x)


def fast_cut_on(
    g: CommGraph, sources: Iterable[str], targets: Iterable[str], budget_s: int
) -> CutFigures:
    """The length-bounded fast cut (:func:`backchannel.graph.fastcut.fast_cut`) as
    :class:`CutFigures`, over the graph's one router (:func:`.daycache.structures`)."""
    r = fast_cut(g, sources, targets, budget_s, router=structures(g).router)
    return CutFigures(r.min_cut, r.cut, r.single_points, r.uncuttable, r.exact, r.bounds)


def _connected(g: CommGraph, src: set[str], dst: set[str], skip: str) -> bool:
    """Whether ``src`` still reaches ``dst`` in ``g`` without the channel ``skip``."""
    uf = UnionFind(len(g.offices))
    for lk in g.links:
        if lk.channel != skip:
            uf.union(g.index[lk.u], g.index[lk.v])
    roots = {uf.find(g.index[o]) for o in src}
    return any(uf.find(g.index[o]) in roots for o in dst)


def cut_on(g: CommGraph, sources: Iterable[str], targets: Iterable[str]) -> CutFigures:
    """Minimum channel cut between the office sets in ``g`` (see :mod:`.flow`), over the
    graph's one flow network (:func:`.daycache.structures`)."""
    src = set(sources) & set(g.index)
    dst = set(targets) & set(g.index)
    if not src or not dst:
        return CutFigures(0)
    st = structures(g)
    merged = st.merged
    a = merged.blobs_of(g.index[o] for o in src)
    b = merged.blobs_of(g.index[o] for o in dst)
    if a & b:
        return CutFigures(None, uncuttable=True)
    res = st.flow.solve(a, b, carrying=False)
    singles: list[str] = []
    if res.value == 1:  # the single points of failure are among the channels carrying flow
        res = st.flow.solve(a, b)
        singles = [c for c in res.carrying if not _connected(g, src, dst, skip=c)]
    return CutFigures(res.value, res.cut, singles)


def resilience(
    sc: Scenario,
    a: str,
    b: str,
    day: object = None,
    budget_s: int | str = DEFAULT_BUDGET_S,
    live: bool = False,
    cut: Iterable[str] = (),
    graph: CommGraph | None = None,
) -> CutResult:
    """Minimum number of channels whose loss disconnects ``a`` from ``b`` at ``day``.

    ``day`` is a date as text, ``date`` or ``datetime`` (default: the last event's day);
    ``budget_s`` is seconds or a duration (``"1h"``).

    Also one minimum cut set, the single points of failure (channels every path uses),
    and the length-bounded fast cut: channels to cut so that no route arrives within
    ``budget_s`` (:mod:`backchannel.graph.fastcut`).

    The graph of the day and its flow network are built once per scenario, day, ``live``
    and ``cut`` and shared by every question about them (:mod:`.daycache`); ``graph``
    may be given instead (built for the same day and options).

    >>> import backchannel
    >>> sc = backchannel.load("example")
    >>> r = resilience(sc, "AAA", "BBB", "2021-09-01")
    >>> r.min_cut, r.all.cut, r.min_cut_fast
    (2, ['embassy-a-in-b', 'chiefs-line'], 1)
    """
    day = sc.day(day, "day")
    if isinstance(budget_s, str):
        try:
            budget_s = parse_duration(budget_s)
        except ValueError as exc:
            raise BackchannelError(f"budget_s: {exc}", param="budget_s") from None
    src = sc.offices_of(a, day)
    dst = sc.offices_of(b, day)
    g = graph if graph is not None else day_graph(sc, day, live=live, cut=cut)
    full = cut_on(g, src, dst)
    fast = fast_cut_on(g, src, dst, budget_s)
    reason = None
    if full.uncuttable:
        reason = (
            f"{a} and {b} are joined by reports_to, membership or also links, which cannot be cut"
        )
    elif full.min_cut == 0:
        reason = f"{a} cannot reach {b} on {iso(day)}: nothing left to cut"
    return CutResult(day, a, b, full, fast, budget_s, reason, live)
