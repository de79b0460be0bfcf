"""Commands that analyse the record: path, resilience, impact, principals, whatif, generate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..core.dates import format_duration, iso, parse_duration
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

LiveOpt = Annotated[
    bool,
    typer.Option(
        "--live",
        help="Leave out dormant channels (paths that exist on paper but "
        "rest on channels nobody uses).",
    ),
]
CutOpt = Annotated[
    list[str] | None,
    typer.Option("--cut", help="A channel id to treat as cut (repeat for more)."),
]
VERDICT_STYLE = {"material": "bold red", "symbolic": "yellow", "nonevent": "bright_black"}


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command(epilog="Example: backchannel path RUS.CGS NATO.SACEUR --at 2021-11-02")(path)
    app.command(epilog="Example: backchannel resilience RUS NATO --at 2021-11-02 --json")(
        resilience
    )
    app.command(epilog="Example: backchannel impact --event russia-suspends-mission-2021")(impact)
    app.command(epilog="Example: backchannel principals UKR --by RUS --at 2021-11-02")(principals)
    app.command(epilog="Example: backchannel whatif --cut saceur-cgs-line --at 2021-11-02")(whatif)
    app.command(
        epilog="Example: backchannel generate --actors 50 --channels 500 "
        "--events 5000 --watch 10 --seed 1 --out world.yaml"
    )(generate)


def _budget(text: str | None, default: int) -> int:
    if text is None:
        return default
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise BackchannelError(f"--budget: {exc}") from None


@handle_errors
def path(
    a: Annotated[str, typer.Argument(help="From: an office, actor or side.")],
    b: Annotated[str, typer.Argument(help="To: an office, actor or side.")],
    at: AtOpt = None,
    min_rank: Annotated[
        str | None,
        typer.Option(
            "--min-rank",
            help="The office reached must hold at least this rank "
            "(head_of_state, minister, military_chief, ambassador, official...).",
        ),
    ] = None,
    cut: CutOpt = None,
    live: LiveOpt = False,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    activity_db: ActivityOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Time to contact from A to B: the least total latency, and the path it takes.

    Unreachable is an answer (reachable false), not an error.
    """
    from ..graph.paths import time_to_contact

    sc = open_scenario(scenario, activity_db)
    day = day_or_last(sc, at)
    res = time_to_contact(sc, a, b, day, live=live, min_rank=min_rank, cut=cut or ())
    if json_:
        print_json(res.as_dict())
        return
    mode = " (live channels only)" if live else ""
    if not res.reachable:
        stdout.print(
            f"{a} → {b} at {iso(day)}{mode}: [red]unreachable[/] — {res.reason}", highlight=False
        )
        return
    stdout.print(
        f"{a} → {b} at {iso(day)}{mode}: [bold]{format_duration(res.latency_s)}[/]",
        highlight=False,
    )
    table = Table("office", "reached via", "after")
    for s in res.path:
        table.add_row(s["office"], s["via"] or "—", format_duration(s["after_s"]))
    stdout.print(table)


@handle_errors
def resilience(
    a: Annotated[str, typer.Argument(help="An office, actor or side.")],
    b: Annotated[str, typer.Argument(help="An office, actor or side.")],
    at: AtOpt = None,
    budget: Annotated[
        str | None,
        typer.Option(
            "--budget",
            help="Fast channels are those at most this slow (15m, 1h, "
            "2d). Default: the budget of a watch on this pair, else 1h.",
        ),
    ] = None,
    cut: CutOpt = None,
    live: LiveOpt = False,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    activity_db: ActivityOpt = None,
    json_: JsonOpt = False,
) -> None:
    """How many channels must fail before A can no longer reach B.

    Gives one minimum cut set, the single points of failure (channels every path uses)
    and the minimum cut over fast channels only. reports_to, membership and also links
    cannot be cut.
    """
    from ..graph.cuts import resilience as run

    sc = open_scenario(scenario, activity_db)
    day = day_or_last(sc, at)
    budget_s = _budget(budget, sc.budget_for(a, b))
    res = run(sc, a, b, day, budget_s=budget_s, live=live, cut=cut or ())
    if json_:
        print_json(res.as_dict())
        return
    mode = " (live channels only)" if live else ""
    stdout.print(f"{a} ↔ {b} at {iso(day)}{mode}", highlight=False)
    if res.all.uncuttable:
        stdout.print(f"  no set of channels separates them: {res.reason}", highlight=False)
        return
    stdout.print(
        f"  channels to cut: [bold]{res.min_cut}[/]  "
        f"{', '.join(res.all.cut) or '(already cut off)'}",
        highlight=False,
    )
    stdout.print(
        f"  single points of failure: {', '.join(res.all.single_points) or 'none'}", highlight=False
    )
    stdout.print(
        f"  fast channels (≤ {format_duration(budget_s)}) to cut: [bold]{res.min_cut_fast}[/]"
        f"  {', '.join(res.fast.cut) or ''}",
        highlight=False,
    )


