"""Actor code maps: CAMEO actor codes and ICEWS names to scenario actor ids.

A code map is a TSV file ``code<TAB>actor[<TAB>note]`` with a header line and ``#``
comments. The package ships two (``data/actor_codes.tsv`` for CAMEO codes,
``data/country_names.tsv`` for ICEWS names); a user file given with ``--codes`` is read
after them, so its lines add codes or replace the shipped ones, and an actor of ``-``
removes a code.

CAMEO codes are matched by the longest entry that starts the code at a 3-letter boundary
(``RUSMIL`` → ``RUS``, ``IGOWSTNATMIL`` → ``IGOWSTNAT`` → NATO). Region and role codes
(``EUR``, ``AFR``, ``GOV``, ``NGO``) are not in the map, so ``GOVRUS`` or ``EURRUS`` stay
unmapped: only a code's own first segment names its country.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from ..core.errors import BackchannelError

__all__ = ["CAMEO_ROLES", "CodeMap", "load_codemap", "parse_codemap"]

SHIPPED = ("actor_codes.tsv", "country_names.tsv")

#: CAMEO role and type segments (GDELT's CAMEO.type.txt) that may follow a country or
#: organisation code in an actor code: ``RUSGOV``, ``USAMIL``, ``IGOWSTNATMIL``.
CAMEO_ROLES = frozenset(
    (
        "COP",
        "GOV",
        "INS",
        "JUD",
        "MIL",
        "OPP",
        "REB",
        "SEP",
        "SPY",
        "UAF",
        "AGR",
        "BUS",
        "CRM",
        "CVL",
        "DEV",
        "EDU",
        "ELI",
        "ENV",
        "HLH",
        "HRI",
        "LAB",
        "LEG",
        "MED",
        "REF",
        "MOD",
        "RAD",
        "AMN",
        "IRC",
        "GRP",
        "UNO",
        "PKO",
        "UIS",
        "IGO",
        "IMG",
        "INT",
        "MNC",
        "NGM",
        "NGO",
        "SET",
    )
)


def parse_codemap(text: str, file: str = "<codes>") -> list[tuple[str, str | None]]:
    """The ``(code, actor)`` lines of a code map file; ``actor`` None means 'remove'.

    Raises :class:`BackchannelError` naming the file and line of a malformed line.
    """
    out: list[tuple[str, str | None]] = []
    header_seen = False
    for n, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if not header_seen:
            header_seen = True
            if [p.strip().lower() for p in parts[:2]] == ["code", "actor"]:
                continue
        if len(parts) < 2 or not parts[0].strip() or not parts[1].strip():
            raise BackchannelError(f"{file}:{n}: expected 'code<TAB>actor', got {line!r}")
        actor = parts[1].strip()
        out.append((parts[0].strip(), None if actor == "-" else actor))
    return out


class CodeMap:
    """Maps raw actor codes and names to scenario actor ids (see the module docstring)."""

    def __init__(self, entries: Iterable[tuple[str, str | None]]) -> None:
        """Build from ``(code, actor)`` pairs; later pairs win; actor None removes."""
        self.entries: dict[str, str] = {}
        for code, actor in entries:
            if actor is None:
                self.entries.pop(code, None)
            else:
                self.entries[code] = actor
        self._cache: dict[tuple[str, str], str | None] = {}

    @property
    def actors(self) -> set[str]:
        """Every actor id the map can produce."""
        return set(self.entries.values())

    def cameo(self, code: str, known_group: str = "") -> str | None:
        """The actor id of a CAMEO actor code (and GDELT's KnownGroupCode), or None."""
        key = (code, known_group)
        if key in self._cache:
            return self._cache[key]
        code = code.strip()
        found = self.entries.get(code) if code else None
        for end in range(len(code) - len(code) % 3, 0, -3):
            if found is not None:
                break
            found = self.entries.get(code[:end])
        if found is None and known_group:
            found = self.entries.get(known_group.strip())
        if len(self._cache) < 1_000_000:
            self._cache[key] = found
        return found

    def name(self, country: str | None, actor_name: str | None = None) -> str | None:
        """The actor id of an ICEWS country name, else of the actor's own name.

        ``actor_name`` is tried as a whole (``European Union``) and then for the name in
        its final parentheses (``Secretariat (European Union)``).
        """
        if country and country != "NA":
            return self.entries.get(country.strip())
        if not actor_name or actor_name == "NA":
            return None
        name = actor_name.strip()
        hit = self.entries.get(name)
        if hit is None and name.endswith(")") and "(" in name:
            hit = self.entries.get(name[name.rindex("(") + 1 : -1].strip())
        return hit

    def resolve(self, text: str) -> str:
        """A user's actor argument as an actor id: an id as is, else a code or name mapped."""
        return self.lookup(text) or text

    def lookup(self, text: str) -> str | None:
        """The actor id a user's argument names, or None; never a near match.

        An actor id as is; a code or name of the map exactly (``IGOWSTNAT``, ``United
        States``); or a mapped code followed by CAMEO role segments (``RUSGOV``,
        ``IGOWSTNATMIL``). ``SYRR`` is none of these, so it names nothing (not SYR).
        """
        if text in self.actors:
            return text
        if text in self.entries:
            return self.entries[text]
        if len(text) % 3 or not (text.isascii() and text.isalpha() and text.isupper()):
            return None
        for end in range(len(text) - 3, 2, -3):
            hit = self.entries.get(text[:end])
            if hit is not None:
                rest = text[end:]
                roles = all(rest[i : i + 3] in CAMEO_ROLES for i in range(0, len(rest), 3))
                return hit if roles else None
        return None


def load_codemap(user_file: str | Path | None = None) -> CodeMap:
    """The shipped code maps, extended or overridden by ``user_file`` if given."""
    entries: list[tuple[str, str | None]] = []
    for name in SHIPPED:
        text = resources.files("backchannel").joinpath("data", name).read_text("utf-8")
        entries += parse_codemap(text, name)
    if user_file is not None:
        path = Path(user_file)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise BackchannelError(f"{path}: code map file not found") from None
        except UnicodeDecodeError as exc:
            raise BackchannelError(f"{path}: not UTF-8 ({exc.reason})") from None
        entries += parse_codemap(text, str(path))
    return CodeMap(entries)
