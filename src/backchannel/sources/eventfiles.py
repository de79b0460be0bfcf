"""Raw event files: plain, zipped (GDELT's ``.CSV.zip``) or gzipped; numbered lines."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import shutil
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from _typeshed import SupportsRead

from ..core.errors import BackchannelError

__all__ = [
    "HEAD",
    "Line",
    "Plain",
    "blank_lines",
    "file_digest",
    "numbered_lines",
    "open_raw",
    "plain_file",
]

#: Bytes of a file's start read to tell its layout.
HEAD = 1 << 16
_BLOCK = 1 << 22

#: (line number, text without its line end, or None when the bytes are not UTF-8)
Line = tuple[int, str | None]


def file_digest(path: Path) -> str:
    """The SHA-256 of the file's bytes (as stored, zipped or not)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(_BLOCK), b""):
            h.update(block)
    return h.hexdigest()


class Plain:
    """An event file as DuckDB can read it: uncompressed, with its line count and SHA-256.

    For a plain file the digest and the line count are computed in a background thread
    while DuckDB reads the file; reading ``sha256`` or ``lines`` waits for them.
    """

    def __init__(self, path: Path, size: int, head: bytes, stored_size: int) -> None:
        self.path = path  # the file itself, or a temporary uncompressed copy
        self.size = size  # bytes (uncompressed)
        self.head = head  # the first bytes, to tell the layout
        self.stored_size = stored_size  # bytes of the file as given (compressed or not)
        self._lines = 0
        self._sha256 = ""
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def _scan(self, original: Path, count: bool) -> None:
        try:
            h = hashlib.sha256()
            with open(original, "rb") as f:
                if count:
                    self._lines, _ = _count_lines(_blocks(f), digest=h)
                else:
                    for block in _blocks(f):
                        h.update(block)
            self._sha256 = h.hexdigest()
        except BaseException as exc:  # handed to the reader of the result
            self._error = exc

    def start(self, original: Path, count: bool) -> None:
        """Hash ``original`` (and count the lines of the plain file) in the background."""
        self._thread = threading.Thread(
            target=self._scan, args=(original, count), name="backchannel-digest", daemon=True
        )
        self._thread.start()

    def _wait(self) -> None:
        if self._thread is not None:
            while self._thread.is_alive():
                self._thread.join(0.1)
            self._thread = None
        if self._error is not None:
            raise BackchannelError(f"{self.path}: cannot be read ({self._error})") from None

    @property
    def sha256(self) -> str:
        """The SHA-256 of the file as stored (waits for the background scan)."""
        self._wait()
        return self._sha256

    @property
    def lines(self) -> int:
        """Lines in the file, a last line without its line end counted (waits)."""
        self._wait()
        return self._lines


def _count_lines(
    blocks: Iterator[bytes], out: IO[bytes] | None = None, digest: Any = None
) -> tuple[int, int]:
    """(lines, bytes) of a stream of blocks, each written to ``out`` and hashed if given."""
    newlines = size = 0
    last = b"\n"
    for block in blocks:
        newlines += block.count(b"\n")
        size += len(block)
        last = block[-1:]
        if out is not None:
            out.write(block)
        if digest is not None:
            digest.update(block)
    return newlines + (1 if size and last != b"\n" else 0), size


def _blocks(f: SupportsRead[bytes]) -> Iterator[bytes]:
    return iter(lambda: f.read(_BLOCK), b"")


@contextmanager
def plain_file(path: Path, name: str) -> Iterator[Plain]:
    """The file uncompressed (a temporary copy for ``.gz`` and ``.zip``), with its lines.

    A corrupt or truncated archive is one :class:`BackchannelError` naming the file.
    """
    suffix = path.suffix.lower()
    stored = path.stat().st_size
    if suffix not in (".gz", ".zip"):
        with open(path, "rb") as f:
            head = f.read(HEAD)
        plain = Plain(path, stored, head, stored)
        plain.start(path, count=True)
        try:
            yield plain
        finally:
            with contextlib.suppress(BackchannelError):
                plain._wait()
        return
    tmp = Path(tempfile.mkdtemp(prefix="backchannel-ingest-"))
    try:
        out_path = tmp / (path.stem or "events")
        try:
            with open(out_path, "wb") as out:
                if suffix == ".gz":
                    with gzip.open(path, "rb") as f:
                        lines, size = _count_lines(_blocks(f), out)
                else:
                    with zipfile.ZipFile(path) as zf:
                        members = [i for i in zf.infolist() if not i.is_dir()]
                        if len(members) != 1:
                            raise BackchannelError(
                                f"{name}: a zip must hold exactly one event file, "
                                f"found {len(members)}"
                            )
                        with zf.open(members[0]) as f:
                            lines, size = _count_lines(_blocks(f), out)
        except (OSError, EOFError, zlib.error, zipfile.BadZipFile, ValueError) as exc:
            what = "gzip" if suffix == ".gz" else "zip"
            reason = str(exc) or type(exc).__name__
            if isinstance(exc, EOFError):
                reason = "the file ends before its compressed data does (truncated)"
            raise BackchannelError(f"{name}: corrupt or truncated {what} file ({reason})") from None
        with open(out_path, "rb") as f:
            head = f.read(HEAD)
        plain = Plain(out_path, size, head, stored)
        plain._lines = lines
        plain.start(path, count=False)
        try:
            yield plain
        finally:
            with contextlib.suppress(BackchannelError):
                plain._wait()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def blank_lines(path: Path) -> list[int]:
    """Line numbers of the empty lines of a file (the slow path: only when there are some)."""
    out = []
    with open(path, "rb") as f:
        for n, raw in enumerate(f, start=1):
            if raw in (b"\n", b"\r\n", b"\r"):
                out.append(n)
    return out


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
            yield cast(IO[bytes], f), 0  # size unknown until read; a GzipFile reads as IO
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
