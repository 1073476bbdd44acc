"""What real material turns into (tests/realworld.py: Blogger, Blogspot RSS, FeedBurner and
WordPress feeds, an undated home-made feed, gfm Markdown written Jekyll/Hugo-style): by meaning,
beside the validators of tests/test_validators.py."""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from kimsite.fetch.feed_clean import html_to_text, parse_feed
from kimsite.parse.sanitize import sanitize_html

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
from realworld import FETCHED, FIXTURE, build_realworld  # noqa: E402

FEEDS = FIXTURE / "feeds"
GUIDE = "kim-lokal/2026/11/panduan-aplikasi-desa/index.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_realworld(tmp_path_factory.mktemp("realworld") / "ws")


def stored(site: Path, key: str) -> list[dict]:
    return json.loads((site.parent / "feeds" / f"{key}.json").read_text(encoding="utf-8"))["items"]


def parsed(name: str, content_type: str = "application/xml"):
    return parse_feed((FEEDS / name).read_bytes(), "http://127.0.0.1/" + name, content_type, FETCHED)


# --- remote feeds ----------------------------------------------------------------------------------

def test_blogger_authors_are_names():
    authors = [item.author for item in parsed("blogger-atom.xml").items]
    assert authors == ["Navee", ""]  # "Navee (noreply@blogger.com)"; Blogger's hidden "Unknown"
    assert [item.author for item in parsed("blogspot-rss.xml").items] == ["Navee", ""]
    assert not any("@" in item.author for name in FEEDS.iterdir() for item in parsed(name.name).items)


def test_feedburner_items_link_to_the_blog_not_the_proxy():
    links = [item.link for item in parsed("feedburner.xml").items]
    assert links == ["http://kimwargingahiji.blogspot.com/2026/11/sosialisasi-dbd.html",
                     "http://kimwargingahiji.blogspot.com/2026/11/pelatihan-jurnalistik.html"]


def test_blogspot_rss_keeps_the_whole_post_from_its_description():
    item = parsed("blogspot-rss.xml").items[0]
    text = html_to_text(item.html)
    assert len(text) > 600 and text.endswith("untuk membuang gas.")  # not a 300-character cut
    assert "<h3>Bahan yang dibutuhkan</h3>" in item.html and "<li>Air cucian beras 10 liter</li>" in item.html
    assert item.summary.startswith("Kelompok Tani") and len(item.summary) <= 301


def test_summaries_keep_paragraph_breaks_as_spaces():
    summaries = [item.summary for name in FEEDS.iterdir() for item in parsed(name.name).items]
    assert any("ke sawah. Kegiatan berlangsung" in s for s in summaries)
    assert any("desa kami. Kegiatan berlangsung" in s for s in summaries)
    assert any("per kilogram. Petani berharap" in s for s in summaries)  # <div>s and a <br>
    glued = [s for s in summaries if re.search(r"[a-z][.!?][A-Z]", s)]
    assert glued == []


def test_wordpress_excerpts_lose_their_read_more_link():
    summaries = {item.title: item.summary for item in parsed("wordpress.xml").items}
    musyawarah = summaries["Musyawarah Dusun Bahas Jalan Usaha Tani"]
    assert "Selengkapnya" not in musyawarah and "&#8230;" not in musyawarah
    assert summaries["Pengumuman Jadwal Vaksinasi Hewan Ternak"].endswith("warga. …")


def test_remote_html_is_safe_and_valid(site):
    for key in ("kim-mekarsari", "kim-binawarga"):
        for item in stored(site, key):
            assert "<script" not in item["html"] and "document.write" not in item["html"]
            assert "<iframe" not in item["html"] and "<center" not in item["html"]
            assert "<source" not in item["html"]  # outside <picture>: <video> is not kept
    wordpress = {item["title"]: item["html"] for item in stored(site, "kim-binawarga")}
    assert "Versi aplikasi 1.8 sudah bisa dipakai." in wordpress["Pengumuman Jadwal Vaksinasi Hewan Ternak"]


def test_undated_items_show_whole_seconds(site):
    undated = stored(site, "desa-kertamukti")
    assert undated and all(item["published"].startswith("2026-12-01T07:14:14.738324") for item in undated)
    for page in site.rglob("*.html"):
        fractions = re.findall(r'datetime="[^"]*\.\d+[^"]*"', page.read_text(encoding="utf-8"))
        assert fractions == [], (page, fractions[:3])
    assert 'datetime="2026-12-01T14:14:14+07:00"' in (site / "index.html").read_text(encoding="utf-8")


