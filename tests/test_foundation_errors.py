"""Every bad scenario file gets every one of its errors, with file, line and reason."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from backchannel import ScenarioError
from backchannel.record.loader import load_doc, parse_doc

BAD = Path(__file__).parent / "data" / "bad"
CASES = sorted(BAD.glob("*.yaml"))


def expectations(path: Path) -> list[tuple[int, str]]:
    """The `# expect: LINE: MESSAGE` lines at the top of a bad case."""
    out = []
    for line in path.read_text().splitlines():
        m = re.match(r"# expect: (\d+): (.*)$", line)
        if m:
            out.append((int(m.group(1)), m.group(2)))
    return out


def test_there_is_a_case_for_each_kind_of_error():
    names = {p.stem for p in CASES}
    assert {
        "yaml_syntax",
        "unknown_end",
        "duplicate_id",
        "unknown_watch",
        "unknown_side_member",
        "unknown_event_target",
        "unknown_event_type",
        "unknown_rank",
        "unknown_kind",
        "unknown_key",
        "date_does_not_exist",
        "date_unparseable",
        "bad_duration",
        "suspend_closed",
        "call_suspended",
        "many_errors",
    } <= names


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_check_reports_every_error_with_file_and_line(path, run_cli):
    expected = expectations(path)
    assert expected, f"{path.name} has no '# expect' line"
    res = run_cli("check", path)
    assert res.code == 1
    assert res.out == ""
    lines = res.err.strip().splitlines()
    for line_no, message in expected:
        wanted = f"{path}:{line_no}: {message}"
        assert any(wanted in got for got in lines), f"missing {wanted!r} in:\n{res.err}"
    assert len(lines) == len(expected), res.err


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_check_json_lists_the_same_errors(path, run_cli):
    res = run_cli("check", path, "--json")
    assert res.code == 1
    doc = json.loads(res.out)
    assert doc["ok"] is False
    got = {(e["line"], e["file"]) for e in doc["errors"]}
    assert got == {(line, str(path)) for line, _ in expectations(path)}
    for (line, message), err in zip(sorted(expectations(path)), doc["errors"], strict=True):
        assert err["line"] == line and message in err["message"]


def test_all_errors_of_a_file_come_together():
    with pytest.raises(ScenarioError) as info:
        load_doc(BAD / "many_errors.yaml")
    assert len(info.value.problems) == 5
    assert [p.line for p in info.value.problems] == sorted(p.line for p in info.value.problems)


def test_a_valid_file_passes_without_noise(run_cli):
    res = run_cli("check", "example")
    assert res.code == 0
    assert res.err == ""
    assert res.out.startswith("ok ")
    assert json.loads(run_cli("check", "example", "--json").out) == {"ok": True, "errors": []}


def test_missing_file_is_a_clear_error(run_cli, tmp_path):
    missing = tmp_path / "nope.yaml"
    res = run_cli("check", missing)
    assert res.code == 1
    assert f"{missing}: file not found" in res.err


def test_a_file_that_is_not_a_mapping(tmp_path):
    with pytest.raises(ScenarioError, match="must be a YAML mapping"):
        parse_doc("- just\n- a list\n", "list.yaml")


def test_office_and_event_keys_the_loader_sets_cannot_be_written():
    text = """
scenario: s
title: t
actors:
  - {id: A, kind: state, name: A, offices: [{id: A.H, name: H, rank: head_of_state, line: 3}]}
events:
  - {date: 2001, do: note, seq: 4}
"""
    with pytest.raises(ScenarioError) as info:
        parse_doc(text, "s.yaml")
    messages = [str(p) for p in info.value.problems]
    assert any("s.yaml:5:" in m and "unknown key 'line'" in m for m in messages), messages
    assert any("s.yaml:7:" in m and "unknown key 'seq'" in m for m in messages), messages


def test_reports_to_another_actor_is_refused():
    text = """
