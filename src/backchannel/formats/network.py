"""The network at a date as nodes and edges, shared by the GEXF and GraphML writers.

Nodes are actors (default) or offices; edges are the channels that are active or
restricted at that date, directed from a channel's first end to each later end, with the
channel's attributes on the date (see :mod:`backchannel.formats.export`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..core.atomic import atomic_path
from ..core.dates import iso
from ..core.errors import BackchannelError
from ..core.model import Status
from ..record.scenario import Scenario
from ..sources.worldrecord import WorldRecord

__all__ = ["Edge", "NodeMode", "graph_at"]

NodeMode = Literal["actors", "offices"]
GEXF_NS = "http://www.gexf.net/1.2draft"
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_USABLE = (Status.active, Status.restricted)


@dataclass(frozen=True, slots=True)
class Edge:
    """One directed edge of an exported network."""

    id: str
    source: str
    target: str
    channel: str
    kind: str
    latency_s: int
    name: str


def _node_of(sc: Scenario, office: str, mode: NodeMode) -> str:
    return sc.offices[office].actor if mode == "actors" else office


def _edges(sc: Scenario, mode: NodeMode) -> Iterator[Edge]:
    """Every possible edge: each channel's ordered pairs of ends, then internal links."""
    for c in sc.doc.channels:
        ends = list(c.ends)
        k = 0
        for i in range(len(ends)):
            for j in range(i + 1, len(ends)):
                a, b = _node_of(sc, ends[i], mode), _node_of(sc, ends[j], mode)
                if a == b:
                    continue
                k += 1
                eid = c.id if len(ends) == 2 else f"{c.id}#{k}"
                yield Edge(eid, a, b, c.id, c.kind.value, c.latency, c.name or c.id)
    if mode == "offices":
        default = sc.doc.defaults.reports_to_latency
        for actor in sc.doc.actors:
            latency = actor.internal_latency if actor.internal_latency is not None else default
            for o in actor.offices:
                if o.reports_to:
                    yield Edge(
                        f"{o.id}>{o.reports_to}",
                        o.id,
                        o.reports_to,
                        "",
                        "reports_to",
                        latency,
                        f"{o.id} reports to {o.reports_to}",
                    )
                for other in o.also:
                    yield Edge(
                        f"{o.id}={other}", o.id, other, "", "also", 0, f"{o.id} is also {other}"
                    )


def _nodes(sc: Scenario, mode: NodeMode) -> list[dict[str, str]]:
    if mode == "actors":
        return [
            {"id": a.id, "label": a.name, "kind": a.kind.value, "actor": a.id}
            for a in sc.doc.actors
        ]
    return [
        {"id": o.id, "label": f"{a.id} {o.name}", "kind": o.rank.value, "actor": a.id}
        for a in sc.doc.actors
        for o in a.offices
    ]


def graph_at(
    sc: Scenario, day: object = None, mode: NodeMode = "actors"
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes and edges of the network at the end of ``day`` (plain dicts).

    ``day``: a date as text, ``date``, ``datetime`` or ordinal; default the last event's.

    Nodes: every actor (or office) — in a world with state-system membership, those in
    the system that day plus any end of a usable channel. Edges: channels active or
    restricted that day, with their status and level; internal links in the office view.
    """
    day = sc.day(day, "date")
    rec = WorldRecord(sc)
    edges: list[dict[str, Any]] = []
    for e in _edges(sc, mode):
        if e.channel:
            st = sc.timeline.status(e.channel, day)
            if st not in _USABLE:
                continue
            status, level = st.value, rec.level(e.channel, day)
            use = _use_at(sc, e.channel, day)
        else:
            status, level = "active", None
            use = _NO_USE
        edges.append({**_edge_dict(e), "status": status, "level": level or "", **use})
    used = {x for e in edges for x in (e["source"], e["target"])}
    nodes = [n for n in _nodes(sc, mode) if n["id"] in used or rec.in_system(n["actor"], day)]
    return nodes, edges


_NO_USE: dict[str, Any] = {
    "staff": None,
    "cap": None,
    "dormant": False,
    "tracked": False,
    "last_use": None,
}


def _use_at(sc: Scenario, channel: str, day: int) -> dict[str, Any]:
    """A channel's staff, cap, dormancy, tracking and last use at the end of ``day``."""
    tl = sc.timeline
    st = tl.state(channel, day)
    return {
        "staff": st.staff,
        "cap": st.cap,
        "dormant": tl.dormant(channel, day),
        "tracked": tl.tracked(channel, day),
        "last_use": iso(tl.last_use(channel, day)),
    }


def _text(value: Any) -> str:
    """An attribute value as GEXF and GraphML write it (booleans in lower case)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _edge_dict(e: Edge) -> dict[str, Any]:
    return {
        "id": e.id,
        "source": e.source,
        "target": e.target,
        "channel": e.channel,
        "kind": e.kind,
        "latency_s": e.latency_s,
        "name": e.name,
    }


def _write_xml(root: ET.Element, path: Path) -> Path:
    ET.indent(root, space="  ")
    tree = ET.ElementTree(root)
    try:
        with atomic_path(path) as tmp:
            tree.write(tmp, encoding="utf-8", xml_declaration=True)
    except OSError as exc:
        raise BackchannelError(f"{path}: cannot write: {exc}") from None
    return path
