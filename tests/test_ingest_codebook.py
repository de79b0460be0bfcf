"""The shipped CAMEO codebook, PLOVER map and code maps, checked against the real files."""

from __future__ import annotations

import csv
import io

import pytest

from backchannel import BackchannelError
from backchannel.sources.codebook import (
    codebook,
    parse_cameo2plover,
    parse_eventcodes,
    parse_goldstein,
    quad_of_root,
)
from backchannel.sources.codemap import CodeMap, load_codemap, parse_codemap


def test_shipped_codes_are_gdelts_codebook(data_dir):
    codes = parse_eventcodes((data_dir / "cameo/CAMEO.eventcodes.txt").read_text("utf-8"))
    gold = parse_goldstein((data_dir / "cameo/CAMEO.goldsteinscale.txt").read_text("utf-8"))
    book = codebook()
    assert len(codes) == 311 and set(book.codes) == set(codes) == set(gold)
    for code, desc in codes.items():
        assert book.codes[code].goldstein == gold[code]
        if code != "044":  # the mojibake 'Meet at a ÒhirdÓlocation' is repaired
            assert book.codes[code].description == desc
    assert "ÒhirdÓ" in codes["044"]
    assert book.describe("044") == "Meet at a 'third' location"
    assert book.goldstein("0874") == gold["0874"]


def test_crlf_copy_with_merged_line_gives_both_codes(data_dir):
    raw = (data_dir / "cameo/AlifCor_media-focus/CAMEO.eventcodes.txt").read_bytes()
    text = raw.decode("utf-8")
    assert "\r\n" in text and "\n106\t" not in text
    crlf = parse_eventcodes(text)
    lf = parse_eventcodes((data_dir / "cameo/CAMEO.eventcodes.txt").read_text("utf-8"))
    assert set(crlf) == set(lf)  # 310 lines, 311 codes once the merged line is split
    assert crlf["1056"] == "Demand de-escalation of military engagement"
    assert crlf["106"] == "Demand withdrawal"
    assert not any(v.endswith("\r") for v in crlf.values())


def test_goldstein_agrees_with_the_icews_codebook(data_dir):
    # cameo-codes.csv is Windows-1252 with quoted, comma-laden free text.
    raw = (data_dir / "cameo/cameo-codes.csv").read_bytes().decode("cp1252")
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert len(rows) == 312
    book = codebook()
    both = [r for r in rows if r["code"] in book.codes and r["goldstein"] != "NA"]
    assert len(both) > 290
    agree = sum(abs(float(r["goldstein"]) - book.codes[r["code"]].goldstein) < 1e-9 for r in both)
    assert agree / len(both) > 0.95


def test_quad_class_rule_matches_gdelt_rows(data_dir):
    seen = set()
    for name in ("gdelt/events.csv", "gdelt/20191024143000.export.CSV"):
        for line in (data_dir / name).read_text("utf-8").splitlines():
            p = line.split("\t")
            assert quad_of_root(p[28]) == int(p[29]), line[:80]
            seen.add(p[28])
    assert len(seen) == 20
    assert quad_of_root("00") is None and quad_of_root("") is None


def test_cameo2plover_extract_is_the_real_table(data_dir):
    text = (data_dir / "plover/CAMEO2PLOVER-2021.txt").read_text("utf-8")
    parsed = parse_cameo2plover(text)
    book = codebook()
    assert parsed == book.plover_map
    mapping_lines = [ln for ln in text.splitlines() if ln[:1].isdigit() and ":" in ln]
    assert len(mapping_lines) == 276  # 274 codes: "08" and "175" appear twice
    assert len(parsed) == 274
    assert book.plover("041").mode == "phone"
    assert book.plover("0312").context == "military"
    assert book.plover("1121").context == "crime; corruption"
    assert book.plover("163").event == "COERCE"  # not SANCTION, per the table
    assert book.plover("010") is None  # statements have no PLOVER category
    assert book.plover("0431").event == "CONSULT"  # unknown subcode: its base code
    assert book.root_of_plover("consult") == ("04", 1)


def test_actor_codes_prefix_and_known_groups():
    cm = load_codemap()
    assert cm.cameo("RUS") == "RUS"
    assert cm.cameo("RUSGOV") == cm.cameo("RUSMIL") == cm.cameo("RUSGOVMIL") == "RUS"
    assert cm.cameo("IGOWSTNAT") == "NATO" and cm.cameo("IGOWSTNATMIL") == "NATO"
    assert cm.cameo("NAT") == "NATO"
    assert cm.cameo("IGOEUREEC") == "EU"
    assert cm.cameo("IGO", "EEC") == "EU"  # KnownGroupCode column
    assert cm.cameo("NAM") == "NAM"  # Namibia, not North America
    for unmapped in ("GOV", "EUR", "AFR", "NGOUSA", "GOVRUS", "IGO", "kur", ""):
        assert cm.cameo(unmapped) is None, unmapped
    assert cm.name("Russian Federation") == "RUS"
    assert cm.name("United States") == "USA"
    assert cm.name("NA", "North Atlantic Treaty Organization") == "NATO"
    assert cm.name("NA", "Secretariat (European Union)") == "EU"
    assert cm.name("NA", "Council of Europe") is None


def test_user_code_map_overrides_and_removes(tmp_path):
    f = tmp_path / "codes.tsv"
    f.write_text("code\tactor\n# mine\nIGOUNODEVWBK\tWB\nRUS\tRU\nNAM\t-\n")
    cm = load_codemap(f)
    assert cm.cameo("IGOUNODEVWBK") == "WB" and cm.cameo("IGOUNO") == "UN"
    assert cm.cameo("RUSGOV") == "RU"
    assert cm.cameo("NAM") is None
    assert cm.resolve("RUSMIL") == "RU" and cm.resolve("NATO") == "NATO"
    bad = tmp_path / "bad.tsv"
    bad.write_text("code\tactor\nRUS\n")
    with pytest.raises(BackchannelError, match=r"bad.tsv:2: expected 'code<TAB>actor'"):
        load_codemap(bad)
    with pytest.raises(BackchannelError, match="not found"):
        load_codemap(tmp_path / "missing.tsv")
    assert CodeMap(parse_codemap("A\tX\nA\tY\n")).cameo("A") == "Y"


def test_every_icews_sample_country_is_mapped(data_dir):
    cm = load_codemap()
    lines = (data_dir / "icews/events.2018.sample.tab").read_text("utf-8").splitlines()
    names = {p for ln in lines[1:] for i in (4, 10) if (p := ln.split("\t")[i]) != "NA"}
    assert len(names) > 130
    unmapped = sorted(n for n in names if cm.name(n) is None)
    assert unmapped == []
    # every mapped id is an ISO alpha-3 code of the shipped country list
    iso = {a for c, a in cm.entries.items() if len(c) == 3 and c.isupper()}
    assert {cm.name(n) for n in names} <= iso
