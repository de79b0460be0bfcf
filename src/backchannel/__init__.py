"""backchannel: communication channels between states and alliances as a sourced timeline.

>>> import backchannel
>>> sc = backchannel.load("example")
>>> backchannel.time_to_contact(sc, "AAA.CHIEF", "BBB.CHIEF", "2021-09-01").latency_s
900

The analysis (``time_to_contact``, ``resilience``, ``impact``, ``principals``,
``whatif``, ``build_graph``) and the exports (``write_gexf``, ``write_graphml``,
``tables``) are here at the top level; they are imported on first use, so that
``import backchannel`` stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .errors import BackchannelError, Problem, ScenarioError
from .scenario import Records, Scenario, Snapshot, builtin_scenarios, load

__version__ = "0.1.0"

#: top-level name → the module that holds it (imported on first use)
_LAZY = {
    "time_to_contact": "analysis.paths",
    "resilience": "analysis.cuts",
    "impact": "analysis.impact",
    "principals": "analysis.principals",
    "whatif": "analysis.whatif",
    "build_graph": "analysis.graph",
    "PathResult": "analysis.paths",
    "CutResult": "analysis.cuts",
    "EventImpact": "analysis.impact",
    "ImpactList": "analysis.impact",
    "WhatIfResult": "analysis.whatif",
    "VERDICTS": "analysis.impact",
    "write_gexf": "world.export",
    "write_graphml": "world.export",
    "tables": "world.export",
}

__all__ = [
    "VERDICTS",
    "BackchannelError",
    "CutResult",
    "EventImpact",
    "ImpactList",
    "PathResult",
    "Problem",
    "Records",
    "Scenario",
    "ScenarioError",
    "Snapshot",
    "WhatIfResult",
    "__version__",
    "build_graph",
    "builtin_scenarios",
    "impact",
    "load",
    "principals",
    "resilience",
    "tables",
    "time_to_contact",
    "whatif",
    "write_gexf",
    "write_graphml",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'backchannel' has no attribute '{name}'")


def __dir__() -> list[str]:
    from types import ModuleType

    modules = [k for k, v in globals().items() if isinstance(v, ModuleType)]
    return sorted({*__all__, *modules})
