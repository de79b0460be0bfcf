"""Correlates of War state codes to actor ids: ISO 3166 alpha-3 where one exists.

The map ships as an editable CSV, ``backchannel/data/cow_iso3.csv`` (columns ``ccode``,
``stateabb``, ``statenme``, ``iso3``, ``note``). A state's actor id is its ``iso3``; a
state without one (it no longer exists, or has no ISO code) keeps its COW abbreviation,
and if that abbreviation is another state's ISO code (COW ``KOR``, Korea until 1905, is
South Korea's ISO code) the COW number is appended: ``KOR730``. Pass your own file with
``StateCodes.read(path)`` (or ``--codes`` on the command line) to change any of it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..core.errors import BackchannelError

__all__ = ["State", "StateCodes", "default_codes_path"]

_ID_RE = re.compile(r"^[A-Z][A-Z0-9]*$")


def default_codes_path() -> Path:
    """The shipped map, ``backchannel/data/cow_iso3.csv``."""
    return Path(str(resources.files("backchannel") / "data" / "cow_iso3.csv"))


@dataclass(frozen=True, slots=True)
class State:
    """One COW state and the actor id it becomes."""

    ccode: int
    cow: str
    name: str
    iso3: str | None
    id: str


class StateCodes:
    """COW state numbers (and abbreviations) to actor ids."""

    def __init__(self, rows: list[tuple[int, str, str, str | None]], source: str = "") -> None:
        """Build from ``(ccode, stateabb, statenme, iso3 or None)`` rows."""
        self.source = source
        isos = {iso for _, _, _, iso in rows if iso}
        self.by_code: dict[int, State] = {}
        taken: dict[str, int] = {}
        for ccode, abb, name, iso in rows:
            ident = iso or (abb if abb not in isos else f"{abb}{ccode}")
            if ident in taken:
                raise BackchannelError(
                    f"{source}: COW codes {taken[ident]} and {ccode} both map to '{ident}'"
                )
            taken[ident] = ccode
            self.by_code[ccode] = State(ccode, abb, name, iso, ident)
        self._isos = isos

    @classmethod
    def read(cls, path: str | Path | None = None) -> StateCodes:
        """Read a map CSV (the shipped one by default); errors name the file and line."""
        p = Path(path) if path is not None else default_codes_path()
        rows: list[tuple[int, str, str, str | None]] = []
        try:
            with open(p, encoding="utf-8", newline="") as f:
                reader = csv.DictReader(f)
                missing = {"ccode", "stateabb", "iso3"} - set(reader.fieldnames or [])
                if missing:
                    raise BackchannelError(f"{p}: missing column(s) {', '.join(sorted(missing))}")
                for row in reader:
                    line = reader.line_num
                    try:
                        ccode = int(row["ccode"])
                    except (TypeError, ValueError):
                        raise BackchannelError(
                            f"{p}:{line}: ccode {row['ccode']!r} is not a number"
                        ) from None
                    abb = (row.get("stateabb") or "").strip()
                    iso = (row.get("iso3") or "").strip() or None
                    for what, value in (("stateabb", abb), ("iso3", iso)):
                        if value is not None and not _ID_RE.match(value):
                            raise BackchannelError(
                                f"{p}:{line}: {what} {value!r} must be capital letters"
                            )
                    rows.append((ccode, abb, (row.get("statenme") or abb).strip(), iso))
        except FileNotFoundError:
            raise BackchannelError(f"{p}: file not found") from None
        return cls(rows, str(p))

    def state(self, ccode: int, abb: str | None = None, name: str | None = None) -> State:
        """The state for a COW number; one missing from the map keeps its COW abbreviation."""
        found = self.by_code.get(ccode)
        if found is not None:
            return found
        if not abb:
            raise KeyError(ccode)
        ident = abb if abb not in self._isos else f"{abb}{ccode}"
        st = State(ccode, abb, name or abb, None, ident)
        self.by_code[ccode] = st
        return st

    def id(self, ccode: int) -> str:
        """The actor id of a COW state number (KeyError if the map does not know it)."""
        return self.by_code[ccode].id

    def __contains__(self, ccode: object) -> bool:
        return ccode in self.by_code

    def __len__(self) -> int:
        return len(self.by_code)
