"""The JSON API in process: every endpoint, bad input, and the safety rules."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import backchannel
from backchannel.core.errors import BackchannelError
from backchannel.graph.cuts import resilience
from backchannel.graph.paths import time_to_contact
from backchannel.web import LOOPBACK_HOSTS, create_app
from backchannel.web.security import SECURITY_HEADERS

with warnings.catch_warnings():
    # Starlette 1.x warns at import that it would rather use `httpx2`; the client works.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SMALL = """\
scenario: small
title: Three offices and a format
actors:
  - id: XX
    kind: state
    name: X
    offices:
      - {id: XX.HOS, name: President, rank: head_of_state,
         holders: [{name: Ann, from: 2000-01-01, source: {title: Gazette, url: "https://example.org/g"}}]}
  - id: YY
    kind: state
    name: Y
    offices: [{id: YY.HOS, name: President, rank: head_of_state}]
  - id: ZZ
    kind: state
    name: Z
    offices: [{id: ZZ.HOS, name: President, rank: head_of_state}]
channels:
  - {id: trio, kind: format, ends: [XX.HOS, YY.HOS, ZZ.HOS], latency: 14d}
  - {id: xy-line, kind: hotline, ends: [XX.HOS, YY.HOS], latency: 15m}
watch:
  - {between: [XX.HOS, YY.HOS], budget: 1h, floor: 1}
events:
  - {date: 2010-05-01, do: open, channel: trio}
  - {id: line-open, date: 2012-01-01, do: open, channel: xy-line,
     source: {title: "Line opened", url: "https://example.org/line"}}
  - {id: line-closed, date: 2016-03-03, by: YY, do: close, channel: xy-line}
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> backchannel.Scenario:
    path = tmp_path_factory.mktemp("sc") / "small.yaml"
    path.write_text(SMALL)
    return backchannel.load(path)


@pytest.fixture(scope="module")
def client(example: backchannel.Scenario, small: backchannel.Scenario) -> TestClient:
    return TestClient(create_app([example, small]))


def _error(resp, status: int) -> str:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"error"} and body["error"]
    return body["error"]


def test_scenarios_lists_only_what_the_server_holds(client: TestClient) -> None:
    body = client.get("/api/scenarios").json()
    names = [s["name"] for s in body["scenarios"]]
    assert names == ["example", "small"]
    ex = body["scenarios"][0]
    assert (ex["first"], ex["last"], ex["channels"], ex["events"]) == (
        "2001-01-10",
        "2021-09-01",
        2,
        7,
    )


def test_overview_has_every_office_positioned(client: TestClient, example) -> None:
    body = client.get("/api/example").json()
    offices = {o["id"] for a in body["actors"] for o in a["offices"]}
    assert offices == set(example.offices)
    assert set(body["layout"]["offices"]) == offices
    for x, y in body["layout"]["offices"].values():
        assert 0 <= x <= 1 and 0 <= y <= 1
    assert [c["id"] for c in body["channels"]] == ["embassy-a-in-b", "chiefs-line"]
    assert body["watch"][0] == {
        "between": ["AAA.CHIEF", "BBB.CHIEF"],
        "budget_s": 3600,
        "floor": 2,
        "label": "AAA.CHIEF ↔ BBB.CHIEF",
    }
    assert len(body["events"]) == 7


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # Read off example.yaml: the embassy opens 2001-01-10 and is restricted by the
        # expulsion of 2019-04-04; the hotline opens 2015-06, is suspended 2020-06-09
        # and restored 2021-07-27.
        ("2010-01-01", {"embassy-a-in-b": "active"}),
        ("2019-04-03", {"embassy-a-in-b": "active", "chiefs-line": "active"}),
        ("2020-06-09", {"embassy-a-in-b": "restricted", "chiefs-line": "suspended"}),
        ("2021-07", {"embassy-a-in-b": "restricted", "chiefs-line": "suspended"}),
        ("2021-11-02", {"embassy-a-in-b": "restricted", "chiefs-line": "active"}),
    ],
)
def test_snapshot_status_at_a_date(client: TestClient, at: str, expected: dict) -> None:
    body = client.get("/api/example/snapshot", params={"at": at}).json()
    assert {c["id"]: c["status"] for c in body["channels"]} == expected


def test_snapshot_defaults_to_the_last_event_and_gives_holders(client: TestClient) -> None:
    body = client.get("/api/example/snapshot").json()
    assert body["at"] == "2021-09-01"
    holders = {o["id"]: o["holder"] for o in body["offices"]}
    assert holders["AAA.HOS"] == "A. Anders" and holders["BBB.HOS"] is None
    staff = {c["id"]: (c["staff"], c["cap"]) for c in body["channels"]}
    assert staff["embassy-a-in-b"] == (30, 30)  # 40 less 10 expelled, capped at 30


