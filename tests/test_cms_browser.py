"""The published /admin/ in headless Chromium: the pinned editor bundle (served from its npm
package by intercepting the CDN address, which this machine cannot reach) passes its
integrity check, boots, reads the generated configuration without console errors or
warnings about it, and shows its sign-in screen with token sign-in. Screenshot:
tests/artifacts/cms-sign-in.png.
"""

from __future__ import annotations

import base64
import functools
import re
import http.server
import threading
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from kimsite.build import BuildOptions, build
from kimsite.cli import main
from kimsite.cms import bundle
from cms_package import bundle_bytes
from fake_github import FakeGitHub
from kimsite.commands.check import collect
from conftest import copy_demo
from test_browser import ARTIFACTS, _free_port, _Quiet, browser  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

# What the editor itself loads from other hosts besides its bundle: its two fonts, and the
# npm registry's latest version (to offer updates). Not scripts; answered here as a CDN would
# not be reachable from this machine.
EDITOR_FONTS = "https://cdn.jsdelivr.net/fontsource/fonts/"
LATEST_VERSION = "https://unpkg.com/@sveltia/cms/package.json"
SERVED_WORKSPACE: list = []  # the workspace the served site was built from
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
    SERVED_WORKSPACE.append(demo)
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


def _new_entry(page, base: str, collection: str, values: dict[str, str], photo: Path | None = None) -> None:
    """Open a new entry, let the form render every field, fill them (inputs found by the field
    name the editor puts on each field's section) and save. `image.*` values go into the
    optional photo group, added first (with `photo` uploaded into it)."""
    page.goto(base + f"admin/#/collections/{collection}/new")
    page.locator("[data-key-path=title] input").wait_for(timeout=15_000)
    _render_all(page)
    if any(name.startswith("image.") for name in values):
        page.get_by_role("checkbox", name=re.compile("Foto utama")).check()
        page.locator("[data-key-path='image.alt'] input").wait_for(timeout=10_000)
        _render_all(page)
    for name, value in values.items():
        if name in ("label", "category"):
            _choose(page, name, value)
        else:
            page.locator(f"[data-key-path='{name}'] :is(input, textarea)").first.fill(value)
    if photo is not None:
        page.locator("[data-key-path='image.src'] input[type=file]").first.set_input_files(str(photo))
        page.get_by_text(re.compile(photo.stem.replace("_", "."), re.I)).first.wait_for(timeout=20_000)  # converted


def _render_all(page) -> None:
    for _ in range(15):  # fields further down are rendered as they scroll into view
        page.mouse.move(180, 400)
        page.mouse.wheel(0, 1500)
        page.wait_for_timeout(100)


def _choose(page, name: str, value: str) -> None:
    """A select field: radio buttons for a few options, a dropdown list for more."""
    section = page.locator(f"[data-key-path='{name}']")
    radio = section.get_by_role("radio", name=value)
    if radio.count():
        radio.check()
        return
    section.get_by_role("combobox").first.click()
    page.get_by_role("option", name=value, exact=True).click()


def _save(page, github: FakeGitHub) -> dict[str, bytes]:
    count = len(github.commits)
    page.get_by_role("button", name="Save").click()
    for _ in range(100):
        if len(github.commits) > count:
            break
        page.wait_for_timeout(100)
    assert len(github.commits) == count + 1, "the editor did not commit"
    return {item["path"]: base64.b64decode(item["contents"]) for item in github.commits[-1]["additions"]}


