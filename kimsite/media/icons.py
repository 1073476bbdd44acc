"""Site icons: the browser-tab icon (32 px) and the home-screen icon (192 px) of every KIM and
of the root (portal), drawn at build time.

A KIM's `logo:` (a JPEG, PNG or WebP in its folder) is fitted on a white square; without one,
or with a logo elsewhere on the web (never loaded by readers' browsers), the initials of the
site's name are drawn on the theme's brand colour. The masthead shows the logo itself.
"""

from __future__ import annotations

import html
import io
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from kimsite.media import drawn_cache
from kimsite.media.og_card import font_file
from kimsite.outputs.contract import BuildView, Output, renderer
from kimsite.workspace.folder_names import ICONS_FOLDER, STATE_DIR

if TYPE_CHECKING:
    from kimsite.workspace.config import SiteConfig

SIZES = {"icon-32.png": 32, "icon-192.png": 192}
HOME_SCREEN = "icon-192.png"
TAB = "icon-32.png"
ICON_VERSION = "icons-v1"
BRAND = (11, 110, 79)  # the default theme's brand colour (themes/default/static/style.css)
INK = (255, 255, 255)
# Words that say what a site is, not which one: left out of the initials.
_GENERIC = {"kim", "portal", "kelompok", "komunitas", "informasi", "masyarakat", "kabupaten", "kota",
            "kecamatan", "desa", "kelurahan", "dan", "the", "of"}


def initials(name: str) -> str:
    """Up to two letters naming a site: "KIM Maniis Harmonis" -> "MH"."""
    words = [word for word in name.replace("-", " ").split() if word[:1].isalnum()]
    chosen = [word for word in words if word.lower() not in _GENERIC] or words
    return "".join(word[0] for word in chosen[:2]).upper() or "K"


def local_logo(view: BuildView, slug: str) -> str | None:
    """The logo of KIM `slug` inside its folder (as published), when it is a picture kimsite resizes."""
    from kimsite.base.file_rules import is_responsive_picture

    model = view.sites.get(slug)
    logo = model.config.logo if model else ""
    if not logo or logo.lower().startswith(("http://", "https://")) or not is_responsive_picture(logo):
        return None
    return logo if view.file_hashes.get(slug, {}).get(logo) else None


def _svg_logo(view: BuildView, slug: str) -> str | None:
    from kimsite.base.file_rules import is_svg

    model = view.sites.get(slug)
    logo = model.config.logo if model else ""
    return logo if logo and is_svg(logo) and view.file_hashes.get(slug, {}).get(logo) else None


def icon_root(view: BuildView, slug: str | None) -> str:
    return view.urls.site_root(slug) if slug else ""


def plan_icons(view: BuildView) -> list[Output]:
    """Both icons of every built KIM, and of the root unless one KIM is built alone."""
    outputs: list[Output] = []
    configs = {slug: model.config for slug, model in view.sites.items()}
    for slug, name in _named_scopes(configs, view.portal, view.config.title, bool(view.single_site)):
        logo = local_logo(view, slug) if slug else None
        digest = view.file_hashes.get(slug, {}).get(logo) if logo else None
        for file, size in SIZES.items():
            outputs.append(Output(icon_root(view, slug) + file, "site_icon", slug, (size, logo, initials(name)),
                                  (ICON_VERSION, digest, font_file(True))))
    return outputs


@renderer("site_icon")
def render_icon(view: BuildView, output: Output) -> bytes:
    size, logo, letters = output.params
    picture = None
    if logo:
        from kimsite.media.images import ImageFailure, open_within_limits

        try:
            picture = open_within_limits(str(view.config.root / "content" / output.site / logo))
        except ImageFailure:
            picture = None  # the build reports a broken picture where the picture is published
    if picture is None:
        return cached_icon(view.config.root / STATE_DIR / ICONS_FOLDER, letters, size)
    return _png(_from_logo(picture, size))


def icon_file_name(letters: str, size: int) -> str:
    """The name an icon of initials is remembered under in `.kimsite/icons/`."""
    return drawn_cache.name_for((ICON_VERSION, letters, size, font_file(True)), ".png")


