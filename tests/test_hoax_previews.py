"""A hoax clarification never spreads the hoax: wherever its title or summary is shown without
the page around it (share previews, search results, feeds, structured data, lists), the verdict
comes first, and every list shows the verdict with one badge."""

from __future__ import annotations

import json
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
from regen_golden_kinds import build_fixture  # noqa: E402

CLARIFICATIONS = {  # page -> verdict, in tests/fixtures/kinds
    "kim-uji/2026/05/hoaks-bantuan-2-juta/index.html": "HOAKS",
    "kim-uji/2026/06/cetak-ktp-berbayar/index.html": "SALAH",
    "kim-dua/2026/02/benar-cek-kesehatan/index.html": "BENAR",
}
LIST_PAGES = ("index.html", "cek-fakta/index.html", "kim-uji/index.html", "kim-uji/cek-fakta/index.html",
              "kim-uji/kategori/cek-fakta/index.html", "kim-dua/index.html", "kim-dua/cek-fakta/index.html")


class Head(HTMLParser):
    """The preview fields of a page: <title>, meta by name/property, JSON-LD blocks."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self.jsonld: list[dict] = []
        self._in: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and "content" in attributes:
            self.meta[attributes.get("property") or attributes.get("name") or ""] = attributes["content"] or ""
        elif tag == "title" or (tag == "script" and attributes.get("type") == "application/ld+json"):
            self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.jsonld.append(json.loads(data))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("hoax") / "ws")


@pytest.mark.parametrize("path,label", sorted(CLARIFICATIONS.items()))
def test_every_preview_field_starts_with_the_verdict(built, path, label):
    head = Head((built / path).read_text(encoding="utf-8"))
    prefix = f"[{label}] "
    for field in ("og:title", "twitter:title", "og:image:alt", "twitter:image:alt", "og:description",
                  "twitter:description", "description"):
        assert head.meta[field].startswith(prefix), (field, head.meta[field])
        assert not head.meta[field].startswith(prefix + prefix.strip()), f"{field} doubles the verdict"
    assert head.title.startswith(prefix)
    article = [block for block in head.jsonld if block["@type"] == "NewsArticle"]
    assert len(article) == 1 and article[0]["headline"].startswith(prefix)
    assert article[0]["description"].startswith(prefix)
    review = [block for block in head.jsonld if block["@type"] == "ClaimReview"]
    assert len(review) == 1 and review[0]["reviewRating"]["alternateName"] == label


def test_an_ordinary_article_keeps_its_own_title(built):
    head = Head((built / "kim-uji/2026/02/kerja-bakti/index.html").read_text(encoding="utf-8"))
    assert not head.meta["og:title"].startswith("[")
    assert not head.meta["og:description"].startswith("[")


def _badges(html: str) -> list[tuple[str, str]]:
    """(badge text, title text after it) of every card heading with a verdict."""
    found = []
    for heading in re.findall(r'<h2 class="card-title">(.*?)</h2>', html, re.S):
        badge = re.search(r'<span class="verdict verdict-(?:false|warn|true)">([^<]*)</span>(.*)', heading, re.S)
        if badge:
            found.append((badge.group(1), re.sub(r"<[^>]+>", "", badge.group(2)).strip()))
    return found


def test_lists_show_one_badge_form(built):
    seen = 0
    for path in LIST_PAGES:
        for badge, title in _badges((built / path).read_text(encoding="utf-8")):
            seen += 1
            assert badge in ("[HOAKS]", "[SALAH]", "[BENAR]"), (path, badge)  # as titles write it
            assert not title.startswith("["), f"{path}: the verdict is shown twice: {badge} {title}"
    assert seen >= 6  # both portal and KIM Cek Fakta lists, and a category list


def test_a_verdict_the_author_wrote_in_the_title_is_not_doubled(tmp_path):
    from kimsite.build import BuildOptions, build

    workspace = tmp_path / "ws"
    shutil.copytree(TESTS / "fixtures" / "kinds", workspace)
    article = workspace / "content/kim-uji/2026-05-03-hoaks-bantuan-2-juta.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(re.sub(r"^title: (.*)$", r'title: "[HOAKS] \1"', text, count=1, flags=re.M), encoding="utf-8")
    output = build(workspace, BuildOptions()).output_dir
    head = Head((output / "kim-uji/2026/05/hoaks-bantuan-2-juta/index.html").read_text(encoding="utf-8"))
    assert head.meta["og:title"].startswith("[HOAKS] ") and "[HOAKS]" not in head.meta["og:title"][8:]
    for path in ("index.html", "kim-uji/index.html", "cek-fakta/index.html"):
        for badge, title in _badges((output / path).read_text(encoding="utf-8")):
            assert not title.startswith("["), (path, badge, title)


@pytest.mark.parametrize("feed", ["atom.xml", "feed.xml", "kim-uji/atom.xml", "kim-uji/feed.xml",
                                  "cek-fakta/atom.xml", "kim-uji/kategori/cek-fakta/atom.xml"])
def test_feed_titles_carry_the_verdict(built, feed):
    entries = feedparser.parse((built / feed).read_bytes()).entries
    titles = {entry.link.split("/kim/", 1)[-1]: entry.title for entry in entries}
    checked = 0
    for path, label in CLARIFICATIONS.items():
        link = path.removesuffix("index.html")
        for key, title in titles.items():
            if key.endswith(link):
                checked += 1
                assert title.startswith(f"[{label}] ") and title.count(f"[{label}]") == 1, title
    assert checked >= 1


class Links(HTMLParser):
    """(href, text) of every link of a page's <main>."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.links: list[list[str]] = []
        self._main = False
        self._open: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self._main = self._main or tag == "main"
        if tag == "a" and self._main:
            self._open = [dict(attrs).get("href") or "", ""]
            self.links.append(self._open)

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None
        elif tag == "main":
            self._main = False

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data


@pytest.mark.parametrize("path", ["kim-uji/arsip/2026/index.html", "kim-uji/2026/05/hoaks-bantuan-2-juta/index.html",
                                  "kim-uji/2026/02/kerja-bakti/index.html",
                                  "cek-fakta/index.html", "kim-uji/kategori/cek-fakta/index.html"])
def test_every_link_to_a_clarification_names_its_verdict(built, path):
    """Archive lists and the newer/older links too: no link text is the claim on its own."""
    links = Links((built / path).read_text(encoding="utf-8")).links
    checked = 0
    for clarification, label in CLARIFICATIONS.items():
        target = "/kim/" + clarification.removesuffix("index.html")
        for href, text in links:
            if href == target and " ".join(text.split()):
                checked += 1
                shown = " ".join(text.split())
                for lead in ("Artikel berikutnya", "Artikel sebelumnya"):  # newer/older link captions
                    shown = shown.removeprefix(lead)
                assert shown.startswith(f"[{label}] "), (path, text)
    assert checked >= 1, path
