"""`backchannel serve`: loopback by default, a warning otherwise, only the named scenarios."""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    # Starlette 1.x warns at import that it would rather use `httpx2`; the client works.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict:
    """Capture what `serve` would run instead of running it."""
    import uvicorn

    seen: dict = {}

    def fake_run(app, host: str, port: int, **kwargs) -> None:
        seen.update(app=app, host=host, port=port)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    return seen


def test_serve_binds_loopback_by_default(run_cli, served: dict) -> None:
    res = run_cli("serve", "--scenario", "example", "--port", "8123")
    assert res.code == 0, res.err
    assert (served["host"], served["port"]) == ("127.0.0.1", 8123)
    assert "warning" not in res.err
    assert "http://localhost:8123/" in res.err
    client = TestClient(served["app"], base_url="http://127.0.0.1:8123")
    names = [s["name"] for s in client.get("/api/scenarios").json()["scenarios"]]
    assert names == ["example"]
    # bound to loopback, the server refuses a foreign Host header (DNS rebinding)
    foreign = TestClient(served["app"], base_url="http://rebind.example")
    assert foreign.get("/api/scenarios").status_code == 400


def test_serve_warns_off_loopback(run_cli, served: dict) -> None:
    res = run_cli("serve", "--scenario", "example", "--host", "0.0.0.0")
    assert res.code == 0, res.err
    assert served["host"] == "0.0.0.0"
    assert "warning: binding to 0.0.0.0" in res.err


def test_serve_several_scenarios_and_errors(run_cli, served: dict) -> None:
    res = run_cli("serve", "-s", "example", "-s", "russia-nato")
    assert res.code == 0, res.err
    held = TestClient(served["app"], base_url="http://localhost").get("/api/scenarios").json()
    assert {s["name"] for s in held["scenarios"]} == {"example", "russia-nato"}
    res = run_cli("serve", "-s", "no-such-scenario")
    assert res.code == 1 and "unknown scenario 'no-such-scenario'" in res.err
    res = run_cli("serve", "-s", "example", "-s", "example")
    assert res.code == 1 and "two scenarios are named 'example'" in res.err
    assert run_cli("serve", "--port", "70000").code == 2
