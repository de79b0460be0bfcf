"""What `draft` proposes: candidate events, unresolved mentions and skipped statements,
and their two written forms (YAML to paste under ``events:``, and JSON).

>>> c = Candidate(do="close", target=("channel", "chiefs-line"), by="BBB",
...     date="2020-06-09", date_exact=True, quote="B closed the line.", span=(0, 18),
...     confidence=0.9, why="closed")
>>> print(yaml_event(c, None, None, None))
- {date: 2020-06-09, by: BBB, do: close, channel: chiefs-line}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Candidate", "Draft", "Note", "yaml_event"]


@dataclass(slots=True)
class Candidate:
    """A proposed event, with the sentence it rests on."""

    do: str
    target: tuple[str, str]  # ("channel", id), ("framework", id), ("office", id), ("actor", id)
    by: str | None
    date: str | None
    date_exact: bool
    quote: str
    span: tuple[int, int]
    confidence: float
    why: str
    count: int | None = None
    cap: int | None = None
    extra: dict[str, str] = field(default_factory=dict)  # org (join/leave), holder (appoint)
    record: str | None = None  # an event of the scenario that already records this move
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        out: dict[str, Any] = {"do": self.do, self.target[0]: self.target[1]}
        out.update(self.extra)
        out.update(
            {
                "by": self.by,
                "count": self.count,
                "cap": self.cap,
                "date": self.date,
                "date_exact": self.date_exact,
                "quote": self.quote,
                "span": list(self.span),
                "confidence": self.confidence,
                "why": self.why,
                "record": self.record,
                "notes": list(self.notes),
            }
        )
        return out


@dataclass(frozen=True, slots=True)
class Note:
    """A mention that could not be resolved, or a statement that is not an event."""

    text: str
    span: tuple[int, int]
    why: str

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"text": self.text, "span": list(self.span), "why": self.why}


@dataclass(slots=True)
class Draft:
    """Everything drafted from one article."""

    candidates: list[Candidate]
    unresolved: list[Note]
    skipped: list[Note]
    scenario: str
    published: str | None = None
    url: str | None = None
    title: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """``{"candidates", "unresolved", "skipped"}`` as DESIGN.md gives it."""
        return {
            "scenario": self.scenario,
            "published": self.published,
            "url": self.url,
            "candidates": [c.as_dict() for c in self.candidates],
            "unresolved": [n.as_dict() for n in self.unresolved],
            "skipped": [n.as_dict() for n in self.skipped],
        }

    def to_json(self) -> str:
        """One JSON document."""
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)

    def to_yaml(self) -> str:
        """Events ready to paste under ``events:``, each after a comment with its quote,
        confidence and cue words; unresolved mentions as comments at the end."""
        lines = [
            f"# backchannel draft: {len(self.candidates)} candidate events for scenario "
            f"'{self.scenario}' — review every one before pasting it under `events:`",
        ]
        for c in self.candidates:
            quote = _short(c.quote, 110)
            lines.append(
                f'# {c.confidence:.2f} · {c.why} · chars {c.span[0]}–{c.span[1]}: "{quote}"'
            )
            for n in c.notes:
                lines.append(f"#   {n}")
            if c.record:
                lines.append(f"#   the scenario already records this move: {c.record}")
            lines.append(yaml_event(c, self.url, self.published, self.title))
        if self.unresolved:
            lines.append("# unresolved (no scenario id; add an alias, or draft by hand):")
            for u in self.unresolved:
                lines.append(f'#   chars {u.span[0]}–{u.span[1]} "{_short(u.text, 70)}": {u.why}')
        return "\n".join(lines) + "\n"


def _short(text: str, n: int) -> str:
    text = " ".join(text.split()).replace('"', "'")
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/\-]*$")


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if (
        _PLAIN.match(text)
        and not text.endswith(" ")
        and text.lower() not in ("yes", "no", "true", "false", "null", "on", "off")
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def yaml_event(c: Candidate, url: str | None, published: str | None, title: str | None) -> str:
    """One event in the flow style of the built-in scenarios."""
    parts = [f"date: {c.date if c.date else 'null'}"]
    if c.by:
        parts.append(f"by: {c.by}")
    parts.append(f"do: {c.do}")
    parts.append(f"{c.target[0]}: {_scalar(c.target[1])}")
    for k, v in c.extra.items():
        parts.append(f"{k}: {_scalar(v)}")
    if c.count is not None:
        parts.append(f"count: {c.count}")
    if c.cap is not None:
        parts.append(f"cap: {c.cap}")
    if url or published:
        src = [f"title: {_scalar(title or 'draft')}"]
        if url:
            src.append(f"url: {_scalar(url)}")
        if published:
            src.append(f"published: {published}")
        parts.append("source: {" + ", ".join(src) + "}")
    if not c.date_exact:
        parts.append('note: "draft: the text gives no date; the published date is used"')
    return "- {" + ", ".join(parts) + "}"
