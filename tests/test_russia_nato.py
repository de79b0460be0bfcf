"""The built-in scenario russia-nato (issue 4), checked through the tool's own answers.

Expected values come from the research file FACTS.md (quoted in each test) or are parsed
from it, never from the tool's output. Tests that parse FACTS.md need the shared research
file beside the data folder (../shared/FACTS.md).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

import backchannel
from backchannel.core.model import Source
from backchannel.record.scenario import DEFAULT_SCENARIO

NAME = "russia-nato"


@pytest.fixture(scope="module")
def sc(russia_nato) -> backchannel.Scenario:
    return russia_nato


@pytest.fixture(scope="module")
def facts(data_dir: Path) -> str:
    path = data_dir.parent / "FACTS.md"
    if not path.is_file():
        pytest.fail(f"the research file FACTS.md is not at {path}; set BACKCHANNEL_DATA")
    return path.read_text(encoding="utf-8")


def day(text: str) -> int:
    return dt.date.fromisoformat(text).toordinal()


def channels_json(run_cli, a: str, b: str, at: str) -> dict[str, dict]:
    res = run_cli("channels", a, b, "--at", at, "--scenario", NAME, "--json")
    assert res.code == 0, res.err
    doc = json.loads(res.out)
    assert doc["at"] == at
    return {c["id"]: c for c in doc["channels"]}


# ------------------------------------------------------------------------- validity
def test_check_passes(run_cli):
    res = run_cli("check", NAME, "--json")
    assert res.code == 0, res.out + res.err
    assert json.loads(res.out) == {"ok": True, "errors": []}


def test_russia_nato_is_the_default_scenario(run_cli):
    assert DEFAULT_SCENARIO == NAME
    assert backchannel.load().name == NAME
    listed = json.loads(run_cli("scenarios", "--json").out)["scenarios"]
    assert [s["name"] for s in listed if s["default"]] == [NAME]


def test_required_actors_offices_and_dual_hat(sc):
    for actor in ("RUS", "NATO", "USA", "BEL", "FRA", "DEU", "GBR", "UKR", "EU"):
        assert actor in sc.actors
    for office in (
        "RUS.PRES",
        "RUS.MFA",
        "RUS.CGS",
        "NATO.SG",
        "NATO.SACEUR",
        "USA.POTUS",
        "USA.STATE",
        "USA.CJCS",
    ):
        assert office in sc.offices
    assert sc.offices["NATO.SACEUR"].also == ["USA.EUCOM"]
    for actor in ("FRA", "DEU", "UKR"):
        assert sc.offices[sc.head_office(actor)].rank.value in (
            "head_of_state",
            "head_of_government",
        )


def test_every_office_reaches_its_actors_head(sc):
    """reports_to chains join every office of an actor to its head office."""
    for actor in sc.actors.values():
        head = sc.head_office(actor.id)
        for office in actor.offices:
            seen, cur = set(), office
            while cur.id != head:
                assert cur.id not in seen, f"reports_to loop at {cur.id}"
                seen.add(cur.id)
                assert cur.reports_to, f"{office.id} does not reach {head}"
                cur = sc.offices[cur.reports_to]


# ------------------------------------------------------------------------- 2021-11-02
def test_what_was_open_on_2021_11_02(run_cli, sc):
    nato = channels_json(run_cli, "RUS", "NATO", "2021-11-02")
    assert nato["rus-mission-nato"]["status"] == "suspended"
    assert nato["nato-mlm-moscow"]["status"] == "suspended"
    assert nato["nato-nio-moscow"]["status"] == "closed"
    assert nato["saceur-cgs-line"]["status"] == "active"
    # Lavrov's named contact point (F-110) is open
    assert nato["nato-via-rus-embassy-belgium"]["status"] == "active"

    bel = channels_json(run_cli, "RUS", "BEL", "2021-11-02")
    assert bel["rus-embassy-belgium"]["status"] in ("active", "restricted")

    west = channels_json(run_cli, "RUS", "west", "2021-11-02")
    in_moscow = {
        sc.offices[end].actor
        for c in west.values()
        if c["kind"] == "embassy"
        and "RUS.MFA" in c["ends"]
        and "moscow" in c["id"]
        and c["status"] in ("active", "restricted")
        for end in c["ends"]
        if end != "RUS.MFA"
    }
    assert {"USA", "GBR", "FRA", "DEU", "BEL"} <= in_moscow
    assert sc.at("2021-11-02").framework("founding-act") == "in_force"


# ------------------------------------------------------------------------- 2021-10-01
def test_mission_cap_20_since_2018(sc, run_cli):
    nato = channels_json(run_cli, "RUS", "NATO", "2021-10-01")
    mission = nato["rus-mission-nato"]
    assert (mission["status"], mission["cap"]) == ("restricted", 20)
    # F-343, F-345, F-347: 30 (2015) -> 20 (2018-03-27) -> 10 (2021-10-06)
    state = sc.timeline.state
    assert state("rus-mission-nato", day("2018-03-26")).cap == 30
    assert state("rus-mission-nato", day("2018-03-27")).cap == 20
    assert state("rus-mission-nato", day("2021-10-06")).cap == 10


def test_nrc_dormant_on_2021_10_01(sc, run_cli):
    nrc = channels_json(run_cli, "RUS", "NATO", "2021-10-01")["nrc"]
    assert nrc["status"] == "restricted"
    assert nrc["dormant"] is True
    # F-381: no NRC from 2019-07-05 to 2022-01-12
    assert nrc["last_use"] == "2019-07-05"
    assert day("2021-10-01") - day(nrc["last_use"]) >= 365


def test_dormancy_follows_the_recorded_uses(sc):
    """The scenario asserts no dormancy: the flag agrees with the uses it records."""
    at = day("2021-10-01")
    tl = sc.timeline
    for ch in (
        "saceur-cgs-line",
        "cmc-cgs-line",
        "nato-cgs-meetings",
        "nato-mlm-moscow",
        "nato-nio-moscow",
    ):
        last = tl.last_use(ch, at)
        expected = tl.tracked(ch, at) and (last is None or at - last >= 365)
        assert tl.dormant(ch, at) is expected, ch
    # FACTS.md records no use of NATO's offices in Moscow: untracked, so never dormant
    for ch in ("nato-mlm-moscow", "nato-nio-moscow"):
        assert tl.uses(ch) == []
        assert not tl.tracked(ch, at) and not tl.dormant(ch, at)
    # F-410: the last SACEUR-CGS meeting is Baku, 2020-02-06
    assert tl.last_use("nato-cgs-meetings", at) == day("2020-02-06")


# ------------------------------------------------------------------------- the NRC
def test_nrc_2013_active_and_used(sc):
    snap = sc.at("2013-06-01")
    assert snap.status("nrc") == "active"
    assert snap.dormant("nrc") is False


def test_nrc_restricted_from_april_2014(sc):
    # F-214: practical cooperation suspended 2014-04-01
    assert sc.at("2014-03-31").status("nrc") == "active"
    assert sc.at("2014-04-01").status("nrc") == "restricted"
    assert sc.at("2019-07-05").status("nrc") == "restricted"


def test_nrc_sessions_2016_2019_and_2022_are_uses(sc):
    uses = [dt.date.fromordinal(d) for d in sc.timeline.uses("nrc")]
    # F-381: ten NRC meetings in 2016-2019, none after until 2022-01-12 (F-380)
    assert len([u for u in uses if 2016 <= u.year <= 2019]) == 10
    assert dt.date(2022, 1, 12) in uses
    assert not [u for u in uses if dt.date(2019, 7, 5) < u < dt.date(2022, 1, 12)]
    # F-362: no NRC meeting in 2015
    assert not [u for u in uses if u.year == 2015]


def test_pjc_gives_way_to_nrc_without_a_gap(sc):
    assert sc.at("2002-05-27").status("pjc") == "active"
    assert sc.at("2002-05-28").status("pjc") == "closed"
    assert sc.at("2002-05-28").status("nrc") == "active"
    assert sc.at("2002-05-27").status("nrc") is None


def test_nrc_timeline_from_the_cli(run_cli):
    res = run_cli("timeline", "--scenario", NAME, "--channel", "nrc", "--json")
    assert res.code == 0, res.err
    spans = json.loads(res.out)["channels"][0]["spans"]
    # F-209, F-211, F-212, F-214
    assert [(s["from"], s["status"]) for s in spans] == [
        ("2002-05-28", "active"),
        ("2008-08-19", "suspended"),
        ("2009-03-05", "active"),
        ("2014-04-01", "restricted"),
    ]


# ------------------------------------------------------------------------- events
def test_october_november_2021_events_have_ids_and_sources(sc):
    derived = re.compile(r"^\d{4}(-\d{2}){0,2}-[a-z]+(-|$)")
    late = [e for e in sc.doc.events if str(e.date).startswith(("2021-10", "2021-11"))]
    assert len(late) >= 10
    for e in late:
        assert e.id and not derived.match(e.id), e.id
        assert e.source and e.source.title and e.source.url and e.source.published, e.id
        assert e.note
    ids = {e.id for e in late}
    for expected in (
        "nato-expels-8-2021",
        "russia-suspends-mission-2021",
        "russia-suspends-mlm-2021",
        "russia-closes-nio-2021",
    ):
        assert expected in ids


def test_the_october_2021_measures(sc):
    by_id = {e.id: e for e in sc.doc.events}
    expel = by_id["nato-expels-8-2021"]
    # F-101, F-102: 8 accreditations withdrawn, ceiling 20 -> 10
    assert (str(expel.date), expel.do.value, expel.count, expel.cap) == (
        "2021-10-06",
        "expel",
        8,
        10,
    )
    assert by_id["russia-suspends-mission-2021"].channel == "rus-mission-nato"


def test_every_event_is_sourced_or_says_why_not(sc):
    for e in sc.doc.events:
        if e.source is None:
            assert e.note and e.note.startswith("Unsourced:"), e.id
        else:
            assert e.source.title and e.source.url, e.id
        assert e.note, e.id


def _sources(sc) -> list[tuple[str, Source]]:
    out: list[tuple[str, Source]] = []

    def add(where: str, obj) -> None:
        if obj.source is not None:
            out.append((where, obj.source))
        out.extend((where, s) for s in obj.see_also)

    for a in sc.doc.actors:
        for m in a.members:
            add(f"{a.id} member {m.actor}", m)
        for o in a.offices:
            for h in o.holders:
                add(f"{o.id} holder {h.name}", h)
    for group in (sc.doc.channels, sc.doc.frameworks, sc.doc.influence):
        for item in group:
            add(getattr(item, "id", None) or f"{item.principal}->{item.agent}", item)
    for e in sc.doc.events:
        add(f"event {e.id}", e)
    return out


def test_every_source_is_one_facts_md_gives(sc, facts):
    section = facts[facts.index("\n## Sources") :]
    lines = {}
    for line in section.splitlines():
        for url in re.findall(r"https?://\S+", line):
            lines.setdefault(url, line)
    found = _sources(sc)
    assert len(found) > 200
    for where, s in found:
        assert s.url in lines, f"{where}: {s.url} is not in FACTS.md's Sources"
        line = lines[s.url]
        title = s.title.rsplit(" — ", 1)[0]
        assert f"— {title} —" in line, f"{where}: title differs from FACTS.md"
        if s.published is not None:
            assert str(s.published.day.year) in line.split(s.url, 1)[1], where


# ------------------------------------------------------------------------- membership
def test_nato_member_counts(sc):
    # FACTS.md section 7, model notes: 16 in 1997, 19 from 1999-03-12, 26 from 2004-03-29,
    # 28 from 2009-04-01, 29 from 2017-06-05, 30 from 2020-03-27
    counts = {
        "1998-01-01": 16,
        "1999-03-11": 16,
        "1999-03-12": 19,
        "2004-03-29": 26,
        "2009-04-01": 28,
        "2017-06-04": 28,
        "2017-06-05": 29,
        "2020-03-27": 30,
        "2021-11-02": 30,
    }
    for at, n in counts.items():
        assert len(sc.at(at).members("NATO")) == n, at


def test_nato_accessions_match_facts_md(sc, facts):
    rows = re.findall(r"^\| F-7\d\d \| ([A-Z]{3}) \| [^|]+\| (\d{4}-\d{2}-\d{2})", facts, re.M)
    assert len(rows) == 30
    joined = {iso: dt.date.fromisoformat(d).toordinal() for iso, d in rows}
    for when in sorted(set(joined.values())):
        for d in (when - 1, when):
            expected = sorted(iso for iso, j in joined.items() if j <= d)
            assert sc.timeline.members("NATO", d) == expected


def test_sides(sc):
    d = day("2021-11-02")
    west = sc.side_actors("west", d)
    assert {"NATO", "EU", "USA", "BEL", "MKD"} <= set(west)
    assert "RUS" not in west and "UKR" not in west
    assert sc.side_actors("russia", d) == ["RUS"]


# ------------------------------------------------------------------------- holders
def test_holders_on_2021_11_02(sc):
    snap = sc.at("2021-11-02")
    # FACTS.md 6.1-6.7
    assert "Gerasimov" in snap.holder("RUS.CGS")
    assert "Wolters" in snap.holder("NATO.SACEUR")
    assert "Stoltenberg" in snap.holder("NATO.SG")
    assert "Lavrov" in snap.holder("RUS.MFA")
    assert "Biden" in snap.holder("USA.POTUS")
    assert "Milley" in snap.holder("USA.CJCS")
    assert "Merkel" in snap.holder("DEU.CHANCELLOR")
    assert "Scholz" in sc.at("2021-12-08").holder("DEU.CHANCELLOR")
    # 6.5: the post of permanent representative was vacant from 2018 (acting Gorlach)
    assert "Gorlach" in sc.at("2021-10-01").holder("RUS.NATO-REP")


_TABLE_OFFICES = {
    "6.1": "NATO.SG",
    "6.2": "NATO.SACEUR",
    "6.3": "RUS.CGS",
    "6.5": "RUS.NATO-REP",
    "President": "RUS.PRES",
    "Foreign minister": "RUS.MFA",
    "Secretary of State": "USA.STATE",
    "CJCS": "USA.CJCS",
    "President of France": "FRA.PRES",
    "Chancellor of Germany": "DEU.CHANCELLOR",
    "President of Ukraine": "UKR.PRES",
    "President of Ukraine (acting)": "UKR.PRES",
}


def _facts_holders(facts: str) -> list[tuple[str, str, str]]:
    """(office id, surname, from day) for every row of FACTS.md section 6 with a day."""
    sec = facts[facts.index("## 6. Office holders") : facts.index("## 7. NATO membership")]
    out = []
    part = ""
    for line in sec.splitlines():
        m = re.match(r"### (6\.\d)", line)
        if m:
            part = m.group(1)
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("| ") or len(cells) < 4 or cells[0] in ("Holder", "Office"):
            continue
        if set(cells[0]) <= {"-"}:
            continue
        if part in ("6.4", "6.6", "6.7"):
            office = _TABLE_OFFICES[cells[0]]
            if part == "6.6" and cells[0] == "President":
                office = "USA.POTUS"
            name, start = cells[1], cells[2]
        else:
            office, name, start = _TABLE_OFFICES[part], cells[0], cells[1]
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", start) or name.startswith("("):
            continue
        name = re.sub(r"\(.*?\)|\b(Gen|Adm)\.", "", name).split()
        out.append((office, name[-1], start))
    return out


def test_holders_match_facts_md(sc, facts):
    rows = _facts_holders(facts)
    assert len(rows) >= 50
    for office, surname, start in rows:
        held = sc.timeline.holder(office, day(start))
        assert held and surname in held, (office, surname, start, held)


# ------------------------------------------------------------------------- channels
def test_normandy_format_is_four_ended(sc):
    ch = sc.channels_by_id["normandy-format"]
    assert sorted(sc.offices[e].actor for e in ch.ends) == ["DEU", "FRA", "RUS", "UKR"]
    d = day("2021-11-02")
    for other in ("FRA", "DEU", "UKR"):
        assert "normandy-format" in [c["id"] for c in sc.channels_between("RUS", other, d)]
    # F-554, F-556: Paris 2019-12-09 was the last leaders' summit before the war
    leaders = [u for u in sc.timeline.uses("normandy-format") if u <= day("2019-12-09")]
    assert leaders[-1] == day("2019-12-09")


def test_military_chiefs_meetings_and_calls(sc):
    uses = {dt.date.fromordinal(u).isoformat() for u in sc.timeline.uses("nato-cgs-meetings")}
    # F-403, F-405, F-407, F-409, F-410: the Baku meetings
    assert {"2017-09-07", "2018-04-19", "2018-12-12", "2019-07-10", "2020-02-06"} <= uses
    calls = {dt.date.fromordinal(u).isoformat() for u in sc.timeline.uses("saceur-cgs-line")}
    assert {"2017-09-14", "2019-06-03"} <= calls  # F-404, F-408
    cjcs = {
        dt.date.fromordinal(u).isoformat() for u in sc.timeline.uses("us-russia-military-meetings")
    }
    assert "2021-09-22" in cjcs  # F-428


def test_influence_weights_are_marked_as_judgements(sc):
    pairs = {(i.principal, i.agent): i for i in sc.doc.influence}
    for key in (("USA", "NATO"), ("USA", "UKR"), ("FRA", "UKR"), ("DEU", "UKR")):
        inf = pairs[key]
        assert 0 < inf.weight <= 1
        assert "judgement" in (inf.note or "").lower()
        assert inf.source is not None


def test_watch_pairs(sc):
    watched = {tuple(w.between): w.budget for w in sc.doc.watch}
    assert watched == {
        ("RUS.CGS", "NATO.SACEUR"): 3600,
        ("RUS.MFA", "NATO.SG"): 2 * 86400,
        ("RUS.PRES", "USA.POTUS"): 3600,
    }


# ------------------------------------------------------------------------- analysis
def test_no_october_november_2021_event_is_material_for_the_crisis_pair(sc):
    from backchannel.judge.impact import impact

    checked = 0
    for item in impact(sc):
        d = item.as_dict()
        if not str(d["date"]).startswith(("2021-10", "2021-11")):
            continue
        for pair in d["pairs"]:
            if pair["between"] == ["RUS.CGS", "NATO.SACEUR"]:
                checked += 1
                assert pair["verdict"] != "material", d["id"]
    assert checked >= 10


def test_impact_cli_judges_the_2021_events(run_cli):
    res = run_cli("impact", "--scenario", NAME, "--json")
    assert res.code == 0, res.err
    events = json.loads(res.out)["events"]
    late = [e for e in events if "2021-10" <= e["date"] < "2021-12"]
    assert {"nato-expels-8-2021", "russia-suspends-mission-2021"} <= {e["id"] for e in late}
    for e in late:
        crisis = [p for p in e["pairs"] if p["between"] == ["RUS.CGS", "NATO.SACEUR"]]
        assert crisis and crisis[0]["verdict"] != "material", e["id"]


def test_live_path_leaves_out_the_dormant_crisis_line(run_cli):
    at = "2021-11-02"
    line = channels_json(run_cli, "RUS", "NATO", at)["saceur-cgs-line"]
    paper = json.loads(
        run_cli("path", "RUS.CGS", "NATO.SACEUR", "--at", at, "-s", NAME, "--json").out
    )
    live = json.loads(
        run_cli("path", "RUS.CGS", "NATO.SACEUR", "--at", at, "-s", NAME, "--live", "--json").out
    )
    assert paper["reachable"] and live["reachable"]
    assert paper["latency_s"] == line["latency_s"]  # the direct line, open on paper
    live_vias = {step["via"] for step in live["path"]}
    assert line["dormant"] is ("saceur-cgs-line" not in live_vias)
    assert live["latency_s"] >= paper["latency_s"]
