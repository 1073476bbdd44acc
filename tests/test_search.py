"""Search: a page that works without Pagefind, and Pagefind indexes with `build --search`."""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import socket
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kimsite.pages import search
from kimsite.build import BuildOptions, build
from kimsite.base.problems import KimsiteError

HAS_PAGEFIND = importlib.util.find_spec("pagefind") is not None
NEEDS_PAGEFIND = pytest.mark.skipif(not HAS_PAGEFIND, reason="Pagefind is not installed: "
                                    "pip install 'kimsite[search]' (PyPI pagefind[bin])")

FILES = {
    "sites/kim-uji.yaml": "name: KIM Uji\nkecamatan: Maniis\n",
    "sites/kim-dua.yaml": "name: KIM Dua\nkecamatan: Bojong\n",
    "content/kim-uji/2025-01-10-panen.md": """\
        ---
        title: Panen Padi Gadu di Citamiang
        date: 2025-01-10 08:00
        category: Pertanian
        ---

        Petani memanen padi gadu dengan hasil ubinan yang baik.
        """,
    "content/kim-dua/2025-02-10-jembatan.md": """\
        ---
        title: Jembatan Gantung Diperbaiki Warga
        date: 2025-02-10 08:00
        ---

        Warga mengganti papan jembatan gantung yang lapuk.
        """,
}


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def tags(path: Path) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.found


def test_search_page_works_without_pagefind(make_workspace):
    root = make_workspace(FILES)
    build(root, BuildOptions())
    page = root / "_site" / "kim-uji" / "cari" / "index.html"
    found = tags(page)
    assert not [attrs for tag, attrs in found if tag == "script" and attrs.get("type") != "application/ld+json"]
    forms = [attrs for tag, attrs in found if tag == "form"]
    assert {"action": "https://duckduckgo.com/", "method": "get", "class": "search"} in forms
    assert ("input", {"type": "hidden", "name": "sites", "value": "example.github.io/repo/kim-uji"}) in found
    assert any(tag == "a" and attrs.get("href") == "/repo/kim-uji/kategori/pertanian/" for tag, attrs in found)
    # without an index every page's header carries a web search limited to the KIM (the query is kept)
    article = tags(root / "_site" / "kim-uji" / "2025" / "01" / "panen" / "index.html")
    assert ("form", {"class": "search", "action": "https://duckduckgo.com/", "method": "get",
                     "role": "search"}) in article
    assert ("input", {"type": "hidden", "name": "sites", "value": "example.github.io/repo/kim-uji"}) in article
    assert (root / "_site" / "cari" / "index.html").is_file()


def test_missing_pagefind_is_a_clear_error(make_workspace, monkeypatch):
    monkeypatch.setattr(search, "pagefind_command", lambda: None)
    root = make_workspace(FILES)
    with pytest.raises(KimsiteError) as caught:
        build(root, BuildOptions(search=True))
    (problem,) = caught.value.problems
    assert problem.code == "search_unavailable" and "kimsite[search]" in problem.text("en")


@NEEDS_PAGEFIND
def test_build_with_search_indexes_every_site_and_the_root(make_workspace):
    root = make_workspace(FILES)
    build(root, BuildOptions(search=True))
    site = root / "_site"
    # one index and one copy of Pagefind's files serve every site
    assert (site / "pagefind" / "pagefind-ui.js").is_file() and (site / "pagefind" / "pagefind-entry.json").is_file()
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("pagefind-ui.js")) == ["pagefind/pagefind-ui.js"]
    search_page = site / "kim-uji" / "cari" / "index.html"
    scripts = [attrs.get("src") for tag, attrs in tags(search_page) if tag == "script"]
    assert "/repo/pagefind/pagefind-ui.js" in scripts
    assert 'ui.triggerFilters({kim: [kim]})' in search_page.read_text(encoding="utf-8")
    assert 'var kim = "KIM Uji";' in search_page.read_text(encoding="utf-8")
    # only the search page carries a script
    article = site / "kim-uji" / "2025" / "01" / "panen" / "index.html"
    assert not [a for tag, a in tags(article) if tag == "script" and a.get("type") != "application/ld+json"]
    # a later build without --search drops the script again
    build(root, BuildOptions())
    scripts = [attrs.get("src") for tag, attrs in tags(site / "kim-uji" / "cari" / "index.html") if tag == "script"]
    assert "/repo/pagefind/pagefind-ui.js" not in scripts


@NEEDS_PAGEFIND
@pytest.mark.browser
def test_search_finds_an_article_in_the_browser(make_workspace):
    chromium = os.environ.get("KIMSITE_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).is_file() or importlib.util.find_spec("playwright") is None:
        if os.environ.get("KIMSITE_SKIP_BROWSER") == "1":
            pytest.skip("no Chromium/Playwright (KIMSITE_SKIP_BROWSER=1)")
        pytest.fail(f"Chromium ({chromium}) or Playwright missing — or set KIMSITE_SKIP_BROWSER=1", pytrace=False)
    from playwright.sync_api import sync_playwright

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    root = make_workspace(FILES)
    build(root, BuildOptions(search=True, base_url=f"http://127.0.0.1:{port}/repo/", output="www/repo"))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root / "www"))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"])
            page = browser.new_page(viewport={"width": 360, "height": 740})
            errors: list[str] = []
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.goto(f"http://127.0.0.1:{port}/repo/kim-uji/cari/?q=padi")
            page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
            links = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.href)")
            width = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            page.screenshot(path=str(Path(__file__).parent / "artifacts" / "search-results.png"), full_page=True)
            # the shared index: another KIM's page filters it to its own articles, the portal's does not
            page.goto(f"http://127.0.0.1:{port}/repo/kim-dua/cari/?q=padi")
            page.wait_for_selector(".pagefind-ui__message", timeout=15000)
            page.wait_for_timeout(500)
            other = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.length")
            page.goto(f"http://127.0.0.1:{port}/repo/cari/?q=padi")
            page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
            everywhere = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.href)")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    assert links == [f"http://127.0.0.1:{port}/repo/kim-uji/2025/01/panen/"]
    assert other == 0
    assert everywhere == links
    assert width and errors == []


@NEEDS_PAGEFIND
def test_search_can_be_switched_on_in_kimsite_yaml(make_workspace):
    from conftest import MINIMAL_CONFIG

    root = make_workspace({**FILES, "kimsite.yaml": MINIMAL_CONFIG + "search: true\n"})
    build(root, BuildOptions())
    assert (root / "_site" / "pagefind" / "pagefind-ui.js").is_file()


def test_search_setting_must_be_true_or_false(make_workspace):
    from conftest import MINIMAL_CONFIG

    root = make_workspace({**FILES, "kimsite.yaml": MINIMAL_CONFIG + "search: kadang\n"})
    with pytest.raises(KimsiteError) as caught:
        build(root, BuildOptions())
    assert [(p.file, p.code) for p in caught.value.problems] == [("kimsite.yaml", "field_bad_choice")]
