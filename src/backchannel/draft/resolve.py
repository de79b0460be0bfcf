"""Names in a text to scenario ids: actors, offices, holders, channels and frameworks.

Every id, name and ``aliases`` entry of the scenario becomes a phrase of word tokens;
a sentence is scanned for the longest phrases. Names written in capitals in the scenario
(``NATO``, ``US``, ``CGS``) match only in capitals, so "us" is never the United States.
A holder's name (and a holder's surname alone, when no other holder has it) stands for
the office, and through it the actor, on the event's date. Channels are also found by
their kind and their ends ("Russia's mission to NATO"): see :meth:`Resolver.channels_for`.

>>> import backchannel
>>> r = Resolver.for_scenario(backchannel.load("example"))
>>> [(m.text, m.refs[0].id) for m in r.scan(tokens(normalise("State A closed the chiefs-line.")),
...     "State A closed the chiefs-line.", 0)]
[('State A', 'AAA'), ('chiefs-line', 'chiefs-line')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar
from weakref import WeakKeyDictionary

from ..core.dates import PartialDate
from ..core.lifecycle import ChannelState, Refused, apply
from ..core.model import ChannelKind, Event, EventType
from ..record.scenario import Scenario
from .text import Token, normalise, tokens

__all__ = ["KIND_NOUNS", "Mention", "Ref", "Resolver"]


@dataclass(frozen=True, slots=True)
class Ref:
    """One thing of the scenario a phrase can name."""

    kind: str  # actor, office, person, channel, framework
    id: str  # the id (for a person: the office held)
    actor: str | None  # the actor it belongs to (an actor: itself)
    since: int | None = None  # a person: holding the office from this day
    until: int | None = None  # ... to this day (exclusive)


@dataclass(slots=True)
class Mention:
    """A phrase of a sentence that names one or more things of the scenario."""

    refs: tuple[Ref, ...]
    i: int  # first token (index into the sentence's tokens)
    j: int  # one past the last token
    start: int  # span in the text
    end: int
    text: str
    possessive: bool = False

    @property
    def kind(self) -> str:
        """The kind of the first ref (all refs of a mention share a kind)."""
        return self.refs[0].kind

    def actors(self, day: int | None = None) -> set[str]:
        """The actors this mention stands for (persons: those holding office at ``day``)."""
        refs = self.refs
        if day is not None and refs[0].kind == "person":
            held = [
                r
                for r in refs
                if (r.since is None or r.since <= day) and (r.until is None or day < r.until)
            ]
            refs = tuple(held) or refs
        return {r.actor for r in refs if r.actor}


# Nouns that name a kind of channel (longest first when scanning).
KIND_NOUNS: dict[tuple[str, ...], frozenset[ChannelKind]] = {}


def _kinds(words: Iterable[str], *kinds: ChannelKind) -> None:
    for w in words:
        KIND_NOUNS[tuple(w.split())] = frozenset(kinds)


_kinds(["embassy", "embassies", "consulate", "consulates", "high commission"], ChannelKind.embassy)
_kinds(
    ["mission", "missions", "permanent mission", "delegation", "permanent representation"],
    ChannelKind.permanent_mission,
)
_kinds(
    [
        "liaison office",
        "liaison offices",
        "liaison mission",
        "military liaison mission",
        "liaison officers",
        "liaison officer",
        "liaison",
    ],
    ChannelKind.liaison_office,
)
_kinds(
    ["information office", "information bureau", "information centre", "information center"],
    ChannelKind.information_office,
)
_kinds(
    [
        "hotline",
        "hotlines",
        "hot line",
        "hot lines",
        "direct line",
        "line",
        "lines",
        "communication line",
        "communication lines",
        "communications lines",
        "communication channels",
        "communication channel",
        "telephone line",
        "phone line",
        "military line",
        "military lines",
    ],
    ChannelKind.hotline,
)
_kinds(["council"], ChannelKind.council)
_kinds(["format"], ChannelKind.format)
_kinds(["dialogue", "dialog"], ChannelKind.dialogue)
_MAX_KIND = max(len(k) for k in KIND_NOUNS)

_RESIDENT = {
    ChannelKind.embassy,
    ChannelKind.permanent_mission,
    ChannelKind.liaison_office,
    ChannelKind.information_office,
}
_MILITARY = re.compile(r"defen[cs]e|military|general staff|armed forces|army|joint chiefs", re.I)


def _variants(name: str) -> list[str]:
    """A name as texts write it: without parentheses, with a leading "the" dropped, and
    its acronym in parentheses (``NATO–Russia Council (NRC)`` → also ``NRC``)."""
    out = [name]
    bare = re.sub(r"\s*\([^)]*\)", "", name).strip()
    if bare and bare != name:
        out.append(bare)
    for inner in re.findall(r"\(([^)]*)\)", name):
        if re.fullmatch(r"[A-Z][A-Z0-9&.\-]{1,9}", inner.strip()):
            out.append(inner.strip())
    more = []
    for v in out:
        if v.lower().startswith("the "):
            more.append(v[4:])
    return out + more


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(t.text for t in tokens(normalise(phrase)))


def _caps(phrase: str) -> bool:
    letters = [c for c in phrase if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 5


class Resolver:
    """The names of one scenario, indexed for scanning texts (built once per scenario)."""

    _cache: ClassVar[WeakKeyDictionary[Scenario, Resolver]] = WeakKeyDictionary()

    @classmethod
    def for_scenario(cls, sc: Scenario) -> Resolver:
        """The resolver of ``sc`` (cached on the scenario)."""
        r = cls._cache.get(sc)
        if r is None:
            r = cls(sc)
            cls._cache[sc] = r
        return r

    def __init__(self, sc: Scenario) -> None:
        """Index every name of ``sc``."""
        self.sc = sc
        self.index: dict[tuple[str, ...], list[Ref]] = {}
        self.exact: dict[tuple[str, ...], set[str]] = {}  # phrases that must match in capitals
        self.office_actor = {o: self.sc.offices[o].actor for o in self.sc.offices}
        doc = sc.doc
        actor_names: dict[str, list[str]] = {}
        for a in doc.actors:
            names = [a.id, *_variants(a.name), *a.aliases]
            actor_names[a.id] = names
            for n in names:
                self._add(n, Ref("actor", a.id, a.id))
        for a in doc.actors:
            for o in a.offices:
                own = [*o.aliases]
                for n in own:
                    self._add(n, Ref("office", o.id, a.id))
                for base in [*_variants(o.name), *o.aliases]:
                    if _caps(base):
                        continue
                    for an in actor_names[a.id]:
                        self._add(f"{an} {base}", Ref("office", o.id, a.id))
                        self._add(f"{an}'s {base}", Ref("office", o.id, a.id))
                for h in o.holders:
                    since = h.from_.ordinal if h.from_ else None
                    until = h.to.ordinal if h.to else None
                    name = re.sub(r"\s*\([^)]*\)", "", h.name).strip()
                    ref = Ref("person", o.id, a.id, since, until)
                    self._add(name, ref)
                    surname = name.split()[-1] if name.split() else ""
                    if len(surname) > 2:
                        self._add(surname, ref, surname=True)
        self.events_on: dict[str, list[Event]] = {}
        for e in doc.events:
            if e.target is not None:
                self.events_on.setdefault(e.target, []).append(e)
        self.channel_owner: dict[str, str | None] = {}
        self.channel_actors: dict[str, set[str]] = {}
        for c in doc.channels:
            for n in [c.id, *(_variants(c.name) if c.name else []), *c.aliases]:
                self._add(n, Ref("channel", c.id, None))
            self.channel_actors[c.id] = {self.office_actor[e] for e in c.ends}
        for f in doc.frameworks:
            for n in [f.id, *_variants(f.name), *f.aliases]:
                self._add(n, Ref("framework", f.id, None))
        # surnames that several holders share name nobody
        for key, refs in list(self.index.items()):
            if len({(r.kind, r.id) for r in refs if r.kind == "person"}) > 1 and len(key) == 1:
                self.index[key] = [r for r in refs if r.kind != "person"]
                if not self.index[key]:
                    del self.index[key]
        self.max_len = max((len(k) for k in self.index), default=1)
        # lengths of the phrases that start with each word, longest first
        first: dict[str, set[int]] = {}
        for key in self.index:
            first.setdefault(key[0], set()).add(len(key))
        self.first = {w: sorted(ns, reverse=True) for w, ns in first.items()}
        for c in doc.channels:
            self.channel_owner[c.id] = self._owner(c.name or "", self.channel_actors[c.id])

    def _add(self, phrase: str, ref: Ref, surname: bool = False) -> None:
        key = _key(phrase)
        if not key:
            return
        refs = self.index.setdefault(key, [])
        if ref not in refs:
            refs.append(ref)
        if _caps(phrase) or surname:
            self.exact.setdefault(key, set()).add(phrase if not surname else phrase[:1])

    def _owner(self, name: str, ends: set[str]) -> str | None:
        """The actor a resident channel belongs to: the first of its actors its name gives."""
        for m in self.scan(tokens(normalise(name)), name, 0, only="actor"):
            for r in m.refs:
                if r.kind == "actor" and r.actor in ends:
                    return r.actor
        return None

    # -- scanning ----------------------------------------------------------------------
    def scan(
        self, toks: list[Token], text: str, base: int, only: str | None = None
    ) -> list[Mention]:
        """Longest names in a run of tokens; ``text[t.start - base]`` is a token's original.

        ``only``: names of that kind alone (``"actor"``)."""
        out: list[Mention] = []
        k = 0
        n = len(toks)
        words = [t.text for t in toks]
        while k < n:
            hit = None
            for size in self.first.get(words[k], ()):
                if size > n - k:
                    continue
                key = tuple(words[k : k + size])
                refs = self.index.get(key)
                if refs is not None and only is not None:
                    refs = [r for r in refs if r.kind == only] or None
                if refs is None:
                    continue
                original = text[toks[k].start - base : toks[k + size - 1].end - base]
                need = self.exact.get(key)
                if need and not self._exact_ok(original, need, refs):
                    continue
                hit = (size, refs, original)
                break
            if hit is None:
                k += 1
                continue
            size, refs, original = hit
            poss = k + size < n and toks[k + size].text == "'s"
            if not poss and original.endswith("'") and k + size < n:
                poss = False
            out.append(
                Mention(
                    tuple(refs),
                    k,
                    k + size,
                    toks[k].start,
                    toks[k + size - 1].end,
                    original,
                    poss,
                )
            )
            k += size
        return out

    @staticmethod
    def _exact_ok(original: str, need: set[str], refs: list[Ref]) -> bool:
        flat = original.translate({0x2019: "'", 0x2013: "-"})
        for want in need:
            if len(want) == 1:  # a surname: capitalised in the text
                if flat[:1].isupper():
                    return True
            elif flat == want.translate({0x2019: "'", 0x2013: "-"}):
                return True
        return False

    # -- channels by kind and ends -----------------------------------------------------
    def channels_for(
        self,
        kinds: frozenset[ChannelKind],
        owner: str | None,
        others: set[str],
        context: set[str],
        day: int | None,
        do: EventType | None,
        military: bool = False,
    ) -> list[str]:
        """Channels of ``kinds`` that belong to ``owner`` (or have it as an end) and have
        each of ``others`` as an end; those the event can apply to at ``day``; among
        several, those whose actors the sentence names (``context``)."""
        out = []
        for c in self.sc.doc.channels:
            if c.kind not in kinds:
                continue
            actors = self.channel_actors[c.id]
            if owner is not None:
                if owner not in actors:
                    continue
                own = self.channel_owner.get(c.id)
                if c.kind in _RESIDENT and own is not None and own != owner:
                    continue
            if not others <= actors:
                continue
            if military and not all(
                _MILITARY.search(self.sc.offices[e].name)
                or self.sc.offices[e].rank == "military_chief"
                for e in c.ends
            ):
                continue
            out.append(c.id)
        if len(out) > 1 and day is not None and do is not None:
            feasible = [c for c in out if self.feasible(c, do, day)]
            out = feasible or out
        if len(out) > 1 and context:
            score = {c: len(self.channel_actors[c] & context) for c in out}
            best = max(score.values())
            out = [c for c in out if score[c] == best]
        return out

    def feasible(self, channel: str, do: EventType, day: int) -> bool:
        """Whether the record lets ``do`` happen to ``channel`` on ``day``."""
        state = self.sc.timeline.state(channel, day - 1)
        if do is EventType.restore and state.status is not None:
            # reopening a closed post is an `open`; either way the channel exists
            return True
        return _allowed(state, do, channel, day)

    def state_before(self, channel: str, day: int) -> ChannelState:
        """The channel's state on the day before ``day``."""
        return self.sc.timeline.state(channel, day - 1)


def _allowed(state: ChannelState, do: EventType, channel: str, day: int) -> bool:
    try:
        apply(
            state,
            Event(date=PartialDate(dt.date.fromordinal(day), "day"), do=do, channel=channel),
        )
    except Refused:
        return False
    return True
