"""Every channel edge of the GEXF (static and dynamic) and GraphML exports carries
status, level, latency, staff, cap, dormant, tracked and last use; read with NetworkX."""

from __future__ import annotations

import networkx as nx
import pytest

import backchannel


@pytest.fixture(scope="module")
def sc():
    return backchannel.load("russia-nato")


def _by_channel(g: nx.Graph) -> dict[str, dict]:
    return {d["channel"]: d for *_, d in g.edges(data=True) if d.get("channel")}


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_static_edges_carry_the_channel_state(sc, tmp_path, fmt):
    out = tmp_path / f"n.{fmt}"
    day = sc.day("2021-11-02")
    if fmt == "gexf":
        backchannel.write_gexf(sc, out, "2021-11-02", mode="offices")
        g = nx.read_gexf(out)
    else:
        backchannel.write_graphml(sc, out, day, mode="offices")
        g = nx.read_graphml(out)
    edges = _by_channel(g)
    line = edges["saceur-cgs-line"]
    assert line["status"] == "active" and line["latency_s"] == 900
    assert line["level"] == "military_chief"
    assert line["dormant"] is True and line["tracked"] is True
    assert line["last_use"] == "2020-03-01"
    assert "staff" not in line  # the record gives no staff for the line
    embassy = edges["nato-via-rus-embassy-belgium"]
    assert embassy["dormant"] is False and embassy["tracked"] is False
    assert "last_use" not in embassy
    for ch, d in edges.items():  # each usable channel agrees with the `channels` record
        rec = sc.channel_record(ch, day)
        assert d["dormant"] == rec["dormant"] and d["tracked"] == rec["tracked"], ch
        assert d.get("last_use") == rec["last_use"] and d.get("cap") == rec["cap"], ch
    internal = [d for *_, d in g.edges(data=True) if d["kind"] in ("reports_to", "also")]
    assert internal and all(d["dormant"] is False for d in internal)


def test_staff_and_cap_where_the_record_has_them(tmp_path):
    sc = backchannel.load("russia-nato")
    out = tmp_path / "n.graphml"
    backchannel.write_graphml(sc, out, sc.day("2021-10-20"), mode="offices")
    mission = _by_channel(nx.read_graphml(out))["rus-mission-nato"]
    assert mission["cap"] == 10


def test_dynamic_gexf_attributes_change_over_time(sc, tmp_path):
    out = tmp_path / "d.gexf"
    backchannel.write_gexf(sc, out, dynamic=True, mode="offices")
    g = nx.read_gexf(out)
    line = _by_channel(g)["saceur-cgs-line"]
    # opened 2013 and tracked; dormant a year later; a call in 2017 wakes it; dormant again
    # a year after its last use, dated only to March 2020 (it counts to 31 March, v1.1)
    assert line["dormant"][:3] == [
        (False, "2013-01-01", "2013-12-31"),
        (True, "2014-01-01", "2017-09-13"),
        (False, "2017-09-14", "2021-03-30"),
    ]
    assert line["dormant"][3][:2] == (True, "2021-03-31")
    assert sc.timeline.dormant("saceur-cgs-line", sc.day("2021-03-31"))
    assert not sc.timeline.dormant("saceur-cgs-line", sc.day("2021-03-30"))
    assert line["last_use"][0] == ("2017-09-14", "2017-09-14", "2018-08-31")
    caps = _by_channel(g)["rus-mission-nato"]["cap"]
    assert [c[0] for c in caps] == [30, 20, 10]
    text = out.read_text()
    assert 'title="dormant" type="boolean"' in text and 'title="staff" type="integer"' in text
