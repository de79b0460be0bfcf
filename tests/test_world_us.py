"""US missions import, checked against the raw range rows read independently."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import backchannel
from backchannel.sources.us_missions import STATUS_MAP

RANGE = "us_missions/mission_status_range_cow_v0.1.csv"


@pytest.fixture(scope="module")
def rows(data_dir: Path) -> list[dict[str, str]]:
    with open(data_dir / RANGE, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def imported(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    from typer.testing import CliRunner

    from backchannel.cli import app

    out = tmp_path_factory.mktemp("us") / "us.yaml"
    res = CliRunner().invoke(
        app, ["import", "us-missions", str(data_dir / RANGE), "--out", str(out), "--json"]
    )
    assert res.exit_code == 0, res.output
    return out, json.loads(res.stdout)


def test_row_counts(rows, imported):
    summary = imported[1]
    assert len(rows) == 656
    assert summary["rows"] == 656 and summary["rows_imported"] == 656
    assert summary["rejected"] == []
    countries = {r["country_code_cow"] for r in rows}
    assert summary["actors"] == len(countries | {"2"})


@pytest.mark.parametrize(
    ("abb", "ident"),
    [
        ("CUB", "CUB"),
        ("RUS", "RUS"),
        ("IRN", "IRN"),
        ("GMY", "DEU"),
        ("CHN", "CHN"),
        ("EST", "EST"),
    ],
)
def test_status_on_every_range_matches_the_file(rows, imported, abb, ident):
    """At the first and last day of each range, the channels say what the row says."""
    sc = backchannel.load(imported[0])
    emb, lia = f"emb-USA-{ident}", f"lia-USA-{ident}"
    mine = [r for r in rows if r["country_abbrev_cow"] == abb]
    assert mine
    for r in mine:
        target = STATUS_MAP[r["us_mission_status"]]
        for date in (r["date_start"], r["date_end"]):
            day = sc.day(date)
            got = {
                key: (
                    sc.timeline.status(cid, day).value
                    if cid in sc.channels_by_id and sc.timeline.status(cid, day)
                    else None
                )
                for key, cid in (("emb", emb), ("lia", lia))
            }
            for key in ("emb", "lia"):
                want = target[1] if target and target[0] == key else None
                if want is None:
                    assert got[key] in (None, "closed"), (abb, r, key, got)
                else:
                    assert got[key] == want, (abb, r, key, got)


def test_cuba_opening_upgrade_and_closing_dates(imported):
    sc = backchannel.load(imported[0])
    events = [
        (str(e.date), e.do.value, e.channel, e.note)
        for e in sc.doc.events
        if e.channel in ("emb-USA-CUB", "lia-USA-CUB")
    ]
    assert ("1902-05-27", "open", "emb-USA-CUB", "Legation") in events
    assert ("1923-02-10", "note", "emb-USA-CUB", "Embassy (was Legation)") in events
    assert ("1961-01-03", "close", "emb-USA-CUB", "None (was Embassy)") in events
    assert ("1977-09-01", "open", "lia-USA-CUB", "Interests") in events
    assert ("2015-07-20", "open", "emb-USA-CUB", "Embassy") in events
    for e in sc.doc.events:
        assert e.source and "mission_status_range_cow_v0.1.csv line " in e.source.title


def test_passes_check_and_reimports_identically(data_dir, imported, tmp_path, run_cli):
    res = run_cli("check", imported[0], "--json")
    assert res.code == 0 and json.loads(res.out)["ok"] is True
    again = tmp_path / "again.yaml"
    assert run_cli("import", "us-missions", data_dir / RANGE, "--out", again).code == 0
    assert again.read_bytes() == imported[0].read_bytes()


def test_corrupted_copy(data_dir, tmp_path, run_cli):
    lines = (data_dir / RANGE).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = "AFG,700,Afghanistan,Afghanistan,1935-13-04,1942-06-05,Legation\r\n"
    lines[6] = "AFG,700,Afghanistan,Afghanistan,1950-01-01,1949-01-01,Embassy\r\n"
    lines[10] = "ALB,339,Albania,Albania,1920-01-01,1921-01-01,Palace\r\n"
    copy = tmp_path / "broken.csv"
    copy.write_text("".join(lines), encoding="utf-8", newline="")
    res = run_cli("import", "us-missions", copy, "--out", tmp_path / "us.yaml", "--json")
    assert res.code == 0, res.err
    summary = json.loads(res.out)
    rejected = {r["line"]: r["message"] for r in summary["rejected"]}
    assert set(rejected) == {4, 7, 11}
    assert "date_start '1935-13-04' is not a date" in rejected[4]
    assert "date_end 1949-01-01 is before date_start 1950-01-01" in rejected[7]
    assert "us_mission_status 'Palace' is not one of" in rejected[11]
    assert summary["rows_imported"] == 653
    assert run_cli("check", tmp_path / "us.yaml").code == 0
