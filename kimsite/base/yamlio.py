"""Safe YAML reading for kimsite.yaml, site files and front matter.

The plainest mappings (a few `key: value` lines, as nearly every front matter is) are read here
without PyYAML; every other text goes to PyYAML's parser (kimsite.base.yaml_parser), which
rejects duplicate keys, anchors/aliases and non-standard tags, leaves dates as text and reports
the line of every top-level key. Both give the same YamlDocument.
"""

from __future__ import annotations

import os
import re
import sys

from kimsite.base.problems import Problem, warning
from kimsite.base.yaml_document import YamlDocument

__all__ = ["YamlDocument", "load_mapping", "read_plain", "read_with_parser", "salvage", "libyaml_problem"]


def _libyaml_installed() -> bool:
    """Whether PyYAML's libyaml extension is installed beside it: found without loading PyYAML
    (most builds read no YAML the plain reader leaves to the parser, and loading PyYAML took a
    one-article edit 9 ms); once PyYAML is loaded, whether it took the extension."""
    loaded = sys.modules.get("yaml")
    if loaded is not None:
        return hasattr(loaded, "CSafeLoader")
    from importlib.machinery import EXTENSION_SUFFIXES
    from importlib.util import find_spec

    try:
        spec = find_spec("yaml")
        folders = list(spec.submodule_search_locations or ()) if spec is not None else []
        names = [name for folder in folders for name in os.listdir(folder)]
    except (ImportError, ValueError, OSError):
        return False
    return any(name == "_yaml" + suffix for name in names for suffix in EXTENSION_SUFFIXES)


# PyYAML built without libyaml reads front matter several times slower (a large workspace's
# parse takes minutes instead of seconds): every build says so (`libyaml_problem`).
WITH_LIBYAML = _libyaml_installed()

# YAML 1.1's implicit resolvers as PyYAML's safe loader has them, dates left out (the parser's
# loader leaves dates as text too: kimsite.base.yaml_parser): the plain reader knows without
# loading PyYAML which plain values YAML reads as anything but text. tests/test_yaml_plain.py
# holds them equal to the loader's own.
IMPLICIT_RESOLVERS: dict[str, list[tuple[str, re.Pattern]]] = {}


def _resolver(tag: str, pattern: re.Pattern, first: list[str]) -> None:
    for character in first:
        IMPLICIT_RESOLVERS.setdefault(character, []).append((tag, pattern))


_resolver("tag:yaml.org,2002:bool", re.compile(r'''^(?:yes|Yes|YES|no|No|NO
                    |true|True|TRUE|false|False|FALSE
                    |on|On|ON|off|Off|OFF)$''', re.X), list("yYnNtTfFoO"))
_resolver("tag:yaml.org,2002:float", re.compile(r'''^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
                    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
                    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
                    |[-+]?\.(?:inf|Inf|INF)
                    |\.(?:nan|NaN|NAN))$''', re.X), list("-+0123456789."))
_resolver("tag:yaml.org,2002:int", re.compile(r'''^(?:[-+]?0b[0-1_]+
                    |[-+]?0[0-7_]+
                    |[-+]?(?:0|[1-9][0-9_]*)
                    |[-+]?0x[0-9a-fA-F_]+
                    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$''', re.X), list("-+0123456789"))
_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])
_resolver("tag:yaml.org,2002:null", re.compile(r'''^(?: ~
                    |null|Null|NULL
                    | )$''', re.X), ["~", "n", "N", ""])
_resolver("tag:yaml.org,2002:value", re.compile(r"^(?:=)$"), ["="])
_resolver("tag:yaml.org,2002:yaml", re.compile(r"^(?:!|&|\*)$"), list("!&*"))

def load_mapping(text: str, file: str, first_line: int = 1) -> tuple[YamlDocument | None, list[Problem]]:
    """Read a YAML mapping; `first_line` is the file line where `text` starts.

    Returns the document (or None) and the problems found. An empty text is an
    empty mapping.
    """
    doc = read_plain(text, first_line)
    if doc is None:
        doc, problems = read_with_parser(text, file, first_line)
        if doc is None:
            return None, problems
    return doc, smart_quote_problems(doc, file)


# --- the plainest front matter, read without the parser ---------------------------------------
# Nearly every article's front matter is a few `key: value` lines, each value a word or sentence,
# a quoted sentence, or a one-line list of words (`tags: [a, b]`). PyYAML reads such a text in
# about 80 µs, most of it building and walking its node tree in Python (a tenth of parsing an
# article); read_plain gives the same YamlDocument in a few µs. Anything else, or anything it
# is unsure of, is left to the parser (None): a line that is not `key: value` at the left
# margin, a comment, a repeated key, a value that YAML would read as anything but text (numbers,
# `yes`, `~`, dates are resolved by the loader's own rules), a value beginning with a character
# YAML gives a meaning to, `: ` or ` #` inside a value, brackets or braces outside a list,
# escapes, tabs, and characters YAML's reader refuses or counts as line breaks.
# tests/test_yaml_plain.py holds it to the parser's result (Hypothesis, and every front matter
# of the demo and the test fixtures).
_PLAIN_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?")
# what a plain value may be made of: no YAML indicator first, no line break YAML counts, no tab,
# nothing YAML's reader refuses (see yaml.reader.Reader.NON_PRINTABLE), no `[]{}` (flow syntax),
# no NUL..US, DEL, C1 controls, BOM, U+2028/9, surrogates or U+FFFE/F
_UNSAFE = "\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff"
_PLAIN_TEXT = re.compile(f"[^\\s\\-?:,\\[\\]{{}}#&*!|>'\"%@`{_UNSAFE}][^\\[\\]{{}}{_UNSAFE}]*")
# a list's item: no `:` or `#` either (inside brackets YAML may read `:` as a key's end)
_PLAIN_ITEM = re.compile(f"[^\\s\\-?:,\\[\\]{{}}#&*!|>'\"%@`{_UNSAFE}][^:#,\\[\\]{{}}{_UNSAFE}]*")
_DOUBLE_QUOTED = re.compile(f'"[^"\\\\{_UNSAFE}]*"')
_SINGLE_QUOTED = re.compile(f"'[^'{_UNSAFE}]*'")