scenario: s
title: t
actors:
  - {id: A, kind: state, name: A, offices: [{id: A.H, name: H, rank: head_of_state}]}
  - {id: B, kind: state, name: B, offices: [{id: B.H, name: H, rank: head_of_state,
                                             reports_to: A.H}]}
"""
    with pytest.raises(ScenarioError, match="office of another actor"):
        parse_doc(text, "s.yaml")


def test_event_needs_its_target():
    text = """
scenario: s
title: t
events:
  - {date: 2001, do: open}
  - {date: 2001, do: appoint, holder: Someone}
"""
    with pytest.raises(ScenarioError) as info:
        parse_doc(text, "s.yaml")
    messages = [str(p) for p in info.value.problems]
    assert "s.yaml:5: events[0]: an 'open' event needs 'channel'" in messages
    assert "s.yaml:6: events[1]: an 'appoint' event needs 'office'" in messages


def test_messages_are_printed_literally(run_cli, tmp_path):
    """Square brackets and :emoji: codes in user input are not treated as markup."""
    path = tmp_path / "odd.yaml"
    path.write_text(
        "scenario: x\ntitle: t\nchannels:\n"
        '  - {id: c, kind: hotline, ends: ["[bold]A:x:", B.H], latency: 1m}\n'
    )
    res = run_cli("check", path)
    assert res.code == 1
    assert f"{path}:4: channels[0].ends[0]: unknown office '[bold]A:x:'" in res.err


@pytest.mark.parametrize(
    "path", [p for p in CASES if "# only:" in p.read_text()], ids=lambda p: p.stem
)
def test_errors_do_not_cascade(path, run_cli):
    """One bad field is one error: the actor, its offices and every channel, watch, side
    and event that names them are known, so nothing else is reported (`# only: N`)."""
    want = int(re.search(r"# only: (\d+)", path.read_text()).group(1))
    res = run_cli("check", path)
    assert res.code == 1
    assert len(res.err.strip().splitlines()) == want, res.err


def test_did_you_mean_names_the_nearest_known_id():
    from backchannel.core.suggest import did_you_mean

    assert did_you_mean("RUS.CSG", ["RUS.CGS", "NATO.SG"], 1, 0.75) == " (did you mean 'RUS.CGS'?)"
    assert did_you_mean("rus.cgs", ["RUS.CGS"], 1, 0.75) == " (did you mean 'RUS.CGS'?)"
    assert did_you_mean("something-else", ["RUS.CGS"], 1, 0.75) == ""


FRAMEWORK = """\
scenario: fw
title: A framework suspended and restored
actors:
  - {id: AAA, kind: state, name: A, offices: [{id: AAA.HOS, name: P, rank: head_of_state}]}
  - {id: BBB, kind: state, name: B, offices: [{id: BBB.HOS, name: P, rank: head_of_state}]}
frameworks:
  - {id: pact, name: The pact, parties: [AAA, BBB]}
events:
  - {date: 2001-01-01, do: sign, framework: pact}
  - {date: 2005-03-01, by: BBB, do: suspend, framework: pact}
  - {date: 2006-03-01, by: BBB, do: restore, framework: pact}
"""


def test_a_framework_can_be_suspended_and_restored():
    """docs/scenario-format.md: `suspend` and `restore` take a channel or a framework."""
    from backchannel.record.scenario import Scenario

    sc = Scenario(parse_doc(FRAMEWORK, "fw.yaml"))
    status = [sc.at(d).framework("pact") for d in ("2004-01-01", "2005-03-01", "2006-03-01")]
    assert status == ["in_force", "suspended", "in_force"]


def test_suspend_needs_a_channel_or_a_framework():
    text = FRAMEWORK.replace("do: suspend, framework: pact", "do: suspend")
    with pytest.raises(ScenarioError) as exc:
        parse_doc(text, "fw.yaml")
    [problem] = exc.value.problems
    assert problem.line == 10
    assert "a 'suspend' event needs 'channel' or 'framework'" in problem.message
