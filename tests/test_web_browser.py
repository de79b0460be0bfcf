"""The web UI in real headless Chromium (Debian's package), driven by Playwright."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

import backchannel
from backchannel.web import LOOPBACK_HOSTS, create_app
from backchannel.web.server import BackgroundServer

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _scenario() -> tuple[backchannel.Scenario, str, str]:
    """The built-in scenario, Russia's permanent mission to NATO and the SACEUR–CGS line."""
    sc = backchannel.load("russia-nato")
    missions = [
        c.id
        for c in sc.doc.channels
        if c.kind.value == "permanent_mission"
        and any(e.startswith("RUS.") for e in c.ends)
        and any(e.startswith("NATO.") for e in c.ends)
    ]
    lines = [
        c.id
        for c in sc.doc.channels
        if c.kind.value == "hotline" and set(c.ends) == {"NATO.SACEUR", "RUS.CGS"}
    ]
    assert len(missions) == 1, f"expected one Russian mission to NATO, found {missions}"
    assert len(lines) == 1, f"expected one SACEUR–CGS line, found {lines}"
    return sc, missions[0], lines[0]


def _slider_value(date: str) -> str:
    return str((dt.date.fromisoformat(date) - dt.date(1970, 1, 1)).days)


def _chromium() -> str:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail(
            "chromium not found on PATH: install Debian's chromium package "
            "(`make browser`, or apt-get install chromium) to run the browser tests"
        )
    return chromium


def _watch(page, srv_url: str, problems: list[str]) -> None:
    """Collect console errors, page errors, 4xx/5xx answers and requests off the server."""
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on(
        "response",
        lambda res: problems.append(f"{res.status} {res.url}") if res.status >= 400 else None,
    )
    page.on(
        "request",
        lambda req: (
            problems.append(f"remote request {req.url}")
            if not req.url.startswith(srv_url)
            else None
        ),
    )


