"""Every feed.xml (RSS 2.0) and atom.xml of the fixture workspace and of the demo regency:
well-formed for feedparser (bozo == 0), with the required elements, a self link pointing at
the feed itself, permalink GUIDs, RFC 822 / RFC 3339 dates in WIB (+0700), newest first,
"last updated" taken from the newest entry, and only absolute URLs inside the HTML.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from kimsite.build import BuildOptions, build

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
sys.path.insert(0, str(TESTS))
from regen_golden import NOW, build_fixture  # noqa: E402
from conftest import copy_demo

# The demo is built with a clock after all its content (local and stored remote feeds).
DEMO_NOW = datetime(2027, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=7)))

RSS_DATE = (r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
            r"\d{4} \d{2}:\d{2}:\d{2} \+0700$")
ATOM_DATE = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+07:00$"
NS = {"atom": "http://www.w3.org/2005/Atom", "content": "http://purl.org/rss/1.0/modules/content/"}


class UrlCollector(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.urls: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.urls.append(value)


def _demo_build(target: Path) -> Path:
    copy_demo(target)
    return build(target, BuildOptions(now=DEMO_NOW)).output_dir


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, tuple[Path, str, datetime]]:
    """name -> (output folder, base URL, build clock)."""
    base = tmp_path_factory.mktemp("feeds")
    return {"fixture": (build_fixture(base / "basic"), "https://kim.example.id/", NOW),
            "demo": (_demo_build(base / "demo"), _demo_base_url(), DEMO_NOW)}


def _demo_base_url() -> str:
    import yaml

    url = yaml.safe_load((REPO / "kimsite.yaml").read_text(encoding="utf-8"))["base_url"]
    return url if url.endswith("/") else url + "/"


def feeds_of(output: Path, name: str) -> list[Path]:
    found = sorted(output.rglob(name))
    assert found, f"no {name} in {output}"
    return found


def assert_absolute_html(html: str, where: str) -> None:
    assert 'href="/' not in html and "src=\"/" not in html, where
    for url in UrlCollector(html).urls:
        assert url.startswith(("https://", "http://", "mailto:", "tel:", "#")), f"{where}: relative URL {url!r}"


@pytest.mark.parametrize("which", ["fixture", "demo"])
def test_rss_feeds(sites, which: str):
    output, base_url, clock = sites[which]
    for path in feeds_of(output, "feed.xml"):
        rel = path.relative_to(output).as_posix()
        data = path.read_bytes()
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0, f"{rel}: {parsed.get('bozo_exception')}"
        assert parsed.version == "rss20", rel
        channel = ET.fromstring(data).find("channel")
        assert channel is not None, rel
        for required in ("title", "link", "description"):
            assert (channel.findtext(required) or "").strip(), f"{rel}: channel {required} missing"
        assert channel.findtext("link").startswith(base_url), rel
        selfs = [link for link in channel.findall("atom:link", NS) if link.get("rel") == "self"]
        assert [link.get("href") for link in selfs] == [base_url + rel], rel
        items = channel.findall("item")
        assert items, f"{rel}: no items"
        assert len(items) <= 20, rel
        dates = []
        for item in items:
            link = item.findtext("link")
            guid = item.find("guid")
            # a portal feed also carries entries of KIMs hosted elsewhere: absolute, but not under base_url
            assert link and link.startswith(("https://", "http://")), f"{rel}: link {link!r}"
            assert guid is not None and (guid.text or "").strip(), f"{rel}: item without guid"
            if link.startswith(base_url):
                assert guid.get("isPermaLink") == "true" and guid.text == link, rel
            assert (item.findtext("title") or "").strip(), rel
            assert item.find("description") is not None, rel
            published = item.findtext("pubDate") or ""
            assert re.match(RSS_DATE, published), f"{rel}: pubDate {published!r}"
            dates.append(parsedate_to_datetime(published))
            html = item.findtext("content:encoded", namespaces=NS)
            if "/kategori/" in rel:  # category feeds carry summaries only
                assert html is None, f"{rel}: a category feed with whole articles"
            else:
                assert html, f"{rel}: item without content:encoded"
                assert_absolute_html(html, f"{rel} {link}")
        assert dates == sorted(dates, reverse=True), f"{rel}: items are not newest first"
        assert len({item.findtext("guid") for item in items}) == len(items), f"{rel}: repeated GUIDs"
        last_build = channel.findtext("lastBuildDate") or ""
        assert re.match(RSS_DATE, last_build), f"{rel}: lastBuildDate {last_build!r}"
        # from the newest entry (its update date may be later than its publication), never the clock
        assert max(dates) <= parsedate_to_datetime(last_build) <= clock, f"{rel}: lastBuildDate {last_build}"


@pytest.mark.parametrize("which", ["fixture", "demo"])
def test_atom_feeds(sites, which: str):
    output, base_url, _clock = sites[which]
    for path in feeds_of(output, "atom.xml"):
        rel = path.relative_to(output).as_posix()
        data = path.read_bytes()
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0, f"{rel}: {parsed.get('bozo_exception')}"
        assert parsed.version == "atom10", rel
        root = ET.fromstring(data)
        for required in ("id", "title", "updated"):
            assert (root.findtext(f"atom:{required}", namespaces=NS) or "").strip(), f"{rel}: {required}"
        links = {link.get("rel", "alternate"): link.get("href") for link in root.findall("atom:link", NS)}
        assert links.get("self") == base_url + rel, rel
        assert (links.get("alternate") or "").startswith(base_url), rel
        feed_updated = root.findtext("atom:updated", namespaces=NS)
        assert re.match(ATOM_DATE, feed_updated), f"{rel}: updated {feed_updated!r}"
        entries = root.findall("atom:entry", NS)
        assert entries, f"{rel}: no entries"
        newest = None
        for entry in entries:
            entry_id = entry.findtext("atom:id", namespaces=NS)
            link = entry.find("atom:link", NS).get("href")
            assert entry_id and link.startswith(("https://", "http://")), rel
            if link.startswith(base_url):
                assert entry_id == link, rel
            for name in ("updated", "published"):
                value = entry.findtext(f"atom:{name}", namespaces=NS) or ""
                assert re.match(ATOM_DATE, value), f"{rel}: {name} {value!r}"
            updated = datetime.fromisoformat(entry.findtext("atom:updated", namespaces=NS))
            newest = updated if newest is None else max(newest, updated)
            content = entry.find("atom:content", NS)
            if "/kategori/" in rel:  # category feeds carry summaries only
                assert content is None and entry.findtext("atom:summary", namespaces=NS), rel
            else:
                assert content is not None and content.get("type") == "html", rel
                assert_absolute_html(content.text or "", f"{rel} {entry_id}")
        assert datetime.fromisoformat(feed_updated) == newest, f"{rel}: updated is not the newest entry"


def test_fixture_feed_contents(sites):
    """Known values of the fixture: order, the category feed, the updated date, absolute media URLs."""
    output, _, _ = sites["fixture"]
    rss = feedparser.parse((output / "kim-a" / "feed.xml").read_bytes())
    assert [e.link for e in rss.entries][:2] == ["https://kim.example.id/kim-a/2025/08/lomba-agustusan/",
                                                 "https://kim.example.id/kim-a/2025/04/hoaks-bantuan/"]
    assert len(rss.entries) == 6  # the draft and the future article stay out
    training = next(e for e in rss.entries if e.link.endswith("/pelatihan-menulis/"))
    html = training.content[0].value
    assert 'src="https://kim.example.id/kim-a/media/foto.png"' in html
    assert 'href="https://kim.example.id/kim-a/media/materi.txt"' in html
    budget = next(e for e in rss.entries if e.link.endswith("/rincian-apbdes/"))
    assert 'href="https://kim.example.id/kim-a/2024/02/kerja-bakti-saluran/"' in budget.content[0].value
    assert budget.author == "Dede Rohman" or budget.get("dc_creator") == "Dede Rohman"
    category = feedparser.parse((output / "kim-a" / "kategori" / "pemerintahan" / "feed.xml").read_bytes())
    assert [e.link for e in category.entries] == ["https://kim.example.id/kim-a/2025/04/hoaks-bantuan/",
                                                  "https://kim.example.id/kim-a/2024/11/rincian-apbdes/"]
    atom = ET.fromstring((output / "kim-a" / "atom.xml").read_bytes())
    hoax = next(e for e in atom.findall("atom:entry", NS) if e.findtext("atom:id", namespaces=NS).endswith("/hoaks-bantuan/"))
    assert hoax.findtext("atom:updated", namespaces=NS) == "2025-04-03T08:00:00+07:00"
    assert hoax.findtext("atom:published", namespaces=NS) == "2025-04-02T19:45:00+07:00"


def test_subpath_feeds_stay_under_the_base_path(tmp_path: Path):
    output = build_fixture(tmp_path / "basic", base_url="https://example.github.io/repo/")
    for path in [*output.rglob("feed.xml"), *output.rglob("atom.xml")]:
        text = path.read_text(encoding="utf-8")
        assert feedparser.parse(text.encode()).bozo == 0
        for url in re.findall(r'https?://[^"<\s]+', text):
            if "example.github.io" in url:
                assert url.startswith("https://example.github.io/repo/"), f"{path.name}: {url}"
        assert "https://example.github.io/kim-a/" not in text
        assert "href=&quot;/repo/" not in text and 'href="/repo/' not in text


def test_forbidden_xml_characters_are_removed(tmp_path: Path):
    from kimsite.pages.feeds import FeedInfo, FeedItem, build_feed

    moment = datetime(2025, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=7)))
    info = FeedInfo("Judul\x01", "Deskripsi\x0b", "https://kim.example.id/", "https://kim.example.id/feed.xml", "id")
    item = FeedItem("https://kim.example.id/a/", "Artikel\x08", "https://kim.example.id/a/", "Ringkas\x1f",
                    "<p>Isi\x00</p>", moment, moment, "Penulis\x0c")
    for fmt in ("rss", "atom"):
        data = build_feed(info, [item], fmt)
        assert feedparser.parse(data).bozo == 0, fmt
        ET.fromstring(data)
