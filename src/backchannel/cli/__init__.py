"""The command line: `backchannel COMMAND`. The only layer that prints."""

from __future__ import annotations

import typer

from . import analysis_cmds, ingest_cmds, report_cmds, scenario_cmds, world_cmds

app = typer.Typer(
    name="backchannel",
    help="Communication channels between states and alliances: what is open, how fast, "
    "how resilient, and whether an event changed any of it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

for _module in (scenario_cmds, report_cmds, ingest_cmds, analysis_cmds, world_cmds):
    _module.register(app)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    if version:
        from .. import __version__

        typer.echo(__version__)
        raise typer.Exit(0)


def main() -> None:
    """Entry point of the `backchannel` script."""
    app()
