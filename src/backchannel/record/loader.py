"""Scenario files in: YAML to a validated :class:`~backchannel.core.model.ScenarioDoc`.

Every problem is reported with the file, the line and the reason, and all problems of a
file are reported together: YAML syntax, unknown keys, types and enums, dates and
durations, unknown or duplicate ids, dangling references and refused lifecycle
transitions (replayed in date-then-file order).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..core.errors import BackchannelError, Problem, ScenarioError
from ..core.limits import MAX_SCENARIO_BYTES, check_yaml, read_regular, shown
from ..core.model import Actor, Channel, Event, Framework, Influence, ScenarioDoc, Watch
from .validate import INJECTED, check_references, describe, refusals
from .yamlread import fast_root

__all__ = ["load_doc", "parse_doc", "parse_yaml"]

_SECTIONS: dict[str, type[BaseModel]] = {
    "actors": Actor,
    "channels": Channel,
    "frameworks": Framework,
    "influence": Influence,
    "watch": Watch,
    "events": Event,
}


class _Constructor(RoundTripConstructor):
    """Keep timestamps as text so that the date rules (and their errors) are ours."""


_Constructor.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda self, node: self.construct_scalar(node)
)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.Constructor = _Constructor
    return y


def _line_of(node: Any, loc: Iterable[Any]) -> int | None:
    """The 1-based line of the deepest part of ``loc`` that exists in the parsed YAML."""
    line = None
    if isinstance(node, CommentedMap | CommentedSeq):
        line = node.lc.line + 1
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    return line


def _loc_text(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class _Collector:
    def __init__(self, file: str, root: Any) -> None:
        self.file = file
        self.root = root
        self.problems: list[Problem] = []

    def add(self, line: int | None, message: str) -> None:
        # one line each: control characters in echoed keys and values escaped
        self.problems.append(Problem(self.file, line, shown(message, 1000)))

    def at(self, loc: Iterable[Any], message: str) -> None:
        loc = list(loc)
        self.add(_line_of(self.root, loc), f"{_loc_text(loc)}: {message}")

    def validation(self, prefix: list[Any], exc: ValidationError) -> None:
        for err in exc.errors():
            loc = prefix + [p for p in err["loc"] if not str(p).startswith("function-")]
            where = _loc_text(loc[:-1]) if len(loc) > len(prefix) else _loc_text(prefix)
            self.add(_line_of(self.root, loc), f"{where or 'file'}: {describe(err)}")


def _item_lines(seq: Any) -> list[int | None]:
    if isinstance(seq, CommentedSeq):
        return [seq.lc.item(i)[0] + 1 for i in range(len(seq))]
    return [None] * (len(seq) if isinstance(seq, list) else 0)


#: the kind of id each section's items declare (references to them are checked)
_KINDS = {"actors": "actor", "channels": "channel", "frameworks": "framework", "events": "event"}


def _declared(section: str, item: dict[str, Any], invalid: dict[str, set[str]]) -> None:
    """Remember the ids an item that failed validation declares (itself, and for an actor
    its offices), so that references to them are not reported again."""
    kind = _KINDS.get(section)
    if kind is not None and isinstance(item.get("id"), str):
        invalid[kind].add(item["id"])
    if section == "actors" and isinstance(item.get("offices"), list):
        for office in item["offices"]:
            if isinstance(office, dict) and isinstance(office.get("id"), str):
                invalid["office"].add(office["id"])


def _validate_items(
    col: _Collector, raw: dict[str, Any]
) -> tuple[dict[str, list[Any]], dict[str, list[int]], dict[str, set[str]]]:
    """Validate each item of each list section on its own, so that all errors are found.

    Returns the valid items per section and, for each, its position in the file's list;
    and the ids declared by items that failed (known, but invalid: a reference to one is
    not a second error).
    """
    out: dict[str, list[Any]] = {}
    positions: dict[str, list[int]] = {}
    invalid: dict[str, set[str]] = {k: set() for k in ("actor", "office", *_KINDS.values())}
    for section, model in _SECTIONS.items():
        items = raw.get(section)
        out[section], positions[section] = [], []
        if items is None:
            continue
        if not isinstance(items, list):
            col.at([section], "must be a list")
            continue
        adapter = TypeAdapter(model)
        lines = _item_lines(items)
        good, pos = out[section], positions[section]
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                col.at([section, i], "must be a mapping")
                continue
            injected = INJECTED if section == "events" else ("line",)
            for k in injected:
                if k in item:
                    col.at([section, i, k], f"unknown key '{k}'")
            data = dict(item)
            data["line"] = lines[i]
            if section == "events":
                data["seq"] = i
            if section == "actors" and "offices" in item:
                data["offices"] = _offices_with_lines(col, item, i)
            try:
                good.append(adapter.validate_python(data))
                pos.append(i)
            except ValidationError as exc:
                col.validation([section, i], exc)
                _declared(section, item, invalid)
    return out, positions, invalid


def _offices_with_lines(col: _Collector, actor: Any, i: int) -> Any:
    offices = actor.get("offices")
    if not isinstance(offices, list):
        return offices
    lines = _item_lines(offices)
    out = []
    for j, office in enumerate(offices):
        if isinstance(office, dict):
            for k in ("line", "actor"):
                if k in office:
                    col.at(["actors", i, "offices", j, k], f"unknown key '{k}'")
            office = {**office, "line": lines[j], "actor": str(actor.get("id", ""))}
        out.append(office)
    return out


def parse_yaml(text: str, file: str) -> Any:
    """The round-trip parse (lines of every key and item); syntax errors as problems.

    The limits come first (size, nesting depth, numbers): the composer recurses.
    """
    check_yaml(text, file)
    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = exc.problem or exc.context or "invalid YAML"
        raise ScenarioError([Problem(file, line, f"YAML syntax: {reason}")]) from None
    except YAMLError as exc:
        reason = " ".join(str(exc).split())
        raise ScenarioError([Problem(file, None, f"YAML syntax: {shown(reason, 200)}")]) from None
    except (RecursionError, ValueError, OverflowError) as exc:  # past the limits, still
        raise ScenarioError([Problem(file, None, f"out of range: {shown(exc, 200)}")]) from None
    except TypeError:  # a mapping or list used as a key: the constructor cannot hash it
        raise ScenarioError(
            [Problem(file, None, "YAML syntax: a key must be text, not a mapping or a list")]
        ) from None


def parse_doc(text: str, file: str = "<string>", fast: bool = True) -> ScenarioDoc:
    """Parse and validate scenario YAML text; raise :class:`ScenarioError` with every problem.

    ``fast`` tries the C parser first (:mod:`backchannel.record.yamlread`); a document with any
    problem is parsed again the round-trip way, so messages and lines are always the same.
    """
    col = _Collector(file, None)
    if len(text) > MAX_SCENARIO_BYTES:
        check_yaml(text, file)  # too large
    root = fast_root(text) if fast else None
    used_fast = root is not None
    if root is None:
        root = parse_yaml(text, file)
    col.root = root
    if not isinstance(root, dict):
        raise ScenarioError([Problem(file, 1, "a scenario file must be a YAML mapping")])

    header = {k: v for k, v in root.items() if k not in _SECTIONS}
    try:
        doc = ScenarioDoc.model_validate(header)
    except ValidationError as exc:
        col.validation([], exc)
        doc = ScenarioDoc.model_construct(scenario="?", title="?")
    sections, positions, invalid = _validate_items(col, root)
    sections["events"] = _name_events(sections["events"])
    doc = doc.model_copy(update=sections)
    check_references(col.at, doc, positions, invalid)
    if not col.problems:
        for e, refused in refusals(doc.channels, doc.events):
            col.add(e.line, f"event '{e.id}': {refused}")
    if col.problems:
        if used_fast:
            return parse_doc(text, file, fast=False)
        raise ScenarioError(sorted(col.problems, key=lambda p: p.line or 0))
    return doc


def load_doc(path: str | Path) -> ScenarioDoc:
    """Read and validate a scenario file; raise :class:`ScenarioError` naming file and line."""
    p = Path(path)
    try:
        text = read_regular(p, MAX_SCENARIO_BYTES).decode("utf-8")
    except BackchannelError as exc:  # not found, not a regular file, too large
        reason = str(exc).removeprefix(f"{p}: ")
        raise ScenarioError([Problem(str(p), None, reason)]) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError([Problem(str(p), None, f"cannot read file: {exc}")]) from None
    return parse_doc(text, str(p))


def _name_events(events: list[Event]) -> list[Event]:
    """Give every event an id: its own, or ``DATE-TYPE-TARGET`` made unique in the file."""
    taken = {e.id for e in events if e.id}
    counts: dict[str, int] = {}
    out = []
    for e in events:
        if e.id:
            out.append(e)
            continue
        base = f"{e.date}-{e.do.value}" + (f"-{e.target}" if e.target else "")
        n = counts.get(base, 0)
        while True:
            n += 1
            candidate = base if n == 1 else f"{base}-{n}"
            if candidate not in taken:
                break
        counts[base] = n
        taken.add(candidate)
        out.append(e.model_copy(update={"id": candidate}))
    return out