def test_timeline_spans(client: TestClient) -> None:
    body = client.get("/api/example/timeline", params={"channel": "chiefs-line"}).json()
    (row,) = body["channels"]
    assert [(s["from"], s["status"]) for s in row["spans"]] == [
        ("2015-06-01", "active"),
        ("2020-06-09", "suspended"),
        ("2021-07-27", "active"),
    ]
    assert row["uses"] == ["2016-03-02", "2021-09-01"]
    assert len(client.get("/api/example/timeline").json()["channels"]) == 2


def test_path_and_resilience_match_the_analysis(client: TestClient, example) -> None:
    day = example.day("2020-07-01")
    for a, b in (("AAA.CHIEF", "BBB.CHIEF"), ("AAA", "BBB"), ("a", "b")):
        params = {"a": a, "b": b, "at": "2020-07-01"}
        got = client.get("/api/example/path", params=params).json()
        assert got == time_to_contact(example, a, b, day).as_dict()
        got = client.get("/api/example/resilience", params={**params, "budget": "2h"}).json()
        assert got == resilience(example, a, b, day, budget_s=7200).as_dict()


def test_path_follows_the_record(client: TestClient) -> None:
    # While the hotline is suspended the chiefs can only go through the embassy (12h and
    # more); once it is restored, the 15-minute line is the path.
    down = client.get(
        "/api/example/path", params={"a": "AAA.CHIEF", "b": "BBB.CHIEF", "at": "2020-07-01"}
    ).json()
    up = client.get(
        "/api/example/path", params={"a": "AAA.CHIEF", "b": "BBB.CHIEF", "at": "2021-11-02"}
    ).json()
    assert down["reachable"] and down["latency_s"] > 12 * 3600
    assert "embassy-a-in-b" in {s["via"] for s in down["path"]}
    assert up["latency_s"] == 15 * 60
    assert [s["office"] for s in up["path"]] == ["AAA.CHIEF", "BBB.CHIEF"]


def test_resilience_budget_defaults_to_the_watch(client: TestClient) -> None:
    got = client.get(
        "/api/small/resilience", params={"a": "XX.HOS", "b": "YY.HOS", "at": "2013"}
    ).json()
    assert got["budget_s"] == 3600
    # The hotline and the three-way format are two independent channels; only the
    # hotline is fast.
    assert (got["min_cut"], got["min_cut_fast"]) == (2, 1)
    other = client.get(
        "/api/small/resilience", params={"a": "XX.HOS", "b": "ZZ.HOS", "at": "2013"}
    ).json()
    assert other["budget_s"] == 3600


def test_reliability_matches_the_analysis(client: TestClient, example) -> None:
    from backchannel.judge.reliability import reliability

    body = client.get("/api/example/reliability?a=AAA.CHIEF&b=BBB.CHIEF&at=2021-09-01").json()
    want = reliability(example, "AAA.CHIEF", "BBB.CHIEF", example.day("2021-09-01")).as_dict()
    assert body == want
    assert body["method"] == "exact" and body["channels"][0]["id"] == "chiefs-line"
    half = client.get("/api/example/reliability?a=AAA.CHIEF&b=BBB.CHIEF&horizon=26w").json()
    assert half["horizon_s"] == 26 * 7 * 86400 and half["reliability"] > body["reliability"]


def test_unreachable_is_an_answer(client: TestClient) -> None:
    got = client.get("/api/small/path", params={"a": "XX", "b": "ZZ", "at": "2009"})
    assert got.status_code == 200
    assert got.json()["reachable"] is False


def test_channels_between(client: TestClient) -> None:
    body = client.get("/api/small/channels", params={"a": "XX", "b": "YY", "at": "2020"}).json()
    assert {c["id"]: c["status"] for c in body["channels"]} == {
        "trio": "active",
        "xy-line": "closed",
    }
    body = client.get("/api/small/channels", params={"a": "XX", "b": "YY", "at": "2011"}).json()
    assert [c["id"] for c in body["channels"]] == ["trio"]


