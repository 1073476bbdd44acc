"""Plain Markdown without the engine: Python-Markdown's output for the plainest texts.

Most articles are paragraphs, "## headings", "- " and "1. " lists, **bold**, *italics*,
[links](https://...) and ![images](media/x.jpg). For a text written only with those, in their
plainest form (no indentation, no HTML, no character that could begin any other syntax), what
kimsite's Python-Markdown engine produces is fixed, and `convert_plain` writes it directly,
several times faster. For anything else, and whenever in doubt, it returns None and the caller
runs Python-Markdown: a text is either refused or written exactly as the engine writes it.

What it follows of the engine (and of kimsite's list nesting, kimsite.parse.mdext): a heading
line splits its block wherever it stands; a "- " or "1. " item may interrupt a paragraph, but
not a line that follows an item; a list after a blank line joins the list before it, and the
items on both sides of the blank get their text in <p>; an ordered list starting at another
number gets `start`; heading ids are the toc extension's (`unique_id` is its `unique`).

What is refused, and why (each is syntax, or could be, somewhere in Python-Markdown or its
extensions used by kimsite):
- anywhere: "<", ">", "`", "\\", "|", "~~~", "]:", "[^", "&#" (the engine's HTML reader
  completes a reference that lacks its ";"), control characters (tab, STX and ETX included),
  white space ending a line (two spaces are a line break), "_" outside an address;
- at a line start: white space (indented code, nested lists, lazy lines), "#" except a
  heading line, ">", "=", "-" and "+" and "*" except as noted, a number and "." or ")";
- "*" except in whole runs of one or two that pair ("**a**", "*a*"), opening before a
  non-space and closing after one;
- "[" and "]" except in a link "[text](url)" or an image "![alt](src)" with a plain text and
  an address without spaces, quotes, brackets or parentheses (no title); an image in a link
  or in its address; an image with a quote in its alt;
- headings other than "#" to "######", a space and plain text (no "*", "_", "[", "&", "#");
- a list item continued on the next line, or a line that is not an item in a list's block;
- a "1. " item in a list that starts right after a heading at another number (the engine
  splits the list there);
- texts longer than MAX_PLAIN_LENGTH.

The equality with Python-Markdown is tested in tests/test_markup_plain.py, on generated
texts and on every Markdown file the project ships.
"""

from __future__ import annotations

import re

from kimsite.parse.sanitize import URL_SCHEMES

# A character in any of these means some syntax may be present.
# ("&#": the engine's HTML reader completes a numeric reference that lacks its ";".)
_REFUSED_ANYWHERE = ("<", ">", "`", "\\", "|", "~~~", "]:", "[^", "&#")
# Control characters (tab, carriage return, STX and ETX included) and the other line breaks.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_HEADING = re.compile(r"(#{1,6}) +([^#*\[&_\s][^#*\[&_]*)")
_BULLET = "- "
_NUMBERED = re.compile(r"([1-9]\d{0,8})\. ")
# A paragraph line may not start like a block: white space, a heading, quote, rule, setext
# underline, list item or table; "*" and "+" only when not followed by a space ("**Catatan:**").
_BLOCK_START = re.compile(r"\s|[#>=\-_|]|[*+](?:\s|$)|\d+[.)](?:\s|$)|\*[*\s]*$")
# A link whose text has no brackets and does not start or end with white space; its address
# has no white space, quotes, brackets or parentheses (nothing the engine reads a title from).
_LINK = re.compile(r"\[([^\[\]\s_^](?:[^\[\]\n_^]*[^\[\]\s_^])?)\]\(([^\s()<>\"'\[\]]+)\)")
# An image: its text is the alt attribute as written (the engine does not read it as Markdown).
_IMAGE = re.compile(r"!\[([^\[\]\n\"]*)\]\(([^\s()<>\"'\[\]]+)\)")
# A whole run of one or two "*", text without "*" that starts and ends with a non-space,
# and a whole run of as many. (Written to begin with the "*" itself, so that the regex engine
# looks for it as a literal, rather than trying a match at every character: ten times faster.
# Group 1 is the run's second "*", if any.)
_EMPHASIS = re.compile(r"\*(?<!\*\*)(\*?)([^*\s](?:[^*]*[^*\s])?)\*\1(?!\*)")
_PLACEHOLDER = "\x02{}\x03"
_PLACEHOLDERS = re.compile(r"\x02(\d+)\x03")

# Longer texts are left to the engine (its link scans share a budget per document).
MAX_PLAIN_LENGTH = 100_000


