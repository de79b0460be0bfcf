"""Rows of results: a list of plain dicts that turns into a pandas DataFrame."""

from __future__ import annotations

from typing import Any

__all__ = ["Records"]


class Records(list):
    """A list of plain dicts (one per row) that turns into a pandas DataFrame."""

    def to_pandas(self) -> Any:
        """The rows as a :class:`pandas.DataFrame`."""
        import pandas as pd

        return pd.DataFrame(list(self))

    df = property(to_pandas)
