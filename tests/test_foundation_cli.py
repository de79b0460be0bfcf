"""The scenario commands and the Python API on the example scenario and small files."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

import backchannel
from backchannel import BackchannelError
from backchannel.core.dates import format_duration, parse_date, parse_duration

SMALL = """
scenario: small
title: Three states, an alliance
actors:
  - id: ALL
    kind: alliance
    name: Alliance
    offices: [{id: ALL.SG, name: Secretary General, rank: head_of_organisation}]
    members: [{actor: AAA, from: 1990}, {actor: CCC, from: 2004-03-29}]
  - id: AAA
    kind: state
    name: A
    offices:
      - {id: AAA.HOS, name: President, rank: head_of_state}
      - {id: AAA.MFA, name: Foreign Minister, rank: minister, reports_to: AAA.HOS}
  - id: BBB
    kind: state
    name: B
    offices:
      - {id: BBB.HOS, name: President, rank: head_of_state,
         holders: [{name: First, from: 1999}, {name: Second, from: 2008-05-07}]}
      - {id: BBB.MFA, name: Foreign Minister, rank: minister, reports_to: BBB.HOS}
  - id: CCC
    kind: state
    name: C
    offices: [{id: CCC.HOS, name: President, rank: head_of_state}]
channels:
  - {id: emb-a-b, kind: embassy, ends: [AAA.MFA, BBB.MFA], latency: 6h, staff: 30}
  - {id: emb-c-b, kind: embassy, ends: [CCC.HOS, BBB.MFA], latency: 6h}
  - {id: council, kind: council, ends: [ALL.SG, BBB.HOS, AAA.HOS], latency: 14d}
  - {id: never, kind: hotline, ends: [AAA.HOS, BBB.HOS], latency: 15m}
frameworks:
  - {id: pact, name: The Pact, parties: [ALL, BBB], enables: [council]}
sides: {west: [ALL], east: [BBB]}
events:
  - {date: 1995, do: open, channel: emb-a-b}
  - {date: 1997-05-27, do: sign, framework: pact}
  - {date: 1997-07, do: open, channel: council}
  - {date: 1998-01-10, do: meet, channel: council}
  - {date: 2004-03-29, do: open, channel: emb-c-b}
  - {id: expel, date: 2014-04-01, do: expel, channel: emb-a-b, count: 8, cap: 20}
  - {id: pause, date: 2014-04-01, do: suspend, channel: council}
  - {date: 2015, do: leave, actor: CCC, org: ALL}
  - {date: 2018-03-27, do: close, channel: emb-a-b}
