"""Commands about event data: ingest (GDELT, ICEWS, PLOVER into DuckDB) and engagement."""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from ..core.errors import BackchannelError
from .common import JsonOpt, handle_errors, print_json, stderr, stdout


class Kind(StrEnum):
    """The event file formats `ingest` reads."""

    gdelt1 = "gdelt1"
    gdelt2 = "gdelt2"
    icews = "icews"
    plover = "plover"


class By(StrEnum):
    """Period of the engagement series."""

    month = "month"
    quarter = "quarter"
    year = "year"


class Engine(StrEnum):
    """Engine running the engagement expression."""

    duckdb = "duckdb"
    pyspark = "pyspark"


DbOpt = Annotated[
    Path, typer.Option("--db", help="The DuckDB event database (created if missing).")
]
CodesOpt = Annotated[
    Path | None,
    typer.Option(
        "--codes",
        help="A code map (TSV: code<TAB>actor) extending or overriding the shipped one; "
        "an actor of '-' removes a code.",
    ),
]


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command(
        epilog="Example: backchannel ingest gdelt2 20191024143000.export.CSV.zip --db events.duckdb"
    )(ingest)
    app.command(
        epilog="Example: backchannel engagement RUS NATO --db events.duckdb --by quarter --json"
    )(engagement)


