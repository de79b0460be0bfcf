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

from .core.errors import BackchannelError, Problem, ScenarioError
from .core.records import Records
from .core.version import __version__
from .record.scenario import Scenario, Snapshot, builtin_scenarios, load

#: top-level name → the module that holds it (imported on first use)
_LAZY = {
    "time_to_contact": "graph.paths",
    "resilience": "graph.cuts",
    "impact": "judge.impact",
    "principals": "judge.principals",
    "whatif": "judge.whatif",
    "build_graph": "graph.comm",
    "PathResult": "graph.paths",
    "CutResult": "graph.cuts",
    "EventImpact": "judge.impact",
    "ImpactList": "judge.impact",
    "WhatIfResult": "judge.whatif",
    "VERDICTS": "judge.impact",
    "write_gexf": "formats.export",
    "write_graphml": "formats.export",
    "tables": "formats.export",
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
