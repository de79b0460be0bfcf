"""The analysis commands: JSON shapes, exit codes, bad input; the built-in scenarios."""

from __future__ import annotations

import json

import pytest

import backchannel
from backchannel.graph.cuts import resilience
from backchannel.graph.paths import time_to_contact
from backchannel.judge.impact import impact
from backchannel.judge.principals import principals
from backchannel.record.loader import load_doc
from backchannel.testing.generate import generate


def js(res):
    assert res.code == 0, res.err
    return json.loads(res.out)


def test_path_json_shape(run_cli):
    d = js(
        run_cli("path", "AAA.CHIEF", "BBB.CHIEF", "--at", "2021-09-01", "-s", "example", "--json")
    )
    assert {"at", "reachable", "latency_s", "path"} <= set(d)
    assert d["at"] == "2021-09-01" and d["reachable"] is True and d["latency_s"] == 900
    assert [s["office"] for s in d["path"]] == ["AAA.CHIEF", "BBB.CHIEF"]
    assert [s["via"] for s in d["path"]] == [None, "chiefs-line"]
    # the hotline suspended: through the embassy, 1h + 1h + 12h + 1h + 1h
    d = js(
        run_cli("path", "AAA.CHIEF", "BBB.CHIEF", "--at", "2020-07-01", "-s", "example", "--json")
    )
    assert d["latency_s"] == 16 * 3600
    assert "embassy-a-in-b" in [s["via"] for s in d["path"]]
    # cut the embassy too: unreachable is an answer, not an error
    d = js(
        run_cli(
            "path",
            "AAA",
            "BBB",
            "--at",
            "2020-07-01",
            "--cut",
            "embassy-a-in-b",
            "-s",
            "example",
            "--json",
        )
    )
    assert d["reachable"] is False and d["latency_s"] is None and d["path"] == []


def test_path_min_rank(run_cli):
    d = js(
        run_cli(
            "path",
            "AAA.CHIEF",
            "BBB",
            "--min-rank",
            "head_of_state",
            "--at",
            "2021-09-01",
            "-s",
            "example",
            "--json",
        )
    )
    assert d["path"][-1]["office"] == "BBB.HOS"
    assert d["latency_s"] == 900 + 3600  # hotline, then up to the president
    bad = run_cli("path", "AAA", "BBB", "--min-rank", "king", "-s", "example")
    assert bad.code == 1 and "unknown rank 'king'" in bad.err


def test_resilience_json_shape(run_cli):
    d = js(run_cli("resilience", "AAA", "BBB", "--at", "2021-09-01", "-s", "example", "--json"))
    assert {"at", "min_cut", "cut", "single_points", "min_cut_fast", "budget_s"} <= set(d)
    assert d["min_cut"] == 2 and sorted(d["cut"]) == ["chiefs-line", "embassy-a-in-b"]
    assert d["single_points"] == [] and d["min_cut_fast"] == 1 and d["budget_s"] == 3600
    d = js(
        run_cli(
            "resilience",
            "AAA",
            "BBB",
            "--at",
            "2020-07-01",
            "--budget",
            "1d",
            "-s",
            "example",
            "--json",
        )
    )
    assert d["min_cut"] == 1 and d["single_points"] == ["embassy-a-in-b"]
    assert d["min_cut_fast"] == 1 and d["budget_s"] == 86400
    d = js(run_cli("resilience", "AAA.HOS", "AAA.CHIEF", "-s", "example", "--json"))
    assert d["min_cut"] is None and d["uncuttable"] is True and "cannot be cut" in d["reason"]


def test_impact_json_shape(run_cli):
    d = js(run_cli("impact", "-s", "example", "--json"))
    ev = {e["id"]: e for e in d["events"]}
    s = ev["hotline-suspended"]
    assert {"id", "date", "verdict", "dormant_before", "reason", "pairs"} <= set(s)
    assert s["verdict"] == "material" and s["dormant_before"] is True
    assert s["source"]["url"] == "https://example.org/a"
    assert s["pairs"][0]["before"]["latency_s"] == 900
    one = js(run_cli("impact", "--event", "hotline-suspended", "--live", "-s", "example", "--json"))
    assert [e["id"] for e in one["events"]] == ["hotline-suspended"]
    assert one["events"][0]["verdict"] == "nonevent"  # the line was dormant: live, no loss
    bad = run_cli("impact", "--event", "nope", "-s", "example")
    assert bad.code == 1 and "unknown event 'nope'" in bad.err


