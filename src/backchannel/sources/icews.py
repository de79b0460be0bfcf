"""ICEWS coded event files in the Dataverse ``.tab`` layout.

Tab separated with a header line of 20 names (``Event ID``, ``Event Date``, ``Source
Name``, ``Source Sectors``, ``Source Country``, ``Event Text``, ``CAMEO Code``,
``Intensity``, ``Target Name`` ... ``Longitude``); missing values are the literal ``NA``;
countries are given by name; dates are ISO ``YYYY-MM-DD``; CAMEO codes keep their
leading zeros; ``Intensity`` is ICEWS's Goldstein-like value.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..core.errors import BackchannelError
from .codebook import Codebook, codebook, quad_of_root
from .codemap import CodeMap
from .eventfiles import numbered_lines, open_raw
from .eventrows import Batch, RowError, to_float, valid_date

__all__ = ["HEADER", "read_icews"]

HEADER = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country",
    "Event Text", "CAMEO Code", "Intensity", "Target Name", "Target Sectors",
    "Target Country", "Story ID", "Sentence Number", "Publisher", "City", "District",
    "Province", "Country", "Latitude", "Longitude",
)  # fmt: skip
#: The ICEWS columns a reader needs (found by name in the header).
ICEWS_NEEDED = (
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Country",
    "CAMEO Code",
    "Intensity",
    "Target Name",
    "Target Country",
)


def _na(value: str) -> str | None:
    return None if value in ("NA", "") else value


def read_icews(
    path: Path,
    codes: CodeMap,
    *,
    book: Codebook | None = None,
    name: str | None = None,
    batch: int = 50_000,
) -> Iterator[Batch]:
    """Read an ICEWS ``.tab`` file in batches; bad rows go to each batch's ``rejects``.

    The header names the columns (their order may vary); a file without the needed
    columns is refused as a whole (:class:`BackchannelError` naming line 1).
    """
    book = book or codebook()
    fname = name or str(path)
    dates: dict[str, Any] = {}
    plover_cache: dict[str, tuple[str | None, str | None]] = {}
    idx: dict[str, int] = {}
    width = 0

    def row(p: list[str], n: int) -> tuple[Any, ...]:
        if len(p) != width:
            raise RowError(f"{len(p)} columns, expected {width}")
        event_id = p[idx["Event ID"]]
        if not event_id.isdigit():
            raise RowError(f"Event ID is not a number: {event_id!r}")
        text = p[idx["Event Date"]]
        d = dates.get(text)
        if d is None:
            ok = len(text) == 10 and text[4] == "-" and text[7] == "-"
            ok = ok and (text[:4] + text[5:7] + text[8:]).isdigit()
            d = valid_date(int(text[:4]), int(text[5:7]), int(text[8:])) if ok else None
            if d is None:
                raise RowError(f"impossible date in Event Date: {text!r}")
            dates[text] = d
        code = p[idx["CAMEO Code"]]
        if not (code.isdigit() and 2 <= len(code) <= 4):
            raise RowError(f"CAMEO Code is not a CAMEO code: {code!r}")
        root = code[:2]
        quad = quad_of_root(root)
        if quad is None:
            raise RowError(f"CAMEO Code {code!r} has no root code 01-20")
        intensity = _na(p[idx["Intensity"]])
        goldstein = to_float(intensity, "Intensity", -10.0, 10.0) if intensity else None
        pl = plover_cache.get(code)
        if pl is None:
            cat = book.plover(code)
            pl = plover_cache[code] = (cat.event, cat.mode or None) if cat else (None, None)
        src, tgt = _na(p[idx["Source Name"]]), _na(p[idx["Target Name"]])
        return (
            "icews", event_id, d,
            codes.name(_na(p[idx["Source Country"]]), src),
            codes.name(_na(p[idx["Target Country"]]), tgt),
            src, tgt, code, root, quad, goldstein, None, pl[0], pl[1], None, fname, n,
        )  # fmt: skip

    with open_raw(path) as (stream, total):
        for lines, done in numbered_lines(stream, batch):
            b = Batch(done=done, total=total, lines=lines[-1][0])
            for n, text in lines:
                if n == 1:
                    names = [h.strip() for h in (text or "").split("\t")]
                    missing = [c for c in ICEWS_NEEDED if c not in names]
                    if missing:
                        raise BackchannelError(
                            f"{fname}:1: not an ICEWS header; missing columns: "
                            + ", ".join(missing)
                        )
                    idx = {h: i for i, h in enumerate(names)}
                    width = len(names)
                    continue
                b.add_tab_line(fname, n, text, row)
            yield b