"""


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(SMALL)
    return path


def test_dates_and_durations():
    assert parse_date("2021-10").day == dt.date(2021, 10, 1)
    assert parse_date(2021).precision == "year"
    assert parse_date("2021-10") < parse_date("2021-10-02")
    assert parse_duration("15m") == 900 and parse_duration("3w") == 21 * 86400
    assert format_duration(6 * 3600 + 900) == "6h 15m"
    with pytest.raises(ValueError, match="not a real date"):
        parse_date("2021-02-30")
    with pytest.raises(ValueError, match="malformed duration"):
        parse_duration("6 hours")


def test_channels_json_shape_and_statuses(run_cli, small):
    res = run_cli("channels", "AAA", "BBB", "--at", "2014-04-01", "--scenario", small, "--json")
    assert res.code == 0, res.err
    doc = json.loads(res.out)
    assert doc["at"] == "2014-04-01"
    rows = {c["id"]: c for c in doc["channels"]}
    # `never` was never opened; every other channel with an end on each side is listed
    assert set(rows) == {"emb-a-b", "council"}
    for row in rows.values():
        assert {"id", "kind", "status", "ends", "level", "latency_s", "dormant"} <= set(row)
        assert isinstance(row["dormant"], bool)
    assert rows["emb-a-b"]["status"] == "restricted"
    assert rows["emb-a-b"]["staff"] == 20 and rows["emb-a-b"]["cap"] == 20
    assert rows["council"]["status"] == "suspended"
    assert rows["council"]["latency_s"] == 14 * 86400


def test_closed_channels_are_listed_too(run_cli, small):
    doc = json.loads(run_cli("channels", "AAA", "BBB", "--at", "2020", "-s", small, "--json").out)
    assert {c["id"]: c["status"] for c in doc["channels"]}["emb-a-b"] == "closed"


def test_an_actor_stands_for_all_its_offices(small):
    sc = backchannel.load(small)
    by_actor = {r["id"] for r in sc.at("2005").channels("AAA", "BBB")}
    by_office = {r["id"] for r in sc.at("2005").channels("AAA.MFA", "BBB.MFA")}
    assert by_office == {"emb-a-b"}
    assert by_actor == {"emb-a-b", "council"}


def test_a_side_expands_alliances_to_members_at_the_date(small):
    sc = backchannel.load(small)
    assert "emb-c-b" in {r["id"] for r in sc.at("2010").channels("west", "east")}
    # CCC left the alliance in 2015: its embassy is no longer a west-east channel
    assert "emb-c-b" not in {r["id"] for r in sc.at("2016").channels("west", "east")}
    assert sc.at("2016").members("ALL") == ["AAA"]


def test_partial_dates_are_the_first_day_of_their_period(small):
    sc = backchannel.load(small)
    assert sc.at("1997-06-30").status("council") is None
    assert sc.at("1997-07-01").status("council") == "active"
    assert sc.at("1997-07").status("council") == "active"
    assert sc.at("1994-12-31").status("emb-a-b") is None
    assert sc.at("1995").status("emb-a-b") == "active"


def test_dormancy_from_recorded_use(small):
    sc = backchannel.load(small)
    # the council met on 1998-01-10; a year later with no use it is dormant
    assert not sc.at("1999-01-09").dormant("council")
    assert sc.at("1999-01-10").dormant("council")
    # untracked embassies are never dormant
    assert not sc.at("2010").dormant("emb-a-b")
    # suspended channels are not dormant: they are suspended
    assert not sc.at("2016").dormant("council")


def test_activity_from_event_data_makes_a_channel_tracked(small):
    sc = backchannel.load(small).with_activity({"emb-a-b": ["2000-06-01"]})
    assert sc.at("2001-06-01").dormant("emb-a-b")
    assert not sc.at("2001-05-31").dormant("emb-a-b")


def test_holders_frameworks_and_diff(small):
    sc = backchannel.load(small)
    assert sc.at("2008-05-06").holder("BBB.HOS") == "First"
    assert sc.at("2008-05-07").holder("BBB.HOS") == "Second"
    assert sc.at("1997-05-26").framework("pact") is None
    assert sc.at("1997-05-27").framework("pact") == "in_force"
    changes = {(c.what, c.id): (c.before, c.after) for c in sc.diff("2014-03-31", "2014-04-01")}
    assert changes[("channel", "emb-a-b")] == ("active", "restricted")
    assert changes[("channel", "council")] == ("active", "suspended")
    assert changes[("staff", "emb-a-b")] == ("staff 30", "staff 20, cap 20")


def test_timeline_json_shape(run_cli, small):
    res = run_cli("timeline", "--scenario", small, "--json", "--channel", "emb-a-b")
    doc = json.loads(res.out)
    assert doc["channels"] == [
        {
            "id": "emb-a-b",
            "kind": "embassy",
            "spans": [
                {"from": "1995-01-01", "to": "2014-04-01", "status": "active"},
                {"from": "2014-04-01", "to": "2018-03-27", "status": "restricted"},
                {"from": "2018-03-27", "to": None, "status": "closed"},
            ],
            "uses": [],
        }
    ]
    every = json.loads(run_cli("timeline", "-s", small, "--json").out)["channels"]
    assert [c["id"] for c in every] == ["emb-a-b", "emb-c-b", "council", "never"]
    assert every[3]["spans"] == []


def test_records_become_dataframes(small):
    df = backchannel.load(small).at("2005").channels("AAA", "BBB").to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert list(df["id"]) == ["emb-a-b", "council"]
    assert df.set_index("id").loc["council", "status"] == "active"


def test_text_output_and_default_date(run_cli, small):
    res = run_cli("channels", "AAA", "BBB", "-s", small)
    assert res.code == 0
    assert "2018-03-27" in res.out  # default --at: the last event's day
    assert "emb-a-b" in res.out and "closed" in res.out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["channels", "AAA", "ZZZ"], 1, "unknown actor, office or side 'ZZZ'"),
        (["channels", "AAA", "BBB", "--at", "2021-02-30"], 1, "--at: '2021-02-30' is not a real"),
        (["channels", "AAA", "BBB", "--at", "soon"], 1, "--at: cannot parse 'soon'"),
        (["timeline", "--channel", "nope"], 1, "unknown channel 'nope'"),
        (["channels", "AAA"], 2, "Missing argument"),
        (["channels", "AAA", "BBB", "--bogus"], 2, "No such option"),
    ],
)
def test_bad_input_and_bad_usage(run_cli, small, args, code, message):
    res = run_cli(*args, "--scenario", small)
    assert res.code == code
    assert message in res.err
    assert res.out == ""


def test_unknown_scenario_name(run_cli):
    res = run_cli("channels", "A", "B", "--scenario", "no-such-scenario")
    assert res.code == 1
    assert "unknown scenario 'no-such-scenario'" in res.err


def test_scenarios_lists_the_built_ins(run_cli):
    doc = json.loads(run_cli("scenarios", "--json").out)
    names = {s["name"] for s in doc["scenarios"]}
    assert "example" in names
    assert sum(s["default"] for s in doc["scenarios"]) == 1


def test_diff_command(run_cli, small):
    doc = json.loads(run_cli("diff", "2014-03-31", "2014-04-01", "-s", small, "--json").out)
    assert {"what": "channel", "id": "council", "before": "active", "after": "suspended"} in doc[
        "changes"
    ]


def test_api_errors_are_backchannel_errors(small):
    sc = backchannel.load(small)
    with pytest.raises(BackchannelError, match="not a real date"):
        sc.at("2001-02-29")
    with pytest.raises(BackchannelError, match="unknown scenario"):
        backchannel.load("nope")


def test_membership_events_and_declared_spells_interleave_by_date(tmp_path):
    text = (
        SMALL.replace(
            "members: [{actor: AAA, from: 1990}, {actor: CCC, from: 2004-03-29}]",
            "members: [{actor: AAA, from: 1990}, {actor: CCC, from: 2010, to: 2012}]",
        )
        .replace(
            "  - {date: 1995, do: open, channel: emb-a-b}",
            "  - {date: 1995, do: open, channel: emb-a-b}\n"
            "  - {date: 1996, do: join, actor: CCC, org: ALL}",
        )
        .replace("  - {date: 2015, do: leave, actor: CCC, org: ALL}\n", "")
    )
    path = tmp_path / "s.yaml"
    path.write_text(text)
    sc = backchannel.load(path)
    assert sc.at("1995").members("ALL") == ["AAA"]
    assert sc.at("2000").members("ALL") == ["AAA", "CCC"]
    assert sc.at("2011").members("ALL") == ["AAA", "CCC"]
    assert sc.at("2012").members("ALL") == ["AAA"]
