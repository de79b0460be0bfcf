"""Judgements over the record: impact verdicts, what-if forks, principals."""

from __future__ import annotations

from .impact import *  # noqa: F403
from .impact import __all__ as _impact
from .principals import *  # noqa: F403
from .principals import __all__ as _principals
from .whatif import *  # noqa: F403
from .whatif import __all__ as _whatif

__all__ = [*_impact, *_whatif, *_principals]
