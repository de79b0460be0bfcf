"""Commands for whole worlds: `import cow`, `import us-missions`, and `export` to Gephi
(GEXF, GraphML) and to tables (Parquet, CSV)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

from ..core.atomic import check_writable
from ..core.dates import iso
from ..core.errors import BackchannelError
from ..core.progress import OnProgress
from ..core.progress import Progress as ProgressOf
from ..record.scenario import DEFAULT_SCENARIO
from .common import (
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

import_app = typer.Typer(
    name="import",
    help="Import public data sets as scenario files (one deterministic YAML file each).",
    epilog="Example: backchannel import cow Diplomatic_Exchange_2006v1.csv.gz "
    "--states states2016.csv --from 1990 --to 2005 --out world.yaml",
    no_args_is_help=True,
)
export_app = typer.Typer(
    name="export",
    help="Export a scenario for Gephi (GEXF, GraphML) or for pandas, Polars and DuckDB "
    "(Parquet, CSV).",
    epilog="Example: backchannel export gexf --scenario world.yaml --dynamic --out world.gexf",
    no_args_is_help=True,
)


class Nodes(StrEnum):
    """What the nodes of an exported network are."""

    actors = "actors"
    offices = "offices"


OutFile = Annotated[Path, typer.Option("--out", "-o", help="The file to write.")]
OutDir = Annotated[Path, typer.Option("--out", "-o", help="The folder to write the tables into.")]
CodesOpt = Annotated[
    Path | None,
    typer.Option(
        "--codes",
        help="A COW code → actor id map (CSV: ccode,stateabb,statenme,iso3); default: the "
        "shipped backchannel/data/cow_iso3.csv.",
    ),
]
NodesOpt = Annotated[
    Nodes,
    typer.Option("--nodes", help="Nodes are actors (states) or their offices."),
]
_SHOWN = 20  # rejected rows printed on stderr (all of them with --json)


def register(app: typer.Typer) -> None:
    """Add the `import` and `export` command groups to the app."""
    import_app.command(
        "cow",
        epilog="Example: backchannel import cow Diplomatic_Exchange_2006v1.csv.gz "
        "--states states2016.csv --from 1990 --to 2005 --out world.yaml",
    )(import_cow)
    import_app.command(
        "us-missions",
        epilog="Example: backchannel import us-missions mission_status_range_cow_v0.1.csv "
        "--out us.yaml",
    )(import_us_missions)
    export_app.command(
        "gexf",
        epilog="Example: backchannel export gexf --scenario world.yaml --at 2005 "
        "--out world-2005.gexf",
    )(export_gexf)
    export_app.command(
        "graphml",
        epilog="Example: backchannel export graphml --scenario world.yaml --at 2005 "
        "--out world-2005.graphml",
    )(export_graphml)
    export_app.command(
        "parquet", epilog="Example: backchannel export parquet --scenario world.yaml --out tables/"
    )(export_parquet)
    export_app.command(
        "csv", epilog="Example: backchannel export csv --scenario world.yaml --out tables/"
    )(export_csv)
    app.add_typer(import_app, name="import")
    app.add_typer(export_app, name="export")


@contextmanager
def _progress(quiet: bool) -> Iterator[OnProgress]:
    """A progress callback drawing a Rich bar on stderr (nothing when not a terminal)."""
    bar = Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=quiet or not stderr.is_terminal,
    )
    tasks: dict[str, Any] = {}

    def report(p: ProgressOf) -> None:
        if p.phase not in tasks:
            tasks[p.phase] = bar.add_task(p.phase, total=p.total)
        bar.update(tasks[p.phase], completed=p.done, total=p.total)

    with bar:
        yield report


def _finish(result: Any, out: Path, json_: bool) -> None:
    try:
        result.write(out)
    except OSError as exc:
        raise BackchannelError(f"{out}: cannot write: {exc}") from None
    summary = {"out": str(out), **result.summary()}
    if json_:
        print_json(summary)
        return
    for p in result.problems[:_SHOWN]:
        stderr.print(f"[yellow]rejected:[/] {escape(str(p))}", highlight=False, markup=True)
    if len(result.problems) > _SHOWN:
        stderr.print(
            f"[yellow]rejected:[/] … and {len(result.problems) - _SHOWN} more "
            "(--json lists them all)",
            highlight=False,
        )
    s = {k: result.stats.get(k, 0) for k in ("rows", "rows_imported", "rows_rejected")}
    s.update(result.stats)
    stdout.print(
        f"[green]imported[/] {s['rows_imported']:,} of {s['rows']:,} rows "
        f"({s['rows_rejected']:,} rejected): {s['actors']} actors, {s['channels']:,} channels, "
        f"{s['events']:,} events → {out}",
        highlight=False,
    )


@handle_errors
def import_cow(
    file: Annotated[Path, typer.Argument(help="COW Diplomatic Exchange CSV (may be .gz).")],
    states: Annotated[
        Path,
        typer.Option(
            "--states",
            help="COW state system file: states2016.csv (membership "
            "spells) or system2016.csv (state-years).",
        ),
    ],
    out: OutFile,
    first: Annotated[
        int | None, typer.Option("--from", help="First year of the exchange data to import.")
    ] = None,
    last: Annotated[
        int | None, typer.Option("--to", help="Last year of the exchange data to import.")
    ] = None,
    codes: CodesOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Import Correlates of War Diplomatic Exchange data as a world of embassies.

    Every state in the system in those years becomes an actor (id: ISO 3166 alpha-3 where
    one exists) with a head-of-state and a foreign-ministry office; every sending and
    receiving state an embassy channel emb-S-R, opened, restricted, restored or closed as
    the level of representation changes. Bad rows are reported with their line and left
    out; the rest is imported. The same input always gives the same file.
    """
    from ..sources.cow import import_cow as run
    from ..sources.cowcodes import StateCodes

    check_writable(out)
    cmap = StateCodes.read(codes) if codes is not None else None
    with _progress(quiet or json_) as progress:
        result = run(file, states, first, last, codes=cmap, progress=progress)
    _finish(result, out, json_)


