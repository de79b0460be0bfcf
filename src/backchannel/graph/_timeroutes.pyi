"""Types of the compiled lightest-route programme (``_timeroutes.c``)."""

from typing import Any

def layers(
    n: int,
    top: int,
    src: Any,
    best: Any,
    pred: Any,
    tail: Any,
    w_moving: Any,
    moving: Any,
    back: Any,
    head: Any,
    upto: Any,
    zero: Any,
    w_zero: Any,
    zhead: Any,
    ztail: Any,
) -> None:
    """Fill ``best`` and ``pred`` (float64 and int64 buffers of (top + 1) * n cells)."""
