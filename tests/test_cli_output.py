"""One output layer for every read command (--json, --csv, --jsonl from the same
records), the listing commands, whole ids at 80 columns, suggestions, --at defaults."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from backchannel.cli import app

# every read command, with arguments, and the number of records it gives on russia-nato
READ = [
    (["check", "russia-nato"], 0),
    (["scenarios"], None),
    (["channels", "RUS", "NATO", "--at", "2021-11-02"], 10),
    (["timeline", "--channel", "pjc"], 5),
    (["diff", "2021-10-01", "2021-11-02"], None),
    (["path", "RUS.CGS", "NATO.SACEUR", "--at", "2021-11-02", "--live"], 6),
    (["resilience", "RUS", "NATO", "--at", "2021-11-02"], 1),
    (["impact", "--event", "russia-suspends-mission-2021"], 3),
    (["principals", "UKR", "--by", "RUS"], 3),
    (["whatif", "--cut", "saceur-cgs-line", "--at", "2021-11-02"], 3),
    (["actors"], 34),
    (["offices", "--actor", "NATO"], None),
    (["events", "--channel", "saceur-cgs-line"], None),
]


def invoke(*args: str, columns: int = 200):
    res = CliRunner().invoke(app, list(args), env={"COLUMNS": str(columns)})
    if res.exception and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res


@pytest.mark.parametrize(("argv", "count"), READ, ids=[a[0] for a, _ in READ])
def test_csv_and_jsonl_carry_the_same_records(argv, count):
    js = invoke(*argv, "--json")
    assert js.exit_code == 0, js.stderr
    json.loads(js.stdout)
    lines = invoke(*argv, "--jsonl")
    assert lines.exit_code == 0, lines.stderr
    records = [json.loads(x) for x in lines.stdout.splitlines()]
    table = invoke(*argv, "--csv")
    assert table.exit_code == 0, table.stderr
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert len(rows) == len(records)
    if count is not None:
        assert len(records) == count
    if records:
        # the CSV header holds every top-level key of the records (nested ones dotted)
        header = table.stdout.splitlines()[0].split(",")
        for key, value in records[0].items():
            assert key in header or any(h.startswith(f"{key}.") for h in header), key
            if isinstance(value, str) and "," not in value:
                assert rows[0][key] == value


def test_json_is_the_document_written_as_before():
    res = invoke("channels", "RUS", "NATO", "--at", "2021-11-02", "--json")
    doc = json.loads(res.stdout)
    assert res.stdout == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    assert list(doc) == ["at", "channels"]


def test_csv_cells_are_flat():
    res = invoke("impact", "--event", "russia-suspends-mission-2021", "--csv")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows[0]["before_latency_s"].isdigit()
    assert rows[0]["dormant_before"] in ("true", "false")
    res = invoke("channels", "RUS", "NATO", "--at", "2021-11-02", "--csv")
    nrc = next(r for r in csv.DictReader(io.StringIO(res.stdout)) if r["id"] == "nrc")
    assert nrc["ends"] == "NATO.SG;RUS.MFA" and nrc["dormant"] == "true"
    assert (
        next(r for r in csv.DictReader(io.StringIO(res.stdout)) if r["id"] == "nato-mlm-moscow")[
            "last_use"
        ]
        == ""
    )


def test_two_formats_are_a_usage_error():
    res = invoke("actors", "--json", "--csv")
    assert res.exit_code == 2
    assert "not --json and --csv" in res.stderr


def test_check_csv_lists_errors():
    res = invoke("check", "tests/data/bad/many_errors.yaml", "--csv")
    assert res.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 5 and rows[0]["line"] == "22"
    ok = invoke("check", "example", "--csv")
    assert ok.exit_code == 0 and ok.stdout == "file,line,message\n"


def test_actors_offices_events():
    actors = json.loads(invoke("actors", "-s", "example", "--json").stdout)
    assert [a["id"] for a in actors["actors"]] == ["AAA", "BBB"]
    nato = json.loads(invoke("offices", "--actor", "NATO", "--at", "2021-11-02", "--json").stdout)
    saceur = next(o for o in nato["offices"] if o["id"] == "NATO.SACEUR")
    assert saceur["also"] == ["USA.EUCOM"] and "saceur-cgs-line" in saceur["channels"]
    assert saceur["holder"]
    ev = json.loads(
        invoke(
            "events", "-c", "saceur-cgs-line", "--from", "2018", "--to", "2019-12-31", "--json"
        ).stdout
    )
    assert ev["events"] and all(e["date"].startswith(("2018", "2019")) for e in ev["events"])
    assert {e["precision"] for e in ev["events"]} >= {"day", "month"}
    expel = json.loads(invoke("events", "--do", "expel", "--json").stdout)["events"]
    assert expel and {e["do"] for e in expel} == {"expel"}
    table = invoke("events", "--channel", "saceur-cgs-line")
    assert "2017-09-14-call-saceur-cgs-line" in table.stdout


@pytest.mark.parametrize(
    ("argv", "ids"),
    [
        (
            ["channels", "RUS", "NATO", "--at", "2021-11-02"],
            ["nato-via-rus-embassy-belgium", "nato-liaison-officers-moscow", "rus-mission-nato"],
        ),
        (["impact", "--verdict", "material"], ["1963-08-30-open-us-russia-hotline"]),
        (["events", "--do", "expel"], ["1999-03-24-expel-nato-liaison-officers-moscow"]),
        (["offices"], ["NATO.SACEUR", "RUS.NATO-REP", "USA.SECDEF"]),
        (["actors"], ["NATO", "RUS", "USA"]),
        (["path", "RUS.CGS", "NATO.SACEUR", "--live"], ["syria-deconfliction-line"]),
        (["principals", "UKR", "--by", "RUS"], ["USA", "DEU"]),
        (["diff", "2021-10-01", "2021-11-02"], ["rus-mission-nato", "nato-nio-moscow"]),
    ],
    ids=lambda x: x[0] if isinstance(x, list) and x and x[0][0].islower() else None,
)
def test_ids_are_never_cut_at_80_columns(argv, ids):
    res = invoke(*argv, columns=80)
    assert res.exit_code == 0, res.stderr
    assert "…" not in res.stdout
    assert max(len(line) for line in res.stdout.splitlines()) <= 80
    for i in ids:
        assert i in res.stdout, i


def test_version_is_a_plain_flag():
    helptext = invoke("--help", columns=100).stdout
    line = next(x for x in helptext.splitlines() if "--version" in x)
    assert "<bool>" not in line
    assert invoke("--version").stdout.startswith("backchannel ")


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["path", "RUS.CSG", "NATO.SACEUR"], "did you mean 'RUS.CGS'"),
        (["channels", "west", "rusia"], "did you mean 'russia'"),
        (["timeline", "--channel", "saceur-line"], "did you mean 'saceur-cgs-line'"),
        (["whatif", "--cut", "nrcc"], "did you mean 'nrc'"),
        (["events", "--channel", "nato-nio"], "did you mean 'nato-nio-moscow'"),
        (["offices", "--actor", "usa"], "did you mean 'USA'"),
        (["impact", "--event", "russia-suspends-mission"], "'russia-suspends-mission-2021'"),
        (
            ["whatif", "--event", "{date: 2021-11-02, do: restore, channel: rus-mision-nato}"],
            "did you mean 'rus-mission-nato'",
        ),
    ],
)
def test_did_you_mean_on_the_command_line(argv, hint):
    res = invoke(*argv)
    assert res.exit_code == 1
    assert hint in res.stderr


def test_whatif_defaults_at_to_the_last_event_day():
    res = json.loads(invoke("whatif", "--cut", "saceur-cgs-line", "--json").stdout)
    channels = json.loads(invoke("channels", "RUS", "NATO", "--json").stdout)
    assert res["record"]["at"] == channels["at"] == "2022-01-26"
    dated = json.loads(
        invoke("whatif", "--event", "{date: 2021-11-02, do: close, channel: nrc}", "--json").stdout
    )
    assert dated["record"]["at"] == "2021-11-02"  # a hypothetical event sets the day


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["path", "RUS", "NATO", "--min-rank", "ministre"], "did you mean 'minister'"),
        (["impact", "--verdict", "materal"], "did you mean 'material'"),
        (["events", "--do", "exepl"], "did you mean 'expel'"),
    ],
)
def test_did_you_mean_on_codes(argv, hint):
    res = invoke(*argv)
    assert res.exit_code == 1 and hint in res.stderr


def test_a_new_command_gets_the_options_for_free():
    import typer

    from backchannel.cli.output import Output, output_options

    toy = typer.Typer()

    @toy.command()
    @output_options
    def things(n: int = 2, *, out: Output) -> None:
        rows = [{"id": f"t{i}", "tags": ["a", "b"], "more": {"x": i}} for i in range(n)]
        if out.emit({"things": rows}, rows):
            return
        typer.echo(f"{n} things")

    runner = CliRunner()
    assert runner.invoke(toy, ["--n", "3"]).stdout == "3 things\n"
    js = json.loads(runner.invoke(toy, ["--json"]).stdout)
    assert js["things"][1] == {"id": "t1", "tags": ["a", "b"], "more": {"x": 1}}
    assert runner.invoke(toy, ["--csv"]).stdout == "id,tags,more.x\nt0,a;b,0\nt1,a;b,1\n"
    lines = runner.invoke(toy, ["--jsonl"]).stdout.splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["t0", "t1"]
    helptext = runner.invoke(toy, ["--help"], env={"COLUMNS": "100"}).stdout
    assert "--csv" in helptext and "--jsonl" in helptext
