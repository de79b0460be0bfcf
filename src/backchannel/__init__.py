"""backchannel: communication channels between states and alliances as a sourced timeline."""

from __future__ import annotations

from .errors import BackchannelError, Problem, ScenarioError
from .scenario import Records, Scenario, Snapshot, builtin_scenarios, load

__version__ = "0.1.0"

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
