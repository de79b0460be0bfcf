"""`backchannel reliability`: the probability that a pair can still talk in time, later."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..core.dates import format_duration, format_percent, iso, parse_duration
from ..core.errors import BackchannelError
from ..record.scenario import DEFAULT_SCENARIO
from .common import (
    ActivityOpt,
    AtOpt,
    JsonOpt,
    ScenarioOpt,
    day_or_last,
    handle_errors,
    open_scenario,
    print_json,
    stderr,
    stdout,
)

SHOWN = 10


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command(
        epilog="Example: backchannel reliability RUS.CGS NATO.SACEUR --at 2021-11-02 --horizon 1y"
    )(reliability)


def _duration(option: str, text: str) -> int:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise BackchannelError(f"{option}: {exc}") from None


def horizon_text(seconds: int) -> str:
    """A horizon as people say it: ``1y``, ``26w``, ``30d``, or as other durations."""
    for unit, size in (("y", 31_557_600), ("w", 604_800), ("d", 86_400)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return format_duration(seconds)


@handle_errors
def reliability(
    a: Annotated[str, typer.Argument(help="An office, actor or side.")],
    b: Annotated[str, typer.Argument(help="An office, actor or side.")],
    at: AtOpt = None,
    horizon: Annotated[
        str,
        typer.Option("--horizon", help="How far ahead: 1y, 26w, 90d (y = 365.25 days)."),
    ] = "1y",
    budget: Annotated[
        str | None,
        typer.Option(
            "--budget",
            help="Contact must arrive within this (15m, 1h, 2d). Default: the budget of a "
            "watch on this pair, else 1h.",
        ),
    ] = None,
    live: Annotated[
        bool, typer.Option("--live", help="Dormant channels count as already failed.")
    ] = False,
    samples: Annotated[
        int, typer.Option("--samples", min=1, help="Monte Carlo samples (when not exact).")
    ] = 10_000,
    seed: Annotated[
        int, typer.Option("--seed", help="Monte Carlo seed (same seed, same answer).")
    ] = 0,
    rates: Annotated[
        Path | None,
        typer.Option(
            "--rates", help="CSV 'kind|channel,rate_per_year' overriding learned failure rates."
        ),
    ] = None,
    rates_out: Annotated[
        Path | None,
        typer.Option("--rates-out", help="Write the rates used to this CSV file."),
    ] = None,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    activity_db: ActivityOpt = None,
    json_: JsonOpt = False,
) -> None:
    """The probability that A can still reach B within the budget at D + horizon, if each
    channel open at D fails (is suspended or closed) independently within the horizon,
    at rates per channel kind learned from the record up to D.

    Exact when at most 20 channels can lie on a path within the budget, else Monte Carlo
    with a 95% Wilson interval. Channels are ranked by Birnbaum importance (how much the
    probability drops when the channel is lost).
    """
    from ..judge.rates import read_rates, write_rates
    from ..judge.reliability import reliability as run

    horizon_s = _duration("--horizon", horizon)
    budget_s = None if budget is None else _duration("--budget", budget)
    sc = open_scenario(scenario, activity_db)
    day = day_or_last(sc, at)
    overrides = read_rates(sc, rates) if rates is not None else None
    res = run(
        sc,
        a,
        b,
        day,
        horizon_s=horizon_s,
        budget_s=budget_s,
        live=live,
        samples=samples,
        seed=seed,
        rates=overrides,
    )
    if rates_out is not None:
        write_rates(res.rates, rates_out)
        stderr.print(f"wrote {rates_out}", highlight=False)
    if json_:
        print_json(res.as_dict())
        return
    mode = " (live channels only)" if live else ""
    when = iso(day)
    stdout.print(
        f"{a} ↔ {b}: contact within {format_duration(res.budget_s)}, "
        f"{horizon_text(res.horizon_s)} after {when}{mode}",
        highlight=False,
    )
    if res.method == "exact":
        how = f"exact over the {len(res.channels)} channel(s) the budget does not rule out"
    else:
        lo, hi = res.ci or (0.0, 1.0)
        how = (
            f"Monte Carlo, {res.samples:,} samples (seed {res.seed}), 95% interval "
            f"{format_percent(lo)}–{format_percent(hi)}, over {len(res.channels)} channels"
        )
    stdout.print(
        f"  reliability: [bold]{format_percent(res.reliability)}[/]  ({how})", highlight=False
    )
    if not res.within_budget_now:
        stdout.print(
            f"  already out of budget on {when}: no path arrives within "
            f"{format_duration(res.budget_s)} even with every{' live' if live else ''} channel up",
            highlight=False,
        )
    for ch, why in res.left_out:
        stdout.print(f"  counted as failed already: {ch} ({why})", highlight=False)
    if res.channels:
        table = Table(
            "channel", "kind", "fails within horizon", "importance", title="Channels it rests on"
        )
        for c in res.channels[:SHOWN]:
            table.add_row(c.id, c.kind, format_percent(c.p_fail), f"{c.importance:.3f}")
        stdout.print(table)
        if len(res.channels) > SHOWN:
            stdout.print(f"  and {len(res.channels) - SHOWN} more (see --json)", highlight=False)
    kinds = {c.kind for c in res.channels}
    named = {c.id for c in res.channels}
    used = [
        r
        for r in res.rates.rows()
        if (r.scope == "kind" and r.name in kinds) or (r.scope == "channel" and r.name in named)
    ]
    if used:
        table = Table(
            "kind or channel",
            "failures",
            "years open",
            "rate per year",
            "source",
            title=f"Failure rates (record up to {when})",
        )
        for r in used:
            table.add_row(
                r.name,
                str(r.failures),
                f"{r.exposure_years:.1f}",
                f"{r.rate_per_year:.4f}",
                r.source,
            )
        stdout.print(table)
        stdout.print(
            "  λ = (failures + 0.5) / (years open + 1); fails within the horizon: "
            "1 − exp(−λ · years ahead)",
            highlight=False,
        )
