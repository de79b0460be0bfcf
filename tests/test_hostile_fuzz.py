"""Fuzzing (hypothesis, bounded in time): the scenario parser on mutated files, and every
command (but `ingest` and `engagement`, tested with the event data) on hostile arguments.
The promise: a clear error or an answer, exit 0, 1 or 2, never a traceback."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import backchannel
from backchannel import ScenarioError
from backchannel.cli import app
from backchannel.record.loader import parse_doc

EXAMPLE = (Path(backchannel.__file__).parent / "scenarios" / "example.yaml").read_text()
FUZZ = settings(
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)

# -- the parser ------------------------------------------------------------------------------

TOKENS = [
    "[",
    "]",
    "{",
    "}",
    ":",
    ": ",
    ", ",
    "- ",
    "-",
    "\n",
    "\n  ",
    "  ",
    "\t",
    "#",
    "'",
    '"',
    "&a ",
    "*a",
    "!!int ",
    "!!str ",
    "!!binary ",
    "!x ",
    "<<: ",
    "? ",
    "|\n",
    ">-\n",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "~",
    "null",
    "yes",
    "9" * 400,
    "9" * 5000,
    "1e999",
    "-.inf",
    ".nan",
    "0x" + "f" * 40,
    "0o777",
    "1_000",
    "²",
    "٢٠٢١",
    "２",
    "\x00",
    "\x1b",
    "\ufeff",
    "\u2028",
    "é",
    "2021-02-30",
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "15m",
    "9" * 320 + "m",
    "-1h",
    "1.5h",
    "id: x",
    "do: close",
    "channel: chiefs-line",
    "events:\n  - {date: 2021, do: open, channel: x}\n",
]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = EXAMPLE
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            token = draw(st.sampled_from(TOKENS) | st.text(max_size=8))
            text = text[:at] + token * draw(st.sampled_from([1, 1, 2, 70, 1000])) + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(1, 200)) :]
    return text


@settings(FUZZ, max_examples=200)
@given(text=mutated())
def test_the_parser_answers_or_names_the_problem(text: str) -> None:
    try:
        parse_doc(text, "fuzz.yaml")
    except ScenarioError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file == "fuzz.yaml" and p.message


@settings(FUZZ, max_examples=40)
@given(
    depth=st.integers(0, 3000),
    kinds=st.text(alphabet="[{-k", min_size=1, max_size=3),
)
def test_any_nesting_is_parsed_or_refused(depth: int, kinds: str) -> None:
    parts = []
    for i in range(depth):
        kind = kinds[i % len(kinds)]
        parts.append({"[": "[", "{": "{a: ", "-": "\n" + " " * i + "- ", "k": "{k: "}[kind])
    text = "scenario: x\ntitle: y\nnote: " + "".join(parts) + "x"
    with contextlib.suppress(ScenarioError):
        parse_doc(text, "deep.yaml")


# -- every command -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Hostile and ordinary inputs, made once."""
    d = tmp_path_factory.mktemp("fuzz")
    out = {"dir": str(d), "missing": str(d / "missing.yaml"), "zero": "/dev/zero"}
    for name, text in {
        "deep": "[" * 100_000,
        "bigint": EXAMPLE.replace("floor: 1", "floor: " + "9" * 5000),
        "longdur": EXAMPLE.replace("latency: 15m", "latency: " + "9" * 400 + "m"),
        "y9990": EXAMPLE.replace("2021-09-01", "9999-12-31").replace("2001-01-10", "0001-01-01"),
        "js": EXAMPLE.replace("https://example.org/a", "javascript:alert(3)"),
        "empty": "",
        "list": "- 1\n- 2\n",
        "csv": "ccode1,ccode2,year,DR_at_1,DR_at_2,DE,version\n2,20,1990,3,3,1,2006.1\n",
        "states": "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
        "USA,2,United States of America,1816,1,1,2016,12,31,2016\n",
        "binary": "a,b\x00\x1b[31m,c\n",
    }.items():
        path = d / (f"{name}.csv" if name in ("csv", "states", "binary") else f"{name}.yaml")
        path.write_text(text, encoding="utf-8")
        out[name] = str(path)
    fifo = d / "fifo.yaml"
    os.mkfifo(fifo)
    out["fifo"] = str(fifo)
    (d / "file").write_text("x")
    out["file"] = str(d / "file")
    return out