def test_ui_in_chromium() -> None:
    chromium = _chromium()
    from playwright.sync_api import expect, sync_playwright

    sc, mission, line = _scenario()
    app = create_app([sc], allowed_hosts=LOOPBACK_HOSTS)
    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[str] = []
    with BackgroundServer(app) as srv, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
            page.on(
                "console", lambda msg: problems.append(msg.text) if msg.type == "error" else None
            )
            page.on(
                "response",
                lambda res: (
                    problems.append(f"{res.status} {res.url}") if res.status >= 400 else None
                ),
            )
            page.on(
                "request",
                lambda req: (
                    problems.append(f"remote request {req.url}")
                    if not req.url.startswith(srv.url)
                    else None
                ),
            )
            page.goto(srv.url + "/")
            expect(page.locator("#title")).to_have_text(sc.doc.title)
            page.wait_for_selector("#channel-list tr[data-channel]")

            # Move the slider to 2021-11-02: the mission is no longer active, the line is.
            page.locator("#slider").fill(_slider_value("2021-11-02"))
            expect(page.locator("#at-label")).to_have_text("2021-11-02")
            edge = page.locator(f'#network .channel[data-channel="{mission}"]')
            expect(edge).not_to_have_attribute("data-status", "active")
            expect(edge).not_to_have_attribute("data-status", "none")
            expect(page.locator(f'#network .channel[data-channel="{line}"]')).to_have_attribute(
                "data-status", "active"
            )
            expect(page.locator(f'#channel-list tr[data-channel="{line}"] .badge')).to_have_text(
                "active"
            )
            mission_status = page.locator(f'#channel-list tr[data-channel="{mission}"] .badge')
            assert mission_status.inner_text() in ("restricted", "suspended", "closed")

            # The path inspector: the first watched pair, highlighted on the network.
            a, b = sc.doc.watch[0].between
            expect(page.locator("#path-a")).to_have_value(a)
            expect(page.locator("#path-b")).to_have_value(b)
            page.click("#path-run")
            expect(page.locator("#path-figure")).to_contain_text(f"{a} → {b} on 2021-11-02")
            expect(page.locator("#path-cut")).to_contain_text("Minimum cut:")
            expect(page.locator("#path-reliability")).to_contain_text("% (exact")
            on_path = page.locator(f'#network .channel.on-path[data-channel="{line}"]')
            expect(on_path).to_have_count(1)
            expect(page.locator(f'#network .office.on-path[data-office="{a}"]')).to_have_count(1)

            # Details with sources on click, and the impact table.
            page.locator(f'#network .channel[data-channel="{line}"] .hit').first.click(force=True)
            expect(page.locator("#details-title")).to_have_text(f"Channel {line}")
            expect(page.locator("#impact-table tr[data-event]")).to_have_count(len(sc.doc.events))
            page.screenshot(path=str(ARTIFACTS / "web-ui.png"), full_page=True)

            # The API docs page renders from the vendored Swagger UI under the strict CSP.
            page.goto(srv.url + "/docs")
            expect(page.locator(".swagger-ui .info .title")).to_contain_text("backchannel")
        finally:
            browser.close()
    assert problems == []


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[object]:
    chromium = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _link(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_deep_link_pair_paper_and_live_and_whatif(chromium_browser) -> None:
    """A deep link sets the date, the pair and the live toggle; the pair panel shows paper
    and live side by side; cutting a channel in what-if mode shows what the API's whatif
    answers; the link follows every move."""
    from playwright.sync_api import expect

    from backchannel.graph.cuts import resilience
    from backchannel.graph.paths import time_to_contact
    from backchannel.judge.whatif import whatif

    sc, _mission, _line = _scenario()
    a, b = sc.doc.watch[0].between
    at = "2021-11-02" if sc.name == "russia-nato" else "2021-09-01"
    day = sc.day(at)
    budget = sc.doc.watch[0].budget
    app = create_app([sc], allowed_hosts=LOOPBACK_HOSTS)
    problems: list[str] = []
    with BackgroundServer(app) as srv:
        page = chromium_browser.new_page(viewport={"width": 1280, "height": 1000})
        _watch(page, srv.url, problems)
        page.goto(f"{srv.url}/?scenario={sc.name}&at={at}&a={a}&b={b}&live=1")
        expect(page.locator("#at-label")).to_have_text(at)
        expect(page.locator("#date")).to_have_value(at)
        expect(page.locator("#slider")).to_have_value(_slider_value(at))
        expect(page.locator("#path-a")).to_have_value(a)
        expect(page.locator("#path-b")).to_have_value(b)
        expect(page.locator("#live")).to_be_checked()

        # The pair panel runs from the link: paper and live side by side.
        expect(page.locator("#path-figure")).to_contain_text(f"{a} → {b} on {at}")
        expect(page.locator("#path-figure")).to_contain_text("(live channels)")
        figures = {}
        for is_live in (False, True):
            p = time_to_contact(sc, a, b, day, live=is_live)
            r = resilience(sc, a, b, day, budget_s=budget, live=is_live)
            figures[is_live] = {
                "reachable": p.reachable,
                "latency_s": p.latency_s if p.reachable else None,
                "min_cut": r.min_cut,
                "min_cut_fast": r.min_cut_fast,
            }
        for key in ("reachable", "latency_s", "min_cut", "min_cut_fast"):
            row = page.locator(f'#pair-compare tr[data-figure="{key}"]')
            for side, is_live in (("paper", False), ("live", True)):
                cell = row.locator(f'td[data-side="{side}"]')
                assert json.loads(cell.get_attribute("data-value")) == figures[is_live][key]
        # The live answer names the dormant channels it leaves out.
        paper = time_to_contact(sc, a, b, day)
        dormant_on_path = [
            s["via"]
            for s in paper.path[1:]
            if s["via"] in sc.channels_by_id and sc.timeline.dormant(s["via"], day)
        ]
        for ch in dormant_on_path:
            expect(page.locator("#pair-left-out")).to_contain_text(ch)

        # What-if: cut the first channel of the live path, on the network.
        live_path = time_to_contact(sc, a, b, day, live=True)
        target = next(s["via"] for s in live_path.path[1:] if s["via"] in sc.channels_by_id)
        page.locator("#whatif-mode").check()
        page.locator(f'#network .channel[data-channel="{target}"]').dispatch_event("click")
        expect(page.locator(f'#network .channel.cut[data-channel="{target}"]')).to_have_count(1)
        table = page.locator(f'#whatif-table[data-key="{target}@{at} live"]')
        expect(table).to_have_count(1)
        want = whatif(sc, day, cut=[target], live=True)
        expect(page.locator("#whatif-summary")).to_have_text(want["summary"])
        for i, (rec, alt) in enumerate(
            zip(want["record"]["pairs"], want["whatif"]["pairs"], strict=True)
        ):
            for key in ("reachable", "latency_s", "min_cut", "min_cut_fast"):
                row = table.locator(f'tr[data-pair="{i}"][data-figure="{key}"]')
                got_rec = json.loads(
                    row.locator('td[data-side="record"]').get_attribute("data-value")
                )
                got_alt = json.loads(
                    row.locator('td[data-side="whatif"]').get_attribute("data-value")
                )
                assert (got_rec, got_alt) == (rec[key], alt[key]), (i, key)
        # The first pair loses its live path: the table shows the change.
        first_latency = table.locator('tr[data-pair="0"][data-figure="latency_s"]')
        assert "differs" in (first_latency.get_attribute("class") or "")
        # The record itself is untouched: the channel is still open on the network.
        status = page.locator(f'#network .channel[data-channel="{target}"]')
        assert status.get_attribute("data-status") in ("active", "restricted")
        link = _link(page)
        assert link["cut"] == [target] and link["live"] == ["1"] and link["at"] == [at]
        page.screenshot(path=str(ARTIFACTS / "web-ui-whatif.png"), full_page=False)

        # The link follows the slider, the pair and the live toggle.
        page.locator("#slider").fill(_slider_value("2021-07-01"))
        expect(page.locator("#at-label")).to_have_text("2021-07-01")
        page.wait_for_function("() => location.search.includes('at=2021-07-01')")
        other = sc.doc.watch[1].between if len(sc.doc.watch) > 1 else (b, a)
        page.locator("#path-a").select_option(other[0])
        page.locator("#path-b").select_option(other[1])
        expect(page.locator("#path-figure")).to_contain_text(f"{other[0]} → {other[1]}")
        page.locator("#live").uncheck()
        expect(page.locator("#path-figure")).not_to_contain_text("(live channels)")
        link = _link(page)
        assert link["a"] == [other[0]] and link["b"] == [other[1]]
        assert link["at"] == ["2021-07-01"] and "live" not in link
        # Reloading the link shows the same thing.
        page.reload()
        expect(page.locator("#at-label")).to_have_text("2021-07-01")
        expect(page.locator("#path-a")).to_have_value(other[0])
        expect(page.locator("#live")).not_to_be_checked()
        expect(page.locator("#whatif-mode")).to_be_checked()
        page.close()
    assert problems == []


def test_a_bad_link_is_ignored_with_a_message(chromium_browser) -> None:
    from playwright.sync_api import expect

    sc = backchannel.load("example")
    app = create_app([sc], allowed_hosts=LOOPBACK_HOSTS)
    problems: list[str] = []
    with BackgroundServer(app) as srv:
        page = chromium_browser.new_page()
        _watch(page, srv.url, problems)
        page.goto(f"{srv.url}/?scenario=example&at=2021-02-30&a=NOPE&b=AAA&live=maybe")
        expect(page.locator("#status")).to_contain_text("ignored the link's date '2021-02-30'")
        expect(page.locator("#at-label")).to_have_text("2021-09-01")  # the last event's day
        expect(page.locator("#live")).not_to_be_checked()
        page.wait_for_function("() => location.search === '?scenario=example&at=2021-09-01'")
        # A cut that cannot stand on the date is dropped, with a message.
        page.goto(f"{srv.url}/?scenario=example&at=2010-01-01&cut=chiefs-line&cut=nope")
        expect(page.locator("#status")).to_contain_text("no longer cut: chiefs-line")
        expect(page.locator("#whatif-mode")).to_be_checked()
        page.wait_for_function("() => !location.search.includes('cut=')")
        page.close()
    assert problems == []


CROWDED = """\
scenario: crowded
title: Long office names, big and small actors, no sides
actors:
  - id: ALLIANCE
    kind: alliance
    name: An alliance with many offices
    offices:
      - {id: ALLIANCE.SECRETARY-GENERAL, name: SG, rank: head_of_organisation}
      - {id: ALLIANCE.DEPUTY-SECRETARY-GENERAL, name: DSG, rank: official}
      - {id: ALLIANCE.CHAIR-MILITARY-COMMITTEE, name: CMC, rank: military_chief}
      - {id: ALLIANCE.SUPREME-COMMANDER, name: SC, rank: military_chief}
      - {id: ALLIANCE.INFO-OFFICE, name: IO, rank: official}
      - {id: ALLIANCE.LIAISON-MISSION, name: LM, rank: official}
      - {id: ALLIANCE.WMWMWMWMWMWM, name: wide, rank: official}
      - {id: ALLIANCE.X, name: X, rank: official}
  - id: BIG
    kind: state
    name: Big state
    offices:
      - {id: BIG.PRESIDENT, name: P, rank: head_of_state}
      - {id: BIG.PRIME-MINISTER, name: PM, rank: head_of_government}
      - {id: BIG.FOREIGN-MINISTER, name: FM, rank: minister}
      - {id: BIG.DEFENCE-MINISTER, name: DM, rank: minister}
      - {id: BIG.CHIEF-OF-STAFF, name: CoS, rank: military_chief}
      - {id: BIG.AMBASSADOR-TO-ALLIANCE, name: Amb, rank: ambassador}
  - id: ONE
    kind: state
    name: One office
    offices: [{id: ONE.HEAD-OF-STATE-AND-GOVERNMENT, name: H, rank: head_of_state}]
  - id: TWO
    kind: state
    name: Two
    offices:
      - {id: TWO.A, name: A, rank: head_of_state}
      - {id: TWO.B, name: B, rank: minister}
channels:
  - {id: c1, kind: hotline, ends: [ALLIANCE.SUPREME-COMMANDER, BIG.CHIEF-OF-STAFF], latency: 15m}
  - {id: c2, kind: embassy, latency: 6h,
     ends: [BIG.FOREIGN-MINISTER, ONE.HEAD-OF-STATE-AND-GOVERNMENT]}
  - {id: c3, kind: format, ends: [ALLIANCE.SECRETARY-GENERAL, BIG.PRESIDENT, TWO.A], latency: 14d}
events:
  - {date: 2001-01-01, do: open, channel: c1}
  - {date: 2001-01-01, do: open, channel: c2}
  - {date: 2001-01-01, do: open, channel: c3}
"""


def _crowded(tmp_path: Path) -> backchannel.Scenario:
    path = tmp_path / "crowded.yaml"
    path.write_text(CROWDED)
    return backchannel.load(path)


def _generated(tmp_path: Path, **params) -> backchannel.Scenario:
    from backchannel.testing.generate import write_scenario

    path = tmp_path / "world.yaml"
    write_scenario(path, **params)
    return backchannel.load(path)


@pytest.mark.parametrize(
    "make",
    [
        lambda _t: backchannel.load("russia-nato"),
        lambda _t: backchannel.load("example"),
        lambda t: _generated(t, actors=20, channels=60, events=300, watch=5, seed=0),
        lambda t: _generated(t, actors=40, channels=120, events=200, watch=3, seed=7),
        _crowded,
    ],
    ids=["russia-nato", "example", "generated-20", "generated-40", "crowded"],
)
def test_no_two_labels_overlap(chromium_browser, tmp_path: Path, make) -> None:
    """Every office label and actor name on the network, measured in the browser: no two
    boxes intersect, and every office has its label."""
    sc = make(tmp_path)
    app = create_app([sc], allowed_hosts=LOOPBACK_HOSTS)
    problems: list[str] = []
    with BackgroundServer(app) as srv:
        page = chromium_browser.new_page(viewport={"width": 1280, "height": 1000})
        _watch(page, srv.url, problems)
        page.goto(srv.url + "/")
        page.wait_for_selector("#channel-list")
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('#network .office text, #network .actor text')]
                .map((t) => { const r = t.getBoundingClientRect();
                              return [t.textContent, r.left, r.top, r.right, r.bottom]; })"""
        )
        page.close()
    offices = [o for a in sc.doc.actors for o in a.offices]
    assert len(boxes) == len(offices) + sum(1 for a in sc.doc.actors if a.offices)
    assert all(r > x and bt > y for _, x, y, r, bt in boxes), "a label has no size"
    hits = [
        (p[0], q[0])
        for i, p in enumerate(boxes)
        for q in boxes[i + 1 :]
        if p[1] < q[3] and q[1] < p[3] and p[2] < q[4] and q[2] < p[4]
    ]
    assert hits == [], f"{len(hits)} overlapping labels in {sc.name}: {hits[:10]}"
    assert problems == []
