"""Hostile remote feeds (issue 6): nothing crashes, nothing leaks, everything ends in bounded time.

Served on 127.0.0.1 by the test server of test_fetch.py; loopback is allowed
through kimsite.yaml `fetch: allow_hosts` except where a test checks the refusal.
"""

from __future__ import annotations

import io
import json
import time
import zlib
from datetime import datetime, timedelta, timezone

import feedparser
import pytest
from click.testing import CliRunner

from kimsite.fetch import remote
from kimsite.cli import main
from kimsite.fetch.feed_clean import MAX_ITEMS, MAX_PARSED, parse_feed
from kimsite.commands.fetch import FetchOptions, fetch_all
from kimsite.fetch.fetch_http import FetchError, download, is_public_address
from test_fetch import NOW, FeedServer, fetch_site, rss, send, workspace

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><link>https://x.example/</link>
<item><title>&lol9;</title><link>https://x.example/a</link><description>&lol9;</description></item>
</channel></rss>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title><link>https://x.example/</link>
<item><title>a &xxe; b</title><link>https://x.example/a</link><description>&xxe;</description></item>
</channel></rss>"""

ONE_ITEM = rss([{"title": "Satu", "link": "https://x.example/1", "guid": "1",
                 "pubDate": "Wed, 18 Nov 2026 09:00:00 +0700"}])


@pytest.fixture
def server():
    with FeedServer({}) as running:
        yield running


def _why(report) -> str:
    return dict(report.problems[0].args).get("why_en", report.problems[0].code)


def _gzip_bomb(megabytes: int = 100) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    chunk = b"<!-- " + b" " * (1 << 20)
    return b"".join([packer.compress(chunk) for _ in range(megabytes)] + [packer.flush()])


# --- XML attacks --------------------------------------------------------------------------------

def test_billion_laughs_is_refused_fast(tmp_path, server):
    server.routes["/laughs"] = lambda h: send(h, LAUGHS)
    root = workspace(tmp_path, {"tawa": server.url("/laughs")})
    report, stored, seconds = fetch_site(root, "tawa")
    assert seconds < 3
    assert report.outcome == "failed" and "declares XML entities" in _why(report)
    assert stored.items == () and remote.file_for(root, "tawa").stat().st_size < 10_000


def test_external_entity_is_refused_and_never_read(tmp_path, server):
    server.routes["/xxe"] = lambda h: send(h, XXE)
    root = workspace(tmp_path, {"xxe": server.url("/xxe")})
    report, stored, seconds = fetch_site(root, "xxe")
    assert seconds < 3 and report.outcome == "failed" and "declares XML entities" in _why(report)
    assert "root:" not in remote.file_for(root, "xxe").read_text(encoding="utf-8")


def test_entities_in_utf16_are_refused_too():
    data = LAUGHS.decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-16"?>')
    with pytest.raises(Exception) as caught:
        parse_feed(data.encode("utf-16"), "https://x.example/feed", "application/xml", NOW)
    assert getattr(caught.value, "reason", "") == "entities"


def test_feedparser_itself_does_not_expand_entities():
    """Defence in depth: even without the pre-check, feedparser neither expands nor reads files."""
    started = time.monotonic()
    for document in (LAUGHS, XXE):
        parsed = feedparser.parse(io.BytesIO(document))
        text = json.dumps(parsed, default=str)
        assert "root:" not in text and "lollollol" not in text and len(text) < 100_000
    assert time.monotonic() - started < 2


# --- transport attacks --------------------------------------------------------------------------

def test_gzip_bomb_stops_at_the_cap(tmp_path, server):
    bomb = _gzip_bomb()
    assert len(bomb) < 1_000_000
    server.routes["/bomb"] = lambda h: send(h, bomb, content_type="application/rss+xml", Content_Encoding="gzip")
    root = workspace(tmp_path, {"bom": server.url("/bomb")})
    report, stored, seconds = fetch_site(root, "bom")
    assert seconds < 4
    assert report.outcome == "failed" and _why(report) == "the feed is larger than 5 MB"


def test_gzip_feed_within_the_cap_is_fine(tmp_path, server):
    server.routes["/gz"] = lambda h: send(h, zlib.compress(ONE_ITEM.encode(), wbits=31), Content_Encoding="gzip")
    root = workspace(tmp_path, {"gz": server.url("/gz")})
    report, stored, seconds = fetch_site(root, "gz")
    assert seconds < 3 and report.outcome == "ok" and stored.items[0].title == "Satu"


def test_unknown_content_encoding_fails_cleanly(tmp_path, server):
    server.routes["/br"] = lambda h: send(h, b"\x8b\x00\x80garbage", Content_Encoding="br")
    root = workspace(tmp_path, {"br": server.url("/br")})
    report, _stored, seconds = fetch_site(root, "br")
    assert seconds < 3 and report.outcome == "failed" and "unknown compression (br)" in _why(report)


def _endless(server, delay: float, header_first: bool = True):
    def handler(h):
        if header_first:
            h.send_response(200)
            h.send_header("Content-Type", "application/rss+xml")
            h.end_headers()
            h.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>')
        else:
            h.wfile.write(b"HTTP/1.1 200 OK\r\n")
        while not server.stop.is_set():
            h.wfile.write(b"<!-- -->" if header_first else b"X-Slow: a\r\n")
            h.wfile.flush()
            time.sleep(delay)
    return handler


def test_endless_slow_body_ends_at_the_deadline(tmp_path, server):
    server.routes["/endless"] = _endless(server, 0.05)
    root = workspace(tmp_path, {"tanpa-akhir": server.url("/endless")}, timeout=1)
    report, stored, seconds = fetch_site(root, "tanpa-akhir")
    assert seconds < 2.5
    assert report.outcome == "failed" and _why(report).startswith("it took too long (limit 1 s")


def test_endless_slow_headers_end_at_the_deadline(tmp_path, server):
    server.routes["/headers"] = _endless(server, 0.05, header_first=False)
    root = workspace(tmp_path, {"kepala": server.url("/headers")}, timeout=1)
    report, _stored, seconds = fetch_site(root, "kepala")
    assert seconds < 2.5 and report.outcome == "failed" and _why(report).startswith("it took too long")


def test_two_gigabyte_body_is_cut_at_the_cap(tmp_path, server):
    def endless_stream(h, declared: bool):
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        if declared:
            h.send_header("Content-Length", str(2 * 1024 ** 3))
        h.end_headers()
        chunk = b"<!-- " + b"a" * 65530
        for _ in range(2 * 1024 ** 3 // len(chunk)):  # a generator of 2 GB, written as asked for
            if server.stop.is_set():
                return
            h.wfile.write(chunk)

    server.routes["/streamed"] = lambda h: endless_stream(h, declared=False)
    server.routes["/declared"] = lambda h: endless_stream(h, declared=True)
    root = workspace(tmp_path, {"dua-gb": server.url("/streamed"), "dinyatakan": server.url("/declared")})
    for slug in ("dua-gb", "dinyatakan"):
        report, stored, seconds = fetch_site(root, slug)
        assert seconds < 4, slug
        assert report.outcome == "failed" and _why(report) == "the feed is larger than 5 MB"


def test_redirect_loop_is_detected(tmp_path, server):
    server.routes["/a"] = lambda h: send(h, b"", status=302, Location="/b")
    server.routes["/b"] = lambda h: send(h, b"", status=302, Location=server.url("/a"))
    root = workspace(tmp_path, {"putar": server.url("/a")})
    report, _stored, seconds = fetch_site(root, "putar")
    assert seconds < 3 and report.outcome == "failed" and "loop" in _why(report)
    assert len(server.requests) == 2


def test_too_many_redirects_stop_at_five(tmp_path, server):
    for n in range(10):
        server.routes[f"/r{n}"] = lambda h, n=n: send(h, b"", status=307, Location=f"/r{n + 1}")
    root = workspace(tmp_path, {"jauh": server.url("/r0")})
    report, _stored, seconds = fetch_site(root, "jauh")
    assert seconds < 3 and report.outcome == "failed" and _why(report) == "too many redirects (more than 5)"
    assert len(server.requests) == 6


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/feed",
                                    "http://[::1]:{port}/ok", "http://localhost:{port}/ok",
                                    "http://0.0.0.0:{port}/ok"])
def test_redirect_to_a_private_address_is_refused(tmp_path, server, target):
    server.routes["/ok"] = lambda h: send(h, ONE_ITEM)
    server.routes["/go"] = lambda h: send(h, b"", status=302, Location=target.format(port=server.port))
    root = workspace(tmp_path, {"pribadi": server.url("/go")})
    report, stored, seconds = fetch_site(root, "pribadi")
    assert seconds < 3
    assert report.outcome == "failed" and "local/private network address" in _why(report), _why(report)
    assert dict(report.problems[0].args)["why_id"].count("169.254.169.254") <= 1
    assert stored.items == ()
    assert [path for path, _ in server.requests] == ["/go"]


def test_loopback_is_refused_unless_allowed(tmp_path, server):
    server.routes["/ok"] = lambda h: send(h, ONE_ITEM)
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        download(server.url("/ok"), timeout=2)
    assert caught.value.reason == "blocked" and caught.value.details["address"] == "127.0.0.1"
    assert download(server.url("/ok"), timeout=2, allow_hosts=("127.0.0.1",)).status == 200
    assert time.monotonic() - started < 3 and len(server.requests) == 1


@pytest.mark.parametrize("address, public", [
    ("8.8.8.8", True), ("2001:4860:4860::8888", True), ("127.0.0.1", False), ("10.1.2.3", False),
    ("172.16.0.1", False), ("192.168.1.1", False), ("169.254.169.254", False), ("100.64.0.1", False),
    ("0.0.0.0", False), ("::1", False), ("fe80::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False),
    ("::ffff:10.0.0.1", False), ("224.0.0.1", False), ("255.255.255.255", False), ("not-an-ip", False),
])
def test_public_address_check(address, public):
    assert is_public_address(address) is public


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x.example/feed", "data:text/xml,<rss/>",
                                 "javascript:alert(1)", "gopher://x.example/", "http:///nohost"])
def test_non_http_urls_are_refused_without_any_request(url):
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        download(url, timeout=2)
    assert caught.value.reason in ("scheme", "bad_url") and time.monotonic() - started < 1


def test_redirect_to_a_file_url_is_refused(tmp_path, server):
    server.routes["/to-file"] = lambda h: send(h, b"", status=302, Location="file:///etc/passwd")
    root = workspace(tmp_path, {"berkas": server.url("/to-file")})
    report, _stored, seconds = fetch_site(root, "berkas")
    assert seconds < 3 and report.outcome == "failed" and "not file:" in _why(report)
    assert "root:" not in remote.file_for(root, "berkas").read_text(encoding="utf-8")


def test_file_url_in_a_site_file_or_portal_member_is_refused(tmp_path, server):
    server.routes["/ok"] = lambda h: send(h, ONE_ITEM)
    root = workspace(tmp_path, {"baik": server.url("/ok")},
                     members=["baik", "file:///etc/passwd", "data:text/xml,<rss/>"])
    (root / "sites" / "berkas.yaml").write_text(
        "name: Berkas\nkecamatan: Maniis\nfeed: file:///etc/passwd\nurl: https://x.example/\n", encoding="utf-8")
    started = time.monotonic()
    result = fetch_all(root, FetchOptions(now=NOW))
    assert time.monotonic() - started < 3
    assert [report.target.key for report in result.reports] == ["baik"]
    codes = sorted((p.file, p.code, p.severity) for p in result.problems)
    assert ("sites/berkas.yaml", "link_bad_web", "error") in codes
    # Members that are neither a site slug nor an http(s) URL are configuration errors.
    assert sum(1 for file, _code, severity in codes if file == "sites/portal.yaml" and severity == "error") >= 1
    assert sorted(path.name for path in (root / "feeds").iterdir()) == ["baik.json"]
    cli = CliRunner().invoke(main, ["fetch", "-C", str(root), "--lang", "en"])
    assert cli.exit_code == 1 and "file:///etc/passwd" in cli.output and "sites/berkas.yaml" in cli.output
    assert "root:" not in cli.output


# --- content attacks ----------------------------------------------------------------------------

def test_hundred_thousand_items_stay_fast_and_bounded(tmp_path, server):
    start = datetime(2020, 1, 1, tzinfo=timezone.utc)
    items = "".join(
        f"<item><guid>i{n}</guid><link>https://x.example/{n}</link>"
        f"<pubDate>{(start + timedelta(minutes=n)).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>"
        for n in range(100_000, 0, -1))
    body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Banyak</title>'
            f"<link>https://x.example/</link>{items}</channel></rss>").encode()
    server.routes["/many"] = lambda h: send(h, body)
    root = workspace(tmp_path, {"banyak": server.url("/many")})
    report, stored, seconds = fetch_site(root, "banyak", max_bytes=32 * 1024 * 1024)
    assert seconds < 6
    assert report.outcome == "ok" and len(stored.items) == MAX_ITEMS == 200
    assert stored.items[0].id == "i100000" and stored.items[-1].id == "i99801"
    assert stored.extra["entries"] == MAX_PARSED and stored.extra["truncated"] is True
    assert remote.file_for(root, "banyak").stat().st_size < 300_000


def test_duplicate_ids_and_links_are_dropped(tmp_path, server):
    feed = rss([
        {"title": "Baru", "link": "https://x.example/a", "guid": "same",
         "pubDate": "Wed, 18 Nov 2026 09:00:00 +0000"},
        {"title": "Lama", "link": "https://x.example/a-old", "guid": "same",
         "pubDate": "Tue, 17 Nov 2026 09:00:00 +0000"},
        {"title": "Salinan", "link": "https://x.example/a", "guid": "other",
         "pubDate": "Mon, 16 Nov 2026 09:00:00 +0000"},
        {"title": "Lain", "link": "https://x.example/b", "guid": "b",
         "pubDate": "Sun, 15 Nov 2026 09:00:00 +0000"},
    ] * 50)
    server.routes["/dupes"] = lambda h: send(h, feed)
    root = workspace(tmp_path, {"ganda": server.url("/dupes")})
    report, stored, seconds = fetch_site(root, "ganda")
    assert seconds < 3 and report.outcome == "ok"
    assert [(item.id, item.title) for item in stored.items] == [("same", "Baru"), ("b", "Lain")]
    assert stored.extra["skipped"] == 198


def test_missing_and_future_dates(tmp_path, server):
    def feed(with_date: bool) -> str:
        first = {"title": "Tanpa tanggal", "link": "https://x.example/a", "guid": "a"}
        if with_date:
            first["pubDate"] = "Wed, 18 Nov 2026 09:00:00 +0000"
        return rss([first,
                    {"title": "Masa depan", "link": "https://x.example/f", "guid": "f",
                     "pubDate": "Fri, 01 Jan 2100 00:00:00 +0000"},
                    {"title": "Tanggal rusak", "link": "https://x.example/r", "guid": "r",
                     "pubDate": "31 Februari kemarin"}])

    server.routes["/dates"] = lambda h: send(h, feed(with_date=False))
    root = workspace(tmp_path, {"tanggal": server.url("/dates")})
    report, stored, seconds = fetch_site(root, "tanggal")
    assert seconds < 3 and report.outcome == "ok"
    by_id = {item.id: item for item in stored.items}
    assert by_id["a"].published == by_id["a"].updated == NOW  # no date at all: the fetch time
    assert by_id["f"].published == NOW  # the future is clamped to the moment it was first seen
    assert by_id["r"].published == NOW
    assert all(item.first_seen == NOW for item in stored.items)
    # Fetched again later: items without a usable date keep the date they were first seen with;
    # the future-dated one too (it does not climb back to the top at every fetch).
    later = NOW + timedelta(days=2)
    _report, stored, _seconds = fetch_site(root, "tanggal", now=later)
    by_id = {item.id: item for item in stored.items}
    assert by_id["a"].published == NOW and by_id["r"].published == NOW
    assert by_id["f"].published == NOW and by_id["f"].updated == NOW


def test_garbage_bytes_and_control_characters(tmp_path, server):
    server.routes["/binary"] = lambda h: send(h, bytes(range(256)) * 2000, content_type="application/octet-stream")
    title = "Judul\x00\x07 dengan\u202e kendali " + "panjang " * 200
    server.routes["/control"] = lambda h: send(
        h, rss([{"title": title, "link": "https://x.example/c", "guid": "c\x0b",
                 "description": "Isi\x1b[31m merah"}]).encode("utf-8", "surrogatepass"))
    root = workspace(tmp_path, {"biner": server.url("/binary"), "kendali": server.url("/control")})
    report, stored, seconds = fetch_site(root, "biner")
    assert seconds < 3 and report.outcome == "failed" and stored.items == ()
    report, stored, seconds = fetch_site(root, "kendali")
    assert seconds < 3 and report.outcome == "ok"
    item = stored.items[0]
    for text in (item.title, item.id, item.summary):
        assert not any(ord(ch) < 32 or ch == "\u202e" for ch in text), repr(text)
    assert item.title.startswith("Judul dengan kendali panjang") and len(item.title) <= 301


def test_feed_that_makes_the_parser_slow_is_stopped(tmp_path, server):
    """Deeply nested tags make feedparser quadratic: a large one is parsed in a child process that is
    killed when the feed's time is up (at least MIN_PARSE_SECONDS)."""
    from kimsite.commands.fetch import MIN_PARSE_SECONDS

    nested = (b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>https://x.example/a</link>'
              b"<description>" + b"<b>" * 1_500_000 + b"</description></item></channel></rss>")
    server.routes["/nested"] = lambda h: send(h, nested)
    root = workspace(tmp_path, {"bersarang": server.url("/nested")}, timeout=1)
    report, stored, seconds = fetch_site(root, "bersarang")
    assert seconds < MIN_PARSE_SECONDS + 1.5
    assert report.outcome == "failed" and _why(report).startswith("the feed is too complex to read")
    assert stored.items == ()


