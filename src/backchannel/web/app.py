"""The FastAPI application: the JSON API, the static UI and the API docs page."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp

from ..core.errors import BackchannelError
from ..core.version import __version__
from ..record.scenario import Scenario
from .api import NotFound, router
from .security import SecurityMiddleware

__all__ = ["LOOPBACK_HOSTS", "create_app", "static_dir"]

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")

_DOCS = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>backchannel API</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
</head><body><div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/docs-init.js"></script>
</body></html>
"""


def static_dir() -> Path:
    """The folder of the UI's files (package data)."""
    return Path(str(resources.files("backchannel.web") / "static"))


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path")]
        parts.append(f"{'.'.join(loc) or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


class _App(FastAPI):
    """FastAPI with :class:`SecurityMiddleware` outside everything else, so that even the
    answer to an unexpected exception (a 500) carries the security headers."""

    allowed_hosts: Iterable[str] | None = None

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityMiddleware(super().build_middleware_stack(), self.allowed_hosts)


def _name_the_scenarios(app: FastAPI, names: list[str]) -> None:
    """State in the OpenAPI schema which scenarios this server holds (an enum)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            for item in schema.get("paths", {}).values():
                for op in item.values():
                    for param in op.get("parameters", ()):
                        if param.get("name") == "scenario" and param.get("in") == "path":
                            param["schema"]["enum"] = names
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(
    scenarios: Iterable[Scenario], allowed_hosts: Iterable[str] | None = None
) -> FastAPI:
    """A read-only app serving ``scenarios`` by name (never files named in a request).

    ``allowed_hosts`` limits the Host header (give :data:`LOOPBACK_HOSTS` when bound to
    loopback, against DNS rebinding); None accepts any.
    """
    held: dict[str, Scenario] = {}
    for sc in scenarios:
        if sc.name in held:
            raise BackchannelError(f"two scenarios are named '{sc.name}'; serve one of them")
        held[sc.name] = sc
    if not held:
        raise BackchannelError("no scenario to serve")

    app = _App(
        title="backchannel",
        version=__version__,
        description="Read-only JSON API over the scenarios this server was started with: "
        "channels and their status at a date, time to contact, resilience and the verdict "
        'of every event. Errors are `{"error": message}` with a 4xx status.',
        docs_url=None,
        redoc_url=None,
    )
    app.state.scenarios = held
    app.allowed_hosts = allowed_hosts

    @app.exception_handler(Exception)
    async def _internal(_request: Request, _exc: Exception) -> JSONResponse:
        return JSONResponse({"error": "internal error"}, status_code=500)

    @app.exception_handler(NotFound)
    async def _not_found(_request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=404)

    @app.exception_handler(BackchannelError)
    async def _bad_input(_request: Request, exc: BackchannelError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": _validation_message(exc)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        return JSONResponse(
            {"error": message}, status_code=exc.status_code, headers=getattr(exc, "headers", None)
        )

    app.include_router(router)
    _name_the_scenarios(app, sorted(held))
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static_dir() / "index.html", media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(static_dir() / "favicon.svg", media_type="image/svg+xml")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(_DOCS)

    return app
