"""The report: a readable answer with charts, as one self-contained HTML file or Markdown.

>>> import backchannel
>>> from backchannel.report import write_report
>>> result = write_report(backchannel.load("example"), "report.html")  # doctest: +SKIP
>>> print("\\n".join(result.summary))  # doctest: +SKIP
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import BackchannelError
from ..scenario import Scenario
from .data import Progress, ReportData, assemble

__all__ = ["ReportData", "ReportResult", "assemble", "write_report"]

Format = Literal["html", "md"]


@dataclass(frozen=True, slots=True)
class ReportResult:
    """What was written, and the short summary for the terminal."""

    path: Path
    format: str
    files: list[Path]
    summary: list[str]
    data: ReportData

    def as_dict(self) -> dict[str, object]:
        """JSON form for `report --json`."""
        return {
            "out": str(self.path),
            "format": self.format,
            "files": [str(f) for f in self.files],
            "summary": self.summary,
            "scenario": self.data.scenario.name,
            "pairs": [
                {
                    "between": list(p.watch.between),
                    "within_budget": p.within_budget,
                    "path": p.path,
                    "resilience": p.cut,
                    "reliability": _reliability_summary(p.reliability),
                    "events": p.events,
                }
                for p in self.data.pairs
            ],
            "verdicts": self.data.counts(),
        }


def _reliability_summary(r: dict[str, object] | None) -> dict[str, object] | None:
    """The report's reliability figures: probability, method, interval, the three channels
    it depends on most, the rates used."""
    if r is None:
        return None
    chans = [c for c in r["channels"] if c["importance"] > 0][:3]  # type: ignore[attr-defined]
    kinds = {c["kind"] for c in r["channels"]}  # type: ignore[attr-defined]
    return {
        **{k: r[k] for k in ("at", "horizon_s", "budget_s", "reliability", "method", "ci")},
        "samples": r["samples"],
        "depends_on": chans,
        "rates": [x for x in r["rates"] if x.get("kind") in kinds or "channel" in x],  # type: ignore[attr-defined]
    }


def _check_writable(out: Path) -> None:
    """Fail before the long work if ``out`` cannot be written (a folder, or no way to it)."""
    if out.is_dir():
        raise BackchannelError(f"--out: {out} is a folder; give a file name")
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise BackchannelError(f"--out: cannot write {out}: {parent} is not a writable folder")


def write_report(
    sc: Scenario,
    out: str | Path = "report.html",
    fmt: Format = "html",
    live: bool = False,
    progress: Progress | None = None,
) -> ReportResult:
    """Compute, draw and write the report of ``sc`` to ``out`` (parent folders created).

    ``fmt`` is ``html`` (one self-contained file) or ``md`` (Markdown with PNG figures
    beside it). Returns the paths written and a short summary.
    """
    if fmt not in ("html", "md"):
        raise BackchannelError(f"--format: expected html or md, got '{fmt}'")
    say = progress or (lambda _msg: None)
    out = Path(out)
    _check_writable(out)
    data = assemble(sc, live=live, progress=say)
    say("drawing figures")
    from .figures import draw_all

    figs = draw_all(data)
    say(f"writing {out}")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        files = [out]
        if fmt == "html":
            from .html import render_html

            out.write_text(render_html(data, figs), encoding="utf-8")
        else:
            from .markdown import figure_paths, render_markdown

            paths = figure_paths(out, figs)
            for pic in figs.all():
                paths[pic.name].write_bytes(pic.png)
            out.write_text(render_markdown(data, figs, out), encoding="utf-8")
            files += [paths[p.name] for p in figs.all()]
    except OSError as exc:
        raise BackchannelError(f"--out: cannot write {out}: {exc.strerror or exc}") from None
    return ReportResult(out, fmt, files, data.summary(), data)
