"""Draft events from an article: `backchannel draft` (DESIGN.md, "Drafting events from text").

The package reads a news report or statement (plain text or HTML), finds the sentences
that tell of a move on a channel, a framework, a membership or an office, resolves the
names against a scenario, and proposes events for a person to review. It never edits the
scenario, downloads nothing and gives the same answer every time.

Modules: :mod:`.text` (reading, HTML, sentences, tokens, spans), :mod:`.lexicon` (cue words
and what makes a statement not an event), :mod:`.resolve` (names to scenario ids),
:mod:`.dates` (explicit and relative dates), :mod:`.grammar` (the event rules) and
:mod:`.result` (candidates and their YAML and JSON forms).

>>> import backchannel
>>> sc = backchannel.load("example")
>>> d = draft_text("On Tuesday State B suspended the chiefs-line.", sc, published="2020-06-10")
>>> [(c.do, c.target, c.by, c.date) for c in d.candidates]
[('suspend', ('channel', 'chiefs-line'), 'BBB', '2020-06-09')]
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..core.dates import parse_date
from ..core.errors import BackchannelError
from ..record.scenario import Scenario
from .grammar import Grammar
from .result import Candidate, Draft, Note
from .text import Article, article_from_text, read_article

__all__ = ["Candidate", "Draft", "Note", "draft_article", "draft_file", "draft_text"]


def _published(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        d = parse_date(value)
    except ValueError as exc:
        raise BackchannelError(f"--published: {exc}") from None
    if d.precision != "day":
        raise BackchannelError(f"--published: give a day (YYYY-MM-DD), not {value!r}")
    return d.day


def draft_article(
    art: Article,
    sc: Scenario,
    published: object = None,
    url: str | None = None,
    title: str | None = None,
) -> Draft:
    """Draft events from an article already read."""
    pub = _published(published)
    cands, unresolved, skipped = Grammar(sc, pub).run(art)
    return Draft(
        cands,
        unresolved,
        skipped,
        sc.name,
        pub.isoformat() if pub else None,
        url,
        title or art.title,
    )


def draft_text(
    text: str,
    sc: Scenario,
    published: object = None,
    url: str | None = None,
    title: str | None = None,
) -> Draft:
    """Draft events from text (plain or HTML) against a scenario."""
    return draft_article(article_from_text(text), sc, published, url, title)


def draft_file(
    path: str | Path,
    sc: Scenario,
    published: object = None,
    url: str | None = None,
    title: str | None = None,
) -> Draft:
    """Draft events from a file; a missing, empty or binary file is a :class:`BackchannelError`."""
    return draft_article(read_article(path), sc, published, url, title)
