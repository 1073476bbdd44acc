"""Links work where the site is really hosted.

* GitHub project pages: built with base_url https://example.github.io/repo/, the output folder is
  served under /repo/ on 127.0.0.1 (anything outside /repo/ is a 404, as on GitHub), and every
  internal link, stylesheet, image and feed reachable from the home page is followed: no 404,
  nothing outside /repo/.
* One KIM built alone with --site at the root of its own domain: the same crawl at "/", and no
  trace of the other KIMs.

Both builds run through the command line, as a user runs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "basic"
NOW = "2025-12-01T10:00:00+07:00"


def cli_build(workspace: Path, *args: str) -> None:
    env = {**os.environ, "KIMSITE_NOW": NOW, "KIMSITE_LANG": "id"}
    result = subprocess.run([sys.executable, "-m", "kimsite", "build", "-C", str(workspace), *args],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


class PrefixHandler(SimpleHTTPRequestHandler):
    """Serves `directory` under `prefix` only; everything else is 404 (like a GitHub project site)."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        clean = urlsplit(path).path
        if not clean.startswith(self.prefix):
            return os.path.join(self.directory, ".kimsite-test-missing", "x")
        return super().translate_path("/" + clean[len(self.prefix):])

    def list_directory(self, path):  # GitHub Pages lists no folders: a folder without index.html is 404
        self.send_error(404)
        return None

    def log_message(self, format, *args):  # keep the test output quiet
        pass


@contextmanager
def serve(folder: Path, prefix: str):
    handler = type("Handler", (PrefixHandler,), {"prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class Links(HTMLParser):
    """Every URL a browser would follow or load: a/href, link/href, img/src, script/src, source,
    form/action."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, str]] = []  # (tag, url)
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("action"):
            self.found.append((tag, attributes["action"]))
        for name in ("href", "src"):
            value = attributes.get(name)
            if value and tag in ("a", "link", "img", "script", "source", "iframe"):
                if tag == "link" and attributes.get("rel") in ("canonical",):
                    continue  # the public address, not the test server's
                self.found.append((tag, value))
        if attributes.get("srcset"):
            for part in attributes["srcset"].split(","):
                self.found.append((tag, part.strip().split(" ")[0]))


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, b"", ""


def crawl(origin: str, start: str, allowed_prefix: str, public_base: str) -> tuple[set[str], list[str]]:
    """Follow every internal URL from `start`; returns (visited paths, problems)."""
    problems: list[str] = []
    seen: set[str] = set()
    queue = [start]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        status, body, content_type = fetch(origin + path)
        if status != 200:
            problems.append(f"{status} {path}")
            continue
        if "html" not in content_type:
            continue
        for tag, url in Links(body.decode("utf-8")).found:
            url = urldefrag(url)[0]
            if not url or url.startswith(("mailto:", "tel:", "data:")):
                continue
            if url.startswith(public_base):  # an absolute link to the site itself
                url = allowed_prefix + url[len(public_base):]
            parts = urlsplit(urljoin(path, url))
            if parts.scheme or parts.netloc:
                continue  # external site (social links, wa.me)
            target = unquote(parts.path)
            if not target.startswith(allowed_prefix):
                problems.append(f"{path}: <{tag}> points outside {allowed_prefix}: {url}")
                continue
            queue.append(parts.path)
    return seen, problems


def all_files(output: Path) -> set[str]:
    return {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory) -> Path:
    workspace = tmp_path_factory.mktemp("subpath") / "ws"
    shutil.copytree(FIXTURE, workspace)
    cli_build(workspace, "--base-url", "https://example.github.io/repo/")
    return workspace / "_site"


def test_subpath_site_has_no_broken_links(subpath_site: Path):
    with serve(subpath_site, "/repo/") as origin:
        assert fetch(origin + "/kim-a/")[0] == 404, "the test server must hide everything outside /repo/"
        visited, problems = crawl(origin, "/repo/", "/repo/", "https://example.github.io/repo/")
    assert not problems, "\n".join(problems)
    # The crawl reached every KIM page, list, feed and the stylesheet.
    for needed in ("/repo/kim-a/", "/repo/kim-a/halaman/2/", "/repo/kim-a/2024/11/rincian-apbdes/",
                   "/repo/kim-a/kategori/pemerintahan/", "/repo/kim-a/kategori/pemerintahan/feed.xml",
                   "/repo/kim-a/feed.xml", "/repo/kim-a/atom.xml", "/repo/kim-a/media/materi.txt", "/repo/kim-a/profil/", "/repo/kim-a/tentang/",
                   "/repo/kim-b/", "/repo/kim-b/feed.xml"):
        assert needed in visited, needed
    assert any(path.startswith("/repo/assets/") and path.endswith(".css") for path in visited)
    assert any(path.startswith("/repo/kim-a/media/foto") for path in visited), "the picture was not reached"
    pages = {f for f in all_files(subpath_site) if f.endswith("index.html")}
    reached = {p[len("/repo/"):] + "index.html" for p in visited if p.endswith("/")}
    assert pages <= reached, f"pages no link leads to: {sorted(pages - reached)}"


def test_subpath_absolute_urls_keep_the_base_path(subpath_site: Path):
    for path in subpath_site.rglob("*"):
        if path.suffix in (".html", ".xml", ".txt") and path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "https://example.github.io/kim-" not in text, path
            assert 'href="/kim-' not in text and 'src="/kim-' not in text, path
            assert 'href="/assets' not in text, path


def test_404_page_works_from_any_depth(subpath_site: Path):
    """GitHub serves 404.html for every missing URL, at any depth: its links must be root-relative."""
    links = [url for _, url in Links((subpath_site / "404.html").read_text(encoding="utf-8")).found]
    assert links
    for url in links:
        assert url.startswith(("/repo/", "https://", "#", "data:")), url


def test_single_site_at_domain_root(tmp_path: Path):
    workspace = tmp_path / "ws"
    shutil.copytree(FIXTURE, workspace)
    cli_build(workspace, "--site", "kim-a", "--base-url", "https://kim-a.example.id/")
    output = workspace / "_site"
    files = all_files(output)
    assert "index.html" in files and "feed.xml" in files and "2024/11/rincian-apbdes/index.html" in files
    assert not any(f.startswith(("kim-a/", "kim-b/")) for f in files), "the KIM lives at the root"
    everything = "\n".join((output / f).read_text(encoding="utf-8") for f in files
                           if f.endswith((".html", ".xml", ".txt")))
    assert "kim-b" not in everything and "KIM Sauyunan" not in everything
    assert "https://kim-a.example.id/2024/11/rincian-apbdes/" in (output / "feed.xml").read_text()
    with serve(output, "/") as origin:
        visited, problems = crawl(origin, "/", "/", "https://kim-a.example.id/")
    assert not problems, "\n".join(problems)
    for needed in ("/", "/halaman/2/", "/feed.xml", "/atom.xml", "/media/materi.txt", "/profil/",
                   "/kategori/pemerintahan/feed.xml"):
        assert needed in visited, needed
    assert any(path.startswith("/media/foto") for path in visited), "the picture was not reached"