@handle_errors
def impact(
    event: Annotated[str | None, typer.Option("--event", help="Only this event id.")] = None,
    verdict: Annotated[
        str | None,
        typer.Option(
            "--verdict", help="Show only events with this verdict (material, symbolic, nonevent)."
        ),
    ] = None,
    packages: Annotated[
        str | None,
        typer.Option(
            "--packages",
            help="Also judge as one package the events without a group that share a date "
            "and a 'by' actor ('day'). Groups (group: in the file) are always judged.",
        ),
    ] = None,
    live: LiveOpt = False,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    activity_db: ActivityOpt = None,
    json_: JsonOpt = False,
) -> None:
    """The verdict of every event (or one) for the watched pairs: material, symbolic or
    nonevent, whether its channels were dormant before, and why; then the verdict of
    every package of events."""
    from ..judge.impact import VERDICTS
    from ..judge.impact import impact as run

    if verdict is not None and verdict not in VERDICTS:
        raise BackchannelError(
            f"--verdict: unknown verdict '{verdict}' (expected {', '.join(VERDICTS)})"
        )
    if packages is not None and packages != "day":
        raise BackchannelError(f"--packages: unknown value '{packages}' (expected day)")
    sc = open_scenario(scenario, activity_db)
    result = run(sc, event_id=event, live=live, packages=packages)
    items = list(result)
    pkgs = result.packages
    if verdict is not None:
        items = [x for x in items if x.verdict == verdict]
        pkgs = [p for p in pkgs if p.verdict == verdict]
    if json_:
        print_json(
            {
                "scenario": sc.name,
                "live": live,
                "events": [x.as_dict() for x in items],
                "packages": [p.as_dict() for p in pkgs],
            }
        )
        return
    table = Table(
        "date",
        "event",
        "verdict",
        "dormant before",
        "reason",
        title=f"Impact of events on the watched pairs ({sc.name})",
    )
    for x in items:
        style = VERDICT_STYLE[x.verdict]
        dormant = {True: "yes", False: "no", None: "—"}[x.dormant_before]
        table.add_row(str(x.event.date), x.id, f"[{style}]{x.verdict}[/]", dormant, x.reason)
    stdout.print(table)
    for p in pkgs:
        style = VERDICT_STYLE[p.verdict]
        stdout.print(
            f"package {p.id} ({len(p.events)} events, {p.start} to {p.end}): "
            f"[{style}]{p.verdict}[/] — {p.reason}",
            highlight=False,
        )


@handle_errors
def principals(
    target: Annotated[str, typer.Argument(help="The actor whose principals to find.")],
    by: Annotated[
        str | None,
        typer.Option("--by", help="The actor looking for channels to each principal."),
    ] = None,
    at: AtOpt = None,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    json_: JsonOpt = False,
) -> None:
    """Talk to the boss: actors ranked by influence over TARGET (directly and through
    chains, weights multiplied, the strongest chain counts), with the channels from --by
    to each that are usable on the date."""
    from ..judge.principals import principals as run

    sc = open_scenario(scenario)
    day = day_or_last(sc, at)
    rows = run(sc, target, by, day)
    if json_:
        print_json({"at": iso(day), "target": target, "by": by, "principals": list(rows)})
        return
    if not rows:
        stdout.print(f"No actor has recorded influence over {target}.")
        return
    table = Table(
        "actor",
        "weight",
        "chain",
        f"channels from {by}" if by else "channels",
        title=f"Principals of {target} at {iso(day)}",
    )
    for r in rows:
        table.add_row(
            r["actor"],
            f"{r['weight']:.2f}",
            " → ".join(r["chain"]),
            ", ".join(r["channels"]) or ("none" if by else "—"),
        )
    stdout.print(table)


