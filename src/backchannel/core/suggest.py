"""'Did you mean' for unknown ids: actors, offices, sides, channels, events, frameworks.

An unknown name is always an error; the suggestions only help to fix it (never a fuzzy
match taken for the name). Close names come from :func:`difflib.get_close_matches`,
after an exact match that differs only in case.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["close_matches", "did_you_mean", "unknown_message"]


def close_matches(
    name: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.6
) -> list[str]:
    """Up to ``n`` candidates close to ``name``, the closest first.

    >>> close_matches("rus.cgs", ["RUS.CGS", "RUS.MOD", "NATO.SACEUR"])
    ['RUS.CGS']
    >>> close_matches("saceur-cgs-lin", ["saceur-cgs-line", "cmc-cgs-line", "nrc"])
    ['saceur-cgs-line', 'cmc-cgs-line']
    """
    pool = [c for c in dict.fromkeys(candidates) if c]
    folded = [c for c in pool if c.casefold() == name.casefold()]
    if folded:
        return folded[:n]
    lower = {c.casefold(): c for c in pool}
    found = difflib.get_close_matches(name.casefold(), list(lower), n=n, cutoff=cutoff)
    if len(found) < n:  # a known id that starts with what was typed ("saceur" → ...)
        found += [k for k in lower if name and k.startswith(name.casefold()) and k not in found][
            : n - len(found)
        ]
    return [lower[k] for k in found]


def did_you_mean(name: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.6) -> str:
    """``" (did you mean 'X' or 'Y'?)"`` (empty when nothing is close).

    >>> did_you_mean("SACUER", ["NATO.SACEUR", "SACEUR", "RUS"])
    " (did you mean 'SACEUR'?)"
    """
    found = close_matches(name, candidates, n, cutoff)
    if not found:
        return ""
    quoted = [f"'{f}'" for f in found]
    text = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" or {quoted[-1]}"
    return f" (did you mean {text}?)"


def unknown_message(
    what: str, name: str, candidates: Iterable[str], scenario: str, hint: str = ""
) -> str:
    """The error for an unknown id: what, which, where, and close ids if any.

    >>> unknown_message("channel", "saceur-line", ["saceur-cgs-line", "nrc"], "russia-nato")
    "unknown channel 'saceur-line' in scenario 'russia-nato' (did you mean 'saceur-cgs-line'?)"
    """
    pool = list(candidates)
    msg = f"unknown {what} '{name}' in scenario '{scenario}'" + did_you_mean(name, pool)
    return f"{msg} {hint}".rstrip() if hint and not msg.endswith("?)") else msg
