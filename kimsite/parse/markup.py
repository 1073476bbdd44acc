"""Markdown to safe HTML, in the two supported dialects.

`default` is Python-Markdown with: tables, fenced_code, footnotes, toc (heading
ids), sane_lists, and kimsite's GitHub-style list nesting (two-space indents
nest like github.com's preview). `gfm` is GitHub Flavored Markdown through
cmarkgfm, the renderer github.com uses. Both outputs go through the same
sanitizer (kimsite.parse.sanitize), except an output it would return unchanged
(kimsite.parse.mdplain.needs_no_sanitizing, kimsite.parse.gfm_safe).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Callable

from kimsite.parse.mdplain import convert_plain, needs_no_sanitizing
from kimsite.parse.sanitize import NestedTooDeep, sanitize_html
from kimsite.base.slugs import slugify

DIALECTS = ("default", "gfm")
PY_MARKDOWN_EXTENSIONS = ("tables", "fenced_code", "footnotes", "toc", "sane_lists")


_BACKLINK_TITLE = {"id": "Kembali ke teks (catatan %d)", "en": "Back to the text (note %d)"}


# Extensions that can only change the output when their syntax occurs in the text; an
# engine without them is faster and produces the same HTML otherwise.
_OPTIONAL_EXTENSIONS = (("tables", ("|",)), ("fenced_code", ("```", "~~~")), ("footnotes", ("[^",)))

@lru_cache(maxsize=None)
def _python_markdown_engine(lang: str, optional: frozenset[str], skipped_patterns: frozenset[str],
                            fast: bool = False):
    """The engine; `fast` ones get kimsite.parse.mdfast's drop-ins (faster, same output)."""
    import markdown

    from kimsite.parse.mdext import BoundedLinks, GithubListNesting
    from kimsite.parse.mdfast import speed_up

    # Extension objects, not names: a name makes Python-Markdown read every installed package's
    # entry points (30 ms, most of an edit build's parse).
    configs = {"toc": {"slugify": _heading_slug},
               "footnotes": {"BACKLINK_TITLE": _BACKLINK_TITLE.get(lang, _BACKLINK_TITLE["id"])}}
    extensions = [_extension_class(name)(**configs.get(name, {})) for name in PY_MARKDOWN_EXTENSIONS
                  if name in optional or name not in dict(_OPTIONAL_EXTENSIONS)]
    engine = markdown.Markdown(extensions=[*extensions, GithubListNesting(), BoundedLinks()], output_format="html")
    for name in skipped_patterns:
        if name in engine.inlinePatterns:
            engine.inlinePatterns.deregister(name)
    if fast:
        speed_up(engine)
    return engine


_EXTENSION_CLASSES = {"tables": "TableExtension", "fenced_code": "FencedCodeExtension",
                      "footnotes": "FootnoteExtension", "toc": "TocExtension", "sane_lists": "SaneListExtension"}


def _extension_class(name: str) -> type:
    """Imported only when used (fenced_code imports Pygments, when installed, through codehilite)."""
    import importlib

    return getattr(importlib.import_module(f"markdown.extensions.{name}"), _EXTENSION_CLASSES[name])


def python_markdown(text: str, lang: str = "id", trimmed: bool = True) -> str:
    """Python-Markdown with kimsite's extensions; `trimmed` skips what cannot match `text`,
    and writes a plain text without the engine (kimsite.parse.mdplain: the same output)."""
    if trimmed:
        plain = convert_plain(text, _heading_slug)
        if plain is not None:
            return plain
    return _engine_markdown(text, lang, trimmed)


def _engine_markdown(text: str, lang: str, trimmed: bool) -> str:
    """Python-Markdown itself (see python_markdown)."""
    if trimmed:
        # Python-Markdown deletes STX and ETX before parsing, which can join marks ("`\x02``").
        probe = text.replace("\x02", "").replace("\x03", "") if "\x02" in text or "\x03" in text else text
        needed = frozenset(name for name, marks in _OPTIONAL_EXTENSIONS if any(m in probe for m in marks))
        # Likewise for inline patterns: one whose trigger never occurs in the source cannot match
        # (kimsite.parse.mdfast holds the table; tests/test_markup_engines.py checks the engines agree).
        from kimsite.parse.mdfast import SOURCE_TRIGGERS

        skipped = frozenset(name for name, marks in SOURCE_TRIGGERS.items() if not any(mark in probe for mark in marks))
    else:
        needed, skipped = frozenset(dict(_OPTIONAL_EXTENSIONS)), frozenset()
    engine = _python_markdown_engine(lang, needed, skipped, trimmed)
    engine.reset()
    return engine.convert(text)


def _default_dialect(text: str, lang: str) -> str:
    """Python-Markdown's output, sanitized. Most plain texts' (kimsite.parse.mdplain) is what the
    sanitizer would return: a fifth of a cold build's parse time is saved by not running it."""
    plain = convert_plain(text, _heading_slug)
    if plain is not None:
        return plain if needs_no_sanitizing(plain) else sanitize_html(plain)
    return sanitize_html(_engine_markdown(text, lang, trimmed=True))


# cmark-gfm turns "&#xFFFE;" and "&#xFFFF;" into bytes that are not UTF-8 (and then fails).
_NONCHARACTER_REFERENCE = re.compile(r"&#(?:[xX]0*[fF]{3}[eEfF]|0*6553[45]);")


