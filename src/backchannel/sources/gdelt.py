"""GDELT event files: 1.0 daily (58 columns) and back-file (57) rows, 2.0 exports (61).

Tab separated, no header, no quoting. Columns (1-based, GDELT's codebook): 1
GLOBALEVENTID, 2 SQLDATE, 6 Actor1Code, 9 Actor1KnownGroupCode, 16 Actor2Code, 19
Actor2KnownGroupCode, 27 EventCode, 29 EventRootCode, 30 QuadClass, 31 GoldsteinScale,
32 NumMentions, 33 NumSources, 34 NumArticles, 35 AvgTone; then three geo blocks (7
fields each in 1.0, 8 in 2.0), DATEADDED (``YYYYMMDD`` in 1.0, ``YYYYMMDDHHMMSS`` in 2.0)
and SOURCEURL (absent from the 57-column back file). Only the column count tells the 1.0
layouts apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .codebook import Codebook, codebook
from .codemap import CodeMap
from .eventfiles import numbered_lines, open_raw
from .eventrows import Batch, RowError, to_float, to_int, valid_date

__all__ = ["LAYOUTS", "read_gdelt"]

#: kind → {column count: (DATEADDED index, SOURCEURL index or None, DATEADDED digits)}
LAYOUTS: dict[str, dict[int, tuple[int, int | None, int]]] = {
    "gdelt1": {57: (56, None, 8), 58: (56, 57, 8)},
    "gdelt2": {61: (59, 60, 14)},
}


def _date_parser() -> Callable[[str, str], dt.date]:
    cache: dict[str, dt.date | None] = {}

    def parse(text: str, what: str) -> dt.date:
        d = cache.get(text, ...)
        if d is ...:
            d = None
            if len(text) == 8 and text.isdigit():
                d = valid_date(int(text[:4]), int(text[4:6]), int(text[6:]))
            if len(cache) < 100_000:
                cache[text] = d
        if d is None:
            raise RowError(f"impossible date in {what}: {text!r}")
        return d

    return parse


def read_gdelt(
    path: Path,
    kind: str,
    codes: CodeMap,
    *,
    book: Codebook | None = None,
    name: str | None = None,
    batch: int = 50_000,
) -> Iterator[Batch]:
    """Read a GDELT 1.0 (``kind='gdelt1'``) or 2.0 (``'gdelt2'``) event file in batches.

    Bad rows (wrong column count, impossible dates, non-numeric figures, an event dated
    after it was added) are set aside in each batch's ``rejects`` with their line.
    """
    layouts = LAYOUTS[kind]
    widths = " or ".join(str(w) for w in layouts)
    book = book or codebook()
    fname = name or str(path)
    parse_date = _date_parser()
    plover_cache: dict[str, tuple[str | None, str | None]] = {}

    def plover(code: str) -> tuple[str | None, str | None]:
        hit = plover_cache.get(code)
        if hit is None:
            cat = book.plover(code)
            hit = (cat.event, cat.mode or None) if cat else (None, None)
            plover_cache[code] = hit
        return hit

    def row(p: list[str], n: int) -> tuple[Any, ...]:
        layout = layouts.get(len(p))
        if layout is None:
            raise RowError(f"{len(p)} columns, expected {widths}")
        added_i, url_i, added_len = layout
        event_id = p[0]
        if not event_id.isdigit():
            raise RowError(f"GLOBALEVENTID is not a number: {event_id!r}")
        date = parse_date(p[1], "SQLDATE")
        added = p[added_i]
        if len(added) != added_len or not added.isdigit():
            raise RowError(f"DATEADDED {added!r} is not {added_len} digits")
        added_day = parse_date(added[:8], "DATEADDED")
        if date > added_day:
            raise RowError(f"SQLDATE {p[1]} is after DATEADDED {added}")
        code, root = p[26], p[28]
        if not (code.isdigit() and 2 <= len(code) <= 4):
            raise RowError(f"EventCode is not a CAMEO code: {code!r}")
        if root != code[:2]:
            raise RowError(f"EventRootCode {root!r} does not match EventCode {code!r}")
        quad = to_int(p[29], "QuadClass", 1, 4)
        goldstein = to_float(p[30], "GoldsteinScale", -10.0, 10.0)
        mentions = to_int(p[31], "NumMentions", 0)
        to_int(p[32], "NumSources", 0)
        to_int(p[33], "NumArticles", 0)
        to_float(p[34], "AvgTone", -100.0, 100.0)
        a1, a2 = p[5], p[15]
        pl, mode = plover(code)
        return (
            kind, event_id, date,
            codes.cameo(a1, p[8]) if a1 or p[8] else None,
            codes.cameo(a2, p[18]) if a2 or p[18] else None,
            a1 or None, a2 or None, code, root, quad, goldstein, mentions, pl, mode,
            (p[url_i] or None) if url_i is not None else None,
            fname, n,
        )  # fmt: skip

    with open_raw(path) as (stream, total):
        for lines, done in numbered_lines(stream, batch):
            b = Batch(done=done, total=total, lines=lines[-1][0])
            for n, text in lines:
                b.add_tab_line(fname, n, text, row)
            yield b
