"""The communication graph at a date (DESIGN.md, "Analysis semantics").

Offices are nodes. Links are undirected:

* one per pair of ends of every channel that is active or restricted (latency = the
  channel's latency; ``via`` = the channel id);
* ``reports_to`` inside an actor (latency = the actor's ``internal_latency``, else
  ``defaults.reports_to_latency``, 1h);
* ``membership`` between an alliance's head office and each current member's head of
  government (the office of rank head_of_government, else head_of_state, else the
  member's head office); latency = the alliance's ``membership_latency``, else
  ``defaults.membership_latency``, 6h;
* ``also`` between dual-hatted offices (latency 0).

Only channel links can be cut; the others are *uncuttable*. ``live`` leaves out channels
that are dormant or unresponsive at the date. The graph also holds each usable channel's
level at the date (``levels``; official when none).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..core.dates import iso
from ..core.model import ActorKind, Rank
from ..core.records import Records

if TYPE_CHECKING:
    import igraph as ig

    from ..record.scenario import Scenario

__all__ = [
    "UNCUTTABLE",
    "CommGraph",
    "Link",
    "build_graph",
    "check_channels",
    "graph_from_state",
    "head_of_government",
    "membership_links",
    "static_links",
]

UNCUTTABLE = ("reports_to", "membership", "also")


@dataclass(frozen=True, slots=True)
class Link:
    """One undirected link between two offices.

    ``via`` is a channel id, or ``reports_to``, ``membership`` or ``also``; ``channel``
    is the channel id for channel links and None for the uncuttable ones.
    """

    u: str
    v: str
    latency: int
    via: str
    channel: str | None = None

    @property
    def cuttable(self) -> bool:
        """Only channel links can be cut."""
        return self.channel is not None


@dataclass
class CommGraph:
    """The communication graph at one day: offices and the links between them."""

    day: int
    offices: list[str]
    links: list[Link]
    channels: list[str] = field(default_factory=list)  # the usable channels, file order
    levels: dict[str, Rank] = field(default_factory=dict)  # each channel's level now
    #: the flow network, router and office igraph of this graph, built on first use
    #: (:func:`backchannel.graph.daycache.structures`)
    _structures: Any = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.index = {o: i for i, o in enumerate(self.offices)}

    def channel_links(self) -> list[Link]:
        """Links made by channels (the cuttable ones)."""
        return [lk for lk in self.links if lk.channel is not None]

    def without(self, channels: Iterable[str] = (), max_latency: int | None = None) -> CommGraph:
        """A copy without the given channels and, if set, without channels slower than
        ``max_latency`` (uncuttable links are always kept)."""
        drop = set(channels)
        keep = [
            lk
            for lk in self.links
            if lk.channel is None
            or (lk.channel not in drop and (max_latency is None or lk.latency <= max_latency))
        ]
        chans = sorted({lk.channel for lk in keep if lk.channel}, key=self.channels.index)
        return CommGraph(self.day, self.offices, keep, chans, self.levels)

    def to_igraph(self) -> ig.Graph:
        """An undirected igraph multigraph; edge attributes ``latency``, ``via``, ``channel``."""
        import igraph as ig

        g = ig.Graph(n=len(self.offices), directed=False)
        g.vs["name"] = self.offices
        g.add_edges([(self.index[lk.u], self.index[lk.v]) for lk in self.links])
        g.es["latency"] = [lk.latency for lk in self.links]
        g.es["via"] = [lk.via for lk in self.links]
        g.es["channel"] = [lk.channel for lk in self.links]
        return g

    def to_networkx(self) -> Any:
        """A NetworkX MultiGraph (for notebooks and drawing); keys are ``via``."""
        import networkx as nx

        g = nx.MultiGraph()
        g.add_nodes_from(self.offices)
        for lk in self.links:
            g.add_edge(lk.u, lk.v, key=lk.via, latency=lk.latency, channel=lk.channel)
        return g

    def records(self) -> Records:
        """The links as rows (``u``, ``v``, ``latency_s``, ``via``, ``cuttable``)."""
        return Records(
            {"u": lk.u, "v": lk.v, "latency_s": lk.latency, "via": lk.via, "cuttable": lk.cuttable}
            for lk in self.links
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON form: the date, the offices and the links."""
        return {"at": iso(self.day), "offices": list(self.offices), "links": list(self.records())}