def test_large_good_feed_parsed_in_a_child_process(tmp_path, server):
    items = [{"title": f"Berita {n}", "link": f"https://x.example/{n}", "guid": f"g{n}",
              "pubDate": (NOW - timedelta(hours=n)).strftime("%a, %d %b %Y %H:%M:%S +0000"),
              "content:encoded": "&lt;p&gt;" + "kata " * 400 + "&lt;/p&gt;"} for n in range(300)]
    body = rss(items)
    assert len(body) > 256 * 1024
    server.routes["/large"] = lambda h: send(h, body)
    root = workspace(tmp_path, {"besar-baik": server.url("/large")})
    report, stored, seconds = fetch_site(root, "besar-baik")
    assert seconds < 5 and report.outcome == "ok"
    assert len(stored.items) == MAX_ITEMS and stored.items[0].id == "g0"
    assert stored.items[0].html.startswith("<p>kata kata")
    assert stored.items[0].published == NOW


@pytest.mark.parametrize("answer", [
    b"NOT HTTP AT ALL\r\n\r\n",  # garbage instead of a status line
    b"",  # the server hangs up without answering
    b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-Pad-%d: %s\r\n" % (n, b"a" * 1000) for n in range(2000)) + b"\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 999999\r\n\r\n<rss>",  # the body ends early
], ids=["garbage", "hang-up", "header-bomb", "short-body"])
def test_broken_http_answers_fail_cleanly(tmp_path, server, answer):
    def raw(handler):
        handler.wfile.write(answer)
        handler.wfile.flush()
        handler.close_connection = True

    server.routes["/raw"] = raw
    root = workspace(tmp_path, {"rusak": server.url("/raw")})
    report, stored, seconds = fetch_site(root, "rusak")
    assert seconds < 3 and report.outcome == "failed" and stored.items == ()
    assert report.problems[0].code == "fetch_failed_empty"
    assert _why(report).startswith(("the connection broke", "the content is not an RSS/Atom feed")), _why(report)


def test_a_body_that_names_a_local_file_is_not_opened(tmp_path, server):
    """feedparser.parse(bytes) would try the bytes as a file name: the body is handed over as a stream."""
    server.routes["/path"] = lambda h: send(h, b"/etc/passwd", content_type="text/plain")
    root = workspace(tmp_path, {"jalur": server.url("/path")})
    report, stored, seconds = fetch_site(root, "jalur")
    assert seconds < 3 and report.outcome == "failed" and stored.items == ()
    assert "root:" not in remote.file_for(root, "jalur").read_text(encoding="utf-8")
