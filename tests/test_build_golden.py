"""The fixture workspace tests/fixtures/basic/ built with a fixed clock, checked two ways:

* byte for byte against the committed golden output in tests/golden/basic/
  (regenerate ON PURPOSE with `python tests/regen_golden.py`, then review `git diff tests/golden`);
* by meaning, on the fresh build: pages, lists, feeds, drafts and future articles, Indonesian
  aliases, Markdown features, internal links, media, sitemap — so a wrong golden cannot hide a bug.
"""

from __future__ import annotations

import difflib
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kimsite.build import BuildOptions, build

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
from regen_golden import FIXTURE, GOLDEN, IMAGE_SUFFIXES, NOW, build_fixture  # noqa: E402

REGEN_HINT = "if the change is intended, run `python tests/regen_golden.py` and review `git diff tests/golden`"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class Page(HTMLParser):
    """Links, stylesheets, feed links, image sources and visible text of one HTML page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[str, str]] = []  # (href, class)
        self.links: list[dict[str, str]] = []  # <link> attributes
        self.images: list[str] = []
        self.text_parts: list[str] = []
        self.title = ""
        self._in_title = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag == "a" and "href" in attributes:
            self.anchors.append((attributes["href"], attributes.get("class", "")))
        elif tag == "link":
            self.links.append(attributes)
        elif tag == "img":
            self.images.append(attributes.get("src", ""))
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    @property
    def hrefs(self) -> list[str]:
        return [href for href, _ in self.anchors]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("golden") / "basic")


def page(site: Path, rel: str) -> Page:
    return Page((site / rel).read_text(encoding="utf-8"))


# --- golden ------------------------------------------------------------------------------------

def test_matches_golden_output(site: Path):
    assert GOLDEN.is_dir(), f"no golden output yet: {REGEN_HINT}"
    got, want = snapshot(site), snapshot(GOLDEN)
    missing, extra = sorted(want.keys() - got.keys()), sorted(got.keys() - want.keys())
    changed = sorted(path for path in want.keys() & got.keys()
                     if want[path] != got[path] and not path.lower().endswith(IMAGE_SUFFIXES))
    if missing or extra or changed:
        report = [f"missing: {missing}", f"unexpected: {extra}", f"changed: {changed}"]
        for path in changed[:3]:
            try:
                before, after = want[path].decode().splitlines(), got[path].decode().splitlines()
                report.extend(list(difflib.unified_diff(before, after, f"golden/{path}", f"built/{path}",
                                                        lineterm="", n=1))[:40])
            except UnicodeDecodeError:
                report.append(f"{path}: binary content differs")
        pytest.fail("output differs from tests/golden/basic/ — " + REGEN_HINT + "\n" + "\n".join(report))


def test_fixture_covers_what_the_golden_output_is_for():
    """The fixture keeps the features the golden output is meant to pin down."""
    articles = sorted(p.name for p in (FIXTURE / "content").glob("*/*.md"))
    assert len(articles) >= 8
    text = "\n".join(p.read_text(encoding="utf-8") for p in (FIXTURE / "content").rglob("*.md"))
    for needle in ("draft: true", "judul:", "tanggal:", "kategori:", "penulis:", "| Bidang", "> ", "](2024-"):
        assert needle in text, needle
    assert list((FIXTURE / "content" / "kim-a" / "media").iterdir())


# --- pages -------------------------------------------------------------------------------------

ARTICLES_A = ["2024/02/kerja-bakti-saluran", "2024/06/pelatihan-menulis", "2024/11/rincian-apbdes",
              "2025/01/posyandu-balita", "2025/04/hoaks-bantuan", "2025/08/lomba-agustusan"]


def test_every_promised_file_exists(site: Path):
    expected = ["index.html", "404.html", "sitemap.xml", "robots.txt", ".nojekyll",
                "kim-a/index.html", "kim-a/halaman/2/index.html", "kim-a/feed.xml", "kim-a/atom.xml",
                "kim-a/kategori/pemerintahan/index.html", "kim-a/kategori/pemerintahan/feed.xml",
                "kim-a/kategori/pemerintahan/atom.xml", "kim-a/tag/literasi-digital/index.html",
                "kim-a/arsip/2024/index.html", "kim-a/arsip/2025/index.html", "kim-a/profil/index.html",
                "kim-a/tentang/index.html", "kim-a/kontak/index.html", "kim-a/media/foto.png",
                "kim-a/media/materi.txt", "kim-b/index.html", "kim-b/feed.xml", "kim-b/atom.xml",
                "kim-b/tentang/index.html", "kim-b/profil/index.html",
                *(f"kim-a/{a}/index.html" for a in ARTICLES_A)]
    for rel in expected:
        assert (site / rel).is_file(), rel
    assert not (site / "kim-a" / "halaman" / "3").exists(), "6 articles at 3 per page make 2 pages"
    assert len(list(site.glob("assets/style.*.css"))) == 1


def test_drafts_and_future_articles_stay_out(site: Path):
    everything = b"\n".join(snapshot(site).values())
    for needle in (b"draf-rapat", b"Draf Catatan Rapat", b"rencana-lomba-desa", b"Rencana Lomba Desa"):
        assert needle not in everything, needle
    assert not (site / "kim-a" / "arsip" / "2026").exists()
    assert not (site / "kim-a" / "2025" / "09").exists()


def test_drafts_and_future_flags_include_them(tmp_path: Path):
    output = build_fixture(tmp_path / "basic", drafts=True, future=True)
    assert (output / "kim-a" / "2025" / "09" / "draf-rapat" / "index.html").is_file()
    assert (output / "kim-a" / "2026" / "01" / "rencana-lomba-desa" / "index.html").is_file()
    assert (output / "kim-a" / "arsip" / "2026" / "index.html").is_file()


def test_future_article_appears_once_its_date_has_come(tmp_path: Path):
    from datetime import datetime, timedelta, timezone

    shutil.copytree(FIXTURE, tmp_path / "ws")
    later = datetime(2026, 1, 10, 9, 0, tzinfo=timezone(timedelta(hours=7)))
    result = build(tmp_path / "ws", BuildOptions(now=later))
    assert (result.output_dir / "kim-a" / "2026" / "01" / "rencana-lomba-desa" / "index.html").is_file()


def test_article_page(site: Path):
    html = (site / "kim-a/2024/11/rincian-apbdes/index.html").read_text(encoding="utf-8")
    parsed = Page(html)
    # Indonesian aliases: judul, tanggal, ringkasan, kategori, penulis
    assert parsed.title.startswith("Rincian APBDes 2025 untuk Warga")
    assert "Rabu, 20 November 2024 14.15 WIB" in parsed.text
    assert 'datetime="2024-11-20T14:15:00+07:00"' in html
    assert "Dede Rohman" in parsed.text
    assert "Ringkasan anggaran desa tahun 2025 dalam bentuk tabel." in parsed.text
    assert "/kim-a/kategori/pemerintahan/" in parsed.hrefs
    assert {"/kim-a/tag/anggaran/", "/kim-a/tag/transparansi/"} <= set(parsed.hrefs)
    # Markdown: table with alignment, a nested list, a quote
    assert re.search(r"<table>.*<th>Bidang</th>.*<td[^>]*>450\.000\.000</td>.*</table>", html, re.S)
    assert re.search(r"<li>laporan dipasang di papan informasi;\s*<ul>\s*<li>salinan", html)
    assert re.search(r"<blockquote>\s*<p>Anggaran desa adalah milik warga", html)
    # links to other sources become their URLs
    assert "/kim-a/2024/02/kerja-bakti-saluran/" in parsed.hrefs
    assert "/kim-a/kontak/" in parsed.hrefs
    assert not any(href.endswith(".md") for href in parsed.hrefs)
    # previous / next
    assert "/kim-a/2024/06/pelatihan-menulis/" in parsed.hrefs
    assert "/kim-a/2025/01/posyandu-balita/" in parsed.hrefs
    # feed autodiscovery and the shared stylesheet
    types = {link.get("type") for link in parsed.links if link.get("rel") == "alternate"}
    assert {"application/rss+xml", "application/atom+xml"} <= types
    assert any(link.get("rel") == "stylesheet" and link["href"].startswith("/assets/style.")
               for link in parsed.links)
    # no executable script: only structured data (JSON-LD) may use a <script> element
    scripts = re.findall(r"<script\b[^>]*>", html, re.I)
    assert all('type="application/ld+json"' in tag for tag in scripts), scripts


def test_media_is_copied_and_linked(site: Path):
    name = "materi.txt"
    assert (site / "kim-a/media" / name).read_bytes() == (FIXTURE / "content/kim-a/media" / name).read_bytes()
    # pictures may be re-encoded (metadata stripped, sizes added) but stay the same picture
    picture = (site / "kim-a/media/foto.png").read_bytes()
    original = (FIXTURE / "content/kim-a/media/foto.png").read_bytes()
    assert picture[:8] == b"\x89PNG\r\n\x1a\n" and picture[16:24] == original[16:24]  # same width and height
    parsed = page(site, "kim-a/2024/06/pelatihan-menulis/index.html")
    assert any(src.startswith("/kim-a/media/foto") for src in parsed.images), parsed.images
    for src in parsed.images:
        if src.startswith("/"):
            assert (site / src.lstrip("/")).is_file(), src
    assert "/kim-a/media/materi.txt" in parsed.hrefs


def test_titles_are_escaped(site: Path):
    html = (site / "kim-a/2025/08/lomba-agustusan/index.html").read_text(encoding="utf-8")
    assert "<Meriah>" not in html
    assert "Lomba Agustusan &amp; Panjat Pinang &lt;Meriah&gt;" in html


def test_home_pages_and_pagination(site: Path):
    first, second = page(site, "kim-a/index.html"), page(site, "kim-a/halaman/2/index.html")
    newest = [f"/kim-a/{a}/" for a in reversed(ARTICLES_A)]
    assert [h for h in newest if h in first.hrefs] == newest[:3]
    assert [h for h in newest if h in second.hrefs] == newest[3:]
    assert "/kim-a/halaman/2/" in first.hrefs
    assert "/kim-a/" in second.hrefs
    # static pages in the menu, in menu_order, on every page of the KIM
    for parsed in (first, second, page(site, "kim-a/profil/index.html")):
        assert parsed.hrefs.index("/kim-a/tentang/") < parsed.hrefs.index("/kim-a/kontak/")


def test_category_tag_and_archive_pages(site: Path):
    category = page(site, "kim-a/kategori/pemerintahan/index.html")
    assert {"/kim-a/2025/04/hoaks-bantuan/", "/kim-a/2024/11/rincian-apbdes/"} <= set(category.hrefs)
    assert "/kim-a/2024/02/kerja-bakti-saluran/" not in category.hrefs
    category_feeds = {link["href"] for link in category.links if link.get("rel") == "alternate"}
    assert {"/kim-a/kategori/pemerintahan/feed.xml", "/kim-a/kategori/pemerintahan/atom.xml"} <= category_feeds
    tag = page(site, "kim-a/tag/literasi-digital/index.html")
    assert {"/kim-a/2025/04/hoaks-bantuan/", "/kim-a/2024/06/pelatihan-menulis/"} <= set(tag.hrefs)
    archive = page(site, "kim-a/arsip/2024/index.html")
    assert {f"/kim-a/{a}/" for a in ARTICLES_A[:3]} <= set(archive.hrefs)
    assert not {f"/kim-a/{a}/" for a in ARTICLES_A[3:]} & set(archive.hrefs)


def test_profile_page(site: Path):
    text = page(site, "kim-a/profil/index.html").text
    for needle in ("Maniis", "Citamiang", "Dede Rohman", "Euis Kurniasih", "kim.a@example.id", "KIM-0001"):
        assert needle in text, needle


def test_root_files(site: Path):
    root = page(site, "index.html")
    assert {"/kim-a/", "/kim-b/"} <= set(root.hrefs)
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    html_pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")
    assert len(locations) == len(html_pages)
    assert "https://kim.example.id/kim-a/2024/11/rincian-apbdes/" in locations
    assert all(loc.startswith("https://kim.example.id/") for loc in locations)
    assert "Sitemap: https://kim.example.id/sitemap.xml" in (site / "robots.txt").read_text()
    assert (site / ".nojekyll").read_bytes() == b""


def test_kim_b_stays_separate(site: Path):
    home = page(site, "kim-b/index.html")
    assert not any(href.startswith("/kim-a/") for href in home.hrefs)
    assert "/kim-b/tentang/" in home.hrefs
