"""Where to draw each office: offices grouped around their actor, actors on a ring.

The same positions serve the report's network pictures and the web UI (through the
``/api/{scenario}`` overview), so a reader sees the same picture in both. Coordinates are
in the unit square, ``(0, 0)`` at the top left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..scenario import Scenario

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


def _actor_order(sc: Scenario) -> list[str]:
    """Actors ordered side by side (each side contiguous), the rest after them."""
    order: list[str] = []
    for members in sc.doc.sides.values():
        order.extend(a for a in members if a in sc.actors and a not in order)
    order.extend(a for a in sc.actors if a not in order)
    return order


def layout(sc: Scenario) -> Layout:
    """Place every actor on a ring (the first side on the left) and its offices around it.

    Offices of one actor sit on an arc of a small circle around the actor's centre, the
    arc facing the ring's centre, the most senior first; an actor with one office has it
    at the centre.
    """
    order = _actor_order(sc)
    n = len(order)
    sizes = {a: len(sc.actors[a].offices) for a in order}
    # Actor circle radius grows with its office count; the ring leaves room between them.
    base = 0.5 / max(2.0, n / 2.2 + 1.0)
    radius = {a: base * (0.55 + 0.45 * min(1.0, math.sqrt(max(sizes[a], 1)) / 3)) for a in order}
    ring = 0.5 - max(radius.values(), default=0.1) - 0.03
    actors: dict[str, tuple[float, float]] = {}
    for i, a in enumerate(order):
        if n == 1:
            actors[a] = (0.5, 0.5)
            continue
        angle = math.pi + 2 * math.pi * i / n  # first actor on the left
        if n == 2:
            angle = math.pi if i == 0 else 0.0
        actors[a] = (0.5 + ring * math.cos(angle), 0.5 - ring * math.sin(angle))
    offices: dict[str, tuple[float, float]] = {}
    for a in order:
        cx, cy = actors[a]
        ranked = sorted(sc.actors[a].offices, key=lambda o: o.rank.order)
        k = len(ranked)
        # Face the ring's centre (angles with y up); face down when alone.
        facing = -math.pi / 2 if k == 1 or n == 1 else math.atan2(-(0.5 - cy), 0.5 - cx)
        # Offices on an arc of the actor's circle that faces the centre, senior first,
        # so that channels between actors run between arcs, not across other offices.
        r = radius[a] * 0.7
        spread = min(math.radians(150), math.radians(38) * max(k - 1, 1))
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
