"""Loading the real sample files: row counts, actor mapping, rejects, idempotence, rollback."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import duckdb
import pytest

from backchannel import BackchannelError
from backchannel.eventdata import store
from backchannel.eventdata.store import Interrupted, ingest

GDELT1 = "gdelt/events.csv"
GDELT2 = "gdelt/20191024143000.export.CSV"
ICEWS = "icews/events.2018.sample.tab"
PLOVER = "plover/PLOVER_GSR_CAMEO.txt"


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def raw_lines(path: Path) -> list[list[str]]:
    return [ln.split("\t") for ln in path.read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory, data_dir) -> Path:
    db = tmp_path_factory.mktemp("store") / "events.duckdb"
    for kind, name in (
        ("gdelt1", GDELT1),
        ("gdelt2", GDELT2),
        ("icews", ICEWS),
        ("plover", PLOVER),
    ):
        ingest(kind, [data_dir / name], db)
    return db


def test_each_sample_loads_with_its_row_count(sample_db):
    counts = dict(rows(sample_db, "SELECT dataset, count(*) FROM events GROUP BY 1"))
    assert counts == {"gdelt1": 710, "gdelt2": 2111, "icews": 3705, "plover": 322}
    assert rows(sample_db, "SELECT count(*) FROM rejects") == [(0,)]
    loads = rows(sample_db, "SELECT dataset, rows, rejected, skipped FROM loads ORDER BY 1")
    assert loads == [
        ("gdelt1", 710, 0, 0),
        ("gdelt2", 2111, 0, 0),
        ("icews", 3705, 0, 0),
        ("plover", 322, 0, 1),
    ]


def test_gdelt1_mixes_57_and_58_columns(sample_db, data_dir):
    raw = raw_lines(data_dir / GDELT1)
    widths = {len(p) for p in raw}
    assert widths == {57, 58}
    n57 = sum(len(p) == 57 for p in raw)
    assert n57 == 201
    got = rows(
        sample_db,
        "SELECT count(*), min(date), max(date) FROM events WHERE dataset='gdelt1' AND url IS NULL",
    )
    assert got[0][0] == n57 and got[0][1].year == got[0][2].year == 1982
    # every row keeps its line, id, raw codes and figures
    stored = {
        r[0]: r[1:]
        for r in rows(
            sample_db,
            """
        SELECT event_id, line, coalesce(source_code, ''), coalesce(target_code, ''),
               event_code, root_code, quad_class, goldstein, mentions, strftime(date, '%Y%m%d')
        FROM events WHERE dataset = 'gdelt1'""",
        )
    }
    for n, p in enumerate(raw, start=1):
        assert stored[p[0]] == (
            n,
            p[5],
            p[15],
            p[26],
            p[28],
            int(p[29]),
            float(p[30]),
            int(p[31]),
            p[1],
        )


def test_gdelt2_actor_mapping_against_raw_rows(sample_db, data_dir):
    raw = {p[0]: p for p in raw_lines(data_dir / GDELT2)}
    got = {
        r[0]: r[1:]
        for r in rows(
            sample_db,
            """
        SELECT event_id, source_actor, target_actor, url, plover FROM events
        WHERE dataset = 'gdelt2'""",
        )
    }
    assert len(got) == len(raw) == 2111
    for eid, p in raw.items():
        src, tgt, url, _ = got[eid]
        for code, actor in ((p[5], src), (p[15], tgt)):
            if code.startswith("RUS"):
                assert actor == "RUS", code
            elif code.startswith("USA"):
                assert actor == "USA", code
            elif code.startswith("IGOEUREEC"):
                assert actor == "EU", code
            elif code[:3] in {"GOV", "COP", "BUS", "EDU", "JUD", "MED", "AFR", "EUR", ""}:
                assert actor is None, code
        assert url == p[60]
    # every row with the EU's code (IGOEUREEC) maps to EU, and no other row does
    eu = {eid for eid, r in got.items() if "EU" in (r[0], r[1])}
    assert eu == {eid for eid, p in raw.items() if "IGOEUREEC" in (p[5], p[15])}
    assert len(eu) == 18


def test_gdelt1_nato_rows(sample_db, data_dir):
    nat = [p for p in raw_lines(data_dir / GDELT1) if "NAT" in p[5] or "NAT" in p[15]]
    assert len(nat) == 2 and all(p[5] == "IGOWSTNAT" for p in nat)
    got = rows(
        sample_db,
        "SELECT event_id FROM events WHERE source_actor = 'NATO' AND dataset = 'gdelt1' ORDER BY 1",
    )
    assert [r[0] for r in got] == sorted(p[0] for p in nat)


def test_icews_countries_names_and_na(sample_db, data_dir):
    lines = (data_dir / ICEWS).read_text("utf-8").splitlines()
    raw = {p[0]: p for p in (ln.split("\t") for ln in lines[1:])}
    got = {
        r[0]: r[1:]
        for r in rows(
            sample_db,
            """
        SELECT event_id, source_actor, target_actor, event_code, goldstein, source_code
        FROM events WHERE dataset = 'icews'""",
        )
    }
    assert len(got) == 3705
    for eid, p in raw.items():
        src, tgt, code, gold, src_name = got[eid]
        assert code == p[6] and gold == float(p[7]) and src_name == p[2]
        if p[4] == "Russian Federation":
            assert src == "RUS"
        if p[10] == "United States":
            assert tgt == "USA"
        if p[8] == "North Atlantic Treaty Organization":
            assert tgt == "NATO"
    assert sum(1 for p in raw.values() if p[6].startswith("04")) == 951
    assert rows(
        sample_db, "SELECT count(*) FROM events WHERE dataset='icews' AND root_code='04'"
    ) == [(951,)]


def test_plover_records(sample_db, data_dir):
    records = json.loads((data_dir / PLOVER).read_text("utf-8"))
    assert len(records) == 323 and records[0]["event"] == "DOCUMENT"
    events = records[1:]
    got = rows(sample_db, "SELECT plover, count(*) FROM events WHERE dataset='plover' GROUP BY 1")
    expected: dict[str, int] = {}
    for r in events:
        expected[r["event"]] = expected.get(r["event"], 0) + 1
    assert dict(got) == expected
    assert expected["CONSULT"] == 11 and expected["AGREE"] == 40
    # the id PLOVER-GSR01-COERCE-0004 names two different records: both are kept
    dup = rows(
        sample_db,
        "SELECT source_code FROM events WHERE event_id = 'PLOVER-GSR01-COERCE-0004' ORDER BY line",
    )
    assert dup == [("AFG",), ("ISR",)]
    no_target = sum(1 for r in events if not r.get("target"))
    assert rows(
        sample_db, "SELECT count(*) FROM events WHERE dataset='plover' AND target_code IS NULL"
    ) == [(no_target,)]
    # a record's line is where its object starts in the file
    text = (data_dir / PLOVER).read_text("utf-8").splitlines()
    for eid, line in rows(
        sample_db, "SELECT event_id, line FROM events WHERE dataset='plover' LIMIT 20"
    ):
        assert text[line - 1].strip() == "{" and eid in text[line]


@pytest.mark.parametrize("limit", [None, 0], ids=["staged", "one-pass"])
def test_loading_again_adds_nothing(tmp_path, data_dir, monkeypatch, limit):
    if limit is not None:  # files above the stage limit take the one-statement path
        monkeypatch.setattr(store, "stage_limit", lambda: limit)
    db = tmp_path / "e.duckdb"
    first = ingest("gdelt2", [data_dir / GDELT2], db)[0]
    again = ingest("gdelt2", [data_dir / GDELT2], db)[0]
    assert (first.rows, again.rows, again.already_loaded) == (2111, 0, True)
    # the same export zipped (as GDELT publishes it): other bytes, the same events
    z = tmp_path / "20191024143000.export.CSV.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(data_dir / GDELT2, "20191024143000.export.CSV")
    zipped = ingest("gdelt2", [z], db)[0]
    assert (zipped.rows, zipped.duplicates, zipped.already_loaded) == (0, 2111, False)
    assert rows(db, "SELECT count(*) FROM events") == [(2111,)]
    # and the zip alone loads every row
    assert ingest("gdelt2", [z], tmp_path / "z.duckdb")[0].rows == 2111


def corrupt_gdelt2(src: Path, dst: Path) -> dict[int, str]:
    """A copy of the first 60 rows with known damage; returns line → expected reason."""
    lines = src.read_bytes().split(b"\n")[:60]
    bad: dict[int, str] = {}

    def edit(n: int, col: int, value: str, reason: str) -> None:
        p = lines[n - 1].decode().split("\t")
        p[col] = value
        lines[n - 1] = "\t".join(p).encode()
        bad[n] = reason

    lines[4] = b"\t".join(lines[4].split(b"\t")[:30])
    bad[5] = "30 columns, expected 61"
    edit(10, 1, "20191332", "impossible date in SQLDATE: '20191332'")
    lines[14] += b"\textra"
    bad[15] = "62 columns, expected 61"
    edit(20, 30, "abc", "GoldsteinScale is not a number: 'abc'")
    edit(25, 29, "7", "QuadClass 7 is out of range")
    edit(30, 31, "many", "NumMentions is not a whole number: 'many'")
    edit(35, 1, "20191025", "SQLDATE 20191025 is after DATEADDED 20191024143000")
    edit(40, 26, "04X", "EventCode is not a CAMEO code: '04X'")
    lines[44] = lines[44].replace(b"\t", b"\t\xff", 1)
    bad[45] = "not valid UTF-8"
    edit(50, 1, "2019-10-24", "impossible date in SQLDATE: '2019-10-24'")
    lines[59] = lines[59][: len(lines[59]) // 3]  # the file ends mid-line (a cut download)
    bad[60] = "columns, expected 61"
    dst.write_bytes(b"\n".join(lines))
    return bad


def test_corrupted_copy_loads_good_rows_and_reports_each_bad_one(tmp_path, data_dir):
    bad = corrupt_gdelt2(data_dir / GDELT2, tmp_path / "broken.CSV")
    db = tmp_path / "e.duckdb"
    rep = ingest("gdelt2", [tmp_path / "broken.CSV"], db)[0]
    assert rep.rows == 60 - len(bad) and rep.rejected == len(bad)
    got = {r.line: r.reason for r in rep.rejects}
    assert set(got) == set(bad)
    for line, reason in bad.items():
        assert reason in got[line], (line, got[line])
    stored = rows(db, "SELECT file, line, reason FROM rejects ORDER BY line")
    assert [(ln, r) for _, ln, r in stored] == sorted(got.items())
    assert all(f == str(tmp_path / "broken.CSV") for f, _, _ in stored)
    assert rows(db, "SELECT count(*) FROM events WHERE line IN ?", list(bad)) == [(0,)]


def test_gdelt1_wrong_widths_and_bad_icews_rows(tmp_path, data_dir):
    lines = (data_dir / GDELT1).read_text("utf-8").splitlines()[:10]
    lines[2] += "\tX\tY"  # 59 or 60 columns: neither 1.0 layout
    lines[3] = "\t".join(lines[3].split("\t")[:-2])  # 55 or 56 columns
    lines.append("")  # an empty line
    (tmp_path / "g1.tsv").write_text("\n".join(lines) + "\n")
    rep = ingest("gdelt1", [tmp_path / "g1.tsv"], tmp_path / "a.duckdb")[0]
    assert rep.rows == 8
    assert [(r.line, r.reason.split(",")[0]) for r in rep.rejects] == [
        (3, f"{len(lines[2].split(chr(9)))} columns"),
        (4, f"{len(lines[3].split(chr(9)))} columns"),
        (11, "1 columns"),
    ]
    icews = (data_dir / ICEWS).read_text("utf-8").splitlines()[:8]
    p = icews[3].split("\t")
    p[1] = "2018-02-30"
    icews[3] = "\t".join(p)
    p = icews[5].split("\t")
    p[7] = "strong"
    icews[5] = "\t".join(p)
    icews[6] = icews[6] + "\tNA"
    (tmp_path / "i.tab").write_text("\n".join(icews) + "\n")
    rep = ingest("icews", [tmp_path / "i.tab"], tmp_path / "a.duckdb")[0]
    assert rep.rows == 4
    assert [(r.line, r.reason) for r in rep.rejects] == [
        (4, "impossible date in Event Date: '2018-02-30'"),
        (6, "Intensity is not a number: 'strong'"),
        (7, "21 columns, expected 20"),
    ]
    (tmp_path / "x.tab").write_text("a\tb\n1\t2\n")
    with pytest.raises(BackchannelError, match=r"x.tab:1: not an ICEWS header"):
        ingest("icews", [tmp_path / "x.tab"], tmp_path / "a.duckdb")


def test_a_repeated_record_in_one_file_is_set_aside(tmp_path, data_dir):
    lines = (data_dir / GDELT2).read_text("utf-8").splitlines()[:5]
    lines.append(lines[1])  # line 6 repeats line 2 exactly
    (tmp_path / "rep.CSV").write_text("\n".join(lines) + "\n")
    db = tmp_path / "r.duckdb"
    rep = ingest("gdelt2", [tmp_path / "rep.CSV"], db)[0]
    eid = lines[1].split("\t")[0]
    assert rep.rows == 5
    assert [(r.line, r.reason) for r in rep.rejects] == [
        (6, f"duplicate of line 2 (event id {eid})")
    ]
    assert rows(db, "SELECT line, reason FROM rejects") == [
        (6, f"duplicate of line 2 (event id {eid})")
    ]


def test_interrupted_load_leaves_the_database_as_it_was(tmp_path, data_dir):
    db = tmp_path / "e.duckdb"
    ingest("gdelt1", [data_dir / GDELT1], db)
    before = [rows(db, f"SELECT * FROM {t} ORDER BY ALL") for t in ("events", "rejects")]
    before_loads = rows(db, "SELECT sha256, rows FROM loads")
    broken = tmp_path / "broken.CSV"
    corrupt_gdelt2(data_dir / GDELT2, broken)
    seen = []

    def fail_midway(p) -> None:
        seen.append(p.phase)
        if len(seen) == 1:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-file

    with pytest.raises(Interrupted) as exc:
        ingest("gdelt2", [data_dir / GDELT2, broken], db, on_progress=fail_midway)
    assert exc.value.loaded == [] and exc.value.file == str(data_dir / GDELT2)
    after = [rows(db, f"SELECT * FROM {t} ORDER BY ALL") for t in ("events", "rejects")]
    assert after == before and rows(db, "SELECT sha256, rows FROM loads") == before_loads
    # interrupted in the second file: the first stays loaded, the second is rolled back
    seen.clear()

    def fail_in_second(p) -> None:
        seen.append(p.phase)
        if p.phase == str(broken):
            raise KeyboardInterrupt

    with pytest.raises(Interrupted) as exc:
        ingest("gdelt2", [data_dir / GDELT2, broken], db, on_progress=fail_in_second)
    assert [r.file for r in exc.value.loaded] == [str(data_dir / GDELT2)]
    assert exc.value.file == str(broken)
    assert rows(db, "SELECT count(*) FROM events WHERE dataset = 'gdelt2'") == [(2111,)]
    assert rows(db, "SELECT count(*) FROM rejects") == [(0,)]
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM events WHERE dataset = 'gdelt2'")
        con.execute("DELETE FROM loads WHERE dataset = 'gdelt2'")
    # nothing half-done remains: the same file now loads whole
    assert ingest("gdelt2", [data_dir / GDELT2], db)[0].rows == 2111


def test_second_file_failing_keeps_the_first(tmp_path, data_dir):
    db = tmp_path / "e.duckdb"
    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": "a", "date": "2020-01-01", "event": "CONSULT"},\n {oops}\n]')
    with pytest.raises(BackchannelError, match=r"bad.json:2: bad JSON"):
        ingest("plover", [data_dir / PLOVER, bad], db)
    assert rows(db, "SELECT count(*) FROM events") == [(322,)]


def test_ingest_command(run_cli, tmp_path, data_dir):
    db = tmp_path / "cli.duckdb"
    res = run_cli("ingest", "gdelt2", data_dir / GDELT2, "--db", db, "--json")
    assert res.code == 0, res.err
    out = json.loads(res.out)
    assert {k: out[k] for k in ("rows", "rejected", "db")} == {
        "rows": 2111,
        "rejected": 0,
        "db": str(db),
    }
    res = run_cli("ingest", "gdelt2", data_dir / GDELT2, "--db", db, "--json")
    assert json.loads(res.out)["rows"] == 0
    bad = corrupt_gdelt2(data_dir / GDELT2, tmp_path / "broken.CSV")
    res = run_cli("ingest", "gdelt2", tmp_path / "broken.CSV", "--db", db)
    assert res.code == 0
    for line in bad:
        assert f"broken.CSV:{line}:" in res.err
    assert f"{len(bad)} rejected" in res.out
    res = run_cli("ingest", "gdelt3", data_dir / GDELT2, "--db", db)
    assert res.code == 2
    res = run_cli("ingest", "icews", tmp_path / "nope.tab", "--db", db)
    assert res.code == 1 and "nope.tab" in res.err and "not found" in res.err


def test_codes_file_changes_the_mapping_at_load(run_cli, tmp_path, data_dir):
    codes = tmp_path / "codes.tsv"
    codes.write_text("code\tactor\nIGOEUREEC\tEUR-UNION\nZWE\t-\n")
    db = tmp_path / "c.duckdb"
    res = run_cli("ingest", "gdelt2", data_dir / GDELT2, "--db", db, "--codes", codes)
    assert res.code == 0, res.err
    raw = raw_lines(data_dir / GDELT2)
    n_eu = sum(1 for p in raw if "IGOEUREEC" in (p[5], p[15]))
    got = rows(db, "SELECT count(*) FROM events WHERE 'EUR-UNION' IN (source_actor, target_actor)")
    assert got == [(n_eu,)]
    assert rows(
        db,
        "SELECT count(*) FROM events WHERE 'ZWE' IN (source_actor, "
        "target_actor) OR 'EU' IN (source_actor, target_actor)",
    ) == [(0,)]
    res = run_cli("engagement", "IGOEUREEC", "USA", "--db", db, "--codes", codes, "--json")
    doc = json.loads(res.out)
    assert doc["a"] == ["EUR-UNION"] and sum(s["events"] for s in doc["series"]) == sum(
        1 for p in raw if {p[5][:3], p[15][:3]} == {"IGO", "USA"} and "IGOEUREEC" in p
    )
    bad = tmp_path / "bad.tsv"
    bad.write_text("code actor\nRUS RUS\n")
    res = run_cli("ingest", "gdelt2", data_dir / GDELT2, "--db", db, "--codes", bad)
    assert res.code == 1 and "bad.tsv:1" in res.err


def test_plover_2021_keys_and_json_lines(tmp_path):
    f = tmp_path / "polecat.jsonl"
    f.write_text(
        '{"id": "p1", "date": "2021-10-06", "event": ["SANCTION"], "mode": ["expel"], '
        '"actor": [{"code": "IGOWSTNAT"}], "recipient": [{"code": "RUSGOV"}]}\n'
        '{"id": "p2", "date": "2021-10-18", "event": "CONSULT", "mode": "phone", '
        '"actor": [{"code": "RUS"}, {"code": "BLR"}], "recipient": ""}\n'
        '{"id": "p3", "date": "2021-02-29", "event": "CONSULT"}\n'
        '{"id": "p4", "date": "2021-03-01", "event": "GOSSIP"}\n'
    )
    db = tmp_path / "p.duckdb"
    rep = ingest("plover", [f], db)[0]
    assert rep.rows == 2
    assert [(r.line, r.reason) for r in rep.rejects] == [
        (3, "impossible date: '2021-02-29'"),
        (4, "unknown PLOVER event type 'GOSSIP'"),
    ]
    assert rows(
        db,
        "SELECT event_id, source_actor, target_actor, source_code, root_code, "
        "quad_class, plover, plover_mode FROM events ORDER BY 1",
    ) == [
        ("p1", "NATO", "RUS", "IGOWSTNAT", "16", 4, "SANCTION", "expel"),
        ("p2", "RUS", None, "RUS;BLR", "04", 1, "CONSULT", "phone"),
    ]


@pytest.mark.parametrize(
    ("kind", "name"), [("gdelt2", GDELT2), ("gdelt1", GDELT1), ("icews", ICEWS)]
)
def test_the_one_pass_and_the_staged_path_store_the_same_rows(
    tmp_path, data_dir, kind, name, monkeypatch
):
    """A clean file is staged (or, above the stage limit, loaded in one statement); one bad
    row sends it the staged way whatever its size. Same rows, same lines, every way."""
    clean = tmp_path / "clean.tsv"
    clean.write_bytes((data_dir / name).read_bytes())
    dirty = tmp_path / "dirty.tsv"
    dirty.write_bytes((data_dir / name).read_bytes() + b"not\ta\trow\n")
    cols = (
        "event_id, date, source_actor, target_actor, source_code, target_code, event_code, "
        "root_code, quad_class, goldstein, mentions, plover, plover_mode, url, line"
    )
    got = {}
    for label, f, limit in (
        ("staged", clean, None), ("one-pass", clean, 0), ("dirty", dirty, 0)
    ):  # fmt: skip
        if limit is not None:
            monkeypatch.setattr(store, "stage_limit", lambda limit=limit: limit)
        db = tmp_path / f"{label}.duckdb"
        rep = ingest(kind, [f], db)[0]
        assert rep.rejected == (f is dirty)
        got[label] = rows(db, f"SELECT {cols} FROM events ORDER BY line")
    assert got["staged"] == got["one-pass"] == got["dirty"] and len(got["staged"]) > 700
