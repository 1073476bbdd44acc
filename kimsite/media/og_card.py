"""Share cards drawn at build time for pages without a picture of their own (1200×630 JPEG).

The title is wrapped to fit; the KIM name and its place sit at the bottom. A hoax
clarification's card is a verdict card: white, with the verdict stamped above the claim in
the label's colour (the theme's red, amber or green), so that a debunk shared in a chat group
never looks like the hoax. DejaVu Sans (Debian's fonts-dejavu-core) is used when present,
otherwise Pillow's own font.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from kimsite.media import drawn_cache

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
BAND_HEIGHT = 150  # the band at the bottom with the KIM's name and place
BACKGROUND = (11, 110, 79)  # the default theme's brand colour
BAND = (8, 84, 60)
INK = (255, 255, 255)
SOFT = (214, 236, 226)
PAPER = (255, 255, 255)  # a verdict card's background, unlike any news card
DARK_INK = (29, 35, 38)
# The theme's --red, --amber and --green by tone (kimsite.schema.article_types.LABEL_STYLE):
# white text on each has a contrast ratio of 5.9 to 6.5.
VERDICT_COLOURS = {"false": (179, 38, 30), "warn": (138, 90, 0), "true": (27, 110, 42)}
STAMP_HEIGHT = 96
FONT_FOLDERS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts")
CARD_VERSION = "card-v2"
# More characters than the largest card can show (about 8 lines of 130 narrow ones): the rest
# is cut before measuring, so a long description costs no more than a short one.
MAX_TITLE = 1200


@lru_cache(maxsize=None)
def font_file(bold: bool) -> str | None:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_FOLDERS:
        candidate = Path(folder) / name
        if candidate.is_file():
            return str(candidate)
    return None


def card_token() -> tuple:
    """What a card's pixels depend on besides its text: the drawing code and the fonts found."""
    return (CARD_VERSION, font_file(True), font_file(False))


@lru_cache(maxsize=64)
def _font(bold: bool, size: int):
    from PIL import ImageFont

    path = font_file(bold)
    if path:
        return ImageFont.truetype(path, size)
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType
        return ImageFont.load_default()


def wrap(text: str, font, width: int, draw) -> list[str]:
    """Greedy word wrap by measured width; a word longer than a line is cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while len(word) > 1 and draw.textlength(word, font=font) > width:
            cut = _longest_fitting(word, font, width, draw)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _longest_fitting(word: str, font, width: int, draw) -> int:
    """The length of the longest start of `word` (at least 1) drawn within `width`, by bisection."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if draw.textlength(word[:middle], font=font) <= width:
            low = middle
        else:
            high = middle - 1
    return low


class CardFailure(Exception):
    """Pillow could not draw a card (a damaged font, text it refuses): reported as a message."""


def draw_card(title: str, site_name: str, place: str, verdict: str = "", tone: str = "warn") -> bytes:
    """A card with `title`; with a `verdict` (a klarifikasi's label) the verdict card, stamped
    in the colour of `tone` (kimsite.schema.article_types.LABEL_STYLE: false, warn or true)."""
    try:
        return _draw(title[:MAX_TITLE], site_name[:MAX_TITLE], place[:MAX_TITLE], verdict[:40], tone)
    except Exception as exc:  # noqa: BLE001 - Pillow raises OSError, ValueError and its own kinds
        raise CardFailure(f"{type(exc).__name__}: {exc}"[:300]) from exc


def _draw(title: str, site_name: str, place: str, verdict: str, tone: str) -> bytes:
    from PIL import ImageDraw

    image = (_verdict_background(site_name, place, verdict, tone) if verdict else _background(site_name, place)).copy()
    draw = ImageDraw.Draw(image)
    text_width = WIDTH - 2 * MARGIN
    space = HEIGHT - BAND_HEIGHT - MARGIN - 40
    top = MARGIN + 8
    if verdict:  # the stamp takes the top of the card
        space -= STAMP_HEIGHT + 24
        top += STAMP_HEIGHT + 24
    for size in (64, 56, 48, 42, 36):
        font = _font(True, size)
        lines = wrap(title, font, text_width, draw)
        line_height = round(size * 1.22)
        if len(lines) * line_height <= space:
            break
    max_lines = max(1, space // line_height)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and draw.textlength(last + " …", font=font) > text_width:
            last = last[:-1]
        lines[-1] = last.rstrip() + " …"
    y = top
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=DARK_INK if verdict else INK)
        y += line_height
    buffer = io.BytesIO()
    # JPEG encodes six times faster than PNG here, and thousands of cards are drawn.
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


@lru_cache(maxsize=8)
def _background(site_name: str, place: str):
    """Everything but the title: the same on every card of a KIM, so drawn once per KIM."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, HEIGHT - BAND_HEIGHT, WIDTH, HEIGHT), fill=BAND)
    draw.rectangle((MARGIN, MARGIN - 24, MARGIN + 96, MARGIN - 16), fill=SOFT)
    text_width = WIDTH - 2 * MARGIN
    name_font = _font(True, 38)
    place_font = _font(False, 28)
    name = wrap(site_name, name_font, text_width, draw)[:1] or [""]
    draw.text((MARGIN, HEIGHT - BAND_HEIGHT + 28), name[0], font=name_font, fill=INK)
    if place:
        draw.text((MARGIN, HEIGHT - BAND_HEIGHT + 82), wrap(place, place_font, text_width, draw)[0],
                  font=place_font, fill=SOFT)
    return image


@lru_cache(maxsize=8)
def _verdict_background(site_name: str, place: str, verdict: str, tone: str):
    """A verdict card without its claim: white, the KIM's band, the stamp and a bar in the
    label's colour down the left edge."""
    from PIL import ImageDraw

    colour = VERDICT_COLOURS.get(tone, VERDICT_COLOURS["warn"])
    image = _background(site_name, place).copy()
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, HEIGHT - BAND_HEIGHT - 1), fill=PAPER)
    draw.rectangle((0, 0, 23, HEIGHT - BAND_HEIGHT - 1), fill=colour)
    font = _font(True, 60)
    text = verdict.upper()
    while len(text) > 1 and draw.textlength(text, font=font) > WIDTH - 2 * MARGIN - 64:
        text = text[:-1]
    top = MARGIN - 16
    draw.rounded_rectangle((MARGIN, top, MARGIN + 64 + draw.textlength(text, font=font), top + STAMP_HEIGHT),
                           radius=12, fill=colour)
    draw.text((MARGIN + 32, top + STAMP_HEIGHT // 2), text, font=font, fill=INK, anchor="lm")
    return image


def card_file_name(title: str, site_name: str, place: str, verdict: str = "", tone: str = "warn") -> str:
    """The name a card is remembered under in the cache folder (by what it is drawn with)."""
    return drawn_cache.name_for((card_token(), title, site_name, place) + ((verdict, tone) if verdict else ()), ".jpg")


def cached_card(cache_dir: Path, title: str, site_name: str, place: str, verdict: str = "",
                tone: str = "warn") -> bytes:
    """`draw_card`, remembered in `cache_dir` by content so a title is drawn only once ever."""
    return drawn_cache.remembered(cache_dir / card_file_name(title, site_name, place, verdict, tone),
                                  lambda: draw_card(title, site_name, place, verdict, tone))
