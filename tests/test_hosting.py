"""The built output served over loopback HTTP the way GitHub Pages serves it: under
/<repo>/ for a project site, and at the root of a KIM's own domain. Every internal link,
asset and feed link of every page (and every item link of every feed) answers 200."""

from __future__ import annotations

import functools
import http.client
import threading
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import pytest

from kimsite.build import BuildOptions, build

REPO_NAME = "kim"
PROJECT_URL = f"https://pengguna.github.io/{REPO_NAME}/"
DOMAIN = "kim-maniis.desa.id"
DOMAIN_SITE = "maniis-harmonis"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@pytest.fixture
def serve():
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class _References(HTMLParser):
    """Every URL a page points at: links, assets, feeds, srcset candidates, share-card images."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in ("href", "src", "poster", "action"):
            if values.get(name):
                self.urls.append(values[name])
        for name in ("srcset", "imagesrcset"):
            for candidate in (values.get(name) or "").split(","):
                if candidate.strip():
                    self.urls.append(candidate.split()[0])
        if tag == "meta" and (values.get("property") or values.get("name") or "") in (
                "og:url", "og:image", "twitter:image"):
            self.urls.append(values.get("content") or "")


def _status(origin: str, path: str) -> int:
    parts = urlsplit(origin)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _get(origin: str, path: str) -> bytes:
    parts = urlsplit(origin)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        assert response.status == 200, f"{path}: {response.status}"
        return response.read()
    finally:
        connection.close()


def crawl(origin: str, public_base: str, served_root: str, output: Path) -> dict[str, int]:
    """Fetch every HTML page and feed of `output` (published at `public_base`, served at
    `origin` + `served_root`), collect what they point at, and fetch that too.
    Returns {path: status} for every internal URL found."""
    pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))
    feeds = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.xml") if p.name != "sitemap.xml")
    found: dict[str, set[str]] = {}  # internal path -> pages pointing at it

    def internal(url: str, page_path: str) -> str | None:
        """The server path of `url` seen from `page_path`, or None for external links."""
        if url.startswith("#"):
            return None  # a place on the same page
        if url.startswith(public_base):
            url = served_root + url[len(public_base):]
        parts = urlsplit(urljoin(origin + page_path, url))
        if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != origin:
            return None
        return parts.path or "/"

    for rel in pages:
        path = served_root + rel
        parser = _References()
        parser.feed(_get(origin, path).decode("utf-8"))
        for url in parser.urls:
            target = internal(url, path)
            if target is not None:
                found.setdefault(target, set()).add(path)
    for rel in feeds:
        path = served_root + rel
        feed = feedparser.parse(_get(origin, path))
        assert not feed.bozo, f"{rel}: {feed.bozo_exception}"
        links = [feed.feed.get("link", "")] + [link.get("href", "") for link in feed.feed.get("links", [])]
        for entry in feed.entries:
            links += [entry.get("link", "")] + [link.get("href", "") for link in entry.get("links", [])]
        for url in filter(None, links):
            parts = urlsplit(url)
            assert parts.scheme in ("http", "https"), f"{rel}: feed links must be absolute: {url}"
            assert parts.netloc != urlsplit(public_base).netloc or url.startswith(public_base), url
            target = internal(url, path)
            if target is not None:
                found.setdefault(target, set()).add(path)
    assert found, "no internal link found"
    statuses = {target: _status(origin, target) for target in sorted(found)}
    broken = {target: (status, sorted(found[target])[:2]) for target, status in statuses.items() if status != 200}
    shown = dict(list(broken.items())[:15])
    assert not broken, f"{len(broken)} internal URLs do not answer 200 (target: status, linked from): {shown}"
    return statuses


def test_project_site_served_under_repository_path(demo_copy, tmp_path, serve):
    """https://pengguna.github.io/kim/ is served at http://127.0.0.1:PORT/kim/."""
    served = tmp_path / "pages"
    output = served / REPO_NAME
    build(demo_copy, BuildOptions(base_url=PROJECT_URL, output=str(output)))
    assert not (output / "CNAME").exists()  # no custom domain: GitHub's own address
    origin = serve(served)
    statuses = crawl(origin, PROJECT_URL, f"/{REPO_NAME}/", output)

    assert all(path.startswith(f"/{REPO_NAME}/") for path in statuses), \
        [p for p in statuses if not p.startswith(f"/{REPO_NAME}/")][:5]
    kinds = {Path(unquote(path)).suffix for path in statuses}
    assert {".css", ".xml"} <= kinds, kinds  # assets and feeds were checked, not only pages
    assert f"/{REPO_NAME}/{DOMAIN_SITE}/" in statuses
    assert _status(origin, f"/{REPO_NAME}/halaman-yang-tidak-ada/") == 404
    assert _status(origin, f"/{REPO_NAME}/404.html") == 200


