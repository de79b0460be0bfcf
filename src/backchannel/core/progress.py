"""Progress of long work, the one type every layer reports with.

Library code never prints: a long job takes an optional ``progress`` callback and calls
it with a :class:`Progress` now and then; the command line draws a bar from it.

>>> seen = []
>>> report = seen.append
>>> report(Progress("reading exchange", 512, 2048, unit="bytes"))
>>> seen[0].fraction
0.25
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["OnProgress", "Progress"]


@dataclass(frozen=True, slots=True)
class Progress:
    """How far one phase of a job has come.

    ``phase`` names what is being done (a file, "judging events"); ``done`` and ``total``
    count ``unit`` (bytes, events, rows; ``total`` None when unknown); ``rows`` and
    ``rejected`` are running counts for readers of data files.
    """

    phase: str
    done: int = 0
    total: int | None = None
    unit: str = "items"
    rows: int = 0
    rejected: int = 0

    @property
    def fraction(self) -> float | None:
        """``done / total`` (None when the total is unknown or zero)."""
        return self.done / self.total if self.total else None


#: the callback a long job takes
OnProgress = Callable[[Progress], None]
