"""Commands about the scenario record itself: check, scenarios, channels, timeline, diff."""

from __future__ import annotations

from typing import Annotated

import typer

from ..core.dates import iso
from ..core.errors import BackchannelError, ScenarioError
from ..record.loader import load_doc
from ..record.scenario import DEFAULT_SCENARIO, builtin_scenarios, resolve_scenario
from .common import (
    ActivityOpt,
    AtOpt,
    ScenarioOpt,
    day_or_last,
    handle_errors,
    open_scenario,
    stdout,
)
from .output import NARROW, Output, columns, id_column, output_options, screen_table

STATUS_STYLE = {
    "active": "green",
    "restricted": "yellow",
    "suspended": "red",
    "closed": "bright_black",
}


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command(epilog="Example: backchannel check my-scenario.yaml")(check)
    app.command(epilog="Example: backchannel scenarios --json")(scenarios)
    app.command(epilog="Example: backchannel channels RUS NATO --at 2021-11-02")(channels)
    app.command(epilog="Example: backchannel timeline --channel chiefs-line --json")(timeline)
    app.command(epilog="Example: backchannel diff 2021-10-01 2021-11-02")(diff)


@handle_errors
@output_options
def check(
    file: Annotated[str, typer.Argument(help="Scenario file (or built-in name) to validate.")],
    *,
    out: Output,
) -> None:
    """Validate a scenario file: every problem with its file, line and reason."""
    try:
        path = resolve_scenario(file)
        doc = load_doc(path)
    except ScenarioError as exc:
        errors = [p.as_dict() for p in exc.problems]
        if out.emit({"ok": False, "errors": errors}, errors):
            raise typer.Exit(1) from None
        raise
    except BackchannelError as exc:
        errors = [{"file": file, "line": None, "message": str(exc)}]
        if out.emit({"ok": False, "errors": errors}, errors):
            raise typer.Exit(1) from None
        raise
    if out.emit({"ok": True, "errors": []}, [], columns=("file", "line", "message")):
        return
    n_off = sum(len(a.offices) for a in doc.actors)
    stdout.print(
        f"[green]ok[/] {path}: scenario '{doc.scenario}' — {len(doc.actors)} actors, "
        f"{n_off} offices, {len(doc.channels)} channels, {len(doc.events)} events",
        highlight=False,
    )


@handle_errors
@output_options
def scenarios(*, out: Output) -> None:
    """List the built-in scenarios."""
    rows = []
    for name, path in sorted(builtin_scenarios().items()):
        doc = load_doc(path)
        rows.append(
            {
                "name": name,
                "title": doc.title,
                "actors": len(doc.actors),
                "channels": len(doc.channels),
                "events": len(doc.events),
                "default": name == DEFAULT_SCENARIO,
            }
        )
    if out.emit({"scenarios": rows}, rows):
        return
    names = [f"{r['name']}{' (default)' if r['default'] else ''}" for r in rows]
    table = screen_table(stdout)
    id_column(table, "name", names)
    columns(table, "title", "actors", "channels", "events")
    for name, r in zip(names, rows, strict=True):
        table.add_row(name, str(r["title"]), str(r["actors"]), str(r["channels"]), str(r["events"]))
    stdout.print(table)


