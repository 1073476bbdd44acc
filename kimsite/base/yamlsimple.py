"""Front matter in its everyday form, read without the YAML parser.

Almost every article's front matter is one `key: value` per line: plain text, text in quotes
without escapes, true/false, or a one-line list such as `tags: [bansos, desa]`. Reading those
lines directly is several times faster than PyYAML, which builds and checks a node tree first.
Anything else (comments, nesting, anchors, numbers, escapes, odd characters...) is left to the
YAML parser: `read_simple` returns None. What it returns is exactly what
`kimsite.base.yamlio.load_mapping` returns for the same text (a property test holds them together).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]{0,127}):(?: +(.*))?")
# Characters a plain value may not start with (YAML indicators), and, inside a flow list,
# characters an item may not hold at all.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_NOT_IN_ITEM = re.compile(r"[\[\]{}:'\"]")
# YAML's printable set, and the characters it reads as line breaks besides "\n".
_NOT_PRINTABLE = re.compile("[^\x0a\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_OTHER_BREAKS = ("\x85", "\u2028", "\u2029", "\ufeff")
_BOOLEANS = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}
_STR, _BOOL, _NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"


def read_simple(text: str, first_line: int,
                resolvers: Mapping[str, list]) -> tuple[dict, dict[str, int], dict[str, str]] | None:
    """(data, line of each key, text of each plain value), or None when the YAML parser must
    read `text`. `resolvers` are the loader's implicit resolvers (how plain text is typed)."""
    if "#" in text or "\t" in text or "\r" in text:
        return None
    if not text.isascii() and any(mark in text for mark in _OTHER_BREAKS):
        return None
    if _NOT_PRINTABLE.search(text):
        return None
    data: dict = {}
    lines: dict[str, int] = {}
    raw: dict[str, str] = {}
    for number, line in enumerate(text.split("\n"), start=first_line):
        line = line.rstrip(" ")
        if not line:
            continue
        match = _KEY_LINE.fullmatch(line)
        if match is None:
            return None
        key, value = match.group(1), match.group(2) or ""
        if key in data or _tag(key, resolvers) != _STR:
            return None
        if not value:
            if _tag("", resolvers) != _NULL:
                return None
            data[key], raw[key] = None, ""
        elif value[0] == '"' or value[0] == "'":
            quote = value[0]
            if len(value) < 2 or value[-1] != quote or quote in value[1:-1] or "\\" in value:
                return None
            data[key] = value[1:-1]
        elif value[0] == "[":
            items = _flow_items(value, resolvers)
            if items is None:
                return None
            data[key] = items
        else:
            if value[0] in _INDICATORS or ": " in value or value[-1] == ":":
                return None
            tag = _tag(value, resolvers)
            if tag == _STR:
                data[key] = value
            elif tag == _BOOL:
                data[key] = _BOOLEANS[value.lower()]
            elif tag == _NULL:
                data[key] = None
            else:
                return None
            raw[key] = value
        lines[key] = number
    return (data, lines, raw) if data else None


def _flow_items(value: str, resolvers: Mapping[str, list]) -> list[str] | None:
    """The items of a one-line list of plain text (`[a, b c]`), or None."""
    if value[-1] != "]":
        return None
    inner = value[1:-1].strip(" ")
    if not inner:
        return []
    items = []
    for item in inner.split(","):
        item = item.strip(" ")
        if not item or item[0] in _INDICATORS or _NOT_IN_ITEM.search(item) or _tag(item, resolvers) != _STR:
            return None
        items.append(item)
    return items


def _tag(value: str, resolvers: Mapping[str, list]) -> str:
    """The tag YAML gives a plain scalar (as yaml.resolver.BaseResolver.resolve does)."""
    for tag, pattern in resolvers.get(value[:1], ()):
        if pattern.match(value):
            return tag
    return _STR
