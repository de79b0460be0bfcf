"""Every analysis figure against an independent NetworkX oracle (and brute force over cut
sets) on random small worlds: n-ended channels, dual-hatted offices, memberships that
come and go, unreachable pairs and same-day events. The fast cut is v1.1's length-bounded
one (level, staff and the other v1.1 rules: tests/test_material.py)."""

from __future__ import annotations

import datetime as dt
import itertools

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backchannel
from backchannel.core.lifecycle import ChannelState, apply
from backchannel.core.model import CHANNEL_EVENTS, ScenarioDoc
from backchannel.graph.cuts import resilience
from backchannel.graph.paths import time_to_contact
from backchannel.judge.impact import figure_timeline, watch_pairs

DAY0 = dt.date(2000, 1, 1).toordinal()
LATS = ["0s", "15m", "1h", "6h", "12h", "2d"]
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def worlds(draw):
    """A random small scenario (as a validated ScenarioDoc) valid by construction."""
    n_states = draw(st.integers(2, 4))
    actors, offices = [], []
    for i in range(n_states):
        k = draw(st.integers(1, 3))
        ranks = ["head_of_state", "minister", "military_chief"][:k]
        offs = []
        for j, r in enumerate(ranks):
            o = {"id": f"S{i}.O{j}", "name": f"o{j}", "rank": r}
            if j and draw(st.booleans()):
                o["reports_to"] = f"S{i}.O0"
            offs.append(o)
            offices.append(o["id"])
        a = {"id": f"S{i}", "kind": "state", "name": f"s{i}", "offices": offs}
        if draw(st.booleans()):
            a["internal_latency"] = draw(st.sampled_from(["30m", "2h"]))
        actors.append(a)
    has_alliance = draw(st.booleans())
    if has_alliance:
        members = draw(
            st.lists(st.sampled_from([a["id"] for a in actors]), max_size=2, unique=True)
        )
        al = {
            "id": "AL",
            "kind": "alliance",
            "name": "al",
            "offices": [{"id": "AL.SG", "name": "sg", "rank": "head_of_organisation"}],
            "members": [{"actor": m, "from": "2000-01-03"} for m in members],
        }
        if draw(st.booleans()):
            al["membership_latency"] = "3h"
        actors.append(al)
        offices.append("AL.SG")
    # dual-hatted offices
    for _ in range(draw(st.integers(0, 2))):
        x, y = draw(st.sampled_from(offices)), draw(st.sampled_from(offices))
        if x != y:
            for a in actors:
                for o in a["offices"]:
                    if o["id"] == x:
                        o.setdefault("also", [])
                        if y not in o["also"]:
                            o["also"].append(y)
    n_ch = draw(st.integers(1, 7))
    channels = []
    for c in range(n_ch):
        ends = draw(st.lists(st.sampled_from(offices), min_size=2, max_size=4, unique=True))
        channels.append(
            {"id": f"c{c}", "kind": "hotline", "ends": ends, "latency": draw(st.sampled_from(LATS))}
        )
    steps = draw(
        st.lists(
            st.tuples(st.integers(0, 6), st.integers(0, n_ch - 1), st.integers(0, 9)),
            min_size=1,
            max_size=25,
        )
    )
    steps.sort(key=lambda s: s[0])
    state: dict[int, str | None] = {}
    events = []
    for day, c, r in steps:
        date = dt.date.fromordinal(DAY0 + day).isoformat()
        s = state.get(c)
        if s is None or s == "closed":
            do, s = "open", "active"
        elif s == "suspended":
            do, s = ("restore", "active") if r < 6 else ("close", "closed")
        elif r < 3:
            do, s = "suspend", "suspended"
        elif r < 5:
            do, s = "close", "closed"
        elif r < 7:
            do, s = "restrict", "restricted"
        else:
            do = "call"
        state[c] = s
        events.append({"date": date, "do": do, "channel": f"c{c}"})
    if has_alliance and draw(st.booleans()):
        who = draw(st.sampled_from([a["id"] for a in actors if a["kind"] == "state"]))
        day = draw(st.integers(0, 6))
        events.append(
            {
                "date": dt.date.fromordinal(DAY0 + day).isoformat(),
                "do": draw(st.sampled_from(["join", "leave"])),
                "actor": who,
                "org": "AL",
            }
        )
        events.sort(key=lambda e: e["date"])
    names = offices + [a["id"] for a in actors]
    watch = []
    for _ in range(draw(st.integers(1, 3))):
        x, y = draw(st.sampled_from(names)), draw(st.sampled_from(names))
        watch.append(
            {
                "between": [x, y],
                "budget": draw(st.sampled_from(["15m", "1h", "1d"])),
                "floor": draw(st.integers(1, 2)),
            }
        )
    for a in actors:
        a["offices"] = [{**o, "actor": a["id"]} for o in a["offices"]]
    evs = [{**e, "id": f"e{i}", "seq": i} for i, e in enumerate(events)]
    doc = ScenarioDoc.model_validate(
        {
            "scenario": "w",
            "title": "w",
            "actors": actors,
            "channels": channels,
            "watch": watch,
            "events": evs,
        }
    )
    return backchannel.Scenario(doc)


