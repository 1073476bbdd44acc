"""The regency portal, built from tests/fixtures/portal (local KIMs, a KIM on its own domain,
a remote KIM with a stored fetch, a remote KIM never fetched, another portal's feed as a
member, and a KIM that is not a member), and from the demo regency.

Known values of the fixture, with now = 2026-06-30 12:00 WIB (activity window from 2026-04-01,
24 months July 2024 – June 2026):

    portal-lain p1 2026-06-29 · kim-luar r1 2026-06-28 · kim-domain d1 2026-06-25 ·
    kim-alpha a1 2026-06-20 · a2 2026-05-10 · kim-luar r2 2026-04-02 · portal-lain p2 2026-03-03 ·
    kim-beta b1 2026-01-15 · kim-alpha a3 2025-12-01 · kim-beta b2 2025-07-01 · kim-luar r3 2024-06-15
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from kimsite.fetch import remote
from kimsite.build import BuildOptions, build
from kimsite.base.problems import KimsiteError

FIXTURE = Path(__file__).parent / "fixtures" / "portal"
WIB = timezone(timedelta(hours=7))
NOW = datetime(2026, 6, 30, 12, 0, tzinfo=WIB)
BASE = "https://portal.example.org/kab/"
OTHER_PORTAL = "https://portal-lain.example/feed.xml"

MERGED_TITLES = ["Berita p1 dari portal lain", "Luar r1", "Domain satu", "Alpha satu", "Alpha dua", "Luar r2",
                 "Berita p2 dari portal lain", "Beta satu", "Alpha tiga", "Beta dua", "Luar r3"]


# --- the stored remote feeds of the fixture ------------------------------------------------------

def _item(slug: str, title: str, day: str, host: str, html: str = "") -> remote.RemoteItem:
    moment = datetime.fromisoformat(day + "T08:00:00+07:00")
    link = f"https://{host}/{moment:%Y/%m}/{slug}.html"
    return remote.RemoteItem(id=link, title=title, link=link, summary=f"Ringkasan {title.lower()}.",
                             html=html or f"<p>{title}</p>", published=moment, updated=moment,
                             author="Redaksi", categories=("Berita",))


def fixture_feeds() -> dict[str, remote.RemoteFeed]:
    """What `kimsite fetch` would have stored for the fixture (written with remote.save)."""
    fetched = datetime(2026, 6, 29, 23, 0, tzinfo=timezone.utc)
    luar = remote.RemoteFeed(
        url="https://kimluar.blogspot.com/feeds/posts/default?alt=rss", title="KIM Luar Blogspot",
        link="https://kimluar.blogspot.com/", fetched_at=fetched, checked_at=fetched, status="ok",
        items=(
            # an unsafe leftover in stored HTML must not reach the portal feed
            _item("luar-r1", "Luar r1", "2026-06-28", "kimluar.blogspot.com",
                  '<p>Isi r1 <a href="https://kimluar.blogspot.com/p/x.html">tautan</a></p>'
                  '<script>alert(1)</script>'),
            _item("luar-r2", "Luar r2", "2026-04-02", "kimluar.blogspot.com"),
            _item("luar-r3", "Luar r3", "2024-06-15", "kimluar.blogspot.com"),
        ))
    other = remote.RemoteFeed(
        url=OTHER_PORTAL, title="Portal KIM Kabupaten Tetangga", link="https://portal-lain.example/",
        fetched_at=fetched, checked_at=fetched, status="ok",
        items=(_item("p1", "Berita p1 dari portal lain", "2026-06-29", "portal-lain.example"),
               _item("p2", "Berita p2 dari portal lain", "2026-03-03", "portal-lain.example")))
    return {"kim-luar": luar, OTHER_PORTAL: other}


def write_fixture_feeds(root: Path) -> None:
    for key, feed in fixture_feeds().items():
        remote.save(root, key, feed)


# --- helpers ------------------------------------------------------------------------------------

class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (href, class)
        self.text: list[str] = []
        self._href: str | None = None
        self.svg = self.svg_title = self.svg_desc = False
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._in.append(tag)
        if tag == "a" and attrs.get("href"):
            self.links.append((attrs["href"], attrs.get("class") or ""))
        if tag == "svg":
            self.svg = True

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        self.text.append(data)
        if len(self._in) >= 2 and self._in[-2] == "svg":
            if self._in[-1] == "title" and data.strip():
                self.svg_title = True
            if self._in[-1] == "desc" and data.strip():
                self.svg_desc = True


def parse_html(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def text_of(path: Path) -> str:
    return " ".join(" ".join(parse_html(path).text).split())


def card_titles(path: Path) -> list[str]:
    """Titles of the article cards on a portal home page, in order."""
    html = path.read_text(encoding="utf-8")
    titles = []
    for chunk in html.split('<h2 class="card-title">')[1:]:
        inner = chunk.split("</h2>")[0]
        parser = _Links()
        parser.feed(inner)
        titles.append(" ".join("".join(parser.text).split()))
    return titles


@pytest.fixture
def workspace(tmp_path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture
def site(workspace) -> Path:
    result = build(workspace, BuildOptions(now=NOW))
    assert not [p for p in result.problems if p.severity == "error"]
    return workspace / "_site"


# --- the fixture's stored feeds are what remote.save writes --------------------------------------

def test_fixture_feeds_are_written_with_remote_save(tmp_path):
    write_fixture_feeds(tmp_path)
    for key in fixture_feeds():
        stored = remote.file_for(FIXTURE, key)
        assert stored.read_text(encoding="utf-8") == remote.file_for(tmp_path, key).read_text(encoding="utf-8")
        assert remote.load(FIXTURE, key) == fixture_feeds()[key]


# --- home: merged order, pagination, links ------------------------------------------------------

def test_home_merges_every_member_newest_first(site):
    pages = [site / "index.html", site / "halaman/2/index.html", site / "halaman/3/index.html",
             site / "halaman/4/index.html"]
    titles = [title for page in pages for title in card_titles(page)]
    assert titles == MERGED_TITLES
    assert not (site / "halaman/5/index.html").exists()
    assert "Ekstra satu" not in (site / "index.html").read_text(encoding="utf-8")  # not a member
    home = parse_html(site / "index.html")
    hrefs = [href for href, _ in home.links]
    assert "/kab/halaman/2/" in hrefs and "/kab/halaman/4/" in hrefs  # numbered pagination
    assert "https://portal-lain.example/2026/06/p1.html" in hrefs
    assert "https://kimluar.blogspot.com/2026/06/luar-r1.html" in hrefs
    assert "https://kimdomain.example.id/2026/06/domain-satu/" in hrefs  # a KIM on its own domain
    page2 = parse_html(site / "halaman/2/index.html")
    assert "/kab/kim-alpha/2026/05/alpha-dua/" in [href for href, _ in page2.links]
    text = text_of(site / "index.html")
    assert "KIM Luar Blogspot" in text and "Kecamatan Gamma" in text and "Kecamatan Alpha" in text


def test_kim_sites_are_still_built_under_their_slug(site):
    assert (site / "kim-alpha/index.html").is_file()
    assert (site / "kim-ekstra/index.html").is_file()  # built, just not aggregated


# --- directory and kecamatan pages ---------------------------------------------------------------

def test_directory_groups_by_kecamatan_and_marks_inactive(site):
    page = site / "direktori/index.html"
    html = page.read_text(encoding="utf-8")
    text = text_of(page)
    # groups in order of names, the list's spelling wins ("beta" -> "Beta")
    assert text.index("Kecamatan Alpha") < text.index("Kecamatan Beta") < text.index("Kecamatan Gamma")
    assert "Kecamatan beta" not in text
    assert "KIM Ekstra" not in text
    # Delta has no KIM yet
    assert "belum punya KIM" in text and "Delta" in text.split("belum punya KIM")[-1]
    # inactive: beta (latest 2026-01-15); never fetched: kim-belum
    beta = html.split("KIM Beta Sejahtera")[1].split("</li>")[0]
    assert "Tidak aktif 90 hari" in beta
    alpha = html.split("KIM Alpha Mandiri")[1].split("</li>")[0]
    assert "Tidak aktif" not in alpha and "3 artikel" in alpha and "20 Juni 2026" in alpha
    belum = html.split("KIM Belum Diambil")[1].split("</li>")[0]
    assert "Feed belum diambil" in belum and "0 artikel" in belum
    hrefs = [href for href, _ in parse_html(page).links]
    for expected in ("/kab/kim-alpha/", "/kab/kim-alpha/profil/", "/kab/kim-alpha/feed.xml", "/kab/kim-alpha/atom.xml",
                     "https://kimdomain.example.id/", "https://kimdomain.example.id/profil/",
                     "https://kimdomain.example.id/feed.xml",
                     "https://kimluar.blogspot.com/", "https://kimluar.blogspot.com/feeds/posts/default?alt=rss",
                     "https://kimbelum.example.net/", "/kab/kecamatan/gamma/#kim-kim-luar",
                     "https://portal-lain.example/", OTHER_PORTAL):
        assert expected in hrefs, expected
    assert "3 dari 5 KIM" in text


def test_kecamatan_pages_show_their_kims_and_latest_news(site):
    assert sorted(p.name for p in (site / "kecamatan").iterdir()) == ["alpha", "beta", "gamma"]
    alpha = text_of(site / "kecamatan/alpha/index.html")
    assert "KIM Alpha Mandiri" in alpha and "KIM Domain Sendiri" in alpha and "KIM Luar" not in alpha
    assert "Alpha satu" in alpha and "Alpha tiga" in alpha and "Domain satu" in alpha
    gamma = (site / "kecamatan/gamma/index.html").read_text(encoding="utf-8")
    assert 'id="kim-kim-luar"' in gamma and 'id="kim-kim-belum"' in gamma
    assert "Feed belum diambil" in gamma and "Luar r1" in gamma


# --- Data & Angka and its files ------------------------------------------------------------------

def test_data_page_figures_chart_and_coverage(site):
    page = site / "data/index.html"
    parsed = parse_html(page)
    assert parsed.svg and parsed.svg_title and parsed.svg_desc
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html
    assert html.count('<rect class="bar"') == 24
    text = text_of(page)
    assert "Jumlah KIM 5" in text and "KIM aktif (90 hari terakhir) 3" in text
    assert "Jumlah artikel 11" in text and "Artikel 90 hari terakhir 6" in text
    assert "Kecamatan yang punya KIM 3 / 4" in text
    assert "Juni 2026: 4 artikel" in html and "Juli 2024: 0 artikel" in html and "Juni 2024" not in html
    assert "Data per Selasa, 30 Juni 2026" in text
    hrefs = [href for href, _ in parsed.links]
    assert {"/kab/data/aktivitas-kim.csv", "/kab/data/artikel-per-bulan.csv", "/kab/data/data-angka.json"} <= set(hrefs)


def test_data_exports(site):
    data = json.loads((site / "data/data-angka.json").read_text(encoding="utf-8"))
    assert data["tanggal_data"] == "2026-06-30"
    assert (data["jumlah_kim"], data["kim_aktif"], data["kim_luar"], data["kim_feed_belum_diambil"]) == (5, 3, 2, 1)
    assert (data["jumlah_artikel"], data["artikel_90_hari"]) == (11, 6)
    months = {m["bulan"]: m["jumlah"] for m in data["artikel_per_bulan"]}
    assert len(months) == 24 and min(months) == "2024-07" and max(months) == "2026-06"
    assert (months["2026-06"], months["2026-05"], months["2026-04"], months["2026-03"], months["2026-01"],
            months["2025-12"], months["2025-07"]) == (4, 1, 1, 1, 1, 1, 1)
    assert sum(months.values()) == 10  # r3 (June 2024) is outside the window
    assert data["kecamatan"]["belum_punya_kim"] == ["Delta"]
    assert data["kecamatan"]["punya_kim"] == ["Alpha", "Beta", "Gamma"]
    kims = {k["id"]: k for k in data["kim"]}
    assert set(kims) == {"kim-alpha", "kim-beta", "kim-domain", "kim-luar", "kim-belum", OTHER_PORTAL}
    assert (kims["kim-alpha"]["jumlah_artikel"], kims["kim-alpha"]["artikel_90_hari"],
            kims["kim-alpha"]["artikel_terakhir"], kims["kim-alpha"]["aktif"]) == (3, 2, "2026-06-20", True)
    assert (kims["kim-beta"]["aktif"], kims["kim-beta"]["artikel_terakhir"]) == (False, "2026-01-15")
    assert (kims["kim-belum"]["status_feed"], kims["kim-belum"]["jumlah_artikel"]) == ("missing", 0)
    assert kims["kim-luar"]["jenis"] == "luar" and kims[OTHER_PORTAL]["jenis"] == "portal"

    raw = (site / "data/aktivitas-kim.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    by_id = {row["id"]: row for row in rows}
    assert by_id["kim-alpha"]["jumlah_artikel"] == "3" and by_id["kim-alpha"]["aktif"] == "ya"
    assert by_id["kim-beta"]["aktif"] == "tidak" and by_id["kim-luar"]["artikel_90_hari"] == "2"
    monthly = list(csv.reader(io.StringIO((site / "data/artikel-per-bulan.csv").read_bytes().decode("utf-8-sig"))))
    assert monthly[0] == ["bulan", "jumlah_artikel"] and monthly[-1] == ["2026-06", "4"] and len(monthly) == 25


# --- feeds and OPML ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_portal_feeds_are_valid_and_absolute(site, name):
    raw = (site / name).read_bytes()
    parsed = feedparser.parse(raw)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert [e.title for e in parsed.entries] == MERGED_TITLES[:5]  # feed_length
    for entry in parsed.entries:
        assert entry.link.startswith("https://"), entry.link
        assert entry.id.startswith("https://")
        assert entry.get("published_parsed") or entry.get("updated_parsed")
    links = [e.link for e in parsed.entries]
    assert links[2] == "https://kimdomain.example.id/2026/06/domain-satu/"
    assert links[3] == BASE + "kim-alpha/2026/06/alpha-satu/"
    assert b"<script" not in raw and b"alert(1)" not in raw
    assert parsed.feed.link == BASE
    self_links = [link.href for link in parsed.feed.get("links", []) if link.get("rel") == "self"]
    assert self_links == [BASE + name]


def test_opml_lists_every_member_feed(site):
    tree = ET.parse(site / "kim.opml")
    root = tree.getroot()
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.find("head/title").text == "Portal KIM Kabupaten Contoh"
    feeds = {o.get("xmlUrl"): o for o in root.iter("outline") if o.get("xmlUrl")}
    assert set(feeds) == {
        BASE + "kim-alpha/feed.xml", BASE + "kim-beta/feed.xml", "https://kimdomain.example.id/feed.xml",
        "https://kimluar.blogspot.com/feeds/posts/default?alt=rss", "https://kimbelum.example.net/feed/",
        OTHER_PORTAL,
    }
    for url, outline in feeds.items():
        assert outline.get("type") == "rss" and outline.get("text")
        assert outline.get("htmlUrl", "").startswith(("http://", "https://"))
    groups = [o.get("text") for o in root.find("body") if o.get("xmlUrl") is None]
    assert groups == ["Kecamatan Alpha", "Kecamatan Beta", "Kecamatan Gamma"]


# --- robustness, dates and incremental builds ----------------------------------------------------

def test_remote_kim_without_any_stored_feed(workspace):
    shutil.rmtree(workspace / "feeds")
    result = build(workspace, BuildOptions(now=NOW))
    assert not [p for p in result.problems if p.severity == "error"]
    site = workspace / "_site"
    directory = site / "direktori/index.html"
    html = directory.read_text(encoding="utf-8")
    assert html.count("Feed belum diambil") == 3  # kim-luar, kim-belum and the other portal
    assert card_titles(site / "index.html") == ["Domain satu", "Alpha satu", "Alpha dua"]
    data = json.loads((site / "data/data-angka.json").read_text(encoding="utf-8"))
    assert data["kim_feed_belum_diambil"] == 2 and data["jumlah_kim"] == 5


def test_unreadable_stored_feed_counts_as_not_fetched(workspace):
    remote.file_for(workspace, "kim-luar").write_text("{not json", encoding="utf-8")
    build(workspace, BuildOptions(now=NOW))
    data = json.loads((workspace / "_site/data/data-angka.json").read_text(encoding="utf-8"))
    kims = {k["id"]: k for k in data["kim"]}
    assert kims["kim-luar"]["status_feed"] == "missing" and kims["kim-luar"]["jumlah_artikel"] == 0


def test_hostile_stored_item_is_escaped_and_unsafe_link_replaced(workspace):
    moment = datetime(2026, 6, 30, 8, 0, tzinfo=WIB)
    hostile = remote.RemoteItem(id="x1", title='<script>alert("t")</script> Judul', link="javascript:alert(1)",
                                summary="<img src=x onerror=alert(2)>", html="<p onclick='alert(3)'>isi</p>",
                                published=moment, updated=moment)
    remote.save(workspace, "kim-belum", remote.RemoteFeed(url="https://kimbelum.example.net/feed/", items=(hostile,)))
    build(workspace, BuildOptions(now=NOW))
    site = workspace / "_site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in home and "&lt;script&gt;" in home and "<img src=x" not in home
    assert "javascript:" not in home
    assert ("https://kimbelum.example.net/", "") in parse_html(site / "index.html").links  # the KIM's site instead
    for name in ("feed.xml", "atom.xml"):
        raw = (site / name).read_bytes()
        assert feedparser.parse(raw).bozo == 0
        assert b"javascript:" not in raw and b"onclick" not in raw


def test_portal_of_portals_only_feed_members(workspace):
    (workspace / "sites/kabupaten.yaml").write_text(
        f"kind: portal\nname: Portal KIM Provinsi\nregion: Provinsi Contoh\nmembers:\n  - {OTHER_PORTAL}\n",
        encoding="utf-8")
    build(workspace, BuildOptions(now=NOW))
    site = workspace / "_site"
    assert card_titles(site / "index.html") == ["Berita p1 dari portal lain", "Berita p2 dari portal lain"]
    assert "Portal KIM Kabupaten Tetangga" in text_of(site / "direktori/index.html")
    assert not (site / "kecamatan").exists()
    data = json.loads((site / "data/data-angka.json").read_text(encoding="utf-8"))
    assert (data["jumlah_kim"], data["jumlah_artikel"]) == (0, 2)
    opml = ET.parse(site / "kim.opml").getroot()
    assert [o.get("xmlUrl") for o in opml.iter("outline")] == [OTHER_PORTAL]
    assert [e.title for e in feedparser.parse((site / "feed.xml").read_bytes()).entries] == \
        ["Berita p1 dari portal lain", "Berita p2 dari portal lain"]


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_incremental_equals_clean_when_the_date_and_feeds_change(workspace, tmp_path):
    later = NOW + timedelta(days=100)  # beta, alpha, luar become inactive; the month window moves
    build(workspace, BuildOptions(now=NOW))
    feed = fixture_feeds()["kim-luar"]
    newer = _item("luar-r0", "Luar r0", "2026-10-01", "kimluar.blogspot.com")
    remote.save(workspace, "kim-luar", remote.RemoteFeed(**{**{f: getattr(feed, f) for f in feed.__dataclass_fields__},
                                                            "items": (newer, *feed.items)}))
    incremental = build(workspace, BuildOptions(now=later))
    assert 0 < incremental.rendered < incremental.outputs
    clean_copy = tmp_path / "clean"
    shutil.copytree(workspace, clean_copy, ignore=shutil.ignore_patterns("_site", ".kimsite", ".*kimsite-*"))
    build(clean_copy, BuildOptions(now=later))  # a fresh copy: no cache, no previous output
    assert _tree(workspace / "_site") == _tree(clean_copy / "_site")
    data = json.loads((workspace / "_site/data/data-angka.json").read_text(encoding="utf-8"))
    assert data["tanggal_data"] == "2026-10-08" and data["kim_aktif"] == 1  # only kim-luar (r0)
    assert card_titles(workspace / "_site/index.html")[0] == "Luar r0"


def test_two_builds_are_byte_identical(workspace, tmp_path):
    other = tmp_path / "again"
    shutil.copytree(workspace, other)
    build(workspace, BuildOptions(now=NOW))
    build(other, BuildOptions(now=NOW))
    assert _tree(workspace / "_site") == _tree(other / "_site")


# --- configuration problems -------------------------------------------------------------------

def test_kim_slug_reserved_by_the_portal(workspace):
    (workspace / "sites/data.yaml").write_text("name: KIM Data\nkecamatan: Alpha\n", encoding="utf-8")
    with pytest.raises(KimsiteError) as caught:
        build(workspace, BuildOptions(now=NOW))
    codes = {(p.code, p.file) for p in caught.value.problems}
    assert ("site_slug_reserved", "sites/data.yaml") in codes


def test_unknown_member_and_unlisted_kecamatan(workspace):
    portal = workspace / "sites/kabupaten.yaml"
    portal.write_text(portal.read_text(encoding="utf-8") + "  - kim-tidak-ada\n", encoding="utf-8")
    with pytest.raises(KimsiteError) as caught:
        build(workspace, BuildOptions(now=NOW))
    problem = next(p for p in caught.value.problems if p.code == "portal_member_unknown")
    assert problem.file == "sites/kabupaten.yaml" and problem.line == 17
    portal.write_text(portal.read_text(encoding="utf-8").replace("  - kim-tidak-ada\n", "  - kim-ekstra\n"),
                      encoding="utf-8")
    result = build(workspace, BuildOptions(now=NOW))
    unlisted = [p for p in result.problems if p.code == "portal_kecamatan_unlisted"]
    assert [(p.file, p.severity) for p in unlisted] == [("sites/kim-ekstra.yaml", "warning")]
    assert "Epsilon" in text_of(workspace / "_site/data/index.html")


def test_members_all_and_single_site_build(workspace):
    portal = workspace / "sites/kabupaten.yaml"
    text = portal.read_text(encoding="utf-8")
    portal.write_text(text[: text.index("members:")] + "members: all\n", encoding="utf-8")
    build(workspace, BuildOptions(now=NOW))
    directory = text_of(workspace / "_site/direktori/index.html")
    assert "KIM Ekstra Bukan Anggota" in directory and "Portal KIM Kabupaten Tetangga" not in directory
    alone = build(workspace, BuildOptions(now=NOW, site="kim-alpha", output="_alpha"))
    assert alone.problems is not None
    out = workspace / "_alpha"
    assert not (out / "direktori").exists() and not (out / "kim.opml").exists()
    assert "Alpha satu" in (out / "index.html").read_text(encoding="utf-8")


# --- the demo regency ----------------------------------------------------------------------------

def test_demo_builds_a_portal_at_the_root(demo_copy):
    result = build(demo_copy, BuildOptions(now=datetime(2026, 11, 23, 9, 0, tzinfo=WIB)))
    assert not [p for p in result.problems if p.severity == "error"]
    site = demo_copy / "_site"
    names = {path.stem for path in (demo_copy / "sites").glob("*.yaml")} - {"purwakarta"}
    directory = text_of(site / "direktori/index.html")
    from kimsite.workspace.config import load_site_config

    for slug in names:
        config, _ = load_site_config(slug, f"sites/{slug}.yaml", (demo_copy / "sites" / f"{slug}.yaml").read_bytes(),
                                     "Asia/Jakarta")
        assert config.name in directory, config.name
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Portal KIM Kabupaten Purwakarta" in home
    assert "kimsukataniberdaya.blogspot.com" in home  # the remote KIM, from its stored fetch
    data = parse_html(site / "data/index.html")
    assert data.svg and data.svg_title
    assert "Babakancikao" in text_of(site / "data/index.html")  # a kecamatan with no KIM yet
    assert feedparser.parse((site / "feed.xml").read_bytes()).bozo == 0
    opml = ET.parse(site / "kim.opml").getroot()
    assert "https://kimsukataniberdaya.blogspot.com/feeds/posts/default?alt=rss" in \
        {o.get("xmlUrl") for o in opml.iter("outline")}