def head_of_government(sc: Scenario, actor: str) -> str | None:
    """The office a membership link reaches: head of government, else head of state,
    else the actor's head office."""
    a = sc.actors[actor]
    for rank in (Rank.head_of_government, Rank.head_of_state):
        for o in a.offices:
            if o.rank is rank:
                return o.id
    return sc.head_office(actor)


def static_links(sc: Scenario) -> list[Link]:
    """The links that do not depend on the date: ``reports_to`` and ``also``."""
    default = sc.doc.defaults.reports_to_latency
    out: list[Link] = []
    seen: set[frozenset[str]] = set()
    for a in sc.doc.actors:
        lat = a.internal_latency if a.internal_latency is not None else default
        for o in a.offices:
            if o.reports_to is not None and o.reports_to != o.id:
                out.append(Link(o.id, o.reports_to, lat, "reports_to"))
    for a in sc.doc.actors:
        for o in a.offices:
            for other in o.also:
                pair = frozenset((o.id, other))
                if other != o.id and pair not in seen:
                    seen.add(pair)
                    out.append(Link(o.id, other, 0, "also"))
    return out


def membership_links(sc: Scenario, members: Iterable[tuple[str, str]]) -> list[Link]:
    """Membership links for ``(organisation, member)`` pairs, in a stable order."""
    default = sc.doc.defaults.membership_latency
    out: list[Link] = []
    for org, member in sorted(set(members)):
        if org not in sc.actors or member not in sc.actors:
            continue
        head = sc.head_office(org)
        hog = head_of_government(sc, member)
        if head is None or hog is None or head == hog:
            continue
        lat = sc.actors[org].membership_latency
        out.append(Link(head, hog, default if lat is None else lat, "membership"))
    return out


def current_members(sc: Scenario, day: int) -> list[tuple[str, str]]:
    """Every ``(organisation, member)`` pair in force at the end of ``day``."""
    orgs = {o for o, _ in sc.timeline.memberships()}
    orgs |= {a.id for a in sc.doc.actors if a.kind is not ActorKind.state}
    return [(org, m) for org in sorted(orgs) for m in sc.timeline.members(org, day)]


def check_channels(sc: Scenario, channels: Iterable[str]) -> list[str]:
    """The channel ids, each checked to exist (a clear error names the unknown one)."""
    out = list(dict.fromkeys(channels))
    for ch in out:
        sc.check_channel(ch)
    return out


def graph_from_state(
    sc: Scenario,
    day: int,
    usable: Callable[[str], bool],
    members: Iterable[tuple[str, str]],
    max_latency: int | None = None,
    level: Callable[[str], Rank] | None = None,
) -> CommGraph:
    """The graph given which channels are usable and which memberships hold; ``level``
    gives a channel's level now (default: the declared one)."""
    offices = [o.id for a in sc.doc.actors for o in a.offices]
    links = static_links(sc) + membership_links(sc, members)
    chans: list[str] = []
    levels: dict[str, Rank] = {}
    for c in sc.doc.channels:
        if max_latency is not None and c.latency > max_latency:
            continue
        if not usable(c.id):
            continue
        chans.append(c.id)
        levels[c.id] = level(c.id) if level is not None else (c.level or Rank.official)
        ends = list(dict.fromkeys(c.ends))
        for i, u in enumerate(ends):
            for v in ends[i + 1 :]:
                links.append(Link(u, v, c.latency, c.id, c.id))
    return CommGraph(day, offices, links, chans, levels)


def build_graph(
    sc: Scenario,
    day: object = None,
    live: bool = False,
    cut: Iterable[str] = (),
    max_latency: int | None = None,
) -> CommGraph:
    """The communication graph at the end of ``day`` (a date, default the last event's).

    ``live`` leaves out dormant and unresponsive channels; ``cut`` channels are treated
    as cut;
    ``max_latency`` keeps only channels at most that slow (the fast graph).

    >>> import backchannel
    >>> sc = backchannel.load("example")
    >>> g = build_graph(sc, "2020-07-01")
    >>> [lk.via for lk in g.channel_links()]
    ['embassy-a-in-b']
    """
    day = sc.day(day, "date")
    dropped = set(check_channels(sc, cut))
    tl = sc.timeline

    def usable(ch: str) -> bool:
        st = tl.status(ch, day)
        if st is None or not st.usable or ch in dropped:
            return False
        return not (live and (tl.dormant(ch, day) or tl.unresponsive(ch, day)))

    return graph_from_state(
        sc, day, usable, current_members(sc, day), max_latency, lambda ch: tl.level(ch, day)
    )
