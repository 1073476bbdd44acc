"""YouTube videos in articles, without loading anything from YouTube until the reader taps.

Authors write either a paragraph holding only a YouTube address

    https://www.youtube.com/watch?v=VIDEOID      (or https://youtu.be/VIDEOID)

or a shortcode, optionally with a caption:

    {{< youtube VIDEOID >}}
    {{< youtube VIDEOID "Judul video" >}}

Each becomes a local placeholder (a plain box with a CSS play button) that links to the
video on YouTube: the page requests nothing from another host.
"""

from __future__ import annotations

import html
import re

from kimsite.base.i18n import ui

VIDEO_ID = r"[A-Za-z0-9_-]{11}"
_URL = (r"https?://(?:www\.|m\.)?(?:youtube\.com/watch\?(?:[^\s\"<>]*?&(?:amp;)?)?v=|youtube\.com/shorts/"
        r"|youtube-nocookie\.com/embed/|youtu\.be/)(" + VIDEO_ID + r")[^\s\"<>]*")
_PARAGRAPH_URL = re.compile(r"<p>\s*(?:<a [^>]*>\s*)?" + _URL + r"\s*(?:</a>)?\s*</p>")
_SHORTCODE = re.compile(r"<p>\s*\{\{(?:&lt;|<)\s*youtube\s+(" + VIDEO_ID + r")"
                        r"(?:\s+(?:&quot;|\")(.*?)(?:&quot;|\"))?\s*(?:&gt;|>)\}\}\s*</p>")


def watch_url(video: str) -> str:
    return f"https://www.youtube.com/watch?v={video}"


def placeholder(video: str, caption: str, lang: str) -> str:
    label = caption or ui("watch_video", lang)
    return (f'<figure class="video"><a class="video-link" href="{watch_url(video)}" rel="noopener">'
            f'<span class="video-play" aria-hidden="true"></span>'
            f'<span class="video-label">{html.escape(label)}</span>'
            f'<span class="video-host">{html.escape(ui("video_on_youtube", lang))}</span></a></figure>')


def rewrite(markup: str, lang: str) -> str:
    if "youtu" not in markup:
        return markup
    markup = _SHORTCODE.sub(lambda m: placeholder(m.group(1), html.unescape(m.group(2) or ""), lang), markup)
    return _PARAGRAPH_URL.sub(lambda m: placeholder(m.group(1), "", lang), markup)
