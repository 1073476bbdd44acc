"""kimsite.base.yamlio's reading of YAML through PyYAML's parser: every text the plain reader
leaves to it. On top of PyYAML's safe loader this rejects duplicate keys, anchors/aliases (alias
bombs) and non-standard tags, leaves dates as text (kimsite parses them itself, with friendly
messages), and reports the line of every top-level key. Loaded only by a build that reads such a
text (PyYAML took 9 ms of a one-article edit's loading).
"""

from __future__ import annotations

import re

import yaml

from kimsite.base.problems import Problem, error
from kimsite.base.yaml_document import YamlDocument

# (libyaml's loader when PyYAML has it: several times faster; kimsite.base.yamlio says when not)
_Base = yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader

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


def parse_mapping(text: str, file: str, first_line: int = 1) -> tuple[YamlDocument | None, list[Problem]]:
    """kimsite.base.yamlio.load_mapping through PyYAML's parser for every text."""
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