def convert_plain(text: str, heading_slug) -> str | None:  # type: ignore[no-untyped-def]
    """The engine's HTML for `text`, or None when `text` is not plain enough to be sure.

    `heading_slug(text, separator)` is the toc extension's slugify, as configured."""
    if len(text) > MAX_PLAIN_LENGTH:
        return None
    for mark in _REFUSED_ANYWHERE:
        if mark in text:
            return None
    lines = text.split("\n")
    # Every character _CONTROL finds is one str.isprintable refuses, and that check runs at C
    # speed: the expression runs only on a text with a line it refuses (a no-break space, say).
    if not all(map(str.isprintable, lines)) and _CONTROL.search(text):
        return None
    document = _Document(heading_slug)
    block: list[str] = []
    list_open = False  # an item since the last blank line: kimsite's list nesting is in a list
    after_heading = False  # the previous line is a heading
    # The engine splits a list that starts right after a heading, at another number than 1,
    # before each later "1. " item (and makes the items on both sides loose): refused.
    restarts_split = False
    for line in lines:
        if not line:
            if block and not document.add_block(block):
                return None
            block = []
            list_open = after_heading = False
            continue
        if line[-1].isspace():
            return None  # white space ending a line: a line break, or a line of spaces only
        heading = _HEADING.fullmatch(line) if line[0] == "#" else None
        if heading is None:
            starts_list = _starts_list(line)
            if not block:
                restarts_split = after_heading and line[0].isdigit() and not line.startswith("1. ")
            elif restarts_split and starts_list:
                return None
            after_heading = False
            if block and not list_open and starts_list:
                # kimsite's list nesting lets a list interrupt a paragraph, as on GitHub (not
                # after an item: there, every line up to a blank one continues the list).
                if not document.add_block(block):
                    return None
                block = []
            list_open = list_open or starts_list or (line[0].isdigit() and _NUMBERED.match(line) is not None)
            block.append(line)
            continue
        # A heading line is a block of its own wherever it is (the engine splits around it).
        if block and not document.add_block(block):
            return None
        block = []
        after_heading = True
        document.add_heading(len(heading.group(1)), heading.group(2))
    if block and not document.add_block(block):
        return None
    return document.html()


def _starts_list(line: str) -> bool:
    """A "- " item, or a "1. " one (another number does not interrupt a paragraph)."""
    return line.startswith(_BULLET) or line.startswith("1. ")


class _List:
    """A list being written: the engine adds a list that follows one of its kind (after a
    blank line) to it, and puts the text of the items on both sides of the blank in <p>."""

    def __init__(self, kind: str, start: str) -> None:
        self.kind, self.start = kind, start
        self.items: list[list] = []  # [html, loose]

    def html(self) -> str:
        start = f' start="{self.start}"' if self.start != "1" else ""
        items = "".join(f"<li>\n<p>{html}</p>\n</li>\n" if loose else f"<li>{html}</li>\n"
                        for html, loose in self.items)
        return f"<{self.kind}{start}>\n{items}</{self.kind}>"


class _Document:
    """The blocks of one text as they are read: headings, paragraphs and open lists."""

    def __init__(self, heading_slug) -> None:  # type: ignore[no-untyped-def]
        self.heading_slug = heading_slug
        self.parts: list[str | _List] = []
        self.used_ids: set[str] = set()

    def add_heading(self, level: int, text: str) -> None:
        # The toc extension slugifies the heading's text with its white space collapsed.
        ident = unique_id(self.heading_slug(" ".join(text.split()), "-"), self.used_ids)
        self.parts.append(f'<h{level} id="{ident}">{text}</h{level}>')

    def add_block(self, lines: list[str]) -> bool:
        """Add a paragraph or a list; False when the block is not plain."""
        first = lines[0]
        if first.startswith(_BULLET):
            return self._add_list("ul", "1", [line[len(_BULLET):] if line.startswith(_BULLET) else None
                                              for line in lines])
        numbered = _NUMBERED.match(first) if first[0].isdigit() else None
        if numbered is not None:
            matches = [_NUMBERED.match(line) for line in lines]
            return self._add_list("ol", numbered.group(1),
                                  [line[match.end():] if match else None for line, match in zip(lines, matches)])
        if any(_BLOCK_START.match(line) for line in lines):
            return False
        inner = _inline("\n".join(lines))
        if inner is None:
            return False
        self.parts.append(f"<p>{inner}</p>")
        return True

    def _add_list(self, kind: str, start: str, contents: list[str | None]) -> bool:
        rendered = []
        for content in contents:
            # Every line is an item, whose text does not itself start like a block ("- - x", "- # x").
            if not content or _BLOCK_START.match(content):
                return False
            html = _inline(content)
            if html is None:
                return False
            rendered.append([html, False])
        previous = self.parts[-1] if self.parts else None
        if isinstance(previous, _List) and previous.kind == kind:
            previous.items[-1][1] = True
            rendered[0][1] = True
            previous.items.extend(rendered)
        else:
            new = _List(kind, start)
            new.items = rendered
            self.parts.append(new)
        return True

    def html(self) -> str:
        return "\n".join(part if isinstance(part, str) else part.html() for part in self.parts)


