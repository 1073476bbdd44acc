"""Old blog HTML -> clean Markdown, in two steps so pictures can be fetched in between.

`prepare()` parses the HTML and cleans it: scripts, styles, forms and frames go; Blogger's
1x1 tracking pixels and post footers go; `<span>`/`<font>` soup is unwrapped; runs of `<br>`
become paragraph breaks; a picture linked to its larger self becomes that larger picture; a
Blogger caption table becomes the picture and its caption; a YouTube frame becomes kimsite's
own video shortcode. `Body.pictures()` lists the picture addresses, and `Body.markdown()`
writes Markdown with the addresses rewritten by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdownify import MarkdownConverter

from kimsite.media.embeds import VIDEO_ID

_DROP = ("script", "style", "noscript", "form", "input", "button", "select", "textarea", "link", "meta",
         "object", "embed", "applet", "svg", "canvas", "template", "head", "title")
_UNWRAP = ("span", "font", "center", "small", "big", "abbr", "acronym", "ins", "mark", "u", "section",
           "article", "header", "footer", "main", "aside", "nav", "figure", "picture", "o:p", "st1:place")
_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre", "figure",
           "hr", "dl")
_YOUTUBE = re.compile(r"(?:youtube(?:-nocookie)?\.com/(?:embed/|v/|watch\?v=)|youtu\.be/)(" + VIDEO_ID + r")")
_PICTURE_PATH = re.compile(r"\.(?:jpe?g|png|gif|webp)(?:$|[?#])", re.IGNORECASE)
_TRACKERS = ("/tracker/", "stats.wordpress.com", "feeds.feedburner.com/~r/", "feedburner.google.com",
             "pixel.wp.com", "/b/stats?")
_BREAK_RUN = re.compile(r"(?:[ \t]*\\?\n){2,}")
_HARD_BREAK_BEFORE_BLANK = re.compile(r"(?:  |\\)\n(?=[ \t]*\n)")
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_SAFE_LINK = re.compile(r"^(?:https?://|mailto:|tel:|#|/(?!/))", re.IGNORECASE)
_VIDEO_MARK = "KIMSITEVIDEO{}X"
_VIDEO_MARK_RE = re.compile(r"KIMSITEVIDEO(\d+)X")
_SOURCE_BLOCK = re.compile(r"</?(?:p|div|h[1-6]|ul|ol|li|table|blockquote|pre|figure|br)\b", re.IGNORECASE)


@dataclass
class Body:
    soup: BeautifulSoup
    videos: list[str] = field(default_factory=list)

    def pictures(self) -> list[str]:
        """Addresses of the pictures shown, in order, each once."""
        return list(dict.fromkeys(img["src"] for img in self.soup.find_all("img") if img.get("src")))

    def first_picture(self) -> tuple[str, str] | None:
        image = self.soup.find("img", src=True)
        return (image["src"], image.get("alt", "")) if image else None

    def markdown(self, picture: Callable[[str], str], link: Callable[[str], str]) -> str:
        """Markdown text; `picture` and `link` give the address to write for each picture and link."""
        for image in self.soup.find_all("img"):
            if image.get("src"):
                image["src"] = picture(image["src"])
        for anchor in self.soup.find_all("a"):
            if anchor.get("href"):
                anchor["href"] = link(anchor["href"])
        try:
            text = _Converter().convert_soup(self.soup)
        except RecursionError:  # HTML nested thousands deep: its words, without the nesting
            text = "\n\n".join(_Converter().escape(part, []) for part in self.soup.get_text("\n").split("\n")
                                 if part.strip())
        text = _HARD_BREAK_BEFORE_BLANK.sub("\n", text)
        text = _BLANK_LINES.sub("\n\n", text)
        text = _VIDEO_MARK_RE.sub(lambda m: "{{< youtube " + self.videos[int(m.group(1))] + " >}}", text)
        lines = [line.rstrip() if not line.endswith("  ") else line for line in text.strip().split("\n")]
        return "\n".join(lines).strip() + "\n"


def prepare(html: str, base_url: str = "", autop: bool = False) -> Body:
    """Parse and clean `html`; `autop` turns blank-line-separated text into paragraphs
    (WordPress stores posts that way and adds the <p> when showing them)."""
    if autop and not re.search(r"<p[\s>]", html, re.IGNORECASE):
        html = _paragraphs(html)
    soup = BeautifulSoup(html, "html.parser")
    body = Body(soup)
    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()
    for tag in soup.find_all(_DROP):
        _replace_video(tag, body) or tag.decompose()
    for tag in soup.find_all(["iframe", "video", "audio"]):
        _replace_video(tag, body) or _replace_with_link(tag, body)
    for address in soup.find_all(string=_YOUTUBE):
        _video_address(address, body)
    for tag in soup.find_all(class_=re.compile(r"blogger-post-footer|feedflare")):
        tag.decompose()
    for image in soup.find_all("img"):
        _clean_image(image, base_url)
    for anchor in soup.find_all("a"):
        _unwrap_picture_link(anchor, base_url)
    for table in soup.find_all("table", class_="tr-caption-container"):
        _caption_table(table)
    for caption in soup.find_all("figcaption"):
        _figure_caption(caption)
    for tag in soup.find_all(_UNWRAP):
        tag.unwrap()
    _break_runs(soup)
    for tag in soup.find_all(True):
        tag.attrs = {name: value for name, value in tag.attrs.items() if name in ("href", "src", "alt", "title",
                                                                                   "colspan", "rowspan")}
    return body


def _paragraphs(text: str) -> str:
    parts = []
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")):
        block = block.strip()
        if not block:
            continue
        if _SOURCE_BLOCK.match(block):
            parts.append(block)
        else:
            parts.append("<p>" + block.replace("\n", "<br>\n") + "</p>")
    return "\n".join(parts)


def _replace_video(tag: Tag, body: Body) -> bool:
    source = " ".join(str(tag.get(name, "")) for name in ("src", "data", "value", "data-src"))
    for inner in tag.find_all(["embed", "param", "source"]):
        source += " " + str(inner.get("src", "")) + " " + str(inner.get("value", ""))
    found = _YOUTUBE.search(source)
    if not found:
        return False
    mark = body.soup.new_tag("p")
    mark.string = _VIDEO_MARK.format(len(body.videos))
    body.videos.append(found.group(1))
    tag.replace_with(mark)
    return True


def _video_address(address: NavigableString, body: Body) -> None:
    """A paragraph holding nothing but a YouTube address becomes kimsite's video box."""
    block = address.find_parent(["p", "div"])
    text = address.strip()
    if block is None or block.get_text(" ", strip=True) != text or block.find("img") is not None:
        return
    found = _YOUTUBE.search(text)
    if found and " " not in text and text.startswith(("http://", "https://")):
        mark = body.soup.new_tag("p")
        mark.string = _VIDEO_MARK.format(len(body.videos))
        body.videos.append(found.group(1))
        block.replace_with(mark)


