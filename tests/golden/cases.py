"""The commands whose `--json` output is kept as golden files (tests/golden/*.json).

A restructuring changes none of them; a change of semantics changes only what its issue
says, and the CHANGELOG lists it. `python -m tests.golden.cases --write` rewrites them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent

# (scenario, dates to ask at, extra pairs beside the watched ones, principals, a channel to cut)
SCENARIOS: dict[str, dict[str, object]] = {
    "russia-nato": {
        "dates": ["1999-03-24", "2013-06-01", "2021-10-01", "2021-11-02"],
        "pairs": [["RUS", "NATO"], ["west", "russia"]],
        "principals": [["UKR", "RUS"], ["NATO", "RUS"]],
        "cut": "saceur-cgs-line",
    },
    "example": {
        "dates": ["2001-06-01", "2020-07-01", "2021-09-01"],
        "pairs": [["AAA", "BBB"], ["a", "b"]],
        "principals": [],
        "cut": "chiefs-line",
    },
    "generated": {
        "dates": ["1975-01-01", "1995-06", "2010", "2022-11-20"],
        "pairs": [["first", "second"], ["S000", "S005"]],
        "principals": [],
        "cut": "c00018-hotline",
    },
}
GENERATE = ["--actors", "12", "--channels", "40", "--events", "250", "--watch", "4", "--seed", "7"]


def watched(path: str) -> list[list[str]]:
    """The watched pairs of a scenario file (read with the plain YAML parser)."""
    from ruamel.yaml import YAML

    doc = YAML(typ="safe", pure=True).load(Path(path).read_text(encoding="utf-8"))
    return [list(w["between"]) for w in doc.get("watch", [])]


def cases(name: str, scenario: str) -> list[tuple[str, list[str]]]:
    """(case name, argv) for every command asked of one scenario."""
    spec = SCENARIOS[name]
    dates: list[str] = spec["dates"]  # type: ignore[assignment]
    s = ["--scenario", scenario, "--json"]
    out: list[tuple[str, list[str]]] = [
        ("check", ["check", scenario, "--json"]),
        ("timeline", ["timeline", *s]),
        ("diff", ["diff", dates[0], dates[-1], *s]),
        ("impact", ["impact", *s]),
        ("impact-live", ["impact", "--live", *s]),
        ("whatif", ["whatif", "--cut", str(spec["cut"]), "--at", dates[-1], *s]),
        ("whatif-live", ["whatif", "--cut", str(spec["cut"]), "--at", dates[-1], "--live", *s]),
    ]
    pairs = watched(scenario) + list(spec["pairs"])  # type: ignore[arg-type]
    for i, (a, b) in enumerate(pairs):
        for d in dates:
            tag = f"{i}-{d}"
            out.append((f"channels-{tag}", ["channels", a, b, "--at", d, *s]))
            out.append((f"path-{tag}", ["path", a, b, "--at", d, *s]))
            out.append((f"path-live-{tag}", ["path", a, b, "--at", d, "--live", *s]))
            out.append((f"resilience-{tag}", ["resilience", a, b, "--at", d, *s]))
            out.append((f"resilience-live-{tag}", ["resilience", a, b, "--at", d, "--live", *s]))
    for target, by in spec["principals"]:  # type: ignore[attr-defined]
        for d in dates:
            out.append(
                (f"principals-{target}-{by}-{d}", ["principals", target, "--by", by, "--at", d, *s])
            )
    return out


def scenario_file(name: str, tmp: Path, run: Callable[..., tuple[int, str, str]]) -> str:
    """The file behind a golden scenario name (the generated one is written into ``tmp``)."""
    if name != "generated":
        from backchannel import builtin_scenarios

        return str(builtin_scenarios()[name])
    out = tmp / "generated.yaml"
    code, _, err = run("generate", *GENERATE, "--out", str(out))
    assert code == 0, err
    return str(out)


def file_cases(scenario: str, tmp: Path) -> list[tuple[str, list[str], list[Path]]]:
    """Commands that write files: (case, argv, files whose digests are kept)."""
    out = tmp / "out"
    return [
        ("report", ["report", "--scenario", scenario, "--json", "--out", str(out / "r.html")], []),
        (
            "export-gexf",
            ["export", "gexf", "-s", scenario, "--json", "--out", str(out / "n.gexf")],
            [out / "n.gexf"],
        ),
        (
            "export-gexf-dynamic",
            ["export", "gexf", "-s", scenario, "--dynamic", "--json", "--out", str(out / "d.gexf")],
            [out / "d.gexf"],
        ),
        (
            "export-graphml",
            ["export", "graphml", "-s", scenario, "--json", "--out", str(out / "n.graphml")],
            [out / "n.graphml"],
        ),
        (
            "export-csv",
            ["export", "csv", "-s", scenario, "--json", "--out", str(out / "csv")],
            [
                out / "csv" / f"{t}.csv"
                for t in ("actors", "offices", "channels", "events", "spans", "levels")
            ],
        ),
    ]


def event_cases(data: Path, tmp: Path) -> list[tuple[str, list[str]]]:
    """Ingest the shared event-data samples, then ask for engagement series."""
    db = str(tmp / "events.duckdb")
    g = data / "gdelt"
    return [
        (
            "ingest-gdelt2",
            ["ingest", "gdelt2", str(g / "20191024143000.export.CSV"), "--db", db, "--json"],
        ),
        ("ingest-gdelt1", ["ingest", "gdelt1", str(g / "events.csv"), "--db", db, "--json"]),
        (
            "ingest-icews",
            [
                "ingest",
                "icews",
                *map(str, sorted((data / "icews").glob("*.tab"))),
                "--db",
                db,
                "--json",
            ],
        ),
        (
            "ingest-plover",
            [
                "ingest",
                "plover",
                str(data / "plover" / "PLOVER_GSR_CAMEO.txt"),
                "--db",
                db,
                "--json",
            ],
        ),
        (
            "ingest-again",
            ["ingest", "gdelt2", str(g / "20191024143000.export.CSV"), "--db", db, "--json"],
        ),
        (
            "engagement-usa-rus-year",
            ["engagement", "USA", "RUS", "--db", db, "--by", "year", "--json"],
        ),
        ("engagement-usa-chn-month", ["engagement", "USA", "CHN", "--db", db, "--json"]),
        (
            "engagement-directed",
            ["engagement", "USA", "PRK", "--db", db, "--by", "quarter", "--directed", "--json"],
        ),
    ]


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "missing"


def collect(
    tmp: Path, run: Callable[..., tuple[int, str, str]], data: Path | None = None
) -> dict[str, dict[str, object]]:
    """Every golden case's exit code and JSON output, per scenario (and event data)."""
    result: dict[str, dict[str, object]] = {}

    def ask(argv: list[str], replace: dict[str, str]) -> dict[str, object]:
        code, out, _ = run(*argv)
        for old, new in replace.items():
            out = out.replace(old, new)
        return {"exit": code, "json": json.loads(out) if out.strip() else None}

    for name in SCENARIOS:
        path = scenario_file(name, tmp, run)
        swap = {path: "<scenario>", str(tmp): "<tmp>"}
        got: dict[str, object] = {}
        for case, argv in cases(name, path):
            got[case] = ask(argv, swap)
        for case, argv, files in file_cases(path, tmp):
            got[case] = ask(argv, swap)
            got[case]["files"] = {f.name: _digest(f) for f in files}  # type: ignore[index]
        result[name] = got
    if data is not None:
        result["eventdata"] = {
            case: ask(argv, {str(tmp): "<tmp>", str(data): "<data>"})
            for case, argv in event_cases(data, tmp)
        }
    return result


def _main() -> None:
    import tempfile

    from typer.testing import CliRunner

    from backchannel.cli import app

    runner = CliRunner()

    def run(*args: str) -> tuple[int, str, str]:
        r = runner.invoke(app, list(args))
        return r.exit_code, r.stdout, r.stderr

    import os

    root = Path(__file__).resolve().parents[2]
    shared = Path(os.environ.get("BACKCHANNEL_DATA", root.parent / "shared" / "data"))
    with tempfile.TemporaryDirectory() as d:
        data = collect(Path(d), run, shared)
    if "--write" in sys.argv:
        for name, got in data.items():
            (HERE / f"{name}.json").write_text(
                json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                encoding="utf-8",
            )
    print({k: len(v) for k, v in data.items()})


if __name__ == "__main__":
    _main()
