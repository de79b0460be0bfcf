"""The CAMEO codebook: event codes, root codes, quad classes, Goldstein values, PLOVER map.

The shipped tables under ``backchannel/data`` were extracted from GDELT's
``CAMEO.eventcodes.txt`` / ``CAMEO.goldsteinscale.txt`` and from PLOVER's
``CAMEO2PLOVER-2021.txt``; the parsers below read those original files (with their
quirks: CRLF line ends, a byte-order mark, two codes merged on one line, irregular
spacing in the PLOVER table), so the extracts can be checked against the real files.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources

__all__ = [
    "QUADS",
    "CameoCode",
    "Codebook",
    "PloverCategory",
    "codebook",
    "parse_cameo2plover",
    "parse_eventcodes",
    "parse_goldstein",
    "quad_of_root",
]

#: Quad classes in GDELT's numbering (1 = verbal cooperation ... 4 = material conflict).
QUADS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")

# Two codes run together on one line in a CRLF copy of CAMEO.eventcodes.txt:
# "1056<TAB>Demand de-escalation of military engagement106:[-5.0] Demand withdrawal".
_MERGED = re.compile(r"(?P<code>\d{2,4}):\[(?P<goldstein>-?\d+(?:\.\d+)?)\]\s*(?P<desc>.*)$")
_CODE = re.compile(r"^\d{2,4}$")


def quad_of_root(root: str | None) -> int | None:
    """The quad class (1–4) of a CAMEO root code ``01``–``20``, as GDELT assigns it.

    01–05 verbal cooperation, 06–09 material cooperation, 10–14 verbal conflict,
    15–20 material conflict (GDELT's QuadClass column agrees on every sample row).
    """
    if not root or not root.isdigit():
        return None
    r = int(root)
    if 1 <= r <= 5:
        return 1
    if 6 <= r <= 9:
        return 2
    if 10 <= r <= 14:
        return 3
    if 15 <= r <= 20:
        return 4
    return None


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One CAMEO event code with its description and Goldstein value."""

    code: str
    description: str
    goldstein: float | None

    @property
    def root(self) -> str:
        """The two-digit root code (``04`` for ``042``)."""
        return self.code[:2]

    @property
    def quad(self) -> int | None:
        """The quad class of the root code."""
        return quad_of_root(self.root)


@dataclass(frozen=True, slots=True)
class PloverCategory:
    """A PLOVER event type with its mode and context (both may be empty)."""

    event: str
    mode: str
    context: str


def _lines(text: str) -> list[str]:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse_eventcodes(text: str) -> dict[str, str]:
    """Codes and descriptions from a ``CAMEO.eventcodes.txt`` (header, TAB, LF or CRLF).

    A line holding two codes run together (``...engagement106:[-5.0] Demand withdrawal``)
    gives both codes back.
    """
    out: dict[str, str] = {}
    for line in _lines(text)[1:]:
        if not line.strip():
            continue
        code, _, desc = line.partition("\t")
        code = code.strip()
        if not _CODE.match(code):
            continue
        m = _MERGED.search(desc)
        if m:
            out[code] = desc[: m.start()].strip()
            out[m["code"]] = m["desc"].strip()
        else:
            out[code] = desc.strip()
    return out


def parse_goldstein(text: str) -> dict[str, float]:
    """Goldstein values from a ``CAMEO.goldsteinscale.txt`` (header, TAB separated)."""
    out: dict[str, float] = {}
    for line in _lines(text)[1:]:
        code, _, value = line.partition("\t")
        if _CODE.match(code.strip()) and value.strip():
            out[code.strip()] = float(value)
    return out


def parse_cameo2plover(text: str) -> dict[str, PloverCategory]:
    """The CAMEO → PLOVER table of ``CAMEO2PLOVER-2021.txt``.

    Lines read ``CODE: EVENT, MODE, CONTEXT # description``; root lines (``04: CONSULT``)
    have no mode or context; spaces around commas are irregular and an empty mode is
    written as spaces. When a code appears twice the first line wins (``08`` is both
    CONCEDE and RETREAT; ``175`` is listed twice).
    """
    out: dict[str, PloverCategory] = {}
    for raw in _lines(text):
        line = raw.split("#", 1)[0].strip()
        if not line or ":" not in line:
            continue
        code, _, rest = line.partition(":")
        code = code.strip()
        if not _CODE.match(code):
            continue
        parts = [p.strip() for p in rest.split(",")]
        parts += [""] * (3 - len(parts))
        event, mode, context = parts[0], parts[1], ",".join(parts[2:]).strip(", ")
        if event and code not in out:
            out[code] = PloverCategory(event.upper(), mode, context)
    return out


def _data(name: str) -> str:
    return resources.files("backchannel").joinpath("data", name).read_text(encoding="utf-8")


def _tsv(name: str) -> list[dict[str, str]]:
    text = "\n".join(ln for ln in _data(name).splitlines() if not ln.startswith("#"))
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


class Codebook:
    """CAMEO codes with Goldstein values, the CAMEO → PLOVER map and PLOVER root codes."""

    def __init__(
        self,
        codes: dict[str, CameoCode],
        plover: dict[str, PloverCategory],
        plover_roots: dict[str, tuple[str, int]],
    ) -> None:
        """Hold the three tables (see :func:`codebook` for the shipped ones)."""
        self.codes = codes
        self.plover_map = plover
        self.plover_roots = plover_roots

    def goldstein(self, code: str) -> float | None:
        """The Goldstein value of a code (or of its base code), or None."""
        for c in (code, code[:3], code[:2]):
            if c in self.codes:
                return self.codes[c].goldstein
        return None

    def describe(self, code: str) -> str | None:
        """The description of a code, or None when the codebook lacks it."""
        c = self.codes.get(code)
        return c.description if c else None

    def plover(self, code: str) -> PloverCategory | None:
        """The PLOVER category of a CAMEO code: the code, else its base code, else its root.

        Codes under roots 01 (statements) and 02 (appeals) have no PLOVER category.
        """
        for c in (code, code[:3], code[:2]):
            if c in self.plover_map:
                return self.plover_map[c]
        return None

    def root_of_plover(self, event: str) -> tuple[str, int] | None:
        """The CAMEO root code and the quad class of a PLOVER event type.

        CONSULT → (``04``, 1); the quad class is the PLOVER manual's, which differs from
        the root's for CONCEDE (verbal cooperation) and INVESTIGATE (verbal conflict).
        """
        return self.plover_roots.get(event.upper())


@functools.cache
def codebook() -> Codebook:
    """The codebook shipped with the package (loaded once)."""
    codes = {
        r["code"]: CameoCode(
            r["code"], r["description"], float(r["goldstein"]) if r["goldstein"] else None
        )
        for r in _tsv("cameo_eventcodes.tsv")
    }
    plover = {
        r["cameo"]: PloverCategory(r["event"], r["mode"], r["context"])
        for r in _tsv("cameo2plover.tsv")
    }
    roots = {r["event"]: (r["root"], int(r["quad"])) for r in _tsv("plover_roots.tsv")}
    return Codebook(codes, plover, roots)
