"""Hostile input: each case of issue 17 is a one-line error naming file, line and reason
(exit 1), never a traceback, a segfault or a read until memory runs out."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import backchannel
from backchannel import ScenarioError
from backchannel.core.dates import parse_date, parse_duration
from backchannel.record.loader import parse_doc
from backchannel.record.yamlread import fast_root

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = (Path(backchannel.__file__).parent / "scenarios" / "example.yaml").read_text()


def cli(*args: object, limit_mb: int = 1024, timeout: float = 120) -> subprocess.CompletedProcess:
    """`backchannel ARGS` in a child process (a segfault or memory blow-up stays there)."""

    def limits() -> None:
        size = limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    code = "from backchannel.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        preexec_fn=limits,
    )


def one_error(err: str, *parts: str) -> None:
    lines = err.strip().splitlines()
    assert "Traceback" not in err, err
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for part in parts:
        assert part in lines[0], (part, err)


def scenario(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the scenario parser ------------------------------------------------------------------


def test_100_kb_of_nested_brackets_is_an_error_not_a_segfault(tmp_path):
    path = scenario(tmp_path, "[" * 100_000)
    res = cli("check", path)
    assert res.returncode == 1, (res.returncode, res.stderr[-500:])
    one_error(res.stderr, f"{path}:1:", "nested deeper than 64 levels")
    assert fast_root("[" * 100_000) is None  # the C fast path builds without recursion


@pytest.mark.parametrize(
    "text",
    [
        "scenario: x\ntitle: y\nnote: " + "[" * 1000 + "]" * 1000 + "\n",
        "scenario: x\ntitle: y\nnote:\n" + "".join(f"{' ' * i}k{i}:\n" for i in range(1, 1001)),
        "scenario: x\ntitle: y\nnote:\n" + "- " * 1000 + "x\n",
    ],
    ids=["flow", "block", "compact"],
)
def test_1000_levels_are_an_error_not_a_recursion_error(tmp_path, run_cli, text):
    path = scenario(tmp_path, text)
    res = run_cli("check", path)
    assert res.code == 1
    one_error(res.err, f"{path}:", "nested deeper than 64 levels")


def test_a_duration_of_309_digits_is_out_of_range(tmp_path, run_cli):
    path = scenario(tmp_path, EXAMPLE.replace("latency: 15m", "latency: " + "9" * 320 + "m"))
    res = run_cli("check", path)
    assert res.code == 1 and "Traceback" not in res.err
    assert f"{path}:29: channels[1]: latency: duration '99" in res.err
    assert "out of range (at most 100 years)" in res.err
    with pytest.raises(ValueError, match="out of range"):
        parse_duration("9" * 400 + "h")
    with pytest.raises(ValueError, match="out of range"):
        parse_duration("6000w")  # 115 years
    assert parse_duration("5000w") == 5000 * 7 * 86400


def test_an_integer_of_5000_digits_is_out_of_range(tmp_path, run_cli):
    text = EXAMPLE.replace("budget: 2d, floor: 1", "budget: 2d, floor: " + "9" * 5000)
    path = scenario(tmp_path, text)
    res = run_cli("check", path)
    assert res.code == 1
    one_error(res.err, f"{path}:33:", "out of range (at most 15 digits)")
    assert len(res.err) < 300  # the number is not echoed in full
    with pytest.raises(ScenarioError, match="out of range"):
        parse_doc(text)


def test_dev_zero_is_not_read(run_cli):
    res = cli("check", "/dev/zero", limit_mb=700, timeout=60)
    assert res.returncode == 1
    one_error(res.stderr, "/dev/zero: not a regular file")


def test_a_folder_and_a_fifo_are_not_read(tmp_path, run_cli):
    res = run_cli("check", tmp_path)
    assert res.code == 1 and "is a folder" in res.err
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    res = run_cli("channels", "AAA", "BBB", "--scenario", fifo)
    assert res.code == 1
    one_error(res.err, "not a regular file")


def test_a_file_over_the_size_cap_is_refused(tmp_path, run_cli, monkeypatch):
    import backchannel.record.loader as loader

    monkeypatch.setattr(loader, "MAX_SCENARIO_BYTES", 1000)
    path = scenario(tmp_path, EXAMPLE)
    res = run_cli("check", path)
    assert res.code == 1
    one_error(res.err, f"{path}: file too large", "at most 1,000")


@pytest.mark.parametrize("date", ["٢٠٢١-٠٩-٠١", "2021-09-0١", "２０２１", "2021-09-0²"])
def test_dates_take_ascii_digits_only(tmp_path, run_cli, date):
    with pytest.raises(ValueError, match="cannot parse"):
        parse_date(date)
    path = scenario(tmp_path, EXAMPLE.replace("2021-09-01", f'"{date}"'))
    res = run_cli("check", path)
    assert res.code == 1
    one_error(res.err, f"{path}:44:", "cannot parse")


def test_names_too_long_for_the_system_are_an_error(tmp_path, run_cli):
    long = "a" * 5000
    for args in (
        ["check", long],
        ["channels", "AAA", "BBB", "-s", long + ".yaml"],
        ["export", "gexf", "-s", "example", "--out", tmp_path / long],
        ["export", "csv", "-s", "example", "--out", tmp_path / long / "x"],
        ["generate", "--out", tmp_path / long],
    ):
        res = run_cli(*args)
        assert res.code == 1, args
        one_error(res.err)


def test_a_key_with_a_newline_stays_on_one_line(tmp_path, run_cli):
    path = scenario(tmp_path, EXAMPLE.replace("title: Two", '"bad\\nkey\\x1b[31m": 1\ntitle: Two'))
    res = run_cli("check", path)
    assert res.code == 1
    one_error(res.err, "unknown key 'bad\\x0akey\\x1b[31m'")


def test_a_bad_value_is_echoed_short(tmp_path, run_cli):
    path = scenario(tmp_path, EXAMPLE.replace("latency: 15m", "latency: " + "x" * 5000))
    res = run_cli("check", path)
    assert res.code == 1 and "malformed duration" in res.err and len(res.err) < 2000


@pytest.mark.parametrize(
    "event, reason",
    [
        ("{a: " + "[" * 1000 + "]" * 1000 + "}", "nested deeper than 64 levels"),
        ("[" * 100_000, "too long"),
        ("{date: 2021-11-02, do: expel, count: " + "9" * 5000 + ", channel: x}", "out of range"),
        ("{date: 2021-11-02, do: close, channel: chiefs-line, x: " + "9" * 400 + ".5}", "range"),
    ],
    ids=["deep", "long", "int", "float"],
)
def test_whatif_event_yaml_is_bounded(run_cli, event, reason):
    res = run_cli("whatif", "--scenario", "example", "--at", "2021-11-02", "--event", event)
    assert res.code == 1
    one_error(res.err, "--event 1:", reason)


# -- report, import, export ----------------------------------------------------------------


def test_report_on_a_record_that_reaches_year_9900(tmp_path, run_cli):
    path = scenario(tmp_path, EXAMPLE.replace("2021-09-01", "9990-09-01"))
    res = run_cli("report", "--scenario", path, "--out", tmp_path / "r.html")
    assert res.code == 0, res.err
    assert (tmp_path / "r.html").stat().st_size > 10_000


def test_report_links_only_http_urls(tmp_path, run_cli):
    text = EXAMPLE.replace("https://example.org/a", "javascript:alert(3)")
    path = scenario(tmp_path, text)
    assert run_cli("report", "--scenario", path, "--out", tmp_path / "r.html").code == 0
    html = (tmp_path / "r.html").read_text()
    assert "javascript:" not in html.lower() and "B suspends the military hotline" in html
    res = run_cli("report", "-s", path, "--out", tmp_path / "r.md", "--format", "md")
    assert res.code == 0, res.err
    md = (tmp_path / "r.md").read_text()
    assert "](javascript" not in md and "B suspends the military hotline" in md


COW_HEADER = "ccode1,ccode2,year,DR_at_1,DR_at_2,DE,version\n"
STATES_HEADER = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"


def test_import_cow_with_a_states_file_of_no_rows(tmp_path, run_cli):
    exchange = scenario(tmp_path, COW_HEADER + "2,20,1990,3,3,1,2006.1\n", "ex.csv")
    states = scenario(tmp_path, STATES_HEADER, "states.csv")
    out = tmp_path / "world.yaml"
    res = run_cli(
        "import",
        "cow",
        exchange,
        "--states",
        states,
        "--from",
        "1990",
        "--to",
        "1990",
        "--out",
        out,
    )
    assert res.code == 1
    one_error(res.err, f"{states}: no usable state system rows")
    assert not out.exists()  # nothing written


def test_binary_bytes_are_escaped_in_cow_errors(tmp_path, run_cli):
    binary = tmp_path / "states.csv"
    binary.write_bytes(b"a,b\x00\xff\x89PNG\x1b[31m,c\n1,2,3\n")
    exchange = scenario(tmp_path, COW_HEADER, "ex.csv")
    for args in (
        ("import", "cow", exchange, "--states", binary),
        ("import", "cow", binary, "--states", binary),
        ("import", "us-missions", binary),
    ):
        res = run_cli(*args, "--out", tmp_path / "w.yaml")
        assert res.code == 1
        one_error(res.err, r"b\x00\xff\x89PNG\x1b[31m")
        assert "\x00" not in res.err and "\x1b" not in res.err


def test_cow_numbers_take_ascii_digits_only(tmp_path, data_dir, run_cli):
    rows = "2,20,١٩٩٠,3,3,1,2006.1\n2,20," + "9" * 5000 + ",3,3,1,2006.1\n"
    exchange = scenario(tmp_path, COW_HEADER + rows, "ex.csv")
    states = data_dir / "cow" / "states2016.csv"
    res = run_cli("import", "cow", exchange, "--states", states, "--out", tmp_path / "w.yaml")
    assert res.code == 1 and "no usable rows" in res.err


@pytest.mark.parametrize(
    "args, message",
    [
        (["import", "cow", "EX", "--states", "EX"], "is a folder"),
        (["import", "us-missions", "EX"], "is a folder"),
        (["export", "gexf", "-s", "example"], "is a folder"),
        (["export", "graphml", "-s", "example"], "is a folder"),
        (["generate"], "is a folder"),
        (["report", "-s", "example"], "is a folder"),
    ],
    ids=lambda x: "-".join(x) if isinstance(x, list) else "",
)
def test_out_is_checked_before_the_work(tmp_path, run_cli, args, message):
    exchange = scenario(tmp_path, COW_HEADER + "2,20,1990,3,3,1,2006.1\n", "ex.csv")
    args = [str(exchange) if a == "EX" else a for a in args]
    res = run_cli(*args, "--out", tmp_path)
    assert res.code == 1
    one_error(res.err, message)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_table_export_out_must_be_a_folder(tmp_path, run_cli, fmt):
    blocker = scenario(tmp_path, "keep me", "file")
    res = run_cli("export", fmt, "-s", "example", "--out", blocker)
    assert res.code == 1
    one_error(res.err, "is a file; give a folder")
    assert blocker.read_text() == "keep me"


def test_a_mapping_used_as_a_key_is_a_clear_error(run_cli, tmp_path):
    # found by the fuzz: ruamel's round-trip constructor cannot hash a mapping key
    path = scenario(
        tmp_path,
        "scenario: x\ntitle: y\nactors:\n  - id: AAA\n    kind: state\n    name: A\n"
        "    offices:\n      - {id: AAA.HOS, name: P, rank: head_of_state, "
        "? [{name: A. Anders}]: 1}\n",
    )
    res = run_cli("check", path)
    assert res.code == 1 and "Traceback" not in res.err
    assert "a key must be text, not a mapping or a list" in res.err