def cached_icon(cache_dir: Path, letters: str, size: int) -> bytes:
    """An icon of initials, remembered in `cache_dir` (see kimsite.media.drawn_cache): a build
    without it draws every KIM's icons (about 0.3 s of processor time for 136 KIMs)."""
    return drawn_cache.remembered(cache_dir / icon_file_name(letters, size),
                                  lambda: _initials_icon(letters, size, font_file(True)))


def initials_icons(sites: dict[str, SiteConfig], portal: SiteConfig | None, workspace_title: str,
                   single_site: bool) -> list[tuple[str, int]]:
    """The icons of initials `plan_icons` plans from the settings alone (the root's, and the KIMs'
    without a logo), as (letters, size) (see kimsite.media.drawn_ahead)."""
    return [(initials(name), size) for slug, name in _named_scopes(sites, portal, workspace_title, single_site)
            if not slug or not sites[slug].logo for size in SIZES.values()]


def _named_scopes(sites: dict[str, SiteConfig], portal: SiteConfig | None, workspace_title: str,
                  single_site: bool) -> list[tuple[str, str]]:
    """(slug, name) of every built KIM, then ("", name) of the root unless one KIM is built alone."""
    scopes = [(slug, sites[slug].name) for slug in sorted(sites)]
    return scopes if single_site else scopes + [("", portal.name if portal else workspace_title)]


@lru_cache(maxsize=512)
def _initials_icon(letters: str, size: int, font: str | None) -> bytes:
    """An icon of initials, drawn once per process: KIMs share initials often (one or two
    letters), and the optimised PNG costs 1–3 ms. `font` is part of the key only so that the
    memo follows the font found."""
    return _png(_from_initials(letters, size))


def _png(drawn) -> bytes:
    buffer = io.BytesIO()
    drawn.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _from_logo(picture, size: int):
    from PIL import Image

    picture = picture.convert("RGBA")
    picture.thumbnail((size, size), Image.Resampling.LANCZOS)
    square = Image.new("RGBA", (size, size), (255, 255, 255, 255))
    square.alpha_composite(picture, ((size - picture.width) // 2, (size - picture.height) // 2))
    return square.convert("RGB")


def _from_initials(letters: str, size: int):
    from PIL import Image, ImageDraw, ImageFont

    square = Image.new("RGB", (size, size), BRAND)
    draw = ImageDraw.Draw(square)
    font_size = round(size * (0.5 if len(letters) > 1 else 0.62))
    path = font_file(True)
    try:
        font = ImageFont.truetype(path, font_size) if path else ImageFont.load_default(size=font_size)
    except (OSError, TypeError):
        font = ImageFont.load_default()
    draw.text((size / 2, size / 2), letters, fill=INK, font=font, anchor="mm")
    return square


# --- HTML -----------------------------------------------------------------------------------

def head_links(view: BuildView, slug: str | None) -> str:
    """The <link> elements naming a page's icons."""
    root = view.urls.url(icon_root(view, slug))
    tab, home = html.escape(root + TAB, quote=True), html.escape(root + HOME_SCREEN, quote=True)
    return (f'<link rel="icon" type="image/png" sizes="32x32" href="{tab}">\n'
            f'<link rel="icon" type="image/png" sizes="192x192" href="{home}">\n'
            f'<link rel="apple-touch-icon" href="{home}">\n')


def masthead_logo(view: BuildView, slug: str) -> str:
    """The KIM's logo for the masthead (its smallest resized copy), or nothing."""
    from kimsite.media.images import lookup

    root = view.urls.url(view.urls.site_root(slug))
    svg = _svg_logo(view, slug)
    if svg:  # published cleaned, as it is (the icons show the initials: SVG is not drawn)
        return f'<img class="logo" src="{html.escape(root + quote(svg), quote=True)}" height="36" alt="">'
    logo = local_logo(view, slug)
    info = lookup(view, slug, logo) if logo else None
    if info is None:
        return ""
    width = info.widths[0]

    def url(ext: str) -> str:
        return html.escape(root + quote(info.variant(width, ext)), quote=True)

    return (f'<picture><source type="image/webp" srcset="{url("webp")}"><img class="logo" src="{url(info.fallback)}" '
            f'width="{width}" height="{info.height_at(width)}" alt=""></picture>')
