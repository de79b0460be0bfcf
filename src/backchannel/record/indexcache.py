"""The loaded index of a big scenario file, cached beside it (``FILE.bcindex``).

Validating and indexing an imported world of tens of thousands of channels and events
takes seconds; every command would pay it again. :func:`cached_scenario` keeps the
loaded :class:`~backchannel.record.scenario.Scenario` (document and timeline index) as a pickle
next to the file and reuses it while the key still matches: the file's size, mtime and
SHA-256, the package version, and a fingerprint of the code that builds the index (so a
change to the model or the loader rebuilds it). Any mismatch, unreadable or stale cache
is rebuilt silently; a directory that cannot be written just means no cache.

Only files of at least :data:`MIN_BYTES` are cached (hand-written scenarios load in
milliseconds and get no side file). ``BACKCHANNEL_INDEX_CACHE=0`` turns caching off.
The cache is a pickle: like any cache file, trust it as much as the folder it sits in.
"""

from __future__ import annotations

import contextlib
import copyreg
import datetime as dt
import functools
import gc
import hashlib
import io
import json
import os
import pickle
import stat
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from ..core.atomic import atomic_path
from ..core.dates import PartialDate
from ..core.lifecycle import ChannelState
from ..core.limits import MAX_SCENARIO_BYTES

__all__ = ["MIN_BYTES", "SUFFIX", "cache_path", "cached_scenario", "index_key"]

T = TypeVar("T")

SUFFIX = ".bcindex"
MIN_BYTES = 256 * 1024
_FORMAT = 2  # 2: channel states carry level and representation
_CODE = (  # the modules whose code decides what the index holds (paths in the package)
    "core/dates.py",
    "core/model.py",
    "core/lifecycle.py",
    "core/limits.py",
    "record/loader.py",
    "record/validate.py",
    "record/yamlread.py",
    "record/replay.py",
    "record/usage.py",
    "record/timeline.py",
    "record/scenario.py",
    "record/indexcache.py",
)


def cache_path(path: Path) -> Path:
    """Where the index of ``path`` is kept: ``world.yaml`` → ``world.yaml.bcindex``."""
    return path.with_name(path.name + SUFFIX)


@functools.lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    h = hashlib.sha256()
    here = Path(__file__).parents[1]  # the package folder
    for name in _CODE:
        try:
            h.update((here / name).read_bytes())
        except OSError:
            h.update(name.encode())
    for dist in ("backchannel", "pydantic"):
        try:
            h.update(metadata.version(dist).encode())
        except metadata.PackageNotFoundError:
            h.update(dist.encode())
    h.update(sys.version.encode())
    return h.hexdigest()


def index_key(path: Path, data: bytes) -> dict[str, Any]:
    """What a cached index must match: file size, mtime, content hash, code version."""
    st = path.stat()
    return {
        "format": _FORMAT,
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "sha256": hashlib.sha256(data).hexdigest(),
        "code": _code_fingerprint(),
    }


@functools.cache
def _partial_date(ordinal: int, precision: str) -> PartialDate:
    return PartialDate(dt.date.fromordinal(ordinal), precision)  # type: ignore[arg-type]


def _reduce_partial_date(d: PartialDate) -> tuple[Any, ...]:
    return (_partial_date, (d.day.toordinal(), d.precision))


def _reduce_channel_state(s: ChannelState) -> tuple[Any, ...]:
    return (ChannelState, (s.status, s.since, s.staff, s.cap, s.level, s.representation))


def _model(cls: type[BaseModel], state: dict[str, Any], fields_set: set[str]) -> Any:
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", state)
    object.__setattr__(obj, "__pydantic_fields_set__", fields_set)
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


class _Pickler(pickle.Pickler):
    """Small, fast forms for what an index holds by the ten thousand (nothing global)."""

    def __init__(self, out: io.BufferedWriter) -> None:
        super().__init__(out, protocol=pickle.HIGHEST_PROTOCOL)
        table = copyreg.dispatch_table.copy()
        table[PartialDate] = _reduce_partial_date
        table[ChannelState] = _reduce_channel_state
        self.dispatch_table = table
        self._fields_sets: dict[tuple[type, frozenset[str]], set[str]] = {}

    def reducer_override(self, obj: Any) -> Any:
        # frozen pydantic models without extras or private attributes: their field dict
        # and one shared fields-set per shape (frozen models never change it)
        if (
            isinstance(obj, BaseModel)
            and obj.__pydantic_extra__ is None
            and obj.__pydantic_private__ is None
            and obj.model_config.get("frozen")
        ):
            fs = obj.__pydantic_fields_set__
            shared = self._fields_sets.setdefault((type(obj), frozenset(fs)), set(fs))
            return (_model, (type(obj), obj.__dict__, shared))
        return NotImplemented


def _dump(obj: Any, out: io.BufferedWriter) -> None:
    _Pickler(out).dump(obj)


def _read(cache: Path, key: dict[str, Any]) -> Any | None:
    try:
        with open(cache, "rb") as f:
            head = json.loads(f.readline())
            if head != key:
                return None
            payload = f.read()
    except (OSError, ValueError):
        return None
    enabled = gc.isenabled()
    gc.disable()  # millions of small objects: no point collecting while they arrive
    try:
        return pickle.loads(payload)
    except Exception:  # a stale or damaged cache is rebuilt, never an error
        return None
    finally:
        if enabled:
            gc.enable()


def _write(cache: Path, key: dict[str, Any], obj: Any) -> None:
    with (
        contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError),
        atomic_path(cache, mkdir=False) as tmp,
        open(tmp, "xb") as f,
    ):
        f.write(json.dumps(key, sort_keys=True).encode() + b"\n")
        _dump(obj, f)


def cached_scenario(path: Path, build: Callable[[str], T], reload: Callable[[], T]) -> T:
    """The index of ``path`` from its cache, or ``build(text)`` (then cached).

    ``reload()`` loads the file the ordinary way; it is used when caching does not apply
    (small file, caching off, file unreadable), so that its errors are the usual ones.
    """
    if os.environ.get("BACKCHANNEL_INDEX_CACHE", "1") == "0":
        return reload()
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode) or not MIN_BYTES <= st.st_size <= MAX_SCENARIO_BYTES:
            return reload()  # the loader names what is wrong (not a file, too large)
        data = path.read_bytes()
        text = data.decode("utf-8")
        key = index_key(path, data)
    except (OSError, UnicodeDecodeError):
        return reload()
    key = json.loads(json.dumps(key, sort_keys=True))
    cache = cache_path(path)
    found = _read(cache, key)
    if found is not None:
        return found
    obj = build(text)
    _write(cache, key, obj)
    return obj
