"""Paper and live together in every text answer (DESIGN.md, "Paper and live together").

Where the time to contact or a cut counted over live channels differs from the answer on
paper, the text gives both and names the channels the live answer leaves out with their
last recorded use; `--json` stays one answer, the one asked for.
"""

from __future__ import annotations

import json


def test_path_text_gives_paper_and_live(run_cli):
    res = run_cli("path", "RUS.CGS", "NATO.SACEUR", "--at", "2021-11-02")
    assert res.code == 0
    first = res.out.splitlines()[0]
    assert first == "RUS.CGS → NATO.SACEUR at 2021-11-02: 15m on paper; live 4h"
    assert "live leaves out saceur-cgs-line (dormant, last recorded use March 2020)" in res.out


def test_path_text_with_live_gives_paper_too(run_cli):
    res = run_cli("path", "RUS.CGS", "NATO.SACEUR", "--at", "2021-11-02", "--live")
    first = res.out.splitlines()[0]
    assert first.endswith("(live channels only): 4h; on paper 15m")


def test_path_json_is_one_answer(run_cli):
    paper = json.loads(run_cli("path", "RUS.CGS", "NATO.SACEUR", "--json").out)
    assert paper["live"] is False and "left_out" not in paper


def test_path_text_is_one_answer_when_they_agree(run_cli):
    res = run_cli("path", "AAA.CHIEF", "BBB.CHIEF", "-s", "example", "--at", "2021-09-01")
    assert res.out.splitlines()[0] == "AAA.CHIEF → BBB.CHIEF at 2021-09-01: 15m"
    assert "live" not in res.out


def test_resilience_text_shows_fast_single_points(run_cli):
    """The JSON names the hotline in single_points_fast; the text must say so too."""
    args = ("resilience", "AAA.CHIEF", "BBB.CHIEF", "-s", "example", "--at", "2021-09-01")
    data = json.loads(run_cli(*args, "--json").out)
    assert data["single_points_fast"] == ["chiefs-line"]
    out = run_cli(*args).out
    assert "single points of failure within 1h: chiefs-line" in out
    assert "single points of failure: none" not in out


def test_resilience_text_gives_paper_and_live(run_cli):
    args = ("resilience", "RUS.CGS", "NATO.SACEUR", "--at", "2021-11-02")
    out = run_cli(*args).out
    paper = json.loads(run_cli(*args, "--json").out)
    live = json.loads(run_cli(*args, "--live", "--json").out)
    assert paper["min_cut_fast"] != live["min_cut_fast"]
    assert f"to cut: {paper['min_cut_fast']}  (live: {live['min_cut_fast']})" in out
    assert "saceur-cgs-line (dormant, last recorded use March 2020)" in out


def test_impact_text_names_the_live_verdict_where_it_differs(run_cli):
    out = run_cli("impact", "-s", "example").out
    row = next(line for line in out.splitlines() if "hotline-suspended" in line)
    assert "material" in row and "nonevent" in row  # paper, then live
    assert "1 event(s) get another verdict counting only channels in use" in out


def test_whatif_text_gives_live_contact(run_cli):
    out = run_cli("whatif", "--cut", "saceur-cgs-line", "--at", "2021-11-02").out
    assert "Time to contact live:" in out
    assert "RUS.CGS ↔ NATO.SACEUR: record 4h, what-if 4h" in out


def test_channels_text_says_what_live_leaves_out(run_cli):
    out = run_cli("channels", "RUS", "NATO", "--at", "2021-11-02").out
    assert "live (--live) leaves out 4:" in out
    assert "saceur-cgs-line (dormant, last recorded use March 2020)" in out
