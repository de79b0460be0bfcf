"""COW Diplomatic Exchange import, checked against the raw rows read independently."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from pathlib import Path

import pytest

import backchannel
from backchannel.sources.cow import import_cow, level_status, transition
from backchannel.sources.cowcodes import StateCodes

DIPEX = "cow/Diplomatic_Exchange_2006v1.csv.gz"
STATES = "cow/states2016.csv"


@pytest.fixture(scope="module")
def raw(data_dir: Path) -> dict[tuple[int, int, int], tuple[int, int, int]]:
    """(ccode1, ccode2, year) → (DR_at_1, DR_at_2, line), straight from the file."""
    out = {}
    with gzip.open(data_dir / DIPEX, "rt", newline="") as f:
        rows = csv.reader(f)
        assert next(rows)[:5] == ["ccode1", "ccode2", "year", "DR_at_1", "DR_at_2"]
        for line, r in enumerate(rows, start=2):
            out[(int(r[0]), int(r[1]), int(r[2]))] = (int(r[3]), int(r[4]), line)
    return out


@pytest.fixture(scope="module")
def imported(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The 1817–1864 world written by the command line, and its --json summary."""
    out = tmp_path_factory.mktemp("cow") / "early.yaml"
    from typer.testing import CliRunner

    from backchannel.cli import app

    res = CliRunner().invoke(
        app,
        [
            "import",
            "cow",
            str(data_dir / DIPEX),
            "--states",
            str(data_dir / STATES),
            "--from",
            "1817",
            "--to",
            "1864",
            "--out",
            str(out),
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    return out, json.loads(res.stdout)


@pytest.fixture(scope="module")
def early(imported: tuple[Path, dict]) -> Path:
    """The 1817–1864 world file."""
    return imported[0]


def test_row_counts_match_the_file(raw, imported):
    assert len(raw) == 310_820
    summary = imported[1]
    in_years = sum(1 for (_, _, y) in raw if 1817 <= y <= 1864)
    assert summary["rows"] == 310_820
    assert summary["rows_imported"] == in_years
    assert summary["rows_outside_years"] == 310_820 - in_years
    assert summary["rejected"] == []
    # one channel per sending and receiving state with any representation in those years
    pairs = set()
    for (c1, c2, y), (at1, at2, _) in raw.items():
        if 1817 <= y <= 1864:
            if at2:
                pairs.add((c1, c2))
            if at1:
                pairs.add((c2, c1))
    assert summary["channels"] == len(pairs)


def test_the_codebook_direction_of_dr_at_1_and_dr_at_2(raw):
    # DR_at_1 = representation of side 2 at side 1; each fact appears in both mirror rows
    for (c1, c2, y), (at1, _at2, _) in list(raw.items())[:5000]:
        assert raw[(c2, c1, y)][1] == at1


@pytest.mark.parametrize(
    ("sender", "receiver", "sid", "rid"),
    [
        (2, 200, "USA", "GBR"),
        (200, 2, "GBR", "USA"),
        (220, 365, "FRA", "RUS"),
        (255, 300, "DEU", "AUH"),
        (230, 235, "ESP", "PRT"),
    ],
)
def test_dyads_follow_the_raw_levels(raw, early, sender, receiver, sid, rid):
    """Each observed year's status equals the level in the raw row (DR_at_2 of (S, R))."""
    sc = backchannel.load(early)
    cid = f"emb-{sid}-{rid}"
    assert cid in sc.channels_by_id
    assert sc.channels_by_id[cid].ends == [f"{sid}.MFA", f"{rid}.MFA"]
    seen = 0
    for (c1, c2, y), (_at1, at2, line) in raw.items():
        if (c1, c2) != (sender, receiver) or not 1817 <= y <= 1864:
            continue
        expected = {0: None, 1: "restricted", 2: "active", 3: "active", 9: "restricted"}[at2]
        status = sc.timeline.status(cid, sc.day(str(y)))
        got = status.value if status is not None else None
        if expected is None:
            assert got in (None, "closed"), (y, line)
        else:
            assert got == expected, (y, line, at2)
        seen += 1
    assert seen >= 5
    # every change cites the data set, its version and the row
    for e in sc.doc.events:
        if e.channel == cid:
            assert e.source and "COW Diplomatic Exchange v2006.1" in e.source.title
            assert " line " in e.source.title


def test_event_sources_point_at_the_right_row(raw, early):
    sc = backchannel.load(early)
    checked = 0
    for e in sc.doc.events:
        if e.channel is None or e.do.value not in ("open", "restrict", "restore"):
            continue
        title = e.source.title
        if "DR_at_" not in title:
            continue
        line = int(title.split(" line ")[1].split()[0])
        column = title.rsplit(" ", 1)[1]
        key = next(k for k, v in raw.items() if v[2] == line) if checked < 3 else None
        if key is not None:
            c1, c2, year = key
            assert str(e.date) == str(year)
            level = raw[key][1] if column == "DR_at_2" else raw[key][0]
            assert f"level {level} " in e.note
            # DR_at_2 is side 1's mission at side 2; DR_at_1 side 2's mission at side 1
            sender, receiver = (c1, c2) if column == "DR_at_2" else (c2, c1)
            codes = StateCodes.read()
            assert e.channel == f"emb-{codes.id(sender)}-{codes.id(receiver)}"
            checked += 1
    assert checked == 3


def test_level_to_lifecycle_mapping():
    assert level_status(3, 1990) == "active"
    assert level_status(2, 1890) == "active"
    assert level_status(1, 1990) == "restricted"
    assert level_status(9, 1990) == "restricted"
    assert level_status(9, 1955) == "active"  # 1950–1965: every exchange coded 9
    assert level_status(0, 1990) is None
    assert transition(None, "active") == ["open"]
    assert transition(None, "restricted") == ["open", "restrict"]
    assert transition("active", "restricted") == ["restrict"]
    assert transition("restricted", "active") == ["restore"]
    assert transition("active", None) == ["close"]
    assert transition("active", "active") == ["note"]
    assert transition(None, None) == []


def test_leaving_the_system_closes_missions(data_dir, raw, tmp_path):
    """Estonia's last day in the system is 1940-06-16: its missions close the next day."""
    with open(data_dir / STATES, newline="") as f:
        spells = list(csv.DictReader(f))
    est = [r for r in spells if r["stateabb"] == "EST"]
    assert (est[0]["endyear"], est[0]["endmonth"], est[0]["endday"]) == ("1940", "6", "16")

    def member_on(ccode: int, day: tuple[int, int, int]) -> bool:
        return any(
            (int(r["styear"]), int(r["stmonth"]), int(r["stday"]))
            <= day
            <= (int(r["endyear"]), int(r["endmonth"]), int(r["endday"]))
            for r in spells
            if int(r["ccode"]) == ccode
        )

    codes = StateCodes.read()
    # missions to and from Estonia with a level in 1940, whose other state is still in the
    # system on Estonia's last day (read from the raw rows and the states file)
    expected = set()
    for (c1, c2, y), (_at1, at2, _) in raw.items():
        other = c2 if c1 == 366 else c1
        if y == 1940 and 366 in (c1, c2) and at2 and member_on(other, (1940, 6, 16)):
            expected.add(f"emb-{codes.id(c1)}-{codes.id(c2)}")
    assert len(expected) > 10
    res = import_cow(data_dir / DIPEX, data_dir / STATES, 1935, 1950)
    sc = backchannel.load(res.write(tmp_path / "est.yaml"))
    before, after = sc.day("1940-06-16"), sc.day("1940-06-17")
    for cid in expected:
        assert sc.timeline.status(cid, before).value in ("active", "restricted"), cid
        assert sc.timeline.status(cid, after).value == "closed", cid
    notes = [e for e in sc.doc.events if e.actor == "EST" and e.note.startswith("system: leaves")]
    assert [str(n.date) for n in notes] == ["1940-06-17"]
    assert "states2016.csv line" in notes[0].source.title


def test_reimport_is_byte_identical(data_dir, tmp_path, run_cli):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for out in (a, b):
        res = run_cli(
            "import",
            "cow",
            data_dir / DIPEX,
            "--states",
            data_dir / STATES,
            "--from",
            "1817",
            "--to",
            "1840",
            "--out",
            out,
        )
        assert res.code == 0, res.err
    assert a.read_bytes() == b.read_bytes()
    lines = a.read_text().splitlines()
    assert all(line.startswith("  - {") for line in lines[lines.index("events:") + 1 :])


def test_imported_world_passes_check(early, run_cli):
    res = run_cli("check", early, "--json")
    assert res.code == 0, res.out
    assert json.loads(res.out) == {"ok": True, "errors": []}


def test_corrupted_copy_reports_bad_lines_and_imports_the_rest(data_dir, tmp_path, run_cli):
    with gzip.open(data_dir / DIPEX, "rt", newline="") as f:
        lines = f.readlines()
    keep = [lines[0]] + [ln for ln in lines[1:] if ",1817," in ln or ",1824," in ln]
    n = len(keep) - 1
    bad = {
        5: "2,200,1817,x,2,1,2006.0999755859375\r\n",  # level not a number
        9: "2,200\r\n",  # too few fields
        14: "200,2,1824,7,2,1,2006.0999755859375\r\n",  # no such level
        20: "999,2,1817,1,1,1,2006.0999755859375\r\n",  # unknown state
    }
    for line, text in bad.items():
        keep[line - 1] = text
    copy = tmp_path / "broken.csv"
    copy.write_text("".join(keep), newline="")
    res = run_cli(
        "import", "cow", copy, "--states", data_dir / STATES, "--out", tmp_path / "w.yaml", "--json"
    )
    assert res.code == 0, res.err
    summary = json.loads(res.out)
    rejected = {r["line"]: r["message"] for r in summary["rejected"]}
    assert set(rejected) >= set(bad)
    assert "DR_at_1 'x' is not a whole number" in rejected[5]
    assert "expected 7 fields, got 2" in rejected[9]
    assert "DR_at_1 7 is not a level" in rejected[14]
    assert "ccode1 999 is not a state" in rejected[20]
    assert all(r["file"] == str(copy) for r in summary["rejected"])
    assert summary["rows"] == n
    assert summary["rows_imported"] == n - len(rejected)
    # the mirror rows of a damaged row disagree with nothing: only damaged lines rejected
    assert set(rejected) == set(bad)
    assert run_cli("check", tmp_path / "w.yaml").code == 0
    # the text form names the file and line on stderr, and still exits 0
    res = run_cli(
        "import", "cow", copy, "--states", data_dir / STATES, "--out", tmp_path / "w2.yaml"
    )
    assert res.code == 0
    assert f"{copy}:9: expected 7 fields, got 2" in res.err


def test_mirror_rows_that_disagree_are_reported(data_dir, tmp_path):
    with gzip.open(data_dir / DIPEX, "rt", newline="") as f:
        lines = f.readlines()
    keep = [lines[0]] + [ln for ln in lines[1:] if ",1817," in ln]
    i = next(i for i, ln in enumerate(keep) if ln.startswith("2,200,1817,"))
    c1, c2, y, at1, at2, de, v = keep[i].strip().split(",")
    keep[i] = ",".join([c1, c2, y, at1, "3" if at2 != "3" else "1", de, v]) + "\r\n"
    copy = tmp_path / "mirror.csv"
    copy.write_text("".join(keep), newline="")
    res = import_cow(copy, data_dir / STATES)
    assert [p.line for p in res.problems] != []
    assert any("disagrees with" in p.message for p in res.problems)


def test_progress_is_reported_by_callback(data_dir):
    calls = []
    import_cow(
        data_dir / DIPEX,
        data_dir / STATES,
        1817,
        1827,
        progress=lambda p: calls.append((p.phase, p.done, p.total)),
    )
    phases = {c[0] for c in calls}
    assert phases == {"states", "exchanges"}
    last = [c for c in calls if c[0] == "exchanges"][-1]
    assert last[1] == last[2] == (data_dir / DIPEX).stat().st_size


def test_custom_code_map_changes_ids(data_dir, tmp_path):
    shipped = (Path(backchannel.__file__).parent / "data" / "cow_iso3.csv").read_text()
    edited = shipped.replace("255,GMY,Germany,DEU,", "255,GMY,Germany,GER,")
    path = tmp_path / "codes.csv"
    path.write_text(edited)
    res = import_cow(data_dir / DIPEX, data_dir / STATES, 1817, 1817, codes=StateCodes.read(path))
    ids = {a["id"] for a in res.doc["actors"]}
    assert "GER" in ids and "DEU" not in ids


def test_a_missing_file_is_a_clear_error(tmp_path, data_dir, run_cli):
    res = run_cli(
        "import",
        "cow",
        tmp_path / "nope.csv.gz",
        "--states",
        data_dir / STATES,
        "--out",
        tmp_path / "w.yaml",
    )
    assert res.code == 1
    assert "nope.csv.gz: file not found" in res.err
    res = run_cli(
        "import",
        "cow",
        data_dir / STATES,
        "--states",
        data_dir / STATES,
        "--out",
        tmp_path / "w.yaml",
    )
    assert res.code == 1 and "not a COW Diplomatic Exchange file" in res.err


@pytest.mark.slow
def test_all_years_import_and_check(data_dir, tmp_path, raw, run_cli):
    out = tmp_path / "world.yaml"
    res = run_cli(
        "import", "cow", data_dir / DIPEX, "--states", data_dir / STATES, "--out", out, "--json"
    )
    summary = json.loads(res.out)
    assert summary["rows_imported"] == 310_820 and summary["rejected"] == []
    assert summary["years"] == len({y for (_, _, y) in raw})
    first = out.read_bytes()
    shutil.copy(out, tmp_path / "first.yaml")
    run_cli("import", "cow", data_dir / DIPEX, "--states", data_dir / STATES, "--out", out)
    assert out.read_bytes() == first
    res = run_cli("check", out, "--json")
    assert res.code == 0 and json.loads(res.out)["ok"] is True
