"""When cmark-gfm's output needs no sanitizing: the sanitizer would return it unchanged.

The sanitizer (kimsite.parse.sanitize) takes about as long as cmark-gfm itself. A text with no
"<" holds no raw HTML, so cmark-gfm writes only its own tags; most articles then use only
paragraphs, headings, emphasis, lists, quotes, code, tables and links, which the sanitizer keeps
byte for byte. `needs_no_sanitizing` says True only for such output, checked tag by tag against
the exact forms below; anything else (raw HTML, pictures, line breaks and rules written
`<br />` and `<hr />`, footnotes, task lists, character references, a no-break space, a
control character, an address with another scheme) goes through the sanitizer as before.
Tested against the sanitizer in tests/test_gfm_safe.py.
"""

from __future__ import annotations

import re

from kimsite.parse.mdplain import SANITIZER_REWRITTEN
from kimsite.parse.sanitize import MAX_NESTING

# An attribute value as cmark-gfm writes it: "&", "<", ">" and '"' escaped, no reference but "&amp;".
_VALUE = r'(?:[^"&<>]|&amp;)*'
# Addresses the sanitizer keeps as they are: relative ones (no ":"), and those of a scheme it
# allows that its URL parser reads: a web address's host written plainly, without a port, its
# last label a name ("%5C" in a host, port 99999, or a host ending in a number, which the parser
# reads as an IPv4 address, make it drop the address).
_KEPT_ADDRESS = (r'(?:[^":&<>]|&amp;)*'
                 rf"|https?://(?:[A-Za-z0-9-]+\.)*[A-Za-z][A-Za-z0-9-]*(?:[/?#]{_VALUE})?"
                 r"|mailto:[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|tel:\+?[0-9-]+")
# Every tag form cmark-gfm writes that the sanitizer keeps as it is (with the heading ids and
# cell alignment kimsite.parse.markup gives it).
_KEPT_TAG = ("<(?:/?(?:p|em|strong|del|ul|ol|li|blockquote|pre|code|table|thead|tbody|tr|th|td|h[1-6])|/a"
             rf'|a href="(?:{_KEPT_ADDRESS})"(?: title="{_VALUE}")?'
             r'|ol start="[0-9]+"|h[1-6] id="[a-z0-9_-]+"|code class="language-[A-Za-z0-9_+#-]+"'
             r'|t[hd] style="text-align:(?:left|center|right)")>')
_KEPT_TAGS = re.compile(_KEPT_TAG)
# Outside tags: only the three references cmark-gfm writes for text (the sanitizer writes them
# alike); it writes '"' as "&quot;", which the sanitizer writes as '"'.
_OTHER_REFERENCE = re.compile(r"&(?!amp;|lt;|gt;)")
# What the sanitizer removes or rewrites among characters: ASCII controls (tab and newline stay;
# a carriage return the HTML parser turns into a newline), and what it rewrites in the plain
# reader's output too (a no-break space, C1 controls, noncharacters, lone surrogates). In ASCII
# markup, the controls alone (found by deleting their bytes: a regex takes three times as long).
_REWRITTEN_CHARACTER = re.compile(f"[\x00-\x08\x0b-\x1f\x7f{SANITIZER_REWRITTEN}]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0b, 0x20), 0x7f])


def needs_no_sanitizing(text: str, markup: str) -> bool:
    """True when the sanitizer would return `markup`, cmark-gfm's output for `text` (through
    kimsite.parse.markup's converter), unchanged."""
    if "<" in text:  # raw HTML
        return False
    if "&" in markup and _OTHER_REFERENCE.search(markup):
        return False
    if markup.isascii():
        if len(markup.encode().translate(None, _CONTROL_BYTES)) != len(markup):
            return False
    elif _REWRITTEN_CHARACTER.search(markup):
        return False
    # Every "<" and ">" belongs to a kept tag (text has them escaped), and there are at most
    # MAX_NESTING tags (more could nest deeper than the sanitizer takes: it refuses those).
    # (Removing the kept tags and looking for what is left is the quickest way, in C.)
    left, tags = _KEPT_TAGS.subn("", markup)
    return tags <= MAX_NESTING and "<" not in left and ">" not in left
