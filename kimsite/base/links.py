"""Links inside article HTML that point at the KIM's own files.

While parsing, relative links are resolved against the article's folder and
turned into placeholders that do not depend on where the site is published:
`kimsite:site/<path>` for files (media, images) and `kimsite:md/<path>` for
links to other Markdown sources. When a document is made ready for rendering
(kimsite.pages.ready), the placeholders become root-relative or absolute URLs (`resolve`).
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

from kimsite.base.foreign import is_markdown

SITE_PREFIX = "kimsite:site/"
MD_PREFIX = "kimsite:md/"

_URL_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')
# The same without the leading \b, which lets the regex engine skip ahead to an "h" or "s":
# twice as fast on a long article. Text such as 'xhref="' (no word boundary) sends the whole
# markup back to the exact pattern (see localize).
_QUICK_URL_ATTRIBUTE = re.compile(r'(href|src)="([^"]*)"')
_WORD_CHARACTER = re.compile(r"\w")
_HAS_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_MD_PLACEHOLDER = re.compile(r'"kimsite:md/([^"#?]*)([^"]*)"')


@dataclass(frozen=True, slots=True)
class LinkRef:
    target_type: str  # what the link points at: "md" (another source file) or "file" (media, images, anything else)
    target: str  # path relative to the KIM's content folder, normalized
    written: str  # the link as the author wrote it
    line: int = 0  # file line where it was written (0 when unknown)


@dataclass(frozen=True, slots=True)
class EscapingLink:
    written: str


def localize(markup: str, source_dir: str) -> tuple[str, tuple[LinkRef, ...], tuple[EscapingLink, ...]]:
    """Replace relative links by placeholders; links leaving the KIM folder are removed."""
    if 'href="' not in markup and 'src="' not in markup:
        return markup, (), ()
    refs: list[LinkRef] = []
    escaping: list[EscapingLink] = []
    exact = False

    def replace(match: re.Match[str]) -> str:
        nonlocal exact
        if not exact and match.start() and _WORD_CHARACTER.match(markup, match.start() - 1):
            exact = True  # not at a word boundary: this pass is redone with the exact pattern
        attribute, value = match.group(1), match.group(2)
        written = html.unescape(value)
        if not written or written.startswith(("#", "/", "?")) or _HAS_SCHEME.match(written):
            return match.group(0)
        path, suffix = _split_suffix(written)
        local = unquote(path).replace("\\", "/")  # Windows-style "media\\foto.jpg"
        target = posixpath.normpath(posixpath.join(source_dir, local))
        if target == ".." or target.startswith("../") or target.startswith("/") or "\\" in target:
            escaping.append(EscapingLink(written))
            return ""
        if target == ".":
            return match.group(0)
        suffix_html = html.escape(suffix, quote=True)
        if is_markdown(target):
            refs.append(LinkRef("md", target, written))
            return f'{attribute}="{MD_PREFIX}{quote(target)}{suffix_html}"'
        refs.append(LinkRef("file", target, written))
        return f'{attribute}="{SITE_PREFIX}{quote(target)}{suffix_html}"'

    result = _sub_url_attributes(markup, replace)
    if exact:
        refs.clear()
        escaping.clear()
        result = _URL_ATTRIBUTE.sub(replace, markup)
    return result, tuple(refs), tuple(escaping)


def _sub_url_attributes(markup: str, replace) -> str:  # type: ignore[no-untyped-def]
    """`_QUICK_URL_ATTRIBUTE.sub(replace, markup)`, found faster: the regex engine tries a match
    at every "h" and "s" of the text, while every match has an '="' that str.find reaches at C
    speed; a match starts at the "href" or "src" just before it (tests/test_properties.py)."""
    parts: list[str] = []
    done = 0  # markup[:done] is in parts; matches start at or after it, as re.sub's do
    position = markup.find('="')
    while position != -1:
        if markup.startswith("href", position - 4) and position - 4 >= done:
            start = position - 4
        elif markup.startswith("src", position - 3) and position - 3 >= done:
            start = position - 3
        else:
            position = markup.find('="', position + 1)
            continue
        match = _QUICK_URL_ATTRIBUTE.match(markup, start)
        if match is None:  # no closing quote after this one: none after any later one either
            break
        parts.append(markup[done:start])
        parts.append(replace(match))
        done = match.end()
        position = markup.find('="', done)
    if not parts:
        return markup
    parts.append(markup[done:])
    return "".join(parts)


def _split_suffix(url: str) -> tuple[str, str]:
    """The path of a link and its query and fragment: they begin at the first "?" or "#" (a
    "?" after the "#" belongs to the fragment)."""
    ends = [position for position in (url.find("?"), url.find("#")) if position != -1]
    if not ends:
        return url, ""
    return url[:min(ends)], url[min(ends):]


def resolve(markup: str, site_root: str, md_urls: dict[str, str] | None = None) -> str:
    """Turn placeholders into URLs under `site_root` ("/kim/maniis-harmonis/" or absolute).

    `md_urls` maps a Markdown source path (relative to the KIM folder) to the URL of
    the page it became; a link to an unknown source points at the site's home.
    """
    if "kimsite:" not in markup:
        return markup
    if MD_PREFIX in markup:
        urls = md_urls or {}

        def to_page(match: re.Match[str]) -> str:
            url = urls.get(unquote(match.group(1)), site_root)
            return f'"{html.escape(url, quote=True)}{match.group(2)}"'

        markup = _MD_PLACEHOLDER.sub(to_page, markup)
    return markup.replace('"' + SITE_PREFIX, '"' + site_root)


def line_of(body: str, body_line: int, needle: str) -> int:
    """The file line where `needle` first appears in the body (the body's first line if not found)."""
    position = body.find(needle)
    return body_line if position < 0 else body_line + body.count("\n", 0, position)
