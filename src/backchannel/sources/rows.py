"""Line-numbered CSV rows from plain or gzip-compressed files, with progress by bytes.

The COW and US-missions files use CRLF line ends, may lack a final newline and quote
some names; :func:`read_rows` hides all of that and yields ``(line, fields)`` with the
1-based physical line number of each record, so that a bad row can be named exactly.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterator
from pathlib import Path

from ..core.errors import BackchannelError
from ..core.limits import regular_file
from ..core.progress import OnProgress, Progress

__all__ = ["header", "open_text", "read_rows"]


_EVERY = 4096  # rows between progress reports
_BAD_BYTES = re.compile("[\udc80-\udcff]")  # undecodable bytes, kept by surrogateescape


def open_text(path: Path) -> tuple[io.TextIOBase, io.BufferedReader]:
    """Open ``path`` as text (gzip when it ends in .gz); also return the raw byte stream."""
    regular_file(path, "CSV file")  # never a device or a pipe: they may never end
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the caller through the text stream
    except FileNotFoundError:
        raise BackchannelError(f"{path}: file not found") from None
    except OSError as exc:
        raise BackchannelError(f"{path}: cannot read file: {exc}") from None
    stream = gzip.GzipFile(fileobj=raw, mode="rb") if path.name.endswith(".gz") else raw
    return io.TextIOWrapper(stream, encoding="utf-8", errors="surrogateescape", newline=""), raw


def read_rows(
    path: Path, phase: str = "reading", progress: OnProgress | None = None
) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """Yield ``(line, fields, error)`` for every record after the header line.

    ``line`` is the 1-based line number of the record in the (uncompressed) file; the
    header is line 1. A record the CSV reader cannot split comes with ``fields`` None and
    the reason in ``error``; reading goes on with the next one. Blank lines are skipped.
    Raises :class:`BackchannelError` for a file that cannot be opened, read or decoded.
    """
    text, raw = open_text(path)
    total = path.stat().st_size
    try:
        reader = csv.reader(text)
        try:
            next(reader)
        except StopIteration:
            return
        except csv.Error:
            pass
        n = 0
        while True:
            start = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield start, None, f"cannot split the line as CSV: {exc}"
                continue
            if fields and not "".join(fields).isascii() and _BAD_BYTES.search("".join(fields)):
                yield start, None, "not valid UTF-8 text"
            elif fields:
                yield start, fields, None
            n += 1
            if progress is not None and n % _EVERY == 0:
                progress(Progress(phase, raw.tell(), total, "bytes"))
        if progress is not None:
            progress(Progress(phase, total, total, "bytes"))
    except (UnicodeDecodeError, OSError, EOFError) as exc:
        raise BackchannelError(f"{path}: cannot read file: {exc}") from None
    finally:
        text.close()


def header(path: Path) -> list[str]:
    """The header fields of a CSV file (empty list for an empty file)."""
    text, _ = open_text(path)
    try:
        return next(csv.reader(text), [])
    except (UnicodeDecodeError, OSError, EOFError, csv.Error) as exc:
        raise BackchannelError(f"{path}: cannot read file: {exc}") from None
    finally:
        text.close()