def _entries(feed: Path) -> list[ET.Element]:
    root = ET.parse(feed).getroot()
    return root.findall("{http://www.w3.org/2005/Atom}entry") or root.findall("./channel/item")


def test_portal_feeds_carry_each_article_once(site):
    # The fixture's regency feed member repeats KIM Mekar Sari's articles.
    assert {i["id"] for i in stored(site, "kim-mekarsari")} <= {
        i["id"] for path in (site.parent / "feeds").glob("url-*.json")
        for i in json.loads(path.read_text(encoding="utf-8"))["items"]}
    for name in ("atom.xml", "feed.xml"):
        ids = [(e.findtext("{http://www.w3.org/2005/Atom}id") or e.findtext("guid")) for e in _entries(site / name)]
        assert len(ids) == len(set(ids)) > 8, name


def test_no_empty_summary_and_every_atom_entry_has_an_author(site):
    feeds = [*site.rglob("atom.xml"), *site.rglob("feed.xml")]
    assert len(feeds) > 10
    for feed in feeds:
        text = feed.read_text(encoding="utf-8")
        assert not re.search(r"<(summary|description)\s*/>|<(summary|description)></", text), feed
        if feed.name == "atom.xml":
            for entry in feedparser.parse(text).entries:
                assert entry.get("author"), (feed, entry.title)
    entries = feedparser.parse((site / "kim-lokal/atom.xml").read_bytes()).entries
    authors = {entry.title: entry.author for entry in entries}
    assert authors["Foto Kegiatan Senam Pagi"] == "KIM Lokal Mandiri"  # `author: ""` is no author
    portal = {entry.title: entry.author for entry in feedparser.parse((site / "atom.xml").read_bytes()).entries}
    assert portal["Kerja Bakti Bersihkan Saluran Irigasi Menjelang Musim Hujan"] == "KIM Mekar Sari"
    assert portal["Posyandu Balita Mawar Hadirkan Pemeriksaan Gigi Gratis"] == "Navee"


def test_feed_bodies_link_footnotes_into_the_article(site):
    body = next(e for e in feedparser.parse((site / "kim-lokal/feed.xml").read_bytes()).entries
                if e.title.startswith("Panduan")).content[0].value
    assert 'href="#' not in body
    assert 'href="https://kim.example.id/realworld/kim-lokal/2026/11/panduan-aplikasi-desa/#fn' in body


# --- gfm Markdown ----------------------------------------------------------------------------------

class Inputs(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.inputs: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))


def test_gfm_code_and_task_lists(site):
    html = (site / GUIDE).read_text(encoding="utf-8")
    assert '<pre><code class="language-java">public class Halo {' in html
    assert "<pre lang" not in html and '"Halo, warga &lt;desa&gt;!"' in html
    boxes = [i for i in Inputs(html).inputs if i.get("type") == "checkbox"]
    assert len(boxes) == 4 and all("disabled" in box for box in boxes)
    assert ["checked" in box for box in boxes] == [True, True, False, False]
    assert [set(box) <= {"type", "checked", "disabled"} for box in boxes] == [True] * 4
    assert '<th style="text-align:center">Biaya</th>' in html and ' align="' not in html
    assert "<del>Pendaftaran lewat kantor desa</del>" in html
    assert "<source" not in html.split("<main", 1)[1]


@pytest.mark.parametrize("markup,expected", [
    ('<p>Java <source>1.8</source></p>', "<p>Java 1.8</p>"),
    ('<picture><source srcset="a.webp" type="image/webp"><img src="a.jpg" alt=""></picture>',
     '<picture><source srcset="a.webp" type="image/webp"><img src="a.jpg" alt=""></picture>'),
    ('<img title="<picture>" src="a.jpg"><source srcset="b.webp">', '<img title="&lt;picture&gt;" src="a.jpg">'),
    ('<li><input type="checkbox" checked onclick="alert(1)" name="x"> ok</li>',
     '<li><input type="checkbox" checked disabled> ok</li>'),
    ('<form action="https://x.id"><input type="text" value="x"><input type="submit"></form>', ""),
    ('<input type="CHECKBOX" formaction="javascript:alert(1)">', '<input type="checkbox" disabled>'),
    ('<input type="hidden" value="checkbox">', ""),
    ('<center>Foto</center><tt>kode</tt>', "<div>Foto</div><code>kode</code>"),
    ('<table summary="x" align="center"><tr><td align="right">1</td></tr></table>',
     "<table><tbody><tr><td>1</td></tr></tbody></table>"),
])
def test_sanitizer_keeps_only_valid_safe_markup(markup, expected):
    assert sanitize_html(markup) == expected
    assert sanitize_html(expected) == expected  # stable when sanitized again (remote feeds are)


