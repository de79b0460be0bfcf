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


class _Fallback(Exception):
    pass


def fast_root(text: str) -> Any | None:
    """The parsed document as the round-trip loader would build it, or None (use that one)."""
    if _UNSUPPORTED.search(text):
        return None
    try:
        from ruamel.yaml import YAML
        from ruamel.yaml.comments import CommentedSeq
        from ruamel.yaml.cyaml import CSafeLoader
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
    except ImportError:  # ruamel.yaml.clib not installed
        return None
    reference = YAML(typ="rt")  # its resolver: the YAML 1.2 rules the loader reads by
    resolver = reference.resolver
    constructor = YAML(typ="safe", pure=True).constructor
    tags: dict[str, str] = {}
    values: dict[tuple[str, str], Any] = {}

    def scalar(node: Any) -> Any:
        value = node.value
        if node.style:  # quoted or block scalars are text
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
        if method is None:
            raise _Fallback
        key = (tag, value)
        if key not in values:
            values[key] = getattr(constructor, method)(node)
        return values[key]

    def build(node: Any) -> Any:
        if isinstance(node, ScalarNode):
            return scalar(node)
        if isinstance(node, SequenceNode):
            items = [build(child) for child in node.value]
            if not any(isinstance(x, dict) for x in items):
                return items
            seq = CommentedSeq(items)  # lists of mappings: the loader reads item lines
            mark = node.start_mark
            seq._yaml_set_line_col(mark.line, mark.column)
            for i, child in enumerate(node.value):
                seq._yaml_set_idx_line_col(i, [child.start_mark.line, child.start_mark.column])
            return seq
        if isinstance(node, MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise _Fallback
                key = scalar(key_node)
                if key in out:
                    raise _Fallback  # the round-trip parser reports duplicate keys
                out[key] = build(value_node)
            return out
        raise _Fallback

    try:
        loader = CSafeLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        if node is None:
            return None
        return build(node)
    except Exception:  # any trouble: the round-trip parser gives the reference answer
        return None
