"""Format v1.1 ("what an analyst means by material") against an independent brute-force
evaluator, on hundreds of random small worlds.

The evaluator below is written from DESIGN.md's words and shares no code with backchannel
(its own lifecycle, dormancy, schedule, level and staff rules, its own shortest paths and
exhaustive search over cut sets): the length-bounded fast cut, ``cut_fast`` and
``single_points_fast``; a pair's level and direct staff; unresponsive channels; scheduled
uses; partial-date uses for dormancy; package verdicts; and the incremental engine event
by event.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backchannel
from backchannel.core.model import ScenarioDoc
from backchannel.graph.comm import build_graph
from backchannel.graph.cuts import resilience
from backchannel.judge.impact import figure_timeline, impact, watch_pairs

DAY0 = dt.date(2000, 1, 1).toordinal()
WINDOW = 10  # dormancy window of every generated world, in days
LATS = {"0s": 0, "15m": 900, "30m": 1800, "1h": 3600, "2h": 7200, "12h": 43200}
BUDGETS = {"15m": 900, "1h": 3600, "2h": 7200, "1d": 86400}
RANKS = ["head_of_state", "minister", "military_chief", "ambassador", "official"]
# DESIGN: head_of_state = head_of_government = head_of_organisation > minister =
# military_chief > ambassador > official
ORDER = {
    "head_of_state": 0,
    "head_of_government": 0,
    "head_of_organisation": 0,
    "minister": 1,
    "military_chief": 1,
    "ambassador": 2,
    "official": 3,
}
CLASS_NAME = {0: "head_of_state", 1: "minister", 2: "ambassador", 3: "official"}
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def iso(day: int) -> str:
    return dt.date.fromordinal(DAY0 + day).isoformat()


@st.composite
def worlds(draw):
    """A random small v1.1 world, valid by construction, with its raw description."""
    actors, offices = [], []
    for i in range(draw(st.integers(2, 3))):
        offs = []
        for j in range(draw(st.integers(1, 3))):
            o = {"id": f"S{i}.O{j}", "name": "o", "rank": draw(st.sampled_from(RANKS))}
            if j and draw(st.booleans()):
                o["reports_to"] = f"S{i}.O0"
            offs.append(o)
            offices.append(o["id"])
        a = {"id": f"S{i}", "kind": "state", "name": "s", "offices": offs}
        if draw(st.booleans()):
            a["internal_latency"] = draw(st.sampled_from(["0s", "30m", "2h"]))
        actors.append(a)
    channels = []
    n_ch = draw(st.integers(1, 6))
    for c in range(n_ch):
        ends = draw(st.lists(st.sampled_from(offices), min_size=2, max_size=3, unique=True))
        ch = {
            "id": f"c{c}",
            "kind": "hotline",
            "ends": ends,
            "latency": draw(st.sampled_from(list(LATS))),
        }
        if draw(st.booleans()):
            ch["level"] = draw(st.sampled_from(RANKS))
        if draw(st.booleans()):
            ch["staff"] = draw(st.integers(0, 30))
        if draw(st.integers(0, 3)) == 0:
            ch["tracked"] = True
        if draw(st.integers(0, 2)) == 0:
            use = {
                "every": draw(st.sampled_from(["1d", "2d", "3d", "1w"])),
                "from": iso(draw(st.integers(0, 30))),
            }
            if draw(st.booleans()):
                use["to"] = iso(draw(st.integers(10, 50)))
            ch["uses"] = [use]
        channels.append(ch)
    # steps: (day, channel, choice, month precision for a use, answered)
    raw = draw(
        st.lists(
            st.tuples(
                st.integers(0, 55),
                st.integers(0, n_ch - 1),
                st.integers(0, 11),
                st.integers(0, 4),
                st.booleans(),
            ),
            min_size=1,
            max_size=22,
        )
    )
    keyed = []
    for day, c, r, month, answered in raw:
        use = r >= 8
        if use and month == 0:  # a use dated to the month: it sorts as the month's first day
            first = dt.date.fromordinal(DAY0 + day).replace(day=1).toordinal() - DAY0
            keyed.append((first, day, c, r, True, answered))
        else:
            keyed.append((day, day, c, r, False, answered))
    keyed.sort(key=lambda k: k[0])
    state: dict[int, str] = {}
    events = []
    for key_day, _day, c, r, month, answered in keyed:
        s = state.get(c)
        ev: dict = {"channel": f"c{c}"}
        if s is None or s == "closed":
            ev["do"], s = "open", "active"
        elif s == "suspended":
            if r < 6:
                ev["do"], s = "restore", "active"
                if r < 2:
                    ev["level"] = draw(st.sampled_from(RANKS))
            else:
                ev["do"], s = "close", "closed"
        elif r < 2:
            ev["do"], s = "suspend", "suspended"
        elif r < 3:
            ev["do"], s = "close", "closed"
        elif r < 5:
            ev["do"], s = "restrict", "restricted"
            if draw(st.booleans()):
                ev["cap"] = draw(st.integers(0, 20))
            if draw(st.booleans()):
                ev["level"] = draw(st.sampled_from(RANKS))
        elif r < 8:
            ev["do"], s = "expel", "restricted"
            ev["count"] = draw(st.integers(0, 10))
            if draw(st.booleans()):
                ev["cap"] = draw(st.integers(0, 20))
            if draw(st.booleans()):
                ev["level"] = draw(st.sampled_from(RANKS))
        else:
            ev["do"] = "call" if r == 8 else "meet"
            if not answered:
                ev["answered"] = False
        state[c] = s
        if month and ev["do"] in ("call", "meet"):
            ev["date"] = dt.date.fromordinal(DAY0 + key_day).strftime("%Y-%m")
        else:
            ev["date"] = iso(key_day)
        if draw(st.integers(0, 3)) == 0:
            ev["group"] = "g1"
        events.append(ev)
    names = offices + [a["id"] for a in actors]
    watch = []
    for _ in range(draw(st.integers(1, 2))):
        w = {
            "between": [draw(st.sampled_from(names)), draw(st.sampled_from(names))],
            "budget": draw(st.sampled_from(list(BUDGETS))),
            "floor": draw(st.integers(1, 2)),
        }
        if draw(st.booleans()):
            w["min_level"] = draw(st.sampled_from(RANKS))
        watch.append(w)
    for a in actors:
        a["offices"] = [{**o, "actor": a["id"]} for o in a["offices"]]
    evs = [{**e, "id": f"e{i}", "seq": i} for i, e in enumerate(events)]
    doc = ScenarioDoc.model_validate(
        {
            "scenario": "m",
            "title": "m",
            "defaults": {"dormancy": f"{WINDOW}d"},
            "actors": actors,
            "channels": channels,
            "watch": watch,
            "events": evs,
        }
    )
    return backchannel.Scenario(doc), {"actors": actors, "channels": channels, "events": evs}


# -- the evaluator: DESIGN.md's words, nothing from backchannel -------------------------------
def first_day(ev) -> int:
    """The ordinal offset of an event's date (a month as its first day)."""
    d = ev["date"]
    if len(d) == 7:
        d += "-01"
    return dt.date.fromisoformat(d).toordinal() - DAY0


