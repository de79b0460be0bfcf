"""Channel use from event data: consult events make dormancy come from data, end to end."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import backchannel
from backchannel.eventdata.activity import channel_activity
from backchannel.eventdata.store import ingest

SCENARIO = """
scenario: rus-nato-small
title: Russia and NATO, three channels
actors:
  - id: RUS
    kind: state
    name: Russia
    offices:
      - {id: RUS.PRES, name: President, rank: head_of_state}
      - {id: RUS.MFA, name: Foreign Minister, rank: minister, reports_to: RUS.PRES}
      - {id: RUS.CGS, name: Chief of the General Staff, rank: military_chief,
         reports_to: RUS.PRES}
  - id: NATO
    kind: alliance
    name: NATO
    offices:
      - {id: NATO.SG, name: Secretary General, rank: head_of_organisation}
      - {id: NATO.SACEUR, name: SACEUR, rank: military_chief, reports_to: NATO.SG}
channels:
  - {id: mil-line, kind: hotline, ends: [RUS.CGS, NATO.SACEUR], latency: 15m}
  - {id: rus-mission, kind: permanent_mission, ends: [RUS.MFA, NATO.SG], latency: 6h}
  - {id: nrc, kind: council, ends: [RUS.MFA, NATO.SG], latency: 14d}
events:
  - {date: 2002-05-28, do: open, channel: rus-mission}
  - {date: 2002-05-28, do: open, channel: nrc}
  - {date: 2015-01-01, do: open, channel: mil-line}
"""

# (id, date, Actor1Code, Actor2Code, EventCode); the hotline, the mission and the council
# are used once each; the rest must not count (another actor, 040, an actor with itself).
ROWS = [
    ("900000001", "20160310", "RUSMIL", "IGOWSTNAT", "041"),
    ("900000002", "20160502", "IGOWSTNAT", "RUSGOV", "043"),
    ("900000003", "20190115", "RUS", "IGOWSTNAT", "046"),
    ("900000004", "20190201", "RUS", "USA", "041"),
    ("900000005", "20200701", "RUS", "IGOWSTNAT", "040"),
    ("900000006", "20200801", "RUSGOV", "RUSMIL", "041"),
    ("900000007", "20160311", "IGOWSTNAT", "RUSMIL", "041"),
]


def write_gdelt2(template: Path, dst: Path) -> None:
    """GDELT 2.0 rows in the real 61-column layout, made from the sample's first row."""
    base = template.read_text("utf-8").splitlines()[0].split("\t")
    out = []
    for eid, day, a1, a2, code in ROWS:
        p = list(base)
        p[0], p[1], p[2], p[3] = eid, day, day[:6], day[:4]
        p[5], p[15] = a1, a2
        # GDELT's own country-code columns agree with the codes (IGOs have none)
        p[7], p[17] = (c[:3] if not c.startswith("IGO") else "" for c in (a1, a2))
        p[8], p[18] = "", ""
        p[26], p[27], p[28] = code, code, code[:2]
        p[29], p[30] = "1", "1.0"
        p[59] = "20201231000000"
        out.append("\t".join(p))
    dst.write_text("\n".join(out) + "\n", encoding="utf-8")


@pytest.fixture
def setup(tmp_path, data_dir) -> tuple[Path, Path]:
    scenario = tmp_path / "rus-nato-small.yaml"
    scenario.write_text(SCENARIO)
    raw = tmp_path / "20201231000000.export.CSV"
    write_gdelt2(data_dir / "gdelt/20191024143000.export.CSV", raw)
    db = tmp_path / "events.duckdb"
    assert ingest("gdelt2", [raw], db)[0].rows == len(ROWS)
    return scenario, db


def test_channel_activity_by_kind(setup):
    scenario, db = setup
    act = channel_activity(backchannel.load(scenario), db)
    assert act == {
        "mil-line": [dt.date(2016, 3, 10), dt.date(2016, 3, 11)],
        "rus-mission": [dt.date(2016, 5, 2)],
        "nrc": [dt.date(2019, 1, 15)],
    }


def test_channels_show_dormancy_from_data(setup, run_cli):
    scenario, db = setup

    def channels(at: str, *extra: str) -> dict[str, dict]:
        res = run_cli(
            "channels", "RUS", "NATO", "--at", at, "--scenario", scenario, "--json", *extra
        )
        assert res.code == 0, res.err
        return {c["id"]: c for c in json.loads(res.out)["channels"]}

    plain = channels("2018-06-01")
    assert not any(c["dormant"] for c in plain.values())
    assert plain["mil-line"]["last_use"] is None

    with_data = channels("2016-06-01", "--activity-db", str(db))
    assert with_data["mil-line"]["last_use"] == "2016-03-11"
    assert with_data["rus-mission"]["last_use"] == "2016-05-02"
    assert not with_data["mil-line"]["dormant"] and not with_data["rus-mission"]["dormant"]
    # council activity exists (2019) but not yet: tracked, open since 2002, unused → dormant
    assert with_data["nrc"]["last_use"] is None and with_data["nrc"]["dormant"]

    later = channels("2018-06-01", "--activity-db", str(db))
    assert later["mil-line"]["dormant"] and later["rus-mission"]["dormant"]
    assert later["mil-line"]["last_use"] == "2016-03-11"

    res = run_cli(
        "channels",
        "RUS",
        "NATO",
        "--at",
        "2019-02-01",
        "--scenario",
        scenario,
        "--activity-db",
        str(db),
    )
    assert res.code == 0
    assert "2019-01-15" in res.out  # the council's last use shown in the table


def test_activity_db_must_exist(setup, run_cli, tmp_path):
    scenario, _ = setup
    res = run_cli(
        "channels",
        "RUS",
        "NATO",
        "--scenario",
        scenario,
        "--activity-db",
        str(tmp_path / "missing.duckdb"),
    )
    assert res.code == 1 and "missing.duckdb" in res.err
