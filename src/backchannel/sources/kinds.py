"""What kind of event file this is, told from its first lines (before anything is loaded).

GDELT files have no header: the number of tab-separated columns tells the layouts apart
(61: GDELT 2.0; 57 or 58: GDELT 1.0). ICEWS files open with a header of column names;
PLOVER files are JSON (an array or JSON Lines). A file given with the wrong KIND is
refused at once with one error that names the KIND it looks like, so nothing is stored
and no row is rejected one by one.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import BackchannelError

__all__ = ["SNIFF_LINES", "check_kind", "guess_kind", "sniff"]

#: How many of the first lines are looked at.
SNIFF_LINES = 20
_WIDTHS = {61: "gdelt2", 57: "gdelt1", 58: "gdelt1"}
_ICEWS_NAMES = ("Event ID", "Event Date", "CAMEO Code")


def sniff(head: bytes) -> list[str]:
    """The first complete lines of ``head`` (a file's first bytes), BOM and line ends removed."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    lines = head.split(b"\n")
    if len(lines) > 1:
        lines = lines[:-1] if not head.endswith(b"\n") else lines  # drop a cut-off last line
    out = []
    for raw in lines[:SNIFF_LINES]:
        out.append(raw.rstrip(b"\r").decode("utf-8", errors="replace"))
    while out and not out[-1]:
        out.pop()
    return out


def guess_kind(lines: list[str]) -> str | None:
    """The KIND the first lines look like, or None when they fit none."""
    first = next((ln for ln in lines if ln.strip()), "")
    if first.lstrip().startswith(("[", "{")):
        return "plover"
    names = [c.strip() for c in first.split("\t")]
    if all(n in names for n in _ICEWS_NAMES):
        return "icews"
    votes: dict[str, int] = {}
    for ln in lines:
        kind = _WIDTHS.get(ln.count("\t") + 1)
        if kind:
            votes[kind] = votes.get(kind, 0) + 1
    if not votes:
        return None
    best = max(votes, key=lambda k: votes[k])
    return best if votes[best] * 2 >= len([ln for ln in lines if ln]) else None


def check_kind(kind: str, path: Path, name: str, head: bytes) -> None:
    """Refuse a file whose first lines do not fit ``kind`` (one error naming the right KIND)."""
    lines = sniff(head)
    if not lines:
        return  # an empty file loads nothing
    looks = guess_kind(lines)
    if looks == kind:
        return
    if looks is None and kind in ("plover", "icews"):
        return  # the JSON reader and the ICEWS header check name what is wrong themselves
    what = {
        "gdelt1": "a GDELT 1.0 file (57 or 58 tab-separated columns)",
        "gdelt2": "a GDELT 2.0 file (61 tab-separated columns)",
        "icews": "an ICEWS file (a header with Event ID, Event Date, CAMEO Code ...)",
        "plover": "PLOVER JSON records",
    }
    n = lines[0].count("\t") + 1
    seen = f"its first line has {n} tab-separated column{'s' if n != 1 else ''}"
    if looks is not None:
        raise BackchannelError(
            f"{name}:1: this looks like {what[looks]}, not {kind}; "
            f"load it with `backchannel ingest {looks}` (nothing was stored)"
        )
    raise BackchannelError(f"{name}:1: not {what[kind]}: {seen}; nothing was stored")
