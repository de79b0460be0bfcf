"""The concepts of a scenario as typed classes (DESIGN.md, "Concepts").

These are pydantic models: the scenario loader validates a YAML document against them,
and every other layer reads them. They hold what the file says; what follows from it over
time (status at a date, dormancy, spans) lives in :mod:`backchannel.record.timeline`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from .dates import PartialDate, parse_date, parse_duration

__all__ = [
    "CHANNEL_EVENTS",
    "DEFAULT_BUDGET_S",
    "USE_EVENTS",
    "Actor",
    "ActorKind",
    "Channel",
    "ChannelKind",
    "Defaults",
    "Event",
    "EventType",
    "Framework",
    "Holder",
    "Influence",
    "Member",
    "Office",
    "Question",
    "Rank",
    "ScenarioDoc",
    "Schedule",
    "Source",
    "Status",
    "Watch",
]


def _date(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    return parse_date(value)


def _duration(value: Any) -> int:
    return parse_duration(value)


Date = Annotated[PartialDate, BeforeValidator(_date), PlainSerializer(str, return_type=str)]
Duration = Annotated[int, BeforeValidator(_duration)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Rank(StrEnum):
    """How senior an office is; ordered from the top."""

    head_of_state = "head_of_state"
    head_of_government = "head_of_government"
    head_of_organisation = "head_of_organisation"
    minister = "minister"
    military_chief = "military_chief"
    ambassador = "ambassador"
    official = "official"

    @property
    def order(self) -> int:
        """0 for the most senior rank; larger is more junior."""
        return _RANK_ORDER[self]


_RANK_ORDER = {r: i for i, r in enumerate(Rank)}
# head_of_government and head_of_organisation stand level with head_of_state for "at least".
_RANK_ORDER[Rank.head_of_government] = 0
_RANK_ORDER[Rank.head_of_organisation] = 0
_RANK_ORDER[Rank.minister] = 1
_RANK_ORDER[Rank.military_chief] = 1
_RANK_ORDER[Rank.ambassador] = 2
_RANK_ORDER[Rank.official] = 3


class ActorKind(StrEnum):
    """What sort of actor: a state, an alliance or an international organisation."""

    state = "state"
    alliance = "alliance"
    organisation = "organisation"


class ChannelKind(StrEnum):
    """The standing means of communication a channel is."""

    embassy = "embassy"
    permanent_mission = "permanent_mission"
    liaison_office = "liaison_office"
    information_office = "information_office"
    hotline = "hotline"
    council = "council"
    format = "format"  # type: ignore[assignment]  # a member named like str.format
    dialogue = "dialogue"
    meeting_venue = "meeting_venue"

    @property
    def resident(self) -> bool:
        """Embassies, missions and offices: staffed posts, untracked unless they say so."""
        return self in _RESIDENT


_RESIDENT = {
    ChannelKind.embassy,
    ChannelKind.permanent_mission,
    ChannelKind.liaison_office,
    ChannelKind.information_office,
}


class Status(StrEnum):
    """De jure status of a channel in its lifecycle."""

    active = "active"
    restricted = "restricted"
    suspended = "suspended"
    closed = "closed"

    @property
    def usable(self) -> bool:
        """Active and restricted channels carry messages; suspended and closed do not."""
        return self in (Status.active, Status.restricted)


class EventType(StrEnum):
    """Every kind of event a scenario can record."""

    open = "open"
    restrict = "restrict"
    expel = "expel"
    suspend = "suspend"
    restore = "restore"
    close = "close"
    meet = "meet"
    call = "call"
    sign = "sign"
    withdraw = "withdraw"
    join = "join"  # type: ignore[assignment]  # a member named like str.join
    leave = "leave"
    appoint = "appoint"
    note = "note"


CHANNEL_EVENTS = frozenset(
    {
        EventType.open,
        EventType.restrict,
        EventType.expel,
        EventType.suspend,
        EventType.restore,
        EventType.close,
        EventType.meet,
        EventType.call,
    }
)
USE_EVENTS = frozenset({EventType.meet, EventType.call})

#: how fast contact must be when a watch (or a question) does not say: one hour
DEFAULT_BUDGET_S = 3600


class Source(_Strict):
    """Where a fact comes from."""

    title: str
    url: str | None = None
    published: Date | None = None


class _Spell(_Strict):
    """Something true from a date (inclusive) to another (exclusive), with its sources."""

    from_: Date | None = Field(default=None, alias="from")
    to: Date | None = None
    source: Source | None = None
    see_also: list[Source] = Field(default_factory=list)  # further sources of the same fact
    note: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Holder(_Spell):
    """A person holding an office from a date (until the next holder, or `to`)."""

    name: str


class Office(_Strict):
    """A post inside an actor, with a rank and holders over time."""

    id: str
    name: str
    rank: Rank
    reports_to: str | None = None
    also: list[str] = Field(default_factory=list)
    holders: list[Holder] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)  # other names texts use (`draft`)
    note: str | None = None
    actor: str = ""  # filled in by the loader from the enclosing actor
    line: int | None = None  # filled in by the loader


class Member(_Spell):
    """An actor's membership of an alliance or organisation between two dates."""

    actor: str


