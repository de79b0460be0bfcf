"""backchannel: communication channels between states and alliances as a sourced timeline."""

from __future__ import annotations

from .core.errors import BackchannelError, Problem, ScenarioError
from .core.records import Records
from .core.version import __version__
from .record.scenario import Scenario, Snapshot, builtin_scenarios, load

__all__ = [
    "BackchannelError",
    "Problem",
    "Records",
    "Scenario",
    "ScenarioError",
    "Snapshot",
    "__version__",
    "builtin_scenarios",
    "load",
]
