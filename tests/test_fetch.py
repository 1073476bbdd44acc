"""`kimsite fetch`: remote feeds served by a local HTTP server on 127.0.0.1.

Each test fetches through the real code path (fetch_all: workspace, download,
parse, clean, store) and asserts what is stored in feeds/, the outcome, and a
time bound.
"""

from __future__ import annotations

import json
import re
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from kimsite.fetch import remote
from kimsite.cli import main
from kimsite.commands.fetch import FetchOptions, fetch_all
from kimsite.fetch.fetch_http import USER_AGENT

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
LATER = NOW + timedelta(hours=6)

Route = Callable[[BaseHTTPRequestHandler], None]


class FeedServer:
    """A ThreadingHTTPServer on 127.0.0.1 (random free port) answering from a dict of routes."""

    def __init__(self, routes: dict[str, Route]):
        self.routes = routes
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server naming)
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(self.path.split("?")[0])
                try:
                    if route is None:
                        self.send_error(404)
                    else:
                        route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def headers_for(self, path: str) -> list[dict[str, str]]:
        return [headers for seen, headers in self.requests if seen.split("?")[0] == path]

    def __enter__(self) -> "FeedServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def send(handler: BaseHTTPRequestHandler, body: bytes | str, status: int = 200,
         content_type: str = "application/rss+xml; charset=utf-8", **headers: str) -> None:
    data = body.encode("utf-8") if isinstance(body, str) else body
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(data)))
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()
    handler.wfile.write(data)


def rss(items: list[dict], title: str = "KIM Jauh", link: str = "https://kim-jauh.example/") -> str:
    parts = []
    for item in items:
        fields = "".join(
            f"<{key}>{value}</{key}>" if key != "guid" else f'<guid isPermaLink="false">{value}</guid>'
            for key, value in item.items()
        )
        parts.append(f"<item>{fields}</item>")
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
            f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>{title}</title><link>{link}</link><description>d</description>"
            f"{''.join(parts)}</channel></rss>")


GOOD_RSS = rss([
    {"title": "Musyawarah Desa", "link": "https://kim-jauh.example/2026/11/musdes.html",
     "guid": "post-3", "pubDate": "Wed, 18 Nov 2026 09:00:00 +0700",
     "description": "&lt;p&gt;Warga &lt;b&gt;berkumpul&lt;/b&gt; di balai desa.&lt;/p&gt;"},
    {"title": "Panen Raya", "link": "https://kim-jauh.example/2026/11/panen.html",
     "guid": "post-2", "pubDate": "Mon, 16 Nov 2026 08:00:00 +0700", "description": "Panen padi."},
    {"title": "Posyandu", "link": "https://kim-jauh.example/2026/10/posyandu.html",
     "guid": "post-1", "pubDate": "Thu, 29 Oct 2026 10:30:00 +0700", "description": "Balita ditimbang."},
])

GOOD_ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">Kabar &lt;em&gt;Desa&lt;/em&gt;</title>
  <link href="https://atom.example/"/>
  <id>urn:uuid:feed</id>
  <updated>2026-11-19T10:00:00Z</updated>
  <entry>
    <title>Kerja Bakti</title>
    <link href="https://atom.example/berita/kerja-bakti/"/>
    <id>tag:atom.example,2026:kerja-bakti</id>
    <published>2026-11-19T08:00:00+07:00</published>
    <updated>2026-11-19T10:00:00Z</updated>
    <summary>Warga membersihkan saluran.</summary>
    <content type="html">&lt;p&gt;Lihat &lt;a href="../foto/"&gt;foto&lt;/a&gt; dan
      &lt;img src="/media/kerja.jpg" alt="kerja bakti"&gt;&lt;/p&gt;</content>
    <category term="lingkungan"/>
    <author><name>Ujang</name></author>
  </entry>
  <entry>
    <title>Sosialisasi Stunting</title>
    <link href="https://atom.example/berita/stunting/"/>
    <id>tag:atom.example,2026:stunting</id>
    <updated>2026-11-10T09:00:00+07:00</updated>
    <summary>Kader posyandu berbagi.</summary>
  </entry>
