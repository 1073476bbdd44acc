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


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def nest_like_github(lines: list[str]) -> list[str]:
    out: list[str] = []
    content_columns: list[int] = []  # content column of each open list item, outermost first
    previous_blank = True
    previous_in_paragraph = False
    for raw in lines:
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
            depth = len(content_columns)
            marker, spacing, rest = item.group(2), item.group(3), item.group(4)
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
