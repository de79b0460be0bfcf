"""The report on real scenarios: written, self-contained, and saying what the analysis says."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import backchannel
from backchannel.core.errors import BackchannelError
from backchannel.graph.cuts import resilience
from backchannel.graph.paths import time_to_contact
from backchannel.judge.impact import impact
from backchannel.present.layout import layout
from backchannel.present.report import write_report

PNG = b"\x89PNG\r\n\x1a\n"

NO_WATCH = """\
scenario: quiet
title: Nothing watched
actors:
  - {id: XX, kind: state, name: X, offices: [{id: XX.HOS, name: President, rank: head_of_state}]}
  - {id: YY, kind: state, name: Y, offices: [{id: YY.HOS, name: President, rank: head_of_state}]}
channels:
  - {id: xy, kind: embassy, ends: [XX.HOS, YY.HOS], latency: 12h}
events:
  - {date: 2000-02-02, do: open, channel: xy}
  - {date: 2003-03-03, do: close, channel: xy}
"""


class _Refs(HTMLParser):
    """Collects every URL-bearing attribute with its tag."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.rows: dict[str, str] = {}
        self._row: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key in ("src", "href", "data", "action", "srcset", "poster") and value:
                self.refs.append((tag, key, value))
        if tag == "tr":
            ident = dict(attrs).get("id") or ""
            if ident.startswith("ev-"):
                self._row, self._text = ident[3:], []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._row:
            self.rows[self._row] = " ".join(self._text)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._row:
            self._text.append(data.strip())


