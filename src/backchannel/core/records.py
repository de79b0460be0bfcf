"""Rows of results: a list of plain dicts that turns into a pandas DataFrame."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .frames import Tabular, frame

__all__ = ["Records"]


class Records(list):
    """A list of plain dicts (one per row) that turns into a pandas DataFrame.

    ``dates`` names the columns of whole days (ISO text) and ``partial`` those of dates
    that may be partial; in the frame both are ``datetime64``, a partial one with a
    ``precision`` column beside it (see :mod:`backchannel.core.frames`).
    """

    dates: tuple[str, ...] = ("last_use", "opened", "at", "from", "to")
    partial: tuple[str, ...] = ("date",)
    title: str = ""

    def __init__(
        self,
        rows: Iterable[Any] = (),
        dates: Iterable[str] | None = None,
        partial: Iterable[str] | None = None,
        title: str = "",
    ) -> None:
        super().__init__(rows)
        if dates is not None:
            self.dates = tuple(dates)
        if partial is not None:
            self.partial = tuple(partial)
        self.title = title

    def to_pandas(self) -> Any:
        """The rows as a :class:`pandas.DataFrame` (date columns as ``datetime64``)."""
        return frame(self, self.dates, self.partial)

    df = property(to_pandas)

    def _repr_html_(self) -> str:
        return Tabular._repr_html_(self)  # type: ignore[arg-type]
