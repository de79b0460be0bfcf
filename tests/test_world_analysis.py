"""Analysis questions asked of the imported world (2005), checked against the raw rows."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import networkx as nx
import pytest

from backchannel.sources.cowcodes import StateCodes

DIPEX = "cow/Diplomatic_Exchange_2006v1.csv.gz"
STATES = "cow/states2016.csv"


@pytest.fixture(scope="module")
def world(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from backchannel.sources.cow import import_cow

    return import_cow(data_dir / DIPEX, data_dir / STATES, 2005, 2005).write(
        tmp_path_factory.mktemp("analysis") / "w2005.yaml"
    )


@pytest.fixture(scope="module")
def raw_2005(data_dir: Path) -> nx.MultiGraph:
    """States as nodes, one edge per mission with any representation in 2005 (raw rows)."""
    codes = StateCodes.read()
    g = nx.MultiGraph()
    with gzip.open(data_dir / DIPEX, "rt", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for r in rows:
            if r[2] == "2005" and r[4] != "0":
                g.add_edge(codes.id(int(r[0])), codes.id(int(r[1])))
    return g


def test_world_passes_check(world, run_cli):
    res = run_cli("check", world, "--json")
    assert res.code == 0 and json.loads(res.out)["ok"] is True


def test_no_embassy_between_usa_and_north_korea(world, raw_2005, run_cli):
    assert not raw_2005.has_edge("USA", "PRK")
    res = run_cli("channels", "USA", "PRK", "--at", "2005", "--scenario", world, "--json")
    assert res.code == 0
    assert json.loads(res.out)["channels"] == []


def test_path_goes_through_a_third_state(world, raw_2005, run_cli):
    res = run_cli("path", "USA", "PRK", "--at", "2005", "--scenario", world, "--json")
    assert res.code == 0, res.err
    out = json.loads(res.out)
    assert out["reachable"] is True
    # no direct mission: two embassy hops of 6h each is the best possible
    assert out["latency_s"] == 2 * 6 * 3600
    offices = [step["office"] for step in out["path"]]
    assert offices[0] == "USA.MFA" and offices[-1] == "PRK.MFA"
    third = offices[1].split(".")[0]
    assert third not in ("USA", "PRK")
    assert raw_2005.has_edge("USA", third) and raw_2005.has_edge(third, "PRK")
    via = [step["via"] for step in out["path"][1:]]
    assert all(v.startswith("emb-") for v in via)


def test_resilience_equals_the_max_flow_of_the_raw_network(world, raw_2005, run_cli):
    res = run_cli("resilience", "USA", "PRK", "--at", "2005", "--scenario", world, "--json")
    assert res.code == 0, res.err
    out = json.loads(res.out)
    flow = nx.DiGraph()
    for a, b in raw_2005.edges():
        for u, v in ((a, b), (b, a)):
            cap = flow.edges[u, v]["capacity"] + 1 if flow.has_edge(u, v) else 1
            flow.add_edge(u, v, capacity=cap)
    expected = nx.maximum_flow_value(flow, "USA", "PRK")
    assert out["min_cut"] == expected > 0
    assert len(out["cut"]) == expected
    # cutting those channels leaves the two states without a path
    args = [x for c in out["cut"] for x in ("--cut", c)]
    res = run_cli("path", "USA", "PRK", "--at", "2005", "--scenario", world, "--json", *args)
    assert json.loads(res.out)["reachable"] is False


def test_pair_figures_agree_with_path_and_resilience(world):
    import backchannel
    from backchannel.graph.comm import build_graph
    from backchannel.graph.cuts import resilience
    from backchannel.graph.many import pair_figures
    from backchannel.graph.paths import time_to_contact

    sc = backchannel.load(world)
    day = sc.day("2005")
    names = ["USA", "PRK", "CHN", "ISR", "SAU", "GBR.HOS"]
    rows = pair_figures(sc, names, day)
    assert len(rows) == len(names) * (len(names) - 1) // 2
    g = build_graph(sc, day)
    for r in rows:
        p = time_to_contact(sc, r["a"], r["b"], day, graph=g).as_dict()
        c = resilience(sc, r["a"], r["b"], day, graph=g).as_dict()
        assert (r["reachable"], r["latency_s"]) == (p["reachable"], p["latency_s"]), r
        assert (r["min_cut"], r["min_cut_fast"]) == (c["min_cut"], c["min_cut_fast"]), r
