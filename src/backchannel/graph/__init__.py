"""The communication graph at a date and what is computed on it: time to contact,
minimum cuts (one flow module), the incremental engine, many-pair figures."""

from __future__ import annotations

from .comm import *  # noqa: F403
from .comm import __all__ as _comm
from .cuts import *  # noqa: F403
from .cuts import __all__ as _cuts
from .incremental import *  # noqa: F403
from .incremental import __all__ as _incremental
from .many import *  # noqa: F403
from .many import __all__ as _many
from .paths import *  # noqa: F403
from .paths import __all__ as _paths

__all__ = [*_comm, *_paths, *_cuts, *_incremental, *_many]
