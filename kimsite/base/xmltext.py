"""Escaping text for hand-written XML (the sitemap, OPML).

The same results as xml.sax.saxutils.escape / quoteattr, without importing that module
(it pulls in urllib.request and http.client, which every build would then load).
"""

from __future__ import annotations


def escape(text: str) -> str:
    """Text content: &, < and > escaped."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """An attribute value with its quotes; line breaks and tabs kept as character references."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))
