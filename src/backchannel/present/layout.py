"""Where to draw each office: offices grouped around their actor, actors on a ring.

The same positions serve the report's network pictures and the web UI (through the
``/api/{scenario}`` overview), so a reader sees the same picture in both. Coordinates are
in the unit square, ``(0, 0)`` at the top left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..record.scenario import Scenario

__all__ = ["Layout", "layout"]


@dataclass(frozen=True, slots=True)
class Layout:
    """Positions of offices and actor centres, with each actor's drawing radius."""

    offices: dict[str, tuple[float, float]]
    actors: dict[str, tuple[float, float]]
    radius: dict[str, float]

    def as_dict(self) -> dict[str, object]:
        """JSON form: ``{"offices": {id: [x, y]}, "actors": {id: {"x","y","r"}}}``."""
        return {
            "offices": {k: [round(x, 4), round(y, 4)] for k, (x, y) in self.offices.items()},
            "actors": {
                k: {"x": round(x, 4), "y": round(y, 4), "r": round(self.radius[k], 4)}
                for k, (x, y) in self.actors.items()
            },
        }


def _groups(sc: Scenario) -> tuple[list[list[str]], list[str]]:
    """Actors with offices, grouped by side (members of a side's alliances included, as at
    the last event), and the actors of no side."""
    last = sc.last_day or 0
    drawn = [a.id for a in sc.doc.actors if a.offices]
    placed: set[str] = set()
    groups: list[list[str]] = []
    for side in sc.doc.sides:
        members = sc.side_actors(side, last) if last else list(sc.doc.sides[side])
        group = [a for a in members if a in drawn and a not in placed]
        placed.update(group)
        if group:
            groups.append(group)
    return groups, [a for a in drawn if a not in placed]


def _angles(groups: list[list[str]], rest: list[str]) -> dict[str, float]:
    """An angle on the ring for each actor (radians, y up): the first side on an arc on the
    left, the second on the right, actors of no side on a short arc below between them."""
    if not groups:
        groups, rest = [rest], []
    rest_w = min(len(rest) * math.pi / 6, math.pi / 2) if rest else 0.0
    side_w = (2 * math.pi - rest_w) / len(groups)
    arcs = [(groups[0], side_w)]
    if rest:
        arcs.append((rest, rest_w))
    arcs += [(g, side_w) for g in groups[1:]]
    out: dict[str, float] = {}
    start = math.pi - side_w / 2  # the first side centred on the left
    for members, width in arcs:
        for j, a in enumerate(members):  # top to bottom on the left arc
            out[a] = start + width * (j + 0.5) / len(members)
        start += width
    return out


def layout(sc: Scenario) -> Layout:
    """Place the actors on a ring (sides on arcs of their own) and offices around them.

    Actors without offices are not drawn. Offices of one actor sit on an arc of a small
    circle around the actor's centre, the arc facing the ring's centre, the most senior
    first; an actor with one office has it at the centre.
    """
    groups, rest = _groups(sc)
    order = [a for g in groups for a in g] + rest
    n = len(order)
    angle = _angles(groups, rest) if order else {}
    sizes = {a: len(sc.actors[a].offices) for a in order}
    cap = 0.17
    ring = 0.5 - cap - 0.03
    actors: dict[str, tuple[float, float]] = {}
    for a in order:
        actors[a] = (
            (0.5, 0.5)
            if n == 1
            else (0.5 + ring * math.cos(angle[a]), 0.5 - ring * math.sin(angle[a]))
        )
    radius: dict[str, float] = {}
    for a in order:
        want = cap * (0.45 + 0.55 * min(1.0, math.sqrt(sizes[a]) / math.sqrt(8)))
        ax_, ay = actors[a]
        gaps = [math.dist((ax_, ay), actors[b]) for b in order if b != a]
        radius[a] = min(want, 0.46 * min(gaps, default=1.0))
    offices: dict[str, tuple[float, float]] = {}
    for a in order:
        cx, cy = actors[a]
        ranked = sorted(sc.actors[a].offices, key=lambda o: o.rank.order)
        k = len(ranked)
        # Face the ring's centre (angles with y up); face down when alone.
        facing = -math.pi / 2 if k == 1 or n == 1 else math.atan2(-(0.5 - cy), 0.5 - cx)
        # Offices on an arc of the actor's circle that faces the centre, senior first,
        # so that channels between actors run between arcs, not across other offices.
        r = radius[a] * 0.75
        spread = min(math.radians(160), math.radians(70) * max(k - 1, 1))
        for j, o in enumerate(ranked):
            if k == 1:
                offices[o.id] = (cx, cy)
                continue
            t = 0.5 - j / (k - 1)  # +0.5 … −0.5
            if math.cos(facing) < -1e-9:
                t = -t  # keep the senior office on top on left-facing arcs too
            angle = facing + spread * t
            offices[o.id] = (cx + r * math.cos(angle), cy - r * math.sin(angle))
    return Layout(offices, actors, radius)