def _replace_with_link(tag: Tag, body: Body) -> None:
    """A frame, video or audio player (not YouTube) becomes a plain link to what it played."""
    inner = tag.find("source")
    source = str(tag.get("src") or (inner.get("src") if inner is not None else "") or "").strip()
    if not source.startswith(("http://", "https://", "//")):
        tag.decompose()
        return
    address = "https:" + source if source.startswith("//") else source
    paragraph = body.soup.new_tag("p")
    anchor = body.soup.new_tag("a", href=address)
    anchor.string = address
    paragraph.append(anchor)
    tag.replace_with(paragraph)


def _absolute(address: str, base_url: str) -> str:
    address = address.strip()
    if address.startswith("//"):
        return "https:" + address
    if base_url and not address.startswith(("http://", "https://", "data:", "mailto:", "#")):
        return urljoin(base_url, address)
    return address


def _is_tracker(image: Tag) -> bool:
    source = str(image.get("src", ""))
    if any(mark in source for mark in _TRACKERS):
        return True
    return str(image.get("width", "")).strip() in ("0", "1") and str(image.get("height", "")).strip() in ("0", "1")


def _clean_image(image: Tag, base_url: str) -> None:
    source = str(image.get("src", "") or image.get("data-src", "")).strip()
    if not source or source.startswith("data:") or _is_tracker(image):
        image.decompose()
        return
    image["src"] = _absolute(source, base_url)
    image["alt"] = " ".join(str(image.get("alt", "") or image.get("title", "")).split())


