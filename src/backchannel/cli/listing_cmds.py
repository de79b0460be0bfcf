"""Commands that list what a scenario holds: `actors`, `offices`, `events`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.padding import Padding

from ..core.dates import iso
from ..record.listing import actor_rows, event_rows, office_rows
from ..record.scenario import DEFAULT_SCENARIO
from .common import AtOpt, ScenarioOpt, day_or_last, handle_errors, open_scenario, stdout
from .output import NARROW, Output, columns, id_column, output_options, screen_table

__all__ = ["actors", "events", "offices", "register"]


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command(epilog="Example: backchannel actors --scenario example --csv")(actors)
    app.command(epilog="Example: backchannel offices --actor NATO --at 2021-11-02")(offices)
    app.command(epilog="Example: backchannel events --channel saceur-cgs-line --from 2014 --json")(
        events
    )


@handle_errors
@output_options
def actors(
    at: AtOpt = None,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    *,
    out: Output,
) -> None:
    """The scenario's actors: states, alliances and organisations, with their offices,
    head office, members on the date and sides."""
    sc = open_scenario(scenario)
    day = day_or_last(sc, at) if sc.doc.events or at else None
    rows = actor_rows(sc, day)
    if out.emit({"scenario": sc.name, "at": iso(day), "actors": list(rows)}, rows):
        return
    table = screen_table(stdout, f"Actors of {sc.name}" + (f" at {iso(day)}" if day else ""))
    id_column(table, "id", (r["id"] for r in rows))
    columns(table, "kind", "name", "offices", "head office", "members", "sides")
    for r in rows:
        table.add_row(
            r["id"],
            r["kind"],
            r["name"],
            str(r["offices"]),
            r["head_office"] or "—",
            " ".join(r["members"]) or "—",
            ", ".join(r["sides"]) or "—",
        )
    stdout.print(table)


@handle_errors
@output_options
def offices(
    actor: Annotated[str | None, typer.Option("--actor", help="Only this actor's offices.")] = None,
    at: AtOpt = None,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    *,
    out: Output,
) -> None:
    """The scenario's offices: actor, rank, whom they report to, dual hats (also), the
    holder on the date, and the channels with an end at each."""
    sc = open_scenario(scenario)
    day = day_or_last(sc, at) if sc.doc.events or at else None
    rows = office_rows(sc, actor, day)
    if out.emit({"scenario": sc.name, "at": iso(day), "offices": list(rows)}, rows):
        return
    table = screen_table(
        stdout, f"Offices of {actor or sc.name}" + (f" at {iso(day)}" if day else "")
    )
    id_column(table, "id", (r["id"] for r in rows))
    columns(table, "name", "rank")
    id_column(table, "reports to", (r["reports_to"] for r in rows))
    columns(table, "also", "holder", "channels")
    for r in rows:
        table.add_row(
            r["id"],
            r["name"],
            r["rank"].replace("_", " "),
            r["reports_to"] or "—",
            " ".join(r["also"]) or "—",
            r["holder"] or "—",
            str(len(r["channels"])),
        )
    stdout.print(table)


@handle_errors
@output_options
def events(
    channel: Annotated[
        str | None, typer.Option("--channel", "-c", help="Only events on this channel.")
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--from", help="Only events dated on or after this date (2014, 2014-03)."),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Only events dated on or before this date.")
    ] = None,
    do: Annotated[
        str | None,
        typer.Option("--do", help="Only events of this type (expel, suspend, meet...)."),
    ] = None,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    *,
    out: Output,
) -> None:
    """The record: every event in date-then-file order, with its id, type, target,
    source and line. A month or year date counts as its first day for --from and --to."""
    sc = open_scenario(scenario)
    rows = event_rows(sc, channel, start, end, do)
    if out.emit({"scenario": sc.name, "events": list(rows)}, rows):
        return
    title = f"Events of {sc.name}" + (f" on {channel}" if channel else "")

    def text(r: dict[str, object]) -> str:
        parts = [f"{r['count']} expelled" if r["count"] is not None else None]
        parts.append(f"cap {r['cap']}" if r["cap"] is not None else None)
        parts.append(str(r["note"]) if r["note"] else None)
        head = "; ".join(p for p in parts if p)
        source = f"source: {r['source']}" if r["source"] else ""
        return "\n".join(x for x in (head, source) if x)

    if stdout.width < NARROW:  # narrow: each event on its line, what it says below
        stdout.print(f"[bold]{title}[/]", highlight=False)
        for r in rows:
            by = f"  by {r['by']}" if r["by"] else ""
            stdout.print(f"{r['date']}  [bold]{r['id']}[/]  {r['do']}{by}", highlight=False)
            if text(r):
                stdout.print(Padding(text(r), (0, 0, 0, 4)), highlight=False)
    else:
        table = screen_table(stdout, title)
        table.add_column("date", no_wrap=True)
        id_column(table, "event", (r["id"] for r in rows))
        table.add_column("do", no_wrap=True)
        columns(table, "by", "note / source")
        for r in rows:
            table.add_row(r["date"], r["id"], r["do"], r["by"] or "—", text(r) or "—")
        stdout.print(table)
    if not rows:
        stdout.print("No event matches.", highlight=False)
