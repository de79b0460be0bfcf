"""`backchannel draft`: the shared article against its gold file, our own articles with
their precision and recall, the YAML and JSON forms, the error cases and the doctests."""

from __future__ import annotations

import doctest
import importlib
import json
import pkgutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from tests.draft_scoring import score

import backchannel
import backchannel.draft
from backchannel.core.model import Event
from backchannel.draft import draft_file, draft_text

HERE = Path(__file__).parent
OURS = sorted((HERE / "data" / "articles").glob("*.gold.yaml"))
TRENIN = "russia-nato-2021-trenin"


@pytest.fixture(scope="module")
def articles(data_dir: Path) -> Path:
    """The shared articles folder (beside the data folder); fails when absent."""
    path = data_dir.parent / "articles"
    if not (path / f"{TRENIN}.txt").is_file():
        pytest.fail(f"the shared article is not at {path}")
    return path


# -- the shared article ---------------------------------------------------------------------
def test_shared_article_every_gold_event_and_no_non_event(articles: Path) -> None:
    s, _d = score(articles / f"{TRENIN}.gold.yaml")
    print(s.line())
    assert s.missed == [], s.line()
    assert s.non_events == [], s.line()
    assert s.wrong == [], s.line()
    assert s.missing_unresolved == []
    assert len(s.line()) > 0


def test_shared_article_candidates_as_the_readme_says(articles: Path) -> None:
    text = (articles / f"{TRENIN}.txt").read_text(encoding="utf-8")
    d = draft_file(articles / f"{TRENIN}.txt", backchannel.load("russia-nato"), "2021-10-21")
    by_target = {(c.do, c.target[1]): c for c in d.candidates}
    expel = by_target[("expel", "rus-mission-nato")]
    assert expel.by == "NATO" and expel.count is None and expel.cap == 10
    assert expel.record == "nato-expels-8-2021"
    assert by_target[("suspend", "rus-mission-nato")].by == "RUS"
    assert by_target[("expel", "nato-mlm-moscow")].by == "RUS"
    assert by_target[("close", "nato-nio-moscow")].by == "RUS"
    for c in d.candidates:
        assert c.date == "2021-10-21" and c.date_exact is False
        assert c.quote in text[c.span[0] : c.span[1]]
        assert 0 <= c.confidence <= 1 and c.why
    assert all(c.target[1] != "nato-liaison-officers-moscow" for c in d.candidates)
    skipped = " ".join(n.why for n in d.skipped)
    assert "hypothetical ('may')" in skipped and "negated ('not')" in skipped


# -- our own articles -------------------------------------------------------------------------
@pytest.mark.parametrize("gold", OURS, ids=[p.name.removesuffix(".gold.yaml") for p in OURS])
def test_own_articles_precision_and_recall(gold: Path) -> None:
    s, _ = score(gold)
    print(s.line())
    assert s.precision >= 0.8, s.line()
    assert s.recall >= 0.8, s.line()
    assert s.missing_unresolved == []


HELDOUT = sorted((HERE / "data" / "articles" / "heldout").glob("*.gold.yaml"))