def read_plain(text: str, first_line: int = 1) -> YamlDocument | None:
    """The mapping of `text` when it is written in the plainest YAML (see above), exactly as
    read_with_parser reads it; None otherwise (the parser then reads it)."""
    doc = YamlDocument({})
    for number, written in enumerate(text.split("\n"), start=first_line):
        if not written:
            continue
        line = _PLAIN_LINE.fullmatch(written.rstrip(" "))
        if line is None:
            return None
        key, value = line.group(1), line.group(2)
        if key in doc.data or value is None:
            return None
        value = value.strip(" ")
        if value.startswith("["):
            if not value.endswith("]"):
                return None
            items = [item.strip(" ") for item in value[1:-1].split(",")] if value[1:-1].strip(" ") else []
            found = []
            for index, item in enumerate(items):
                scalar = _scalar(item, _PLAIN_ITEM)
                if scalar is None:
                    return None
                found.append(scalar[0])
                doc.nested[f"{key}.{index}"] = number
                if scalar[1]:
                    doc.nested_raw[f"{key}.{index}"] = item
            doc.data[key] = found
        else:
            scalar = _scalar(value, _PLAIN_TEXT)
            if scalar is None:
                return None
            doc.data[key] = scalar[0]
            if scalar[1]:
                doc.raw[key] = value
        doc.lines[key] = number
    return doc if doc.data else None


def _scalar(written: str, plain: re.Pattern) -> tuple[str, bool] | None:
    """(text, whether it is plain) of one value, or None when it is not simply text."""
    if not written:
        return None
    if written[0] == '"':
        return (written[1:-1], False) if _DOUBLE_QUOTED.fullmatch(written) else None
    if written[0] == "'":
        return (written[1:-1], False) if _SINGLE_QUOTED.fullmatch(written) else None
    if (not plain.fullmatch(written) or ": " in written or " #" in written or written.endswith(":")
            or not _resolves_to_text(written)):
        return None
    return written, True


def _resolves_to_text(value: str) -> bool:
    """Whether YAML's implicit resolvers (the loader's own, dates left out) make `value` text."""
    resolvers = IMPLICIT_RESOLVERS
    for _tag, pattern in (*resolvers.get(value[0], ()), *resolvers.get(None, ())):
        if pattern.match(value):
            return False
    return True


def libyaml_problem() -> list[Problem]:
    """A warning for every build and check when PyYAML runs without libyaml."""
    return [] if WITH_LIBYAML else [warning("", None, "yaml_without_libyaml")]


_SMART_PAIRS = {"\u201c": "\u201d", "\u201e": "\u201d", "\u2018": "\u2019", "\u201d": "\u201d"}


def smart_quote_problems(doc: YamlDocument, file: str) -> list[Problem]:
    """Values wrapped in typographic quotes (“…”, as phones and word processors type them): YAML
    keeps the quotes as part of the text."""
    problems = []
    for key, value in doc.data.items():
        if isinstance(value, str) and len(value) > 1 and _SMART_PAIRS.get(value[0]) == value[-1]:
            problems.append(warning(file, doc.lines.get(str(key)), "yaml_smart_quotes_kept", key=key))
    return problems


_MAX_SALVAGE_ROUNDS = 20
# errors of one line of the text (the others, such as a list instead of a mapping, are the whole text's)
SYNTAX_CODES = frozenset({"yaml_syntax", "yaml_tab", "yaml_colon", "yaml_smart_quotes", "yaml_unclosed_quote",
                          "yaml_unclosed_bracket", "yaml_indented", "yaml_duplicate_key"})


def salvage(text: str, file: str, first_line: int, problems: list[Problem]) -> YamlDocument | None:
    """After a syntax error: the mapping read without the lines that break it, so that the file's
    other problems are found too. Each further syntax error is added to `problems`."""
    lines = text.split("\n")
    bad = [p.line for p in problems if p.code in SYNTAX_CODES and p.line is not None]
    if not bad:
        return None
    for _ in range(_MAX_SALVAGE_ROUNDS):
        for line in bad:
            index = line - first_line
            if 0 <= index < len(lines):
                lines[index] = ""
        doc, found = read_with_parser("\n".join(lines), file, first_line)
        if doc is not None:
            return doc
        new = [p for p in found if p.code in SYNTAX_CODES and p.line not in bad and p.line is not None]
        if not new:
            return None
        problems.extend(new)
        bad = [p.line for p in new]
    return None


def read_with_parser(text: str, file: str, first_line: int = 1) -> tuple[YamlDocument | None, list[Problem]]:
    """`load_mapping` through PyYAML's parser for every text (kimsite.base.yaml_parser)."""
    from kimsite.base.yaml_parser import parse_mapping

    return parse_mapping(text, file, first_line)
