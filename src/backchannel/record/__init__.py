"""The record: scenario files read and validated, the replay cursor, the timeline index
(state at any date, spans, dormancy) and the Scenario API."""

from __future__ import annotations

from .scenario import *  # noqa: F403
from .scenario import __all__ as _scenario

__all__ = [*_scenario]
