"""Safe YAML reading for kimsite.yaml, site files and front matter.

On top of PyYAML's safe loader this rejects duplicate keys, anchors/aliases
(alias bombs) and non-standard tags, leaves dates as text (kimsite parses them
itself, with friendly messages), and reports the line of every top-level key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from kimsite.base.problems import Problem, error, warning

# PyYAML built without libyaml reads front matter several times slower (a large workspace's
# parse takes minutes instead of seconds): every build says so (`libyaml_problem`).
WITH_LIBYAML = hasattr(yaml, "CSafeLoader")
_Base = yaml.CSafeLoader if WITH_LIBYAML else yaml.SafeLoader

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}
MAX_DEPTH = 40


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader without implicit timestamps (dates stay strings)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class YamlDocument:
    data: dict
    lines: dict[str, int] = field(default_factory=dict)  # top-level key -> 1-based line
    raw: dict[str, str] = field(default_factory=dict)  # top-level key -> text of a plain scalar
    # "key.subkey" (a mapping's keys) and "key.0" (a list's items) one level down -> line; only
    # the parser fills it (the quick reader's one-line lists are on their key's line)
    nested: dict[str, int] = field(default_factory=dict, compare=False)
    # the same keys -> text of a plain scalar there (`phone: 0264123456` is an octal number to YAML)
    nested_raw: dict[str, str] = field(default_factory=dict, compare=False)


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
    resolvers = _Loader.yaml_implicit_resolvers
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


_CONTINUATION_CONTEXTS = ("while scanning a quoted scalar", "while parsing a flow")


def explain_syntax_error(exc: yaml.MarkedYAMLError, text: str, file: str, first_line: int,
                         line_of: _LineNumbers) -> Problem:
    """PyYAML's error in words a volunteer can act on, on the line to fix (the line of an unclosed
    quote or bracket, not the end of the front matter where YAML noticed it)."""
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    opened_at = exc.context_mark if context.startswith(_CONTINUATION_CONTEXTS) else None
    mark = opened_at or exc.problem_mark or exc.context_mark
    line = line_of(mark) if mark else first_line
    lines = text.split("\n")
    written = lines[mark.line] if mark and mark.line < len(lines) else ""
    key, _, value = written.partition(":")
    key = key.strip()
    if context.startswith("while scanning a quoted scalar"):
        return error(file, line, "yaml_unclosed_quote", quote=written.strip()[:60])
    if opened_at is not None:
        return error(file, line, "yaml_unclosed_bracket", written=written.strip()[:60])
    if "\t" in written[: len(written) - len(written.lstrip())] or "tab" in problem:
        return error(file, line, "yaml_tab")
    if problem.startswith("mapping values are not allowed"):
        if any(quote in value for quote in "\u201c\u201d\u2018\u2019\u201e"):
            return error(file, line, "yaml_smart_quotes", key=key)
        if written[:1] in (" ", "\t") and not value.strip().startswith(("'", '"')):
            return error(file, line, "yaml_indented", key=key)
        if key and ": " in value:
            return error(file, line, "yaml_colon", key=key, value=value.strip()[:60].replace('"', "'"))
    return error(file, line, "yaml_syntax", detail=problem or context)


def read_with_parser(text: str, file: str, first_line: int = 1) -> tuple[YamlDocument | None, list[Problem]]:
    """`load_mapping` through PyYAML's parser for every text."""
    line_of = _LineNumbers(text, first_line)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument({}), []
        problems = _check_tree(node, file, line_of)
        if problems:
            return None, problems
        if not isinstance(node, yaml.MappingNode):
            kind = "daftar (list)" if isinstance(node, yaml.SequenceNode) else "teks"
            return None, [error(file, line_of(node.start_mark), "yaml_not_mapping", kind=kind)]
        data = _construct_top_level(loader, node)
    except yaml.MarkedYAMLError as exc:
        return None, [explain_syntax_error(exc, text, file, first_line, line_of)]
    except (yaml.YAMLError, ValueError, TypeError, RecursionError, OverflowError) as exc:
        return None, [error(file, first_line, "yaml_syntax", detail=str(exc).splitlines()[0][:200])]
    finally:
        loader.dispose()

    doc = YamlDocument(data)
    for key_node, value_node in node.value:
        key = str(key_node.value)
        doc.lines[key] = line_of(key_node.start_mark)
        if isinstance(value_node, yaml.ScalarNode) and not value_node.style:  # plain: None, or "" with libyaml
            doc.raw[key] = value_node.value
        if isinstance(value_node, yaml.MappingNode):
            children = [(f"{key}.{child_key.value}", child_key, child) for child_key, child in value_node.value]
        elif isinstance(value_node, yaml.SequenceNode):
            children = [(f"{key}.{index}", child, child) for index, child in enumerate(value_node.value)]
        else:
            children = []
        for name, start, child in children:
            doc.nested.setdefault(name, line_of(start.start_mark))
            if isinstance(child, yaml.ScalarNode) and not child.style:
                doc.nested_raw.setdefault(name, child.value)
    return doc, []


