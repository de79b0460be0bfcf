"""GEXF, GraphML, Parquet and CSV exports, read back with NetworkX and pandas."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import backchannel
from backchannel.sources.cowcodes import StateCodes

DIPEX = "cow/Diplomatic_Exchange_2006v1.csv.gz"
STATES = "cow/states2016.csv"


@pytest.fixture(scope="module")
def world(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from backchannel.sources.cow import import_cow

    return import_cow(data_dir / DIPEX, data_dir / STATES, 1817, 1840).write(
        tmp_path_factory.mktemp("export") / "w.yaml"
    )


@pytest.fixture(scope="module")
def raw_pairs(data_dir: Path) -> dict[int, set[tuple[str, str]]]:
    """Year → (sender, receiver) actor ids with any representation, from the raw rows."""
    codes = StateCodes.read()
    out: dict[int, set[tuple[str, str]]] = {}
    with gzip.open(data_dir / DIPEX, "rt", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for r in rows:
            year = int(r[2])
            if year <= 1840 and r[4] != "0":
                out.setdefault(year, set()).add((codes.id(int(r[0])), codes.id(int(r[1]))))
    return out


@pytest.fixture(scope="module")
def members_1840(data_dir: Path) -> set[str]:
    codes = StateCodes.read()
    with open(data_dir / STATES, newline="") as f:
        return {
            codes.id(int(r["ccode"]))
            for r in csv.DictReader(f)
            if (int(r["styear"]), int(r["stmonth"]), int(r["stday"]))
            <= (1840, 1, 1)
            <= (int(r["endyear"]), int(r["endmonth"]), int(r["endday"]))
        }


def test_gexf_at_a_date(world, raw_pairs, members_1840, tmp_path, run_cli):
    out = tmp_path / "w.gexf"
    res = run_cli("export", "gexf", "--scenario", world, "--at", "1840", "--out", out, "--json")
    assert res.code == 0, res.err
    G = nx.read_gexf(out)
    assert G.is_directed()
    assert set(G.edges()) == raw_pairs[1840]
    assert set(G.nodes()) == members_1840 | {x for e in raw_pairs[1840] for x in e}
    data = G.edges["USA", "GBR"]
    assert data["kind"] == "embassy" and data["latency_s"] == 21600
    assert data["channel"] == "emb-USA-GBR" and data["status"] in ("active", "restricted")
    assert json.loads(res.out)["edges"] == len(raw_pairs[1840])


def test_dynamic_gexf_has_spells(world, raw_pairs, data_dir, tmp_path, run_cli):
    out = tmp_path / "d.gexf"
    res = run_cli("export", "gexf", "--scenario", world, "--dynamic", "--out", out)
    assert res.code == 0, res.err
    G = nx.read_gexf(out)
    ever = set().union(*raw_pairs.values())
    assert set(G.edges()) == ever
    for (s, r), data in G.edges.items():
        first = min(y for y, pairs in raw_pairs.items() if (s, r) in pairs)
        assert data["spells"][0][0] == f"{first}-01-01"
        assert all(st in ("active", "restricted") for st, _, _ in data["status"])
    codes = StateCodes.read()
    with open(data_dir / STATES, newline="") as f:
        starts = {}
        for r in csv.DictReader(f):
            starts.setdefault(
                codes.id(int(r["ccode"])),
                f"{int(r['styear']):04d}-{int(r['stmonth']):02d}-{int(r['stday']):02d}",
            )
    for node, data in G.nodes.items():
        assert data["spells"][0][0] == starts[node]
    assert 'timeformat="date"' in out.read_text()


def test_graphml_at_a_date(world, raw_pairs, tmp_path, run_cli):
    out = tmp_path / "w.graphml"
    assert run_cli("export", "graphml", "--scenario", world, "--at", "1840", "--out", out).code == 0
    G = nx.read_graphml(out)
    assert set(G.edges()) == raw_pairs[1840]
    assert G.edges["USA", "GBR"]["kind"] == "embassy"


def test_office_nodes(world, tmp_path, run_cli):
    out = tmp_path / "o.graphml"
    assert (
        run_cli(
            "export",
            "graphml",
            "--scenario",
            world,
            "--at",
            "1840",
            "--nodes",
            "offices",
            "--out",
            out,
        ).code
        == 0
    )
    G = nx.read_graphml(out)
    assert G.edges["USA.MFA", "GBR.MFA"]["channel"] == "emb-USA-GBR"
    assert G.edges["USA.MFA", "USA.HOS"]["kind"] == "reports_to"


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_tables(world, tmp_path, run_cli, fmt):
    out = tmp_path / fmt
    res = run_cli("export", fmt, "--scenario", world, "--out", out, "--json")
    assert res.code == 0, res.err
    text = world.read_text()
    sections = {}
    current = None
    for line in text.splitlines():
        if line and not line.startswith((" ", "#")):
            current = line.split(":")[0]
        elif line.startswith("  - ") and current:
            sections[current] = sections.get(current, 0) + 1
    read = pd.read_parquet if fmt == "parquet" else pd.read_csv
    tables = {
        name: read(out / f"{name}.{fmt}")
        for name in ("actors", "offices", "channels", "events", "spans")
    }
    assert len(tables["actors"]) == sections["actors"]
    assert len(tables["offices"]) == 2 * sections["actors"]
    assert len(tables["channels"]) == sections["channels"]
    assert len(tables["events"]) == sections["events"]
    sc = backchannel.load(world)
    assert len(tables["spans"]) == sum(len(sc.timeline.spans(c)) for c in sc.channels_by_id)
    usa_gbr = tables["channels"].set_index("id").loc["emb-USA-GBR"]
    assert (usa_gbr["from_actor"], usa_gbr["to_actor"]) == ("USA", "GBR")
    assert json.loads(res.out)["tables"]["events"]["rows"] == sections["events"]


def test_export_on_a_hand_written_scenario(tmp_path, run_cli):
    out = tmp_path / "e.gexf"
    assert (
        run_cli(
            "export",
            "gexf",
            "--scenario",
            "example",
            "--dynamic",
            "--nodes",
            "offices",
            "--out",
            out,
        ).code
        == 0
    )
    G = nx.read_gexf(out)
    spells = G.edges["AAA.CHIEF", "BBB.CHIEF"]["spells"]
    # suspended 2020-06-09, restored 2021-07-27; an open end reads back as 'None'
    assert spells == [("2015-06-01", "2020-06-08"), ("2021-07-27", "None")]


def test_dynamic_with_at_is_refused(world, tmp_path, run_cli):
    res = run_cli(
        "export",
        "gexf",
        "--scenario",
        world,
        "--dynamic",
        "--at",
        "1840",
        "--out",
        tmp_path / "x.gexf",
    )
    assert res.code == 1 and "leave out --at" in res.err


def test_levels_table_follows_the_raw_rows(world, data_dir, tmp_path, run_cli):
    from backchannel.sources.cow import LEVELS

    assert run_cli("export", "parquet", "--scenario", world, "--out", tmp_path).code == 0
    levels = pd.read_parquet(tmp_path / "levels.parquet")
    mine = levels[levels.channel == "emb-USA-GBR"]
    raw = {}
    with gzip.open(data_dir / DIPEX, "rt", newline="") as f:
        for r in csv.reader(f):
            if r[:2] == ["2", "200"] and int(r[2]) <= 1840:
                raw[int(r[2])] = LEVELS[int(r[4])]
    assert len(mine) >= 1
    for start, level in zip(mine["start"], mine["level"], strict=True):
        assert raw[start.year] == level
