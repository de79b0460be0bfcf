"""The web UI and its JSON API: ``create_app(scenarios)`` gives a FastAPI app.

The server is read-only and serves only the scenarios it was started with, by name.
"""

from __future__ import annotations

from .app import LOOPBACK_HOSTS, create_app
from .server import BackgroundServer

__all__ = ["LOOPBACK_HOSTS", "BackgroundServer", "create_app"]