def _member(value: Any) -> Any:
    return {"actor": value} if isinstance(value, str) else value


class Actor(_Strict):
    """A state, an alliance or an international organisation."""

    id: str
    kind: ActorKind
    name: str
    offices: list[Office] = Field(default_factory=list)
    members: list[Annotated[Member, BeforeValidator(_member)]] = Field(default_factory=list)
    head: str | None = None
    internal_latency: Duration | None = None
    membership_latency: Duration | None = None
    aliases: list[str] = Field(default_factory=list)  # other names texts use (`draft`)
    note: str | None = None
    line: int | None = None


class Schedule(_Spell):
    """Routine use of a channel (format v1.1): used every ``every`` from ``from`` to ``to``
    (inclusive; open-ended without ``to``), on the grid days when it is de jure open."""

    every: Duration = Field(gt=0)


class Channel(_Strict):
    """A standing means of communication between two or more offices."""

    id: str
    kind: ChannelKind
    ends: list[str] = Field(min_length=2)
    latency: Duration
    level: Rank | None = None
    name: str | None = None
    staff: int | None = Field(default=None, ge=0)
    cap: int | None = Field(default=None, ge=0)
    tracked: bool = False
    uses: list[Schedule] = Field(default_factory=list)  # scheduled use (v1.1)
    aliases: list[str] = Field(default_factory=list)  # other names texts use (`draft`)
    note: str | None = None
    source: Source | None = None
    see_also: list[Source] = Field(default_factory=list)  # further sources of the same fact
    line: int | None = None


class Framework(_Strict):
    """A treaty or agreement between parties; it can enable channels."""

    id: str
    name: str
    parties: list[str] = Field(default_factory=list)
    enables: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)  # other names texts use (`draft`)
    note: str | None = None
    source: Source | None = None
    see_also: list[Source] = Field(default_factory=list)  # further sources of the same fact
    line: int | None = None


class Influence(_Strict):
    """A judged weight (0–1) of a principal over an agent, with what it rests on."""

    principal: str
    agent: str
    weight: float = Field(ge=0.0, le=1.0)
    note: str | None = None
    source: Source | None = None
    see_also: list[Source] = Field(default_factory=list)  # further sources of the same fact
    line: int | None = None


class Watch(_Strict):
    """A pair of offices or actors, with a budget and a redundancy floor."""

    between: list[str] = Field(min_length=2, max_length=2)
    budget: Duration = DEFAULT_BUDGET_S
    floor: int = Field(default=2, ge=1)
    min_level: Rank | None = None  # v1.1: material when the pair's level crosses it
    name: str | None = None
    line: int | None = None

    @property
    def label(self) -> str:
        """The pair as people write it: ``RUS.CGS ↔ NATO.SACEUR``."""
        return self.name or f"{self.between[0]} ↔ {self.between[1]}"


class Defaults(_Strict):
    """Scenario-wide settings; every one has the DESIGN.md default."""

    dormancy: Duration = 365 * 86400
    reports_to_latency: Duration = 3600
    membership_latency: Duration = 6 * 3600


class Event(_Strict):
    """A dated, sourced change or use."""

    date: Date
    do: EventType
    id: str | None = None
    by: str | None = None
    channel: str | None = None
    framework: str | None = None
    office: str | None = None
    actor: str | None = None
    org: str | None = None
    holder: str | None = None
    count: int | None = Field(default=None, ge=0)
    cap: int | None = Field(default=None, ge=0)
    level: Rank | None = None  # v1.1: restrict, expel, restore
    answered: bool = True  # v1.1: call, meet; false: an unanswered attempt
    group: str | None = None  # v1.1: a package of moves judged together
    # the level of representation in the record's own words, on channel events (imports)
    representation: str | None = None
    source: Source | None = None
    see_also: list[Source] = Field(default_factory=list)  # further sources of the same fact
    note: str | None = None
    line: int | None = None
    seq: int = 0  # position in file order, set by the loader

    @property
    def target(self) -> str | None:
        """The id the event acts on (channel, framework, office or actor)."""
        return self.channel or self.framework or self.office or self.actor

    @property
    def key(self) -> tuple[int, int]:
        """Sort key: date (first day of its period), then file order."""
        return (self.date.ordinal, self.seq)


class Question(_Strict):
    """What the scenario asks (v1.1): the report answers it first, for a package of events
    (a ``group`` or a list of event ids) judged at ``at``."""

    text: str
    at: Date | None = None
    group: str | None = None
    events: list[str] = Field(default_factory=list)


class ScenarioDoc(_Strict):
    """A whole scenario file (format v1.1; every v1 file is one)."""

    scenario: str
    title: str
    description: str | None = None
    question: Question | None = None
    defaults: Defaults = Field(default_factory=Defaults)
    actors: list[Actor] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)
    frameworks: list[Framework] = Field(default_factory=list)
    influence: list[Influence] = Field(default_factory=list)
    sides: dict[str, list[str]] = Field(default_factory=dict)
    watch: list[Watch] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
