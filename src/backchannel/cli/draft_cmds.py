"""`backchannel draft`: candidate events from an article, for a person to review."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ..draft import draft_file
from ..record.scenario import DEFAULT_SCENARIO
from .common import JsonOpt, ScenarioOpt, handle_errors, open_scenario, print_json


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command(
        epilog="Example: backchannel draft article.txt --scenario russia-nato "
        "--published 2021-10-21 --json"
    )(draft)


@handle_errors
def draft(
    file: Annotated[str, typer.Argument(help="The article: plain text or HTML (UTF-8).")],
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            help="The day the article was published (YYYY-MM-DD): relative dates ('on "
            "Monday', 'seven years ago') count from it, and an event the text does not "
            "date gets it (with date_exact: false).",
        ),
    ] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="The article's address, for each event's source.")
    ] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", help="The source title (default: the HTML title or first line)."),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Draft events from a news article or statement: YAML to review and paste under
    `events:`, or JSON with candidates, unresolved mentions and skipped statements.
    It never edits the scenario."""
    sc = open_scenario(scenario)
    result = draft_file(file, sc, published=published, url=url, title=title)
    if json_:
        print_json(result.as_dict())
        return
    sys.stdout.write(result.to_yaml())
