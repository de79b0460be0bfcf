"""Many pairs at one date: time to contact and minimum cuts for every pair of a list.

A world question is often a matrix ("every pair of the G20 states in 2005").
:func:`pair_figures` answers every pair from the structures of the day, built once and
shared with ``path`` and ``resilience`` (:mod:`backchannel.graph.daycache`):

* time to contact: one multi-source shortest-path call over the office graph (igraph),
  the least latency over every office of A and every office of B;
* minimum cut: the flow network of :mod:`backchannel.graph.flow` (offices merged by
  uncuttable links, a unit per channel), built once per day; one maximum flow per pair;
* fast minimum cut: the length-bounded cut of :mod:`backchannel.graph.fastcut` (channels
  to cut so that no route arrives within the budget), over one shared router.

The figures are those of :func:`backchannel.graph.paths.time_to_contact` and
:func:`backchannel.graph.cuts.resilience` (``latency_s``, ``min_cut``, ``min_cut_fast``);
the tests check them against those functions on the real 2005 world.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core.model import DEFAULT_BUDGET_S
from ..core.records import Records
from ..record.scenario import Scenario
from .daycache import day_graph, structures
from .fastcut import fast_cut

__all__ = ["pair_figures"]

INF = float("inf")


def pair_figures(
    sc: Scenario, names: Sequence[str], day: int, budget_s: int = DEFAULT_BUDGET_S
) -> Records:
    """Time to contact and minimum cuts for every pair of ``names`` at the end of ``day``.

    ``names`` are offices, actors or sides; returns one row per unordered pair, in the
    order of ``names``: ``a``, ``b``, ``reachable``, ``latency_s``, ``min_cut``,
    ``min_cut_fast`` (``None`` when the two are joined by uncuttable links).
    """
    g = day_graph(sc, day)
    index = g.index
    st = structures(g)
    merged, full, router = st.merged, st.flow, st.router

    offices = {
        name: sorted(index[o] for o in sc.offices_of(name, day) if o in index) for name in names
    }
    sources = sorted({o for os in offices.values() for o in os})
    dist = (
        st.offices.distances(source=sources, target=sources, weights=st.weights) if sources else []
    )
    row = {o: i for i, o in enumerate(sources)}
    out = Records()
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            best: Any = min(
                (dist[row[x]][row[y]] for x in offices[a] for y in offices[b]), default=INF
            )
            empty = not offices[a] or not offices[b]
            blobs = (merged.blobs_of(offices[a]), merged.blobs_of(offices[b]))
            out.append(
                {
                    "a": a,
                    "b": b,
                    "reachable": best != INF,
                    "latency_s": None if best == INF else int(best),
                    "min_cut": 0 if empty else full.value(*blobs),
                    "min_cut_fast": 0
                    if empty
                    else fast_cut(
                        g,
                        [g.offices[o] for o in offices[a]],
                        [g.offices[o] for o in offices[b]],
                        budget_s,
                        router=router,
                    ).min_cut,
                }
            )
    return out
