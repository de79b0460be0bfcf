"""The structures of one day, built once and shared by every question about that day.

A question about a pair at a day (:func:`~backchannel.graph.paths.time_to_contact`,
:func:`~backchannel.graph.cuts.resilience`, :func:`~backchannel.graph.many.pair_figures`)
needs the communication graph of the day (:func:`~backchannel.graph.comm.build_graph`)
and, built from it, the offices merged by uncuttable links with the flow network over
them (:mod:`.flow`), the router of the fast cut (:mod:`.fastcut`) and an igraph of the
offices for shortest paths. Built per question they cost far more than the question.

* :func:`day_graph` builds the graph once per scenario, day and options (``live``,
  ``cut``, ``max_latency``) and hands the same graph to every later question;
* :func:`structures` builds the rest once per graph, each part on first use (a graph
  given by a caller gets them too, for as long as it lives).

The cache lives with the scenario object (a weak map: it goes when the scenario goes),
holds the :data:`DAYS` most recently used entries, and is keyed on the object itself: a
what-if fork or a copy with activity (:meth:`Scenario.with_activity`) is another object
and never reads its parent's entries. A scenario whose ``doc`` or ``timeline`` is
replaced starts afresh. The graph handed out is shared: treat it as read-only
(:meth:`CommGraph.without` makes a copy).

>>> import backchannel
>>> sc = backchannel.load("example")
>>> g = day_graph(sc, "2021-09-01")
>>> g is day_graph(sc, "2021-09-01") and g is not day_graph(sc, "2021-09-01", live=True)
True
>>> g.records() == build_graph(sc, "2021-09-01").records()
True
>>> structures(g) is structures(g)
True
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .comm import CommGraph, build_graph, check_channels
from .fastcut import Router
from .flow import FlowNet, Merged, merge_offices

if TYPE_CHECKING:
    from ..record.scenario import Scenario

__all__ = ["DAYS", "DayStructures", "cached_keys", "clear", "day_graph", "structures"]

#: how many (day, options) entries each scenario keeps, most recently used first
DAYS = 4

_lock = threading.Lock()


@dataclass
class _Entries:
    """One scenario's cache: what it was built from, and the graphs by key."""

    doc: Any
    timeline: Any
    graphs: OrderedDict[Hashable, CommGraph]


_by_scenario: weakref.WeakKeyDictionary[Scenario, _Entries] = weakref.WeakKeyDictionary()


class DayStructures:
    """What the pair questions need beside a graph, each built on first use and kept.

    ``merged`` (offices merged by uncuttable links), ``flow`` (the unit-capacity
    :class:`~backchannel.graph.flow.FlowNet` over the merged offices), ``router`` (the
    fast cut's :class:`~backchannel.graph.fastcut.Router`), ``offices`` (an igraph of
    the offices, one edge per link in ``graph.links`` order, with ``weights`` the links'
    latencies) and ``component`` (each office's connected component). All are read-only
    once built.
    """

    def __init__(self, graph: CommGraph) -> None:
        """Nothing is built yet."""
        self.graph = graph
        self._lock = threading.Lock()
        self._merged: Merged | None = None
        self._flow: FlowNet | None = None
        self._router: Router | None = None
        self._offices: Any = None  # igraph.Graph (untyped)
        self._weights: list[int] | None = None
        self._component: list[int] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (or deep-copied) with its graph: empty again, rebuilt on first use."""
        return (DayStructures, (self.graph,))

    @property
    def merged(self) -> Merged:
        """The graph's offices merged by its uncuttable links (:func:`.merge_offices`)."""
        if self._merged is None:
            with self._lock:
                if self._merged is None:
                    self._merged = merge_offices(self.graph)
        return self._merged

    @property
    def flow(self) -> FlowNet:
        """The flow network of every channel over the merged offices."""
        if self._flow is None:
            merged = self.merged
            with self._lock:
                if self._flow is None:
                    self._flow = FlowNet(len(self.graph.offices), merged.channels)
        return self._flow

    @property
    def router(self) -> Router:
        """The fast cut's router over every link of the graph."""
        if self._router is None:
            with self._lock:
                if self._router is None:
                    self._router = Router(self.graph)
        return self._router

    @property
    def offices(self) -> Any:
        """An undirected igraph of the offices: edge ``i`` is ``graph.links[i]``."""
        if self._offices is None:
            import igraph as ig

            g = self.graph
            with self._lock:
                if self._offices is None:
                    self._weights = [lk.latency for lk in g.links]
                    self._offices = ig.Graph(
                        n=len(g.offices),
                        edges=[(g.index[lk.u], g.index[lk.v]) for lk in g.links],
                        directed=False,
                    )
        return self._offices

    @property
    def weights(self) -> list[int]:
        """The latency of each link, in ``graph.links`` order (the edges of ``offices``)."""
        if self._weights is None:
            self.offices  # noqa: B018 (builds both)
        assert self._weights is not None
        return self._weights

    @property
    def component(self) -> list[int]:
        """The connected component of each office over every link (``offices`` order):
        two offices are reachable from each other exactly when these are equal."""
        if self._component is None:
            membership = list(self.offices.connected_components().membership)
            with self._lock:
                if self._component is None:
                    self._component = membership
        return self._component


def structures(g: CommGraph) -> DayStructures:
    """The structures of ``g``, built once per graph object (kept on the graph)."""
    st = g._structures
    if st is None:
        with _lock:
            st = g._structures
            if st is None:
                st = g._structures = DayStructures(g)
    assert isinstance(st, DayStructures)
    return st


def day_graph(
    sc: Scenario,
    day: object = None,
    live: bool = False,
    cut: Iterable[str] = (),
    max_latency: int | None = None,
) -> CommGraph:
    """The graph of :func:`~backchannel.graph.comm.build_graph`, built once per scenario
    and key and shared (read-only); same arguments, same errors, same graph."""
    day = sc.day(day, "date")
    dropped = tuple(sorted(set(check_channels(sc, cut))))
    key = (day, bool(live), dropped, max_latency)
    with _lock:
        entries = _by_scenario.get(sc)
        if entries is None or entries.doc is not sc.doc or entries.timeline is not sc.timeline:
            entries = _Entries(sc.doc, sc.timeline, OrderedDict())
            _by_scenario[sc] = entries
        g = entries.graphs.get(key)
        if g is not None:
            entries.graphs.move_to_end(key)
            return g
    g = build_graph(sc, day, live=live, cut=dropped, max_latency=max_latency)
    with _lock:
        if entries.doc is sc.doc and entries.timeline is sc.timeline:
            g = entries.graphs.setdefault(key, g)  # another thread may have been first
            entries.graphs.move_to_end(key)
            while len(entries.graphs) > DAYS:
                entries.graphs.popitem(last=False)
    return g


def clear(sc: Scenario | None = None) -> None:
    """Forget the cached graphs of ``sc`` (of every scenario when None)."""
    with _lock:
        if sc is None:
            _by_scenario.clear()
        else:
            _by_scenario.pop(sc, None)


def cached_keys(sc: Scenario) -> list[Hashable]:
    """The keys ``(day, live, cut, max_latency)`` cached for ``sc``, least recent first
    (for tests and benchmarks)."""
    with _lock:
        entries = _by_scenario.get(sc)
        return [] if entries is None else list(entries.graphs)