def test_whatif_json_and_errors(run_cli):
    d = js(
        run_cli("whatif", "--cut", "chiefs-line", "--at", "2021-09-01", "-s", "example", "--json")
    )
    assert set(d["record"]) >= {"at", "pairs"} and set(d["whatif"]) >= {"at", "pairs"}
    rec, alt = d["record"]["pairs"][0], d["whatif"]["pairs"][0]
    for side in (rec, alt):
        assert {"between", "reachable", "latency_s", "min_cut", "min_cut_fast"} <= set(side)
    assert rec["latency_s"] == 900 and alt["latency_s"] == 16 * 3600
    assert d["changed"][0]["between"] == ["AAA.CHIEF", "BBB.CHIEF"]
    d = js(
        run_cli(
            "whatif",
            "--event",
            "{date: 2020-07-01, do: restore, channel: chiefs-line}",
            "-s",
            "example",
            "--json",
        )
    )
    assert d["record"]["at"] == "2020-07-01" and d["whatif"]["pairs"][0]["latency_s"] == 900
    bad = run_cli(
        "whatif",
        "--event",
        "{date: 2020-07-01, do: close, channel: chiefs-line}",
        "--cut",
        "chiefs-line",
        "--at",
        "2020-07-01",
        "-s",
        "example",
    )
    assert bad.code == 1 and "cannot close channel 'chiefs-line': it is closed" in bad.err
    bad = run_cli("whatif", "--cut", "chiefs-line", "--at", "2010", "-s", "example")
    assert bad.code == 1 and "not opened yet" in bad.err
    bad = run_cli("whatif", "--event", "{date: 2020-07-01, do: restore", "-s", "example")
    assert bad.code == 1 and "--event 1" in bad.err
    bad = run_cli("whatif", "--cut", "nope", "--at", "2020", "-s", "example")
    assert bad.code == 1 and "unknown channel 'nope'" in bad.err


@pytest.mark.parametrize("cmd", ["path", "resilience"])
def test_bad_names_and_dates_exit_1(run_cli, cmd):
    res = run_cli(cmd, "AAA.NOPE", "BBB", "-s", "example")
    assert res.code == 1 and "unknown actor, office or side 'AAA.NOPE'" in res.err
    res = run_cli(cmd, "AAA", "BBB", "--at", "2021-02-30", "-s", "example")
    assert res.code == 1 and "--at" in res.err
    res = run_cli(cmd, "AAA", "-s", "example")
    assert res.code == 2


def test_principals_and_generate_cli(run_cli, tmp_path):
    out = tmp_path / "w.yaml"
    d = js(
        run_cli(
            "generate",
            "--actors",
            "12",
            "--channels",
            "40",
            "--events",
            "200",
            "--watch",
            "4",
            "--seed",
            "7",
            "--out",
            str(out),
            "--json",
        )
    )
    assert d["events"] == 200 and out.exists()
    doc = load_doc(out)  # valid by construction, the lifecycle included
    assert len(doc.actors) == 12 and len(doc.channels) == 40 and len(doc.events) == 200
    again = tmp_path / "w2.yaml"
    js(
        run_cli(
            "generate",
            "--actors",
            "12",
            "--channels",
            "40",
            "--events",
            "200",
            "--watch",
            "4",
            "--seed",
            "7",
            "--out",
            str(again),
            "--json",
        )
    )
    assert out.read_text() == again.read_text()  # deterministic by seed
    p = js(run_cli("principals", doc.influence[0].agent, "--by", "S000", "-s", str(out), "--json"))
    assert p["principals"] and {"actor", "weight", "channels"} <= set(p["principals"][0])
    d = js(run_cli("impact", "-s", str(out), "--json"))
    assert len(d["events"]) == 200
    assert {e["verdict"] for e in d["events"]} <= {"material", "symbolic", "nonevent"}


