"""The core: dates and durations, the concepts (model), the channel lifecycle, errors
and result rows. It imports nothing else of backchannel."""

from __future__ import annotations

from .dates import *  # noqa: F403
from .dates import __all__ as _dates
from .errors import *  # noqa: F403
from .errors import __all__ as _errors
from .lifecycle import *  # noqa: F403
from .lifecycle import __all__ as _lifecycle
from .model import *  # noqa: F403
from .model import __all__ as _model
from .records import *  # noqa: F403
from .records import __all__ as _records

__all__ = [*_dates, *_errors, *_lifecycle, *_model, *_records]
