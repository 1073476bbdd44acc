"""Share previews (Open Graph, Twitter card, drawn cards), JSON-LD, share links, video embeds."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from PIL import Image

from kimsite.media import embeds, og_card
from kimsite.build import BuildOptions, build

BASE = "https://example.github.io/repo/"
EVIL_TITLE = 'Awas </script><script>alert("x")</script> & <!-- hoaks'


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


FILES: dict[str, str | bytes] = {
    "sites/kim-uji.yaml": "name: KIM Uji\nkecamatan: Maniis\ndesa: Citamiang\n"
                          "description: Kabar warga Citamiang.\ncontact:\n  email: kim@example.org\n",
    "content/kim-uji/2025-01-10-bergambar.md": """\
        ---
        title: Panen Raya di Citamiang
        date: 2025-01-10 08:00
        summary: Petani memanen padi bersama.
        author: Asep
        image: media/panen.jpg
        image_alt: Petani memanen padi
        ---

        Petani memanen padi.
        """,
    "content/kim-uji/2025-01-11-tanpa-gambar.md": """\
        ---
        title: Rapat Warga Membahas Jadwal Ronda Malam dan Kebersihan Lingkungan Menjelang Musim Hujan Tahun Ini
        date: 2025-01-11 08:00
        ---

        Warga berkumpul di balai desa.

        https://www.youtube.com/watch?v=dQw4w9WgXcQ

        {{< youtube abcdefghijk "Rekaman rapat warga" >}}

        Lihat juga https://youtu.be/dQw4w9WgXcQ di tengah kalimat.
        """,
    "content/kim-uji/2025-01-12-judul-nakal.md": f"""\
        ---
        title: '{EVIL_TITLE}'
        date: 2025-01-12 08:00
        ---

        Isi.
        """,
    "content/kim-uji/media/panen.jpg": photo(),
}


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []
        self.scripts: list[tuple[dict, str]] = []
        self.iframes = 0
        self._script: dict | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs.get("name")] = attrs.get("content", "")
        elif tag == "a":
            self.links.append(attrs)
        elif tag == "script":
            self._script, self._text = attrs, []
        elif tag == "iframe":
            self.iframes += 1

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def jsonld(page: Page) -> list[dict]:
    return [json.loads(text) for attrs, text in page.scripts if attrs.get("type") == "application/ld+json"]


def built(make_workspace) -> Path:
    root = make_workspace(FILES)
    build(root, BuildOptions())
    return root / "_site"


def test_every_page_has_open_graph_and_twitter_tags(make_workspace):
    site = built(make_workspace)
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    assert len(pages) > 5
    for path in pages:
        meta = parse(path).meta
        for key in ("og:title", "og:url", "og:image", "og:type", "og:site_name", "og:locale", "twitter:card"):
            assert meta.get(key), f"{path}: no {key}"
        assert meta["og:url"].startswith(BASE) and meta["og:image"].startswith(BASE), path
        assert meta["og:locale"] == "id_ID" and meta["twitter:card"] == "summary_large_image"
        image = site / meta["og:image"][len(BASE):]
        assert image.is_file(), f"{path}: og:image {meta['og:image']} was not written"
        with Image.open(image) as picture:
            assert picture.size == (int(meta["og:image:width"]), int(meta["og:image:height"]))


def test_article_with_picture_shares_it_cropped(make_workspace):
    site = built(make_workspace)
    meta = parse(site / "kim-uji/2025/01/bergambar/index.html").meta
    assert meta["og:type"] == "article"
    assert meta["og:url"] == BASE + "kim-uji/2025/01/bergambar/"
    assert meta["og:image"] == BASE + "kim-uji/media/panen.og.jpg"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["og:image:alt"] == "Petani memanen padi"
    assert meta["og:description"] == "Petani memanen padi bersama."
    assert meta["article:published_time"] == "2025-01-10T08:00:00+07:00"
    path = site / "kim-uji/media/panen.og.jpg"
    assert path.stat().st_size < 300 * 1024
    with Image.open(path) as picture:
        assert picture.format == "JPEG" and picture.size == (1200, 630)


def test_article_without_picture_shares_its_kims_card_by_default(make_workspace):
    site = built(make_workspace)
    meta = parse(site / "kim-uji/2025/01/tanpa-gambar/index.html").meta
    assert meta["og:image"] == BASE + "kim-uji/og.jpg", "the KIM's card, not one drawn per article"
    assert meta["og:title"].startswith("Rapat Warga Membahas"), "the title travels in og:title"
    assert not (site / "kim-uji/2025/01/tanpa-gambar/og.jpg").exists()
    with Image.open(site / "kim-uji/og.jpg") as card:
        assert card.size == (1200, 630)
        # the card is not a plain rectangle: text was drawn on it
        assert len(card.convert("RGB").getcolors(1_000_000)) > 10
    home = parse(site / "kim-uji/index.html").meta
    assert home["og:type"] == "website" and home["og:image"] == BASE + "kim-uji/og.jpg"


def test_share_cards_article_draws_a_card_per_article(make_workspace):
    root = make_workspace({**FILES, "kimsite.yaml": "base_url: " + BASE + "\nshare_cards: article\n"})
    build(root, BuildOptions())
    site = root / "_site"
    meta = parse(site / "kim-uji/2025/01/tanpa-gambar/index.html").meta
    assert meta["og:image"] == BASE + "kim-uji/2025/01/tanpa-gambar/og.jpg"
    drawn = (site / "kim-uji/2025/01/tanpa-gambar/og.jpg").read_bytes()
    title = "Rapat Warga Membahas Jadwal Ronda Malam dan Kebersihan Lingkungan Menjelang Musim Hujan Tahun Ini"
    # a news card is drawn as it was before verdict cards existed
    assert drawn == og_card.draw_card(title, "KIM Uji", "Kecamatan Maniis · Desa Citamiang")
    assert parse(site / "kim-uji/2025/01/bergambar/index.html").meta["og:image"] == BASE + "kim-uji/media/panen.og.jpg"


def test_card_wraps_long_titles_and_works_without_fonts(monkeypatch):
    long_title = "Kata " * 80 + "Supercalifragilisticexpialidocious" * 4
    with Image.open(io.BytesIO(og_card.draw_card(long_title, "KIM Uji", "Kecamatan Maniis"))) as card:
        assert card.size == (1200, 630)
    monkeypatch.setattr(og_card, "font_file", lambda bold: None)
    og_card._font.cache_clear()
    try:
        with Image.open(io.BytesIO(og_card.draw_card("Judul pendek", "KIM Uji", ""))) as card:
            assert card.size == (1200, 630)
    finally:
        og_card._font.cache_clear()


def test_json_ld_news_article_and_organization(make_workspace):
    site = built(make_workspace)
    (article,) = jsonld(parse(site / "kim-uji/2025/01/bergambar/index.html"))
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == "Panen Raya di Citamiang"
    assert article["datePublished"] == "2025-01-10T08:00:00+07:00"
    assert article["author"] == {"@type": "Person", "name": "Asep"}
    assert article["publisher"]["name"] == "KIM Uji"
    assert article["image"] == [BASE + "kim-uji/media/panen.og.jpg"]
    for location in ("kim-uji/index.html", "kim-uji/profil/index.html"):
        (organization,) = jsonld(parse(site / location))
        assert organization["@type"] == "Organization" and organization["name"] == "KIM Uji"
        assert organization["url"] == BASE + "kim-uji/"
        assert organization["email"] == "kim@example.org"
        assert organization["address"]["addressLocality"] == "Citamiang"


def test_json_ld_cannot_break_out_of_its_script(make_workspace):
    site = built(make_workspace)
    path = site / "kim-uji/2025/01/judul-nakal/index.html"
    page = parse(path)
    (article,) = jsonld(page)
    assert article["headline"] == EVIL_TITLE
    assert all(attrs.get("type") == "application/ld+json" for attrs, _ in page.scripts)
    assert "<script>alert" not in path.read_text(encoding="utf-8")


def test_share_links_carry_the_article_url(make_workspace):
    site = built(make_workspace)
    url = BASE + "kim-uji/2025/01/bergambar/"
    links = parse(site / "kim-uji/2025/01/bergambar/index.html").links
    shares = {urlsplit(a["href"]).netloc or urlsplit(a["href"]).scheme: a["href"] for a in links
              if "share" in (a.get("class") or "")}
    assert set(shares) == {"wa.me", "www.facebook.com", "t.me", "twitter.com", "mailto"}
    assert url in parse_qs(urlsplit(shares["wa.me"]).query)["text"][0]
    assert parse_qs(urlsplit(shares["www.facebook.com"]).query)["u"] == [url]
    assert parse_qs(urlsplit(shares["t.me"]).query)["url"] == [url]
    assert parse_qs(urlsplit(shares["twitter.com"]).query)["url"] == [url]
    assert url in parse_qs(urlsplit(shares["mailto"]).query)["body"][0]


def test_youtube_links_become_local_placeholders(make_workspace):
    site = built(make_workspace)
    path = site / "kim-uji/2025/01/tanpa-gambar/index.html"
    page = parse(path)
    videos = [a for a in page.links if a.get("class") == "video-link"]
    assert [a["href"] for a in videos] == ["https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                                            "https://www.youtube.com/watch?v=abcdefghijk"]
    assert page.iframes == 0
    text = path.read_text(encoding="utf-8")
    assert "Rekaman rapat warga" in text
    assert "Lihat juga https://youtu.be/dQw4w9WgXcQ di tengah kalimat." in text  # prose is left alone
    assert "ytimg" not in text and "youtube.com/embed" not in text


def test_embed_syntax_variants():
    for written in ("<p>https://youtu.be/dQw4w9WgXcQ</p>",
                    '<p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=10">'
                    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=10</a></p>",
                    "<p>https://m.youtube.com/watch?feature=share&amp;v=dQw4w9WgXcQ</p>",
                    "<p>{{&lt; youtube dQw4w9WgXcQ &gt;}}</p>"):
        out = embeds.rewrite(written, "id")
        assert out.startswith('<figure class="video">'), written
        assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in out
    assert embeds.rewrite("<p>{{&lt; youtube bad&quot;id &gt;}}</p>", "id").startswith("<p>")


def test_drawn_cards_are_cached_between_builds(make_workspace):
    """A card is drawn once per title: a clean build reuses what .kimsite/cards holds."""
    import shutil

    root = make_workspace({**FILES, "kimsite.yaml": "base_url: " + BASE + "\nshare_cards: article\n"})
    build(root, BuildOptions())
    site = root / "_site"
    cards = sorted((site.parent / ".kimsite" / "cards").glob("*.jpg"))
    assert cards, "drawn cards are remembered"
    stamps = {path: path.stat().st_mtime_ns for path in cards}
    shutil.rmtree(site)
    build(site.parent, BuildOptions())
    assert sorted((site.parent / ".kimsite" / "cards").glob("*.jpg")) == cards
    assert all(path.stat().st_mtime_ns == stamp for path, stamp in stamps.items()), "no card was redrawn"
    published = (site / "kim-uji/2025/01/tanpa-gambar/og.jpg").read_bytes()
    assert published in {path.read_bytes() for path in cards}, "the published card is the cached one"


def test_share_cards_per_site_for_large_workspaces(make_workspace):
    root = make_workspace({**FILES, "kimsite.yaml": "base_url: " + BASE + "\nshare_cards: site\n"})
    build(root, BuildOptions())
    site = root / "_site"
    meta = parse(site / "kim-uji/2025/01/tanpa-gambar/index.html").meta
    assert meta["og:image"] == BASE + "kim-uji/og.jpg", "articles without a picture share the KIM's card"
    assert meta["og:title"].startswith("Rapat Warga Membahas"), "the title still travels in og:title"
    assert not (site / "kim-uji/2025/01/tanpa-gambar/og.jpg").exists()


def test_preview_fields_read_as_attributes_and_items_in_templates():
    import jinja2
    import pytest

    from kimsite.media.previews import Fields

    og = Fields({"title": "Judul", "image": ""})
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    assert env.from_string("{{ og.title }}|{{ og['title'] }}|{{ og.image or 'x' }}").render(og=og) == "Judul|Judul|x"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ og.missing }}").render(og=og)
    with pytest.raises(AttributeError):
        og.missing  # noqa: B018