@handle_errors
def import_us_missions(
    file: Annotated[Path, typer.Argument(help="mission_status_range_cow_v0.1.csv")],
    out: OutFile,
    codes: CodesOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Import the US mission status ranges as US embassies, legations and liaison offices.

    One embassy channel emb-USA-X per country (embassies, legations, consulates and their
    non-resident forms) and one liaison channel lia-USA-X (liaison offices, interests
    sections), opened, upgraded, lowered and closed on the dates of the record.
    """
    from ..sources.cowcodes import StateCodes
    from ..sources.us_missions import import_us_missions as run

    check_writable(out)
    cmap = StateCodes.read(codes) if codes is not None else None
    with _progress(quiet or json_) as progress:
        result = run(file, codes=cmap, progress=progress)
    _finish(result, out, json_)


def _report(
    kind: str, out: Path, counts: dict[str, Any], json_: bool, extra: dict[str, Any]
) -> None:
    if json_:
        print_json({"format": kind, "out": str(out), **extra, **counts})
        return
    what = ", ".join(f"{v:,} {k}" for k, v in counts.items())
    stdout.print(f"[green]wrote[/] {out} ({kind}: {what})", highlight=False)


@handle_errors
def export_gexf(
    out: OutFile,
    at: AtOpt = None,
    dynamic: Annotated[
        bool,
        typer.Option(
            "--dynamic",
            help="The whole history with spells (Gephi's "
            "timeline), instead of the network at one date.",
        ),
    ] = False,
    nodes: NodesOpt = Nodes.actors,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    json_: JsonOpt = False,
) -> None:
    """Write the network at a date (or its whole history) as GEXF for Gephi.

    Edges are the channels active or restricted at the date, directed from the sending to
    the receiving end, with kind, status, latency_s, level, staff, cap, dormant, tracked
    and last_use (with --dynamic, each of them over time).
    """
    from ..formats.export import write_gexf

    check_writable(out)
    sc = open_scenario(scenario)
    if dynamic:
        if at is not None:
            raise BackchannelError("--dynamic exports the whole history; leave out --at")
        counts = write_gexf(sc, out, dynamic=True, mode=nodes.value)
        _report("gexf", out, counts, json_, {"dynamic": True, "at": None})
        return
    day = day_or_last(sc, at)
    counts = write_gexf(sc, out, day, mode=nodes.value)
    _report("gexf", out, counts, json_, {"dynamic": False, "at": iso(day)})


@handle_errors
def export_graphml(
    out: OutFile,
    at: AtOpt = None,
    nodes: NodesOpt = Nodes.actors,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    json_: JsonOpt = False,
) -> None:
    """Write the network at a date as GraphML (Gephi, yEd, igraph, NetworkX).

    Edges carry the same attributes as the GEXF export (status, latency_s, level, staff,
    cap, dormant, tracked, last_use).
    """
    from ..formats.export import write_graphml

    check_writable(out)
    sc = open_scenario(scenario)
    day = day_or_last(sc, at)
    counts = write_graphml(sc, out, day, mode=nodes.value)
    _report("graphml", out, counts, json_, {"at": iso(day)})


def _tables(fmt: str, out: Path, scenario: str, json_: bool) -> None:
    from ..formats.export import write_tables

    check_writable(out, folder=True)
    sc = open_scenario(scenario)
    written = write_tables(sc, out, fmt)  # type: ignore[arg-type]
    if json_:
        print_json({"format": fmt, "out": str(out), "tables": written})
        return
    for info in written.values():
        stdout.print(f"[green]wrote[/] {info['path']} ({info['rows']:,} rows)", highlight=False)
    if not written:
        stdout.print("nothing written")


@handle_errors
def export_parquet(
    out: OutDir,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    json_: JsonOpt = False,
) -> None:
    """Write actors, offices, channels, events and status spans as Parquet files."""
    _tables("parquet", out, scenario, json_)


@handle_errors
def export_csv(
    out: OutDir,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    json_: JsonOpt = False,
) -> None:
    """Write actors, offices, channels, events and status spans as CSV files."""
    _tables("csv", out, scenario, json_)
