"""Python-Markdown extension: lists that nest the way github.com's preview shows them.

Python-Markdown nests a list item only when it is indented by four spaces, and a
list must follow a blank line. On GitHub (CommonMark) an item nests when it is
indented to the content of its parent item ("- " means two spaces, "1. " three),
and a list may start right after a paragraph line. This preprocessor rewrites
list indentation to Python-Markdown's four-space steps before parsing.
"""

from __future__ import annotations

import re

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])( +|$)(.*)$")
_INLINE_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)]) +")

# Deeper lists are flattened to this depth: Python-Markdown parses nested lists
# recursively (slowly, and it fails past a few hundred levels).
MAX_LIST_DEPTH = 16
_QUOTED = re.compile(r"^((?: {0,3}>)+ ?)( *)(.*)$")
_MAX_QUOTED_INDENT = 4 * MAX_LIST_DEPTH


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _limit_inline_items(rest: str, allowed: int) -> str:
    """Drop list markers that open more than `allowed` nested lists on one line ("- - - - x")."""
    position, count, cut = 0, 0, -1
    while match := _INLINE_ITEM.match(rest, position):
        count += 1
        if count > allowed and cut < 0:
            cut = position
        position = match.end()
    return rest if cut < 0 else rest[:cut] + rest[position:]


def _limit_quoted_indent(line: str) -> str:
    """Cap the indentation inside a blockquote line (lists there are not renested)."""
    if ">" not in line[:4]:
        return line
    match = _QUOTED.match(line.expandtabs(4))
    if not match or len(match.group(2)) <= _MAX_QUOTED_INDENT:
        return line
    return match.group(1) + " " * _MAX_QUOTED_INDENT + match.group(3)


def nest_like_github(lines: list[str]) -> list[str]:
    out: list[str] = []
    content_columns: list[int] = []  # content column of each open list item, outermost first
    previous_blank = True
    previous_in_paragraph = False
    for raw in lines:
        raw = _limit_quoted_indent(raw)
        line = raw.expandtabs(4)
        if not line.strip():
            out.append("")
            previous_blank = True
            continue
        indent = _indent_of(line)
        item = _ITEM.match(line)
        if item and (content_columns or indent < 4):
            while content_columns and indent < content_columns[-1]:
                content_columns.pop()
            if len(content_columns) >= MAX_LIST_DEPTH:
                del content_columns[MAX_LIST_DEPTH - 1:]  # deeper items become siblings
            depth = len(content_columns)
            marker, spacing, rest = item.group(2), item.group(3), item.group(4)
            rest = _limit_inline_items(rest, MAX_LIST_DEPTH - depth - 1)
            if not content_columns and previous_in_paragraph and not previous_blank:
                starts_at_one = not marker[0].isdigit() or marker[:-1] == "1"
                if not starts_at_one:
                    out.append(line)
                    previous_blank = False
                    continue
                out.append("")  # GitHub lets a list interrupt a paragraph
            width = len(spacing) if 1 <= len(spacing) <= 4 else 1
            content_columns.append(indent + len(marker) + width)
            out.append(" " * (4 * depth) + marker + " " + rest)
            previous_blank = False
            previous_in_paragraph = False
            continue
        if content_columns:
            while content_columns and indent < content_columns[-1]:
                if not previous_blank:
                    break  # lazy continuation of the item's paragraph
                content_columns.pop()
            if content_columns and indent >= content_columns[-1]:
                extra = indent - content_columns[-1]
                out.append(" " * (4 * len(content_columns) + extra) + line.lstrip(" "))
                previous_blank = False
                continue
            if content_columns and not previous_blank:
                out.append(line)  # lazy continuation line
                continue
        out.append(raw)
        previous_blank = False
        previous_in_paragraph = indent < 4
    return out


class _NestingPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return nest_like_github(lines)


class GithubListNesting(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 (Python-Markdown's API name)
        # After fenced code blocks are stashed (25), before raw HTML blocks (20).
        md.preprocessors.register(_NestingPreprocessor(md), "kimsite_github_lists", 22)


# --- bounded link parsing -------------------------------------------------------------------
# Python-Markdown looks for the closing "]" and ")" of every "[" by scanning to the end
# of the paragraph, so "[[[[..." or "[a](" repeated takes quadratic time (minutes for a
# few tens of KB). The scans below share one budget per document, counted in characters
# (deterministic, no clock): ordinary articles use a small fraction of it; once a
# pathological paragraph has spent it, remaining brackets are shown as plain text.

LINK_SCAN_BUDGET = 1_000_000
_LINK_PROCESSORS = ("reference", "link", "image_link", "image_reference", "short_reference", "short_image_ref")


class _ScanBudget:
    def __init__(self) -> None:
        self.left = LINK_SCAN_BUDGET


def _bounded(base: type) -> type:
    class Bounded(base):  # type: ignore[misc, valid-type]
        budget: _ScanBudget

        def getText(self, data: str, index: int):  # noqa: N802 (Python-Markdown's API name)
            if self.budget.left <= 0:
                return "", index, False
            text, end, handled = super().getText(data[:index + self.budget.left], index)
            self.budget.left -= end - index
            return text, end, handled

        def getLink(self, data: str, index: int):  # noqa: N802
            if self.budget.left <= 0:
                return "", None, index, False
            window = data[:index + self.budget.left]
            if window.find(")", index) < 0 and not window.startswith("(<", index):
                self.budget.left -= 1
                return "", None, index, False
            href, title, end, handled = super().getLink(window, index)
            self.budget.left -= (end - index) if handled else len(window) - index
            return href, title, end, handled

        def evalId(self, data: str, index: int, text: str):  # noqa: N802
            if self.budget.left <= 0:
                return None, index, False
            window = data[:index + self.budget.left]
            ident, end, handled = super().evalId(window, index, text)
            self.budget.left -= (end - index) if handled else len(window) - index
            return ident, end, handled

    Bounded.__name__ = Bounded.__qualname__ = f"Bounded{base.__name__}"
    return Bounded


class BoundedLinks(Extension):
    """Replace the link and image processors by budgeted ones (same patterns, same output)."""

    def extendMarkdown(self, md) -> None:  # noqa: N802
        md.registerExtension(self)
        self.budget = _ScanBudget()
        for name in _LINK_PROCESSORS:
            if name not in md.inlinePatterns:
                continue
            original = md.inlinePatterns[name]
            priority = next(item.priority for item in md.inlinePatterns._priority if item.name == name)
            processor = _bounded(type(original))(original.pattern, md)
            processor.budget = self.budget
            md.inlinePatterns.register(processor, name, priority)

    def reset(self) -> None:
        self.budget.left = LINK_SCAN_BUDGET
