"""US diplomatic missions abroad (Kenkel, *US Diplomatic Mission Status*, v0.1) in.

The range file has one row per country and date range of constant US mission status:
``country_abbrev_cow, country_code_cow, country_name_cow, country_name_usdos,
date_start, date_end, us_mission_status``. Each country gets up to two channels from the
United States: ``emb-USA-X`` (kind ``embassy``: embassies, legations, consulates, and
their non-resident forms) and ``lia-USA-X`` (kind ``liaison_office``: liaison offices
and interests sections). Status changes become lifecycle events on the day they happen
(STATUS_MAP and docs/world.md give the mapping). Rows of a country partition its
state-system membership; a gap between rows is a time out of the system, which closes
the missions, as in the COW import. Where two ranges overlap (the file has YUG to
2006-06-03 and SRB from 2006-06-03, both COW 345), the later range wins from its first
day; a range wholly inside an earlier one is rejected.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import BackchannelError, Problem
from ..core.limits import shown
from ..core.progress import OnProgress
from ..formats.yamlwrite import Plain
from .cow import transition
from .cowcodes import StateCodes
from .rows import header, read_rows
from .worldbuild import EMBASSY_LATENCY, WorldImport, actor_entry, event_order, membership_event

__all__ = ["STATUS_MAP", "import_us_missions"]

US_URL = "https://github.com/brentonk/us_diplomatic_missions"
US_CCODE = 2

#: mission status → (channel: emb or lia, lifecycle status); None closes every mission.
#: Resident embassies and legations are full missions (active); non-resident
#: accreditation and consulates are lowered ones (restricted). Liaison offices are active
#: liaison channels; interests sections, under another state's flag, restricted ones.
STATUS_MAP: dict[str, tuple[str, str] | None] = {
    "Embassy": ("emb", "active"),
    "Ambassador Nonresident": ("emb", "restricted"),
    "Legation": ("emb", "active"),
    "Envoy Nonresident": ("emb", "restricted"),
    "Consulate": ("emb", "restricted"),
    "Consul Nonresident": ("emb", "restricted"),
    "Liaison": ("lia", "active"),
    "Interests": ("lia", "restricted"),
    "None": None,
}
_COLUMNS = [
    "country_abbrev_cow",
    "country_code_cow",
    "country_name_cow",
    "country_name_usdos",
    "date_start",
    "date_end",
    "us_mission_status",
]


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    ccode: int
    abb: str
    name: str
    start: dt.date
    end: dt.date
    status: str


def _date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{what} {shown(repr(text.strip()))} is not a date (YYYY-MM-DD)") from None


def _read(
    path: Path, problems: list[Problem], stats: dict[str, int], progress: OnProgress | None
) -> list[_Row]:
    cols = [c.strip() for c in header(path)]
    if cols[: len(_COLUMNS)] != _COLUMNS:
        raise BackchannelError(
            f"{path}:1: not a US mission status range file (expected columns "
            f"{', '.join(_COLUMNS)}; got {shown(', '.join(cols), 200) or 'nothing'})"
        )
    rows: list[_Row] = []
    for line, fields, error in read_rows(path, "missions", progress):
        stats["rows"] += 1
        if fields is None:
            problems.append(Problem(str(path), line, error or "unreadable"))
            continue
        try:
            if len(fields) != len(cols):
                raise ValueError(f"expected {len(cols)} fields, got {len(fields)}")
            try:
                ccode = int(fields[1].strip())
            except ValueError:
                raise ValueError(
                    f"country_code_cow {shown(repr(fields[1].strip()))} is not a whole number"
                ) from None
            start = _date(fields[4], "date_start")
            end = _date(fields[5], "date_end")
            if end < start:
                raise ValueError(f"date_end {end} is before date_start {start}")
            status = fields[6].strip()
            if status not in STATUS_MAP:
                raise ValueError(
                    f"us_mission_status {shown(repr(status))} is not one of {', '.join(STATUS_MAP)}"
                )
            abb = fields[0].strip()
            if not abb.isalpha():
                raise ValueError(f"country_abbrev_cow {shown(repr(abb))} is not a COW abbreviation")
        except ValueError as exc:
            problems.append(Problem(str(path), line, str(exc)))
            continue
        rows.append(_Row(line, ccode, abb.upper(), fields[2].strip(), start, end, status))
    return rows


def import_us_missions(
    path: str | Path, codes: StateCodes | None = None, progress: OnProgress | None = None
) -> WorldImport:
    """Import the US mission status range file as a scenario of US missions abroad.

    Bad rows (and rows overlapping an earlier range of the same country) are returned in
    ``problems`` with their line; the rest is imported.
    """
    path = Path(path)
    codes = codes or StateCodes.read()
    problems: list[Problem] = []
    stats: dict[str, int] = defaultdict(int)
    rows = _read(path, problems, stats, progress)
    if not rows:  # nothing to import: stop before anything is written
        first_problem = f" ({problems[0]})" if problems else ""
        raise BackchannelError(f"{path}: no usable rows{first_problem}; nothing imported")
    by_country: dict[int, list[_Row]] = defaultdict(list)
    for r in rows:
        by_country[r.ccode].append(r)
    file_end = max((r.end for r in rows), default=None)
    src = f"US mission status v0.1 (Kenkel), {path.name}"
    usa = codes.state(US_CCODE, "USA", "United States of America")

    actors: list[dict[str, Any]] = [
        actor_entry(usa.id, usa.name, "COW 2 USA; the sending state of every mission here")
    ]
    channels: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for ccode in sorted(by_country, key=lambda c: codes.state(c, by_country[c][0].abb).id):
        spans = sorted(by_country[ccode], key=lambda r: (r.start, r.line))
        first = spans[0]
        st = codes.state(ccode, first.abb, first.name)
        if st.id == usa.id:
            for r in spans:
                problems.append(Problem(str(path), r.line, "a US mission in the United States"))
            continue
        kept: list[_Row] = []
        for r in spans:
            if kept and r.end <= kept[-1].end:
                problems.append(
                    Problem(
                        str(path),
                        r.line,
                        f"range {r.start}–{r.end} lies inside the range of line "
                        f"{kept[-1].line}; skipped",
                    )
                )
                continue
            if kept and r.start <= kept[-1].end:
                stats["overlaps"] += 1  # e.g. YUG to 2006-06-03, SRB from 2006-06-03
            kept.append(r)
        stats["rows_imported"] += len(kept)
        iso = f"ISO 3166 {st.iso3}" if st.iso3 else "no ISO 3166 code"
        actors.append(actor_entry(st.id, first.name, f"COW {ccode} {st.cow}; {iso}"))
        ids = {"emb": f"emb-{usa.id}-{st.id}", "lia": f"lia-{usa.id}-{st.id}"}
        status: dict[str, str | None] = {"emb": None, "lia": None}
        label: dict[str, str] = {}
        used: set[str] = set()

        def emit(
            day: dt.date,
            do: str,
            key: str,
            note: str,
            source: str,
            representation: str | None = None,
            ids: dict[str, str] = ids,
            used: set[str] = used,
        ) -> None:
            used.add(key)
            event = {
                "date": Plain(day.isoformat()),
                "do": do,
                "channel": ids[key],
                "note": note,
                "source": {"title": source},
            }
            if representation is not None and do != "close":
                event["representation"] = representation
            events.append(event)

        def leaves_system(
            prev: _Row,
            st: Any = st,
            status: dict[str, str | None] = status,
            label: dict[str, str] = label,
        ) -> None:
            """The state leaves the system the day after ``prev``: its posts close."""
            gone = prev.end + dt.timedelta(days=1)
            for key in ("emb", "lia"):
                if status[key] is not None:
                    emit(
                        gone,
                        "close",
                        key,
                        f"closed: {st.id} leaves the state system (was {label[key]})",
                        f"{src} line {prev.line}",
                    )
                    status[key] = None
            events.append(
                membership_event(
                    st.id, gone, False, f"last day {prev.end}", f"{src} line {prev.line}"
                )
            )

        prev: _Row | None = None
        for r in kept:
            where = f"{src} line {r.line}"
            if prev is None or r.start > prev.end + dt.timedelta(days=1):
                if prev is not None:  # out of the state system between the two ranges
                    leaves_system(prev)
                events.append(membership_event(st.id, r.start, True, f"COW {ccode}", where))
            target = STATUS_MAP[r.status]
            for key in ("emb", "lia"):
                new = target[1] if target is not None and target[0] == key else None
                todo = transition(status[key], new)
                if todo == ["note"] and label.get(key) == r.status:
                    todo = []
                for do in todo:
                    was = f" (was {label[key]})" if key in label and status[key] else ""
                    text = f"{r.status}{was}"
                    if new is None and target is not None:
                        text = f"closed, replaced by {r.status}{was}"
                    emit(r.start, do, key, text, where, r.status if new is not None else None)
                if todo:
                    status[key] = new
                    if new is not None:
                        label[key] = r.status
            prev = r
        if prev is not None and file_end is not None and prev.end < file_end:
            leaves_system(prev)
        for key, kind, what in (
            ("emb", "embassy", "mission"),
            ("lia", "liaison_office", "liaison office or interests section"),
        ):
            if key in used:
                channels.append(
                    {
                        "id": ids[key],
                        "kind": kind,
                        "ends": [f"{usa.id}.MFA", f"{st.id}.MFA"],
                        "latency": EMBASSY_LATENCY,
                        "name": f"{usa.id} {what} in {st.id}",
                    }
                )
    if not rows:
        raise BackchannelError(f"{path}: no usable rows")
    actors.sort(key=lambda a: a["id"])
    channels.sort(key=lambda c: c["id"])
    events.sort(key=event_order)
    doc: dict[str, Any] = {
        "scenario": "us-missions",
        "title": "US diplomatic missions abroad (US Diplomatic Mission Status v0.1)",
        "description": (
            f"Imported from {src} ({US_URL}; CC BY 4.0), built from the Office of the "
            "Historian's records. Embassy and legation = active; non-resident "
            "accreditation and consulate = restricted; liaison office = active and "
            "interests section = restricted (channel lia-USA-X); None = closed. See "
            "docs/world.md."
        ),
        "actors": actors,
        "channels": channels,
        "events": events,
    }
    stats.update(
        actors=len(actors),
        channels=len(channels),
        events=len(events),
        rows_rejected=len({(p.file, p.line) for p in problems}),
    )
    comments = [
        "Generated by `backchannel import us-missions`; edit the importer or the code map, "
        "not this file.",
        f"Source: {path.name} (Kenkel, US Diplomatic Mission Status v0.1, CC BY 4.0).",
    ]
    return WorldImport(doc, problems, dict(stats), comments)