def test_what_the_editor_saves_passes_check_and_builds(browser, served, tmp_path):  # noqa: F811
    """The real editor signs in (GitHub answered by a fake) and a volunteer writes an article
    with a photo from the phone's camera, a hoax clarification, an event and a product; the
    files it commits go into a copy of the workspace, which `kimsite check` finds clean and
    the build publishes."""
    from PIL import Image

    github = FakeGitHub("diskominfo-purwakarta", "kim", "main", SERVED_WORKSPACE[-1])
    page, console, other_hosts, _ = open_admin(browser, served, bundle_bytes())
    page.route("https://api.github.com/**", github.handle)
    page.get_by_role("button", name="Sign In Using Access Token").click()
    page.get_by_role("textbox").first.fill("github_pat_contoh")
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.get_by_text("Berita · KIM Maniis Harmonis").first.wait_for(timeout=30_000)

    kim = "maniis-harmonis"
    photo = tmp_path / "IMG_20250701_093000.jpg"
    camera = BytesIO()
    Image.new("RGB", (3000, 2000), (190, 150, 60)).save(camera, "JPEG", quality=90)
    photo.write_bytes(camera.getvalue())
    _new_entry(page, served, f"{kim}-berita", {"title": "Panen Raya Padi di Desa Maniis", "date": "2025-07-01T09:30",
                                                "category": "Pertanian",
                                                "image.alt": "Petani memanen padi di sawah Desa Maniis"}, photo)
    added = _save(page, github)
    assert len(added) == 2, sorted(added)
    article = next(path for path in added if path.endswith(".md"))
    picture = next(path for path in added if not path.endswith(".md"))
    assert re.fullmatch(rf"content/{kim}/\d{{4}}-\d{{2}}-\d{{2}}-panen-raya-padi-di-desa-maniis\.md", article)
    assert picture.startswith(f"content/{kim}/media/") and picture.endswith(".webp")
    with Image.open(BytesIO(added[picture])) as saved:
        assert max(saved.size) <= 2048 and not saved.getexif()  # made smaller, no camera metadata
    text = added[article].decode()
    assert "date: 2025-07-01T09:30:00+07:00" in text and f"image:\n  src: {picture.split('/', 2)[2]}\n  alt: Petani" in text

    _new_entry(page, served, f"{kim}-klarifikasi", {"title": "Pesan Bantuan Tunai Lewat Tautan", "date": "2025-07-02T10:00",
                                                     "klaim": "Bantuan tunai dibagikan lewat tautan di WhatsApp.",
                                                     "label": "HOAKS"})  # no photo: nothing about one asked
    added.update(_save(page, github))
    _new_entry(page, served, f"{kim}-agenda", {"title": "Posyandu Balita Bulan Juli", "date": "2025-07-03T08:00",
                                                "mulai": "2025-07-10T08:00", "selesai": "2025-07-10T11:00",
                                                "tempat": "Balai Desa Maniis", "kategori_baru": "Kesehatan Ibu dan Anak"})
    added.update(_save(page, github))
    _new_entry(page, served, f"{kim}-produk", {"title": "Keripik Ikan Nila Maniis", "date": "2025-07-04T09:00",
                                                "produsen": "KWT Maniis", "harga": "Rp 25.000",
                                                "whatsapp": "0812-3456-7890"})
    added.update(_save(page, github))
    page.screenshot(path=str(ARTIFACTS / "cms-saved.png"), full_page=True)
    page.close()
    assert github.unknown == [], github.unknown
    assert other_hosts == []
    sources = sorted(path for path in added if path.endswith(".md"))
    assert len(sources) == 4
    assert any("label: HOAKS" in added[path].decode() for path in sources)
    without_photo = [added[path].decode() for path in sources if path != article]
    assert len(without_photo) == 3 and not any("image" in text for text in without_photo)
    assert any("kategori_baru: Kesehatan Ibu dan Anak" in text for text in without_photo)

    workspace = copy_demo(tmp_path / "after-save")
    for path, data in added.items():
        (workspace / path).parent.mkdir(parents=True, exist_ok=True)
        (workspace / path).write_bytes(data)
    problems = [p.format("en") for p in collect(workspace, kim, False, False) if p.file in added]
    assert problems == []
    build(workspace, BuildOptions(jobs=1))
    site = workspace / f"_site/{kim}"
    html = (site / "2025/07/panen-raya-padi-di-desa-maniis/index.html").read_text(encoding="utf-8")
    assert "Petani memanen padi di sawah Desa Maniis" in html
    assert "[HOAKS]" in (site / "2025/07/pesan-bantuan-tunai-lewat-tautan/index.html").read_text(encoding="utf-8")
    event = (site / "2025/07/posyandu-balita-bulan-juli/index.html").read_text(encoding="utf-8")
    assert "Balai Desa Maniis" in event and "kategori/kesehatan-ibu-dan-anak/" in event
    assert (site / "kategori/kesehatan-ibu-dan-anak/index.html").is_file()
    product = (site / "2025/07/keripik-ikan-nila-maniis/index.html").read_text(encoding="utf-8")
    assert "https://wa.me/6281234567890" in product and "Rp25.000" in product


def test_a_category_missing_from_the_choice_is_kept_when_an_entry_is_edited(browser, served):  # noqa: F811
    """An article whose category is not among the editor's choices (written by hand after the
    configuration was made) keeps it when a volunteer edits another field and saves."""
    kim, name = "maniis-harmonis", "2025-06-01-tulisan-tangan"
    source = SERVED_WORKSPACE[-1] / "content" / kim / f"{name}.md"
    source.write_text("---\ntitle: Tulisan Tangan\ndate: 2025-06-01T08:00:00+07:00\ncategory: Kebersihan Desa\n"
                      "summary: Ringkasan lama.\n---\nIsi.\n", encoding="utf-8")
    try:
        github = FakeGitHub("diskominfo-purwakarta", "kim", "main", SERVED_WORKSPACE[-1])
        page, console, _, _ = open_admin(browser, served, bundle_bytes())
        page.route("https://api.github.com/**", github.handle)
        page.get_by_role("button", name="Sign In Using Access Token").click()
        page.get_by_role("textbox").first.fill("github_pat_contoh")
        page.get_by_role("button", name="Sign In", exact=True).click()
        page.get_by_text("Berita · KIM Maniis Harmonis").first.wait_for(timeout=30_000)
        page.goto(served + f"admin/#/collections/{kim}-berita/entries/{name}")
        summary = page.locator("[data-key-path=summary] textarea").first
        summary.wait_for(timeout=15_000)
        summary.fill("Ringkasan baru.")
        saved = _save(page, github)
        page.close()
    finally:
        source.unlink()
    text = saved[f"content/{kim}/{name}.md"].decode()
    assert "summary: Ringkasan baru." in text
    assert "category: Kebersihan Desa" in text, text