@handle_errors
def ingest(
    kind: Annotated[Kind, typer.Argument(help="File format: gdelt1, gdelt2, icews or plover.")],
    files: Annotated[list[Path], typer.Argument(help="Event files (GDELT may be .zip or .gz).")],
    db: DbOpt,
    codes: CodesOpt = None,
    parquet: Annotated[
        Path | None,
        typer.Option(
            "--parquet",
            help="Also write every stored event as Parquet partitioned by year into this "
            "folder (for `engagement --parquet` and Spark).",
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Load event files into a DuckDB database, one transaction per file.

    The file's layout is checked from its first lines: a file of another KIND is refused
    (nothing stored). Bad rows (wrong column count, impossible dates, non-numeric figures)
    go to the `rejects` table (the first 1,000 of a file; the rest are counted) and are
    printed with their line. Loading a file again adds nothing. Ctrl-C rolls the file
    being loaded back (exit 130).
    """
    # Everything the load needs is imported before it starts: Ctrl-C during an import
    # would otherwise surface as an ImportError or be lost.
    try:
        from ..core.progress import Progress as P
        from ..eventdata.store import MAX_REJECTS, FileReport, Interrupted, export_parquet
        from ..eventdata.store import connect as open_db
        from ..eventdata.store import ingest as run_ingest
        from ..sources.codemap import load_codemap
    except KeyboardInterrupt:
        stderr.print("interrupted: nothing was loaded", highlight=False)
        raise typer.Exit(130) from None

    show_bar = stderr.is_terminal and not json_
    bar = Progress(
        TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
        TextColumn("{task.fields[rows]:,} rows"), TimeRemainingColumn(),
        console=stderr, transient=True, disable=not show_bar,
    )  # fmt: skip
    tasks: dict[str, TaskID] = {}

    def on_progress(p: P) -> None:
        if p.phase not in tasks:
            tasks[p.phase] = bar.add_task(Path(p.phase).name, total=p.total or None, rows=0)
        bar.update(tasks[p.phase], completed=p.done, rows=p.rows)

    def on_file(rep: FileReport) -> None:
        for r in rep.rejects:
            stderr.print(f"[yellow]rejected[/] {escape(str(r))}", highlight=False, markup=True)
        if rep.rejected > len(rep.rejects):
            stderr.print(
                f"{rep.file}: {rep.rejected - len(rep.rejects):,} more rejected lines counted, "
                f"not kept (the first {MAX_REJECTS:,} are in the rejects table)",
                highlight=False,
                markup=False,
            )
        if not json_:
            if rep.already_loaded:
                msg = f"{rep.file}: already loaded, nothing added"
            else:
                msg = (
                    f"{rep.file}: {rep.rows:,} rows stored, {rep.rejected:,} rejected"
                    + (f", {rep.duplicates:,} already in the database" if rep.duplicates else "")
                    + (f", {rep.skipped} non-event records skipped" if rep.skipped else "")
                )
            bar.console.print(msg, highlight=False, markup=False)

    try:
        codemap = load_codemap(codes)
        missing = [f for f in files if not f.is_file()]
        if missing:
            raise BackchannelError(f"{missing[0]}: file not found")
        with bar:
            reports = run_ingest(
                kind.value, files, db, codes=codemap, on_progress=on_progress, on_file=on_file
            )
        written = None
        if parquet is not None:
            con = open_db(db)
            try:
                written = export_parquet(con, parquet)
            finally:
                con.close()
    except Interrupted as exc:
        if exc.file is None and not exc.loaded:
            msg = "interrupted: nothing was loaded"
        elif exc.file is not None:
            kept = f"; {len(exc.loaded)} file(s) before it stay loaded" if exc.loaded else ""
            msg = f"interrupted: {exc.file} was rolled back{kept}"
        else:
            msg = (
                f"interrupted after {len(exc.loaded)} of {len(files)} file(s) was loaded "
                "(committed whole); nothing half-loaded remains"
            )
        stderr.print(msg, highlight=False, markup=False)
        raise typer.Exit(130) from None
    except KeyboardInterrupt:
        stderr.print(
            "interrupted: the file being loaded was rolled back; files before it stay loaded",
            highlight=False,
        )
        raise typer.Exit(130) from None
    rows = sum(r.rows for r in reports)
    rejected = sum(r.rejected for r in reports)
    if json_:
        doc = {
            "rows": rows, "rejected": rejected, "db": str(db),
            "duplicates": sum(r.duplicates for r in reports),
            "skipped": sum(r.skipped for r in reports),
            "files": [{k: v for k, v in r.as_dict().items() if k != "rejects"}
                      for r in reports],
        }  # fmt: skip
        if written is not None:
            doc["parquet"] = {"folder": str(parquet), "rows": written}
        print_json(doc)
        return
    stdout.print(f"{rows:,} rows stored in {db}; {rejected:,} rejected", highlight=False)
    if written is not None:
        stdout.print(f"{written:,} events written to {parquet} as Parquet by year", highlight=False)


@handle_errors
def engagement(
    a: Annotated[
        str, typer.Argument(help="Actor id(s), comma separated (RUS or USA,GBR), or a side.")
    ],
    b: Annotated[str, typer.Argument(help="Actor id(s) or a side on the other side (NATO).")],
    db: Annotated[
        Path | None,
        typer.Option("--db", help="DuckDB file from `ingest` (or a Parquet file/folder)."),
    ] = None,
    parquet: Annotated[
        Path | None,
        typer.Option("--parquet", help="A folder written by `ingest --parquet` (by year)."),
    ] = None,
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario",
            "-s",
            help="A scenario (name or file) whose sides and actor ids A and B may name.",
        ),
    ] = None,
    by: Annotated[By, typer.Option("--by", help="Period: month, quarter or year.")] = By.month,
    directed: Annotated[bool, typer.Option("--directed", help="Only events from A to B.")] = False,
    engine: Annotated[
        Engine, typer.Option("--engine", help="duckdb (default) or pyspark.")
    ] = Engine.duckdb,
    codes: CodesOpt = None,
    csv_: Annotated[bool, typer.Option("--csv", help="Print CSV on stdout.")] = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Also write a PNG chart to this file.")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """De facto engagement between A and B per period, from ingested event data.

    Counts by quad class, consult events (CAMEO 040-046), reduce-relations events (16x),
    mean Goldstein value, and the dyad's share of all events of the period. Both
    directions count unless --directed. A country code stands for all its actors
    (RUSGOV and RUSMIL count as RUS); an unknown id is an error with suggestions. With
    --scenario, A and B may also be the scenario's sides and actor ids.
    """
    if csv_ and json_:
        raise typer.BadParameter("give --json or --csv, not both")
    if (db is None) == (parquet is None):
        raise typer.BadParameter("give the event data with --db FILE or --parquet DIR")
    from ..eventdata.engagement import SERIES_FIELDS, resolve_side
    from ..eventdata.engagement import engagement as run
    from ..eventdata.engines import known_actors
    from ..sources.codemap import load_codemap

    source: Path = parquet if parquet is not None else db  # type: ignore[assignment]
    if not source.exists():
        raise BackchannelError(f"{source}: event database not found (make it with `ingest`)")
    codemap = load_codemap(codes)
    sides: dict[str, list[str]] = {}
    ids: set[str] = set()
    if scenario is not None:
        from ..record.scenario import load

        sc = load(scenario)
        last = max((e.date.ordinal for e in sc.doc.events), default=None)
        for side in sc.doc.sides:
            sides[side] = sc.side_actors(side, last) if last is not None else sc.doc.sides[side]
        ids = set(sc.actors)

    def known() -> set[str]:
        return ids | known_actors(source)

    side_a = resolve_side(a, codemap, sides=sides, known=known)
    side_b = resolve_side(b, codemap, sides=sides, known=known)
    series = run(source, side_a, side_b, by=by.value, directed=directed, engine=engine.value)

    def name(text: str, ids: list[str]) -> str:
        return ",".join(ids) if len(ids) <= 4 else text

    title = f"{name(a, side_a)} {'→' if directed else '↔'} {name(b, side_b)} by {by.value}"
    if plot is not None:
        from ..present.engagement_chart import plot_engagement

        plot_engagement(series, plot, title, by.value)
        if not json_ and not csv_:
            stderr.print(f"wrote {plot}", highlight=False)
    if json_:
        print_json(
            {
                "a": side_a,
                "b": side_b,
                "by": by.value,
                "directed": directed,
                "engine": engine.value,
                "series": series,
            }
        )
        return
    if csv_:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(SERIES_FIELDS)
        for s in series:
            w.writerow(
                [
                    s["period"],
                    s["events"],
                    *s["quad"].values(),
                    s["consult"],
                    s["reduce"],
                    "" if s["goldstein"] is None else s["goldstein"],
                    s["total"],
                    s["share"],
                ]
            )
        return
    table = Table(
        "period",
        "events",
        "v.coop",
        "m.coop",
        "v.confl",
        "m.confl",
        "consult",
        "reduce",
        "goldstein",
        "share",
        title=f"Engagement {title}",
    )
    for s in series:
        q = s["quad"]
        table.add_row(
            s["period"], str(s["events"]), str(q["verbal_cooperation"]),
            str(q["material_cooperation"]), str(q["verbal_conflict"]),
            str(q["material_conflict"]), str(s["consult"]), str(s["reduce"]),
            "—" if s["goldstein"] is None else f"{s['goldstein']:.2f}",
            f"{100 * s['share']:.3f}%",
        )  # fmt: skip
    stdout.print(table)
    if not any(s["events"] for s in series):
        stdout.print(f"No event between {a} and {b} in {source}.", highlight=False)
