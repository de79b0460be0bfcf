"""Time to contact: the least total latency from A to B, and the path it takes.

An actor or side used as an end stands for all of its offices; the answer is the fastest
pair. Unreachable is an answer (``reachable`` false, ``latency_s`` None), not an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.dates import iso
from ..core.errors import BackchannelError
from ..core.frames import Tabular, frame
from ..core.model import Rank
from ..core.records import Records
from .comm import CommGraph
from .daycache import day_graph, structures

if TYPE_CHECKING:
    from ..record.scenario import Scenario

__all__ = ["PathResult", "contact_on", "parse_rank", "time_to_contact"]


@dataclass(frozen=True)
class PathResult(Tabular):
    """Time to contact from ``source`` to ``target`` at ``day``.

    ``path`` is a list of ``{"office", "via", "after_s"}``: each office on the way, the
    link used to reach it (a channel id, ``reports_to``, ``membership`` or ``also``;
    None for the first) and the time elapsed on arrival.
    """

    day: int
    source: str
    target: str
    reachable: bool
    latency_s: int | None
    path: list[dict[str, Any]] = field(default_factory=list)
    reason: str | None = None
    live: bool = False

    @property
    def channels(self) -> list[str]:
        """The channels the path uses, in order."""
        return [s["via"] for s in self.path if s["channel"]]

    def steps(self) -> Records:
        """The path as rows (for a DataFrame): office, via, after_s."""
        return Records({k: s[k] for k in ("office", "via", "after_s")} for s in self.path)

    @property
    def title(self) -> str:
        """One line: from, to, date and the answer."""
        from ..core.dates import format_duration

        head = f"{self.source} → {self.target} at {iso(self.day)}"
        mode = " (live channels only)" if self.live else ""
        if not self.reachable:
            return f"{head}{mode}: unreachable — {self.reason}"
        return f"{head}{mode}: {format_duration(self.latency_s)}"

    def to_pandas(self) -> Any:
        """One row per step: ``step``, ``office``, ``via``, ``channel`` (whether ``via``
        is a channel), ``after_s``; then ``at`` (``datetime64``), ``from``, ``to``,
        ``live``. No rows when unreachable."""
        rows = [
            {
                "step": i,
                "office": s["office"],
                "via": s["via"],
                "channel": bool(s["channel"]),
                "after_s": s["after_s"],
                "at": iso(self.day),
                "from": self.source,
                "to": self.target,
                "live": self.live,
            }
            for i, s in enumerate(self.path)
        ]
        cols = ["step", "office", "via", "channel", "after_s", "at", "from", "to", "live"]
        return frame(rows, ("at",), columns=cols)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of `backchannel path --json`."""
        out: dict[str, Any] = {
            "at": iso(self.day),
            "from": self.source,
            "to": self.target,
            "reachable": self.reachable,
            "latency_s": self.latency_s,
            "path": [{k: s[k] for k in ("office", "via", "after_s")} for s in self.path],
            "live": self.live,
        }
        if self.reason:
            out["reason"] = self.reason
        return out


def parse_rank(value: str | Rank | None) -> Rank | None:
    """A rank name as a :class:`Rank` (None stays None); a clear error for a bad name."""
    if value is None or isinstance(value, Rank):
        return value
    try:
        return Rank(value)
    except ValueError:
        from ..core.suggest import did_you_mean

        hint = did_you_mean(value, [r.value for r in Rank])
        raise BackchannelError(
            f"min_rank: unknown rank '{value}'" + (hint or f" (expected one of {', '.join(Rank)})"),
            param="min_rank",
        ) from None


def contact_on(
    g: CommGraph, sources: Iterable[str], targets: Iterable[str]
) -> tuple[float, list[dict[str, Any]]]:
    """Least latency from any source office to any target office in ``g``, and the path.

    Returns ``(inf, [])`` when no target can be reached.
    """
    src = sorted(set(sources) & set(g.index))
    dst = set(targets) & set(g.index)
    if not src or not dst:
        return float("inf"), []
    both = [o for o in src if o in dst]
    if both:
        return 0, [{"office": both[0], "via": None, "after_s": 0, "channel": False}]
    st = structures(g)
    comp = st.component  # unreachable exactly when no source shares a component with a target
    if not {comp[g.index[o]] for o in src} & {comp[g.index[o]] for o in dst}:
        return float("inf"), []
    ig = st.offices.copy()  # the office graph of the day, plus a super source and sink
    n = len(g.offices)
    s, t = n, n + 1
    ig.add_vertices(2)
    m = len(g.links)
    ig.add_edges([(s, g.index[o]) for o in src] + [(g.index[o], t) for o in sorted(dst)])
    weights = st.weights + [0] * (len(src) + len(dst))
    epath = ig.get_shortest_path(s, t, weights=weights, output="epath")
    steps: list[dict[str, Any]] = []
    at = s
    elapsed = 0  # on arrival at the sink: the least latency
    for e in epath:
        edge = ig.es[e]
        nxt = edge.target if edge.source == at else edge.source
        if e >= m:  # a virtual edge from the super source or to the super sink
            if nxt != t:
                steps.append(
                    {"office": g.offices[nxt], "via": None, "after_s": 0, "channel": False}
                )
        else:
            lk = g.links[e]
            elapsed += lk.latency
            steps.append(
                {
                    "office": g.offices[nxt],
                    "via": lk.via,
                    "after_s": elapsed,
                    "channel": lk.channel is not None,
                }
            )
        at = nxt
    return elapsed, steps


def time_to_contact(
    sc: Scenario,
    a: str,
    b: str,
    day: object = None,
    live: bool = False,
    min_rank: str | Rank | None = None,
    cut: Iterable[str] = (),
    graph: CommGraph | None = None,
) -> PathResult:
    """Time to contact from ``a`` to ``b`` (offices, actors or sides) at the end of ``day``.

    ``day`` is a date as text (``"2021-11-02"``, ``"2021-11"``), a ``date`` or
    ``datetime`` (default: the day of the last event).

    ``min_rank``: the office reached must hold at least that rank (``Rank.order``);
    ``cut``: channels treated as cut; ``live``: dormant channels left out. The graph of
    the day is built once per scenario, day, ``live`` and ``cut`` and shared
    (:mod:`.daycache`); ``graph`` may be given instead (built for the same day and
    options).

    >>> import backchannel
    >>> sc = backchannel.load("example")
    >>> r = time_to_contact(sc, "AAA.CHIEF", "BBB.CHIEF", "2021-09-01")
    >>> r.latency_s, [s["via"] for s in r.path]
    (900, [None, 'chiefs-line'])
    >>> r.to_pandas()[["office", "after_s"]].values.tolist()
    [['AAA.CHIEF', 0], ['BBB.CHIEF', 900]]
    """
    day = sc.day(day, "date")
    rank = parse_rank(min_rank)
    src = sc.offices_of(a, day)
    dst = sc.offices_of(b, day)
    reason = None
    if rank is not None:
        dst = {o for o in dst if sc.offices[o].rank.order <= rank.order}
        if not dst:
            reason = f"no office of {b} holds rank {rank.value} or above"
    g = graph if graph is not None else day_graph(sc, day, live=live, cut=cut)
    dist, steps = contact_on(g, src, dst)
    if dist == float("inf"):
        if reason is None:
            reason = f"no path from {a} to {b} over the channels usable on {iso(day)}"
        return PathResult(day, a, b, False, None, [], reason, live)
    return PathResult(day, a, b, True, int(dist), steps, None, live)