def last_day(ev) -> int:
    """The last day of an event's period (the day itself for a full date)."""
    d = ev["date"]
    if len(d) == 7:
        y, m = map(int, d.split("-"))
        nxt = dt.date(y + m // 12, m % 12 + 1, 1)
        return nxt.toordinal() - 1 - DAY0
    return first_day(ev)


def ordered(w):
    return sorted(w["events"], key=lambda e: (first_day(e), e["seq"]))


ALLOWED = {  # DESIGN's lifecycle: which status each event may follow
    "open": {None, "closed"},
    "restrict": {"active", "restricted"},
    "expel": {"active", "restricted"},
    "suspend": {"active", "restricted"},
    "restore": {"restricted", "suspended"},
    "close": {"active", "restricted", "suspended"},
    "meet": {"active", "restricted"},
    "call": {"active", "restricted"},
}


def run(w, events):
    """Each channel's (status, since, staff, cap, level) after ``events`` in order; an
    event the lifecycle refuses (only on a package's fork) changes nothing."""
    decl = {c["id"]: c for c in w["channels"]}
    out: dict[str, dict] = {}
    for e in events:
        c, do, day = e["channel"], e["do"], first_day(e)
        s = out.get(c)
        if (s["status"] if s else None) not in ALLOWED[do]:
            continue
        if do == "open":
            d = decl[c]
            out[c] = {
                "status": "active",
                "since": day,
                "staff": d.get("staff"),
                "cap": None,
                "level": d.get("level") or "official",
            }
        elif do == "restore":
            s.update(
                status="active",
                since=day,
                level=e.get("level") or decl[c].get("level") or "official",
            )
        elif do == "suspend":
            s["status"] = "suspended"
        elif do == "close":
            s["status"] = "closed"
        elif do in ("restrict", "expel"):
            s["status"] = "restricted"
            if "cap" in e:
                s["cap"] = e["cap"]
            if s["staff"] is None:
                s["staff"] = s["cap"]  # no declared staff: the first cap is the staff
            elif do == "expel":
                s["staff"] = max(0, s["staff"] - e.get("count", 0))
            if s["staff"] is not None and s["cap"] is not None:
                s["staff"] = min(s["staff"], s["cap"])
            if "level" in e:
                s["level"] = e["level"]
    return out


def is_open(states, c) -> bool:
    return c in states and states[c]["status"] in ("active", "restricted")


def open_at_end_of(w, c, day) -> bool:
    return is_open(run(w, [e for e in ordered(w) if first_day(e) <= day]), c)


def grid_days(w, c, upto):
    """Scheduled uses on or before ``upto``: grid days on which ``c`` is open at day's end."""
    out = []
    for u in next(x for x in w["channels"] if x["id"] == c).get("uses", []):
        step = {"1d": 1, "2d": 2, "3d": 3, "1w": 7}[u["every"]]
        start = dt.date.fromisoformat(u["from"]).toordinal() - DAY0
        end = dt.date.fromisoformat(u["to"]).toordinal() - DAY0 if "to" in u else upto
        g = start
        while g <= min(end, upto):
            if open_at_end_of(w, c, g):
                out.append(g)
            g += step
    return out


def use_events(w, c, day):
    return [
        e
        for e in ordered(w)
        if e["channel"] == c and e["do"] in ("call", "meet") and first_day(e) <= day
    ]


def brute_tracked(w, c, day) -> bool:
    decl = next(x for x in w["channels"] if x["id"] == c)
    return bool(decl.get("tracked")) or bool(use_events(w, c, day)) or bool(grid_days(w, c, day))


def brute_dormant(w, c, day) -> bool:
    states = run(w, [e for e in ordered(w) if first_day(e) <= day])
    if not is_open(states, c) or not brute_tracked(w, c, day):
        return False
    if day - states[c]["since"] < WINDOW:
        return False
    uses = [min(last_day(e), day) for e in use_events(w, c, day) if e.get("answered", True)]
    uses += grid_days(w, c, day)
    return not any(day - u < WINDOW for u in uses)


def brute_unresponsive(w, c, day) -> bool:
    states = run(w, [e for e in ordered(w) if first_day(e) <= day])
    if not is_open(states, c) or not brute_tracked(w, c, day):
        return False
    # (day, rank within the day, kind): a scheduled use ranks before every event of its day
    records = [(g, -1, "use") for g in grid_days(w, c, day)]
    for e in use_events(w, c, day):
        kind = "use" if e.get("answered", True) else "attempt"
        records.append((first_day(e), e["seq"], kind))
    return bool(records) and max(records)[2] == "attempt"


def links_of(w, states, allowed=None):
    """(u, v, latency, channel or None) for every link over open channels."""
    out = []
    for a in w["actors"]:
        lat = LATS[a["internal_latency"]] if "internal_latency" in a else 3600
        for o in a["offices"]:
            if "reports_to" in o:
                out.append((o["id"], o["reports_to"], lat, None))
    for c in w["channels"]:
        if is_open(states, c["id"]) and (allowed is None or c["id"] in allowed):
            for u, v in itertools.combinations(c["ends"], 2):
                out.append((u, v, LATS[c["latency"]], c["id"]))
    return out


def shortest(links, src, dst, removed=frozenset()):
    adj: dict[str, list] = {}
    for u, v, lat, c in links:
        if c is None or c not in removed:
            adj.setdefault(u, []).append((v, lat))
            adj.setdefault(v, []).append((u, lat))
    best: dict[str, int] = {}
    heap = [(0, s) for s in src]
    while heap:
        d, u = heapq.heappop(heap)
        if u in best:
            continue
        best[u] = d
        if u in dst:
            return d
        for v, lat in adj.get(u, []):
            if v not in best:
                heapq.heappush(heap, (d + lat, v))
    return None


def within(links, src, dst, budget, removed=frozenset()) -> bool:
    d = shortest(links, src, dst, removed)
    return d is not None and d <= budget


def brute_fast(links, src, dst, budget):
    """(min_cut_fast, single points): exhaustive over channel sets."""
    chans = sorted({c for *_, c in links if c is not None})
    if src & dst:
        return None, set()
    if not within(links, src, dst, budget):
        return 0, set()
    if within(links, src, dst, budget, frozenset(chans)):
        return None, set()
    singles = {c for c in chans if not within(links, src, dst, budget, frozenset([c]))}
    for k in range(1, len(chans) + 1):
        for cut in itertools.combinations(chans, k):
            if not within(links, src, dst, budget, frozenset(cut)):
                return k, singles
    raise AssertionError("unreachable")


def brute_min_cut(links, src, dst):
    return brute_fast(links, src, dst, float("inf"))[0]


def brute_level(w, states, src, dst, budget):
    for order in range(4):
        allowed = {c for c, s in states.items() if ORDER[s["level"]] <= order}
        if within(links_of(w, states, allowed), src, dst, budget):
            return CLASS_NAME[order]
    return None


def actor_of(office: str) -> str:
    return office.split(".")[0]


def brute_staff(w, states, src, dst) -> int:
    aa, bb = {actor_of(o) for o in src}, {actor_of(o) for o in dst}
    total = 0
    for c in w["channels"]:
        owners = {actor_of(o) for o in c["ends"]}
        if is_open(states, c["id"]) and owners & aa and owners & bb:
            total += states[c["id"]]["staff"] or 0
    return total


def offices_of(w, name):
    for a in w["actors"]:
        if a["id"] == name:
            return {o["id"] for o in a["offices"]}
    return {name}


def brute_figures(w, states, watch):
    src, dst = offices_of(w, watch.between[0]), offices_of(w, watch.between[1])
    links = links_of(w, states)
    return (
        shortest(links, src, dst),
        brute_min_cut(links, src, dst),
        brute_fast(links, src, dst, watch.budget)[0],
        brute_level(w, states, src, dst, watch.budget),
        brute_staff(w, states, src, dst),
    )


def brute_verdict(watch, before, after) -> str:
    def inb(f):
        return f[0] is not None and f[0] <= watch.budget

    def above(x):
        return x is None or x >= watch.floor

    def at_least(level):
        return level is not None and ORDER[level] <= ORDER[watch.min_level.value]

    if inb(before) != inb(after) or above(before[2]) != above(after[2]):
        return "material"
    if watch.min_level is not None and at_least(before[3]) != at_least(after[3]):
        return "material"
    return "symbolic" if before != after else "nonevent"


def _plain(figs):
    lat, cut, fast, level, staff = figs
    return (lat, cut, fast, level.value if level else None, staff)


# -- tests ---------------------------------------------------------------------------------
@SETTINGS
@given(worlds(), st.integers(0, 60))
def test_fast_cut_level_and_staff_match_brute_force(world, day):
    sc, w = world
    states = run(w, [e for e in ordered(w) if first_day(e) <= day])
    for watch in sc.doc.watch:
        a, b = watch.between
        src, dst = offices_of(w, a), offices_of(w, b)
        links = links_of(w, states)
        r = resilience(sc, a, b, DAY0 + day, budget_s=watch.budget)
        value, singles = brute_fast(links, src, dst, watch.budget)
        assert r.fast.exact
        assert r.min_cut_fast == value, (a, b, day)
        assert r.fast.uncuttable == (value is None)
        if value:
            assert len(r.fast.cut) == value
            assert not within(links, src, dst, watch.budget, frozenset(r.fast.cut))
        assert set(r.fast.single_points) == (singles if value else set())
        assert r.as_dict()["min_cut_fast_exact"] is True


@SETTINGS
@given(worlds(), st.integers(0, 60))
def test_dormant_unresponsive_and_scheduled_uses_match_brute_force(world, day):
    sc, w = world
    tl = sc.timeline
    live = set(build_graph(sc, DAY0 + day, live=True).channels)
    for c in w["channels"]:
        ch = c["id"]
        if tl.status(ch, DAY0 + day) is None:
            continue
        dormant, unresponsive = brute_dormant(w, ch, day), brute_unresponsive(w, ch, day)
        assert tl.tracked(ch, DAY0 + day) == brute_tracked(w, ch, day), (ch, day)
        assert tl.dormant(ch, DAY0 + day) == dormant, (ch, day)
        rec = sc.channel_record(ch, DAY0 + day)
        assert rec["unresponsive"] is unresponsive, (ch, day)
        expected_live = open_at_end_of(w, ch, day) and not dormant and not unresponsive
        assert (ch in live) == expected_live, (ch, day)


@SETTINGS
@given(worlds())
def test_engine_figures_match_brute_force_event_by_event(world):
    sc, w = world
    evs = ordered(w)
    got = list(figure_timeline(sc))
    assert [e.id for e, *_ in got] == [e["id"] for e in evs]
    for k, (e, before, after, _) in enumerate(got):
        for n, figs in ((k, before), (k + 1, after)):
            states = run(w, evs[:n])
            for watch, f in zip(sc.doc.watch, figs, strict=True):
                assert _plain(f) == brute_figures(w, states, watch), (e.id, n)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_live_engine_matches_recomputing_from_scratch(world):
    sc, _ = world
    fast = [(e.id, b, a, d) for e, b, a, d in figure_timeline(sc, live=True)]
    slow = [(e.id, b, a, d) for e, b, a, d in figure_timeline(sc, live=True, naive=True)]
    assert fast == slow


@SETTINGS
@given(worlds())
def test_event_and_package_verdicts_match_brute_force(world):
    sc, w = world
    evs = ordered(w)
    res = impact(sc)
    for k, x in enumerate(res):
        before, after = run(w, evs[:k]), run(w, evs[: k + 1])
        want = [
            brute_verdict(watch, brute_figures(w, before, watch), brute_figures(w, after, watch))
            for watch in sc.doc.watch
        ]
        assert [p.verdict for p in x.pairs] == want, x.id
    group = [e for e in evs if e.get("group") == "g1"]
    if not group:
        assert res.packages == []
        return
    (pkg,) = res.packages
    assert [e.id for e in pkg.events] == [e["id"] for e in group]
    first = (first_day(group[0]), group[0]["seq"])
    base = [e for e in evs if (first_day(e), e["seq"]) < first]
    before, after = run(w, base), run(w, base + group)
    verdicts = []
    for watch, p in zip(sc.doc.watch, pkg.pairs, strict=True):
        fb, fa = brute_figures(w, before, watch), brute_figures(w, after, watch)
        assert p.before.latency_s == fb[0] and p.after.latency_s == fa[0]
        assert p.after.min_cut_fast == fa[2] and p.after.staff == fa[4]
        verdicts.append(brute_verdict(watch, fb, fa))
    assert pkg.verdict == max(verdicts, key=("nonevent", "symbolic", "material").index)
    d = pkg.as_dict()
    assert {"id", "events", "from", "to", "verdict", "pairs", "reason"} <= set(d)
    assert watch_pairs(sc)  # every world watches a pair


def test_hitting_set_of_a_triangle_needs_two():
    """Routes pairwise sharing a channel: one disjoint route is all the lower bound sees,
    the branch and bound proves two."""
    from backchannel.graph.fastcut import hitting_set

    chosen, lo, optimal = hitting_set(
        [frozenset({0, 1}), frozenset({1, 2}), frozenset({0, 2})], float("inf")
    )
    assert optimal and len(chosen) == 2 and lo == 2


def test_impact_packages_day_on_the_command_line():
    from typer.testing import CliRunner

    from backchannel.cli import app

    r = CliRunner().invoke(app, ["impact", "--packages", "day", "--json"])
    assert r.exit_code == 0
    import json

    pkgs = json.loads(r.stdout)["packages"]
    # Russia's three steps of 1 November 2021 carry a group in the scenario: one package
    nov = next(p for p in pkgs if p["id"] == "russia-answer-2021-11")
    assert nov["events"] == [
        "russia-suspends-mission-2021",
        "russia-suspends-mlm-2021",
        "russia-closes-nio-2021",
    ]
    assert nov["verdict"] in ("symbolic", "material") and nov["formed_by"] == "group"
    # the ungrouped same-day moves by one actor form day packages (24 March 1999)
    day = next(p for p in pkgs if p["id"] == "1999-03-24-RUS")
    assert day["formed_by"] == "day" and len(day["events"]) >= 2
    assert not any(set(day["events"]) & set(nov["events"]) for day in pkgs if day is not nov)
    bad = CliRunner().invoke(app, ["impact", "--packages", "week"])
    assert bad.exit_code == 1
