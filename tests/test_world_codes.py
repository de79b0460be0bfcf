"""The shipped COW → ISO 3166 alpha-3 code map."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from backchannel.core.errors import BackchannelError
from backchannel.sources.cowcodes import StateCodes, default_codes_path


@pytest.fixture(scope="module")
def codes() -> StateCodes:
    return StateCodes.read()


@pytest.mark.parametrize(
    ("ccode", "ident"),
    [
        (255, "DEU"),
        (200, "GBR"),
        (2, "USA"),
        (365, "RUS"),
        (220, "FRA"),
        (305, "AUT"),
        (900, "AUS"),
        (732, "KOR"),
        (731, "PRK"),
        (572, "SWZ"),
        (225, "CHE"),
        (713, "TWN"),
        (316, "CZE"),
        (345, "SRB"),
    ],
)
def test_iso_codes(codes, ccode, ident):
    assert codes.id(ccode) == ident


@pytest.mark.parametrize(
    ("ccode", "ident"),
    [
        (265, "GDR"),
        (260, "GFR"),
        (240, "HAN"),
        (300, "AUH"),
        (817, "RVN"),
        (680, "YPR"),
        (347, "KOS"),
        (730, "KOR730"),
        (315, "CZE315"),
    ],
)
def test_states_without_iso_codes_keep_cow_codes(codes, ccode, ident):
    st = codes.by_code[ccode]
    assert st.iso3 is None
    assert codes.id(ccode) == ident
    assert ident.startswith(st.cow)


def test_map_covers_every_state_of_the_data(codes, data_dir: Path):
    with open(data_dir / "cow" / "states2016.csv", newline="") as f:
        states = {int(r["ccode"]): r["stateabb"] for r in csv.DictReader(f)}
    for ccode, abb in states.items():
        assert codes.by_code[ccode].cow == abb
    with open(
        data_dir / "us_missions" / "mission_status_range_cow_v0.1.csv", newline="", encoding="utf-8"
    ) as f:
        us = {int(r["country_code_cow"]) for r in csv.DictReader(f)}
    assert set(states) | us <= set(codes.by_code)
    ids = [st.id for st in codes.by_code.values()]
    assert len(ids) == len(set(ids))  # one actor per COW state


def test_an_edited_map_is_read_and_checked(tmp_path):
    text = default_codes_path().read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text(text.replace("255,GMY,Germany,DEU,", "255,GMY,Germany,FRA,"))
    with pytest.raises(BackchannelError, match="both map to 'FRA'"):
        StateCodes.read(bad)
    bad.write_text(text.replace("255,GMY,Germany,DEU,", "255,GMY,Germany,deu,"))
    with pytest.raises(BackchannelError, match=r"bad.csv:\d+: iso3 'deu' must be capital"):
        StateCodes.read(bad)


def test_unknown_codes_fall_back_to_their_abbreviation(codes):
    st = codes.state(999, "ZZZ", "Nowhere")
    assert st.id == "ZZZ" and st.iso3 is None
