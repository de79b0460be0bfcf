"""The command line: `backchannel COMMAND`. The only layer that prints."""

from __future__ import annotations

import typer

from . import (
    analysis_cmds,
    draft_cmds,
    ingest_cmds,
    listing_cmds,
    reliability_cmds,
    report_cmds,
    scenario_cmds,
    world_cmds,
)

app = typer.Typer(
    name="backchannel",
    help="Communication channels between states and alliances: what is open, how fast, "
    "how resilient, and whether an event changed any of it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

for _module in (
    scenario_cmds,
    listing_cmds,
    report_cmds,
    ingest_cmds,
    analysis_cmds,
    reliability_cmds,
    world_cmds,
    draft_cmds,
):
    _module.register(app)


def _show_version(value: bool) -> None:
    if value:
        from ..core.version import __version__

        typer.echo(f"backchannel {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        help="Print the version and exit.",
        is_eager=True,
        metavar="",
        callback=_show_version,
    ),
) -> None:
    """Communication channels between states and alliances."""


def main() -> None:
    """Entry point of the `backchannel` script."""
    app()
