"""Whole worlds: Correlates of War and US missions imports, exports for Gephi and tables.

>>> from backchannel.world import CodeMap
>>> CodeMap.read().id(255), CodeMap.read().id(265)
('DEU', 'GDR')

See docs/world.md for the import conventions (levels → lifecycle, the code map) and the
export formats.
"""

from __future__ import annotations

from .build import WorldImport
from .codes import CodeMap, State
from .cow import LEVELS, import_cow, level_status, transition
from .export import graph_at, tables, write_gexf, write_graphml, write_tables
from .matrix import pair_figures
from .record import WorldRecord
from .us_missions import STATUS_MAP, import_us_missions

__all__ = [
    "LEVELS",
    "STATUS_MAP",
    "CodeMap",
    "State",
    "WorldImport",
    "WorldRecord",
    "graph_at",
    "import_cow",
    "import_us_missions",
    "level_status",
    "pair_figures",
    "tables",
    "transition",
    "write_gexf",
    "write_graphml",
    "write_tables",
]
