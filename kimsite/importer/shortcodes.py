"""WordPress shortcodes: converted where their meaning is clear, otherwise kept as text and reported.

- `[caption ...]<img ...> Keterangan[/caption]` -> the picture and its caption;
- `[gallery ids="1,2"]` (or without ids: the post's own attachments) -> the pictures, one per line;
- `[embed]URL[/embed]`, `[youtube URL]`, `[video src="URL"]`, `[audio src="URL"]` -> the address alone
  on a line (a YouTube address becomes kimsite's own video box).
Anything else that looks like a shortcode (`[contact-form-7 id="3"]`, `[foo]...[/foo]`) stays as
written and is named in the import report.
"""

from __future__ import annotations

import html
import re

from kimsite.importer.entries import Attachments

_CAPTION = re.compile(r"\[(caption|wp_caption)\b([^\]]*)\](.*?)\[/\1\]", re.DOTALL | re.IGNORECASE)
_GALLERY = re.compile(r"\[gallery\b([^\]]*)\]", re.IGNORECASE)
_EMBED = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.DOTALL | re.IGNORECASE)
_MEDIA = re.compile(r"\[(youtube|video|audio)\b([^\]]*)\](?:(.*?)\[/\1\])?", re.DOTALL | re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")
_OTHER = re.compile(r"\[([a-z][a-z0-9_-]{1,40})((?:\s+[^\]]*)?)\]", re.IGNORECASE)
_PICTURE = re.compile(r"(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_URL = re.compile(r"https?://[^\s\"'<>\]]+")


def expand(text: str, post_id: str, attachments: Attachments) -> tuple[str, list[str]]:
    """`text` with the shortcodes it understands converted to HTML; and the names of those it kept."""
    if "[" not in text:
        return text, []
    text = _CAPTION.sub(_caption, text)
    text = _GALLERY.sub(lambda match: _gallery(match, post_id, attachments), text)
    text = _EMBED.sub(lambda match: _address_paragraph(match.group(1)), text)
    text = _MEDIA.sub(_media, text)
    kept = []
    for match in _OTHER.finditer(text):
        name = match.group(1)
        if match.group(2).strip() and "=" in match.group(2) or f"[/{name}]" in text:
            kept.append(name.lower())
    return text, sorted(set(kept))


def _attributes(text: str) -> dict[str, str]:
    return {m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTRIBUTE.finditer(text)}


def _caption(match: re.Match) -> str:
    inner = match.group(3)
    picture = _PICTURE.search(inner)
    caption = " ".join(_TAG.sub(" ", _PICTURE.sub(" ", inner)).split()) or \
        _attributes(match.group(2)).get("caption", "")
    if picture is None:
        return f"<p>{html.escape(caption)}</p>" if caption else ""
    image = picture.group(0)
    if caption and not re.search(r'alt="[^"]', image):
        image = re.sub(r'\balt="[^"]*"', "", image).replace("<img", f'<img alt="{html.escape(caption)}"', 1)
    return f"<p>{image}</p>" + (f"<p><em>{html.escape(caption)}</em></p>" if caption else "")


def _gallery(match: re.Match, post_id: str, attachments: Attachments) -> str:
    ids = [part.strip() for part in _attributes(match.group(1)).get("ids", "").split(",") if part.strip()]
    urls = [attachments.by_id[i] for i in ids if i in attachments.by_id] if ids else \
        attachments.by_parent.get(post_id, [])
    if not urls:
        return match.group(0)  # nothing to show: kept, and reported
    return "".join(f'<p><img src="{html.escape(url)}" alt=""></p>' for url in urls)


def _address_paragraph(text: str) -> str:
    found = _URL.search(html.unescape(text))
    return f"<p>{html.escape(found.group(0))}</p>" if found else ""


def _media(match: re.Match) -> str:
    attributes = _attributes(match.group(2))
    url = attributes.get("src") or attributes.get("mp4") or attributes.get("mp3") or \
        (match.group(3) or "") or match.group(2)
    return _address_paragraph(url) or match.group(0)
