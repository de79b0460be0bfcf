"""Commands that show a scenario: `report` (HTML or Markdown) and `serve` (the web UI)."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..core.errors import BackchannelError
from ..core.progress import Progress as ProgressOf
from ..record.scenario import DEFAULT_SCENARIO
from .common import (
    ActivityOpt,
    JsonOpt,
    ScenarioOpt,
    handle_errors,
    open_scenario,
    print_json,
    stderr,
)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command(epilog="Example: backchannel report --scenario example --out out/report.html")(
        report
    )
    app.command(epilog="Example: backchannel serve --scenario example --port 8000")(serve)


@handle_errors
def report(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="File to write (parent folders are created).")
    ] = Path("report.html"),
    format_: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="html: one self-contained file (CSS and pictures inline, opens offline); "
            "md: Markdown with PNG figures written next to it.",
        ),
    ] = "html",
    live: Annotated[
        bool, typer.Option("--live", help="Count only live channels (dormant ones left out).")
    ] = False,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    activity_db: ActivityOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Write the report: the question, the answer in plain words, and the charts.

    For every watched pair: is it still reachable within its budget at the last date, how
    many independent fast routes remain, and which events were material, symbolic or
    nonevents; then the channel timeline, each pair's figures over time, the impact table
    with sources, and the network at key dates. A short summary is printed.
    """
    from ..present.report import write_report

    if format_ not in ("html", "md"):
        raise BackchannelError(f"--format: expected html or md, got '{format_}'")
    sc = open_scenario(scenario, activity_db)

    def progress(p: ProgressOf) -> None:
        if not json_:
            stderr.print(f"[dim]{escape(p.phase)}…[/]", highlight=False)

    result = write_report(sc, out, fmt=format_, live=live, progress=progress)  # type: ignore[arg-type]
    if json_:
        print_json(result.as_dict())
        return
    for line in result.summary:
        typer.echo(line)
    extra = f" (and {len(result.files) - 1} PNG figures beside it)" if format_ == "md" else ""
    typer.echo(f"Report written to {result.path}{extra}")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@handle_errors
def serve(
    scenario: Annotated[
        list[str] | None,
        typer.Option(
            "--scenario",
            "-s",
            help="A built-in scenario name or a YAML file; repeat to serve several "
            f"(default: {DEFAULT_SCENARIO}). Only these are served, by name.",
        ),
    ] = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to bind; anything but loopback is warned of.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", min=0, max=65535, help="Port.")] = 8000,
) -> None:
    """Serve the web UI and its JSON API (read-only) on 127.0.0.1.

    The UI shows the network at a date (a time slider), the timeline, the impact table and
    a path inspector; the JSON API it uses is under /api, documented at /docs.
    """
    import uvicorn

    from ..web import LOOPBACK_HOSTS, create_app

    names = scenario or [DEFAULT_SCENARIO]
    scenarios = [open_scenario(n) for n in names]
    loopback = _is_loopback(host)
    # On loopback, refuse requests for other host names (DNS rebinding).
    app = create_app(scenarios, allowed_hosts=LOOPBACK_HOSTS if loopback else None)
    if not loopback:
        stderr.print(
            f"[bold yellow]warning:[/] binding to {host}: the UI and API are reachable from "
            "other machines (read-only, no authentication).",
            highlight=False,
        )
    # --port 0: bind here first, so that the port the system chose can be printed
    sock = _bind(host, port) if port == 0 else None
    real_port = sock.getsockname()[1] if sock is not None else port
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    if ":" in shown:
        shown = f"[{shown}]"
    stderr.print(
        f"Serving {', '.join(sc.name for sc in scenarios)} on http://{shown}:{real_port}/ "
        "(API docs at /docs; Ctrl-C to stop)",
        highlight=False,
    )
    if sock is None:
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    config = uvicorn.Config(app, host=host, port=real_port, log_level="warning")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one), or a clear error."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as exc:
        raise BackchannelError(f"--host: cannot use {host!r}: {exc}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise BackchannelError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock
