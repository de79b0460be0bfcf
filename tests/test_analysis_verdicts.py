"""Impact verdicts, dormancy, --live, principals and what-if on small hand-written scenarios."""

from __future__ import annotations

import pytest

import backchannel
from backchannel.core.errors import BackchannelError
from backchannel.graph.paths import time_to_contact
from backchannel.judge.impact import impact
from backchannel.judge.principals import principals
from backchannel.judge.whatif import whatif
from backchannel.record.loader import parse_doc

HEAD = """
scenario: t
title: t
actors:
  - id: AAA
    kind: state
    name: A
    offices:
      - {id: AAA.HOS, name: P, rank: head_of_state}
      - {id: AAA.CHIEF, name: C, rank: military_chief, reports_to: AAA.HOS}
  - id: BBB
    kind: state
    name: B
    offices:
      - {id: BBB.HOS, name: P, rank: head_of_state}
      - {id: BBB.CHIEF, name: C, rank: military_chief, reports_to: BBB.HOS}
channels:
  - {id: emb, kind: embassy, ends: [AAA.HOS, BBB.HOS], latency: 12h, staff: 20}
  - {id: emb2, kind: embassy, ends: [AAA.HOS, BBB.HOS], latency: 12h}
  - {id: line, kind: hotline, ends: [AAA.CHIEF, BBB.CHIEF], latency: 15m}
  - {id: line2, kind: hotline, ends: [AAA.CHIEF, BBB.CHIEF], latency: 30m}
watch:
  - {between: [AAA.CHIEF, BBB.CHIEF], budget: 1h, floor: 2}
"""


def scenario(events: str) -> backchannel.Scenario:
    return backchannel.Scenario(parse_doc(HEAD + "events:\n" + events, "t.yaml"))


def verdicts(sc: backchannel.Scenario, live: bool = False) -> dict[str, str]:
    return {x.id: x.verdict for x in impact(sc, live=live)}


def test_losing_the_only_fast_line_is_material():
    sc = scenario("""
  - {id: o1, date: 2001-01-01, do: open, channel: emb}
  - {id: o2, date: 2001-01-01, do: open, channel: line}
  - {id: s, date: 2005-01-01, do: suspend, channel: line}
""")
    v = {x.id: x for x in impact(sc)}
    assert v["s"].verdict == "material"
    pair = v["s"].pairs[0]
    assert pair.before.latency_s == 900
    assert pair.after.latency_s == 12 * 3600 + 2 * 3600  # embassy plus two reports_to hops
    assert "lost contact within its 1h budget" in v["s"].reason
    assert v["s"].dormant_before is False


def test_floor_crossing_is_material_and_a_step_above_it_symbolic():
    sc = scenario("""
  - {id: o1, date: 2001-01-01, do: open, channel: line}
  - {id: o2, date: 2001-01-01, do: open, channel: line2}
  - {id: o3, date: 2001-01-02, do: open, channel: emb}
  - {id: c2, date: 2005-01-01, do: close, channel: line2}
  - {id: ce, date: 2005-02-01, do: close, channel: emb}
""")
    v = {x.id: x for x in impact(sc)}
    # two fast lines -> one: the fast min cut falls below the floor of 2
    assert v["c2"].pairs[0].before.min_cut_fast == 2
    assert v["c2"].pairs[0].after.min_cut_fast == 1
    assert v["c2"].verdict == "material"
    assert "crossing its floor of 2" in v["c2"].reason
    # the slow embassy goes: the min cut drops, contact stays 15m, no threshold crossed
    assert v["ce"].verdict == "symbolic"
    # (v1.1: the embassy's 20 staff go with it, a change of the pair's direct staff)
    assert v["ce"].pairs[0].changed == ["min_cut", "staff"]


def test_restrict_and_notes_are_nonevents_but_staff_cuts_are_symbolic():
    sc = scenario("""
  - {id: o1, date: 2001-01-01, do: open, channel: emb}
  - {id: r, date: 2001-06-01, do: restrict, channel: emb}
  - {id: x, date: 2002-01-01, do: expel, channel: emb, count: 5, cap: 10}
  - {id: n, date: 2002-02-01, do: note, note: nothing happens}
""")
    v = {x.id: x for x in impact(sc)}
    assert v["r"].verdict == "nonevent" and v["r"].dormant_before is False
    # v1.1: the embassy's staff 20 -> 10 is a change of the pair's direct staff
    assert v["x"].verdict == "symbolic" and v["x"].pairs[0].changed == ["staff"]
    assert (v["x"].pairs[0].before.staff, v["x"].pairs[0].after.staff) == (20, 10)
    assert "direct staff 20 → 10" in v["x"].reason
    assert v["n"].verdict == "nonevent" and v["n"].dormant_before is None
    assert v["n"].reason == "No watched figure changed."


