"""One output layer for every read command: a table for people, or the same records as
``--json``, ``--csv`` or ``--jsonl`` for programs (after sqlite-utils' shared
``output_options``).

A command decorated with :func:`output_options` gets the three flags for free and
receives an :class:`Output` as its ``out`` parameter. It builds its JSON document once,
names the records in it (the rows of its table), and lets :meth:`Output.emit` print them::

    @handle_errors
    @output_options
    def actors(scenario: ScenarioOpt = DEFAULT_SCENARIO, *, out: Output) -> None:
        rows = actor_rows(sc)
        if out.emit({"actors": rows}, rows):
            return
        ...  # the table

* ``--json``: the document, indented, exactly as ``print_json`` always wrote it;
* ``--jsonl``: one compact JSON object per record and line;
* ``--csv``: one line per record, a header of every key met (in order); nested objects
  become dotted columns (``before.latency_s``), lists of plain values are joined with
  ``;``, other lists are written as JSON; None is an empty cell, booleans are
  ``true``/``false``.

Tables keep ids whole: :func:`id_column` never shortens or cuts an id; other columns
wrap first. The screen console reads ``COLUMNS`` at each print (120 when it is unset
and stdout is not a terminal).
"""

from __future__ import annotations

import csv
import functools
import inspect
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, get_type_hints

import typer
from rich import box
from rich.console import Console, ConsoleDimensions
from rich.table import Table

__all__ = [
    "FORMATS",
    "Output",
    "ScreenConsole",
    "columns",
    "flatten",
    "id_column",
    "output_options",
    "print_json",
    "screen_table",
    "write_csv",
    "write_jsonl",
]

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("table", "json", "csv", "jsonl")


class ScreenConsole(Console):
    """A Rich console whose width follows ``COLUMNS`` at each print.

    Without ``COLUMNS``: the terminal's width, or 120 when stdout is not a terminal.
    """

    @property
    def size(self) -> ConsoleDimensions:
        """Width from ``COLUMNS`` (read now), else the terminal's, else 120."""
        cols = os.environ.get("COLUMNS", "")
        if cols.isdigit() and int(cols) > 0:
            return ConsoleDimensions(int(cols), 25)
        if self.is_terminal:
            return super().size
        return ConsoleDimensions(120, 25)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        Console.size.fset(self, new_size)  # type: ignore[attr-defined]