DATES = [
    "2021",
    "2021-09-01",
    "2021-13",
    "2021-02-30",
    "0000",
    "0001-01-01",
    "9999-12-31",
    "99999",
    "٢٠٢١",
    "2021-09-0²",
    "-1",
    "",
    " ",
    "9" * 5000,
    "yesterday",
]
DURATIONS = ["15m", "1h", "0s", "1.5h", "-1h", "1e9h", "9" * 400 + "h", "1000000h", "", "h"]
IDS = [
    "AAA",
    "BBB",
    "AAA.CHIEF",
    "BBB.CHIEF",
    "a",
    "b",
    "chiefs-line",
    "embassy-a-in-b",
    "NOPE",
    "",
    "\x00",
    "../../etc/passwd",
    "'; drop",
    "x" * 5000,
    "-",
    "--json",
]
NUMBERS = ["0", "1", "3", "-1", "9" * 5000, "1.5", "x", ""]


def _pick(draw: st.DrawFn, pool: list[str]) -> str:
    """Mostly a value from ``pool`` (so that commands get past their first check), now
    and then any text at all."""
    if draw(st.integers(0, 3)):
        return draw(st.sampled_from(pool))
    return draw(st.text(max_size=12))


@st.composite
def command(draw: st.DrawFn, f: dict[str, str]) -> list[str]:
    scenarios = [
        "example",
        "nope",
        f["deep"],
        f["bigint"],
        f["longdur"],
        f["y9990"],
        f["js"],
        f["empty"],
        f["list"],
        f["missing"],
        f["zero"],
        f["dir"],
        f["fifo"],
        "x" * 5000,
    ]
    out_files = [f"{f['dir']}/out.x", f["dir"], f["file"], f"{f['file']}/x", "", "x" * 5000]
    sc = ["--scenario", draw(st.sampled_from(scenarios))]
    date = _pick(draw, DATES)

    def opt(name: str, pool: list[str]) -> list[str]:
        return [name, _pick(draw, pool)] if draw(st.booleans()) else []

    def flag(name: str) -> list[str]:
        return [name] if draw(st.booleans()) else []

    a, b = _pick(draw, IDS), _pick(draw, IDS)
    cmds = {
        "check": lambda: ["check", draw(st.sampled_from(scenarios)), *flag("--json")],
        "scenarios": lambda: ["scenarios", *flag("--json")],
        "channels": lambda: ["channels", a, b, *opt("--at", DATES), *sc],
        "timeline": lambda: ["timeline", *opt("--channel", IDS), *sc],
        "diff": lambda: ["diff", date, _pick(draw, DATES), *sc],
        "path": lambda: [
            "path",
            a,
            b,
            *opt("--at", DATES),
            *opt("--min-rank", IDS),
            *opt("--cut", IDS),
            *flag("--live"),
            *sc,
        ],
        "resilience": lambda: [
            "resilience",
            a,
            b,
            *opt("--at", DATES),
            *opt("--budget", DURATIONS),
            *opt("--cut", IDS),
            *sc,
        ],
        "impact": lambda: [
            "impact",
            *opt("--event", IDS),
            *opt("--verdict", [*IDS, "material"]),
            *flag("--live"),
            *sc,
        ],
        "principals": lambda: ["principals", a, *opt("--by", IDS), *opt("--at", DATES), *sc],
        "whatif": lambda: [
            "whatif",
            *opt("--at", DATES),
            *opt("--cut", IDS),
            *opt(
                "--event",
                [
                    "{date: 2021-11-02, do: close, channel: chiefs-line}",
                    "{a: [[[[[[",
                    "[" * 3000,
                    "{do: " + "9" * 5000 + "}",
                    "{date: 2021, do: open, channel: chiefs-line}",
                ],
            ),
            *sc,
        ],
        "report": lambda: [
            "report",
            *opt("--out", out_files),
            *opt("--format", ["md", "x"]),
            "--scenario",
            draw(st.sampled_from(["example", f["js"], f["y9990"], f["deep"]])),
        ],
        "gexf": lambda: [
            "export",
            "gexf",
            "--out",
            draw(st.sampled_from(out_files)),
            *opt("--at", DATES),
            *flag("--dynamic"),
            *opt("--nodes", ["offices", "x"]),
            *sc,
        ],
        "graphml": lambda: [
            "export",
            "graphml",
            "--out",
            draw(st.sampled_from(out_files)),
            *opt("--at", DATES),
            *sc,
        ],
        "csv": lambda: [
            "export",
            draw(st.sampled_from(["csv", "parquet"])),
            "--out",
            draw(st.sampled_from(out_files)),
            *sc,
        ],
        "generate": lambda: [
            "generate",
            "--out",
            draw(st.sampled_from(out_files)),
            *opt("--actors", ["2", "5", "x", "-3", "9" * 5000]),
            *opt("--channels", ["1", "10", "0"]),
            *opt("--events", NUMBERS[:4]),
            *opt("--watch", NUMBERS[:4]),
            *opt("--seed", NUMBERS),
        ],
        "cow": lambda: [
            "import",
            "cow",
            draw(st.sampled_from([f["csv"], f["binary"], f["zero"], f["missing"]])),
            "--states",
            draw(st.sampled_from([f["states"], f["binary"], f["dir"]])),
            "--out",
            draw(st.sampled_from(out_files)),
            *opt("--from", [*NUMBERS, "1990"]),
            *opt("--to", [*NUMBERS, "2100"]),
        ],
        "us-missions": lambda: [
            "import",
            "us-missions",
            draw(st.sampled_from([f["csv"], f["binary"], f["fifo"]])),
            "--out",
            draw(st.sampled_from(out_files)),
        ],
        "serve": lambda: [
            "serve",
            *opt("--port", ["0", "70000", "-1", "x", "9" * 5000]),
            *opt("--host", ["127.0.0.1", "::1", "999.1.1.1", "\x00"]),
            "--scenario",
            draw(st.sampled_from(scenarios)),
        ],
    }
    args = cmds[draw(st.sampled_from(sorted(cmds)))]()
    if draw(st.integers(0, 9)) == 0:  # now and then, one argument too many
        args.append(_pick(draw, IDS))
    if draw(st.booleans()):
        args.append("--json")
    return args


def test_every_command_answers_or_names_the_problem(files, monkeypatch) -> None:
    import uvicorn

    monkeypatch.chdir(files["dir"])  # default and made-up --out names land there
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)
    runner = CliRunner()
    started = time.monotonic()
    seen: dict[int, int] = {}

    @settings(FUZZ, max_examples=200)
    @given(args=command(files))
    def run(args: list[str]) -> None:
        res = runner.invoke(app, args, env={"COLUMNS": "120"})
        if res.exception is not None and not isinstance(res.exception, SystemExit):
            raise AssertionError(f"backchannel {args!r} raised") from res.exception
        assert res.exit_code in (0, 1, 2), (args, res.exit_code, res.stderr[-500:])
        assert "Traceback" not in res.stdout + res.stderr, args
        seen[res.exit_code] = seen.get(res.exit_code, 0) + 1

    run()
    assert set(seen) >= {0, 1, 2}, seen  # the inputs reach all three outcomes
    assert time.monotonic() - started < 240