@handle_errors
def whatif(
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="Compare on this date; --cut closes channels after every "
            "event of that day. Default: the latest --event date.",
        ),
    ] = None,
    cut: CutOpt = None,
    event: Annotated[
        list[str] | None,
        typer.Option(
            "--event",
            help="A hypothetical event as a YAML flow map, e.g. "
            "'{date: 2021-11-02, do: restore, channel: ID}' (repeatable).",
        ),
    ] = None,
    live: LiveOpt = False,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    json_: JsonOpt = False,
) -> None:
    """What if: apply hypothetical events on a fork of the record (never the record
    itself) and compare every watched pair's figures side by side."""
    from ..judge.whatif import parse_event
    from ..judge.whatif import whatif as run

    sc = open_scenario(scenario)
    events = [parse_event(t, i) for i, t in enumerate(event or [], 1)]
    if at is None:
        dated = [
            sc.day(str(e.get("date")), f"--event {i}")
            for i, e in enumerate(events, 1)
            if e.get("date") is not None
        ]
        if not dated:
            raise BackchannelError("--at is needed (the date to compare on)")
        day = max(dated)
    else:
        day = sc.day(at, "--at")
    res = run(sc, day, cut=cut or (), events=events, live=live)
    if json_:
        print_json(res)
        return
    table = Table(
        "pair",
        "record: contact",
        "what-if: contact",
        "cut",
        "cut (fast)",
        title=f"What if — {iso(day)} ({sc.name})",
    )
    for r, w in zip(res["record"]["pairs"], res["whatif"]["pairs"], strict=True):

        def lat(x: int | None) -> str:
            return "unreachable" if x is None else format_duration(x)

        def pair(x: object, y: object) -> str:
            return f"{x} → {y}" if x != y else str(x)

        table.add_row(
            " ↔ ".join(r["between"]),
            lat(r["latency_s"]),
            lat(w["latency_s"]),
            pair(r["min_cut"], w["min_cut"]),
            pair(r["min_cut_fast"], w["min_cut_fast"]),
        )
    stdout.print(table)
    stdout.print(res["summary"], highlight=False)


@handle_errors
def generate(
    out: Annotated[Path, typer.Option("--out", help="The scenario file to write.")],
    actors: Annotated[int, typer.Option("--actors", min=2, help="Number of actors.")] = 20,
    channels: Annotated[int, typer.Option("--channels", min=1, help="Channels.")] = 60,
    events: Annotated[int, typer.Option("--events", min=0, help="Events.")] = 300,
    watch: Annotated[int, typer.Option("--watch", min=0, help="Watched pairs.")] = 5,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same world).")] = 0,
    json_: JsonOpt = False,
) -> None:
    """Write a synthetic world: states and alliances with offices, channels of mixed kinds
    and latencies (some with many ends), events over decades that respect the channel
    lifecycle, and watched pairs. Deterministic by seed."""
    from ..testing.generate import write_scenario

    if out.exists() and out.is_dir():
        raise BackchannelError(f"--out: {out} is a directory")
    try:
        data = write_scenario(
            out, actors=actors, channels=channels, events=events, watch=watch, seed=seed
        )
    except OSError as exc:
        raise BackchannelError(f"--out: cannot write {out}: {exc}") from None
    summary = {
        "out": str(out),
        "scenario": data["scenario"],
        "actors": len(data["actors"]),
        "channels": len(data["channels"]),
        "events": len(data["events"]),
        "watch": len(data["watch"]),
        "seed": seed,
    }
    if json_:
        print_json(summary)
        return
    stderr.print(f"wrote {out}", highlight=False)
    stdout.print(
        f"{data['scenario']}: {summary['actors']} actors, {summary['channels']} channels, "
        f"{summary['events']} events, {summary['watch']} watched pairs",
        highlight=False,
    )
