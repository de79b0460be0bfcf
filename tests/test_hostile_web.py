"""The server under hostile requests: security headers on every answer (500 included),
HEAD everywhere, --port 0, the formats in the OpenAPI schema, and a schemathesis run."""

from __future__ import annotations

import time
import warnings

import pytest
from hypothesis import HealthCheck, given, settings

import backchannel
from backchannel.web import create_app
from backchannel.web.security import SECURITY_HEADERS

with warnings.catch_warnings():
    # Starlette 1.x warns at import that it would rather use `httpx2`; the client works.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def app():
    return create_app([backchannel.load("example")])


@pytest.fixture
def client(app):
    return TestClient(app, raise_server_exceptions=False)


def test_a_500_carries_the_security_headers(app, client, monkeypatch):
    import backchannel.web.api as api

    def broken(_sc):
        raise RuntimeError("a bug")

    monkeypatch.setattr(api, "layout", broken)
    res = client.get("/api/example")
    assert res.status_code == 500
    assert res.json() == {"error": "internal error"}
    for name, value in SECURITY_HEADERS.items():
        assert res.headers.get(name) == value, name


@pytest.mark.parametrize("path", ["/", "/docs", "/api/scenarios", "/api/example/timeline"])
def test_head_works_wherever_get_does(client, path):
    got = client.get(path)
    head = client.head(path)
    assert got.status_code == head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"]
    assert head.headers["x-frame-options"] == "DENY"


def test_a_huge_budget_is_a_4xx_not_a_500(client):
    where = "/api/example/resilience"
    res = client.get(where, params={"a": "AAA", "b": "BBB", "budget": "9" * 400 + "h"})
    assert res.status_code == 422 and "budget" in res.json()["error"]
    for budget in ("9" * 60 + "h", "1000000h"):
        res = client.get(where, params={"a": "AAA", "b": "BBB", "budget": budget})
        assert res.status_code == 400 and "out of range" in res.json()["error"], budget


def test_the_schema_states_the_formats_of_at_budget_and_ids(app):
    schema = app.openapi()
    params = {
        p["name"]: p["schema"]
        for p in schema["paths"]["/api/{scenario}/resilience"]["get"]["parameters"]
    }
    assert params["at"]["pattern"].startswith("^[0-9]{4}")
    assert "[smhdw]" in params["budget"]["pattern"]
    assert params["scenario"]["enum"] == ["example"]
    assert "pattern" in params["a"] and params["a"]["maxLength"] == 200
    office = schema["paths"]["/api/{scenario}/office/{office_id}"]["get"]["parameters"]
    assert any(p["name"] == "office_id" and "pattern" in p["schema"] for p in office)


def test_port_0_prints_the_port_it_listens_on(run_cli, monkeypatch):
    import uvicorn

    seen = {}

    def fake_run(self, sockets=None):
        seen["port"] = sockets[0].getsockname()[1]

    monkeypatch.setattr(uvicorn.Server, "run", fake_run)
    res = run_cli("serve", "--scenario", "example", "--port", "0")
    assert res.code == 0, res.err
    assert seen["port"] != 0
    assert f"http://localhost:{seen['port']}/" in res.err


def test_schemathesis_finds_no_server_error(app):
    """Every operation of the schema, generated inputs (positive and negative), no 500."""
    import schemathesis
    from schemathesis.checks import not_a_server_error

    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    started = time.monotonic()
    failures: list[str] = []
    ran = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=40,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            nonlocal ran
            ran += 1
            # every other case names real ends, so that dates and budgets reach their parsers
            if case.query and ran % 2 and "a" in case.query:
                case.query.update(a="AAA.CHIEF", b="BBB")
            response = case.call()
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.path} {case.query}: {response.status_code}")
            assert "content-security-policy" in {k.lower() for k in response.headers}
            case.validate_response(response, checks=[not_a_server_error])

        run()
    assert ran > 200
    assert not failures, failures
    assert time.monotonic() - started < 120
