"""What users and tests share for checking: the synthetic world generator and hypothesis
strategies."""

from __future__ import annotations

from .generate import *  # noqa: F403
from .generate import __all__ as _generate

__all__ = [*_generate]
