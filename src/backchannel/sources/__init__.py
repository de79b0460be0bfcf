"""Readers of outside records into scenarios: Correlates of War, US missions and their
code maps."""

from __future__ import annotations

from .cow import *  # noqa: F403
from .cow import __all__ as _cow
from .cowcodes import *  # noqa: F403
from .cowcodes import __all__ as _cowcodes
from .cowstates import *  # noqa: F403
from .cowstates import __all__ as _cowstates
from .rows import *  # noqa: F403
from .rows import __all__ as _rows
from .us_missions import *  # noqa: F403
from .us_missions import __all__ as _us_missions
from .worldbuild import *  # noqa: F403
from .worldbuild import __all__ as _worldbuild
from .worldrecord import *  # noqa: F403
from .worldrecord import __all__ as _worldrecord

__all__ = [*_cow, *_cowstates, *_us_missions, *_worldbuild, *_worldrecord, *_cowcodes, *_rows]
