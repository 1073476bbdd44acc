"""`kimsite serve` shows the last build's warnings in the browser, as a banner on every page
(the built files never carry it)."""

from __future__ import annotations

from test_serve import ServeProcess
from test_written_elsewhere import workspace

FILE = "content/uji/rapat.md"


def test_warnings_show_as_a_banner(make_workspace):
    root = workspace(make_workspace, {FILE: "---\ntitle: Rapat\ndate: 2026-12-03\nkategory: Berita\n---\nIsi.\n"})
    server = ServeProcess(root)
    try:
        server.wait_for_output("pratinjau siap")
        for path in ("/repo/uji/2026/12/rapat/", "/repo/uji/", "/repo/uji/tidak-ada/"):
            status, _, page = server.get(path)
            assert status in (200, 404)
            banner = page[page.index('<details id="kimsite-warnings"'):page.index("</details>")]
            assert "1 peringatan" in banner
            assert f"{FILE}:4" in banner and 'maksud Anda &quot;kategori&quot;' in banner
            assert page.index("kimsite-warnings") > page.lower().index("<body")
        _, _, feed = server.get("/repo/uji/feed.xml")
        assert "kimsite-warnings" not in feed
        for built in (root / ".kimsite/serve").rglob("*.html"):
            assert b"kimsite-warnings" not in built.read_bytes(), built
        # fixed: the banner goes away with the next build
        (root / FILE).write_text("---\ntitle: Rapat\ndate: 2026-12-03\nkategori: Berita\n---\nIsi.\n", encoding="utf-8")
        server.wait_for_output("dibangun ulang")
        _, _, page = server.get("/repo/uji/2026/12/rapat/")
        assert "kimsite-warnings" not in page
    finally:
        server.stop()
