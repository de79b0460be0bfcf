"""PLOVER-coded event records (the event ontology of POLECAT) as a JSON array.

Each record has ``id``, ``date`` (``YYYY-MM-DD``), ``event`` (a PLOVER type such as
``CONSULT``; a string or a list), source actors and target actors as lists of
``{"actorText", "code"}`` objects (PLOVER 0.5b1 calls them ``source``/``target``, the
2021 manual ``actor``/``recipient``; a missing target may be ``""``), and optional
``mode``, ``context`` and ``event_scale``. A record with ``event: DOCUMENT`` is file
documentation, not an event: it is skipped and counted. The file may also be JSON
Lines (one record a line).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..core.errors import BackchannelError
from .codebook import Codebook, codebook
from .codemap import CodeMap
from .eventfiles import open_raw
from .eventrows import Batch, Reject, RowError, to_float, valid_date

__all__ = ["MAX_BYTES", "read_plover"]

#: The largest PLOVER file read (it is parsed in memory).
MAX_BYTES = 1 << 30


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() or None if value not in (None, "") else None


def _codes(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for it in items:
        code = it.get("code") if isinstance(it, dict) else it
        if isinstance(code, str) and code.strip():
            out.append(code.strip())
    return out


def _records(text: str, fname: str) -> Iterator[tuple[int, Any]]:
    """(line, record) for each element of a JSON array, or each line of JSON Lines."""
    dec = json.JSONDecoder()
    pos, line = 0, 1
    n = len(text)

    def skip(pos: int, line: int, extra: str = "") -> tuple[int, int]:
        while pos < n and (text[pos].isspace() or text[pos] in extra):
            if text[pos] == "\n":
                line += 1
            pos += 1
        return pos, line

    pos, line = skip(pos, line)
    array = pos < n and text[pos] == "["
    if array:
        pos += 1
    while True:
        pos, line = skip(pos, line, "," if array else "")
        if pos >= n:
            if array:
                raise BackchannelError(f"{fname}:{line}: the JSON array is not closed")
            return
        if array and text[pos] == "]":
            return
        try:
            rec, end = dec.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise BackchannelError(f"{fname}:{exc.lineno}: bad JSON: {exc.msg}") from None
        except RecursionError:
            raise BackchannelError(
                f"{fname}:{line}: JSON nested too deeply (a PLOVER record is a flat object)"
            ) from None
        yield line, rec
        line += text.count("\n", pos, end)
        pos = end


def read_plover(
    path: Path,
    codes: CodeMap,
    *,
    book: Codebook | None = None,
    name: str | None = None,
    batch: int = 50_000,
) -> Iterator[Batch]:
    """Read PLOVER records in batches; bad records go to each batch's ``rejects``.

    The first source and target actor of a record are mapped to actor ids; all codes are
    kept, joined by ``;``, in ``source_code``/``target_code``. Malformed JSON refuses the
    whole file (:class:`BackchannelError` naming the line).
    """
    book = book or codebook()
    fname = name or str(path)
    with open_raw(path) as (stream, total):
        if total > MAX_BYTES:
            raise BackchannelError(
                f"{fname}: {total:,} bytes of JSON is more than the PLOVER reader takes "
                f"({MAX_BYTES:,}); split the file or write it as JSON Lines in parts"
            )
        raw = stream.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise BackchannelError(f"{fname}: more than {MAX_BYTES:,} bytes of JSON; split it")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BackchannelError(f"{fname}: not UTF-8 ({exc.reason})") from None

    def row(rec: Any, n: int) -> tuple[Any, ...] | None:
        if not isinstance(rec, dict):
            raise RowError(f"a record must be a JSON object, got {type(rec).__name__}")
        event = (_first(rec.get("event")) or "").upper()
        if event == "DOCUMENT":
            return None
        event_id = rec.get("id")
        if not isinstance(event_id, str | int) or not str(event_id).strip():
            raise RowError("record has no id")
        if not event:
            raise RowError("record has no event type")
        hit = book.root_of_plover(event)
        if hit is None:
            raise RowError(f"unknown PLOVER event type {event!r}")
        root, quad = hit
        date_text = str(rec.get("date") or "")
        d = None
        if len(date_text) == 10 and date_text[4] == "-" and date_text[7] == "-":
            parts = date_text.split("-")
            if all(p.isdigit() for p in parts):
                d = valid_date(int(parts[0]), int(parts[1]), int(parts[2]))
        if d is None:
            raise RowError(f"impossible date: {date_text!r}")
        src = _codes(rec.get("actor", rec.get("source")))
        tgt = _codes(rec.get("recipient", rec.get("target")))
        scale = rec.get("event_scale")
        goldstein = to_float(str(scale), "event_scale", -10, 10) if scale is not None else None
        return (
            "plover", str(event_id), d,
            codes.cameo(src[0]) if src else None, codes.cameo(tgt[0]) if tgt else None,
            ";".join(src) or None, ";".join(tgt) or None,
            None, root, quad, goldstein, None, event, _first(rec.get("mode")),
            None, fname, n,
        )  # fmt: skip

    total = len(text)
    b = Batch(total=total)
    for n, rec in _records(text, fname):
        try:
            r = row(rec, n)
        except RowError as exc:
            b.rejects.append(Reject(fname, n, str(exc), json.dumps(rec)[:200]))
        else:
            if r is None:
                b.skipped += 1
            else:
                b.rows.append(r)
        b.lines = n
        if len(b) >= batch:
            yield b
            b = Batch(total=total, lines=n)
    b.done = total
    yield b
