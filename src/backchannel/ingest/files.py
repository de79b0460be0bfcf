"""Raw event files: plain, zipped (GDELT's ``.CSV.zip``) or gzipped; numbered lines."""

from __future__ import annotations

import gzip
import hashlib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ..core.errors import BackchannelError

__all__ = ["Line", "file_digest", "numbered_lines", "open_raw"]

#: (line number, text without its line end, or None when the bytes are not UTF-8)
Line = tuple[int, str | None]


def file_digest(path: Path) -> str:
    """The SHA-256 of the file's bytes (as stored, zipped or not)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@contextmanager
def open_raw(path: Path) -> Iterator[tuple[IO[bytes], int]]:
    """The file's content as a binary stream, with its uncompressed size in bytes.

    A ``.zip`` must hold exactly one file (as GDELT's exports do); ``.gz`` is read through.
    """
    if not path.is_file():
        raise BackchannelError(f"{path}: file not found")
    suffix = path.suffix.lower()
    if suffix == ".zip":
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise BackchannelError(f"{path}: not a readable zip file ({exc})") from None
        with zf:
            members = [i for i in zf.infolist() if not i.is_dir()]
            if len(members) != 1:
                raise BackchannelError(
                    f"{path}: a zip must hold exactly one event file, found {len(members)}"
                )
            with zf.open(members[0]) as f:
                yield f, members[0].file_size
    elif suffix == ".gz":
        with gzip.open(path, "rb") as f:
            yield f, 0  # size unknown until read
    else:
        with open(path, "rb") as f:
            yield f, path.stat().st_size


def numbered_lines(stream: IO[bytes], batch: int = 50_000) -> Iterator[tuple[list[Line], int]]:
    """Lists of up to ``batch`` numbered lines, each with the bytes read so far.

    Lines are numbered from 1; the line end (LF or CRLF) is removed. A line whose bytes
    are not UTF-8 comes back as ``None`` so the caller can set it aside.
    """
    out: list[Line] = []
    done = 0
    for n, raw in enumerate(stream, start=1):
        done += len(raw)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            out.append((n, None))
        else:
            if text.endswith("\n"):
                text = text[:-2] if text.endswith("\r\n") else text[:-1]
            out.append((n, text))
        if len(out) >= batch:
            yield out, done
            out = []
    if out:
        yield out, done
