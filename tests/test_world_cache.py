"""The index cache beside big scenario files, and the loader's fast parse path."""

from __future__ import annotations

from pathlib import Path

import pytest

import backchannel
from backchannel.core.errors import ScenarioError
from backchannel.record import indexcache
from backchannel.record import scenario as scenario_module
from backchannel.record.loader import _yaml, parse_doc
from backchannel.record.yamlread import fast_root

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def world_text(data_dir: Path) -> str:
    from backchannel.sources.cow import import_cow

    return import_cow(
        data_dir / "cow/Diplomatic_Exchange_2006v1.csv.gz",
        data_dir / "cow/states2016.csv",
        1817,
        1850,
    ).text()


@pytest.fixture
def world(world_text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(indexcache, "MIN_BYTES", 1)
    monkeypatch.delenv("BACKCHANNEL_INDEX_CACHE", raising=False)
    path = tmp_path / "world.yaml"
    path.write_text(world_text)
    return path


def _snapshot(sc: backchannel.Scenario) -> list[tuple[str, str | None]]:
    day = sc.day("1849-06-01")
    return [(c, str(sc.timeline.status(c, day))) for c in sc.channels_by_id]


def test_cache_is_written_and_reused(world, monkeypatch):
    first = backchannel.load(world)
    cache = indexcache.cache_path(world)
    assert cache.exists() and cache.name == "world.yaml.bcindex"

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed again although the cache matches")

    monkeypatch.setattr(scenario_module, "parse_doc", no_parse)
    again = backchannel.load(world)
    assert _snapshot(again) == _snapshot(first)
    assert again.doc == first.doc
    assert again.file == world


def test_cache_is_rebuilt_when_the_file_changes(world, monkeypatch):
    backchannel.load(world)
    calls = []
    real = scenario_module.parse_doc
    monkeypatch.setattr(
        scenario_module, "parse_doc", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    text = world.read_text().replace("title: ", "title: Edited ", 1)
    world.write_text(text)
    sc = backchannel.load(world)
    assert calls == [1]
    assert sc.doc.title.startswith("Edited")
    backchannel.load(world)
    assert calls == [1]


def test_a_damaged_cache_is_rebuilt(world):
    backchannel.load(world)
    cache = indexcache.cache_path(world)
    head, _, _ = cache.read_bytes().partition(b"\n")
    cache.write_bytes(head + b"\nnot a pickle")
    sc = backchannel.load(world)
    assert len(sc.channels_by_id) > 100
    assert cache.read_bytes() != head + b"\nnot a pickle"


def test_caching_can_be_turned_off(world, monkeypatch):
    monkeypatch.setenv("BACKCHANNEL_INDEX_CACHE", "0")
    backchannel.load(world)
    assert not indexcache.cache_path(world).exists()


def test_small_files_get_no_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("BACKCHANNEL_INDEX_CACHE", raising=False)
    path = tmp_path / "small.yaml"
    path.write_text((ROOT / "src/backchannel/scenarios/example.yaml").read_text())
    backchannel.load(path)
    assert not indexcache.cache_path(path).exists()


def test_errors_are_the_usual_ones_with_a_cache(world):
    world.write_text(world.read_text().replace("do: restrict", "do: restrain", 1))
    with pytest.raises(ScenarioError) as err:
        backchannel.load(world)
    assert "unknown event type 'restrain'" in str(err.value)
    assert not indexcache.cache_path(world).exists()


def test_fast_parse_gives_the_same_document(world_text):
    assert fast_root(world_text) is not None
    assert parse_doc(world_text, "w.yaml") == parse_doc(world_text, "w.yaml", fast=False)
    example = (ROOT / "src/backchannel/scenarios/example.yaml").read_text()
    assert fast_root(example) == _yaml().load(example)
    assert parse_doc(example) == parse_doc(example, fast=False)


@pytest.mark.parametrize(
    "bad", sorted((ROOT / "tests/data/bad").glob("*.yaml")), ids=lambda p: p.stem
)
def test_fast_parse_reports_the_same_problems(bad):
    text = bad.read_text()
    with pytest.raises(ScenarioError) as fast:
        parse_doc(text, str(bad))
    with pytest.raises(ScenarioError) as slow:
        parse_doc(text, str(bad), fast=False)
    assert fast.value.problems == slow.value.problems


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",
        "a: !!str 2021\n",
        "a: 1\na: 2\n",
        "- 1\n- 2\n",
        "a: [1, 2\n",
        "<<: {a: 1}\n",
    ],
)
def test_fast_parse_leaves_what_it_cannot_reproduce_to_the_round_trip_parser(text):
    root = fast_root(text)
    if root is not None:
        assert root == _yaml().load(text)


def test_the_cache_fingerprints_files_that_exist():
    # the index is invalidated when the code that builds it changes: every file named
    # must be there (after a move, a missing name would silently stop invalidating it)
    from pathlib import Path

    from backchannel.record import indexcache

    package = Path(indexcache.__file__).parents[1]
    missing = [name for name in indexcache._CODE if not (package / name).is_file()]
    assert not missing, missing