@pytest.mark.parametrize("gold", HELDOUT, ids=[p.name.removesuffix(".gold.yaml") for p in HELDOUT])
def test_heldout_article_scores_printed(gold: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Written after the rules were tuned on the others; its score is reported, not tuned
    (docs/drafting.md, "How well it does"). It must not drop below what it first had."""
    s, _ = score(gold)
    with capsys.disabled():
        print(f"\nheld out: {s.line()}")
    assert s.precision >= 0.5
    assert s.non_events == []


def test_own_articles_are_enough_and_varied() -> None:
    assert len(OURS) >= 5
    scenarios = {YAML(typ="safe", pure=True).load(p.read_text())["scenario"] for p in OURS}
    assert any(s.endswith(".yaml") for s in scenarios)  # another pair than Russia–NATO
    assert any(p.name.endswith(".html") for p in (HERE / "data" / "articles").iterdir())


def test_overall_scores_printed(capsys: pytest.CaptureFixture[str], articles: Path) -> None:
    lines = []
    total_c = total_ok = total_g = total_f = 0
    for gold in [articles / f"{TRENIN}.gold.yaml", *OURS, *HELDOUT]:
        s, _ = score(gold)
        lines.append(s.line())
        total_c, total_ok = total_c + s.candidates, total_ok + s.correct
        total_g, total_f = total_g + s.gold, total_f + s.found
    with capsys.disabled():
        print("\n" + "\n".join(lines))
        print(f"all: precision {total_ok / total_c:.2f}, recall {total_f / total_g:.2f}")
    assert total_ok / total_c >= 0.8 and total_f / total_g >= 0.8  # held-out one included


# -- forms ------------------------------------------------------------------------------------
def test_yaml_is_valid_scenario_event_syntax(articles: Path, run_cli) -> None:
    res = run_cli(
        "draft",
        articles / f"{TRENIN}.txt",
        "--scenario",
        "russia-nato",
        "--published",
        "2021-10-21",
        "--url",
        "https://example.org/trenin",
    )
    assert res.code == 0, res.err
    events = YAML(typ="safe", pure=True).load(res.out)
    assert len(events) == 4
    for e in events:
        assert e["source"]["url"] == "https://example.org/trenin"
        assert str(e["source"]["published"]) == "2021-10-21"
        Event.model_validate({**e, "date": str(e["date"])})
    assert "# unresolved" in res.out


def test_pasted_events_load_in_a_scenario(tmp_path: Path) -> None:
    text = (HERE / "data" / "articles" / "koreas.yaml").read_text(encoding="utf-8")
    keep = text.split("events:")[0] + "events:\n"
    keep += "  - {date: 2018-01-03, do: open, channel: panmunjom-line}\n"
    keep += "  - {date: 2018-01-09, do: open, channel: military-hotline}\n"
    keep += "  - {date: 2018-04-20, do: open, channel: leaders-hotline}\n"
    keep += "  - {date: 2018-09-14, do: open, channel: liaison-office-kaesong}\n"
    base = tmp_path / "base.yaml"
    base.write_text(keep, encoding="utf-8")
    d = draft_file(
        HERE / "data" / "articles" / "koreas-2020-liaison-office.txt",
        backchannel.load(base),
        "2020-06-16",
        url="https://example.org/k",
    )
    pasted = keep + "".join(
        "  " + line + "\n" for line in d.to_yaml().splitlines() if line.startswith("- ")
    )
    (tmp_path / "pasted.yaml").write_text(pasted, encoding="utf-8")
    sc = backchannel.load(tmp_path / "pasted.yaml")
    assert sc.at("2020-06-20").status("liaison-office-kaesong") == "closed"
    assert sc.at("2020-06-20").status("military-hotline") == "suspended"


def test_json_shape(articles: Path, run_cli) -> None:
    res = run_cli("draft", articles / f"{TRENIN}.txt", "--published", "2021-10-21", "--json")
    assert res.code == 0, res.err
    doc = json.loads(res.out)
    assert set(doc) >= {"candidates", "unresolved", "skipped"}
    c = doc["candidates"][0]
    for key in ("do", "channel", "by", "count", "cap", "date", "date_exact", "quote", "span"):
        assert key in c
    assert {"confidence", "why"} <= set(c)
    for n in doc["unresolved"] + doc["skipped"]:
        assert set(n) == {"text", "span", "why"}


def test_deterministic(articles: Path) -> None:
    sc = backchannel.load("russia-nato")
    a = draft_file(articles / f"{TRENIN}.txt", sc, "2021-10-21").to_json()
    b = draft_file(articles / f"{TRENIN}.txt", sc, "2021-10-21").to_json()
    assert a == b


# -- rules --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("State B did not suspend the chiefs-line.", "negated"),
        ("State B may suspend the chiefs-line.", "hypothetical"),
        ("If talks fail, State B will suspend the chiefs-line.", "conditional"),
        ("State B threatened to suspend the chiefs-line.", "offer"),
        ("The chiefs-line remains closed.", None),
        ("The two chiefs regularly talk by phone over the chiefs-line.", "habitual"),
        ("Has State B closed the chiefs-line?", "question"),
    ],
)
def test_not_events(text: str, why: str | None) -> None:
    d = draft_text(text, backchannel.load("example"), "2021-07-01")
    assert d.candidates == []
    if why:
        assert why in " ".join(n.why for n in d.skipped)


@pytest.mark.parametrize(
    ("text", "date", "exact"),
    [
        ("State B suspended the chiefs-line on 9 June 2020.", "2020-06-09", True),
        ("State B suspended the chiefs-line on Tuesday.", "2020-06-09", True),
        ("State B suspended the chiefs-line yesterday.", "2020-06-09", True),
        ("State B suspended the chiefs-line last month.", "2020-05", True),
        ("State B suspended the chiefs-line seven years ago.", "2013", True),
        ("State B suspended the chiefs-line.", "2020-06-10", False),
    ],
)
def test_dates(text: str, date: str, exact: bool) -> None:
    d = draft_text(text, backchannel.load("example"), "2020-06-10")
    assert [(c.date, c.date_exact) for c in d.candidates] == [(date, exact)]


def test_unresolved_never_guessed() -> None:
    d = draft_text("State B expelled the ambassador of Ruritania.", backchannel.load("example"))
    assert d.candidates == []
    assert d.unresolved and "names no channel" in d.unresolved[0].why


def test_html_spans_point_into_the_file() -> None:
    path = HERE / "data" / "articles" / "russia-nato-2018-statement.html"
    raw = path.read_text(encoding="utf-8")
    d = draft_file(path, backchannel.load("russia-nato"), "2018-03-27")
    (c,) = d.candidates
    assert raw[c.span[0] : c.span[1]].startswith("Today I have withdrawn")
    assert c.count == 7 and c.cap == 20


# -- errors -------------------------------------------------------------------------------------
def test_errors_one_line_exit_1(tmp_path: Path, run_cli) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x7fELF\x02\x01\x00\x00\xff\xfe")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 closed".encode("latin-1"))
    good = tmp_path / "ok.txt"
    good.write_text("State B closed the chiefs-line.", encoding="utf-8")
    cases = [
        (["draft", tmp_path / "missing.txt"], "file not found"),
        (["draft", empty], "the file is empty"),
        (["draft", binary], "binary file"),
        (["draft", latin], "not UTF-8"),
        (["draft", good, "--scenario", "no-such-scenario"], "unknown scenario"),
        (["draft", good, "--scenario", "example", "--published", "2020-13-01"], "--published"),
    ]
    for argv, message in cases:
        res = run_cli(*argv)
        assert res.code == 1, argv
        assert res.out == ""
        lines = res.err.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], res.err
        assert "Traceback" not in res.err


# -- doctests -------------------------------------------------------------------------------------
def _draft_modules() -> list[str]:
    pkg = backchannel.draft
    return [pkg.__name__] + [f"{pkg.__name__}.{m.name}" for m in pkgutil.iter_modules(pkg.__path__)]


@pytest.mark.parametrize("module", _draft_modules())
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0


def test_draft_package_imports_no_cli() -> None:
    import sys

    for name in list(sys.modules):
        if name.startswith("backchannel.draft"):
            mod = sys.modules[name]
            src = Path(mod.__file__ or "").read_text(encoding="utf-8")
            assert "import typer" not in src and "rich" not in src.split("\n\n")[0]
            printing = [line for line in src.splitlines() if "print(" in line and ">>>" not in line]
            assert printing == [], name


def test_other_event_types() -> None:
    sc = backchannel.load("russia-nato")
    d = draft_text(
        "On Thursday Putin appointed Dmitry Rogozin as envoy to NATO. "
        "Montenegro joined NATO on 5 June 2017. Russia signed the Founding Act in May 1997. "
        "The US closed the Russian consulate in Seattle on Monday.",
        sc,
        "2008-01-11",
    )
    got = [(c.do, c.target, c.by, c.date, c.extra) for c in d.candidates]
    assert got == [
        ("appoint", ("office", "RUS.NATO-REP"), "RUS", "2008-01-10", {"holder": "Dmitry Rogozin"}),
        ("join", ("actor", "MNE"), "MNE", "2017-06-05", {"org": "NATO"}),
        ("sign", ("framework", "founding-act"), "RUS", "1997-05", {}),
        ("restrict", ("channel", "rus-embassy-usa"), "USA", "2008-01-07", {}),
    ]
    yaml = d.to_yaml()
    assert "holder: Dmitry Rogozin" in yaml and "org: NATO" in yaml
