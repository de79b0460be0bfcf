"""Presenting answers: the report (data, charts, HTML, Markdown) and the office layout
shared with the web UI."""

from __future__ import annotations

from .layout import *  # noqa: F403
from .layout import __all__ as _layout
from .report import *  # noqa: F403
from .report import __all__ as _report

__all__ = [*_report, *_layout]