@handle_errors
@output_options
def channels(
    a: Annotated[str, typer.Argument(help="An office, actor or side.")],
    b: Annotated[str, typer.Argument(help="An office, actor or side.")],
    at: AtOpt = None,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    activity_db: ActivityOpt = None,
    *,
    out: Output,
) -> None:
    """Channels between A and B on a date, in any status, with dormancy.

    An actor stands for all of its offices; a side for its actors (and the members of any
    alliance in it). Lists every channel opened on or before the date, closed ones too.
    """
    sc = open_scenario(scenario, activity_db)
    day = day_or_last(sc, at)
    rows = sc.channels_between(a, b, day)
    if not out.table:
        keys = (
            "id",
            "kind",
            "status",
            "ends",
            "level",
            "latency_s",
            "dormant",
            "unresponsive",
            "tracked",
            "last_use",
            "opened",
            "staff",
            "cap",
            "name",
        )
        records = [{k: r[k] for k in keys} for r in rows]
        out.emit({"at": iso(day), "channels": records}, records)
        return
    from ..core.dates import format_duration

    narrow = stdout.width < NARROW  # the ends are in --json, --csv and `backchannel offices`
    table = screen_table(stdout, f"Channels {a} ↔ {b} at {iso(day)} ({sc.name})")
    id_column(table, "channel", (r["id"] for r in rows))
    columns(table, "kind")
    columns(table, "status", min_width=len("restricted") if narrow else None)
    columns(table, *(() if narrow else ("ends",)), "latency", "dormant")
    columns(table, "last use", no_wrap=True)
    for r in rows:
        style = STATUS_STYLE.get(r["status"] or "", "")
        status = r["status"] + (f" (staff {r['staff']})" if r["staff"] is not None else "")
        table.add_row(
            r["id"],
            r["kind"].replace("_", " ") if narrow else r["kind"],
            f"[{style}]{status}[/]",
            *(() if narrow else (" ↔ ".join(r["ends"]),)),
            format_duration(r["latency_s"]),
            "unresponsive" if r.get("unresponsive") else "yes" if r["dormant"] else "no",
            r["last_use"] or "—",
        )
    stdout.print(table)
    if not rows:
        stdout.print(f"No channel between {a} and {b} was open by {iso(day)}.")
        return
    from ..present.paperlive import left_out, left_out_words

    gone = left_out(sc, day, [r["id"] for r in rows])
    if gone:
        usable = sum(1 for r in rows if r["status"] in ("active", "restricted"))
        stdout.print(
            f"{usable} usable on paper; live (--live) leaves out {len(gone)}: "
            f"{left_out_words(gone, limit=8)}.",
            highlight=False,
        )


@handle_errors
@output_options
def timeline(
    channel: Annotated[
        str | None, typer.Option("--channel", "-c", help="Only this channel.")
    ] = None,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    activity_db: ActivityOpt = None,
    *,
    out: Output,
) -> None:
    """Status spans of every channel (or one): from, to and status, with days of use.

    With --csv or --jsonl: one record per span (channel, kind, status, from, to).
    """
    sc = open_scenario(scenario, activity_db)
    rows = sc.spans(channel)
    records = [
        {"channel": r["id"], "kind": r["kind"], **s, "uses": len(r["uses"])}
        for r in rows
        for s in r["spans"]
    ]
    if out.emit({"scenario": sc.name, "channels": list(rows)}, records):
        return
    for r in rows:
        spans = (
            "  ".join(
                f"[{STATUS_STYLE.get(s['status'], '')}]{s['status']}[/] {s['from']}→{s['to'] or ''}"
                for s in r["spans"]
            )
            or "never opened"
        )
        stdout.print(f"[bold]{r['id']}[/] ({r['kind']}): {spans}", highlight=False, soft_wrap=True)
        if r["uses"]:
            shown = ", ".join(r["uses"][-5:])
            more = f"{len(r['uses']) - 5} earlier, " if len(r["uses"]) > 5 else ""
            stdout.print(f"    used: {more}{shown}", highlight=False, soft_wrap=True)


@handle_errors
@output_options
def diff(
    date1: Annotated[str, typer.Argument(help="The earlier date.")],
    date2: Annotated[str, typer.Argument(help="The later date.")],
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    *,
    out: Output,
) -> None:
    """What changed between two dates: channels, staff, memberships, holders, frameworks."""
    sc = open_scenario(scenario)
    changes = sc.diff(date1, date2)
    records = [c.as_dict() for c in changes]
    if out.emit({"from": date1, "to": date2, "changes": records}, records):
        return
    if not changes:
        stdout.print(f"Nothing changed between {date1} and {date2}.")
        return
    table = screen_table(stdout, f"{date1} → {date2}")
    columns(table, "what")
    id_column(table, "id", (c.id for c in changes))
    columns(table, "before", "after")
    for c in changes:
        table.add_row(c.what, c.id, c.before or "—", c.after or "—")
    stdout.print(table)