def _construct_top_level(loader: yaml.BaseLoader, node: yaml.MappingNode) -> dict:
    """The mapping with each top-level key as the author wrote it: kimsite's field names are
    text, and YAML would read `yes:`, `on:` or `~:` as true or null (and `yes:` and `on:` as
    the same key)."""
    data: dict = {}
    try:
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(None, None, "a key must be a plain name, not a list "
                                                        "or mapping", key_node.start_mark)
            data[key_node.value] = loader.construct_object(value_node, deep=True)
    finally:
        loader.constructed_objects = {}
        loader.recursive_objects = {}
    return data


class _LineNumbers:
    """File line of a parser mark. YAML also counts U+0085, U+2028 and U+2029 as line breaks;
    a file's lines are its "\n"s only, so after such a character the parser's count is ahead."""

    _EXTRA_BREAKS = re.compile("[\x85\u2028\u2029]")

    def __init__(self, text: str, first_line: int):
        self.first_line = first_line
        self.file_lines: list[int] | None = None  # parser line -> file line (0-based), when they differ
        if not text.isascii() and self._EXTRA_BREAKS.search(text):
            self.file_lines = [0]
            file_line = 0
            for character in text:
                if character == "\n":
                    file_line += 1
                    self.file_lines.append(file_line)
                elif character in "\x85\u2028\u2029":
                    self.file_lines.append(file_line)

    def __call__(self, mark: yaml.Mark) -> int:
        line = mark.line
        if self.file_lines is not None:
            line = self.file_lines[min(line, len(self.file_lines) - 1)]
        return line + self.first_line


def _check_tree(root: yaml.Node, file: str, line_of: _LineNumbers) -> list[Problem]:
    """Reject aliases, unknown tags, duplicate keys and absurd nesting, without recursion."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        line = line_of(node.start_mark)
        if id(node) in seen:
            return [error(file, line, "yaml_alias")]
        seen.add(id(node))
        if node.tag not in _ALLOWED_TAGS:
            return [error(file, line, "yaml_tag", tag=node.tag)]
        if depth > MAX_DEPTH:
            return [error(file, line, "yaml_syntax", detail=f"nesting deeper than {MAX_DEPTH} levels")]
        if isinstance(node, yaml.MappingNode):
            first_seen: dict[object, int] = {}
            for key_node, value_node in node.value:
                key_line = line_of(key_node.start_mark)
                if isinstance(key_node, yaml.ScalarNode):
                    if key_node.value in first_seen:
                        return [error(file, key_line, "yaml_duplicate_key", key=key_node.value,
                                      first=first_seen[key_node.value])]
                    first_seen[key_node.value] = key_line
                stack.append((key_node, depth + 1))
                stack.append((value_node, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
    return []
