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

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..core.atomic import atomic_dir, atomic_path
from ..core.dates import iso
from ..core.errors import BackchannelError
from ..core.model import Status
from ..record.scenario import Scenario
from ..sources.worldrecord import WorldRecord

__all__ = ["Edge", "graph_at", "tables", "write_gexf", "write_graphml", "write_tables"]

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


# -- GEXF ---------------------------------------------------------------------------------
_NODE_ATTRS = [("kind", "string"), ("actor", "string")]
_EDGE_ATTRS = [
    ("channel", "string"),
    ("kind", "string"),
    ("status", "string"),
    ("latency_s", "integer"),
    ("level", "string"),
    ("staff", "integer"),
    ("cap", "integer"),
    ("dormant", "boolean"),
    ("tracked", "boolean"),
    ("last_use", "string"),
]
#: edge attributes that change over time (dynamic GEXF); the others are fixed per channel
_CHANGING = ("status", "level", "staff", "cap", "dormant", "tracked", "last_use")
#: attributes of a channel at a date, beside status and level
_USE_ATTRS = ("staff", "cap", "dormant", "tracked", "last_use")


def _gexf_root(sc: Scenario, dynamic: bool, description: str) -> tuple[ET.Element, ET.Element]:
    root = ET.Element("gexf", {"xmlns": GEXF_NS, "version": "1.2"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "backchannel"
    ET.SubElement(meta, "description").text = description
    attrs = {"defaultedgetype": "directed", "mode": "dynamic" if dynamic else "static"}
    if dynamic:
        attrs["timeformat"] = "date"
    graph = ET.SubElement(root, "graph", attrs)
    for cls, spec in (("node", _NODE_ATTRS), ("edge", _EDGE_ATTRS)):
        block = ET.SubElement(graph, "attributes", {"class": cls, "mode": "static"})
        dyn = (
            ET.SubElement(graph, "attributes", {"class": cls, "mode": "dynamic"})
            if (dynamic and cls == "edge")
            else None
        )
        for i, (name, typ) in enumerate(spec):
            target = dyn if dyn is not None and name in _CHANGING else block
            ET.SubElement(target, "attribute", {"id": f"{cls[0]}{i}", "title": name, "type": typ})
    return root, graph


def _attvalues(parent: ET.Element, cls: str, values: dict[str, Any]) -> None:
    spec = _NODE_ATTRS if cls == "node" else _EDGE_ATTRS
    box = ET.SubElement(parent, "attvalues")
    for i, (name, _) in enumerate(spec):
        v = values.get(name)
        if isinstance(v, list):
            for value, start, end in v:
                a = {"for": f"{cls[0]}{i}", "value": _text(value)}
                if start:
                    a["start"] = start
                if end:
                    a["end"] = end
                ET.SubElement(box, "attvalue", a)
        elif v is not None:
            ET.SubElement(box, "attvalue", {"for": f"{cls[0]}{i}", "value": _text(v)})


def _spells(parent: ET.Element, spells: list[tuple[str, str | None]]) -> None:
    box = ET.SubElement(parent, "spells")
    for start, end in spells:
        ET.SubElement(box, "spell", {"start": start, **({"end": end} if end else {})})


def _last_day(end: int | None) -> str | None:
    return iso(end - 1) if end is not None else None


def _write_xml(root: ET.Element, path: Path) -> Path:
    ET.indent(root, space="  ")
    tree = ET.ElementTree(root)
    try:
        with atomic_path(path) as tmp:
            tree.write(tmp, encoding="utf-8", xml_declaration=True)
    except OSError as exc:
        raise BackchannelError(f"{path}: cannot write: {exc}") from None
    return path


def write_gexf(
    sc: Scenario,
    path: str | Path,
    day: object = None,
    dynamic: bool = False,
    mode: NodeMode = "actors",
) -> dict[str, int]:
    """Write the network at ``day`` (or, ``dynamic``, its whole history) as GEXF 1.2.

    ``day``: a date as text, ``date``, ``datetime`` or ordinal; default the last event's.
    Returns the numbers of nodes and edges written.
    """
    path = Path(path)
    if not dynamic:
        day = sc.day(day, "at")
        nodes, edges = graph_at(sc, day, mode)
        root, graph = _gexf_root(sc, False, f"{sc.doc.title} at {iso(day)}")
        nbox, ebox = ET.SubElement(graph, "nodes"), ET.SubElement(graph, "edges")
        for n in nodes:
            el = ET.SubElement(nbox, "node", {"id": n["id"], "label": n["label"]})
            _attvalues(el, "node", n)
        for e in edges:
            el = ET.SubElement(
                ebox,
                "edge",
                {"id": e["id"], "source": e["source"], "target": e["target"], "label": e["name"]},
            )
            _attvalues(el, "edge", e)
        _write_xml(root, path)
        return {"nodes": len(nodes), "edges": len(edges)}
    return _write_dynamic(sc, path, mode)


def _usable_spans(sc: Scenario, channel: str) -> list[tuple[int, int | None, str]]:
    return [
        (s.start, s.end, s.status)
        for s in sc.timeline.spans(channel)
        if s.status in ("active", "restricted")
    ]


def _merge(spans: list[tuple[int, int | None, str]]) -> list[tuple[int, int | None]]:
    out: list[tuple[int, int | None]] = []
    for start, end, _ in spans:
        if out and out[-1][1] == start:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _use_spells(
    sc: Scenario, channel: str, event_days: list[int]
) -> dict[str, list[tuple[Any, str | None, str | None]]]:
    """Runs of staff, cap, dormant, tracked and last use over a channel's history.

    These can change only on a day of one of its events or uses, or a dormancy window
    after one of them (when dormancy sets in); the values are taken on each such day and
    runs of one value merged. Runs with no value (no staff, never used) are left out.
    """
    tl = sc.timeline
    w = tl.window
    uses = tl.uses(channel)
    since = {tl.state(channel, d).since for d in event_days}
    days = sorted(
        {*event_days, *uses, *(u + w for u in uses), *(s + w for s in since if s is not None)}
    )
    runs: dict[str, list[list[Any]]] = {k: [] for k in _USE_ATTRS}
    for d in days:
        for k, v in _use_at(sc, channel, d).items():
            r = runs[k]
            if r and r[-1][0] == v:
                continue
            if r:
                r[-1][2] = d
            r.append([v, d, None])
    return {
        k: [(v, iso(s), _last_day(t)) for v, s, t in r if v is not None] for k, r in runs.items()
    }


def _write_dynamic(sc: Scenario, path: Path, mode: NodeMode) -> dict[str, int]:
    rec = WorldRecord(sc)
    event_days: dict[str, list[int]] = {}
    for ev in sc.doc.events:
        if ev.channel is not None:
            event_days.setdefault(ev.channel, []).append(ev.date.ordinal)
    root, graph = _gexf_root(sc, True, f"{sc.doc.title}: the whole record")
    nbox, ebox = ET.SubElement(graph, "nodes"), ET.SubElement(graph, "edges")
    edges_out = 0
    written: set[str] = set()
    edge_rows: list[tuple[Edge, list[tuple[int, int | None]], dict[str, Any]]] = []
    for e in _edges(sc, mode):
        values: dict[str, Any] = _edge_dict(e)
        if e.channel:
            usable = _usable_spans(sc, e.channel)
            if not usable:
                continue
            spells = _merge(usable)
            values["status"] = [(st, iso(s), _last_day(t)) for s, t, st in usable]
            values["level"] = [
                (lv, iso(s), _last_day(t))
                for s, t, lv in rec.level_spans(e.channel)
                if lv is not None
            ] or (rec.level(e.channel, 10**7) or "")
            values.update(_use_spells(sc, e.channel, event_days.get(e.channel, [])))
        else:
            spells = []
            values["status"] = "active"
            values.update(_NO_USE)
        edge_rows.append((e, spells, values))
    for n in _nodes(sc, mode):
        el = ET.SubElement(nbox, "node", {"id": n["id"], "label": n["label"]})
        _attvalues(el, "node", n)
        system = rec.system.get(n["actor"]) if rec.has_system else None
        if system:
            _spells(el, [(iso(s) or "", _last_day(t)) for s, t in system])
        written.add(n["id"])
    for e, spells, values in edge_rows:
        el = ET.SubElement(
            ebox, "edge", {"id": e.id, "source": e.source, "target": e.target, "label": e.name}
        )
        _attvalues(el, "edge", values)
        if spells:
            _spells(el, [(iso(s) or "", _last_day(t)) for s, t in spells])
        edges_out += 1
    _write_xml(root, path)
    return {"nodes": len(written), "edges": edges_out}


# -- GraphML ------------------------------------------------------------------------------
def write_graphml(
    sc: Scenario, path: str | Path, day: object = None, mode: NodeMode = "actors"
) -> dict[str, int]:
    """Write the network at ``day`` as GraphML (directed; parallel channels kept).

    ``day``: a date as text, ``date``, ``datetime`` or ordinal; default the last event's.
    """
    path = Path(path)
    nodes, edges = graph_at(sc, day, mode)
    root = ET.Element("graphml", {"xmlns": GRAPHML_NS})
    keys = [
        ("node", "label", "string"),
        ("node", "kind", "string"),
        ("node", "actor", "string"),
        ("edge", "channel", "string"),
        ("edge", "kind", "string"),
        ("edge", "status", "string"),
        ("edge", "latency_s", "int"),
        ("edge", "level", "string"),
        ("edge", "name", "string"),
        ("edge", "staff", "int"),
        ("edge", "cap", "int"),
        ("edge", "dormant", "boolean"),
        ("edge", "tracked", "boolean"),
        ("edge", "last_use", "string"),
    ]
    for i, (dom, name, typ) in enumerate(keys):
        ET.SubElement(root, "key", {"id": f"d{i}", "for": dom, "attr.name": name, "attr.type": typ})
    graph = ET.SubElement(root, "graph", {"id": sc.name, "edgedefault": "directed"})
    for n in nodes:
        el = ET.SubElement(graph, "node", {"id": n["id"]})
        for i, (dom, name, _) in enumerate(keys):
            if dom == "node":
                ET.SubElement(el, "data", {"key": f"d{i}"}).text = str(n[name])
    for e in edges:
        el = ET.SubElement(
            graph, "edge", {"id": e["id"], "source": e["source"], "target": e["target"]}
        )
        for i, (dom, name, _) in enumerate(keys):
            if dom == "edge" and e[name] is not None:  # no staff, never used: no data
                ET.SubElement(el, "data", {"key": f"d{i}"}).text = _text(e[name])
    _write_xml(root, path)
    return {"nodes": len(nodes), "edges": len(edges)}


# -- tables -------------------------------------------------------------------------------
def _date(day: int | None) -> dt.date | None:
    return dt.date.fromordinal(day) if day is not None else None


def tables(sc: Scenario) -> dict[str, Any]:
    """actors, offices, channels, events, spans and levels as pandas DataFrames."""
    import pandas as pd

    rec = WorldRecord(sc)
    tl = sc.timeline
    actors = [
        {
            "id": a.id,
            "kind": a.kind.value,
            "name": a.name,
            "note": a.note,
            "offices": len(a.offices),
            "head_office": sc.head_office(a.id),
        }
        for a in sc.doc.actors
    ]
    offices = [
        {
            "id": o.id,
            "actor": a.id,
            "name": o.name,
            "rank": o.rank.value,
            "reports_to": o.reports_to,
            "also": ";".join(o.also),
        }
        for a in sc.doc.actors
        for o in a.offices
    ]
    channels = [
        {
            "id": c.id,
            "kind": c.kind.value,
            "name": c.name,
            "from_office": c.ends[0],
            "to_office": c.ends[1],
            "from_actor": sc.offices[c.ends[0]].actor,
            "to_actor": sc.offices[c.ends[1]].actor,
            "ends": ";".join(c.ends),
            "latency_s": c.latency,
            "level": c.level.value if c.level else None,
            "tracked": c.tracked,
            "opened": _date(tl.opened_on(c.id)),
            "line": c.line,
        }
        for c in sc.doc.channels
    ]
    events = [
        {
            "id": e.id,
            "date": e.date.day,
            "precision": e.date.precision,
            "date_text": str(e.date),
            "do": e.do.value,
            "channel": e.channel,
            "actor": e.actor,
            "org": e.org,
            "office": e.office,
            "framework": e.framework,
            "by": e.by,
            "note": e.note,
            "source": e.source.title if e.source else None,
            "source_url": e.source.url if e.source else None,
            "line": e.line,
            "seq": e.seq,
        }
        for e in sorted(sc.doc.events, key=lambda ev: ev.key)
    ]
    spans = []
    for c in sc.doc.channels:
        for s in tl.spans(c.id):
            spans.append(
                {
                    "channel": c.id,
                    "start": _date(s.start),
                    "end": _date(s.end),
                    "status": s.status,
                    "level": rec.level(c.id, s.start),
                }
            )
    levels = [
        {"channel": c.id, "start": _date(start), "end": _date(end), "level": level}
        for c in sc.doc.channels
        for start, end, level in rec.level_spans(c.id)
    ]
    frames = {
        "actors": actors,
        "offices": offices,
        "channels": channels,
        "events": events,
        "spans": spans,
        "levels": levels,
    }
    columns = {
        "actors": ["id", "kind", "name", "note", "offices", "head_office"],
        "offices": ["id", "actor", "name", "rank", "reports_to", "also"],
        "channels": [
            "id",
            "kind",
            "name",
            "from_office",
            "to_office",
            "from_actor",
            "to_actor",
            "ends",
            "latency_s",
            "level",
            "tracked",
            "opened",
            "line",
        ],
        "events": [
            "id",
            "date",
            "precision",
            "date_text",
            "do",
            "channel",
            "actor",
            "org",
            "office",
            "framework",
            "by",
            "note",
            "source",
            "source_url",
            "line",
            "seq",
        ],
        "spans": ["channel", "start", "end", "status", "level"],
        "levels": ["channel", "start", "end", "level"],
    }
    return {name: pd.DataFrame(rows, columns=columns[name]) for name, rows in frames.items()}


def write_tables(
    sc: Scenario, out: str | Path, fmt: Literal["parquet", "csv"] = "parquet"
) -> dict[str, dict[str, Any]]:
    """Write the tables into folder ``out``; return each file's path and row count."""
    out = Path(out)
    written: dict[str, dict[str, Any]] = {}
    frames = tables(sc)
    try:  # all tables into a temporary folder first: they reach ``out`` together
        with atomic_dir(out) as tmp:
            for name, df in frames.items():
                path = tmp / f"{name}.{fmt}"
                if fmt == "parquet":
                    df.to_parquet(path, index=False)
                else:
                    df.to_csv(path, index=False, lineterminator="\n")
                written[name] = {"path": str(out / path.name), "rows": len(df)}
    except OSError as exc:
        raise BackchannelError(f"{out}: cannot write: {exc}") from None
    return written