# -- the oracle: written from DESIGN.md, sharing nothing with backchannel.graph or judge --------
def oracle_state(sc, upto: int, day: int):
    """Usable channels and memberships after the first ``upto`` events (date-then-file
    order), with memberships dated on or before ``day`` in force."""
    states: dict[str, ChannelState] = {}
    members = set()
    changes = [
        ((m.from_.ordinal if m.from_ else 0, -1), "join", a.id, m.actor, None)
        for a in sc.doc.actors
        for m in a.members
        if m.from_ is None or m.from_.ordinal <= day
    ]
    changes += [
        (e.key, e.do.value, e.org, e.actor, e)
        for e in sorted(sc.doc.events, key=lambda e: e.key)[:upto]
    ]
    for _, do, org, actor, e in sorted(changes, key=lambda c: c[0]):
        if e is not None and e.channel and e.do in CHANNEL_EVENTS:
            states[e.channel] = apply(states.get(e.channel, ChannelState()), e)
        elif do == "join":
            members.add((org, actor))
        elif do == "leave":
            members.discard((org, actor))
    usable = {c for c, s in states.items() if s.status is not None and s.status.usable}
    return usable, members


def oracle_links(sc, usable, members, max_lat=None):
    """(u, v, latency, channel or None, via) for every link."""
    out = []
    for a in sc.doc.actors:
        lat = a.internal_latency if a.internal_latency is not None else 3600
        for o in a.offices:
            if o.reports_to:
                out.append((o.id, o.reports_to, lat, None, "reports_to"))
            for x in o.also:
                out.append((o.id, x, 0, None, "also"))
    for org, m in members:
        if org == m:
            continue
        al = sc.actors[org]
        head = al.offices[0].id
        offs = sc.actors[m].offices
        hog = (
            next((o.id for o in offs if o.rank.value == "head_of_government"), None)
            or next((o.id for o in offs if o.rank.value == "head_of_state"), None)
            or sc.head_office(m)
        )
        lat = al.membership_latency if al.membership_latency is not None else 6 * 3600
        if head != hog:
            out.append((head, hog, lat, None, "membership"))
    for c in sc.doc.channels:
        if c.id in usable and (max_lat is None or c.latency <= max_lat):
            for u, v in itertools.combinations(c.ends, 2):
                out.append((u, v, c.latency, c.id, c.id))
    return out


def oracle_distance(sc, links, src, dst):
    g = nx.Graph()
    g.add_nodes_from(o for a in sc.doc.actors for o in (x.id for x in a.offices))
    for u, v, lat, *_ in links:
        if not g.has_edge(u, v) or g[u][v]["w"] > lat:
            g.add_edge(u, v, w=lat)
    best = None
    for s in src:
        d = nx.single_source_dijkstra_path_length(g, s, weight="w")
        for t in dst:
            if t in d and (best is None or d[t] < best):
                best = d[t]
    return best


def _connected(sc, links, src, dst, removed=frozenset()):
    g = nx.Graph()
    g.add_nodes_from(o.id for a in sc.doc.actors for o in a.offices)
    g.add_edges_from((u, v) for u, v, _, c, _ in links if c is None or c not in removed)
    return any(nx.has_path(g, s, t) for s in src for t in dst)


