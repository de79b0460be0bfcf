"""Atomic writes: a file the tool writes is either the old one or the whole new one.

Every writer (imported worlds, reports and their figures, exports, generated worlds, the
index cache) writes to a temporary file beside its target and renames it into place, so
that a full disk, an exception, Ctrl-C or a kill never leaves a truncated file where the
good one was. Writers of several files (table exports, a Markdown report with its PNGs)
write them all into a temporary folder first: a new folder is renamed into place as a
whole; into a folder that already exists (it may hold other files) each file is renamed
into place on its own, only after every one of them was written.

Temporary files are removed on every exit path (exceptions and KeyboardInterrupt
included). A process killed outright cannot clean up, so each name carries the writer's
process id, and the next write of the same target removes what a dead writer left.

>>> from pathlib import Path
>>> with atomic_path(Path("out.txt")) as tmp:  # doctest: +SKIP
...     tmp.write_text("all or nothing")
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

from .errors import BackchannelError
from .limits import shown

__all__ = [
    "atomic_dir",
    "atomic_path",
    "check_writable",
    "temp_name",
    "write_bytes",
    "write_text",
]

_TMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.tmp$")


def temp_name(target: Path) -> Path:
    """A fresh hidden temporary name beside ``target``: ``.NAME.PID.RANDOM.tmp``."""
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _sweep(target: Path) -> None:
    """Remove temporary files of ``target`` left by writers that no longer run."""
    try:
        siblings = list(target.parent.iterdir())
    except OSError:
        return
    for p in siblings:
        m = _TMP.match(p.name)
        if m is None or m.group("name") != target.name or _alive(int(m.group("pid"))):
            continue
        with contextlib.suppress(OSError):
            shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()


def _remove(p: Path) -> None:
    with contextlib.suppress(OSError):
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p)
        else:
            p.unlink()


def _fsync(p: Path) -> None:
    try:
        fd = os.open(p, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(target: str | Path, mkdir: bool = True) -> Iterator[Path]:
    """A temporary path beside ``target`` to write to; renamed onto ``target`` on success.

    The temporary file is removed when the block raises (anything, KeyboardInterrupt
    included). ``mkdir`` creates missing parent folders first.
    """
    target = Path(target)
    if mkdir:
        target.parent.mkdir(parents=True, exist_ok=True)
    _sweep(target)
    tmp = temp_name(target)
    try:
        yield tmp
        if not tmp.exists():
            raise BackchannelError(f"{target}: nothing was written")
        _fsync(tmp)
        os.replace(tmp, target)
    finally:
        if tmp.exists() or tmp.is_symlink():
            _remove(tmp)


def write_bytes(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically; return the target path."""
    target = Path(target)
    with atomic_path(target) as tmp:
        # O_EXCL: never through a file or link someone placed there; mode follows umask
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    return target


def write_text(target: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``target`` atomically (no newline translation)."""
    return write_bytes(target, text.encode(encoding))


@contextlib.contextmanager
def atomic_dir(target: str | Path) -> Iterator[Path]:
    """A temporary folder to write several files into; they reach ``target`` together.

    When ``target`` does not exist, the temporary folder is made beside it and renamed
    onto it as a whole. When it is a folder already (it may hold other files, which are
    left alone), the temporary folder is made inside it and each written file is renamed
    into place on its own, after all were written. The temporary folder is removed on
    every exit path.
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise BackchannelError(f"out: {target} is a file, not a folder", param="out")
    into = target.is_dir()
    if into:
        inner = target / "backchannel"  # .backchannel.PID.RANDOM.tmp inside the folder
        _sweep(inner)
        tmp = temp_name(inner)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        _sweep(target)
        tmp = temp_name(target)
    tmp.mkdir()
    try:
        yield tmp
        for p in tmp.iterdir():
            _fsync(p)
        if into:
            for p in sorted(tmp.iterdir()):
                os.replace(p, target / p.name)
        else:
            os.replace(tmp, target)
    finally:
        if tmp.exists():
            _remove(tmp)


def check_writable(out: str | Path, folder: bool = False, what: str = "out") -> None:
    """Fail before the long work when ``out`` cannot be written.

    ``folder``: ``out`` is a folder to write files into (it may exist); otherwise a
    file (it must not be a folder). Missing parent folders are fine when the nearest one
    that exists is a writable folder.
    """
    out = Path(out)
    try:
        if folder:
            if out.exists() and not out.is_dir():
                raise BackchannelError(f"{what}: {out} is a file; give a folder", param=what)
        elif out.is_dir():
            raise BackchannelError(f"{what}: {out} is a folder; give a file name", param=what)
        parent = out if folder and out.is_dir() else out.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        writable = parent.is_dir() and os.access(parent, os.W_OK | os.X_OK)
    except (OSError, ValueError) as exc:  # a name too long, a NUL in it
        reason = getattr(exc, "strerror", None) or exc
        raise BackchannelError(f"{what}: cannot write {shown(out)}: {reason}", param=what) from None
    if not writable:
        raise BackchannelError(
            f"{what}: cannot write {out}: {parent} is not a writable folder", param=what
        )
