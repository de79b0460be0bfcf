"""Analysis: the communication graph at a date, time to contact, resilience, impact
verdicts, principals, what-if, reliability of contact, and synthetic worlds (DESIGN.md,
"Analysis semantics", "Reliability of contact")."""

from __future__ import annotations

from .cuts import *  # noqa: F403
from .cuts import __all__ as _cuts
from .engine import *  # noqa: F403
from .engine import __all__ as _engine
from .generate import *  # noqa: F403
from .generate import __all__ as _generate
from .graph import *  # noqa: F403
from .graph import __all__ as _graph
from .impact import *  # noqa: F403
from .impact import __all__ as _impact
from .paths import *  # noqa: F403
from .paths import __all__ as _paths
from .principals import *  # noqa: F403
from .principals import __all__ as _principals
from .rates import *  # noqa: F403
from .rates import __all__ as _rates
from .reach import *  # noqa: F403
from .reach import __all__ as _reach
from .reliability import *  # noqa: F403
from .reliability import __all__ as _reliability
from .replay import *  # noqa: F403
from .replay import __all__ as _replay
from .whatif import *  # noqa: F403
from .whatif import __all__ as _whatif

__all__ = [
    *_graph,
    *_paths,
    *_cuts,
    *_engine,
    *_replay,
    *_impact,
    *_principals,
    *_whatif,
    *_generate,
    *_rates,
    *_reach,
    *_reliability,
]
