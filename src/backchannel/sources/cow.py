"""Correlates of War Diplomatic Exchange (v2006.1) and State System Membership in.

The exchange file is a directed dyad-year table: ``ccode1, ccode2, year, DR_at_1,
DR_at_2, DE, version``. Its codebook defines ``DR_at_1`` as *the level of representation
of side 2 at side 1* (state 2's mission in state 1's capital) and ``DR_at_2`` as *the
level of representation of side 1 at side 2* (state 1's mission in state 2's capital).
So row ``(A, B)`` says, in ``DR_at_2``, what A keeps in B, and in ``DR_at_1``, what B
keeps in A; the mirror row ``(B, A)`` says the same again, and the two are checked
against each other.

Every sending state and receiving state with any representation in the chosen years get
one embassy channel ``emb-S-R`` (S's mission in R). Each observed year's level becomes a
lifecycle status, and each change from one observed year to the next an event dated to
the year it is first observed (LEVEL_STATUS and :func:`transition` hold the mapping;
docs/world.md explains it). A state leaving the state system closes its missions on the
day after its last day of membership.
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
from .cowcodes import State, StateCodes
from .cowstates import Spell, _int, read_spells
from .rows import header, read_rows
from .worldbuild import EMBASSY_LATENCY, WorldImport, actor_entry, event_order, membership_event

__all__ = [
    "LEVELS",
    "import_cow",
    "level_status",
    "transition",
]

#: COW representation levels (codebook, "DR_at_1 and DR_at_2 variables")
LEVELS: dict[int, str] = {
    0: "none",
    1: "chargé d'affaires",
    2: "minister",
    3: "ambassador",
    9: "other",
}
DIPEX_URL = "https://correlatesofwar.org/data-sets/diplomatic-exchange/"
SYSTEM_URL = "https://correlatesofwar.org/data-sets/state-system-membership/"


def level_status(level: int, year: int) -> str | None:
    """The lifecycle status a level of representation stands for (None: no mission).

    ambassador (3) and minister (2) head a full mission: ``active``. A chargé d'affaires
    (1) is a lowered mission: ``restricted``. ``other`` (9: interests sections, temporary
    closings, consulates) is ``restricted`` too, except in 1950–1965, when the data set
    codes every exchange as 9 without a level (codebook, Note 1): then ``active``.
    """
    if level == 0:
        return None
    if level in (2, 3):
        return "active"
    if level == 9 and 1950 <= year <= 1965:
        return "active"
    return "restricted"


def transition(before: str | None, after: str | None) -> list[str]:
    """The lifecycle events that take a channel from ``before`` to ``after``.

    ``before``/``after`` are statuses (None: no mission, never opened or closed: both
    take ``open``, which the lifecycle allows on a new or a closed channel). A level
    change that keeps the status is recorded as a ``note``.
    """
    if after is None:
        return ["close"] if before is not None else []
    if before is None:
        return ["open"] if after == "active" else ["open", "restrict"]
    if before == after:
        return ["note"]
    return ["restore"] if after == "active" else ["restrict"]


@dataclass(slots=True)
class _Fact:
    level: int
    line: int
    column: str


def _read_exchange(
    path: Path,
    known: set[int],
    first: int | None,
    last: int | None,
    problems: list[Problem],
    stats: dict[str, int],
    progress: OnProgress | None,
) -> tuple[dict[tuple[int, int, int], _Fact], dict[int, set[int]], str]:
    """Representation facts ``(sender, receiver, year) → level`` and who is seen each year."""
    facts: dict[tuple[int, int, int], _Fact] = {}
    rows_seen: dict[tuple[int, int, int], int] = {}
    present: dict[int, set[int]] = defaultdict(set)
    version = ""
    file = str(path)
    cols = [c.strip().strip('"') for c in header(path)]
    expected = ["ccode1", "ccode2", "year", "DR_at_1", "DR_at_2"]
    if cols[:5] != expected:
        raise BackchannelError(
            f"{path}:1: not a COW Diplomatic Exchange file (expected columns "
            f"{', '.join(expected)}, ...; got {shown(', '.join(cols), 200) or 'nothing'})"
        )
    vcol = cols.index("version") if "version" in cols else None
    for line, fields, error in read_rows(path, "exchanges", progress):
        stats["rows"] += 1
        if fields is None:
            problems.append(Problem(file, line, error or "unreadable"))
            continue
        if first is not None or last is not None:  # rows of other years: counted, not read
            try:
                year = int(fields[2])
            except (ValueError, IndexError):
                year = None
            if year is not None and (
                (first is not None and year < first) or (last is not None and year > last)
            ):
                stats["rows_outside_years"] += 1
                continue
        try:
            if len(fields) != len(cols):
                raise ValueError(f"expected {len(cols)} fields, got {len(fields)}")
            c1 = _int(fields[0], "ccode1")
            c2 = _int(fields[1], "ccode2")
            year = _int(fields[2], "year")
            at1 = _int(fields[3], "DR_at_1")
            at2 = _int(fields[4], "DR_at_2")
            for name, level in (("DR_at_1", at1), ("DR_at_2", at2)):
                if level not in LEVELS:
                    raise ValueError(f"{name} {level} is not a level (0, 1, 2, 3 or 9)")
            if c1 == c2:
                raise ValueError(f"ccode1 and ccode2 are the same state ({c1})")
            for name, c in (("ccode1", c1), ("ccode2", c2)):
                if c not in known:
                    raise ValueError(f"{name} {c} is not a state of the state system file")
            if not 1800 <= year <= 2100:
                raise ValueError(f"year {year} is out of range")
        except ValueError as exc:
            problems.append(Problem(file, line, str(exc)))
            continue
        key = (c1, c2, year)
        if key in rows_seen:
            problems.append(
                Problem(file, line, f"duplicate of line {rows_seen[key]} ({c1}, {c2}, {year})")
            )
            continue
        rows_seen[key] = line
        ok = True
        # DR_at_2: side 1's mission at side 2; DR_at_1: side 2's mission at side 1.
        for sender, receiver, level, column in ((c1, c2, at2, "DR_at_2"), (c2, c1, at1, "DR_at_1")):
            fact = facts.get((sender, receiver, year))
            if fact is None:
                facts[(sender, receiver, year)] = _Fact(level, line, column)
            elif fact.level != level:
                problems.append(
                    Problem(
                        file,
                        line,
                        f"{column} {level} (mission of {sender} in {receiver}, {year}) "
                        f"disagrees with {fact.column} {fact.level} on line {fact.line}; "
                        f"kept line {fact.line}",
                    )
                )
                ok = False
        if not ok:
            continue
        stats["rows_imported"] += 1
        present[year].update((c1, c2))
        if not version and vcol is not None:
            try:
                version = f"{float(fields[vcol]):.1f}"
            except ValueError:
                version = fields[vcol].strip()
    return facts, present, version


def import_cow(
    exchange: str | Path,
    states: str | Path,
    first: int | None = None,
    last: int | None = None,
    codes: StateCodes | None = None,
    progress: OnProgress | None = None,
) -> WorldImport:
    """Import COW Diplomatic Exchange rows (years ``first``–``last``) as a scenario.

    ``states`` is the COW state system file (``states2016.csv`` spells, or
    ``system2016.csv`` state-years). Bad rows are returned in ``problems`` with their file
    and line; everything else is imported. Raises :class:`BackchannelError` for a file
    that cannot be read at all.
    """
    exchange, states = Path(exchange), Path(states)
    if first is not None and last is not None and first > last:
        raise BackchannelError(f"first: {first} is after last ({last})", param="first")
    codes = codes or StateCodes.read()
    problems: list[Problem] = []
    stats: dict[str, int] = defaultdict(int)
    spells = read_spells(states, problems, progress)
    if not spells:  # nothing to import into: stop before anything is written
        first_problem = f" ({problems[0]})" if problems else ""
        raise BackchannelError(
            f"{states}: no usable state system rows{first_problem}; nothing imported"
        )
    by_state: dict[int, list[Spell]] = defaultdict(list)
    for sp in spells:
        by_state[sp.ccode].append(sp)
    facts, present, version = _read_exchange(
        exchange, set(by_state), first, last, problems, stats, progress
    )
    years = sorted(present)
    lo = first if first is not None else (years[0] if years else None)
    hi = last if last is not None else (years[-1] if years else None)
    if lo is None or hi is None or not stats["rows_imported"]:
        raise BackchannelError(f"{exchange}: no usable rows in the chosen years")
    period = (dt.date(lo, 1, 1), dt.date(hi, 12, 31))
    dipex = f"COW Diplomatic Exchange v{version or '?'}, {exchange.name}"
    system = f"COW State System Membership, {states.name}"

    in_scope = {
        c
        for c, sps in by_state.items()
        if any(sp.start <= period[1] and (sp.end is None or sp.end >= period[0]) for sp in sps)
    }
    ident: dict[int, State] = {}
    for c in sorted(in_scope):
        sp = by_state[c][0]
        ident[c] = codes.state(c, sp.abb, sp.name)

    actors: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for c in sorted(in_scope, key=lambda c: ident[c].id):
        st = ident[c]
        spans = ", ".join(
            f"{sp.start}–{sp.end or ''}" for sp in sorted(by_state[c], key=lambda s: s.start)
        )
        iso = f"ISO 3166 {st.iso3}" if st.iso3 else "no ISO 3166 code"
        note = f"COW {st.ccode} {st.cow}; {iso}; state system member {spans}"
        actors.append(actor_entry(st.id, by_state[c][0].name, note))
        for sp in by_state[c]:
            if sp.start > period[1] or (sp.end is not None and sp.end < period[0]):
                continue
            start: dt.date | int = sp.start.year if sp.year_precision else sp.start
            events.append(
                membership_event(st.id, start, True, f"COW {st.ccode}", f"{system} line {sp.line}")
            )
            if sp.end is not None and sp.end < period[1]:
                left: dt.date | int = (
                    sp.end.year + 1 if sp.year_precision else (sp.end + dt.timedelta(days=1))
                )
                events.append(
                    membership_event(
                        st.id, left, False, f"last day {sp.end}", f"{system} line {sp.line}"
                    )
                )

    exits: dict[int, list[Spell]] = {
        c: [sp for sp in sps if sp.end is not None] for c, sps in by_state.items()
    }
    channels, channel_events = _channels(
        facts, years, present, exits, ident, period, dipex, system, stats
    )
    events.extend(channel_events)
    events.sort(key=event_order)

    span = f"{lo}" if lo == hi else f"{lo}–{hi}"
    doc: dict[str, Any] = {
        "scenario": "cow-world" if first is None and last is None else f"cow-world-{lo}-{hi}",
        "title": f"Embassies of the world, {span} (Correlates of War Diplomatic Exchange)",
        "description": (
            f"Imported from {dipex} ({DIPEX_URL}) and {system} ({SYSTEM_URL}). "
            "One embassy channel emb-S-R per sending state S and receiving state R; "
            "ambassador or minister = active, chargé d'affaires or other = restricted "
            "(other = active in 1950–1965), none = closed; dates are the year a level is "
            "first observed. See docs/world.md."
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
        years=len(years),
    )
    comments = [
        "Generated by `backchannel import cow`; edit the importer or the code map, not this file.",
        f"Sources: {exchange.name} (Bayer 2006, v{version or '?'}), {states.name} (COW v2016).",
    ]
    return WorldImport(doc, problems, dict(stats), comments)


def _exit_after(
    exits: dict[int, list[Spell]], states: tuple[int, int], after: dt.date, until: dt.date
) -> tuple[dt.date, Spell] | None:
    """The earliest day (after ``after``, up to ``until``) on which one of ``states`` leaves."""
    best: tuple[dt.date, Spell] | None = None
    for c in states:
        for sp in exits.get(c, ()):
            assert sp.end is not None
            gone = (
                dt.date(sp.end.year + 1, 1, 1)
                if sp.year_precision
                else sp.end + dt.timedelta(days=1)
            )
            if after < gone <= until and (best is None or gone < best[0]):
                best = (gone, sp)
    return best


def _channels(
    facts: dict[tuple[int, int, int], _Fact],
    years: list[int],
    present: dict[int, set[int]],
    exits: dict[int, list[Spell]],
    ident: dict[int, State],
    period: tuple[dt.date, dt.date],
    dipex: str,
    system: str,
    stats: dict[str, int],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    pairs = sorted(
        {(s, r) for (s, r, _), f in facts.items() if f.level != 0},
        key=lambda p: (ident[p[0]].id, ident[p[1]].id),
    )
    channels: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for s, r in pairs:
        sid, rid = ident[s].id, ident[r].id
        cid = f"emb-{sid}-{rid}"
        channels.append(
            {
                "id": cid,
                "kind": "embassy",
                "ends": [f"{sid}.MFA", f"{rid}.MFA"],
                "latency": EMBASSY_LATENCY,
                "name": f"{sid} mission in {rid}",
            }
        )
        status: str | None = None
        level = 0
        opened = False

        def emit(
            date: Plain,
            todo: list[str],
            note: str,
            source: str,
            representation: str | None = None,
            cid: str = cid,
        ) -> None:
            for do in todo:
                event = {
                    "date": date,
                    "do": do,
                    "channel": cid,
                    "note": note,
                    "source": {"title": source},
                }
                if representation is not None and do != "close":
                    event["representation"] = representation
                events.append(event)

        for i, year in enumerate(years):
            fact = facts.get((s, r, year))
            if fact is None:
                if s in present[year] and r in present[year]:
                    stats["gaps"] += 1  # both states observed, dyad row missing: no change
                    continue
                if status is not None:  # a state out of the system, exit not in the file
                    emit(
                        Plain(str(year)),
                        ["close"],
                        f"level 0 none (was {level} {LEVELS[level]}): no row in {year}",
                        f"{dipex}, no row for ({s}, {r}) in {year}",
                    )
                    status, level = None, 0
                continue
            new = level_status(fact.level, year)
            todo = transition(status, new)
            if todo and not (todo == ["note"] and fact.level == level):
                was = f" (was {level} {LEVELS[level]})" if opened else ""
                emit(
                    Plain(str(year)),
                    todo,
                    f"level {fact.level} {LEVELS[fact.level]}{was}",
                    f"{dipex} line {fact.line} {fact.column}",
                    LEVELS[fact.level] if fact.level != 0 else None,
                )
                opened = opened or "open" in todo
                status, level = new, fact.level
            elif new is None:
                level = 0
            # a state leaving the system before the next observation closes the mission
            if status is not None:
                nxt = dt.date(years[i + 1], 1, 1) if i + 1 < len(years) else period[1]
                gone = _exit_after(exits, (s, r), dt.date(year, 1, 1), nxt)
                if gone is not None:
                    day, sp = gone
                    who = ident[sp.ccode].id
                    emit(
                        Plain(day.isoformat()),
                        ["close"],
                        f"level 0 none (was {level} {LEVELS[level]}): {who} leaves the "
                        f"state system",
                        f"{system} line {sp.line}",
                    )
                    status, level = None, 0
    return channels, events
