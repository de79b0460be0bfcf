"""The report answers the scenario's question first, paper and live side by side (issue 12).

Expected figures are computed here with the analysis functions (time to contact on paper
and over live channels, the channels' last recorded use read off the record), never read
from the report itself.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

import backchannel
from backchannel.core.dates import format_duration
from backchannel.graph.paths import time_to_contact
from backchannel.judge.impact import impact
from backchannel.present.data import assemble
from backchannel.present.html import _first_answer
from backchannel.present.question import package_verdicts, pick_package
from backchannel.record.loader import parse_doc
from backchannel.record.scenario import Scenario

NOVEMBER = ["russia-suspends-mission-2021", "russia-suspends-mlm-2021", "russia-closes-nio-2021"]


@pytest.fixture(scope="module")
def rn():
    return backchannel.load("russia-nato")


@pytest.fixture(scope="module")
def rn_data(rn):
    return assemble(rn)


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.paras: list[str] = []
        self._in = False

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self._in = True
            self.paras.append("")

    def handle_endtag(self, tag):
        if tag == "p":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.paras[-1] += data


def test_the_question_names_the_package_of_1_november_2021(rn):
    package = pick_package(rn)
    assert package.origin == "question"
    assert package.group == "russia-answer-2021-11"
    assert package.ids == NOVEMBER
    assert rn.doc.question.at is not None


def test_first_paragraph_answers_for_each_pair_on_paper_and_live(rn, rn_data):
    paras = _Paragraphs()
    paras.feed(_first_answer(rn_data))
    first = paras.paras[0]
    # the package, by its day and its moves
    assert "1 November 2021" in first and "russia-answer-2021-11" in first
    for eid in NOVEMBER:
        assert eid in first
    # its verdict for each watched pair, as the per-event verdicts give it
    verdicts = package_verdicts(rn, pick_package(rn), impact(rn), rn.doc.watch)
    for w, v in zip(rn.doc.watch, verdicts, strict=True):
        word = "a nonevent" if v.verdict == "nonevent" else v.verdict
        assert f"{word} for the {w.name}" in first
    # paper and live time to contact on the day asked about
    day = rn.day("2021-11-01")
    paper = time_to_contact(rn, "RUS.CGS", "NATO.SACEUR", day)
    live = time_to_contact(rn, "RUS.CGS", "NATO.SACEUR", day, live=True)
    assert paper.latency_s == 900 and live.latency_s > 3600  # read off the record below
    assert f"on paper in {format_duration(paper.latency_s)} via saceur-cgs-line" in first
    assert f"it takes {format_duration(live.latency_s)}" in first
    # the channel the live answer leaves out, and its last recorded use (the call placed
    # in March 2020 in russia-nato.yaml)
    assert "saceur-cgs-line is dormant (last recorded use March 2020)" in first


def test_report_text_names_no_working_document(rn_data):
    texts = [rn_data.question, _first_answer(rn_data), *rn_data.summary()]
    texts += [r.note or "" for r in rn_data.impact] + [r.reason for r in rn_data.impact]
    texts += [r.source_title or "" for r in rn_data.impact]
    for text in texts:
        assert "FACTS.md" not in text
        assert not re.search(r"open item \d", text), text
        assert not re.search(r"\bF-\d{3}\b", text), text


def test_every_note_a_reader_sees_names_no_working_document(rn):
    notes = [e.note for e in rn.doc.events] + [c.note for c in rn.doc.channels]
    notes += [f.note for f in rn.doc.frameworks] + [i.note for i in rn.doc.influence]
    for a in rn.doc.actors:
        notes += [a.note] + [o.note for o in a.offices]
        notes += [h.note for o in a.offices for h in o.holders]
    for note in filter(None, notes):
        assert "FACTS.md" not in note and "open item" not in note, note
        assert not re.search(r"\bF-\d{3}\b", note), note


def test_summary_starts_with_the_answer_to_the_question(rn_data):
    lines = rn_data.summary()
    assert lines[1].startswith("The package russia-answer-2021-11: 3 moves by RUS")


def test_the_end_of_record_answer_gives_paper_and_live(rn_data):
    crisis = rn_data.pairs[0]
    text = crisis.answer()
    assert "on paper in 15m via saceur-cgs-line" in text
    assert "counting only channels in use, it takes 4h" in text


SMALL = """\
scenario: small
title: Two packages and no question
actors:
  - {id: AAA, kind: state, name: A, offices: [{id: AAA.CHIEF, name: C, rank: military_chief}]}
  - {id: BBB, kind: state, name: B, offices: [{id: BBB.CHIEF, name: C, rank: military_chief}]}
channels:
  - {id: line, kind: hotline, ends: [AAA.CHIEF, BBB.CHIEF], latency: 15m}
  - {id: slow, kind: embassy, ends: [AAA.CHIEF, BBB.CHIEF], latency: 12h}
watch:
  - {between: [AAA.CHIEF, BBB.CHIEF], budget: 1h}
events:
  - {id: a1, date: 2001-01-01, do: open, channel: line, group: first}
  - {id: a2, date: 2001-01-01, do: open, channel: slow, group: first}
  - {id: b1, date: 2005-01-01, by: BBB, do: suspend, channel: line, group: second}
  - {id: b2, date: 2005-02-01, by: BBB, do: restrict, channel: slow, group: second}
  - {id: c1, date: 2006-01-01, do: call, channel: slow}
"""


def test_without_a_question_the_report_answers_for_the_last_package():
    sc = Scenario(parse_doc(SMALL, "small.yaml"))
    package = pick_package(sc)
    assert (package.origin, package.group, package.ids) == ("group", "second", ["b1", "b2"])
    data = assemble(sc)
    lead = data.first_answer.lead(sc)
    assert lead.startswith("The record's last package is the package second")
    # suspending the only fast line takes the chiefs out of their budget: material
    assert "material for AAA.CHIEF ↔ BBB.CHIEF" in lead
    assert "from 1 January 2005 to 1 February 2005" in lead


def test_without_packages_the_report_answers_for_the_last_event():
    sc = Scenario(parse_doc(re.sub(r", group: \w+", "", SMALL), "small.yaml"))
    package = pick_package(sc)
    assert (package.origin, package.ids) == ("event", ["c1"])
    lead = assemble(sc).first_answer.lead(sc)
    assert "its last entry is the event c1" in lead
