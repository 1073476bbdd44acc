"""The weight budget, enforced on the demo regency.

* every article page's HTML plus its CSS stays under 30 KB before compression;
* no page needs JavaScript to show its content (the only scripts are JSON-LD data);
* no page requests anything from another host (links in <a> are fine: they are not loaded).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from kimsite.build import BuildOptions, build
from conftest import copy_demo

REPO = Path(__file__).resolve().parent.parent
BASE = "https://diskominfo-purwakarta.github.io/kim/"
BUDGET = 30 * 1024
ARTICLE_PATH = re.compile(r"^(?:[a-z0-9-]+/)?\d{4}/\d{2}/[^/]+/index\.html$")
NOT_LOADED = {"canonical", "alternate", "author", "license", "me", "next", "prev", "search"}
URL_ATTRIBUTES = {"img": ("src", "srcset"), "source": ("src", "srcset"), "script": ("src",),
                  "iframe": ("src",), "frame": ("src",), "embed": ("src",), "object": ("data",),
                  "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "input": ("src",),
                  "link": ("href",)}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    demo = tmp_path_factory.mktemp("budget") / "demo"
    copy_demo(demo)
    build(demo, BuildOptions(base_url=BASE))
    return demo / "_site"


class Requests(HTMLParser):
    """What a browser would load for the page (not what it merely links to)."""

    def __init__(self):
        super().__init__()
        self.loads: list[tuple[str, str]] = []  # (tag, url)
        self.scripts: list[dict] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        if tag == "style":
            self._in_style = True
        if tag == "link" and set((attrs.get("rel") or "").lower().split()) <= NOT_LOADED:
            return
        for name in URL_ATTRIBUTES.get(tag, ()):
            value = attrs.get(name)
            if not value:
                continue
            urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
            self.loads.extend((tag, url) for url in urls if url)
        if attrs.get("style"):
            self.styles.append(attrs["style"])

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def scan(path: Path) -> Requests:
    parser = Requests()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def pages(site: Path) -> list[Path]:
    found = sorted(site.rglob("*.html"))
    assert len(found) > 100, "the demo should produce a full site"
    return found


def page_url(site: Path, path: Path) -> str:
    rel = path.relative_to(site).as_posix()
    return BASE + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def css_of(site: Path, requests: Requests, url: str) -> int:
    total = 0
    for tag, target in requests.loads:
        absolute = urljoin(url, target)
        if tag == "link" and absolute.startswith(BASE) and absolute.endswith(".css"):
            total += (site / absolute[len(BASE):]).stat().st_size
    return total


def test_article_pages_stay_under_30_kb_with_css(site):
    articles = [p for p in pages(site) if ARTICLE_PATH.match(p.relative_to(site).as_posix())]
    assert len(articles) >= 60, "every demo article should be checked"
    over = []
    sizes = []
    for path in articles:
        requests = scan(path)
        css = css_of(site, requests, page_url(site, path))
        assert css > 0, f"{path}: no stylesheet found"
        total = path.stat().st_size + css
        sizes.append(total)
        if total >= BUDGET:
            over.append(f"{path.relative_to(site)}: {total} bytes (HTML {path.stat().st_size} + CSS {css})")
    assert over == [], "pages over the 30 KB budget:\n" + "\n".join(over)
    print(f"\narticle pages: {len(sizes)}, largest HTML+CSS {max(sizes)} bytes, budget {BUDGET}")


def test_no_page_needs_javascript(site):
    offenders = []
    for path in pages(site):
        for attrs in scan(path).scripts:
            if (attrs.get("type") or "").lower() != "application/ld+json":
                offenders.append(f"{path.relative_to(site)}: <script {attrs}>")
    assert offenders == [], "pages with scripts (content must show without JavaScript):\n" + "\n".join(offenders)


def test_no_page_requests_another_host(site):
    own = urlsplit(BASE).netloc
    offenders = []
    for path in pages(site):
        requests = scan(path)
        url = page_url(site, path)
        for tag, target in requests.loads:
            absolute = urljoin(url, target)
            if absolute.startswith("data:"):
                continue
            if urlsplit(absolute).netloc != own:
                offenders.append(f"{path.relative_to(site)}: <{tag}> {target}")
        for style in requests.styles:
            for target in re.findall(r"url\(\s*['\"]?([^'\")]+)", style):
                if urlsplit(urljoin(url, target)).netloc not in (own, ""):
                    offenders.append(f"{path.relative_to(site)}: style url({target})")
    for css in site.rglob("*.css"):
        for target in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if re.match(r"^(https?:)?//", target):
                offenders.append(f"{css.relative_to(site)}: url({target})")
        assert "@import" not in css.read_text(encoding="utf-8"), f"{css}: @import adds a request"
    assert offenders == [], "requests to other hosts:\n" + "\n".join(offenders[:30])


def test_scanner_catches_a_foreign_request(tmp_path):
    """The scan itself must be able to fail."""
    page = tmp_path / "index.html"
    page.write_text('<link rel="stylesheet" href="https://fonts.example.com/a.css">'
                    '<img srcset="/kim/a.webp 480w, https://cdn.example.com/b.webp 800w">'
                    '<a href="https://wa.me/?text=x">share</a><script src="/kim/app.js"></script>',
                    encoding="utf-8")
    requests = scan(page)
    foreign = [target for _tag, target in requests.loads if urlsplit(urljoin(BASE, target)).netloc
               != urlsplit(BASE).netloc]
    assert foreign == ["https://fonts.example.com/a.css", "https://cdn.example.com/b.webp"]
    assert requests.scripts == [{"src": "/kim/app.js"}]


# --- list pages: the same budget with a thumbnail on every card --------------------------------

LIST_BUDGET = 30 * 1024
ARCHIVE_ENTRY_BUDGET = 800  # bytes of HTML per article in a year's archive (a 300-character title)
LIST_PATH = re.compile(r"^(?:index\.html|halaman/\d+/index\.html|[a-z0-9-]+/(?:index\.html|halaman/\d+/index\.html"
                       r"|kategori/.+/index\.html|tag/.+/index\.html|arsip/\d{4}/index\.html))$")


def _over_budget(site: Path, paths: list[Path], budget: int) -> tuple[list[str], int]:
    over, largest = [], 0
    for path in paths:
        requests = scan(path)
        css = css_of(site, requests, page_url(site, path))
        assert css > 0, f"{path}: no stylesheet found"
        total = path.stat().st_size + css
        largest = max(largest, total)
        if total >= budget:
            over.append(f"{path.relative_to(site)}: {total} bytes (HTML {path.stat().st_size} + CSS {css})")
    return over, largest


def test_demo_list_pages_stay_under_the_list_budget(site):
    lists = [p for p in pages(site) if LIST_PATH.match(p.relative_to(site).as_posix())]
    assert len(lists) >= 40, "homes, categories, tags and archives of every KIM and the portal"
    over, largest = _over_budget(site, lists, LIST_BUDGET)
    assert over == [], "list pages over the budget:\n" + "\n".join(over)
    print(f"\nlist pages: {len(lists)}, largest HTML+CSS {largest} bytes, budget {LIST_BUDGET}")


def test_list_pages_with_a_picture_and_the_longest_texts_on_every_card(tmp_path):
    """The worst a KIM can write: every article with a photo, the longest title and summary."""
    import io

    from PIL import Image
    from conftest import write_workspace

    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1066), (40, 140, 60)).save(buffer, "JPEG")
    files: dict[str, str | bytes] = {"sites/kim-berat.yaml": "name: KIM Berat\nkecamatan: Maniis\n"}
    for number in range(1, 25):
        files[f"content/kim-berat/media/foto-{number}.jpg"] = buffer.getvalue()
        files[f"content/kim-berat/2025-03-{number:02d}-berita-{number}.md"] = (
            f"---\ntitle: {('Judul Sangat Panjang ' * 15)[:300].strip()}\ndate: 2025-03-{number:02d} 08:00\n"
            f"summary: {'Ringkasan yang sangat panjang sekali. ' * 52}\ncategory: Kategori Dengan Nama Panjang\n"
            f"tags: [{', '.join(f'tag nomor {t}' for t in range(30))}]\n"
            f"image: media/foto-{number}.jpg\nimage_alt: {'Keterangan foto panjang ' * 10}\n---\n\nIsi.\n")
    root = write_workspace(tmp_path / "berat", files)
    build(root, BuildOptions(base_url=BASE))
    site = root / "_site"
    lists = [p for p in site.rglob("index.html") if LIST_PATH.match(p.relative_to(site).as_posix())]
    home = site / "kim-berat" / "index.html"
    assert home in lists and site / "kim-berat" / "tag" / "tag-nomor-1" / "index.html" in lists
    assert home.read_text(encoding="utf-8").count('class="thumb"') == 10, "a thumbnail on every card"
    # A year's archive lists all of that year's articles (no pages): it gets a budget per article.
    archive = site / "kim-berat" / "arsip" / "2025" / "index.html"
    lists.remove(archive)
    assert archive.read_text(encoding="utf-8").count('class="thumb"') == 24
    assert archive.stat().st_size < 4096 + 24 * ARCHIVE_ENTRY_BUDGET
    over, _largest = _over_budget(site, lists, LIST_BUDGET)
    assert over == [], "list pages over the budget:\n" + "\n".join(over)
