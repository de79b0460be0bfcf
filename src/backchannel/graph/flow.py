"""Minimum channel cuts: office merging, the hyper-edge gadget and the maximum flow.

Written once and used by resilience (:mod:`backchannel.graph.cuts`), many-pair figures
(:mod:`backchannel.graph.many`) and the incremental engine
(:mod:`backchannel.graph.incremental`, which keeps its own flow but merges offices here).

* **Office merging.** Links that cannot be cut (``reports_to``, ``membership``, ``also``)
  join offices into *blobs* (union-find); no set of channels separates two offices of one
  blob.
* **The gadget.** Each channel is one unit of capacity. A channel between two blobs is an
  undirected unit edge (two opposite arcs of capacity 1); a channel of more ends is a
  hyper-edge: ``c_in → c_out`` of capacity 1, every end ``→ c_in`` and ``c_out →`` every
  end of infinite capacity, so cutting it once cuts it for all of its ends. Parallel
  channels stay separate edges.
* **The flow.** A super source feeds every blob of A, every blob of B drains to a super
  sink; the s–t maximum flow (igraph, in C) is the minimum number of channels to cut, and
  igraph's cut (the arcs leaving the part the source still reaches) names one such set.

>>> uf = UnionFind(4)
>>> uf.union(0, 2); uf.union(3, 2)
>>> [uf.find(i) for i in range(4)]
[0, 1, 0, 0]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .comm import CommGraph

__all__ = ["FlowCut", "FlowNet", "Merged", "UnionFind", "merge_offices"]


class UnionFind:
    """Disjoint sets over ``0 … n-1``; the root of a set is its smallest item."""

    __slots__ = ("parent",)

    def __init__(self, n: int) -> None:
        """``n`` singletons."""
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        """The root of ``x``'s set (with path halving)."""
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, a: int, b: int) -> None:
        """Join the sets of ``a`` and ``b``."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def roots(self) -> list[int]:
        """The root of every item, in item order."""
        return [self.find(i) for i in range(len(self.parent))]


@dataclass(frozen=True)
class Merged:
    """A graph's offices merged by its uncuttable links.

    ``blob[i]`` is the blob of office ``i`` (``graph.offices`` order); ``channels`` maps
    each channel (in order of first appearance) to its ends' blobs, duplicates dropped;
    ``latency`` holds each channel's latency.
    """

    blob: list[int]
    channels: dict[str, tuple[int, ...]]
    latency: dict[str, int]

    def blobs_of(self, offices: Iterable[int]) -> set[int]:
        """The blobs of some office indices."""
        return {self.blob[o] for o in offices}

    def faster(self, max_latency: int) -> dict[str, tuple[int, ...]]:
        """The channels of latency at most ``max_latency``."""
        return {c: e for c, e in self.channels.items() if self.latency[c] <= max_latency}


def merge_offices(g: CommGraph) -> Merged:
    """Merge ``g``'s offices joined by uncuttable links; list each channel's blob ends."""
    index = g.index
    uf = UnionFind(len(g.offices))
    for lk in g.links:
        if lk.channel is None:
            uf.union(index[lk.u], index[lk.v])
    blob = uf.roots()
    channels: dict[str, list[int]] = {}
    latency: dict[str, int] = {}
    for lk in g.links:
        if lk.channel is not None:
            ends = channels.setdefault(lk.channel, [])
            latency[lk.channel] = lk.latency
            for o in (blob[index[lk.u]], blob[index[lk.v]]):
                if o not in ends:
                    ends.append(o)
    return Merged(blob, {c: tuple(e) for c, e in channels.items()}, latency)


@dataclass(frozen=True)
class FlowCut:
    """A maximum flow between two blob sets: its value, one minimum cut, what carries flow.

    ``value`` is None when the two sets share a blob (no set of channels separates them).
    """

    value: int | None
    cut: list[str] = field(default_factory=list)
    carrying: list[str] = field(default_factory=list)


class FlowNet:
    """The unit-capacity flow network of some channels over blobs, built once.

    ``size`` is the number of blobs (blob ids are below it); ``channels`` maps channel
    ids to their blob ends. Channels with fewer than two distinct ends carry nothing.
    """

    def __init__(self, size: int, channels: Mapping[str, Sequence[int]]) -> None:
        """Build the arcs (see the module docstring); igraph is imported here."""
        import igraph as ig

        edges: list[tuple[int, int]] = []
        capacity: list[int] = []
        unit: dict[int, str] = {}  # arc id -> the channel whose unit it is
        order: list[str] = []
        nxt = size
        big = len(channels) + 1
        for c, ends in channels.items():
            bl = list(dict.fromkeys(ends))
            if len(bl) < 2:
                continue
            order.append(c)
            if len(bl) == 2:
                u, v = bl
                unit[len(edges)], unit[len(edges) + 1] = c, c
                edges += [(u, v), (v, u)]
                capacity += [1, 1]
                continue
            cin, cout = nxt, nxt + 1
            nxt += 2
            unit[len(edges)] = c
            edges.append((cin, cout))
            capacity.append(1)
            for b in bl:
                edges += [(b, cin), (cout, b)]
                capacity += [big, big]
        self.size = nxt
        self.big = big
        self.edges = edges
        self.capacity = capacity
        self.unit = unit
        self.order = {c: i for i, c in enumerate(order)}
        self.graph = ig.Graph(n=nxt, edges=edges, directed=True)

    def value(self, src: set[int], dst: set[int]) -> int | None:
        """The maximum flow (minimum channel cut) only; None when ``src`` meets ``dst``."""
        if src & dst:
            return None
        if not src or not dst:
            return 0
        g, cap, s, t = self._terminals(src, dst)
        return round(g.maxflow_value(s, t, capacity=cap))

    def solve(self, src: set[int], dst: set[int], carrying: bool = True) -> FlowCut:
        """The maximum flow with one minimum cut and the channels that carry flow;
        with ``carrying`` false the cut alone (``carrying`` left empty: no flow is read)."""
        if src & dst:
            return FlowCut(None)
        if not src or not dst:
            return FlowCut(0)
        g, cap, s, t = self._terminals(src, dst)
        unit, order = self.unit, self.order.__getitem__
        if not carrying:
            mc = g.st_mincut(s, t, capacity=cap)
            return FlowCut(
                round(mc.value), sorted({unit[e] for e in mc.cut if e in unit}, key=order)
            )
        flow = g.maxflow(s, t, capacity=cap)
        cut = sorted({unit[e] for e in flow.cut if e in unit}, key=order)
        on = flow.flow
        carried = sorted({c for e, c in unit.items() if on[e] > 0.5}, key=order)
        return FlowCut(round(flow.value), cut, carried)

    def _terminals(
        self, src: set[int], dst: set[int]
    ) -> tuple[Any, list[int], int, int]:  # an igraph.Graph (untyped)
        """The network to solve and its ends: the one built, between two single blobs
        (a super source or sink of uncuttable arcs changes no minimum cut); else a copy
        with a super source feeding ``src`` and a super sink draining ``dst``."""
        if len(src) == 1 and len(dst) == 1:
            (a,), (b,) = src, dst
            return self.graph, self.capacity, a, b
        return self._with_terminals(src, dst)

    def _with_terminals(
        self, src: set[int], dst: set[int]
    ) -> tuple[Any, list[int], int, int]:  # an igraph.Graph (untyped)
        import igraph as ig

        s, t = self.size, self.size + 1
        extra = [(s, x) for x in sorted(src)] + [(x, t) for x in sorted(dst)]
        g = ig.Graph(n=self.size + 2, edges=self.edges + extra, directed=True)
        return g, self.capacity + [self.big] * len(extra), s, t
