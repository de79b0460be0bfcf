"""The web UI in real headless Chromium (Debian's package), driven by Playwright."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import backchannel
from backchannel.scenario import builtin_scenarios
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
    """The built-in scenario, its mission to the alliance and its chiefs' line.

    On russia-nato: Russia's permanent mission to NATO and the SACEUR–CGS line. Until that
    scenario ships, the example's embassy and chiefs' hotline play the same parts.
    """
    if "russia-nato" in builtin_scenarios():
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
    return backchannel.load("example"), "embassy-a-in-b", "chiefs-line"


def _slider_value(date: str) -> str:
    return str((dt.date.fromisoformat(date) - dt.date(1970, 1, 1)).days)


def test_ui_in_chromium() -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail(
            "chromium not found on PATH: install Debian's chromium package "
            "(`make browser`, or apt-get install chromium) to run the browser tests"
        )
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