def _inline(text: str) -> str | None:
    """The HTML of one block's text, or None: images and links (a link's text read on its own),
    then "*" pairs, then "&" escaped as the serializer does."""
    stashed: list[str] = []  # the HTML of each image and link, by placeholder number

    def stash_image(match: re.Match[str]) -> str:
        stashed.append(f'<img alt="{_escape(match.group(1))}" src="{_escape(match.group(2))}">')
        return _PLACEHOLDER.format(len(stashed) - 1)

    def stash_link(match: re.Match[str]) -> str:
        label, href = match.group(1), match.group(2)
        if match.start() and match.string[match.start() - 1] == "!":
            raise _Refused  # an image _IMAGE does not take (a quote in its alt): the engine's
        label_html = _emphasis(_escape(label)) if "*" in label else _escape(label)
        if label_html is None or "\x02" in label or "\x02" in href:  # an image in a link: the engine's
            raise _Refused
        stashed.append(f'<a href="{_escape(href)}">{label_html}</a>')
        return _PLACEHOLDER.format(len(stashed) - 1)

    if "[" in text or "]" in text:
        try:
            if "![" in text:
                text = _IMAGE.sub(stash_image, text)
            text = _LINK.sub(stash_link, text)
        except _Refused:
            return None
        if "[" in text or "]" in text:
            return None
    if "_" in text:  # outside a link's address, "_" may be emphasis
        return None
    text = _escape(text)
    if "*" in text:
        emphasized = _emphasis(text)
        if emphasized is None:
            return None
        text = emphasized
    if stashed:
        text = _PLACEHOLDERS.sub(lambda m: stashed[int(m.group(1))], text)
    return text


class _Refused(Exception):
    pass


def _emphasis(text: str) -> str | None:
    """Pairs of "**" or "*" runs, each opening before a non-space and closing after one, with
    no other "*" between: what the engine's `not_strong` and `em_strong` patterns make of them.
    Any other "*" (a run of three, one left over, one by a space) is refused."""
    text = _EMPHASIS.sub(_emphasized, text)
    return None if "*" in text else text


def _emphasized(match: re.Match[str]) -> str:
    tag = "strong" if match.group(1) else "em"
    return f"<{tag}>{match.group(2)}</{tag}>"


_ID_COUNT = re.compile(r"^(.*)_([0-9]+)$")


def unique_id(ident: str, used: set[str]) -> str:
    """The toc extension's `unique` (markdown.extensions.toc), here so that a plain text is
    read without importing the engine at all: `ident`, or else it with "_1", "_2"... (counting
    on from a number it already ends with) until one is unused; the result is added to `used`."""
    if ident in used or not ident:
        match = _ID_COUNT.match(ident)
        base, count = (match.group(1), int(match.group(2))) if match else (ident, 0)
        count += 1
        while f"{base}_{count}" in used:
            count += 1
        ident = f"{base}_{count}"
    used.add(ident)
    return ident


# The serializer's pattern (markdown.serializers.RE_AMP, tested equal): an "&" that does not
# begin an entity or a character reference.
AMPERSAND = re.compile(r"&(?!(?:\#[0-9]+|\#x[0-9a-f]+|[0-9a-z]+);)", re.I)


# What the sanitizer (kimsite.parse.sanitize) changes in this module's output: it writes a
# no-break space as "&nbsp;" and removes C1 controls and what XML forbids. (The ASCII controls
# it removes are refused by convert_plain; every other character passes it unchanged.)
SANITIZER_REWRITTEN = "\x80-\x9f\u00a0\ufffe\uffff\ud800-\udfff"  # (a character class's inside)
_SANITIZER_REWRITES = re.compile(f"[{SANITIZER_REWRITTEN}]")
_ALLOWED_SCHEMES = tuple(f"{scheme}:" for scheme in sorted(URL_SCHEMES))


def needs_no_sanitizing(markup: str) -> bool:
    """True when the sanitizer would return `markup`, an output of `convert_plain`, unchanged.

    That output holds only the tags and attributes the sanitizer allows (text cannot hold "<").
    What the sanitizer still changes, and makes this False: a character or entity reference
    other than "&amp;" (it writes the character, or "&amp;" before an unknown name), a no-break
    space, a character XML forbids, and an address with a scheme other than http, https, mailto
    and tel (it drops the attribute; "JavaScript:" and "javascript&colon;" included). Tested
    against the sanitizer in tests/test_markup_plain.py."""
    if "&" in markup and markup.count("&") != markup.count("&amp;"):
        return False
    if not markup.isascii() and _SANITIZER_REWRITES.search(markup):
        return False
    for address in addresses(markup):
        if ":" in address and not address.startswith(_ALLOWED_SCHEMES):
            return False
    return True


def addresses(markup: str) -> list[str]:
    """Every href="…" and src="…" value, left to right: what `re.findall(r'(?:href|src)="([^"]*)"',
    markup)` finds, by looking for '="' with str.find (that expression begins with an alternation
    and is tried at every character: 37 against 8 µs on a 5 KB article). Tested against it in
    tests/test_markup_plain.py."""
    found = []
    find = markup.find
    position = find('="')
    while position != -1:
        if markup.endswith("href", 0, position) or markup.endswith("src", 0, position):
            end = find('"', position + 2)
            if end == -1:  # no closing quote, and so no '="' further on either
                break
            found.append(markup[position + 2:end])
            position = find('="', end + 1)
        else:
            position = find('="', position + 1)
    return found


def _escape(text: str) -> str:
    """The serializer's escaping for the characters a plain text may hold ("<" and ">" are refused)."""
    return AMPERSAND.sub("&amp;", text) if "&" in text else text
