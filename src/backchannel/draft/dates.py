"""Dates in a text: explicit ones, and relative ones resolved against the published date.

Explicit: ``2021-10-06``, ``6 October 2021``, ``October 6``, ``Oct. 6``, ``March 2018``,
``in 2014``. Relative to the published day: ``today``, ``yesterday``, ``on Monday`` (the
latest Monday on or before it; the next one in a sentence about the future), ``last
week`` / ``last month`` / ``last year``, ``earlier this month``, ``seven years ago``. A
day without a year takes the published year, or the year before when that would put it
more than a week after publication. Vague ones ("a few years ago", "recently") are found
so that the date is known to be vague, but give no date.

>>> pub = dt.date(2021, 10, 21)
>>> hits = find_dates("NATO acted on Oct. 6; the ties were cut seven years ago.", pub)
>>> [(h.text, str(h.date)) for h in hits]
[('on Oct. 6', '2021-10-06'), ('seven years ago', '2014')]
>>> [str(h.date) for h in find_dates("Lavrov said on Monday that it would close.", pub)]
['2021-10-18']
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..core.dates import PartialDate
from .lexicon import number_value

__all__ = ["DateHit", "find_dates"]


@dataclass(frozen=True, slots=True)
class DateHit:
    """A date found in a text: where, what it says, and what day or period it gives."""

    start: int
    end: int
    text: str
    date: PartialDate | None  # None: vague, or relative without a published date
    exact: bool = True  # False: only roughly (a week, "a few weeks ago")
    effective: bool = False  # "from 1 November", "as of": when a move takes effect


_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MON = (
    r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_WD = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_LEAD = (
    r"(?P<lead>(?:\b(?:on|from|since|as of|starting|effective|until|by|in|early|late|mid-?)\s+)?"
    r"(?:the\s+)?)"
)
_NUM = (
    r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|a few|several|some|a couple of)"
)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(_LEAD + r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    (
        "dmy",
        re.compile(
            _LEAD
            + _WD
            + r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
            + _MON
            + r"(?:,?\s+(?P<y>\d{4}))?\b"
        ),
    ),
    (
        "mdy",
        re.compile(
            _LEAD
            + _WD
            + r"\b"
            + _MON
            + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{4})\b)?"
        ),
    ),
    ("my", re.compile(_LEAD + r"\b" + _MON + r"\s+(?:of\s+)?(?P<y>\d{4})\b")),
    (
        "year",
        re.compile(
            r"(?P<lead>\b(?:in|during|early|late|mid-?|by|since|from|of)\s+(?:the\s+(?:spring|summer|autumn|fall|winter)\s+of\s+)?)(?P<y>(?:19|20)\d{2})\b(?!\s*[-–]\s*\d)"
        ),
    ),
    (
        "ago",
        re.compile(r"(?P<lead>)\b" + _NUM + r"\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.I),
    ),
    (
        "last",
        re.compile(
            r"(?P<lead>)\b(?P<which>last|this|earlier\s+this|later\s+this|past|previous)\s+(?P<unit>week|month|year)\b",
            re.I,
        ),
    ),
    (
        "yesterday",
        re.compile(
            r"(?P<lead>)\b(?:yesterday|today|tonight|this morning|this afternoon|this evening|"
            r"earlier today)\b",
            re.I,
        ),
    ),
    (
        "weekday",
        re.compile(
            r"(?P<lead>\b(?:on|last|this|next|from|since|until)\s+)?\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
        ),
    ),
    (
        "vague",
        re.compile(
            r"(?P<lead>)\b(?:recently|lately|in recent (?:days|weeks|months|years)|some time ago|"
            r"at some point|earlier)\b",
            re.I,
        ),
    ),
]
_EFFECTIVE = re.compile(r"\b(?:from|as of|starting|effective)\s", re.I)


def _year_for(month: int, day: int, pub: dt.date | None, future: bool) -> int | None:
    if pub is None:
        return None
    try:
        d = dt.date(pub.year, month, day)
    except ValueError:
        return pub.year
    if not future and d > pub + dt.timedelta(days=7):
        return pub.year - 1
    return pub.year


def find_dates(text: str, published: dt.date | None, future: bool = False) -> list[DateHit]:
    """Every date expression in ``text``, in order, none overlapping another.

    ``future``: the sentence speaks of what will happen (a bare weekday is the next one).
    """
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(text):
            a, b = m.start(), m.end()
            if any(a < y and x < b for x, y in taken):
                continue
            hit = _hit(kind, m, published, future)
            if hit is None:
                continue
            hits.append(hit)
            taken.append((a, b))
    return sorted(hits, key=lambda h: h.start)


def _hit(kind: str, m: re.Match[str], pub: dt.date | None, future: bool) -> DateHit | None:
    g = m.groupdict()
    lead = g.get("lead") or ""
    a = m.start() + (0 if lead.strip() else len(lead))
    text = m.group()[a - m.start() :].strip()
    eff = bool(_EFFECTIVE.match(lead))
    date: PartialDate | None = None
    exact = True

    def made(d: PartialDate | None, ok: bool = True) -> DateHit:
        return DateHit(a, m.end(), text, d, ok, eff)

    try:
        if kind == "iso":
            date = PartialDate(dt.date(int(g["y"]), int(g["m"]), int(g["d"])), "day")
        elif kind in ("dmy", "mdy"):
            mon = _MONTHS[g["mon"].lower().rstrip(".")]
            day = int(g["d"])
            year = int(g["y"]) if g.get("y") else _year_for(mon, day, pub, future)
            if year is None:
                return made(None)
            date = PartialDate(dt.date(year, mon, day), "day")
        elif kind == "my":
            if g["mon"] == "may":
                return None
            date = PartialDate(
                dt.date(int(g["y"]), _MONTHS[g["mon"].lower().rstrip(".")], 1), "month"
            )
        elif kind == "year":
            date = PartialDate(dt.date(int(g["y"]), 1, 1), "year")
        elif kind == "ago":
            n = number_value(g["n"].lower())
            if n is None:
                return made(None)  # "a few years ago": vague
            if pub is None:
                return made(None)
            unit = g["unit"].lower()
            if unit == "day":
                date = PartialDate(pub - dt.timedelta(days=n), "day")
            elif unit == "week":
                date, exact = PartialDate(pub - dt.timedelta(days=7 * n), "day"), False
            elif unit == "month":
                y, mo = divmod(pub.year * 12 + pub.month - 1 - n, 12)
                date = PartialDate(dt.date(y, mo + 1, 1), "month")
            else:
                date = PartialDate(dt.date(pub.year - n, 1, 1), "year")
        elif kind == "last":
            if pub is None:
                return made(None)
            which = " ".join(g["which"].lower().split())
            unit = g["unit"].lower()
            back = which in ("last", "past", "previous")
            if unit == "week":
                monday = pub - dt.timedelta(days=pub.weekday() + (7 if back else 0))
                sunday = monday + dt.timedelta(days=6)
                if monday.month == sunday.month:
                    date = PartialDate(monday.replace(day=1), "month")
                else:
                    date, exact = PartialDate(monday, "day"), False
            elif unit == "month":
                y, mo = divmod(pub.year * 12 + pub.month - 1 - (1 if back else 0), 12)
                date = PartialDate(dt.date(y, mo + 1, 1), "month")
            else:
                date = PartialDate(dt.date(pub.year - (1 if back else 0), 1, 1), "year")
        elif kind == "yesterday":
            if pub is None:
                return made(None)
            days_back = 1 if m.group().lower().startswith("yesterday") else 0
            date = PartialDate(pub - dt.timedelta(days=days_back), "day")
        elif kind == "weekday":
            if pub is None:
                return made(None)
            want = _WEEKDAYS.index(g["wd"].lower())
            word = lead.strip().lower()
            if word == "next" or (future and word not in ("last",)):
                delta = (want - pub.weekday()) % 7
                date = PartialDate(pub + dt.timedelta(days=delta), "day")
            else:
                delta = (pub.weekday() - want) % 7
                if word == "last" and delta == 0:
                    delta = 7
                date = PartialDate(pub - dt.timedelta(days=delta), "day")
        elif kind == "vague":
            return made(None)
    except ValueError:
        return None
    return DateHit(a, m.end(), text, date, exact, eff)