def print_json(obj: Any) -> None:
    """Print one JSON document on stdout (indented; the `--json` form of every command)."""
    sys.stdout.write(json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        if all(not isinstance(v, dict | list | tuple) for v in value):
            return ";".join("" if v is None else str(v) for v in value)
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def flatten(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """One record as flat CSV cells: nested mappings become dotted keys.

    >>> flatten({"id": "x", "before": {"latency_s": 900, "path": ["a", "b"]}, "ok": True})
    {'id': 'x', 'before.latency_s': 900, 'before.path': 'a;b', 'ok': 'true'}
    """
    out: dict[str, Any] = {}
    for k, v in row.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            out.update(flatten(v, f"{key}."))
        else:
            out[key] = _cell(v)
    return out


def write_csv(
    rows: Iterable[Mapping[str, Any]], file: Any = None, columns: Iterable[str] = ()
) -> None:
    """Write records as CSV (header: every key met, in order of first appearance;
    ``columns`` first, and alone when there are no rows)."""
    flat = [flatten(r) for r in rows]
    columns = list(dict.fromkeys([*columns, *(k for r in flat for k in r)]))
    w = csv.DictWriter(file or sys.stdout, columns, lineterminator="\n", restval="")
    w.writeheader()
    w.writerows(flat)


def write_jsonl(rows: Iterable[Mapping[str, Any]], file: Any = None) -> None:
    """Write records as JSON lines: one compact object per line."""
    f = file or sys.stdout
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")


@dataclass(frozen=True)
class Output:
    """How a read command prints: ``table`` (Rich, for people), ``json``, ``csv``, ``jsonl``."""

    format: str = "table"

    @property
    def table(self) -> bool:
        """True when the command should draw its own table."""
        return self.format == "table"

    def emit(
        self,
        doc: Any,
        rows: Iterable[Mapping[str, Any]] | None = None,
        columns: Iterable[str] = (),
    ) -> bool:
        """Print ``doc`` (``--json``) or ``rows`` (``--csv``, ``--jsonl``).

        ``rows`` defaults to ``doc`` itself when it is a list; ``columns`` is the CSV
        header to write even when there are no rows. Returns False (printing nothing) for
        the table format, so that the caller draws its table.
        """
        if self.format == "table":
            return False
        if self.format == "json":
            print_json(doc)
            return True
        records = list(doc if rows is None else rows)
        if self.format == "csv":
            write_csv(records, columns=columns)
        else:
            write_jsonl(records)
        return True


_HELP = {
    "json": "Print one JSON document on stdout.",
    "csv": "Print the records as CSV on stdout (nested fields as dotted columns).",
    "jsonl": "Print the records as JSON lines on stdout (one object a line).",
}
JsonFlag = Annotated[bool, typer.Option("--json", help=_HELP["json"], metavar="")]
CsvFlag = Annotated[bool, typer.Option("--csv", help=_HELP["csv"], metavar="")]
JsonlFlag = Annotated[bool, typer.Option("--jsonl", help=_HELP["jsonl"], metavar="")]


def output_options(fn: F) -> F:
    """Give a command ``--json``, ``--csv`` and ``--jsonl``; it receives ``out: Output``.

    The wrapped function must take a keyword parameter ``out``. Two of the flags together
    are a usage error (exit 2).
    """
    hints = get_type_hints(fn, localns={"Output": Output}, include_extras=True)
    sig = inspect.signature(fn)
    if "out" not in sig.parameters:
        raise TypeError(f"{fn.__name__} must take an 'out' parameter to use output_options")
    params = [
        p.replace(annotation=hints.get(p.name, p.annotation))
        for p in sig.parameters.values()
        if p.name != "out"
    ]
    kw = inspect.Parameter.KEYWORD_ONLY
    params += [
        inspect.Parameter("json_", kw, default=False, annotation=JsonFlag),
        inspect.Parameter("csv_", kw, default=False, annotation=CsvFlag),
        inspect.Parameter("jsonl_", kw, default=False, annotation=JsonlFlag),
    ]

    @functools.wraps(fn)
    def wrapper(
        *args: Any, json_: bool = False, csv_: bool = False, jsonl_: bool = False, **kwargs: Any
    ) -> Any:
        chosen = [name for name, on in (("json", json_), ("csv", csv_), ("jsonl", jsonl_)) if on]
        if len(chosen) > 1:
            both = " and ".join("--" + c for c in chosen)
            raise typer.BadParameter(f"give one of --json, --csv or --jsonl, not {both}")
        return fn(*args, out=Output(chosen[0] if chosen else "table"), **kwargs)

    wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {
        **{p.name: p.annotation for p in params},
        "return": hints.get("return"),
    }
    return wrapper  # type: ignore[return-value]


def id_column(table: Table, header: str, ids: Iterable[str | None], **kwargs: Any) -> None:
    """Add a column of ids that is never shortened: as wide as its longest id.

    Add the other columns with :func:`columns`: they wrap (never cut with an ellipsis)
    and give up their width first.
    """
    width = max([len(header), *(len(i or "") for i in ids)])
    table.add_column(header, no_wrap=True, min_width=width, overflow="fold", **kwargs)


def columns(table: Table, *headers: str, **kwargs: Any) -> None:
    """Add columns that wrap when the screen is narrow (words first, then characters)."""
    for h in headers:
        table.add_column(h, overflow="fold", **kwargs)


NARROW = 100  # below this many columns, tables drop their borders (and some columns)


def screen_table(console: Console, title: str | None = None) -> Table:
    """A table for the screen: boxed when wide, without borders on a narrow screen
    (below :data:`NARROW` columns), so that the columns keep their width."""
    if console.width >= NARROW:
        return Table(title=title)
    return Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=0)