# --- structured data of agenda and produk pages ----------------------------------------------------

def _jsonld(site: Path, path: str) -> dict[str, dict]:
    html = (site / path).read_text(encoding="utf-8")
    blocks = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]
    return {block["@type"]: block for block in blocks}


def test_event_page_carries_schema_org_event(site):
    event = _jsonld(site, "kim-lokal/2026/11/posyandu-lansia/index.html")["Event"]
    assert event["name"] == "Posyandu Lansia Bulan Desember"
    assert event["startDate"] == "2026-12-10T08:00:00+07:00" and event["endDate"] == "2026-12-10T11:00:00+07:00"
    assert event["location"]["name"] == "Balai Desa Citamiang"
    assert event["location"]["address"]["addressRegion"] == "Maniis"
    assert event["organizer"]["name"] == "Puskesmas Maniis"
    assert event["url"] == "https://kim.example.id/realworld/kim-lokal/2026/11/posyandu-lansia/"


def test_product_page_carries_schema_org_product(site):
    product = _jsonld(site, "kim-lokal/2026/11/gula-aren/index.html")["Product"]
    assert product["name"] == "Gula Aren Cetak Citamiang"
    assert product["offers"] == {"@type": "AggregateOffer", "lowPrice": 25000, "highPrice": 40000,
                                 "priceCurrency": "IDR", "url": product["url"]}
    assert product["manufacturer"]["name"] == "Kelompok Penyadap Aren Citamiang"
    assert product["image"][0].startswith("https://kim.example.id/realworld/")


def test_clarification_whose_summary_repeats_the_claim(site):
    html = (site / "kim-lokal/2026/11/hoaks-pendaftaran-blt/index.html").read_text(encoding="utf-8")
    description = re.search(r'<meta property="og:description" content="([^"]*)"', html).group(1)
    assert description.startswith("[HOAKS] Pesan Berantai Pendaftaran BLT")


# --- adversarial shapes ----------------------------------------------------------------------------

HOSTILE_RSS = """<?xml version="1.0"?><rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">
<channel><title>x</title><link>https://x.example.id/</link><description>x</description>
<item><title>a</title><link>https://x.example.id/a</link><guid>a</guid>
<feedburner:origLink>javascript:alert(1)</feedburner:origLink><author>(a@b.c) (c@d.e)</author>
<description>&lt;p&gt;satu&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;a class="more-link"&gt;lagi</description></item>
<item><title>b</title><link>https://x.example.id/b</link><guid>b</guid>
<author>Unknown</author><feedburner:origLink>https://x.example.id/asli-b</feedburner:origLink></item>
</channel></rss>"""


def test_hostile_remote_shapes_fall_back_safely():
    items = {item.id: item for item in parse_feed(HOSTILE_RSS.encode(), "https://x.example.id/feed", "", FETCHED).items}
    assert items["a"].link == "https://x.example.id/a"  # a javascript: origLink is not a link
    assert items["a"].author == ""  # addresses alone are no name
    assert "<script" not in items["a"].html and "alert" not in items["a"].summary
    assert items["b"].link == "https://x.example.id/asli-b" and items["b"].author == ""
    assert items["b"].summary == "" and items["b"].html == ""


def test_badged_titles_are_escaped():
    from kimsite.schema.article_types import badged_title

    shown = str(badged_title('</a><script>alert(1)</script> "[HOAKS]"', "HOAKS"))
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert shown.startswith('<span class="verdict verdict-false">[HOAKS]</span> ')
    assert str(badged_title("[HOAKS] Judul", "HOAKS")).count("[HOAKS]") == 1
    assert str(badged_title("<b>biasa</b>", "")) == "&lt;b&gt;biasa&lt;/b&gt;"