GFM_EXTENSIONS = ("table", "autolink", "tagfilter", "strikethrough", "tasklist")
# cmark-gfm aligns table cells with the align attribute, which HTML made obsolete (written as
# the sanitizer writes a style).
_CELL_ALIGN = re.compile(r'<(th|td) align="(left|center|right)">')


@lru_cache(maxsize=None)
def _github_markdown() -> Callable[[str], str]:
    import cmarkgfm
    from cmarkgfm.cmark import Options

    options = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES

    def convert(text: str) -> str:
        text = _NONCHARACTER_REFERENCE.sub("&#xFFFD;", text)
        # github.com's extensions without its <pre lang="java"> (not HTML): <code class="language-java">.
        markup = cmarkgfm.markdown_to_html_with_extensions(text, options=options, extensions=GFM_EXTENSIONS)
        return _add_heading_ids(_CELL_ALIGN.sub(r'<\1 style="text-align:\2">', markup))

    return convert


@lru_cache(maxsize=None)
def _gfm_needs_no_sanitizing() -> Callable[[str, str], bool]:
    """kimsite.parse.gfm_safe's test, its patterns compiled only by builds that read gfm."""
    from kimsite.parse import gfm_safe

    return gfm_safe.needs_no_sanitizing


def _heading_slug(value: str, separator: str) -> str:
    return slugify(value) or "bagian"


_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _add_heading_ids(markup: str) -> str:
    """Give gfm headings the same ids Python-Markdown's toc gives (github.com adds them too)."""
    used: dict[str, int] = {}

    def with_id(match: re.Match[str]) -> str:
        base = _heading_slug(html.unescape(_TAG.sub("", match.group(2))), "-")
        count = used.get(base, 0)
        used[base] = count + 1
        ident = base if count == 0 else f"{base}_{count}"
        return f'<h{match.group(1)} id="{ident}">{match.group(2)}</h{match.group(1)}>'

    return _HEADING.sub(with_id, markup)


def markdown_to_html(text: str, dialect: str = "default", lang: str = "id") -> str:
    """Render Markdown in `dialect` and sanitize the result."""
    return render_markdown(text, dialect, lang)[0]


# Python-Markdown (the default dialect) slows down quadratically on some inputs: thousands
# of lines of headings or rules, or thousands of "<", "[", "`", "\\", "*" or "_" in one paragraph.
# Such texts are read by cmark-gfm instead, which takes linear time (a warning says so).
MAX_DEFAULT_LINES = 3000
MAX_DEFAULT_MARKS_PER_BLOCK = 1500
_BLOCKS = re.compile(r"\n[ \t]*\n")
_MARK_CHARACTERS = "<[`\\*_"


def _marks_in(text: str) -> int:
    """How many characters of _MARK_CHARACTERS `text` holds (six C-level counts: a regex
    findall made a string per mark)."""
    return sum(text.count(mark) for mark in _MARK_CHARACTERS)


def too_complex_for_default(text: str) -> bool:
    """True when Python-Markdown could take seconds on `text` (a cheap, deterministic test)."""
    if text.count("\n") > MAX_DEFAULT_LINES:
        return True
    if _marks_in(text) <= MAX_DEFAULT_MARKS_PER_BLOCK:
        return False
    return any(_marks_in(block) > MAX_DEFAULT_MARKS_PER_BLOCK for block in _BLOCKS.split(text))


def render_markdown(text: str, dialect: str = "default", lang: str = "id") -> tuple[str, str]:
    """(safe HTML, ""), or (safe HTML, the code of a warning): "markdown_too_complex" when the
    text was too complex for its dialect's reader and was read by cmark-gfm instead (or, should
    that fail too, shown as plain text), "html_nested_too_deep" when its HTML nests deeper than
    any page does and it is shown as plain text."""
    if dialect != "gfm" and not too_complex_for_default(text):
        try:
            return _default_dialect(text, lang), ""
        except RecursionError:
            pass
        except NestedTooDeep:
            return plain_paragraphs(text), NESTED
    elif dialect == "gfm":
        try:
            markup = _github_markdown()(text)
            return (markup if _gfm_needs_no_sanitizing()(text, markup) else sanitize_html(markup)), ""
        except NestedTooDeep:
            return plain_paragraphs(text), NESTED
        except (RecursionError, UnicodeError):
            return plain_paragraphs(text), TOO_COMPLEX
    try:
        return sanitize_html(_github_markdown()(text)), TOO_COMPLEX
    except NestedTooDeep:
        return plain_paragraphs(text), NESTED
    except (RecursionError, UnicodeError):
        return plain_paragraphs(text), TOO_COMPLEX


TOO_COMPLEX = "markdown_too_complex"
NESTED = "html_nested_too_deep"


def plain_paragraphs(text: str) -> str:
    """Text shown as it was written: escaped, one paragraph per blank-line-separated block."""
    blocks = (block.strip() for block in re.split(r"\n[ \t]*\n", text))
    return "".join(f"<p>{html.escape(block, quote=False)}</p>\n" for block in blocks if block)


_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_SPACES = re.compile(r"\s+")


def plain_text(markup: str) -> str:
    return _SPACES.sub(" ", html.unescape(_TAG.sub(" ", markup))).strip()


def excerpt(markup: str, limit: int = 220) -> str:
    """A plain-text summary: the first paragraph, cut at a word boundary."""
    for match in _PARAGRAPH.finditer(markup):
        text = plain_text(match.group(1))
        if text:
            break
    else:
        text = plain_text(markup)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:–-")
    return cut + "…"


def word_count(text: str) -> int:
    """Words of the Markdown source (close enough for a reading time, and cheap)."""
    return len(text.split())