"""A fast path for reading big scenario files: libyaml parsing, round-trip line info.

The loader reads YAML with ruamel's round-trip parser because it keeps the line of every
key and item for error messages. That parser is pure Python, slow on imported worlds of
tens of thousands of lines. :func:`fast_root` parses the same text with the C parser of
``ruamel.yaml.clib`` and builds the same data: scalars resolved by the same YAML 1.2
rules, timestamps kept as text, and lists of mappings as ``CommentedSeq`` with the line
of every item (what a valid document needs: the ``line`` of actors, offices, channels and
events). It has no line for each key, so the loader uses it only for documents without
problems and reports problems from the round-trip parse, word for word as before.
Whenever the text uses something it does not reproduce exactly
(tags, anchors, aliases, merge keys, duplicate or complex keys) or the C parser is not
installed, it returns None and the loader takes the round-trip path.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["fast_root"]

# explicit tags, anchors, aliases and merge keys: left to the round-trip parser
_UNSUPPORTED = re.compile(r"(?:^|[\s\[{,:])(?:![^\s]|&[^\s]|\*[^\s])|<<")
_STR = "tag:yaml.org,2002:str"
_SCALARS = {
    "tag:yaml.org,2002:int": "construct_yaml_int",
    "tag:yaml.org,2002:float": "construct_yaml_float",
    "tag:yaml.org,2002:bool": "construct_yaml_bool",
}


_MAX_DEPTH = 64  # deeper documents are left to the loader's limits (limits.py)
_MAX_NUMBER = 15  # longer numbers too
_NO_KEY = object()


class _Fallback(Exception):
    pass


def fast_root(text: str) -> Any | None:
    """The parsed document as the round-trip loader would build it, or None (use that one)."""
    if _UNSUPPORTED.search(text):
        return None
    try:
        from ruamel.yaml import YAML
        from ruamel.yaml.comments import CommentedSeq
        from ruamel.yaml.cyaml import CParser
        from ruamel.yaml.events import (
            DocumentStartEvent,
            MappingEndEvent,
            MappingStartEvent,
            ScalarEvent,
            SequenceEndEvent,
            SequenceStartEvent,
            StreamEndEvent,
            StreamStartEvent,
        )
        from ruamel.yaml.nodes import ScalarNode
    except ImportError:  # ruamel.yaml.clib not installed
        return None
    reference = YAML(typ="rt")  # its resolver: the YAML 1.2 rules the loader reads by
    resolver = reference.resolver
    constructor = YAML(typ="safe", pure=True).constructor
    tags: dict[str, str] = {}
    values: dict[tuple[str, str], Any] = {}

    def scalar(event: Any) -> Any:
        value = event.value
        if event.style:  # quoted or block scalars are text
            return value
        tag = tags.get(value)
        if tag is None:
            resolved = resolver.resolve(ScalarNode, value, (True, False))
            tag = str(getattr(resolved, "value", resolved))
            tags[value] = tag
        if tag == _STR or tag == "tag:yaml.org,2002:timestamp":
            return value  # timestamps stay text: the date rules are the scenario's own
        if tag == "tag:yaml.org,2002:null":
            return None
        method = _SCALARS.get(tag)
        if method is None or len(value) > _MAX_NUMBER:
            raise _Fallback  # the round-trip path reports numbers out of range
        key = (tag, value)
        if key not in values:
            values[key] = getattr(constructor, method)(ScalarNode(tag, value))
        return values[key]

    class _Seq:
        __slots__ = ("items", "lines", "mark")

        def __init__(self, mark: Any) -> None:
            self.items: list[Any] = []
            self.lines: list[list[int]] = []
            self.mark = mark

        def add(self, value: Any, mark: Any) -> None:
            self.items.append(value)
            self.lines.append([mark.line, mark.column])

        def done(self) -> Any:
            if not any(isinstance(x, dict) for x in self.items):
                return self.items
            seq = CommentedSeq(self.items)  # lists of mappings: the loader reads item lines
            seq._yaml_set_line_col(self.mark.line, self.mark.column)
            for i, lc in enumerate(self.lines):
                seq._yaml_set_idx_line_col(i, lc)
            return seq

    class _Map:
        __slots__ = ("key", "out")

        def __init__(self) -> None:
            self.out: dict[Any, Any] = {}
            self.key: Any = _NO_KEY

        def add(self, value: Any, _mark: Any) -> None:
            if self.key is _NO_KEY:
                if value in self.out:
                    raise _Fallback  # the round-trip parser reports duplicate keys
                self.key = value
            else:
                self.out[self.key] = value
                self.key = _NO_KEY

        def done(self) -> Any:
            return self.out

    # Built from the event stream with a stack of open collections (never by recursion,
    # so deep nesting cannot overflow a stack; deeper than _MAX_DEPTH goes the slow way).
    parser = CParser(text)
    try:
        stack: list[Any] = []
        marks: list[Any] = []
        root: Any = _NO_KEY
        docs = 0
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is ScalarEvent:
                value = scalar(event)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if stack and isinstance(stack[-1], _Map) and stack[-1].key is _NO_KEY:
                    raise _Fallback  # a complex key
                if len(stack) >= _MAX_DEPTH:
                    raise _Fallback
                stack.append(_Map() if kind is MappingStartEvent else _Seq(event.start_mark))
                marks.append(event.start_mark)
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                value = stack.pop().done()
                mark = marks.pop()
                if stack:
                    stack[-1].add(value, mark)
                else:
                    root = value
                continue
            elif kind is DocumentStartEvent:
                docs += 1
                if docs > 1:
                    raise _Fallback
                continue
            elif kind is StreamEndEvent:
                break
            elif kind is StreamStartEvent or kind.__name__ == "DocumentEndEvent":
                continue
            else:  # aliases and anything else
                raise _Fallback
            if stack:
                stack[-1].add(value, event.start_mark)
            else:
                root = value
        return None if root is _NO_KEY else root
    except Exception:  # any trouble: the round-trip parser gives the reference answer
        return None
    finally:
        parser.dispose()
