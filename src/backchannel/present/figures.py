"""Draw every picture of a report once, for either writer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.dates import iso
from . import charts
from .data import ReportData

__all__ = ["Picture", "Pictures", "draw_all"]


@dataclass(frozen=True, slots=True)
class Picture:
    """One PNG with a file-safe name and a caption."""

    name: str
    caption: str
    png: bytes


@dataclass(frozen=True, slots=True)
class Pictures:
    """The timeline, one chart per watched pair, and the network pictures."""

    timeline: Picture
    pairs: list[Picture]
    networks: list[Picture]

    def all(self) -> list[Picture]:
        """Every picture in report order."""
        return [self.timeline, *self.pairs, *self.networks]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "x"


def draw_all(data: ReportData) -> Pictures:
    """Draw the pictures of ``data``."""
    timeline = Picture(
        "timeline",
        "Channels over time, coloured by status; ticks are uses.",
        charts.timeline_png(data),
    )
    pairs = [
        Picture(
            f"pair-{i + 1}-{_slug(p.label)}",
            f"{p.label}: time to contact and minimum cuts over time.",
            charts.pair_png(data, p),
        )
        for i, p in enumerate(data.pairs)
    ]
    networks = [
        Picture(
            f"network-{iso(k.day)}",
            f"The network at the end of {iso(k.day)} ({k.label}).",
            charts.network_png(data, k.day, k.label),
        )
        for k in data.key_dates
    ]
    return Pictures(timeline, pairs, networks)