@pytest.fixture(scope="module")
def html_report(example, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("rep") / "deep" / "er" / "report.html"
    messages: list = []
    result = write_report(example, out, progress=messages.append)
    return result, out.read_text(encoding="utf-8"), messages


def test_report_is_written_with_parent_folders(html_report) -> None:
    result, html, messages = html_report
    assert result.path.is_file() and result.files == [result.path]
    assert html.startswith("<!DOCTYPE html>")
    assert messages and any("drawing" in m.phase for m in messages)


def test_report_is_self_contained(html_report) -> None:
    _, html, _ = html_report
    parser = _Refs()
    parser.feed(html)
    images = [v for t, k, v in parser.refs if t == "img"]
    # the timeline, one chart per watched pair, and at least two network pictures
    assert len(images) >= 1 + 2 + 2
    assert all(v.startswith("data:image/png;base64,") for v in images)
    for tag, key, value in parser.refs:
        if re.match(r"(?i)\s*(https?:)?//", value):
            assert (tag, key) == ("a", "href"), (tag, key, value)
    assert "<script" not in html.lower()
    assert "<link" not in html.lower()
    assert "@import" not in html and "url(" not in html


def test_report_has_every_event_with_the_analysis_verdict(html_report, example) -> None:
    _, html, _ = html_report
    parser = _Refs()
    parser.feed(html)
    verdicts = [r.as_dict() for r in impact(example)]
    assert len(verdicts) == len(example.doc.events)
    assert set(parser.rows) == {v["id"] for v in verdicts}
    for v in verdicts:
        row = parser.rows[v["id"]]
        assert v["verdict"] in row.split(), (v["id"], row)
    # the one sourced event links its source
    assert '<a href="https://example.org/a">B suspends the military hotline</a>' in html


def test_answer_matches_the_analysis_at_the_last_date(html_report, example) -> None:
    result, html, _ = html_report
    last = example.day("2021-09-01")
    for w, pair in zip(example.doc.watch, result.data.pairs, strict=True):
        a, b = w.between
        path = time_to_contact(example, a, b, last).as_dict()
        cut = resilience(example, a, b, last, budget_s=w.budget).as_dict()
        within = path["reachable"] and path["latency_s"] <= w.budget
        assert pair.within_budget == within
        sentence = pair.answer()
        assert ("within the" in sentence) == within
        assert f"{cut['min_cut_fast']} independent fast route" in sentence
        assert sentence.replace("↔", "&lt;").split(":")[0][:20] in html.replace("↔", "&lt;")
    # Read off example.yaml: the hotline was restored on 2021-07-27, so on 2021-09-01
    # the chiefs are 15 minutes apart, within their 1h budget.
    chiefs = result.data.pairs[0]
    assert chiefs.within_budget and chiefs.path.latency_s == 900


def test_figures_over_time_follow_the_record(html_report, example) -> None:
    result, _, _ = html_report
    chiefs = result.data.pairs[0]
    by_day = {p.day: p for p in chiefs.points}
    suspended = by_day[example.day("2020-06-09")]
    restored = by_day[example.day("2021-07-27")]
    assert suspended.reachable and suspended.latency_s > 3600  # only the embassy is left
    assert restored.latency_s == 900


def test_summary_lines(html_report) -> None:
    result, _, _ = html_report
    assert result.summary[0].startswith("Two sides and a hotline (example)")
    assert any(line.startswith("AAA.CHIEF ↔ BBB.CHIEF:") for line in result.summary)
    counts = result.data.counts()
    assert f"{sum(counts.values())} events judged" in result.summary[-1]


def test_markdown_writes_png_figures_beside_it(example, tmp_path: Path) -> None:
    out = tmp_path / "md" / "r.md"
    result = write_report(example, out, fmt="md")
    text = out.read_text()
    pngs = [f for f in result.files if f.suffix == ".png"]
    assert len(pngs) >= 5
    for f in pngs:
        assert f.parent == out.parent and f.read_bytes().startswith(PNG)
        assert f"]({f.name})" in text
    assert "| event | date | verdict |" in text
    assert "[B suspends the military hotline](https://example.org/a)" in text


def test_a_scenario_without_watch(tmp_path: Path) -> None:
    path = tmp_path / "quiet.yaml"
    path.write_text(NO_WATCH)
    result = write_report(backchannel.load(path), tmp_path / "q.html")
    html = result.path.read_text()
    assert "watches no pair" in html
    assert result.data.impact == [] and result.data.pairs == []


def test_bad_format_and_unwritable_out(example, tmp_path: Path) -> None:
    with pytest.raises(BackchannelError, match="fmt: expected html or md"):
        write_report(example, tmp_path / "x.pdf", fmt="pdf")  # type: ignore[arg-type]
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(BackchannelError, match="cannot write"):
        write_report(example, blocker / "r.html")


def test_layout_groups_offices_by_actor(example) -> None:
    pos = layout(example)
    assert set(pos.offices) == set(example.offices)
    for oid, (x, y) in pos.offices.items():
        own = example.offices[oid].actor
        dist = {a: (x - ax) ** 2 + (y - ay) ** 2 for a, (ax, ay) in pos.actors.items()}
        assert min(dist, key=dist.get) == own
        assert dist[own] ** 0.5 <= pos.radius[own]


@pytest.mark.parametrize("name", ["russia-nato", "example", "generated"])
def test_layout_keeps_labels_apart(name: str, tmp_path: Path) -> None:
    """At the layout's scale, the estimated label boxes sit inside their actor's circle and
    no two circles (with the names above them) meet, so no two labels can. The browser
    test measures the drawn boxes."""
    import itertools
    import math

    from backchannel.present.layout import FONT_PX, LABEL_DX, short_label, text_width

    if name == "generated":
        from backchannel.testing.generate import write_scenario

        write_scenario(tmp_path / "w.yaml", actors=30, channels=80, events=100, seed=2)
        sc = backchannel.load(tmp_path / "w.yaml")
    else:
        sc = backchannel.load(name)
    pos = layout(sc)
    px = {o: (x * pos.size, y * pos.size) for o, (x, y) in pos.offices.items()}
    for oid, (x, y) in px.items():
        actor = sc.offices[oid].actor
        cx, cy = (v * pos.size for v in pos.actors[actor])
        r = pos.radius[actor] * pos.size
        w = text_width(short_label(oid))
        x0, x1 = (x - LABEL_DX - w, x) if pos.labels[oid] == "left" else (x, x + LABEL_DX + w)
        for bx in (x0, x1):
            for by in (y - FONT_PX * 0.7, y + FONT_PX * 0.7):
                assert math.dist((bx, by), (cx, cy)) <= r + 1e-6, (oid, name)
    for a in pos.actors:  # one actor's labels: one row apart
        ys = sorted(y for o, (_, y) in px.items() if sc.offices[o].actor == a)
        assert all(b - a_ >= FONT_PX * 1.4 for a_, b in itertools.pairwise(ys))
    actors = list(pos.actors)
    for i, a in enumerate(actors):
        for b in actors[i + 1 :]:
            gap = math.dist(pos.actors[a], pos.actors[b]) * pos.size
            assert gap > (pos.radius[a] + pos.radius[b]) * pos.size, (a, b)


def test_cli_report(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "cli" / "report.html"
    res = run_cli("report", "--scenario", "example", "--out", str(out))
    assert res.code == 0, res.err
    assert out.is_file()
    assert "AAA.CHIEF ↔ BBB.CHIEF" in res.out and f"Report written to {out}" in res.out
    res = run_cli(
        "report",
        "--scenario",
        "example",
        "--out",
        str(tmp_path / "j.md"),
        "--format",
        "md",
        "--json",
    )
    assert res.code == 0, res.err
    doc = json.loads(res.out)
    assert doc["format"] == "md" and doc["out"] == str(tmp_path / "j.md")
    assert len(doc["pairs"]) == 2 and sum(doc["verdicts"].values()) == 7


def test_cli_report_errors(run_cli, tmp_path: Path) -> None:
    res = run_cli("report", "--scenario", "no-such-scenario", "--out", str(tmp_path / "r.html"))
    assert res.code == 1 and "unknown scenario 'no-such-scenario'" in res.err
    res = run_cli(
        "report", "--scenario", "example", "--format", "pdf", "--out", str(tmp_path / "r.pdf")
    )
    assert res.code == 1 and "--format" in res.err
    assert run_cli("report", "--no-such-option").code == 2
    res = run_cli("report", "--scenario", "example", "--out", str(tmp_path))
    assert res.code == 1 and "is a folder" in res.err
    assert "judging events" not in res.err  # refused before any work


def test_live_report_leaves_dormant_channels_out(example, tmp_path: Path) -> None:
    # Read off example.yaml: the hotline opened 2015-06 and was last used 2016-03-02, so
    # by the expulsion of 2019-04-04 it had been dormant for over a year (window 365 d).
    day = example.day("2019-04-04")
    assert example.timeline.dormant("chiefs-line", day)
    paper = write_report(example, tmp_path / "paper.html")
    live = write_report(example, tmp_path / "live.html", live=True)
    at = {p.day: p for p in paper.data.pairs[0].points}[day]
    at_live = {p.day: p for p in live.data.pairs[0].points}[day]
    assert at.latency_s == 900
    assert (
        at_live.latency_s
        == time_to_contact(example, "AAA.CHIEF", "BBB.CHIEF", day, live=True).as_dict()["latency_s"]
    )
    assert at_live.latency_s > 3600
    assert "live channels only" in live.path.read_text()
    assert "live channels only" not in paper.path.read_text()


UNCUTTABLE = """\
scenario: uncuttable
title: A pair joined only by internal links
actors:
  - id: AAA
    kind: state
    name: State A
    offices:
      - {id: AAA.HOS, name: President, rank: head_of_state}
      - {id: AAA.CHIEF, name: Chief, rank: military_chief, reports_to: AAA.HOS}
  - id: BBB
    kind: state
    name: State B
    offices:
      - {id: BBB.HOS, name: President, rank: head_of_state}
channels:
  - {id: line, kind: hotline, ends: [AAA.HOS, BBB.HOS], latency: 15m}
watch:
  - {between: [AAA.CHIEF, AAA.HOS], budget: 2h}
events:
  - {date: 2001-01-10, do: open, channel: line}
  - {date: 2002-03-04, do: suspend, channel: line}
"""


def test_report_on_an_uncuttable_pair_says_so_in_words(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "uncuttable.yaml"
    path.write_text(UNCUTTABLE, encoding="utf-8")
    for fmt, name in (("html", "r.html"), ("md", "r.md")):
        res = run_cli("report", "-s", str(path), "--format", fmt, "--out", str(tmp_path / name))
        assert res.code == 0, res.err
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "cannot be cut off by channels alone" in text
    res = run_cli("report", "-s", str(path), "--json", "--out", str(tmp_path / "j.html"))
    summary = json.loads(res.out)["summary"]
    assert any("cannot be cut off by channels alone" in line for line in summary)
