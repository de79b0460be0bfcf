"""Where to draw each office: each actor a bubble holding a column of its offices, the
bubbles on a ring, sides on arcs of their own.

The same positions serve the report's network pictures and the web UI (through the
``/api/{scenario}`` overview), so a reader sees the same picture in both. Coordinates are
in the unit square, ``(0, 0)`` at the top left.

Labels never overlap. The layout is computed in pixels for office labels of
:data:`FONT_PX` pixels (text widths estimated on the wide side, DejaVu Sans): the offices
of an actor stand in a column one :data:`ROW_PX` apart, senior first, each label beside
its office on the side away from where the actor's channels go, and the
whole column with its labels sits inside the actor's circle. The circles, with the actor's
name above each, are kept apart on the ring. ``Layout.size`` is the width in pixels of the
unit square at which that holds: draw at that scale (or larger) with labels of
``FONT_PX`` and no two labels touch.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from ..record.scenario import Scenario

__all__ = ["FONT_PX", "LABEL_DX", "NAME_PX", "ROW_PX", "Layout", "layout", "text_width"]

FONT_PX = 12.0  # office labels
NAME_PX = 18.0  # actor names (bold), above their circle
ROW_PX = 20.0  # one office to the next in a column
_DOT = 9.0  # an office's dot radius, highlighted
_GAP = 7.0  # dot edge to label
_PAD = 6.0  # column to circle
_SPACE = 16.0  # between two actors' circles (names included)
_SIDE_GAP = 40.0  # extra space where one side's arc meets the next
LABEL_DX = _DOT + _GAP  # dot centre to the near edge of its label


def text_width(text: str, font_px: float = FONT_PX, bold: bool = False) -> float:
    """A generous estimate of the drawn width of ``text`` in pixels (DejaVu Sans, wider
    than most sans-serif fonts)."""
    w = 0.0
    for ch in text:
        if not ch.isascii():
            wide = unicodedata.east_asian_width(ch) in ("W", "F")
            w += 1.1 if wide else 0.85
        elif ch in "WMmw@":
            w += 1.0
        elif ch.isupper():
            w += 0.76
        elif ch.isdigit():
            w += 0.66
        elif ch.isalpha():
            w += 0.62
        elif ch == " ":
            w += 0.34
        else:
            w += 0.5
    return w * font_px * (1.1 if bold else 1.0)


def short_label(office_id: str) -> str:
    """The label drawn for an office: its id without the actor prefix."""
    return office_id.split(".", 1)[1] if "." in office_id else office_id


@dataclass(frozen=True, slots=True)
class Layout:
    """Positions of offices and actor centres, each actor's drawing radius, the side of
    each office's label, and the scale at which labels of ``FONT_PX`` fit."""

    offices: dict[str, tuple[float, float]]
    actors: dict[str, tuple[float, float]]
    radius: dict[str, float]
    labels: dict[str, str]  # office -> "left" or "right" of its dot
    size: float = 1000.0  # pixels a unit at which labels of FONT_PX never overlap

    def as_dict(self) -> dict[str, object]:
        """JSON form: ``{"offices": {id: [x, y]}, "actors": {id: {"x","y","r"}},
        "labels": {id: "left"|"right"}, "size": px, "font_px": px}``."""
        return {
            "offices": {k: [round(x, 5), round(y, 5)] for k, (x, y) in self.offices.items()},
            "actors": {
                k: {"x": round(x, 5), "y": round(y, 5), "r": round(self.radius[k], 5)}
                for k, (x, y) in self.actors.items()
            },
            "labels": dict(self.labels),
            "size": round(self.size, 1),
            "font_px": FONT_PX,
            "label_dx_px": LABEL_DX,
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


@dataclass(slots=True)
class _Bubble:
    """One actor in pixels, relative to its centre."""

    offices: list[str]  # senior first, top to bottom
    label_w: float  # widest office label
    r: float  # circle radius
    reach: float  # farthest point of the circle or of the name above it, from the centre

    @property
    def column_w(self) -> float:
        return 2 * _DOT + _GAP + self.label_w


def _bubble(sc: Scenario, actor: str) -> _Bubble:
    ranked = [o.id for o in sorted(sc.actors[actor].offices, key=lambda o: o.rank.order)]
    label_w = max(text_width(short_label(o)) for o in ranked)
    w = 2 * _DOT + _GAP + label_w
    h = (len(ranked) - 1) * ROW_PX + max(2 * _DOT, FONT_PX + 4)
    r = math.hypot(w, h) / 2 + _PAD
    name_w = text_width(actor, NAME_PX, bold=True)
    reach = max(r, math.hypot(name_w / 2, r + 8 + NAME_PX + 4))
    return _Bubble(ranked, label_w, r, reach)


def _ring(
    order: list[str], bubbles: dict[str, _Bubble], breaks: set[int]
) -> tuple[float, list[float]]:
    """The smallest ring radius (pixels) and the angle of each actor (radians, y up, in
    ``order`` around the ring) at which no two bubbles come closer than ``_SPACE``.

    ``breaks`` are the positions in ``order`` that start a new side (extra space before)."""
    n = len(order)
    need = []  # the chord each consecutive pair needs
    for i in range(n):
        a, b = bubbles[order[i]], bubbles[order[(i + 1) % n]]
        extra = _SIDE_GAP if (i + 1) % n in breaks and len(breaks) > 1 else 0.0
        need.append(a.reach + b.reach + _SPACE + extra)

    def angles_at(radius: float) -> list[float] | None:
        steps = []
        for c in need:
            if c >= 2 * radius:
                return None
            steps.append(2 * math.asin(c / (2 * radius)))
        total = sum(steps)
        if total > 2 * math.pi:
            return None
        slack = (2 * math.pi - total) / n
        out, t = [], 0.0
        for s in steps:
            out.append(t)
            t += s + slack
        return out

    radius = max(max(need) / 2 + 1, sum(need) / (2 * math.pi))
    while True:
        ang = angles_at(radius)
        if ang is not None and _apart(order, bubbles, radius, ang):
            return radius, ang
        radius *= 1.04


def _apart(order: list[str], bubbles: dict[str, _Bubble], radius: float, ang: list[float]) -> bool:
    pts = [(radius * math.cos(t), radius * math.sin(t)) for t in ang]
    for i in range(len(order)):
        for j in range(i + 1, len(order)):
            gap = bubbles[order[i]].reach + bubbles[order[j]].reach
            if math.dist(pts[i], pts[j]) < gap + _SPACE * 0.5:
                return False
    return True


def _pull(sc: Scenario, centres: dict[str, tuple[float, float]]) -> dict[str, float]:
    """For each actor, the summed horizontal direction (unit vectors) to the other ends of
    its channels: positive when its channels go mostly to the right."""
    out: dict[str, float] = {}
    for c in sc.doc.channels:
        actors = [sc.offices[e].actor for e in c.ends if e in sc.offices]
        for a in actors:
            if a not in centres:
                continue
            for b in actors:
                if b == a or b not in centres:
                    continue
                dx = centres[b][0] - centres[a][0]
                dy = centres[b][1] - centres[a][1]
                n = math.hypot(dx, dy)
                if n > 0:
                    out[a] = out.get(a, 0.0) + dx / n
    return out


def layout(sc: Scenario) -> Layout:
    """Place the actors on a ring (sides on arcs of their own, the first side centred on
    the left) and each actor's offices in a column inside its circle.

    Actors without offices are not drawn. Labels go on the side of the dots away from
    where the actor's channels go (away from the ring's centre when that is even), so that
    its channels reach the dots without crossing its labels. An actor alone is drawn in
    the middle.
    """
    groups, rest = _groups(sc)
    if not groups:
        groups, rest = [rest], []
    arcs = [groups[0]] + ([rest] if rest else []) + groups[1:]
    order = [a for g in arcs for a in g]
    if not order:
        return Layout({}, {}, {}, {}, 1000.0)
    bubbles = {a: _bubble(sc, a) for a in order}
    breaks: set[int] = set()
    k = 0
    for g in arcs:
        breaks.add(k)
        k += len(g)

    centres: dict[str, tuple[float, float]] = {}
    if len(order) == 1:
        centres[order[0]] = (0.0, 0.0)
        facing = {order[0]: 1.0}
    else:
        radius, ang = _ring(order, bubbles, breaks)
        # Turn the ring so that the first side's arc is centred on the left (angle pi),
        # its actors running top to bottom (counter-clockwise, y up).
        first = len(groups[0])
        mid = (ang[0] + ang[first - 1]) / 2
        turn = math.pi - mid
        facing = {}
        for a, t in zip(order, ang, strict=True):
            t += turn
            centres[a] = (radius * math.cos(t), -radius * math.sin(t))  # y down
            facing[a] = math.cos(t)

    pull = _pull(sc, centres)
    offices: dict[str, tuple[float, float]] = {}
    labels: dict[str, str] = {}
    for a in order:
        b = bubbles[a]
        cx, cy = centres[a]
        # Labels away from where the actor's channels go (else outward from the ring's
        # centre): on the left when the other ends lie mostly to the right.
        lean = pull.get(a, 0.0)
        if abs(lean) < 1e-9:
            lean = -facing[a]
        side = "left" if lean > 0 else "right"
        # The column (dots and labels) centred in the circle; dots on the inner side.
        dot_x = cx + b.column_w / 2 - _DOT if side == "left" else cx - b.column_w / 2 + _DOT
        top = cy - (len(b.offices) - 1) * ROW_PX / 2
        for j, o in enumerate(b.offices):
            offices[o] = (dot_x, top + j * ROW_PX)
            labels[o] = side

    # Everything drawn, in pixels: circles and the names above them.
    xs, ys = [], []
    for a in order:
        cx, cy = centres[a]
        b = bubbles[a]
        half_name = text_width(a, NAME_PX, bold=True) / 2
        xs += [cx - max(b.r, half_name), cx + max(b.r, half_name)]
        ys += [cy - b.r - 8 - NAME_PX - 4, cy + b.r]
    margin = 12.0
    x0, x1 = min(xs) - margin, max(xs) + margin
    y0, y1 = min(ys) - margin, max(ys) + margin
    size = max(x1 - x0, y1 - y0)
    ox = x0 - (size - (x1 - x0)) / 2  # centre the drawing in the square
    oy = y0 - (size - (y1 - y0)) / 2

    def unit(p: tuple[float, float]) -> tuple[float, float]:
        return ((p[0] - ox) / size, (p[1] - oy) / size)

    return Layout(
        {o: unit(p) for o, p in offices.items()},
        {a: unit(p) for a, p in centres.items()},
        {a: bubbles[a].r / size for a in order},
        labels,
        size,
    )
