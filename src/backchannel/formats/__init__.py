"""Writing scenarios and networks: the one YAML writer (here); GEXF, GraphML, Parquet and
CSV exports in :mod:`backchannel.formats.export`."""

from __future__ import annotations

from .yamlwrite import *  # noqa: F403
from .yamlwrite import __all__ as _yamlwrite

__all__ = [*_yamlwrite]
