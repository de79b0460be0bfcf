"""What every command shares: options, loading, output, and turning errors into exit codes."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from ..core.errors import BackchannelError, ScenarioError
from ..core.limits import shown
from ..record.scenario import DEFAULT_SCENARIO, Scenario, load
from .output import ScreenConsole, print_json

__all__ = [
    "ActivityOpt",
    "AtOpt",
    "JsonOpt",
    "ScenarioOpt",
    "day_or_last",
    "fail",
    "handle_errors",
    "open_scenario",
    "print_json",
    "stderr",
    "stdout",
]

F = TypeVar("F", bound=Callable[..., Any])

ScenarioOpt = Annotated[
    str,
    typer.Option(
        "--scenario",
        "-s",
        help="A built-in scenario name (see `backchannel scenarios`) or a path to a YAML file.",
        envvar="BACKCHANNEL_SCENARIO",
    ),
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout.", metavar="")
]
AtOpt = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="Date (YYYY-MM-DD, YYYY-MM or YYYY): the state after every event of that day. "
        "Default: the day of the scenario's last event.",
    ),
]
ActivityOpt = Annotated[
    Path | None,
    typer.Option(
        "--activity-db",
        help="A DuckDB file made by `backchannel ingest`: consult events between a channel's "
        "actors count as use of the channel (so dormancy can come from event data).",
    ),
]

stdout = ScreenConsole(soft_wrap=False, emoji=False)
stderr = Console(stderr=True, soft_wrap=True, emoji=False)


#: the option that stands for a library parameter named in an error message
OPTIONS = {
    "at": "--at",
    "min_rank": "--min-rank",
    "events": "--event",
    "event_id": "--event",
    "fmt": "--format",
    "out": "--out",
    "first": "--from",
    "from": "--from",
    "to": "--to",
}


def worded(exc: BackchannelError) -> str:
    """A library error in the command line's words: the parameter it names becomes the
    option (``events[0]: ...`` → ``--event 1: ...``)."""
    text, param = str(exc), exc.param
    if param not in OPTIONS or not text.startswith(param):
        return text
    rest, flag = text[len(param) :], OPTIONS[param]
    index = re.match(r"\[(\d+)\]", rest)
    if index:
        flag += f" {int(index[1]) + 1}"
        rest = rest[index.end() :]
    return flag + rest


def fail(message: str) -> typer.Exit:
    """Print an error on stderr and return the exit (code 1) to raise."""
    stderr.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True)
    return typer.Exit(1)


def handle_errors(fn: F) -> F:
    """Turn a :class:`BackchannelError` into a message on stderr and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ScenarioError as exc:
            for p in exc.problems:
                stderr.print(f"[bold red]error:[/] {escape(str(p))}", highlight=False, markup=True)
            raise typer.Exit(1) from None
        except BackchannelError as exc:
            raise fail(worded(exc)) from None
        except BrokenPipeError:  # e.g. `| head`
            sys.stderr.close()
            raise typer.Exit(0) from None
        except OSError as exc:  # the system refused (a name too long, no space): one line
            where = f"{shown(exc.filename)}: " if getattr(exc, "filename", None) else ""
            raise fail(f"{where}{exc.strerror or shown(exc, 300)}") from None

    return wrapper  # type: ignore[return-value]


def open_scenario(name: str = DEFAULT_SCENARIO, activity_db: Path | None = None) -> Scenario:
    """Load a scenario by name or path, with activity from an event-data file if given."""
    sc = load(name)
    if activity_db is not None:
        from ..eventdata.activity import channel_activity

        sc = sc.with_activity(channel_activity(sc, activity_db))
    return sc


def day_or_last(sc: Scenario, at: str | None) -> int:
    """The ordinal day of ``--at``, or the day of the scenario's last event."""
    if at is not None:
        return sc.day(at, "--at")
    if sc.last_day is None:
        raise BackchannelError("the scenario has no events; give a date with --at")
    return sc.last_day
