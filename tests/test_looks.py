"""What a reader sees: photo captions and credits, list thumbnails and lead story, logo and
icons, the search box without an index, product and event details, the Data & Angka page.

Each test builds a real workspace and reads the published HTML."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image

from kimsite.build import BuildOptions, build
from kimsite.commands.check import collect

SITE = "sites/kim-uji.yaml"


def jpeg(width: int = 1000, height: int = 750) -> bytes:
    picture = Image.new("RGB", (width, height), (40, 140, 60))
    for x in range(0, width, 40):
        picture.paste((200, 180, 60), (x, 0, x + 10, height // 3))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def article(name: str, title: str, date: str, extra: str = "", body: str = "Isi berita.") -> dict[str, str]:
    return {f"content/kim-uji/{name}.md": f"---\ntitle: {title}\ndate: {date}\n{extra}---\n\n{body}\n"}


def built(make_workspace, files: dict, **options) -> Path:
    root = make_workspace({SITE: "name: KIM Uji\nkecamatan: Maniis\ndesa: Citamiang\n", **files})
    build(root, BuildOptions(**options))
    return root / "_site"


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


# --- captions and credits -----------------------------------------------------------------------

def test_main_image_shows_caption_and_credit_in_a_figure(make_workspace):
    site = built(make_workspace, {
        **article("2025-01-10-panen", "Panen Raya", "2025-01-10 08:00",
                  "image: media/sawah.jpg\nimage_alt: Sawah hijau\nimage_caption: Panen <b>raya</b> di Citamiang\n"
                  "kredit_foto: Asep & Siti\n"),
        "content/kim-uji/media/sawah.jpg": jpeg(),
    })
    page = read(site, "kim-uji/2025/01/panen/index.html")
    figure = re.search(r'<figure class="hero">(.*?)</figure>', page, re.S).group(1)
    assert 'alt="Sawah hijau"' in figure
    caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S).group(1)
    assert "Panen &lt;b&gt;raya&lt;/b&gt; di Citamiang" in caption  # text, never markup
    assert '<span class="credit">Foto: Asep &amp; Siti</span>' in caption


def test_no_caption_no_figcaption(make_workspace):
    site = built(make_workspace, {
        **article("2025-01-10-panen", "Panen Raya", "2025-01-10 08:00", "image: media/sawah.jpg\nimage_alt: Sawah\n"),
        "content/kim-uji/media/sawah.jpg": jpeg(),
    })
    assert "<figcaption" not in read(site, "kim-uji/2025/01/panen/index.html")


def test_check_warns_of_a_caption_without_a_picture(make_workspace):
    root = make_workspace({SITE: "name: KIM Uji\nkecamatan: Maniis\n",
                           **article("2025-01-10-panen", "Panen Raya", "2025-01-10 08:00",
                                     "image_caption: Panen\nimage_credit: Asep\n")})
    found = [(p.code, p.line) for p in collect(root) if p.code == "image_caption_without_image"]
    assert found == [("image_caption_without_image", 4), ("image_caption_without_image", 5)]


# --- thumbnails and the lead story --------------------------------------------------------------

def _pictures(page: str) -> list[str]:
    return re.findall(r'<a class="thumb"[^>]*>(.*?)</a>', page, re.S)


def _news(count: int, with_picture=lambda n: True) -> dict:
    files: dict = {}
    for n in range(1, count + 1):
        extra = f"category: Desa\ntags: [warga]\n"
        if with_picture(n):
            extra += f"image: media/foto-{n}.jpg\nimage_alt: Foto {n}\n"
            files[f"content/kim-uji/media/foto-{n}.jpg"] = jpeg(1000 + n, 750)
        files.update(article(f"2025-03-{n:02d}-berita-{n}", f"Berita {n}", f"2025-03-{n:02d} 08:00", extra))
    return files


def test_lists_show_small_lazy_thumbnails_with_dimensions(make_workspace):
    site = built(make_workspace, {**_news(12, lambda n: n % 2 == 0),
                                  "sites/portal.yaml": "kind: portal\nname: Portal Uji\nregion: Kabupaten Uji\n"
                                                       "members: all\n"})
    for rel in ("kim-uji/halaman/2/index.html", "kim-uji/kategori/desa/halaman/2/index.html",
                "kim-uji/tag/warga/halaman/2/index.html", "kim-uji/arsip/2025/index.html", "halaman/2/index.html"):
        page = read(site, rel)
        pictures = _pictures(page)
        assert pictures, rel
        for picture in pictures:
            img = re.search(r"<img [^>]*>", picture).group(0)
            assert 'loading="lazy"' in img and 'alt=""' in img, (rel, img)
            width, height = re.search(r'width="(\d+)" height="(\d+)"', img).groups()
            assert width == "480" and 355 <= int(height) <= 361, (rel, img)
            assert re.search(r'src="[^"]+\.480\.jpg"', img) and '.480.webp"' in picture, (rel, picture)
    archive = read(site, "kim-uji/arsip/2025/index.html")
    assert len(_pictures(archive)) == 6, "one per article with a photo, none for the others"


def test_the_newest_story_leads_the_first_page_only(make_workspace):
    site = built(make_workspace, {**_news(12),
                                  "sites/portal.yaml": "kind: portal\nname: Portal Uji\nregion: Kabupaten Uji\n"
                                                       "members: all\n"})
    for first, second in (("kim-uji/index.html", "kim-uji/halaman/2/index.html"),
                          ("index.html", "halaman/2/index.html")):
        page = read(site, first)
        cards = re.findall(r'<article class="card([^"]*)">(.*?)</article>', page, re.S)
        assert "lead-story" in cards[0][0] and "Berita 12" in cards[0][1]
        assert all("lead-story" not in classes for classes, _ in cards[1:])
        lead_img = re.search(r"<img [^>]*>", cards[0][1]).group(0)
        assert 'loading="lazy"' not in lead_img and "srcset=" in lead_img, "the lead picture loads first"
        assert "lead-story" not in read(site, second)


def test_a_new_picture_reaches_the_lists_on_an_incremental_build(make_workspace):
    root = make_workspace({SITE: "name: KIM Uji\nkecamatan: Maniis\n", **_news(2),
                           "sites/portal.yaml": "kind: portal\nname: Portal Uji\nregion: Kabupaten Uji\nmembers: all\n"})
    build(root, BuildOptions())
    (root / "content/kim-uji/media/foto-1.jpg").write_bytes(jpeg(1000, 1000))
    build(root, BuildOptions())
    for rel in ("kim-uji/index.html", "kim-uji/kategori/desa/index.html", "kim-uji/arsip/2025/index.html",
                "index.html"):
        assert 'width="480" height="480"' in (root / "_site" / rel).read_text(encoding="utf-8"), rel


# --- logo, favicon and home-screen icon ---------------------------------------------------------

def _png(color, size=(300, 120)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def _icon(path: Path) -> Image.Image:
    return Image.open(path).convert("RGB")


def test_the_logo_is_in_the_masthead_the_icons_and_the_publisher(make_workspace):
    root = make_workspace({SITE: "name: KIM Uji\nkecamatan: Maniis\nlogo: media/logo.png\n",
                           "content/kim-uji/media/logo.png": _png((200, 20, 20)),
                           **article("2025-01-10-panen", "Panen Raya", "2025-01-10 08:00"),
                           "sites/portal.yaml": "kind: portal\nname: Portal Uji\nregion: Kabupaten Uji\nmembers: all\n"})
    build(root, BuildOptions(base_url="https://contoh.github.io/repo/"))
    site = root / "_site"
    page = read(site, "kim-uji/2025/01/panen/index.html")
    assert 'href="data:,"' not in page
    assert '<link rel="icon" type="image/png" sizes="32x32" href="/repo/kim-uji/icon-32.png">' in page
    assert '<link rel="apple-touch-icon" href="/repo/kim-uji/icon-192.png">' in page
    brand = re.search(r'<p class="brand">(.*?)</p>', page, re.S).group(1)
    assert re.search(r'<img class="logo" src="/repo/kim-uji/media/logo\.\d+\.(?:png|jpg)" width="\d+" height="\d+"', brand)
    assert '"publisher":{"@type":"Organization","name":"KIM Uji"' in page.replace(", ", ",")
    assert '"url":"https://contoh.github.io/repo/kim-uji/icon-192.png"' in page
    for name, size in (("icon-32.png", 32), ("icon-192.png", 192)):
        icon = _icon(site / "kim-uji" / name)
        assert icon.size == (size, size)
        assert icon.getpixel((size // 2, size // 2)) == (200, 20, 20)  # the logo, centred
        assert icon.getpixel((size // 2, 0)) == (255, 255, 255)  # a wide logo sits on white
    portal = _icon(site / "icon-192.png")
    assert portal.getpixel((2, 2)) == (11, 110, 79), "the portal without a logo: its initials on the brand colour"
    assert '<link rel="apple-touch-icon" href="/repo/icon-192.png">' in read(site, "index.html")


def test_without_a_local_logo_the_icon_shows_the_initials(make_workspace):
    site = built(make_workspace, {SITE: "name: KIM Sinar Harapan\nkecamatan: Maniis\n"
                                        "logo: https://cdn.example.com/logo.png\n",
                                  **article("2025-01-10-panen", "Panen Raya", "2025-01-10 08:00")})
    page = read(site, "kim-uji/index.html")
    assert "cdn.example.com" not in page and 'class="logo"' not in page
    icon = _icon(site / "kim-uji" / "icon-192.png")
    assert icon.getpixel((3, 3)) == (11, 110, 79)
    assert (255, 255, 255) in {color for _count, color in icon.getcolors(192 * 192)}, "letters drawn in white"


def test_an_icon_of_initials_is_drawn_once_and_is_what_drawing_it_gives():
    from kimsite.media import icons

    icons._initials_icon.cache_clear()
    first = icons._initials_icon("MH", 192, icons.font_file(True))
    again = icons._initials_icon("MH", 192, icons.font_file(True))
    assert again is first and icons._initials_icon.cache_info().hits == 1
    assert first == icons._png(icons._from_initials("MH", 192)), "the memo keeps the bytes drawing gives"
    assert icons._initials_icon("MH", 32, icons.font_file(True)) != first
    assert icons._initials_icon("MS", 192, icons.font_file(True)) != first


def test_initials_skip_the_generic_words():
    from kimsite.media.icons import initials

    assert initials("KIM Maniis Harmonis") == "MH"
    assert initials("Portal KIM Kabupaten Purwakarta") == "P"
    assert initials("KIM") == "K"
    assert initials("  ") == "K"
    assert initials("kim éclair-bersama") == "ÉB"


# --- search box, /cari/ and 404 of the portal ---------------------------------------------------

PORTAL = {"sites/portal.yaml": "kind: portal\nname: Portal Uji Raya\nregion: Kabupaten Uji\nmembers: all\n"}


def _header_form(page: str) -> str:
    header = re.search(r'<header class="masthead">(.*?)</header>', page, re.S).group(1)
    return re.search(r'<form class="search"(.*?)</form>', header, re.S).group(0)


def test_without_an_index_the_header_search_keeps_the_query_for_a_web_search(make_workspace):
    site = built(make_workspace, {**PORTAL, **article("2025-01-10-panen", "Panen Raya", "2025-01-10 08:00")},
                 base_url="https://contoh.github.io/repo/")
    kim = _header_form(read(site, "kim-uji/2025/01/panen/index.html"))
    assert 'action="https://duckduckgo.com/"' in kim and 'method="get"' in kim
    assert '<input type="hidden" name="sites" value="contoh.github.io/repo/kim-uji">' in kim
    assert 'name="q"' in kim
    portal = _header_form(read(site, "index.html"))
    assert '<input type="hidden" name="sites" value="contoh.github.io/repo">' in portal


def test_with_an_index_the_header_search_goes_to_the_search_page(make_workspace):
    from kimsite.pages import layout, search

    root = make_workspace({SITE: "name: KIM Uji\nkecamatan: Maniis\n", **PORTAL,
                           **article("2025-01-10-panen", "Panen Raya", "2025-01-10 08:00")})
    view_flag = {"search": True}
    originals = search.enabled, layout.search_enabled
    search.enabled = layout.search_enabled = lambda view: view_flag["search"]
    try:
        build(root, BuildOptions(base_url="https://contoh.github.io/repo/"))
    finally:
        search.enabled, layout.search_enabled = originals
    form = _header_form(read(root / "_site", "kim-uji/index.html"))
    assert 'action="/repo/kim-uji/cari/"' in form and "duckduckgo" not in form


def test_the_portal_404_and_search_pages_carry_the_portal_name_and_menu(make_workspace):
    site = built(make_workspace, {**PORTAL, **article("2025-01-10-panen", "Panen Raya", "2025-01-10 08:00")})
    for rel in ("404.html", "cari/index.html"):
        page = read(site, rel)
        assert "Situs KIM</a>" not in page, rel
        assert re.search(r"<title>[^<]* – Portal Uji Raya</title>", page), rel
        assert '<p class="brand"><a href="/repo/">Portal Uji Raya</a></p>' in page, rel
        menu = re.search(r'<nav class="menu"[^>]*>(.*?)</nav>', page, re.S)
        assert menu and 'href="/repo/direktori/"' in menu.group(1), rel


# --- products and events ------------------------------------------------------------------------

def test_a_product_shares_its_photo_and_the_order_message_carries_the_page_link(make_workspace):
    from urllib.parse import parse_qs, urlsplit
    import html as htmllib

    site = built(make_workspace, {
        **article("2025-12-09-keripik", "Keripik Nila", "2025-12-09 08:00",
                  "type: produk\nprodusen: Ibu Siti\nwhatsapp: 081377712345\nharga: 15000\n"
                  "foto: [media/keripik.jpg, media/bungkus.jpg]\n"),
        "content/kim-uji/media/keripik.jpg": jpeg(), "content/kim-uji/media/bungkus.jpg": jpeg(800, 800)},
        base_url="https://contoh.github.io/repo/")
    page = read(site, "kim-uji/2025/12/keripik/index.html")
    assert '<meta property="og:image" content="https://contoh.github.io/repo/kim-uji/media/keripik.og.jpg">' in page
    assert '<meta name="twitter:image" content="https://contoh.github.io/repo/kim-uji/media/keripik.og.jpg">' in page
    order = htmllib.unescape(re.search(r'class="button button-wa" href="([^"]+)"', page).group(1))
    message = parse_qs(urlsplit(order).query)["text"][0]
    assert message.endswith("https://contoh.github.io/repo/kim-uji/2025/12/keripik/")
    listed = htmllib.unescape(re.search(r'class="button button-wa" href="([^"]+)"',
                                        read(site, "kim-uji/potensi-desa/index.html")).group(1))
    assert parse_qs(urlsplit(listed).query)["text"][0] == message
    photos = re.search(r'<section class="photos".*?</section>', page, re.S).group(0)
    assert photos.count("<picture>") == 2 and photos.count('loading="lazy"') == 2
    assert 'width="800" height="800"' in photos, "the photos are the resized copies, with their size"
    assert read(site, "kim-uji/index.html").count('class="thumb"') == 1, "the product photo in the lists too"


def test_an_event_says_add_to_calendar_and_links_its_place_on_a_map(make_workspace):
    site = built(make_workspace, {**article(
        "2026-11-20-posyandu", "Posyandu Balita", "2026-11-01 08:00",
        "type: agenda\nmulai: 2026-11-20 08:00\ntempat: Balai Desa Citamiang & Aula <RW 03>\n")})
    page = read(site, "kim-uji/2026/11/posyandu/index.html")
    assert "Tambahkan ke kalender" in page and ".ics)" not in page
    link = re.search(r'<a href="(https://www\.openstreetmap\.org/search\?query=[^"]+)" rel="nofollow noopener">'
                     r"Lihat di peta</a>", page)
    assert link and link.group(1).endswith("query=Balai%20Desa%20Citamiang%20%26%20Aula%20%3CRW%2003%3E%2C%20Maniis")
    assert "<RW 03>" not in page
    assert "Tambahkan ke kalender" in read(site, "kim-uji/agenda/index.html")


def test_check_names_a_missing_logo_and_a_wrong_case(make_workspace):
    root = make_workspace({SITE: "name: KIM Uji\nkecamatan: Maniis\nlogo: media/logo.png\n",
                           "sites/kim-dua.yaml": "name: KIM Dua\nkecamatan: Bojong\nlogo: media/Logo.png\n",
                           "content/kim-dua/media/logo.png": _png((0, 0, 200)),
                           **article("2025-01-10-panen", "Panen Raya", "2025-01-10 08:00"),
                           "content/kim-dua/2025-01-11-kabar.md": "---\ntitle: Kabar\ndate: 2025-01-11\n---\n\nIsi.\n"})
    found = [(p.file, p.line, p.code, p.text("id")) for p in collect(root) if p.code.startswith("logo_")]
    assert [f[:3] for f in found] == [("sites/kim-dua.yaml", 3, "logo_wrong_case"),
                                      ("sites/kim-uji.yaml", 3, "logo_missing")]
    assert "maksud Anda media/logo.png?" in found[0][3]


def test_the_lead_is_the_newest_story_with_a_picture_never_a_clarification(make_workspace):
    files = {**_news(6, lambda n: n in (2, 3)), **PORTAL}
    files.update(article("2025-03-05-berita-5", "Berita 5", "2025-03-05 08:00",
                         "type: klarifikasi\nklaim: Kabar bohong\nlabel: HOAKS\nimage: media/hoaks.jpg\n"
                         "image_alt: Tangkapan layar\n"))
    files["content/kim-uji/media/hoaks.jpg"] = jpeg()
    site = built(make_workspace, files)
    for rel in ("kim-uji/index.html", "index.html"):
        titles = re.findall(r'<h2 class="card-title"><a [^>]*>(?:<span[^>]*>[^<]*</span> )?([^<]+)</a>',
                            read(site, rel))
        assert titles == ["Berita 3", "Berita 6", "Berita 5", "Berita 4", "Berita 2", "Berita 1"], (rel, titles)
        assert 'class="card lead-story has-thumb"' in read(site, rel)


def test_an_svg_logo_shows_cleaned_in_the_masthead(make_workspace):
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script>'
           '<circle cx="5" cy="5" r="4" fill="#c00"/></svg>')
    site = built(make_workspace, {SITE: "name: KIM Uji\nkecamatan: Maniis\nlogo: media/logo.svg\n",
                                  "content/kim-uji/media/logo.svg": svg,
                                  **article("2025-01-10-panen", "Panen Raya", "2025-01-10 08:00")})
    page = read(site, "kim-uji/index.html")
    assert '<img class="logo" src="/repo/kim-uji/media/logo.svg" height="36" alt="">' in page
    published = read(site, "kim-uji/media/logo.svg")
    assert "<circle" in published and "script" not in published
    assert _icon(site / "kim-uji" / "icon-192.png").getpixel((3, 3)) == (11, 110, 79), "initials: SVG is not drawn"


def test_build_and_serve_name_a_missing_logo_too(make_workspace):
    """Not only `kimsite check`: the build a volunteer runs (and serve's) warns of it."""
    root = make_workspace({SITE: "name: KIM Uji\nkecamatan: Maniis\nlogo: media/logo.png\n",
                           **article("2025-01-10-panen", "Panen Raya", "2025-01-10 08:00")})
    result = build(root, BuildOptions())
    assert [(p.file, p.line, p.code) for p in result.problems if p.code.startswith("logo_")] == \
        [("sites/kim-uji.yaml", 3, "logo_missing")]
    # a no-change build repeats it, as it repeats every content warning
    again = build(root, BuildOptions())
    assert again.up_to_date and [p.code for p in again.problems if p.code.startswith("logo_")] == ["logo_missing"]


def test_a_portal_logo_is_said_to_have_no_effect(make_workspace):
    """A portal has no folder to take a logo from and shows none: its `logo:` line is a warning,
    not silently ignored."""
    root = make_workspace({SITE: "name: KIM Uji\nkecamatan: Maniis\n",
                           "sites/portal.yaml": "kind: portal\nname: Portal Uji\nregion: Kabupaten Uji\n"
                                                "logo: media/logo.png\n",
                           **article("2025-01-10-panen", "Panen Raya", "2025-01-10 08:00")})
    result = build(root, BuildOptions())
    assert [(p.file, p.line, p.code) for p in result.problems if "logo" in p.code] == \
        [("sites/portal.yaml", 4, "portal_logo_unused")]