def test_kim_on_its_own_domain_served_at_the_root(demo_copy, tmp_path, serve):
    site_file = demo_copy / "sites" / f"{DOMAIN_SITE}.yaml"
    site_file.write_text(site_file.read_text(encoding="utf-8") + f"domain: {DOMAIN}\n", encoding="utf-8")
    output = tmp_path / "domain"
    result = build(demo_copy, BuildOptions(site=DOMAIN_SITE, output=str(output)))
    assert result.view is not None and result.view.config.base_url == f"https://{DOMAIN}/"

    assert (output / "CNAME").read_bytes() == f"{DOMAIN}\n".encode()
    assert (output / ".nojekyll").is_file() and (output / "index.html").is_file()
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert feed.entries and all(entry.link.startswith(f"https://{DOMAIN}/") for entry in feed.entries)
    assert f"Sitemap: https://{DOMAIN}/sitemap.xml" in (output / "robots.txt").read_text(encoding="utf-8")

    origin = serve(output)
    statuses = crawl(origin, f"https://{DOMAIN}/", "/", output)
    assert "/" in statuses and not any(path.startswith(f"/{DOMAIN_SITE}/") for path in statuses)


def test_cname_only_for_the_domain_the_site_is_built_for(make_workspace, tmp_path):
    workspace = make_workspace({
        "sites/kim-a.yaml": f"name: KIM A\nkecamatan: Maniis\ndomain: {DOMAIN}\n",
        "content/kim-a/2025-01-02-kabar.md": "---\ntitle: Kabar\ndate: 2025-01-02 08:00\n---\n\nIsi.\n",
    })
    alone = tmp_path / "alone"
    build(workspace, BuildOptions(site="kim-a", output=str(alone)))
    assert (alone / "CNAME").read_text(encoding="utf-8") == f"{DOMAIN}\n"
    preview = tmp_path / "preview"  # built alone for another address: no CNAME
    build(workspace, BuildOptions(site="kim-a", base_url="http://localhost:8000/", output=str(preview)))
    assert not (preview / "CNAME").exists()
    whole = tmp_path / "whole"  # the whole workspace lives at the workspace's own address
    build(workspace, BuildOptions(output=str(whole)))
    assert not (whole / "CNAME").exists()


def test_crawl_reports_a_broken_link(tmp_path, serve):
    """The crawler can fail: a root-relative link that forgets the /<repo>/ prefix answers 404."""
    site = tmp_path / "pages" / REPO_NAME
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text('<a href="/kim/a/">ok</a> <link rel="stylesheet" href="/style.css">',
                                     encoding="utf-8")
    (site / "a" / "index.html").write_text('<img src="../gambar.png" srcset="/kim/a/ 2x">', encoding="utf-8")
    origin = serve(tmp_path / "pages")
    with pytest.raises(AssertionError) as failure:
        crawl(origin, PROJECT_URL, f"/{REPO_NAME}/", site)
    assert "/style.css" in str(failure.value) and "/kim/gambar.png" in str(failure.value)
    assert "'/kim/a/'" not in str(failure.value)