</feed>
"""


def workspace(root: Path, feeds: dict[str, str], timeout: float = 2, members: list[str] | None = None) -> Path:
    """A workspace whose remote KIMs are `feeds` (slug -> URL); loopback allowed."""
    (root / "sites").mkdir(parents=True)
    (root / "kimsite.yaml").write_text(
        "base_url: https://example.github.io/repo/\nlanguage: id\ntimezone: Asia/Jakarta\n"
        f"fetch:\n  timeout: {timeout}\n  allow_hosts: [\"127.0.0.1\"]\n", encoding="utf-8")
    for slug, url in feeds.items():
        (root / "sites" / f"{slug}.yaml").write_text(
            f"name: KIM {slug}\nkecamatan: Maniis\nfeed: {url}\nurl: https://{slug}.example/\n", encoding="utf-8")
    if members is not None:
        listed = "".join(f"  - {member}\n" for member in members)
        (root / "sites" / "portal.yaml").write_text(
            f"kind: portal\nname: Portal\nregion: Kabupaten Contoh\nmembers:\n{listed}", encoding="utf-8")
    return root


def fetch_site(root: Path, slug: str, now: datetime = NOW, **options) -> tuple:
    started = time.monotonic()
    result = fetch_all(root, FetchOptions(site=slug, now=now, **options))
    seconds = time.monotonic() - started
    assert len(result.reports) == 1
    return result.reports[0], remote.load(root, slug), seconds


@pytest.fixture
def server():
    with FeedServer({}) as running:
        yield running


def test_good_rss_is_stored_clean_and_newest_first(tmp_path, server):
    server.routes["/rss.xml"] = lambda h: send(h, GOOD_RSS, etag='"v1"')
    root = workspace(tmp_path, {"jauh": server.url("/rss.xml")})
    report, stored, seconds = fetch_site(root, "jauh")
    assert seconds < 5
    assert report.outcome == "ok" and report.count == 3 and report.new == 3
    assert stored.status == "ok" and stored.title == "KIM Jauh" and stored.link == "https://kim-jauh.example/"
    assert [item.id for item in stored.items] == ["post-3", "post-2", "post-1"]
    first = stored.items[0]
    assert first.title == "Musyawarah Desa"
    assert first.summary == "Warga berkumpul di balai desa."
    # RSS with an HTML description only (Blogspot): the description is the post, kept sanitized
    assert first.html == "<p>Warga <b>berkumpul</b> di balai desa.</p>"
    assert first.published == datetime(2026, 11, 18, 2, 0, tzinfo=timezone.utc)
    assert first.published.tzinfo is not None and first.updated == first.published
    assert stored.etag == '"v1"' and stored.fetched_at == NOW and stored.checked_at == NOW
    headers = server.headers_for("/rss.xml")[0]
    assert headers["user-agent"] == USER_AGENT and USER_AGENT.startswith("kimsite/")
    assert "if-none-match" not in headers
    # The stored file is the format kimsite.fetch.remote documents.
    data = json.loads(remote.file_for(root, "jauh").read_text(encoding="utf-8"))
    assert data["format"] == remote.FORMAT_VERSION and len(data["items"]) == 3


def test_good_atom_html_sanitized_and_links_absolute(tmp_path, server):
    server.routes["/atom.xml"] = lambda h: send(h, GOOD_ATOM, content_type="application/atom+xml")
    root = workspace(tmp_path, {"atom": server.url("/atom.xml")})
    report, stored, seconds = fetch_site(root, "atom")
    assert report.outcome == "ok" and seconds < 5
    assert stored.title == "Kabar Desa"
    kerja, stunting = stored.items
    assert kerja.link == "https://atom.example/berita/kerja-bakti/"
    assert kerja.id == "tag:atom.example,2026:kerja-bakti"
    assert 'href="https://atom.example/berita/foto/"' in kerja.html
    assert 'src="https://atom.example/media/kerja.jpg"' in kerja.html
    assert kerja.categories == ("lingkungan",) and kerja.author == "Ujang"
    assert kerja.updated == datetime(2026, 11, 19, 10, 0, tzinfo=timezone.utc)
    # No <published>: the updated date stands in.
    assert stunting.published == stunting.updated == datetime(2026, 11, 10, 2, 0, tzinfo=timezone.utc)


def test_second_fetch_sends_etag_and_304_keeps_items(tmp_path, server):
    def conditional(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send_response(304)
            handler.end_headers()
        else:
            send(handler, GOOD_RSS, etag='"v1"', last_modified="Wed, 18 Nov 2026 03:00:00 GMT")

    server.routes["/rss.xml"] = conditional
    root = workspace(tmp_path, {"jauh": server.url("/rss.xml")})
    fetch_site(root, "jauh")
    report, stored, seconds = fetch_site(root, "jauh", now=LATER)
    assert seconds < 5
    second = server.headers_for("/rss.xml")[1]
    assert second["if-none-match"] == '"v1"'
    assert second["if-modified-since"] == "Wed, 18 Nov 2026 03:00:00 GMT"
    assert report.outcome == "not-modified" and report.count == 3
    assert stored.status == "not-modified" and len(stored.items) == 3
    assert stored.checked_at == LATER and stored.fetched_at == NOW


def test_permanent_redirect_is_followed_and_reported(tmp_path, server):
    server.routes["/rss.xml"] = lambda h: send(h, GOOD_RSS)
    server.routes["/old"] = lambda h: send(h, b"", status=301, Location="/rss.xml")
    root = workspace(tmp_path, {"pindah": server.url("/old")})
    report, stored, seconds = fetch_site(root, "pindah")
    assert seconds < 5
    assert report.outcome == "ok" and report.count == 3
    assert [p.code for p in report.problems] == ["fetch_moved"]
    problem = report.problems[0]
    assert problem.file == "sites/pindah.yaml" and problem.line == 3
    assert dict(problem.args)["new_url"] == server.url("/rss.xml")
    assert stored.status == "moved" and stored.final_url == server.url("/rss.xml")
    assert stored.url == server.url("/old")


def test_gone_is_reported_and_keeps_last_copy(tmp_path, server):
    server.routes["/feed"] = lambda h: send(h, GOOD_RSS)
    root = workspace(tmp_path, {"hilang": server.url("/feed")})
    fetch_site(root, "hilang")
    server.routes["/feed"] = lambda h: send(h, "gone", status=410, content_type="text/plain")
    report, stored, seconds = fetch_site(root, "hilang", now=LATER)
    assert seconds < 5
    assert report.outcome == "gone" and report.problems[0].code == "fetch_gone_kept"
    assert stored.status == "gone" and len(stored.items) == 3 and stored.checked_at == LATER
    assert "410" in stored.message


def test_malformed_feed_fails_without_items(tmp_path, server):
    server.routes["/broken"] = lambda h: send(h, '<?xml version="1.0"?><rss version="2.0"><channel><titl')
    root = workspace(tmp_path, {"rusak": server.url("/broken")})
    report, stored, seconds = fetch_site(root, "rusak")
    assert seconds < 5
    assert report.outcome == "failed" and report.problems[0].code == "fetch_failed_empty"
    assert dict(report.problems[0].args)["why_en"].startswith("the content is not an RSS/Atom feed")
    assert stored.status == "failed" and stored.items == ()


def test_html_page_instead_of_feed_fails(tmp_path, server):
    page = "<!DOCTYPE html><html><head><title>Blog</title></head><body>" + "<p>Halo</p>" * 2000 + "</body></html>"
    server.routes["/page"] = lambda h: send(h, page, content_type="text/html; charset=utf-8")
    root = workspace(tmp_path, {"blog": server.url("/page")})
    report, stored, seconds = fetch_site(root, "blog")
    assert seconds < 5
    assert report.outcome == "failed" and dict(report.problems[0].args)["why_id"].startswith("isinya bukan feed")
    assert stored.items == ()


def test_slow_feed_stops_at_the_total_deadline(tmp_path, server):
    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.end_headers()
        body = GOOD_RSS.encode()
        for index in range(len(body)):  # one byte every 0.1 s: each read is quick, the whole is not
            if server.stop.is_set():
                return
            handler.wfile.write(body[index:index + 1])
            handler.wfile.flush()
            time.sleep(0.1)

    server.routes["/slow"] = trickle
    root = workspace(tmp_path, {"lambat": server.url("/slow")}, timeout=1.5)
    report, stored, seconds = fetch_site(root, "lambat")
    assert seconds < 3.5
    assert report.outcome == "failed"
    assert dict(report.problems[0].args)["why_en"].startswith("it took too long (limit 1.5 s")


def test_oversized_feed_is_cut_at_the_cap(tmp_path, server):
    big = rss([{"title": "x" * 1000, "link": f"https://x.example/{n}", "guid": str(n)} for n in range(7000)])
    server.routes["/big"] = lambda h: send(h, big)
    root = workspace(tmp_path, {"besar": server.url("/big")})
    report, stored, seconds = fetch_site(root, "besar")
    assert seconds < 5
    assert report.outcome == "failed" and dict(report.problems[0].args)["why_en"] == "the feed is larger than 5 MB"
    assert stored.items == ()


def test_scripts_and_javascript_links_are_removed(tmp_path, server):
    content = ('&lt;p onclick="steal()"&gt;Halo&lt;script&gt;alert(1)&lt;/script&gt;'
               '&lt;a href="javascript:alert(2)"&gt;klik&lt;/a&gt;'
               '&lt;a href=" JaVaScRiPt&amp;colon;alert(3)"&gt;dua&lt;/a&gt;'
               '&lt;img src="x.png" onerror="alert(4)"&gt;'
               '&lt;iframe src="https://evil.example/"&gt;&lt;/iframe&gt;&lt;/p&gt;')
    feed = rss([{"title": "Judul &lt;script&gt;alert(5)&lt;/script&gt;\x01 bersih",
                 "link": "https://kim-jauh.example/2026/11/a.html", "guid": "a",
                 "pubDate": "Wed, 18 Nov 2026 09:00:00 +0700", "content:encoded": content,
                 "description": "&lt;script&gt;alert(6)&lt;/script&gt;Ringkas"},
                {"title": "Tautan jahat", "link": "javascript:alert(7)", "guid": "b"}])
    server.routes["/xss"] = lambda h: send(h, feed)
    root = workspace(tmp_path, {"xss": server.url("/xss")})
    report, stored, seconds = fetch_site(root, "xss")
    assert report.outcome == "ok" and seconds < 5
    assert len(stored.items) == 1  # the item whose link is javascript: is dropped
    item = stored.items[0]
    lowered = item.html.lower()
    for bad in ("<script", "javascript", "onclick", "onerror", "<iframe", "alert"):
        assert bad not in lowered, bad
    assert "Halo" in item.html and 'src="https://kim-jauh.example/2026/11/x.png"' in item.html
    assert item.title == "Judul bersih" and item.summary == "Ringkas"
    stored_text = remote.file_for(root, "xss").read_text(encoding="utf-8").lower()
    assert "<script" not in stored_text and "javascript:" not in stored_text


def test_failing_feed_keeps_its_last_good_copy(tmp_path, server):
    server.routes["/feed"] = lambda h: send(h, GOOD_RSS)
    root = workspace(tmp_path, {"kim": server.url("/feed")})
    fetch_site(root, "kim")
    before = remote.load(root, "kim")
    for broken in (lambda h: send(h, "<html><body>Maintenance</body></html>", content_type="text/html"),
                   lambda h: send(h, "oops", status=500, content_type="text/plain")):
        server.routes["/feed"] = broken
        report, stored, seconds = fetch_site(root, "kim", now=LATER)
        assert seconds < 5 and report.outcome == "failed"
        assert report.problems[0].code == "fetch_failed_kept"
        assert report.problems[0].file == "sites/kim.yaml"
        assert server.url("/feed") in report.problems[0].text("id")
        assert stored.items == before.items and stored.fetched_at == NOW
        assert stored.status == "failed" and stored.checked_at == LATER and stored.message


def test_one_broken_feed_never_stops_the_others_and_runs_in_parallel(tmp_path, server):
    def slow_good(handler):
        time.sleep(0.8)
        send(handler, GOOD_RSS)

    server.routes["/good"] = slow_good
    server.routes["/bad"] = lambda h: send(h, "nope", status=404, content_type="text/plain")
    feeds = {f"kim-{n}": server.url(f"/good?n={n}") for n in range(4)}
    feeds["kim-rusak"] = server.url("/bad")
    root = workspace(tmp_path, feeds, members=["kim-0", server.url("/good?portal")])
    started = time.monotonic()
    result = fetch_all(root, FetchOptions(now=NOW))
    seconds = time.monotonic() - started
    assert seconds < 3.5  # five 0.8 s feeds, four at a time: well under 5 x 0.8 s
    outcomes = {report.target.key: report.outcome for report in result.reports}
    assert outcomes == {**{f"kim-{n}": "ok" for n in range(4)}, "kim-rusak": "failed",
                        server.url("/good?portal"): "ok"}
    assert len(remote.load(root, server.url("/good?portal")).items) == 3
    assert [p.code for p in result.problems] == ["fetch_failed_empty"]


def test_cli_prints_one_line_per_feed_and_exits_zero_on_failures(tmp_path, server):
    server.routes["/rss.xml"] = lambda h: send(h, GOOD_RSS)
    server.routes["/gone"] = lambda h: send(h, "", status=410)
    root = workspace(tmp_path, {"baik": server.url("/rss.xml"), "hilang": server.url("/gone")})
    result = CliRunner().invoke(main, ["fetch", "-C", str(root), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert f"sites/baik.yaml: ok: {server.url('/rss.xml')} (3 articles, 3 new" in result.output
    assert "sites/hilang.yaml:3: warning: the feed" in result.output and "410 Gone" in result.output
    assert "2 feeds: 1 fetched, 0 not modified, 1 failed" in result.output
    result = CliRunner().invoke(main, ["fetch", "-C", str(root)])
    assert result.exit_code == 0
    assert "sites/baik.yaml: ok:" in result.output and "1 berhasil" in result.output


def test_cli_config_errors_exit_one(tmp_path):
    root = workspace(tmp_path, {"berkas": "file:///etc/passwd"})
    result = CliRunner().invoke(main, ["fetch", "-C", str(root), "--lang", "en"])
    assert result.exit_code == 1
    assert "sites/berkas.yaml" in result.output
    assert not (root / "feeds").exists()
    result = CliRunner().invoke(main, ["fetch", "-C", str(root), "--site", "nope"])
    assert result.exit_code == 1


def test_fetched_feeds_reach_the_portal_and_build_stays_offline(tmp_path, server):
    from kimsite.build import BuildOptions, build

    script_feed = rss([{"title": "Aman", "link": "https://kim-jauh.example/aman.html", "guid": "aman",
                        "pubDate": "Thu, 19 Nov 2026 09:00:00 +0700",
                        "content:encoded": "&lt;p&gt;ok&lt;script&gt;alert(1)&lt;/script&gt;&lt;/p&gt;"}])
    server.routes["/rss.xml"] = lambda h: send(h, GOOD_RSS)
    server.routes["/atom.xml"] = lambda h: send(h, GOOD_ATOM, content_type="application/atom+xml")
    server.routes["/xss"] = lambda h: send(h, script_feed)
    server.routes["/page"] = lambda h: send(h, "<html><body>not a feed</body></html>", content_type="text/html")
    root = workspace(tmp_path, {"rss-kim": server.url("/rss.xml"), "atom-kim": server.url("/atom.xml"),
                                "xss-kim": server.url("/xss"), "html-kim": server.url("/page")},
                     members=["all"])
    result = fetch_all(root, FetchOptions(now=NOW))
    assert sorted(r.outcome for r in result.reports) == ["failed", "ok", "ok", "ok"]
    server.routes.clear()  # the build must not need the server
    built = build(root, BuildOptions(now=NOW + timedelta(days=1)))
    home = (built.output_dir / "index.html").read_text(encoding="utf-8")
    for title in ("Musyawarah Desa", "Kerja Bakti", "Aman"):
        assert title in home, title
    assert "https://kim-jauh.example/2026/11/musdes.html" in home
    scripts = re.findall(r"<script[^>]*>", home, re.IGNORECASE)
    assert all('type="application/ld+json"' in tag for tag in scripts) and "alert(" not in home
    assert server.requests and all(path.split("?")[0] in ("/rss.xml", "/atom.xml", "/xss", "/page")
                                   for path, _ in server.requests)
    assert len(server.requests) == 4


def test_cli_timeout_option_overrides_the_workspace_setting(tmp_path, server):
    def never_answers(handler):
        server.stop.wait(10)

    server.routes["/hang"] = never_answers
    root = workspace(tmp_path, {"diam": server.url("/hang")}, timeout=30)
    started = time.monotonic()
    result = CliRunner().invoke(main, ["fetch", "-C", str(root), "--timeout", "1", "--lang", "en"])
    assert time.monotonic() - started < 2.5
    assert result.exit_code == 0 and "it took too long (limit 1 s per feed" in result.output


def test_bad_fetch_timeout_in_kimsite_yaml_is_a_config_error(tmp_path):
    root = workspace(tmp_path, {})
    (root / "kimsite.yaml").write_text("base_url: https://x.example/\nfetch:\n  timeout: lama\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["fetch", "-C", str(root), "--lang", "en"])
    assert result.exit_code == 1 and "kimsite.yaml" in result.output and "fetch.timeout" in result.output


def test_https_certificate_is_verified(tmp_path, monkeypatch):
    """The TLS path of the guarded transport: an untrusted certificate fails, a trusted one works."""
    import shutil
    import ssl
    import subprocess

    from kimsite.fetch import fetch_http

    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    with FeedServer({"/feed": lambda h: send(h, GOOD_RSS)}) as server:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(cert), str(key))
        server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
        url = f"https://127.0.0.1:{server.port}/feed"
        started = time.monotonic()
        with pytest.raises(fetch_http.FetchError) as caught:
            fetch_http.download(url, timeout=3, allow_hosts=("127.0.0.1",))
        assert caught.value.reason == "connect" and "CERTIFICATE_VERIFY_FAILED" in caught.value.details["detail"]
        monkeypatch.setattr(fetch_http, "_SSL_CONTEXT", ssl.create_default_context(cafile=str(cert)))
        got = fetch_http.download(url, timeout=3, allow_hosts=("127.0.0.1",))
        assert got.status == 200 and b"Musyawarah Desa" in got.body
        assert time.monotonic() - started < 4


def test_site_option_picks_one_remote_kim_or_a_portals_member_urls(tmp_path, server):
    server.routes["/rss.xml"] = lambda h: send(h, GOOD_RSS)
    root = workspace(tmp_path, {"satu": server.url("/rss.xml?a"), "dua": server.url("/rss.xml?b")},
                     members=["satu", server.url("/rss.xml?portal")])
    only_kim = fetch_all(root, FetchOptions(site="dua", now=NOW))
    assert [report.target.key for report in only_kim.reports] == ["dua"]
    only_portal = fetch_all(root, FetchOptions(site="portal", now=NOW))
    assert [report.target.key for report in only_portal.reports] == [server.url("/rss.xml?portal")]
    assert [path for path, _ in server.requests] == ["/rss.xml?b", "/rss.xml?portal"]