def test_generated_worlds_have_what_the_tests_need():
    doc = generate(actors=40, channels=300, events=2000, watch=6, seed=3)
    sc = backchannel.Scenario(doc)
    assert any(len(c.ends) > 2 for c in doc.channels)
    assert any(o.also for a in doc.actors for o in a.offices)
    assert any(a.members for a in doc.actors)
    assert any(e.do.value == "join" for e in doc.events)
    days = [e.date.ordinal for e in doc.events]
    assert len(days) > len(set(days))  # same-day events
    assert max(days) - min(days) > 20 * 365  # decades
    items = impact(sc)
    assert {x.verdict for x in items} == {"material", "symbolic", "nonevent"}


# -- the built-in Russia–NATO scenario -------------------------------------------------------
def test_november_2021_suspension_is_not_material_for_the_crisis_line(russia_nato):
    susp = [
        e
        for e in russia_nato.doc.events
        if e.do.value == "suspend" and str(e.date).startswith("2021-1")
    ]
    assert susp, "the scenario records Russia's suspension of its mission"
    items = {x.id: x for x in impact(russia_nato)}
    for e in susp:
        pair = next(p for p in items[e.id].pairs if p.a == "RUS.CGS" and p.b == "NATO.SACEUR")
        assert pair.verdict != "material", items[e.id].reason
        assert pair.after.within_budget  # the SACEUR–CGS line still answers within 1h
    # independent check: the crisis pair reaches each other within the hour afterwards
    day = max(e.date.ordinal for e in susp)
    r = time_to_contact(russia_nato, "RUS.CGS", "NATO.SACEUR", day)
    assert r.latency_s is not None and r.latency_s <= 3600


def test_principals_of_ukraine_rank_usa_first(russia_nato, run_cli):
    rows = principals(russia_nato, "UKR", "RUS", russia_nato.day("2021-11-02"))
    assert rows[0]["actor"] == "USA"
    weights = {i.principal: i.weight for i in russia_nato.doc.influence if i.agent == "UKR"}
    assert rows[0]["weight"] >= max(weights.values())
    d = js(run_cli("principals", "UKR", "--by", "RUS", "--at", "2021-11-02", "--json"))
    assert d["principals"][0]["actor"] == "USA" and d["principals"][0]["channels"]


def test_whatif_cutting_the_saceur_cgs_line_changes_the_crisis_pair(russia_nato, run_cli):
    line = next(c.id for c in russia_nato.doc.channels if set(c.ends) == {"RUS.CGS", "NATO.SACEUR"})
    d = js(run_cli("whatif", "--cut", line, "--at", "2021-11-02", "--json"))
    rec = next(p for p in d["record"]["pairs"] if p["between"] == ["RUS.CGS", "NATO.SACEUR"])
    alt = next(p for p in d["whatif"]["pairs"] if p["between"] == ["RUS.CGS", "NATO.SACEUR"])
    assert (rec["latency_s"], rec["min_cut"], rec["min_cut_fast"]) != (
        alt["latency_s"],
        alt["min_cut"],
        alt["min_cut_fast"],
    )
    # independently: the same figures with the line treated as cut
    day = russia_nato.day("2021-11-02")
    cut = resilience(russia_nato, "RUS.CGS", "NATO.SACEUR", day, cut=[line])
    assert alt["min_cut"] == cut.min_cut and alt["min_cut_fast"] == cut.min_cut_fast
    assert (
        alt["latency_s"]
        == time_to_contact(russia_nato, "RUS.CGS", "NATO.SACEUR", day, cut=[line]).latency_s
    )
    assert ["RUS.CGS", "NATO.SACEUR"] in [c["between"] for c in d["changed"]]
    assert "RUS.CGS ↔ NATO.SACEUR" in d["summary"]
