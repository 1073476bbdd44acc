"""The demo in a real browser: headless Chromium (Debian's package) driven by Playwright.

The demo is built with base_url http://127.0.0.1:PORT/repo/ and served under /repo/ on
127.0.0.1. On a 360×740 phone viewport each page must render without horizontal
scrolling, console errors or requests to other hosts, with every picture loaded; the
share links must carry the article's URL. Screenshots go to tests/artifacts/.

Without Chromium they are skipped (tests/conftest.py says how to install it), except in CI
(CI=true), where a missing browser fails them.
"""

from __future__ import annotations

import functools
import http.server
import socket
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from kimsite.build import BuildOptions, build
from conftest import CHROMIUM, browser_problem, copy_demo

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ARTICLE = "maniis-harmonis/2025/07/panen-padi-gadu/"
PAGES = {
    "home": "maniis-harmonis/",
    "article": ARTICLE,
    "article-inline-photo": "cikeris-sauyunan/2025/04/jembatan-gantung-cikeris/",
    "article-product": "maniis-harmonis/2025/12/keripik-ikan-nila-citamiang/",
    "portal": "",
    "data": "data/",
    "search": "maniis-harmonis/cari/",
}


@pytest.fixture(scope="module")
def browser():
    problem = browser_problem()
    if problem:  # only reached in CI: elsewhere conftest.py skips these tests
        pytest.fail(f"{problem}: apt-get install chromium chromium-driver", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The demo built for http://127.0.0.1:PORT/repo/ and served from a thread; yields the base URL."""
    work = tmp_path_factory.mktemp("browser")
    demo = work / "demo"
    copy_demo(demo)
    port = _free_port()
    base = f"http://127.0.0.1:{port}/repo/"
    build(demo, BuildOptions(base_url=base, output="www/repo"))
    handler = functools.partial(_Quiet, directory=str(demo / "www"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def _visit(browser, url: str, name: str) -> dict:
    page = browser.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=1)
    errors: list[str] = []
    foreign: list[str] = []
    failed: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda request: foreign.append(request.url)
            if urlsplit(request.url).hostname not in ("127.0.0.1", None) and not request.url.startswith("data:")
            else None)
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda answer: failed.append(f"{answer.url} ({answer.status})")
            if answer.status >= 400 else None)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, f"{url}: HTTP {response and response.status}"
    # scroll through the page so lazy pictures load, then come back
    page.evaluate("""async () => {
        for (let y = 0; y < document.body.scrollHeight; y += 500) { window.scrollTo(0, y);
            await new Promise(r => setTimeout(r, 30)); }
        window.scrollTo(0, 0);
        await Promise.all([...document.images].map(i => i.complete ? null : new Promise(r => {
            i.addEventListener('load', r); i.addEventListener('error', r); })));
    }""")
    facts = page.evaluate("""() => ({
        scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
        images: [...document.images].map(i => ({src: i.currentSrc || i.src, w: i.naturalWidth})),
        shares: [...document.querySelectorAll('.share a')].map(a => a.href),
        canonical: (document.querySelector('link[rel=canonical]') || {}).href || '',
        wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right
              > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className),
    })""")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.close()
    facts.update(errors=errors, foreign=foreign, failed=failed)
    return facts


@pytest.mark.parametrize("name", list(PAGES))
def test_page_on_a_phone(browser, served, name):
    location = PAGES[name]
    facts = _visit(browser, served + location, name)
    assert facts["scrollWidth"] <= facts["innerWidth"], \
        f"{name}: horizontal scrolling ({facts['scrollWidth']} > {facts['innerWidth']}); too wide: {facts['wide']}"
    assert facts["errors"] == [], f"{name}: console errors {facts['errors']}"
    assert facts["foreign"] == [], f"{name}: requests to other hosts {facts['foreign']}"
    assert facts["failed"] == [], f"{name}: failed requests {facts['failed']}"
    broken = [image["src"] for image in facts["images"] if image["w"] == 0]
    assert broken == [], f"{name}: pictures that did not load: {broken}"
    if name.startswith("article"):
        assert facts["images"], f"{name}: the demo article should show a picture"
        assert all(".webp" in image["src"] for image in facts["images"]), "Chromium should pick the WebP source"


