"""The published /admin/ in headless Chromium: the pinned editor bundle (served from its npm
package by intercepting the CDN address, which this machine cannot reach) passes its
integrity check, boots, reads the generated configuration without console errors or
warnings about it, and shows its sign-in screen with token sign-in. Screenshot:
tests/artifacts/cms-sign-in.png.
"""

from __future__ import annotations

import functools
import http.server
import threading
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from kimsite.build import BuildOptions, build
from kimsite.cli import main
from kimsite.cms import bundle
from cms_package import bundle_bytes
from conftest import copy_demo
from test_browser import ARTIFACTS, _free_port, _Quiet, browser  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

# What the editor itself loads from other hosts besides its bundle: its two fonts, and the
# npm registry's latest version (to offer updates). Not scripts; answered here as a CDN would
# not be reachable from this machine.
EDITOR_FONTS = "https://cdn.jsdelivr.net/fontsource/fonts/"
LATEST_VERSION = "https://unpkg.com/@sveltia/cms/package.json"
GITHUB_STATUS = "https://www.githubstatus.com/api/v2/status.json"  # asked before signing in to GitHub


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The demo regency with `kimsite cms`, built for http://127.0.0.1:PORT/repo/."""
    demo = copy_demo(tmp_path_factory.mktemp("cms-browser") / "demo")
    result = CliRunner().invoke(main, ["cms", "-C", str(demo), "--repo", "diskominfo-purwakarta/kim"])
    assert result.exit_code == 0, result.output
    port = _free_port()
    base = f"http://127.0.0.1:{port}/repo/"
    build(demo, BuildOptions(base_url=base, output="www/repo"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                             functools.partial(_Quiet, directory=str(demo / "www")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base
    server.shutdown()
    server.server_close()


def open_admin(browser, base: str, body: bytes):  # noqa: F811
    page = browser.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=1)
    console: list[str] = []
    other_hosts: list[str] = []
    bundle_requests: list[str] = []
    expected: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text} "
                                                      f"({message.location.get('url')})")
            if message.type in ("error", "warning") and message.location.get("url") not in expected else None)
    page.on("pageerror", lambda exc: console.append(f"pageerror: {exc}"))

    def route(request_route):
        url = request_route.request.url
        if url == bundle.URL:
            bundle_requests.append(url)
            request_route.fulfill(status=200, body=body, content_type="text/javascript",
                                  headers={"access-control-allow-origin": "*"})
        elif urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
            request_route.continue_()
        elif url == LATEST_VERSION:
            request_route.fulfill(status=200, json={"name": bundle.PACKAGE, "version": bundle.VERSION},
                                  headers={"access-control-allow-origin": "*"})
        elif url == GITHUB_STATUS:
            request_route.fulfill(status=200, json={"status": {"indicator": "none", "description": "OK"}},
                                  headers={"access-control-allow-origin": "*"})
        elif url.startswith(EDITOR_FONTS) and url.endswith(".woff2"):
            expected.append(url)
            request_route.abort()
        else:
            other_hosts.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(base + "admin/", wait_until="load")
    return page, console, other_hosts, bundle_requests


def test_editor_boots_and_shows_token_sign_in(browser, served):  # noqa: F811
    page, console, other_hosts, bundle_requests = open_admin(browser, served, bundle_bytes())
    sign_in = page.get_by_role("button", name="Sign In Using Access Token")
    sign_in.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cms-sign-in.png"), full_page=True)
    text = page.inner_text("body").replace("\u2068", "").replace("\u2069", "")  # bidi isolates
    assert "Welcome to Penyunting Situs KIM" in text
    assert "Sign In with GitHub" not in text  # needs an OAuth server GitHub Pages does not have
    assert bundle_requests == [bundle.URL]
    assert console == [], f"console: {console}"
    assert other_hosts == [], f"requests to other hosts: {other_hosts}"
    sign_in.click()  # the token form: what volunteers use, no OAuth server needed
    page.get_by_role("textbox").first.wait_for(timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "cms-token.png"), full_page=True)
    assert console == [], f"console: {console}"
    page.close()


def test_a_tampered_bundle_is_refused(browser, served):  # noqa: F811
    page, console, _, bundle_requests = open_admin(browser, served, bundle_bytes() + b"\n;window.evil=1;")
    page.wait_for_timeout(1500)
    assert bundle_requests == [bundle.URL]
    assert page.evaluate("() => window.evil") is None
    assert any("integrity" in line.lower() for line in console), console
    assert "Sign In" not in page.inner_text("body")
    page.close()