def oracle_min_cut(sc, links, src, dst):
    """Brute force over sets of channels; None when no set separates the ends."""
    chans = sorted({x[3] for x in links if x[3] is not None})
    if not _connected(sc, links, src, dst):
        return 0, set()
    for k in range(1, len(chans) + 1):
        for cut in itertools.combinations(chans, k):
            if not _connected(sc, links, src, dst, frozenset(cut)):
                singles = {c for c in chans if not _connected(sc, links, src, dst, frozenset([c]))}
                return k, singles
    return None, set()


def oracle_fast_cut(sc, links, src, dst, budget):
    """v1.1: the least number of channels whose loss leaves no path within ``budget``
    (brute force over sets of channels); None when an uncuttable path is within it."""

    def within(removed):
        d = oracle_distance(sc, [x for x in links if x[3] is None or x[3] not in removed], src, dst)
        return d is not None and d <= budget

    chans = sorted({x[3] for x in links if x[3] is not None})
    if not within(frozenset()):
        return 0
    for k in range(1, len(chans) + 1):
        for cut in itertools.combinations(chans, k):
            if not within(frozenset(cut)):
                return k
    return None


def ends(sc, name):
    return sc.offices_of(name, DAY0)


# -- tests ----------------------------------------------------------------------------------
@SETTINGS
@given(worlds(), st.integers(0, 7))
def test_time_to_contact_and_resilience_match_oracle(sc, offset):
    day = DAY0 + offset
    upto = sum(1 for e in sc.doc.events if e.date.ordinal <= day)
    usable, members = oracle_state(sc, upto, day)
    links = oracle_links(sc, usable, members)
    for w in sc.doc.watch:
        a, b = w.between
        src, dst = ends(sc, a), ends(sc, b)
        res = time_to_contact(sc, a, b, day)
        want = oracle_distance(sc, links, src, dst)
        assert res.latency_s == want
        assert res.reachable == (want is not None)
        if res.reachable:  # the path is real: consecutive links exist and add up
            assert res.path[0]["office"] in src and res.path[-1]["office"] in dst
            total = 0
            for prev, step in itertools.pairwise(res.path):
                lat = [
                    x[2]
                    for x in links
                    if {x[0], x[1]} == {prev["office"], step["office"]} and x[4] == step["via"]
                ]
                assert lat, (prev, step)
                total += min(lat)
            assert total == res.latency_s
        r = resilience(sc, a, b, day, budget_s=w.budget)
        cut, singles = oracle_min_cut(sc, links, src, dst)
        assert r.min_cut == cut
        assert r.all.uncuttable == (cut is None)
        if cut:
            assert len(r.all.cut) == cut
            assert not _connected(sc, links, src, dst, frozenset(r.all.cut))
            assert set(r.all.single_points) == (singles if cut == 1 else set())
        assert r.min_cut_fast == oracle_fast_cut(sc, links, src, dst, w.budget)


@SETTINGS
@given(worlds())
def test_impact_engine_matches_oracle_event_by_event(sc):
    pairs = watch_pairs(sc)
    got = list(figure_timeline(sc))
    assert len(got) == len(sc.doc.events)
    for k, (e, before, after, _) in enumerate(got):
        for when, figs in ((k, before), (k + 1, after)):
            usable, members = oracle_state(sc, when, e.date.ordinal)
            links = oracle_links(sc, usable, members)
            for p, (lat, cut, fast, _level, _staff) in zip(pairs, figs, strict=True):
                src, dst = set(p.sources), set(p.targets)
                assert lat == oracle_distance(sc, links, src, dst), (e.id, when)
                assert cut == oracle_min_cut(sc, links, src, dst)[0], (e.id, when)
                assert fast == oracle_fast_cut(sc, links, src, dst, p.budget), (e.id, when)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_live_engine_matches_recomputing_from_scratch(sc):
    """--live: the incremental engine agrees with a full recomputation at every event."""
    fast = [(e.id, b, a, d) for e, b, a, d in figure_timeline(sc, live=True)]
    slow = [(e.id, b, a, d) for e, b, a, d in figure_timeline(sc, live=True, naive=True)]
    assert fast == slow
