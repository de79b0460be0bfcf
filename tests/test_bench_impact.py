"""The impact benchmark's baselines (benchmarks/impact.py) answer as the engine does.

The benchmark's speed-up is only worth its baseline: here the shared-graph igraph rebuild
(``igraph_figures``) and the NetworkX rebuild (``nx_figures``) are run after events spread
over a small generated world and must give exactly the incremental engine's figures
(``figure_timeline``): time to contact, the minimum cut, the fast cut, level and staff.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

import backchannel
from backchannel.graph.fastcut import InexactCut
from backchannel.judge.impact import StaffIndex, figure_timeline, watch_pairs
from backchannel.record.replay import Replay
from backchannel.testing.generate import generate

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the benchmarks package lives beside src/, not in it
    sys.path.insert(0, str(ROOT))

from benchmarks.impact import _compare, igraph_figures, main, nx_figures, spread, thin  # noqa: E402


def test_baselines_agree_with_the_engine() -> None:
    doc = generate(seed=3, actors=12, channels=80, events=300, watch=5)
    sc = backchannel.Scenario(doc)
    pairs = watch_pairs(sc)
    events = sorted(doc.events, key=lambda e: e.key)
    picks = spread(len(events), 5, random.Random(0))
    assert len(picks) == 5 and picks[0] < 60 and picks[-1] >= 240  # spread over the record
    timeline = figure_timeline(sc, pairs=pairs, events=events)
    want = {i: after for i, (_, _, after, _) in enumerate(timeline) if i in picks}
    rep = Replay(sc)
    staff = StaffIndex(sc, pairs)
    seen = []
    for i, e in enumerate(events):
        rep.apply(e)
        if i in want:
            assert igraph_figures(sc, rep, pairs, staff) == want[i]
            assert igraph_figures(sc, rep, pairs) == want[i]  # its own staff index
            assert nx_figures(sc, rep, pairs, staff) == want[i]
            seen += want[i]
    # the sample is not trivial: cuts of several channels, a fast cut below the plain
    # one (the budget matters), pairs that cannot be cut, levels and staff
    assert any(c is not None and f is not None and 0 < f < c for _, c, f, _, _ in seen)
    assert any(c is None for _, c, _, _, _ in seen)
    assert {lv for _, _, _, lv, _ in seen} > {None}
    assert any(s > 0 for *_, s in seen)


def test_thin_keeps_spread_picks() -> None:
    picks = spread(1000, 10, random.Random(2))
    assert [i * 100 <= p < (i + 1) * 100 for i, p in enumerate(picks)] == [True] * 10
    assert thin(picks, 3) == [picks[1], picks[5], picks[8]]
    assert thin(picks, 0) == []


def test_benchmark_runs_and_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--quick", "--limit", "40", "--sample", "2", "--nx-sample", "1", "--queries", "20"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "answers identical: True" in out and "False" not in out
    assert "speed-up vs igraph rebuild" in out and "speed-up vs NetworkX rebuild" in out


def test_compare_reads_a_stopped_cut_by_its_bounds(capsys: pytest.CaptureFixture[str]) -> None:
    class P:
        a, b = "A", "B"

    class E:
        id = "e1"

    pairs = [P()]
    exact = [(6, 40, 331, 2, 5)]
    # the baseline's cut was stopped at 610 with 300 proven: 331 lies within; agree
    loose: list[int] = []
    assert _compare("igraph", 7, E(), pairs, [(6, 40, InexactCut(610, 300), 2, 5)], exact, loose)
    assert loose == [1] and "within bounds (igraph) at event 7" in capsys.readouterr().out
    # a proven bound above the other side's value, or any other figure differing: mismatch
    assert not _compare("igraph", 7, E(), pairs, [(6, 40, InexactCut(610, 340), 2, 5)], exact)
    assert not _compare("igraph", 7, E(), pairs, [(6, 41, InexactCut(610, 300), 2, 5)], exact)
    assert not _compare("igraph", 7, E(), pairs, [(6, 40, 332, 2, 5)], exact)
    assert "MISMATCH (igraph) at event 7" in capsys.readouterr().out
    # two stopped cuts agree when their bounds overlap
    both = [(6, 40, InexactCut(500, 320), 2, 5)]
    assert _compare("igraph", 7, E(), pairs, [(6, 40, InexactCut(610, 300), 2, 5)], both)
    assert _compare("igraph", 7, E(), pairs, exact, exact)