def test_dormant_before_and_live():
    """A hotline last used three years before it is suspended was already dormant:
    material on paper, a nonevent over live channels."""
    sc = scenario("""
  - {id: o1, date: 2001-01-01, do: open, channel: emb}
  - {id: o2, date: 2001-01-01, do: open, channel: line}
  - {id: use, date: 2002-01-01, do: call, channel: line}
  - {id: s, date: 2005-01-01, do: suspend, channel: line}
""")
    paper = {x.id: x for x in impact(sc)}
    live = {x.id: x for x in impact(sc, live=True)}
    assert paper["s"].dormant_before is True
    assert paper["s"].verdict == "material"
    assert live["s"].verdict == "nonevent"
    assert "already dormant" in live["s"].reason
    # the call revives the line: on the live graph it is the call that matters
    assert live["use"].verdict == "nonevent"  # the line was not dormant yet in 2002
    day = sc.day("2004-06-01")
    assert time_to_contact(sc, "AAA.CHIEF", "BBB.CHIEF", day).latency_s == 900
    assert time_to_contact(sc, "AAA.CHIEF", "BBB.CHIEF", day, live=True).latency_s == 50400


def test_same_day_events_are_judged_one_by_one():
    sc = scenario("""
  - {id: o1, date: 2001-01-01, do: open, channel: emb}
  - {id: o2, date: 2001-01-01, do: open, channel: line}
  - {id: s, date: 2005-01-01, do: suspend, channel: line}
  - {id: r, date: 2005-01-01, do: restore, channel: line}
""")
    v = verdicts(sc)
    # at the end of the day nothing changed, but each event on its own crossed the budget
    assert v["s"] == "material" and v["r"] == "material"
    one = impact(sc, event_id="r")
    assert len(one) == 1 and one[0].verdict == "material"
    assert one[0].dormant_before is True  # suspended just before


def test_unknown_event_is_a_clear_error():
    sc = scenario("  - {id: o1, date: 2001-01-01, do: open, channel: emb}\n")
    with pytest.raises(BackchannelError, match="unknown event 'nope'"):
        impact(sc, event_id="nope")


def test_whatif_forks_and_never_changes_the_record():
    sc = scenario("""
  - {id: o1, date: 2001-01-01, do: open, channel: emb}
  - {id: o2, date: 2001-01-01, do: open, channel: line}
""")
    events_before = list(sc.doc.events)
    day = sc.day("2003-01-01")
    res = whatif(sc, day, cut=["line"])
    assert res["record"]["pairs"][0]["latency_s"] == 900
    assert res["whatif"]["pairs"][0]["latency_s"] == 50400
    assert res["changed"][0]["verdict"] == "material"
    assert "cutting line" in res["summary"]
    assert list(sc.doc.events) == events_before
    assert sc.timeline.status("line", day).value == "active"
    # a generic hypothetical event as a YAML flow map
    res2 = whatif(sc, day, events=["{date: 2002-05-01, do: suspend, channel: line}"])
    assert res2["whatif"]["pairs"][0]["latency_s"] == 50400
    # closing a channel that is already closed is refused, clearly
    with pytest.raises(BackchannelError, match="cannot close channel 'emb2'"):
        whatif(sc, day, cut=["emb2"])
    with pytest.raises(BackchannelError, match="unknown channel 'zzz'"):
        whatif(sc, day, events=["{date: 2002-05-01, do: suspend, channel: zzz}"])
    with pytest.raises(BackchannelError, match=r"events\[0\]: unknown event type"):
        whatif(sc, day, events=["{date: 2002-05-01, do: explode, channel: line}"])


EXTRA_ACTORS = """  - id: CCC
    kind: state
    name: C
    offices: [{id: CCC.HOS, name: P, rank: head_of_state}]
  - id: DDD
    kind: state
    name: D
    offices: [{id: DDD.HOS, name: P, rank: head_of_state}]
"""
INFLUENCE = """influence:
  - {principal: CCC, agent: BBB, weight: 0.5}
  - {principal: DDD, agent: CCC, weight: 0.9}
  - {principal: DDD, agent: BBB, weight: 0.3}
  - {principal: AAA, agent: DDD, weight: 0.2}
events:
  - {id: o1, date: 2001-01-01, do: open, channel: emb}
"""


def test_principals_take_the_strongest_chain():
    text = HEAD.replace("channels:\n", EXTRA_ACTORS + "channels:\n") + INFLUENCE
    sc = backchannel.Scenario(parse_doc(text, "p.yaml"))
    rows = principals(sc, "BBB", "AAA", sc.day("2002-01-01"))
    got = {r["actor"]: r["weight"] for r in rows}
    # DDD: max(0.3 direct, 0.9 * 0.5 via CCC) = 0.45; CCC 0.5; AAA 0.2 * 0.45 = 0.09
    assert got == {"CCC": 0.5, "DDD": 0.45, "AAA": 0.09}
    assert [r["actor"] for r in rows] == ["CCC", "DDD", "AAA"]
    assert next(r for r in rows if r["actor"] == "DDD")["chain"] == ["DDD", "CCC", "BBB"]
    assert all(r["channels"] == [] for r in rows)  # A has no channel to C or D
    ccc = principals(sc, "BBB", "CCC", sc.day("2002-01-01"))
    assert next(r for r in ccc if r["actor"] == "AAA")["channels"] == []
    with pytest.raises(BackchannelError, match="unknown actor 'ZZZ'"):
        principals(sc, "ZZZ", "AAA", sc.day("2002-01-01"))