def _caption_table(table: Tag) -> None:
    image = table.find("img")
    caption_cell = table.find(class_="tr-caption")
    caption = " ".join(caption_cell.get_text(" ").split()) if caption_cell else ""
    if image is None:
        table.unwrap()
        return
    if caption and not image.get("alt"):
        image["alt"] = caption
    holder = BeautifulSoup("", "html.parser")
    block = holder.new_tag("div")
    first = holder.new_tag("p")
    first.append(image.extract())
    block.append(first)
    if caption:
        second = holder.new_tag("p")
        emphasis = holder.new_tag("em")
        emphasis.string = caption
        second.append(emphasis)
        block.append(second)
    table.replace_with(block)


def _figure_caption(caption: Tag) -> None:
    """WordPress's <figure><img><figcaption>: the caption describes the picture and shows below it."""
    text = " ".join(caption.get_text(" ").split())
    figure = caption.find_parent("figure")
    image = figure.find("img") if figure is not None else None
    if image is not None and text and not image.get("alt"):
        image["alt"] = text
    if not text:
        caption.decompose()
        return
    paragraph = BeautifulSoup("", "html.parser").new_tag("p")
    emphasis = BeautifulSoup("", "html.parser").new_tag("em")
    emphasis.string = text
    paragraph.append(emphasis)
    caption.replace_with(paragraph)


def _unwrap_picture_link(anchor: Tag, base_url: str) -> None:
    """<a href=big.jpg><img src=small.jpg></a> -> <img src=big.jpg>: the larger picture, once.
    A link to anything but a web or mail address (javascript:, data:...) keeps only its text."""
    href = _absolute(str(anchor.get("href", "")), base_url)
    if href and not _SAFE_LINK.match(href):
        anchor.unwrap()
        return
    if href:
        anchor["href"] = href
    images = anchor.find_all("img")
    if len(images) != 1 or anchor.get_text(strip=True):
        return
    if _PICTURE_PATH.search(href) or "googleusercontent.com/" in href or ".bp.blogspot.com/" in href:
        images[0]["src"] = href
        anchor.replace_with(images[0])


def _break_runs(soup: BeautifulSoup) -> None:
    """Two or more <br> in a row end a paragraph: written as a blank line in the Markdown."""
    for br in soup.find_all("br"):
        if br.parent is None:
            continue
        following = br.next_sibling
        while isinstance(following, NavigableString) and not following.strip():
            following = following.next_sibling
        if isinstance(following, Tag) and following.name == "br":
            br.replace_with(NavigableString("\n\n"))
            following.name = "kimsite-paragraph-break"
    for mark in soup.find_all("kimsite-paragraph-break"):
        mark.replace_with(NavigableString("\n\n"))


class _Converter(MarkdownConverter):
    """markdownify with ATX headings, "-" bullets, and text escaped so it stays text."""

    def __init__(self) -> None:
        super().__init__(heading_style="ATX", bullets="-", escape_misc=True, keep_inline_images_in=["a"],
                         table_infer_header=True, newline_style="backslash")

    def escape(self, text: str, parent_tags) -> str:
        text = super().escape(text, parent_tags)
        return text.replace("{{", "{\\{")  # not a kimsite shortcode

    def convert_img(self, el, text, parent_tags):
        alt = (el.attrs.get("alt") or "").replace("[", "(").replace("]", ")")
        return f"![{alt}]({_link_target(el.attrs.get('src') or '')})"

    def convert_a(self, el, text, parent_tags):
        href = el.get("href") or ""
        if not text.strip() or not href or href.startswith("#"):
            return text
        if re.sub(r"\\(.)", r"\1", text.strip()) == href:  # the address as its own text
            return f"<{href}>"
        return f"[{text.strip()}]({_link_target(href)})"

    def convert_p(self, el, text, parent_tags):
        if "td" in parent_tags or "th" in parent_tags or "li" in parent_tags:
            return " " + text.strip() + " "
        return super().convert_p(el, text, parent_tags)


def _link_target(address: str) -> str:
    return address.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
