"""GEXF for Gephi: the network at a date, or its whole history with spells (see
:mod:`backchannel.formats.export`)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from ..core.dates import iso
from ..record.scenario import Scenario
from ..sources.worldrecord import WorldRecord
from .network import (
    _NO_USE,
    GEXF_NS,
    Edge,
    NodeMode,
    _edge_dict,
    _edges,
    _nodes,
    _text,
    _use_at,
    _write_xml,
    graph_at,
)

__all__ = ["write_gexf"]

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
    ends = tl.use_ends(channel)  # dormancy counts a partial date to its period's end
    days = sorted(
        {
            *event_days,
            *uses,
            *(u + w for u in uses),
            *(e + w for e in ends),
            *(s + w for s in since if s is not None),
        }
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
