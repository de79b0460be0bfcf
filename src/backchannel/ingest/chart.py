"""A PNG chart of an engagement series (matplotlib, no display needed)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.errors import BackchannelError
from .codebook import QUADS

__all__ = ["plot_engagement"]

_COLOURS = {
    "verbal_cooperation": "#9ecae1",
    "material_cooperation": "#3182bd",
    "verbal_conflict": "#fdae6b",
    "material_conflict": "#e6550d",
}


def plot_engagement(series: Sequence[dict[str, Any]], path: str | Path, title: str) -> Path:
    """Stacked quad-class counts per period, consult events, and the share of volume."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    if path.suffix.lower() != ".png":
        raise BackchannelError(f"{path}: --plot writes a PNG; give a .png file name")
    periods = [s["period"] for s in series]
    x = range(len(periods))
    fig, ax = plt.subplots(figsize=(8, 3.6), dpi=100)
    bottom = [0] * len(series)
    for q in QUADS:
        values = [s["quad"][q] for s in series]
        ax.bar(x, values, bottom=bottom, color=_COLOURS[q], label=q.replace("_", " "))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.plot(x, [s["consult"] for s in series], "k.-", lw=1, label="consult (040–046)")
    ax.set_ylabel("events")
    ax.set_title(title, fontsize=10)
    step = max(1, len(periods) // 12)
    ax.set_xticks(list(x)[::step], periods[::step], rotation=45, ha="right", fontsize=8)
    ax2 = ax.twinx()
    ax2.plot(
        x,
        [100 * s["share"] for s in series],
        color="#555",
        ls="--",
        lw=1,
        label="share of all events (%)",
    )
    ax2.set_ylabel("share of volume (%)")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=7, loc="upper left", frameon=False)
    fig.tight_layout()
    try:
        fig.savefig(path)
    except OSError as exc:
        raise BackchannelError(f"{path}: cannot write the plot ({exc.strerror})") from None
    finally:
        plt.close(fig)
    return path
