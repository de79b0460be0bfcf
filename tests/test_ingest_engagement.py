"""Engagement series checked against an independent count over the raw sample rows."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from backchannel import BackchannelError
from backchannel.eventdata.engagement import engagement, engagement_expr
from backchannel.eventdata.engines import events_table
from backchannel.eventdata.store import ingest
from backchannel.sources.codebook import QUADS

FILES = (
    ("gdelt1", "gdelt/events.csv"),
    ("gdelt2", "gdelt/20191024143000.export.CSV"),
    ("icews", "icews/events.2018.sample.tab"),
)


@pytest.fixture(scope="module")
def db(tmp_path_factory, data_dir) -> Path:
    path = tmp_path_factory.mktemp("engagement") / "events.duckdb"
    for kind, name in FILES:
        ingest(kind, [data_dir / name], path)
    return path


def raw_events(data_dir: Path) -> list[tuple[str, str | None, str | None, int, str, float]]:
    """(yyyymmdd, source, target, quad, root, goldstein) straight from the files.

    The actor rule is written out independently of the code map, for RUS and USA only:
    a GDELT code starting RUS/USA, an ICEWS country 'Russian Federation'/'United States'.
    """

    def cameo(code: str) -> str | None:
        return code[:3] if code[:3] in ("RUS", "USA") else None

    out = []
    for _, name in FILES[:2]:
        for line in (data_dir / name).read_text("utf-8").splitlines():
            p = line.split("\t")
            out.append((p[1], cameo(p[5]), cameo(p[15]), int(p[29]), p[28], float(p[30])))
    names = {"Russian Federation": "RUS", "United States": "USA"}
    lines = (data_dir / FILES[2][1]).read_text("utf-8").splitlines()
    for line in lines[1:]:
        p = line.split("\t")
        root = p[6][:2]
        quad = 1 if root <= "05" else 2 if root <= "09" else 3 if root <= "14" else 4
        out.append(
            (p[1].replace("-", ""), names.get(p[4]), names.get(p[10]), quad, root, float(p[7]))
        )
    return out


def period(ymd: str, by: str) -> str:
    if by == "month":
        return f"{ymd[:4]}-{ymd[4:6]}"
    if by == "quarter":
        return f"{ymd[:4]}-Q{(int(ymd[4:6]) + 2) // 3}"
    return ymd[:4]


def expected_series(data_dir: Path, by: str, directed: bool) -> dict[str, dict]:
    totals: dict[str, int] = defaultdict(int)
    dyad: dict[str, list] = defaultdict(list)
    for ymd, src, tgt, quad, root, gold in raw_events(data_dir):
        p = period(ymd, by)
        totals[p] += 1
        if (src, tgt) == ("RUS", "USA") or (not directed and (src, tgt) == ("USA", "RUS")):
            dyad[p].append((quad, root, gold))
    out = {}
    for p, total in totals.items():
        evs = dyad.get(p, [])
        out[p] = {
            "events": len(evs),
            "quad": {q: sum(1 for e in evs if e[0] == i) for i, q in enumerate(QUADS, 1)},
            "consult": sum(1 for e in evs if e[1] == "04"),
            "reduce": sum(1 for e in evs if e[1] == "16"),
            "goldstein": sum(e[2] for e in evs) / len(evs) if evs else None,
            "share": len(evs) / total,
            "total": total,
        }
    return out


@pytest.mark.parametrize(
    ("by", "directed"), [("month", False), ("quarter", False), ("year", False), ("month", True)]
)
def test_engagement_matches_an_independent_count(db, data_dir, by, directed):
    series = engagement(db, ["RUS"], ["USA"], by=by, directed=directed)
    expected = expected_series(data_dir, by, directed)
    assert [s["period"] for s in series] == sorted(expected)
    assert sum(s["events"] for s in series) > 10
    for s in series:
        e = expected[s["period"]]
        assert s["events"] == e["events"] and s["quad"] == e["quad"], s["period"]
        assert (s["consult"], s["reduce"], s["total"]) == (e["consult"], e["reduce"], e["total"])
        assert s["share"] == pytest.approx(e["share"], abs=1e-6)
        if e["goldstein"] is None:
            assert s["goldstein"] is None
        else:
            assert s["goldstein"] == pytest.approx(e["goldstein"], abs=1e-4)


def test_period_labels(db):
    labels = {
        by: [s["period"] for s in engagement(db, ["RUS"], ["USA"], by=by)]
        for by in ("month", "quarter", "year")
    }
    assert "2019-10" in labels["month"] and "2018-06" in labels["month"]
    assert "2019-Q4" in labels["quarter"] and "2018-Q2" in labels["quarter"]
    assert "2019" in labels["year"] and all(len(p) == 4 for p in labels["year"])


def test_all_dyads_sum_to_the_mapped_events(db):
    with events_table(db) as t:
        frame = engagement_expr(t, by="year").execute()
        both = t.filter(t.source_actor.notnull() & t.target_actor.notnull()).count().execute()
    assert int(frame["events"].sum()) == int(both)
    assert (frame["actor_a"] <= frame["actor_b"]).all()
    row = frame[(frame.actor_a == "RUS") & (frame.actor_b == "USA") & (frame.year == 2018)]
    two_sided = engagement(db, ["RUS"], ["USA"], by="year")
    assert int(row["events"].iloc[0]) == next(
        s["events"] for s in two_sided if s["period"] == "2018"
    )
    with pytest.raises(BackchannelError, match="--by must be one of"):
        engagement_expr(t, ["RUS"], ["USA"], by="week")


def test_engagement_command(run_cli, db, tmp_path):
    res = run_cli("engagement", "RUS", "USA", "--db", db, "--by", "quarter", "--json")
    assert res.code == 0, res.err
    doc = json.loads(res.out)
    keys = {"period", "events", "quad", "consult", "reduce", "goldstein", "share"}
    assert doc["series"] and all(keys <= set(s) for s in doc["series"])
    assert set(doc["series"][0]["quad"]) == set(QUADS)
    # RUSGOV is matched through the code map: the same series as RUS
    res2 = run_cli("engagement", "RUSGOV", "USA", "--db", db, "--by", "quarter", "--json")
    assert json.loads(res2.out)["series"] == doc["series"]
    res = run_cli("engagement", "RUS", "USA", "--db", db, "--by", "quarter", "--csv")
    table = list(csv.DictReader(io.StringIO(res.out)))
    assert [r["period"] for r in table] == [s["period"] for s in doc["series"]]
    assert [int(r["consult"]) for r in table] == [s["consult"] for s in doc["series"]]
    png = tmp_path / "rus-usa.png"
    res = run_cli("engagement", "RUS", "USA", "--db", db, "--plot", png)
    assert res.code == 0 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "2019-10" in res.out
    assert run_cli("engagement", "RUS", "USA", "--db", db, "--json", "--csv").code == 2
    assert run_cli("engagement", "RUS", "USA", "--db", db, "--engine", "spark").code == 2
    res = run_cli("engagement", "RUS", "USA", "--db", tmp_path / "none.duckdb")
    assert res.code == 1 and "none.duckdb" in res.err


def test_missing_spark_names_the_extra(db, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(BackchannelError, match=r"pip install backchannel\[spark\]"):
        engagement(db, ["RUS"], ["USA"], engine="pyspark")


@pytest.mark.slow
@pytest.mark.spark
@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_duckdb_and_pyspark_agree_row_by_row(db, monkeypatch):
    monkeypatch.setenv("SPARK_MASTER", "local[1]")
    frames = {}
    for engine in ("duckdb", "pyspark"):
        with events_table(db, engine) as t:
            frames[engine] = (
                engagement_expr(t, by="month").execute(),
                engagement_expr(t, ["RUS"], ["USA"], by="quarter").execute(),
            )
    for duck, spark in zip(frames["duckdb"], frames["pyspark"], strict=True):
        assert list(duck.columns) == list(spark.columns)
        assert len(duck) == len(spark) > 0
        for a, b in zip(duck.to_dict("records"), spark.to_dict("records"), strict=True):
            for k, v in a.items():
                if k in ("goldstein", "share"):
                    assert (v != v and b[k] != b[k]) or b[k] == pytest.approx(v), k
                else:
                    assert b[k] == v, (k, a, b)
