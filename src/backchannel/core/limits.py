"""Limits that a hostile input cannot pass, checked before any parser sees it.

* Only regular files are read, up to :data:`MAX_SCENARIO_BYTES` (``/dev/zero``, a FIFO
  or a folder is a clear error, never a read until memory runs out).
* YAML nesting is at most :data:`MAX_DEPTH` levels (the C composer recurses on the C
  stack and the pure one on Python's: deep nesting must never reach either).
* Numbers have at most :data:`MAX_DIGITS` digits and are finite (Python refuses to
  convert integers of more than 4,300 digits; a float of 309 digits is infinite).

Every failure is a :class:`~backchannel.core.errors.ScenarioError` naming the file, the line
and the reason. :func:`shown` escapes and shortens any input echoed in a message.
"""

from __future__ import annotations

import math
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import BackchannelError, Problem, ScenarioError

__all__ = [
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_SCENARIO_BYTES",
    "check_yaml",
    "read_regular",
    "regular_file",
    "shown",
]

MAX_SCENARIO_BYTES = 128 * 1024 * 1024  # the whole COW world, 1817–2005, is ~40 MB
MAX_DEPTH = 64  # a scenario needs 5
MAX_DIGITS = 15  # below 2**53: exact in JSON, in float64 and in every table format


def shown(value: object, limit: int = 80) -> str:
    """``value`` as text safe to print: control characters and undecodable bytes escaped
    (``\\x00``, ``\\xff``), cut to ``limit`` characters with an ellipsis."""
    text = str(value)
    out: list[str] = []
    size = 0
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte kept by surrogateescape
            piece = f"\\x{code - 0xDC00:02x}"
        elif ch.isprintable():
            piece = ch
        elif code < 0x100:
            piece = f"\\x{code:02x}"
        elif code < 0x10000:
            piece = f"\\u{code:04x}"
        else:
            piece = f"\\U{code:08x}"
        if size + len(piece) > limit:
            out.append("…")
            break
        out.append(piece)
        size += len(piece)
    return "".join(out)


def regular_file(path: str | Path, what: str = "file") -> os.stat_result:
    """The ``stat`` of ``path`` if it is a regular file; else a clear BackchannelError."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise BackchannelError(f"{p}: file not found") from None
    except OSError as exc:
        raise BackchannelError(f"{p}: cannot read file: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise BackchannelError(f"{p}: is a folder, not a {what}")
    if not stat.S_ISREG(st.st_mode):
        raise BackchannelError(f"{p}: not a regular file (a device, pipe or socket); give a {what}")
    return st


def read_regular(path: str | Path, limit: int = MAX_SCENARIO_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (else a clear error)."""
    p = Path(path)
    st = regular_file(p)
    if st.st_size > limit:
        raise BackchannelError(f"{p}: file too large ({st.st_size:,} bytes; at most {limit:,})")
    try:
        with open(p, "rb") as f:
            data = f.read(limit + 1)  # the file may have grown since stat
    except OSError as exc:
        raise BackchannelError(f"{p}: cannot read file: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise BackchannelError(f"{p}: file too large (more than {limit:,} bytes)")
    return data


def _number_problem(value: str, tag: str) -> str | None:
    """Why a plain scalar that YAML reads as a number is out of range (None: it is fine)."""
    if tag.endswith(":int"):
        digits = sum(c.isalnum() for c in value) - (2 if value.lstrip("+-")[1:2] in "box" else 0)
        if len(value) > MAX_DIGITS + 4 or digits > MAX_DIGITS:
            return f"number {shown(value, 40)} out of range (at most {MAX_DIGITS} digits)"
    elif tag.endswith(":float"):
        low = value.lower().lstrip("+-")
        if low in (".inf", ".nan"):
            return None
        try:
            number = float(value.replace("_", ""))
        except ValueError:
            return None
        if len(value) > 40 or not math.isfinite(number) or abs(number) >= 10**MAX_DIGITS:
            return f"number {shown(value, 40)} out of range (at most {MAX_DIGITS} digits)"
    return None


def _events(text: str) -> Iterator[Any]:
    """The YAML event stream of ``text`` (C parser when installed)."""
    from ruamel.yaml.events import StreamEndEvent

    try:
        from ruamel.yaml.cyaml import CParser
    except ImportError:  # pragma: no cover - ruamel.yaml.clib is a dependency
        from ruamel.yaml import YAML

        yield from YAML(typ="safe", pure=True).parse(text)
        return
    parser = CParser(text)
    try:
        while True:
            event = parser.get_event()
            yield event
            if isinstance(event, StreamEndEvent):
                return
    finally:
        parser.dispose()


def check_yaml(text: str, file: str = "<string>", limit: int = MAX_SCENARIO_BYTES) -> None:
    """Raise ScenarioError when ``text`` is too large, nests deeper than :data:`MAX_DEPTH`
    or holds a number out of range. YAML syntax errors are left to the parser.

    Reads the event stream only (the parsers' state machines do not recurse; composing a
    document does), with the C parser when it is installed.
    """
    if len(text) > limit:
        raise ScenarioError([Problem(file, None, f"too large (more than {limit:,} characters)")])
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent, ScalarEvent
    from ruamel.yaml.nodes import ScalarNode

    resolver = YAML(typ="rt").resolver
    depth = 0
    problems: list[Problem] = []
    try:
        for event in _events(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else None
                    msg = f"YAML nested deeper than {MAX_DEPTH} levels"
                    raise ScenarioError([Problem(file, line, msg)])
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
            elif isinstance(event, ScalarEvent):
                value = event.value
                if event.style or not value or value[0] not in "+-.0123456789":
                    continue
                resolved = resolver.resolve(ScalarNode, value, (True, False))
                reason = _number_problem(value, str(getattr(resolved, "value", resolved)))
                if reason is not None:
                    line = event.start_mark.line + 1 if event.start_mark else None
                    problems.append(Problem(file, line, reason))
    except YAMLError:
        pass  # the parser that follows reports it with its line
    if problems:
        raise ScenarioError(problems)
