"""Many pairs at one date: time to contact and minimum cuts for every pair of a list.

A world question is often a matrix ("every pair of the G20 states in 2005"). Asking
``path`` and ``resilience`` pair by pair rebuilds the flow network for each question;
:func:`pair_figures` builds the graph of the day once and answers every pair from it:

* time to contact: one multi-source shortest-path call over the office graph (igraph),
  the least latency over every office of A and every office of B;
* minimum cut: offices joined by uncuttable links (``reports_to``, membership, ``also``)
  are contracted into blobs; a channel between two blobs is an undirected unit edge
  (parallel channels add up), a channel with more ends a unit hyper-edge gadget; one
  maximum flow per pair, on a graph built once per day (and once more for the fast
  channels, latency ≤ budget).

The figures are those of :func:`backchannel.graph.paths.time_to_contact` and
:func:`backchannel.graph.cuts.resilience` (``latency_s``, ``min_cut``, ``min_cut_fast``);
the tests check them against those functions on the real 2005 world.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core.records import Records
from ..record.scenario import Scenario
from .comm import build_graph

__all__ = ["pair_figures"]

INF = float("inf")


class _Blobs:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class _FlowNet:
    """The blob graph of the channels kept, with unit capacities, built once."""

    def __init__(self, n: int, blob: list[int], channels: dict[str, list[int]]) -> None:
        import igraph as ig

        self.n = n
        self.blob = blob
        caps: dict[tuple[int, int], int] = {}
        edges: list[tuple[int, int]] = []
        capacity: list[int] = []
        nxt = n
        big = len(channels) + 1
        for ends in channels.values():
            bl = sorted({blob[o] for o in ends})
            if len(bl) < 2:
                continue
            if len(bl) == 2:
                u, v = bl
                caps[(u, v)] = caps.get((u, v), 0) + 1
                continue
            cin, cout = nxt, nxt + 1  # a channel with more ends: one unit for all of them
            nxt += 2
            edges.append((cin, cout))
            capacity.append(1)
            for b in bl:
                edges += [(b, cin), (cout, b)]
                capacity += [big, big]
        for (u, v), c in caps.items():
            edges += [(u, v), (v, u)]
            capacity += [c, c]
        self.size = nxt
        self.big = big
        self.edges = edges
        self.capacity = capacity
        self.graph = ig.Graph(n=nxt, edges=edges, directed=True)

    def min_cut(self, src: set[int], dst: set[int]) -> int | None:
        import igraph as ig

        a = {self.blob[o] for o in src}
        b = {self.blob[o] for o in dst}
        if a & b:
            return None  # joined by links that cannot be cut
        if len(a) == 1 and len(b) == 1:
            return round(self.graph.maxflow_value(a.pop(), b.pop(), capacity=self.capacity))
        s, t = self.size, self.size + 1
        extra = [(s, x) for x in sorted(a)] + [(x, t) for x in sorted(b)]
        g = ig.Graph(n=self.size + 2, edges=self.edges + extra, directed=True)
        return round(g.maxflow_value(s, t, capacity=self.capacity + [self.big] * len(extra)))


def pair_figures(sc: Scenario, names: Sequence[str], day: int, budget_s: int = 3600) -> Records:
    """Time to contact and minimum cuts for every pair of ``names`` at the end of ``day``.

    ``names`` are offices, actors or sides; returns one row per unordered pair, in the
    order of ``names``: ``a``, ``b``, ``reachable``, ``latency_s``, ``min_cut``,
    ``min_cut_fast`` (``None`` when the two are joined by uncuttable links).
    """
    import igraph as ig

    g = build_graph(sc, day)
    index = g.index
    n = len(g.offices)
    blobs = _Blobs(n)
    channels: dict[str, list[int]] = {}
    for lk in g.links:
        if lk.channel is None:
            blobs.join(index[lk.u], index[lk.v])
        else:
            ends = channels.setdefault(lk.channel, [])
            for o in (index[lk.u], index[lk.v]):
                if o not in ends:
                    ends.append(o)
    blob = [blobs.find(i) for i in range(n)]
    latency = {lk.channel: lk.latency for lk in g.links if lk.channel is not None}
    full = _FlowNet(n, blob, channels)
    fast = _FlowNet(n, blob, {c: e for c, e in channels.items() if latency[c] <= budget_s})

    offices = {
        name: sorted(index[o] for o in sc.offices_of(name, day) if o in index) for name in names
    }
    sources = sorted({o for os in offices.values() for o in os})
    og = ig.Graph(n=n, edges=[(index[lk.u], index[lk.v]) for lk in g.links], directed=False)
    dist = (
        og.distances(source=sources, target=sources, weights=[lk.latency for lk in g.links])
        if sources
        else []
    )
    row = {o: i for i, o in enumerate(sources)}
    out = Records()
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            best: Any = min(
                (dist[row[x]][row[y]] for x in offices[a] for y in offices[b]), default=INF
            )
            src, dst = set(offices[a]), set(offices[b])
            empty = not src or not dst
            out.append(
                {
                    "a": a,
                    "b": b,
                    "reachable": best != INF,
                    "latency_s": None if best == INF else int(best),
                    "min_cut": 0 if empty else full.min_cut(src, dst),
                    "min_cut_fast": 0 if empty else fast.min_cut(src, dst),
                }
            )
    return out