def test_channel_and_office_details_carry_sources(client: TestClient) -> None:
    body = client.get("/api/small/channel/xy-line", params={"at": "2014"}).json()
    assert body["channel"]["status"] == "active"
    assert [e["id"] for e in body["events"]] == ["line-open", "line-closed"]
    assert body["events"][0]["source"] == {
        "title": "Line opened",
        "url": "https://example.org/line",
        "published": None,
    }
    assert [s["status"] for s in body["spans"]] == ["active", "closed"]
    body = client.get("/api/small/office/XX.HOS", params={"at": "2014"}).json()
    assert body["office"]["holder"] == "Ann"
    assert body["holders"][0]["source"]["url"] == "https://example.org/g"
    assert {c["id"] for c in body["channels"]} == {"trio", "xy-line"}


def test_impact_lists_every_event(client: TestClient, small) -> None:
    from backchannel.judge.impact import impact

    body = client.get("/api/small/impact").json()
    expected = {r.as_dict()["id"]: r.as_dict()["verdict"] for r in impact(small)}
    assert {e["id"]: e["verdict"] for e in body["events"]} == expected
    # Opening and closing the only fast line cross the pair's floor of 1.
    assert expected["line-open"] == expected["line-closed"] == "material"
    one = client.get("/api/small/impact", params={"event": "line-closed"}).json()
    assert [e["id"] for e in one["events"]] == ["line-closed"]
    assert one["events"][0]["by"] == "YY"


def test_whatif_matches_the_analysis_and_leaves_the_record(client: TestClient, example) -> None:
    from backchannel.judge.whatif import whatif

    day = example.day("2021-11-02")
    before = client.get("/api/example/snapshot", params={"at": "2021-11-02"}).json()
    for live in (False, True):
        got = client.get(
            "/api/example/whatif", params={"cut": "chiefs-line", "at": "2021-11-02", "live": live}
        ).json()
        assert got == whatif(example, day, cut=["chiefs-line"], live=live)
    # Cutting the chiefs' hotline leaves them the embassy only: slower, out of budget.
    (rec, alt) = (got["record"]["pairs"][0], got["whatif"]["pairs"][0])
    assert rec["between"] == alt["between"] == ["AAA.CHIEF", "BBB.CHIEF"]
    assert (rec["latency_s"], rec["min_cut_fast"]) == (900, 1)
    assert alt["reachable"] and alt["latency_s"] > 12 * 3600 and alt["min_cut_fast"] == 0
    assert got["changed"] and got["changed"][0]["verdict"] == "material"
    assert [e["channel"] for e in got["whatif"]["events"]] == ["chiefs-line"]
    # Two cuts at once, the default date (the last event's day).
    both = client.get("/api/example/whatif?cut=chiefs-line&cut=embassy-a-in-b").json()
    assert both["record"]["at"] == "2021-09-01"
    assert [p["reachable"] for p in both["whatif"]["pairs"]] == [False, False]
    # The record is never changed.
    assert client.get("/api/example/snapshot", params={"at": "2021-11-02"}).json() == before
    assert example.timeline.status("chiefs-line", day).value == "active"


@pytest.mark.parametrize(
    ("url", "status", "needle"),
    [
        ("/api/nowhere/snapshot", 404, "unknown scenario 'nowhere'"),
        ("/api/nowhere", 404, "unknown scenario"),
        ("/api/example/snapshot?at=2021-02-30", 400, "not a real date"),
        ("/api/example/snapshot?at=yesterday", 400, "cannot parse"),
        ("/api/example/path?a=AAA.NOPE&b=BBB", 404, "unknown actor, office or side 'AAA.NOPE'"),
        ("/api/example/path?a=AAA&b=BBB&at=21-1-1", 400, "cannot parse"),
        ("/api/example/path?a=AAA", 422, "b: Field required"),
        ("/api/example/path?a=&b=BBB", 422, "a:"),
        ("/api/example/path?a=AAA&b=BBB&live=maybe", 422, "live:"),
        ("/api/example/resilience?a=AAA&b=ZZZ", 404, "'ZZZ'"),
        ("/api/example/resilience?a=AAA&b=BBB&budget=soon", 400, "malformed duration"),
        ("/api/example/channels?a=AAA&b=BBB&at=2021-13", 400, "not a real date"),
        ("/api/example/reliability?a=AAA&b=ZZZ", 404, "'ZZZ'"),
        ("/api/example/reliability?a=AAA&b=BBB&horizon=3q", 400, "horizon: malformed duration"),
        ("/api/example/reliability?a=AAA&b=BBB&budget=soon", 400, "budget: malformed duration"),
        ("/api/example/reliability?a=AAA&b=BBB&samples=0", 422, "samples:"),
        ("/api/example/reliability?a=AAA&b=BBB&samples=1000000", 422, "samples:"),
        ("/api/example/channels?b=BBB", 422, "a: Field required"),
        ("/api/example/timeline?channel=nope", 404, "unknown channel 'nope'"),
        ("/api/example/impact?event=nope", 404, "unknown event 'nope'"),
        ("/api/example/channel/nope", 404, "unknown channel 'nope'"),
        ("/api/example/office/AAA", 404, "unknown office 'AAA'"),
        ("/api/example/office/AAA.HOS?at=x", 400, "cannot parse"),
        ("/api/example/whatever", 404, "Not Found"),
        ("/api/example/whatif", 422, "cut: Field required"),
        ("/api/example/whatif?cut=nope", 404, "cut: unknown channel 'nope'"),
        ("/api/example/whatif?cut=", 404, "cut: unknown channel ''"),
        ("/api/example/whatif?cut=" + "x" * 300, 404, "cut: unknown channel"),
        ("/api/example/whatif?cut=chiefs-line&at=2021-02-30", 400, "not a real date"),
        ("/api/example/whatif?cut=chiefs-line&at=soon", 400, "cannot parse"),
        ("/api/example/whatif?cut=chiefs-line&at=2010", 400, "not yet open on 2010-01-01"),
        ("/api/small/whatif?cut=xy-line&at=2020", 400, "what-if refused"),
        ("/api/example/whatif?cut=chiefs-line&live=maybe", 422, "live:"),
        ("/api/example/whatif?" + "cut=chiefs-line&" * 101, 422, "at most 100"),
        ("/api/nowhere/whatif?cut=chiefs-line", 404, "unknown scenario"),
    ],
)
def test_bad_input_is_a_clear_4xx(client: TestClient, url: str, status: int, needle: str) -> None:
    assert needle in _error(client.get(url), status)


