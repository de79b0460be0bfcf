"""The Python API as a notebook uses it: dates in any form, DataFrames with real date
columns, HTML tables, the analysis at the top level, and errors that suggest ids."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import backchannel
from backchannel import BackchannelError

DATES = ["2021-11-02", dt.date(2021, 11, 2), dt.datetime(2021, 11, 2, 15, 30)]


@pytest.fixture(scope="module")
def sc():
    return backchannel.load("russia-nato")


def test_analysis_is_at_the_top_level():
    names = dir(backchannel)
    for name in ("time_to_contact", "resilience", "impact", "principals", "whatif"):
        assert name in names and name in backchannel.__all__
        assert callable(getattr(backchannel, name))
    assert "Any" not in names and "import_module" not in names


@pytest.mark.parametrize("when", DATES, ids=["text", "date", "datetime"])
def test_every_function_takes_text_date_or_datetime(sc, when):
    day = dt.date(2021, 11, 2).toordinal()
    p = backchannel.time_to_contact(sc, "RUS.CGS", "NATO.SACEUR", when)
    assert p.day == day and p.latency_s == 900
    assert backchannel.resilience(sc, "RUS", "NATO", when).day == day
    assert backchannel.principals(sc, "UKR", "RUS", when)[0]["actor"] == "USA"
    w = backchannel.whatif(sc, when, cut=["saceur-cgs-line"])
    assert w["record"]["at"] == "2021-11-02"
    assert sc.at(when).day == day
    assert [r["id"] for r in sc.channels_between("RUS", "NATO", when)] == [
        r["id"] for r in sc.at("2021-11-02").channels("RUS", "NATO")
    ]
    assert backchannel.build_graph(sc, when).day == day


def test_ordinals_still_work_and_the_default_is_the_last_event(sc):
    last = max(e.date.ordinal for e in sc.doc.events)
    assert sc.last_day == last
    assert backchannel.time_to_contact(sc, "RUS.CGS", "NATO.SACEUR").day == last
    assert backchannel.time_to_contact(sc, "RUS.CGS", "NATO.SACEUR", last).day == last
    assert sc.at().day == last
    assert (
        backchannel.whatif(sc, cut=["nrc"])["record"]["at"] == dt.date.fromordinal(last).isoformat()
    )


def test_a_bad_date_is_a_clear_error(sc):
    with pytest.raises(BackchannelError, match="date: cannot parse 'next week'"):
        backchannel.time_to_contact(sc, "RUS.CGS", "NATO.SACEUR", "next week")


def test_path_to_pandas_one_row_per_step(sc):
    df = backchannel.time_to_contact(sc, "RUS.CGS", "NATO.SACEUR", "2021-11-02", live=True)
    df = df.to_pandas()
    assert list(df["office"]) == [
        "RUS.CGS",
        "RUS.MOD",
        "USA.SECDEF",
        "USA.CJCS",
        "USA.EUCOM",
        "NATO.SACEUR",
    ]
    assert df["after_s"].iloc[-1] == 4 * 3600
    assert str(df["at"].dtype).startswith("datetime64")
    none = backchannel.time_to_contact(sc, "RUS.CGS", "NATO.SACEUR", "1950-01-01")
    assert not none.reachable and none.to_pandas().empty
    assert "unreachable" in none._repr_html_()


def test_resilience_to_pandas(sc):
    df = backchannel.resilience(sc, "RUS.CGS", "NATO.SACEUR", "2021-11-02").to_pandas()
    assert list(df["scope"]) == ["all", "fast"]
    res = backchannel.resilience(sc, "RUS.CGS", "NATO.SACEUR", "2021-11-02")
    assert list(df["min_cut"]) == [res.min_cut, res.min_cut_fast] == [20, 1]
    assert "saceur-cgs-line" in df["cut"].iloc[1]
    assert df["max_latency_s"].iloc[1] == 3600
    res = backchannel.resilience(sc, "RUS.CGS", "NATO.SACEUR", "2021-11-02", budget_s="2d")
    assert res.budget_s == 2 * 86400


def test_impact_to_pandas_one_row_per_event_and_pair(sc):
    items = backchannel.impact(sc)
    df = items.to_pandas()
    assert len(df) == len(items) * len(sc.doc.watch)
    assert str(df["date"].dtype).startswith("datetime64")
    assert set(df["precision"]) == {"day", "month", "year"}
    year = df[df["precision"] == "year"].iloc[0]
    assert year["date"].month == 1 and year["date"].day == 1
    suspension = df[df["id"] == "russia-suspends-mission-2021"]
    assert len(suspension) == 3
    assert {"before_latency_s", "after_latency_s", "after_min_cut_fast", "pair_verdict"} <= set(
        df.columns
    )
    # pd.to_datetime on the raw text fails for "1971"; the frame's dates need no parsing
    assert df["date"].min() == pd.Timestamp("1963-06-20")
    events = items.events().to_pandas()
    assert len(events) == len(items) and "precision" in events.columns
    assert "<table" in items._repr_html_()
    one = backchannel.impact(sc, event_id="russia-suspends-mission-2021")
    assert len(one) == 1 and len(one[0].to_pandas()) == 3


def test_spans_to_pandas_one_row_per_span(sc):
    df = sc.spans().to_pandas()
    pjc = df[df["channel"] == "pjc"]
    assert list(pjc["status"]) == ["active", "suspended", "restricted", "active", "closed"]
    assert pd.isna(pjc["to"].iloc[-1])
    assert str(df["from"].dtype).startswith("datetime64")
    assert pjc["days"].iloc[0] == (dt.date(1999, 3, 24) - dt.date(1997, 5, 27)).days
    uses = sc.spans("saceur-cgs-line").uses().to_pandas()
    assert str(uses["date"].dtype).startswith("datetime64") and len(uses) >= 5


def test_channels_whatif_and_snapshot_frames(sc):
    df = sc.at("2021-11-02").channels("RUS", "NATO").to_pandas()
    assert str(df["last_use"].dtype).startswith("datetime64")
    assert df.set_index("id").loc["saceur-cgs-line", "dormant"]
    w = backchannel.whatif(sc, "2021-11-02", cut=["saceur-cgs-line"]).to_pandas()
    first = w.iloc[0]
    assert first["pair"] == "RUS.CGS ↔ NATO.SACEUR"
    assert (first["record_latency_s"], first["verdict"]) == (900, "material")
    snap = sc.at("2021-11-02")
    assert len(snap.to_pandas()) == len(snap.records()) > 20
    assert "saceur-cgs-line" in snap._repr_html_()


def test_events_table_with_precision(sc):
    df = sc.events_table().to_pandas()
    assert len(df) == len(sc.doc.events)
    assert str(df["date"].dtype).startswith("datetime64")
    assert df["date"].is_monotonic_increasing
    assert str(df["count"].dtype) == "Int64"
    rows = sc.events_table(channel="saceur-cgs-line", start="2014", end="2019")
    assert rows and all("2014" <= r["date"] < "2020" for r in rows)
    assert {r["do"] for r in sc.events_table(do="expel")} == {"expel"}


def test_repr_html(sc):
    html = sc._repr_html_()
    assert "russia-nato" in html and f"{len(sc.doc.events)} events" in html
    for obj in (
        sc.at("2021-11-02"),
        backchannel.time_to_contact(sc, "RUS.CGS", "NATO.SACEUR", "2021-11-02"),
        backchannel.resilience(sc, "RUS", "NATO", "2021-11-02"),
        backchannel.impact(sc, event_id="russia-suspends-mission-2021")[0],
        backchannel.whatif(sc, "2021-11-02", cut=["nrc"]),
        sc.at("2021-11-02").channels("RUS", "NATO"),
        backchannel.principals(sc, "UKR", "RUS"),
    ):
        assert "<table" in obj._repr_html_(), type(obj)


def test_scenario_file_not_path(sc):
    assert sc.file.name == "russia-nato.yaml"
    with pytest.raises(AttributeError, match=r"renamed Scenario\.file"):
        sc.path  # noqa: B018
    forked = backchannel.whatif(sc, "2021-11-02", cut=["nrc"])
    assert forked["record"]["at"] == "2021-11-02"


@pytest.mark.parametrize(
    ("call", "suggestion"),
    [
        (lambda sc: sc.at("2021").channels("RUS", "NATO.SACUER"), "did you mean 'NATO.SACEUR'"),
        (lambda sc: sc.at("2021").channels("rus", "NATO"), "did you mean 'RUS'"),
        (lambda sc: sc.at("2021").channels("wset", "russia"), "did you mean 'west'"),
        (lambda sc: sc.spans("saceur-cgs-lin"), "did you mean 'saceur-cgs-line'"),
        (lambda sc: sc.at("2021").status("nrcc"), "did you mean 'nrc'"),
        (
            lambda sc: backchannel.whatif(sc, "2021-11-02", cut=["saceur-line"]),
            "did you mean 'saceur-cgs-line'",
        ),
        (
            lambda sc: backchannel.impact(sc, event_id="russia-suspend-mission-2021"),
            "did you mean 'russia-suspends-mission-2021'",
        ),
        (lambda sc: backchannel.principals(sc, "UKRR", "RUS"), "did you mean 'UKR'"),
        (lambda sc: sc.offices_table("NATTO"), "did you mean 'NATO'"),
    ],
)
def test_unknown_ids_suggest_close_ones(sc, call, suggestion):
    with pytest.raises(BackchannelError, match=suggestion):
        call(sc)


def test_no_suggestion_when_nothing_is_close(sc):
    with pytest.raises(BackchannelError) as info:
        sc.at("2021").channels("ZZZZZZ", "NATO")
    assert "did you mean" not in str(info.value) and "(actors:" in str(info.value)


def test_diff_to_pandas(sc):
    changes = sc.diff("2021-10-01", dt.date(2021, 11, 2))
    df = changes.to_pandas()
    assert list(df.columns) == ["what", "id", "before", "after"]
    row = df[(df["id"] == "rus-mission-nato") & (df["what"] == "channel")].iloc[0]
    assert (row["before"], row["after"]) == ("restricted", "suspended")
    assert "<table" in changes._repr_html_()
