"""Content written for other generators (Jekyll, Hugo, Notepad): recognised and explained.

Files named almost like Markdown (`rapat.md.txt`, `rapat.mdown`), Hugo's `_index.md`,
TOML front matter (`+++`), Hugo shortcodes and Liquid tags would otherwise be skipped
without a word or published as literal text. Each gets a message saying what it is
and what to write instead.
"""

from __future__ import annotations

import re

from kimsite.base.problems import Problem, error

MARKDOWN_SUFFIXES = (".md", ".markdown")
# Extensions other tools give Markdown; kimsite reads only .md and .markdown.
_OTHER_MARKDOWN = (".mdown", ".mkd", ".mkdn", ".mdwn", ".mdtxt", ".mdtext", ".mdx", ".rmd", ".txtmd")
# What editors append to a name ("rapat.md.txt" from Notepad, "rapat.md.docx" from Word).
_APPENDED = (".txt", ".text", ".doc", ".docx", ".rtf", ".odt", ".html", ".htm")
HUGO_SECTION_PAGES = frozenset({"_index.md", "_index.markdown"})


def is_markdown(name: str) -> bool:
    """A Markdown source by its name (any case: `Rapat.MD` too)."""
    lower = name.lower()
    return lower.endswith(MARKDOWN_SUFFIXES)


def name_problem(name: str) -> tuple[str, dict[str, str]] | None:
    """(message code, arguments) for a file whose name is a near-miss of a Markdown source."""
    lower = name.rstrip(". ").lower()
    if lower in HUGO_SECTION_PAGES:
        return "hugo_index_page", {}
    for appended in _APPENDED:
        if lower.endswith(appended) and lower[: -len(appended)].endswith(MARKDOWN_SUFFIXES):
            return "markdown_name_near_miss", {"fix": name.rstrip(". ")[: -len(appended)]}
    for suffix in _OTHER_MARKDOWN:
        if lower.endswith(suffix):
            return "markdown_name_near_miss", {"fix": name.rstrip(". ")[: -len(suffix)] + ".md"}
    if name != name.rstrip(". ") and is_markdown(name.rstrip(". ")):
        return "markdown_name_near_miss", {"fix": name.rstrip(". ")}
    return None


_TOML_OPENING = re.compile(r"\+\+\+[ \t]*\n")


def is_toml_front_matter(text: str) -> bool:
    """Hugo's TOML front matter, between two "+++" lines."""
    return _TOML_OPENING.match(text) is not None


# Code (fenced blocks and inline spans) is shown as written: template syntax there is meant.
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}\1[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_SHORTCODE = re.compile(r"\{\{(<|%)\s*/?\s*([A-Za-z][\w.-]*)[^\n]*?(?:>|%)\}\}")
_LIQUID_TAG = re.compile(r"(?<!\{)\{%-?\s*([A-Za-z]\w*)[^\n]*?-?%\}")
_VARIABLE = re.compile(r"\{\{-?\s*([A-Za-z_.$][\w.$]*)[^\n{}]*?-?\}\}")
_EMBEDDED = frozenset({"youtube"})  # shortcodes kimsite renders itself (kimsite.media.embeds)


def _blank_code(body: str) -> str:
    """`body` with code blocks and inline code replaced by spaces (line numbers kept)."""
    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    if "`" not in body and "~~~" not in body:
        return body
    return _INLINE_CODE.sub(blank, _FENCE.sub(blank, body))


def template_problems(body: str, body_line: int, file: str) -> list[Problem]:
    """Hugo shortcodes (other than youtube), Liquid tags and template variables in the text:
    kimsite does not run them, so they would be published as literal text."""
    if "{{" not in body and "{%" not in body:
        return []
    text = _blank_code(body)
    problems: list[Problem] = []

    def line_at(position: int) -> int:
        return body_line + text.count("\n", 0, position)

    for match in _SHORTCODE.finditer(text):
        name = match.group(2)
        if name.lower() in _EMBEDDED:
            if not _renders_as_video(text, match):
                problems.append(error(file, line_at(match.start()), "youtube_shortcode_form",
                                      written=_short(match.group(0))))
            continue
        code = "hugo_figure" if name.lower() == "figure" else "hugo_shortcode"
        problems.append(error(file, line_at(match.start()), code, written=_short(match.group(0)), name=name))
    for match in _LIQUID_TAG.finditer(text):
        code = "liquid_include" if match.group(1).lower() in ("include", "include_relative") else "liquid_tag"
        problems.append(error(file, line_at(match.start()), code, written=_short(match.group(0)), name=match.group(1)))
    for match in _VARIABLE.finditer(text):
        if match.group(0).startswith(("{{<", "{{%")):
            continue
        problems.append(error(file, line_at(match.start()), "template_variable", written=_short(match.group(0))))
    return problems


_YOUTUBE_FORM = re.compile(r'\{\{<\s*youtube\s+[A-Za-z0-9_-]{11}(?:\s+"[^"\n]*")?\s*>\}\}')


def _renders_as_video(text: str, match: re.Match[str]) -> bool:
    """The form kimsite.media.embeds turns into a video: the ID (and a caption), alone on its line."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    alone = not text[line_start:match.start()].strip() and not text[match.end():None if line_end < 0 else line_end].strip()
    return alone and _YOUTUBE_FORM.fullmatch(match.group(0)) is not None


def _short(written: str) -> str:
    return written if len(written) <= 60 else written[:57] + "…"