def test_no_file_paths_from_requests(client: TestClient, example) -> None:
    path = str(example.file)
    for name in (path, "../scenarios/example.yaml", "example.yaml", "russia-nato"):
        resp = client.get("/api/" + name.replace("/", "%2F") + "/snapshot")
        assert resp.status_code == 404, name


def test_read_only(client: TestClient) -> None:
    for method in ("post", "put", "delete", "patch"):
        resp = getattr(client, method)("/api/example/snapshot")
        assert "read-only" in _error(resp, 405)
        assert resp.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    "url", ["/", "/api/scenarios", "/api/nowhere", "/static/app.js", "/docs", "/openapi.json"]
)
def test_security_headers(client: TestClient, url: str) -> None:
    resp = client.get(url)
    for key, value in SECURITY_HEADERS.items():
        assert resp.headers[key] == value
    csp = resp.headers["content-security-policy"]
    assert "http:" not in csp and "https:" not in csp and "*" not in csp
    assert "unsafe" not in csp


def test_ui_and_docs_pages_load_only_local_files(client: TestClient) -> None:
    import re

    for url in ("/", "/docs"):
        html = client.get(url).text
        refs = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert refs
        for ref in refs:
            assert ref.startswith("/"), ref
            if ref.startswith("/static/"):
                assert client.get(ref).status_code == 200, ref
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {
        "/api/scenarios",
        "/api/{scenario}/snapshot",
        "/api/{scenario}/path",
        "/api/{scenario}/resilience",
        "/api/{scenario}/impact",
        "/api/{scenario}/timeline",
        "/api/{scenario}/channels",
        "/api/{scenario}/whatif",
    } <= paths


def test_vendored_library_carries_its_licence() -> None:
    from backchannel.web.app import static_dir

    vendor = static_dir() / "vendor" / "swagger-ui"
    assert "Apache License" in (vendor / "LICENSE").read_text()
    assert (vendor / "NOTICE").is_file()
    assert "| swagger-ui-dist | 5.32.0 |" in (static_dir() / "vendor" / "README.md").read_text()


def test_host_header_is_checked_when_asked(example) -> None:
    app = create_app([example], allowed_hosts=LOOPBACK_HOSTS)
    local = TestClient(app, base_url="http://127.0.0.1:8000")
    assert local.get("/api/scenarios").status_code == 200
    assert TestClient(app, base_url="http://localhost").get("/api/scenarios").status_code == 200
    evil = TestClient(app, base_url="http://attacker.example")
    assert "not allowed" in _error(evil.get("/api/scenarios"), 400)


def test_create_app_refuses_duplicates_and_nothing(example) -> None:
    with pytest.raises(BackchannelError, match="two scenarios"):
        create_app([example, backchannel.load(Path(str(example.file)))])
    with pytest.raises(BackchannelError, match="no scenario"):
        create_app([])
