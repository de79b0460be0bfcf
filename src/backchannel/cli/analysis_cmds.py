"""Commands that analyse the record: path, resilience, impact, principals, whatif, generate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.padding import Padding

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
from .output import Output, columns, id_column, output_options, screen_table

LiveOpt = Annotated[
    bool,
    typer.Option(
        "--live",
        help="Leave out dormant channels (paths that exist on paper but "
        "rest on channels nobody uses).",
        metavar="",
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
@output_options
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
    *,
    out: Output,
) -> None:
    """Time to contact from A to B: the least total latency, and the path it takes.

    Unreachable is an answer (reachable false), not an error. With --csv or --jsonl:
    one record per step of the path (office, via, after_s).
    """
    from ..graph.paths import time_to_contact
    from ..present.paperlive import contact, left_out_words

    sc = open_scenario(scenario, activity_db)
    day = day_or_last(sc, at)
    if not out.table:
        res = time_to_contact(sc, a, b, day, live=live, min_rank=min_rank, cut=cut or ())
        doc = res.as_dict()
        out.emit(doc, doc["path"], columns=("office", "via", "after_s"))
        return
    both = contact(sc, a, b, day, sc.budget_for(a, b), cut=cut or (), min_rank=min_rank)
    res, other = (both.live, both.paper) if live else (both.paper, both.live)
    mode = " (live channels only)" if live else ""
    if not res.reachable:
        head = f"{a} → {b} at {iso(day)}{mode}: [red]unreachable[/] — {res.reason}"
    else:
        head = f"{a} → {b} at {iso(day)}{mode}: [bold]{format_duration(res.latency_s)}[/]"
    if both.differs:
        lat = "unreachable" if other.latency_s is None else format_duration(other.latency_s)
        head += f"; on paper {lat}" if live else f" on paper; live {lat}"
    stdout.print(head, highlight=False)
    if both.differs and both.left_out:
        stdout.print(f"  live leaves out {left_out_words(both.left_out)}", highlight=False)
    if not res.reachable:
        return
    table = screen_table(stdout)
    id_column(table, "office", (s["office"] for s in res.path))
    id_column(table, "reached via", (s["via"] for s in res.path))
    columns(table, "after")
    for s in res.path:
        table.add_row(s["office"], s["via"] or "—", format_duration(s["after_s"]))
    stdout.print(table)


@handle_errors
@output_options
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
    *,
    out: Output,
) -> None:
    """How many channels must fail before A can no longer reach B.

    Gives one minimum cut set, the single points of failure (channels every path uses)
    and the minimum cut over fast channels only. reports_to, membership and also links
    cannot be cut.
    """
    from ..graph.cuts import resilience as run
    from ..present.paperlive import cuts, left_out_words

    sc = open_scenario(scenario, activity_db)
    day = day_or_last(sc, at)
    budget_s = _budget(budget, sc.budget_for(a, b))
    if not out.table:
        doc = run(sc, a, b, day, budget_s=budget_s, live=live, cut=cut or ()).as_dict()
        out.emit(doc, [doc])
        return
    both = cuts(sc, a, b, day, budget_s, cut=cut or ())
    res, other = (both.live, both.paper) if live else (both.paper, both.live)
    mode = " (live channels only)" if live else ""
    stdout.print(f"{a} ↔ {b} at {iso(day)}{mode}", highlight=False)
    if res.all.uncuttable:
        stdout.print(f"  no set of channels separates them: {res.reason}", highlight=False)
        return
    where = "on paper" if live else "live"

    def also(x: object, y: object) -> str:
        return f"  ({where}: {y})" if x != y else ""

    stdout.print(
        f"  channels to cut them off entirely: [bold]{res.min_cut}[/]"
        f"{also(res.min_cut, other.min_cut)}  {', '.join(res.all.cut) or '(already cut off)'}",
        highlight=False,
    )
    stdout.print(
        f"  single points of failure (any speed): {', '.join(res.all.single_points) or 'none'}",
        highlight=False,
    )
    fast = "none left" if res.min_cut_fast == 0 else ", ".join(res.fast.cut)
    stdout.print(
        f"  fast channels (≤ {format_duration(budget_s)}) to cut: [bold]{res.min_cut_fast}[/]"
        f"{also(res.min_cut_fast, other.min_cut_fast)}  {fast}",
        highlight=False,
    )
    stdout.print(
        f"  single points of failure within {format_duration(budget_s)}: "
        f"{', '.join(res.fast.single_points) or 'none'}",
        highlight=False,
    )
    if both.differs and both.left_out:
        stdout.print(f"  live leaves out {left_out_words(both.left_out)}", highlight=False)


@handle_errors
@output_options
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
    *,
    out: Output,
) -> None:
    """The verdict of every event (or one) for the watched pairs: material, symbolic or
    nonevent, whether its channels were dormant before, and why; then the verdict of
    every package of events.

    With --csv or --jsonl: one record per event and watched pair, with the pair's
    figures before and after.
    """
    from ..judge.impact import VERDICTS
    from ..judge.impact import impact as run

    if verdict is not None and verdict not in VERDICTS:
        from ..core.suggest import did_you_mean

        raise BackchannelError(
            f"--verdict: unknown verdict '{verdict}'"
            + (did_you_mean(verdict, VERDICTS) or f" (expected {', '.join(VERDICTS)})")
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
    if not out.table:
        doc = {
            "scenario": sc.name,
            "live": live,
            "events": [x.as_dict() for x in items],
            "packages": [p.as_dict() for p in pkgs],
        }
        out.emit(doc, [r for x in items for r in x.pair_rows()])
        return
    other: dict[str, str] = {}
    if _may_be_dormant(sc):
        other = {
            x.id: x.verdict for x in run(sc, event_id=event, live=not live) if x.id is not None
        }
    other_name = "on paper" if live else "live"
    title = f"Impact of events on the watched pairs ({sc.name})"
    differ = sum(other.get(x.id, x.verdict) != x.verdict for x in items)
    if stdout.width < 100:  # narrow: each event on its line, its reason wrapped below
        stdout.print(f"[bold]{title}[/]", highlight=False)
        for x in items:
            dormant = {True: "dormant before", False: "", None: ""}[x.dormant_before]
            alt = other.get(x.id, x.verdict)
            stdout.print(
                f"{x.event.date}  [bold]{x.id}[/]  [{VERDICT_STYLE[x.verdict]}]{x.verdict}[/]"
                + (f" ({other_name}: {alt})" if alt != x.verdict else "")
                + (f"  ({dormant})" if dormant else ""),
                highlight=False,
                soft_wrap=True,
            )
            stdout.print(Padding(x.reason, (0, 0, 0, 4)), highlight=False)
    else:
        table = screen_table(stdout, title)
        table.add_column("date", no_wrap=True)
        id_column(table, "event", (x.id for x in items))
        table.add_column("verdict", no_wrap=True)
        table.add_column(other_name, no_wrap=True)
        columns(table, "dormant before", "reason")
        for x in items:
            style = VERDICT_STYLE[x.verdict]
            dormant = {True: "yes", False: "no", None: "—"}[x.dormant_before]
            alt = other.get(x.id, x.verdict)
            shown = f"[{VERDICT_STYLE[alt]}]{alt}[/]" if alt != x.verdict else "same"
            table.add_row(
                str(x.event.date), x.id, f"[{style}]{x.verdict}[/]", shown, dormant, x.reason
            )
        stdout.print(table)
    for p in pkgs:
        stdout.print(
            f"package {p.id} ({len(p.events)} events, {p.start} to {p.end}): "
            f"[{VERDICT_STYLE[p.verdict]}]{p.verdict}[/] — {p.reason}",
            highlight=False,
        )
    if differ:
        where = "on paper" if live else "counting only channels in use (--live)"
        stdout.print(f"{differ} event(s) get another verdict {where}.", highlight=False)


def _may_be_dormant(sc: Any) -> bool:
    from ..present.paperlive import may_differ

    return may_differ(sc)


@handle_errors
@output_options
def principals(
    target: Annotated[str, typer.Argument(help="The actor whose principals to find.")],
    by: Annotated[
        str | None,
        typer.Option("--by", help="The actor looking for channels to each principal."),
    ] = None,
    at: AtOpt = None,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    *,
    out: Output,
) -> None:
    """Talk to the boss: actors ranked by influence over TARGET (directly and through
    chains, weights multiplied, the strongest chain counts), with the channels from --by
    to each that are usable on the date."""
    from ..judge.principals import principals as run

    sc = open_scenario(scenario)
    day = day_or_last(sc, at)
    rows = run(sc, target, by, day)
    if out.emit({"at": iso(day), "target": target, "by": by, "principals": list(rows)}, rows):
        return
    if not rows:
        stdout.print(f"No actor has recorded influence over {target}.")
        return
    table = screen_table(stdout, f"Principals of {target} at {iso(day)}")
    id_column(table, "actor", (r["actor"] for r in rows))
    columns(table, "weight", "chain", f"channels from {by}" if by else "channels")
    for r in rows:
        table.add_row(
            r["actor"],
            f"{r['weight']:.2f}",
            " → ".join(r["chain"]),
            ", ".join(r["channels"]) or ("none" if by else "—"),
        )
    stdout.print(table)


@handle_errors
@output_options
def whatif(
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="Compare on this date; --cut closes channels after every event of that "
            "day. Default: the latest --event date, else the day of the scenario's last "
            "event.",
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
    *,
    out: Output,
) -> None:
    """What if: apply hypothetical events on a fork of the record (never the record
    itself) and compare every watched pair's figures side by side.

    With --csv or --jsonl: one record per watched pair, record and what-if side by side.
    """
    from ..judge.whatif import parse_event, whatif_day
    from ..judge.whatif import whatif as run

    sc = open_scenario(scenario)
    events = [parse_event(t, i) for i, t in enumerate(event or [], 1)]
    day = whatif_day(sc, events) if at is None else sc.day(at, "--at")
    res = run(sc, day, cut=cut or (), events=events, live=live)
    if out.emit(res, res.rows()):
        return
    table = screen_table(stdout, f"What if — {iso(day)} ({sc.name})")
    columns(table, "pair", "record: contact", "what-if: contact", "cut", "cut (fast)")
    for r, w in zip(res["record"]["pairs"], res["whatif"]["pairs"], strict=True):
        table.add_row(
            " ↔ ".join(r["between"]),
            _lat(r["latency_s"]),
            _lat(w["latency_s"]),
            _pair(r["min_cut"], w["min_cut"]),
            _pair(r["min_cut_fast"], w["min_cut_fast"]),
        )
    stdout.print(table)
    stdout.print(res["summary"], highlight=False)
    if _may_be_dormant(sc):
        _whatif_other(sc, day, cut or [], events, live, res)


def _lat(x: int | None) -> str:
    return "unreachable" if x is None else format_duration(x)


def _pair(x: object, y: object) -> str:
    return f"{x} → {y}" if x != y else str(x)


def _whatif_other(
    sc: Any, day: int, cut: list[str], events: list[Any], live: bool, res: dict[str, Any]
) -> None:
    """The other answer (live, or on paper with --live) where its contact times differ."""
    from ..judge.whatif import whatif as run
    from ..present.paperlive import left_out, left_out_words

    alt = run(sc, day, cut=cut, events=events, live=not live)
    where = "on paper" if live else "live"
    lines = []
    pairs = zip(res["record"]["pairs"], res["whatif"]["pairs"], strict=True)
    others = zip(alt["record"]["pairs"], alt["whatif"]["pairs"], strict=True)
    for (r, w), (r2, w2) in zip(pairs, others, strict=True):
        if (r["latency_s"], w["latency_s"]) != (r2["latency_s"], w2["latency_s"]):
            lines.append(
                f"  {' ↔ '.join(r['between'])}: record {_lat(r2['latency_s'])}, "
                f"what-if {_lat(w2['latency_s'])}"
            )
    if not lines:
        return
    stdout.print(f"Time to contact {where}:", highlight=False)
    for line in lines:
        stdout.print(line, highlight=False)
    paths = {c for p in res["record"]["pairs"] + alt["record"]["pairs"] for c in p["path"]}
    gone = left_out(sc, day, paths)
    if gone:
        stdout.print(f"  live leaves out {left_out_words(gone)}", highlight=False)


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
    from ..core.atomic import check_writable
    from ..testing.generate import write_scenario

    check_writable(out)
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
