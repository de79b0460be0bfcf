"""Exports for the tools analysts already use: Gephi (GEXF), GraphML, Parquet and CSV.

* :func:`write_gexf` / :func:`write_graphml`: the network at a date. Nodes are actors
  (default) or offices; edges are the channels that are active or restricted at that
  date (the communication graph of DESIGN.md), directed from a channel's first end to
  each later end (for an embassy: from the sending to the receiving state). Every
  channel edge carries ``channel``, ``kind``, ``status``, ``latency_s``, ``level``,
  ``staff`` and ``cap`` (direct staff and its cap; absent when the record gives none),
  ``dormant``, ``tracked``
  (booleans) and ``last_use`` (ISO day; absent when never used). In the office view,
  ``reports_to`` and ``also`` links are edges too (kinds ``reports_to`` and ``also``;
  never dormant, never tracked).
* ``write_gexf(..., dynamic=True)``: the whole history, GEXF 1.2 with spells, so that
  Gephi's timeline plays it: a node lives while its state is in the state system (or
  always, for scenarios that do not record it), an edge while its channel is usable, and
  ``status``, ``level``, ``staff``, ``cap``, ``dormant``, ``tracked`` and ``last_use`` change over
  time (dormancy sets in with the mere passing of time, and its spells say so). Spell
  ends are inclusive days (the day before the change), as GEXF reads them.
* :func:`tables` / :func:`write_tables`: actors, offices, channels, events, status
  spans (with the level at the start of each span) and level spans (imported worlds: the
  level of representation over time, None while closed) as DataFrames, written as Parquet
  or CSV files for pandas, Polars or DuckDB.

The XML is written by hand (no NetworkX at run time) and read back in the tests with
NetworkX's ``read_gexf`` and ``read_graphml``.
"""

from __future__ import annotations

from .gexf import write_gexf
from .graphml import write_graphml
from .network import Edge, graph_at
from .tables import tables, write_tables

__all__ = ["Edge", "graph_at", "tables", "write_gexf", "write_graphml", "write_tables"]
