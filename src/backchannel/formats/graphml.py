"""GraphML (Gephi, yEd, igraph, NetworkX): the network at a date (see
:mod:`backchannel.formats.export`)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..record.scenario import Scenario
from .network import GRAPHML_NS, NodeMode, _text, _write_xml, graph_at

__all__ = ["write_graphml"]


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
