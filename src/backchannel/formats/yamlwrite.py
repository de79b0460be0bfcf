"""Deterministic scenario YAML: block sections, one flow-style item per line.

Imported worlds are large and re-imported often, so they are written by hand rather than
through a YAML dumper: the same input gives the same bytes, every actor, channel and event
sits on its own line (a diff shows exactly what changed), and the text loads with any
YAML 1.2 reader as the scenario format (DESIGN.md, "Scenario files").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["Plain", "dump_scenario", "flow", "scalar"]

# plain in flow context: a letter first, no indicators (",[]{}:#" or quotes), no edge spaces
_PLAIN_RE = re.compile(r"^[A-Za-z_](?:[A-Za-z0-9_.\- ]*[A-Za-z0-9_.])?$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}
_SECTIONS = ("actors", "channels", "frameworks", "influence", "watch", "events")


class Plain(str):
    """Text written without quotes (dates such as ``1985`` or ``1990-10-03``)."""

    __slots__ = ()


def scalar(value: Any) -> str:
    """One value as YAML text: plain where that reads back the same, else JSON-quoted.

    >>> scalar("RUS.CGS"), scalar("yes"), scalar(Plain("1990-10-03")), scalar(6)
    ('RUS.CGS', '"yes"', '1990-10-03', '6')
    """
    if isinstance(value, Plain):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if value is None:
        return "null"
    text = str(value)
    if _PLAIN_RE.match(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(value: Any) -> str:
    """One value as flow-style YAML on a single line (mappings keep their key order)."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{scalar(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def dump_scenario(
    doc: Mapping[str, Any],
    comments: Iterable[str] = (),
    nested: Iterable[str] = (),
    last: Iterable[str] = (),
) -> str:
    """The scenario ``doc`` as YAML text: header keys, then each list section item by item.

    Items of the ``nested`` sections are written as block mappings whose ``offices`` have
    one flow item per line, after the other keys; every other item is one line.
    Header keys named in ``last`` are written after the sections.

    >>> print(dump_scenario({"scenario": "x", "title": "X", "events": []}), end="")
    scenario: x
    title: X
    events: []
    """
    out = [f"# {c}".rstrip() for c in comments]
    trailing = set(last)
    for key, value in doc.items():
        if key in _SECTIONS or key in trailing:
            continue
        out.append(f"{scalar(key)}: {flow(value)}")
    block = set(nested)
    for key in _SECTIONS:
        items = doc.get(key)
        if items is None:
            continue
        if not items:
            out.append(f"{key}: []")
            continue
        out.append(f"{key}:")
        for item in items:
            if key in block:
                out.extend(_block(item))
            else:
                out.append(f"  - {flow(item)}")
    out.extend(f"{scalar(k)}: {flow(doc[k])}" for k in doc if k in trailing)
    return "\n".join(out) + "\n"


def _block(item: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    lists = {k: v for k, v in item.items() if k == "offices" and isinstance(v, list) and v}
    for j, (k, v) in enumerate((k, v) for k, v in item.items() if k not in lists):
        lines.append(("  - " if j == 0 else "    ") + f"{scalar(k)}: {flow(v)}")
    for k, v in lists.items():
        lines.append(f"    {scalar(k)}:")
        lines.extend(f"      - {flow(x)}" for x in v)
    return lines
