"""Failure rates of channels, learned from the record (DESIGN.md, "Reliability of contact").

For each channel kind k, over the record up to the end of day D:

* ``failures_k``: transitions of channels of kind k from active/restricted to suspended or
  closed (same-day changes counted one by one);
* ``exposure_k``: the years (365.25 days) channels of kind k spent active or restricted,
  each unbroken spell counted as (end day − start day), a spell still open at D ending
  at D;
* ``λ_k = (failures_k + 0.5) / (exposure_k + 1)`` per year, and a channel open at D fails
  within a horizon of H years with ``p = 1 − exp(−λ_k · H)``.

A rates file (CSV ``kind|channel,rate_per_year``) overrides the rate of a kind or of one
channel (a channel's own rate wins over its kind's).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import BackchannelError
from ..core.model import ChannelKind

if TYPE_CHECKING:
    from ..record.scenario import Scenario

__all__ = [
    "YEAR_DAYS",
    "YEAR_S",
    "Rate",
    "RateTable",
    "channel_failures",
    "learn_rates",
    "p_fail",
    "read_rates",
    "write_rates",
]

YEAR_DAYS = 365.25
YEAR_S = YEAR_DAYS * 86400


@dataclass(frozen=True, slots=True)
class Rate:
    """One row of the rates table: a kind (or one channel), its record and its rate."""

    name: str
    scope: str  # "kind" or "channel"
    failures: int
    exposure_days: int
    rate_per_year: float
    source: str  # "record" or "override"

    @property
    def exposure_years(self) -> float:
        """Exposure in years of 365.25 days."""
        return self.exposure_days / YEAR_DAYS

    def as_dict(self) -> dict[str, Any]:
        """JSON form: ``{"kind"|"channel", "failures", "exposure_years", "rate_per_year",
        "source"}``."""
        return {
            self.scope: self.name,
            "failures": self.failures,
            "exposure_years": self.exposure_years,
            "rate_per_year": self.rate_per_year,
            "source": self.source,
        }


@dataclass(frozen=True)
class RateTable:
    """Rates by kind (every kind the scenario's channels use) and by overridden channel."""

    kinds: dict[str, Rate]
    channels: dict[str, Rate]

    def rate(self, sc: Scenario, channel: str) -> float:
        """The rate per year that applies to ``channel``."""
        own = self.channels.get(channel)
        if own is not None:
            return own.rate_per_year
        return self.kinds[sc.channels_by_id[channel].kind.value].rate_per_year

    def rows(self) -> list[Rate]:
        """Kinds first (in kind order), then channel overrides (in file order)."""
        return [*self.kinds.values(), *self.channels.values()]

    def as_list(self) -> list[dict[str, Any]]:
        """JSON form of every row."""
        return [r.as_dict() for r in self.rows()]


def p_fail(rate_per_year: float, horizon_s: float) -> float:
    """Probability that a channel with this rate fails within the horizon.

    >>> round(p_fail(0.5, 365.25 * 86400), 6)
    0.393469
    """
    return -math.expm1(-rate_per_year * horizon_s / YEAR_S)


def channel_failures(sc: Scenario, channel: str, day: int) -> tuple[int, int]:
    """``(failures, exposure_days)`` of one channel over the record up to the end of ``day``."""
    failures = exposure = 0
    start: int | None = None
    for d, status in sc.timeline.transitions(channel, day):
        usable = status is not None and status.usable
        if usable and start is None:
            start = d
        elif not usable and start is not None:
            failures += 1
            exposure += d - start
            start = None
    if start is not None:
        exposure += day - start
    return failures, exposure


def learn_rates(
    sc: Scenario, day: int, overrides: dict[str, tuple[str, float]] | None = None
) -> RateTable:
    """The rates table at the end of ``day``: λ per kind from the record, then overrides.

    ``overrides`` maps a kind or a channel id to ``("kind"|"channel", rate_per_year)``
    (see :func:`read_rates`).

    >>> import backchannel
    >>> sc = backchannel.load("example")
    >>> t = learn_rates(sc, sc.day("2021-09-01"))
    >>> r = t.kinds["hotline"]
    >>> r.failures, r.exposure_days, r.rate_per_year == (1 + 0.5) / (r.exposure_years + 1)
    (1, 1871, True)
    """
    overrides = overrides or {}
    kinds_used = {c.kind.value for c in sc.doc.channels}
    counts: dict[str, list[int]] = {k.value: [0, 0] for k in ChannelKind if k.value in kinds_used}
    for c in sc.doc.channels:
        f, e = channel_failures(sc, c.id, day)
        counts[c.kind.value][0] += f
        counts[c.kind.value][1] += e
    kinds: dict[str, Rate] = {}
    for k, (f, e) in counts.items():
        over = overrides.get(k)
        if over is not None and over[0] == "kind":
            kinds[k] = Rate(k, "kind", f, e, over[1], "override")
        else:
            kinds[k] = Rate(k, "kind", f, e, (f + 0.5) / (e / YEAR_DAYS + 1), "record")
    channels: dict[str, Rate] = {}
    for c in sc.doc.channels:
        over = overrides.get(c.id)
        if over is not None and over[0] == "channel":
            f, e = channel_failures(sc, c.id, day)
            channels[c.id] = Rate(c.id, "channel", f, e, over[1], "override")
    return RateTable(kinds, channels)


_HEADERS = {"kind", "channel", "kind|channel"}


def read_rates(sc: Scenario, path: str | Path) -> dict[str, tuple[str, float]]:
    """Read a rates file: CSV rows ``kind|channel,rate_per_year`` (a header row, blank
    lines, ``#`` comments and further columns are allowed, so a file written by
    :func:`write_rates` reads back). A name that is a channel kind overrides the kind,
    else it must be a channel id of the scenario. Errors name the file, the line and the
    reason."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackchannelError(f"--rates: cannot read {p}: {reason}") from None
    kinds = {k.value for k in ChannelKind}
    out: dict[str, tuple[str, float]] = {}
    first = True
    for n, row in enumerate(csv.reader(text.splitlines()), 1):

        def bad(reason: str, n: int = n) -> BackchannelError:
            return BackchannelError(f"--rates: {p}, line {n}: {reason}")

        cells = [c.strip() for c in row]
        if not cells or not any(cells) or cells[0].startswith("#"):
            continue
        if first and cells[0].lower() in _HEADERS:
            first = False
            continue
        first = False
        if len(cells) < 2 or not cells[1]:
            raise bad("expected 'kind or channel id,rate_per_year'")
        name, value = cells[0], cells[1]
        try:
            rate = float(value)
        except ValueError:
            raise bad(f"rate_per_year '{value}' is not a number") from None
        if not math.isfinite(rate) or rate < 0:
            raise bad(f"rate_per_year must be a finite number ≥ 0, got '{value}'")
        if name in kinds:
            scope = "kind"
        elif name in sc.channels_by_id:
            scope = "channel"
        else:
            raise bad(
                f"'{name}' is neither a channel kind ({', '.join(sorted(kinds))}) "
                f"nor a channel of scenario '{sc.name}'"
            )
        if name in out:
            raise bad(f"'{name}' is given twice")
        out[name] = (scope, rate)
    return out


def write_rates(table: RateTable, path: str | Path) -> Path:
    """Write the rates table as CSV (``kind|channel,rate_per_year,failures,exposure_years,
    source``); it reads back with :func:`read_rates`."""
    p = Path(path)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        with p.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["kind|channel", "rate_per_year", "failures", "exposure_years", "source"])
            for r in table.rows():
                w.writerow(
                    [r.name, repr(r.rate_per_year), r.failures, repr(r.exposure_years), r.source]
                )
    except OSError as exc:
        raise BackchannelError(f"--rates-out: cannot write {p}: {exc.strerror or exc}") from None
    return p