def test_share_links_in_the_browser(browser, served):
    facts = _visit(browser, served + ARTICLE, "article-share")
    url = served + ARTICLE
    assert facts["canonical"] == url
    by_host = {urlsplit(href).hostname or urlsplit(href).scheme: href for href in facts["shares"]}
    assert parse_qs(urlsplit(by_host["www.facebook.com"]).query)["u"] == [url]
    assert parse_qs(urlsplit(by_host["t.me"]).query)["url"] == [url]
    assert parse_qs(urlsplit(by_host["twitter.com"]).query)["url"] == [url]
    assert url in parse_qs(urlsplit(by_host["wa.me"]).query)["text"][0]
    assert url in parse_qs(urlsplit(by_host["mailto"]).query)["body"][0]


# --- layout facts at a phone's and a desktop's width --------------------------------------------

LAYOUT_PAGES = {"portal": "", "home": "maniis-harmonis/", "article": ARTICLE, "data": "data/",
                "archive": "maniis-harmonis/arsip/2025/", "klarifikasi": "maniis-harmonis/2025/10/"
                "klarifikasi-ikan-cirata-beracun/", "not-found": "404.html"}
LAYOUT_FACTS = """async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 400) { window.scrollTo(0, y);
        await new Promise(r => setTimeout(r, 30)); }
    window.scrollTo(0, 0);
    await Promise.all([...document.images].map(i => i.complete ? null : new Promise(r => {
        i.addEventListener('load', r); i.addEventListener('error', r); })));
    const left = e => e ? Math.round(e.getBoundingClientRect().left + parseFloat(getComputedStyle(e).paddingLeft)) : null;
    const px = e => parseFloat(getComputedStyle(e).fontSize) * e.getScreenCTM().a;
    return {
        scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
        menu: left(document.querySelector('.menu ul')), main: left(document.querySelector('main')),
        brand: left(document.querySelector('.masthead .wrap')),
        thumbs: [...document.querySelectorAll('a.thumb img')].filter(i => !i.closest('.lead-story'))
            .map(i => ({loading: i.getAttribute('loading'),
            width: i.getAttribute('width'), height: i.getAttribute('height'), natural: i.naturalWidth,
            shown: Math.round(i.getBoundingClientRect().width)})),
        lead: [...document.querySelectorAll('.lead-story img')].map(i => i.getAttribute('loading')),
        chartText: [...document.querySelectorAll('svg.chart text')].map(px),
        tables: [...document.querySelectorAll('main table')].map(t => Math.round(t.getBoundingClientRect().right)),
        icon: [...document.querySelectorAll('link[rel=icon]')].map(l => l.href),
    };
}"""


@pytest.mark.parametrize("width", [360, 1280])
def test_layout_at_phone_and_desktop_width(browser, served, width):
    """The menu starts where the page does, nothing scrolls sideways, list thumbnails are lazy and
    sized, chart labels stay readable and tables fit; screenshots go to tests/artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
    seen_thumbs = 0
    try:
        for name, location in LAYOUT_PAGES.items():
            response = page.goto(served + location, wait_until="load")
            assert response is not None and response.status == 200, name
            facts = page.evaluate(LAYOUT_FACTS)
            page.screenshot(path=str(ARTIFACTS / f"layout-{name}-{width}.png"), full_page=True)
            assert facts["scrollWidth"] <= facts["innerWidth"], (name, width, facts["scrollWidth"])
            assert facts["menu"] is not None, f"{name}: every page has the menu"
            assert facts["menu"] == facts["main"] == facts["brand"], (name, width, facts)
            for thumb in facts["thumbs"]:
                assert thumb["loading"] == "lazy" and thumb["width"] and thumb["height"], (name, thumb)
                assert thumb["natural"] > 0, f"{name}: a thumbnail did not load"
                assert thumb["shown"] <= 170, f"{name}: a thumbnail should stay small ({thumb['shown']} px)"
            seen_thumbs += len(facts["thumbs"]) + len(facts["lead"])
            assert all(loading != "lazy" for loading in facts["lead"]), f"{name}: the lead picture loads first"
            assert all(size >= 12 for size in facts["chartText"]), (name, width, min(facts["chartText"]))
            if name == "data":
                assert facts["chartText"], "the Data & Angka chart has labels"
            assert all(right <= facts["innerWidth"] for right in facts["tables"]), (name, width, facts["tables"])
            assert facts["icon"] and all(not href.startswith("data:") for href in facts["icon"]), name
    finally:
        page.close()
    assert seen_thumbs >= 3, "the demo's lists should show some thumbnails"
