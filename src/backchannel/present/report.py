"""The report: a readable answer with charts, as one self-contained HTML file or Markdown.

>>> import backchannel
>>> from backchannel.present.report import write_report
>>> result = write_report(backchannel.load("example"), "report.html")  # doctest: +SKIP
>>> print("\\n".join(result.summary))  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..core.atomic import atomic_dir, check_writable, write_text
from ..core.errors import BackchannelError
from ..core.progress import OnProgress, Progress
from ..record.scenario import Scenario
from .data import ReportData, assemble

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
                    "path": p.path.as_dict(),
                    "resilience": p.cut.as_dict(),
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


def write_report(
    sc: Scenario,
    out: str | Path = "report.html",
    fmt: Format = "html",
    live: bool = False,
    progress: OnProgress | None = None,
) -> ReportResult:
    """Compute, draw and write the report of ``sc`` to ``out`` (parent folders created).

    ``fmt`` is ``html`` (one self-contained file) or ``md`` (Markdown with PNG figures
    beside it). Returns the paths written and a short summary.
    """
    if fmt not in ("html", "md"):
        raise BackchannelError(f"fmt: expected html or md, got '{fmt}'", param="fmt")
    out = Path(out)
    check_writable(out)
    data = assemble(sc, live=live, progress=progress)
    if progress is not None:
        progress(Progress("drawing figures"))
    from .figures import draw_all

    figs = draw_all(data)
    if progress is not None:
        progress(Progress(f"writing {out}"))
    try:
        files = [out]
        if fmt == "html":
            from .html import render_html

            write_text(out, render_html(data, figs))
        else:
            from .markdown import figure_paths, render_markdown

            paths = figure_paths(out, figs)
            text = render_markdown(data, figs, out)
            # the Markdown and its figures written together: all of them, or none
            with atomic_dir(out.parent) as tmp:
                for pic in figs.all():
                    (tmp / paths[pic.name].name).write_bytes(pic.png)
                (tmp / out.name).write_text(text, encoding="utf-8")
            files += [paths[p.name] for p in figs.all()]
    except OSError as exc:
        raise BackchannelError(
            f"out: cannot write {out}: {exc.strerror or exc}", param="out"
        ) from None
    return ReportResult(out, fmt, files, data.summary(), data)
