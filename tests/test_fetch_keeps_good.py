"""Remote feeds never lose what was good: a worse download never replaces the stored copy, an
item's date is fixed when it is first seen, one article from two members is listed once, and
Retry-After is honoured within the feed's time limit.

Feeds are served on 127.0.0.1 by the test server of test_fetch.py; each test fetches through
the real code path and asserts the stored copy, the messages and, where it matters, the portal
that a build makes of it.
"""

from __future__ import annotations

import email.utils
import gzip
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from kimsite.fetch import remote
from kimsite.build import BuildOptions, build
from kimsite.cli import main
from kimsite.fetch.feed_clean import CLOCK_SKEW
from kimsite.fetch.feed_isolate import IN_PROCESS_LIMIT
from kimsite.commands.fetch import FetchOptions, fetch_all
from kimsite.fetch.fetch_http import MAX_RETRY_AFTER, retry_after_seconds
from test_fetch import GOOD_RSS, NOW, FeedServer, fetch_site, rss, send, workspace
from test_portal import card_titles


@pytest.fixture
def server():
    with FeedServer({}) as running:
        yield running


def _why(report, lang: str = "en") -> str:
    return dict(report.problems[0].args)["why_" + lang]


def _truncated(document: str, after: str) -> str:
    """The document cut just after the first occurrence of `after` (a download that stopped)."""
    return document[:document.index(after) + len(after)]


def _build_portal(root: Path, now: datetime) -> Path:
    return build(root, BuildOptions(now=now)).output_dir


def _items(count: int, host: str = "x.example", start: int = 0) -> list[dict]:
    day = datetime(2026, 11, 19, 9, 0, tzinfo=timezone.utc)
    return [{"title": f"Berita {n}", "link": f"https://{host}/{n}.html", "guid": f"tag:{host},2026:{n}",
             "pubDate": email.utils.format_datetime(day - timedelta(hours=n))}
            for n in range(start, start + count)]


# --- 1. a worse download never replaces the last good copy --------------------------------------

def test_truncated_download_keeps_the_last_good_copy_and_the_portal_keeps_every_article(tmp_path, server):
    server.routes["/rss"] = lambda h: send(h, GOOD_RSS, etag='"v1"')
    root = workspace(tmp_path, {"jauh": server.url("/rss")}, members=["all"])
    fetch_site(root, "jauh")
    before = remote.load(root, "jauh")
    stored_text = remote.file_for(root, "jauh").read_text(encoding="utf-8")
    # The connection dropped after the first item: the lenient parser still finds one entry.
    server.routes["/rss"] = lambda h: send(h, _truncated(GOOD_RSS, "</item>"), etag='"v2"')
    report, stored, _ = fetch_site(root, "jauh", now=NOW + timedelta(hours=1))
    assert report.outcome == "failed" and report.count == 3
    (problem,) = report.problems
    assert (problem.code, problem.severity, problem.file, problem.line) == (
        "fetch_failed_kept", "warning", "sites/jauh.yaml", 3)
    english, indonesian = problem.text("en"), problem.text("id")
    assert server.url("/rss") in english and server.url("/rss") in indonesian
    assert "broken or truncated XML (line 2: no element found)" in english and "holds only 1 article," in english
    assert "The last good copy (3 articles, fetched 2026-11-20) is kept" in english
    assert "XML yang rusak atau terpotong" in indonesian and "Salinan terakhir (3 artikel" in indonesian
    assert stored.items == before.items and stored.etag == '"v1"'  # not the etag of the broken copy
    assert stored.status == "failed" and stored.extra["problem"] == "ill_formed"
    assert stored.checked_at == NOW + timedelta(hours=1) and stored.fetched_at == NOW
    assert json.loads(stored_text)["items"] == json.loads(
        remote.file_for(root, "jauh").read_text(encoding="utf-8"))["items"]
    # The CLI says so and still exits 0 (a remote feed's trouble is not the workspace's error).
    cli = CliRunner().invoke(main, ["fetch", "-C", str(root), "--lang", "en"])
    assert cli.exit_code == 0
    assert "sites/jauh.yaml:3: warning:" in cli.output and "fewer than the stored copy" in cli.output
    site = _build_portal(root, NOW + timedelta(days=1))
    assert card_titles(site / "index.html") == ["Musyawarah Desa", "Panen Raya", "Posyandu"]


def test_ill_formed_feed_with_as_many_entries_replaces_the_copy(tmp_path, server):
    server.routes["/rss"] = lambda h: send(h, rss(_items(2)))
    root = workspace(tmp_path, {"jauh": server.url("/rss")})
    fetch_site(root, "jauh")
    # Four items, but the document never closes </channel></rss>: ill-formed, yet not worse.
    server.routes["/rss"] = lambda h: send(h, rss(_items(4)).removesuffix("</channel></rss>"))
    report, stored, _ = fetch_site(root, "jauh", now=NOW + timedelta(hours=1))
    assert report.outcome == "ok" and report.problems == () and report.new == 2
    assert [item.title for item in stored.items] == ["Berita 0", "Berita 1", "Berita 2", "Berita 3"]
    assert stored.status == "ok" and stored.extra["ill_formed"] == "line 2: no element found"


def test_a_well_formed_feed_with_a_wrong_content_type_is_not_ill_formed(tmp_path, server):
    """feedparser sets `bozo` for a feed served as text/plain too; that is no broken XML."""
    server.routes["/rss"] = lambda h: send(h, rss(_items(3)))
    root = workspace(tmp_path, {"jauh": server.url("/rss")})
    fetch_site(root, "jauh")
    server.routes["/rss"] = lambda h: send(h, rss(_items(2)), content_type="text/plain; charset=utf-8")
    report, stored, _ = fetch_site(root, "jauh", now=NOW + timedelta(hours=1))
    assert report.outcome == "ok" and len(stored.items) == 2 and "ill_formed" not in stored.extra


def test_ill_formed_first_download_is_stored(tmp_path, server):
    server.routes["/rss"] = lambda h: send(h, _truncated(GOOD_RSS, "</item>"))
    root = workspace(tmp_path, {"jauh": server.url("/rss")})
    report, stored, _ = fetch_site(root, "jauh")
    assert report.outcome == "ok" and [item.title for item in stored.items] == ["Musyawarah Desa"]


def test_well_formed_feed_that_shrinks_replaces_the_copy(tmp_path, server):
    server.routes["/rss"] = lambda h: send(h, GOOD_RSS)
    root = workspace(tmp_path, {"jauh": server.url("/rss")}, members=["all"])
    fetch_site(root, "jauh")
    one = rss([{"title": "Satu-satunya", "link": "https://kim-jauh.example/satu.html", "guid": "satu",
                "pubDate": "Thu, 19 Nov 2026 09:00:00 +0700"}])
    server.routes["/rss"] = lambda h: send(h, one)
    report, stored, _ = fetch_site(root, "jauh", now=NOW + timedelta(hours=1))
    assert report.outcome == "ok" and report.problems == () and [i.id for i in stored.items] == ["satu"]
    site = _build_portal(root, NOW + timedelta(days=1))
    assert card_titles(site / "index.html") == ["Satu-satunya"]


def test_empty_well_formed_feed_keeps_the_copy_until_the_file_is_deleted(tmp_path, server):
    server.routes["/rss"] = lambda h: send(h, GOOD_RSS)
    root = workspace(tmp_path, {"jauh": server.url("/rss")})
    fetch_site(root, "jauh")
    server.routes["/rss"] = lambda h: send(h, rss([]))
    report, stored, _ = fetch_site(root, "jauh", now=NOW + timedelta(hours=1))
    assert report.outcome == "failed" and len(stored.items) == 3
    assert report.problems[0].code == "fetch_failed_kept" and report.problems[0].file == "sites/jauh.yaml"
    assert "delete feeds/jauh.json and run kimsite fetch again" in _why(report)
    assert "hapus feeds/jauh.json lalu jalankan kimsite fetch lagi" in _why(report, "id")
    remote.file_for(root, "jauh").unlink()  # what the message says to do
    report, stored, _ = fetch_site(root, "jauh", now=NOW + timedelta(hours=2))
    assert report.outcome == "ok" and stored.items == () and stored.status == "ok"


def test_large_truncated_document_parsed_in_the_child_process_keeps_the_copy(tmp_path, server):
    padded = rss(_items(150)).replace("<description>d</description>",
                                      "<description>" + "d" * 70_000 + "</description>")
    assert len(padded) > IN_PROCESS_LIMIT  # parsed by `python -m kimsite.fetch.feed_isolate`
    server.routes["/rss"] = lambda h: send(h, padded)
    root = workspace(tmp_path, {"besar": server.url("/rss")}, timeout=10)
    report, first, _ = fetch_site(root, "besar")
    assert report.outcome == "ok" and len(first.items) == 150
    server.routes["/rss"] = lambda h: send(h, _truncated(padded, "<title>Berita 99</title>"))
    report, stored, _ = fetch_site(root, "besar", now=NOW + timedelta(hours=1))
    assert report.outcome == "failed" and stored.items == first.items
    assert "holds only 99 articles" in _why(report)


# --- 2. a date is fixed when the item is first seen ---------------------------------------------

def test_undated_and_future_items_keep_the_moment_they_were_first_seen(tmp_path, server):
    second = NOW + timedelta(days=3)

    def feed(extra: list[dict]) -> str:
        return rss(extra + [
            {"title": "Tanpa tanggal", "link": "https://x.example/tanpa.html", "guid": "tanpa"},
            {"title": "Masa depan", "link": "https://x.example/depan.html", "guid": "depan",
             "pubDate": "Fri, 31 Dec 9999 23:59:59 +0000"},
            {"title": "Jam server cepat", "link": "https://x.example/cepat.html", "guid": "cepat",
             "pubDate": email.utils.format_datetime(NOW + CLOCK_SKEW / 3)},
            {"title": "Kemarin", "link": "https://x.example/kemarin.html", "guid": "kemarin",
             "pubDate": email.utils.format_datetime(NOW - timedelta(days=1))},
            {"title": "Tahun satu", "link": "https://x.example/satu.html", "guid": "satu",
             "pubDate": "Mon, 01 Jan 0001 00:00:00 +0000"},
            {"title": "Epoch", "link": "https://x.example/epoch.html", "guid": "epoch",
             "pubDate": "Thu, 01 Jan 1970 00:00:00 +0000"},
        ])

    server.routes["/rss"] = lambda h: send(h, feed([]))
    root = workspace(tmp_path, {"tanggal": server.url("/rss")}, members=["all"])
    fetch_site(root, "tanggal", now=NOW)
    first = {item.id: item for item in remote.load(root, "tanggal").items}
    assert {key: first[key].published for key in first} == {
        "tanpa": NOW, "depan": NOW, "cepat": NOW, "kemarin": NOW - timedelta(days=1), "satu": NOW, "epoch": NOW}
    assert all(item.first_seen == NOW for item in first.values())
    stored_json = json.loads(remote.file_for(root, "tanggal").read_text(encoding="utf-8"))
    assert {item["first_seen"] for item in stored_json["items"]} == {NOW.isoformat()}

    # Three days later, on another clock, with one new undated and one new dated article.
    new = [{"title": "Baru tanpa tanggal", "link": "https://x.example/baru.html", "guid": "baru"},
           {"title": "Lusa", "link": "https://x.example/lusa.html", "guid": "lusa",
            "pubDate": email.utils.format_datetime(NOW + timedelta(days=2))}]
    server.routes["/rss"] = lambda h: send(h, feed(new))
    report, stored, _ = fetch_site(root, "tanggal", now=second)
    assert report.new == 2
    again = {item.id: item for item in stored.items}
    for key, item in first.items():
        assert (again[key].published, again[key].updated, again[key].first_seen) == (
            item.published, item.updated, NOW), key
    assert again["baru"].published == again["baru"].first_seen == second
    site = _build_portal(root, second + timedelta(hours=1))
    # The new articles on top; the undated and future-dated ones stay where they were first seen
    # (ties in link order), above yesterday's article and below the new ones.
    assert card_titles(site / "index.html") == [
        "Baru tanpa tanggal", "Lusa", "Jam server cepat", "Masa depan", "Epoch", "Tahun satu", "Tanpa tanggal",
        "Kemarin"]


def test_first_seen_survives_a_changed_id_and_a_clock_that_went_back(tmp_path, server):
    item = {"title": "Tanpa tanggal", "link": "https://x.example/a.html", "guid": "lama"}
    server.routes["/rss"] = lambda h: send(h, rss([item]))
    root = workspace(tmp_path, {"kim": server.url("/rss")})
    fetch_site(root, "kim", now=NOW)
    # The blog changed its ids (and the link only by tracking parameters): the link still finds it.
    moved = {**item, "guid": "baru", "link": "https://www.x.example/a.html?utm_source=wa"}
    server.routes["/rss"] = lambda h: send(h, rss([moved]))
    _, stored, _ = fetch_site(root, "kim", now=NOW + timedelta(days=5))
    assert stored.items[0].published == stored.items[0].first_seen == NOW
    # A machine whose clock is behind: nothing is dated after the fetch time.
    earlier = NOW - timedelta(days=1)
    _, stored, _ = fetch_site(root, "kim", now=earlier)
    assert stored.items[0].published == stored.items[0].first_seen == earlier


# --- 3. one article from two members is listed once ---------------------------------------------

def test_the_same_article_from_a_kim_and_a_regency_portal_is_listed_once(tmp_path, server):
    blog = "https://kima.blogspot.com/2026/11"
    kim_feed = rss([
        {"title": "Kerja bakti", "link": f"{blog}/kerja-bakti.html", "guid": "tag:blogger.com,1999:blog-1.post-7",
         "pubDate": "Thu, 19 Nov 2026 08:00:00 +0700"},
        {"title": "Nomor saja", "link": f"{blog}/nomor.html", "guid": "17",
         "pubDate": "Wed, 18 Nov 2026 08:00:00 +0700"},
    ])
    # The neighbouring regency's portal aggregates the KIM: other link forms, the link as its GUID.
    regency_feed = rss([
        {"title": "Kerja bakti (portal)", "link": f"http://www.kima.blogspot.com/2026/11/kerja-bakti.html?m=1"
                                                   "&amp;utm_source=whatsapp#komentar",
         "guid": f"http://kima.blogspot.com/2026/11/kerja-bakti.html?m=1",
         "pubDate": "Thu, 19 Nov 2026 09:00:00 +0700"},
        {"title": "Hanya di portal", "link": "https://kab-tetangga.example/berita/a.html", "guid": "17",
         "pubDate": "Wed, 18 Nov 2026 10:00:00 +0700"},
    ])
    # The same blog under its custom domain, listed as a second member: only the id is the same.
    custom_feed = rss([
        {"title": "Kerja bakti (domain)", "link": "https://kim-a.desa.id/2026/11/kerja-bakti.html",
         "guid": "tag:blogger.com,1999:blog-1.post-7", "pubDate": "Thu, 19 Nov 2026 08:00:00 +0700"},
    ])
    server.routes.update({"/kim": lambda h: send(h, kim_feed), "/kab": lambda h: send(h, regency_feed),
                          "/domain": lambda h: send(h, custom_feed)})
    root = workspace(tmp_path, {"kim-a": server.url("/kim")},
                     members=["kim-a", server.url("/kab"), server.url("/domain")])
    result = fetch_all(root, FetchOptions(now=NOW))
    assert [report.outcome for report in result.reports] == ["ok", "ok", "ok"]
    site = _build_portal(root, NOW + timedelta(days=1))
    titles = card_titles(site / "index.html")
    assert sorted(titles) == ["Hanya di portal", "Kerja bakti", "Nomor saja"]  # "17" twice is no duplicate
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((site / name).read_bytes())
        assert parsed.bozo == 0, name
        ids = [entry.id for entry in parsed.entries]
        assert len(ids) == len(set(ids)) == 3, name
        kerja = [entry for entry in parsed.entries if entry.title == "Kerja bakti"]
        assert len(kerja) == 1 and kerja[0].id == kerja[0].link == f"{blog}/kerja-bakti.html", name
    # Each member's own list still shows what it carries (the regency's copy on its member page).
    assert len(remote.load(root, server.url("/kab")).items) == 2


def test_a_local_article_carried_by_another_portal_is_listed_once_as_ours(tmp_path, server):
    """A neighbouring portal that aggregates one of our own KIMs: our article is the one listed."""
    root = workspace(tmp_path, {}, members=["kim-lokal", server.url("/tetangga")])
    (root / "sites" / "kim-lokal.yaml").write_text("name: KIM Lokal\nkecamatan: Maniis\n", encoding="utf-8")
    article = root / "content" / "kim-lokal" / "2026-11-18-rapat.md"
    article.parent.mkdir(parents=True)
    article.write_text("---\ntitle: Rapat warga\ndate: 2026-11-18 09:00\n---\nIsi rapat.\n", encoding="utf-8")
    ours = "https://example.github.io/repo/kim-lokal/2026/11/rapat/"
    server.routes["/tetangga"] = lambda h: send(h, rss([
        {"title": "Rapat warga (tetangga)", "link": ours.replace("https://", "http://") + "?utm_medium=feed",
         "guid": ours, "pubDate": "Wed, 18 Nov 2026 10:00:00 +0700"},
        {"title": "Berita tetangga", "link": "https://tetangga.example/a.html", "guid": "a",
         "pubDate": "Tue, 17 Nov 2026 10:00:00 +0700"}]))
    assert [r.outcome for r in fetch_all(root, FetchOptions(now=NOW)).reports] == ["ok"]
    site = _build_portal(root, NOW + timedelta(days=1))
    assert card_titles(site / "index.html") == ["Rapat warga", "Berita tetangga"]
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert [entry.link for entry in parsed.entries] == [ours, "https://tetangga.example/a.html"]


def test_stored_items_with_unsafe_links_are_not_merged_into_one(tmp_path):
    """Hand-edited feeds/ files: links replaced by the KIM's site must not make items "duplicates"."""
    root = workspace(tmp_path, {"kim": "https://kim.example/feed"}, members=["all"])
    moment = NOW - timedelta(days=1)
    items = tuple(remote.RemoteItem(id=f"x{n}", title=f"Aneh {n}", link=f"javascript:alert({n})", summary="",
                                    html="", published=moment - timedelta(hours=n), updated=moment)
                  for n in range(2))
    remote.save(root, "kim", remote.RemoteFeed(url="https://kim.example/feed", items=items))
    site = _build_portal(root, NOW)
    assert card_titles(site / "index.html") == ["Aneh 0", "Aneh 1"]
    assert "javascript:" not in (site / "index.html").read_text(encoding="utf-8")


# --- 4. Retry-After -----------------------------------------------------------------------------

def _busy_then_good(status: int, retry_after: str, times: int = 1):
    """A route answering `status` with Retry-After `times` times, then the good feed."""
    calls = {"n": 0}

    def route(handler):
        calls["n"] += 1
        if calls["n"] <= times:
            headers = {"Retry_After": retry_after} if retry_after else {}
            send(handler, "sibuk", status=status, content_type="text/plain", **headers)
        else:
            send(handler, GOOD_RSS)

    return route, calls


def test_retry_after_seconds_is_waited_for_once_within_the_deadline(tmp_path, server):
    route, calls = _busy_then_good(503, "1")
    server.routes["/rss"] = route
    root = workspace(tmp_path, {"sibuk": server.url("/rss")}, timeout=5)
    report, stored, seconds = fetch_site(root, "sibuk")
    assert report.outcome == "ok" and calls["n"] == 2 and len(stored.items) == 3
    assert 1 <= seconds < 5  # it waited, and never past the feed's time limit


def test_retry_after_http_date_is_read_against_the_servers_clock(tmp_path, server):
    server_now = datetime(2001, 1, 1, 0, 0, 0, tzinfo=timezone.utc)  # a server whose clock is far off

    def route(handler):
        route.calls += 1
        if route.calls == 1:
            handler.send_response_only(429)
            handler.send_header("Date", email.utils.format_datetime(server_now, usegmt=True))
            handler.send_header("Retry-After", email.utils.format_datetime(server_now + timedelta(seconds=1),
                                                                            usegmt=True))
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        else:
            send(handler, GOOD_RSS)

    route.calls = 0
    server.routes["/rss"] = route
    root = workspace(tmp_path, {"sibuk": server.url("/rss")}, timeout=5)
    report, stored, seconds = fetch_site(root, "sibuk")
    assert report.outcome == "ok" and route.calls == 2 and seconds < 5


def test_retry_after_beyond_the_deadline_keeps_the_copy_and_says_when(tmp_path, server):
    server.routes["/rss"] = lambda h: send(h, GOOD_RSS)
    root = workspace(tmp_path, {"sibuk": server.url("/rss")}, timeout=2)
    fetch_site(root, "sibuk")
    route, calls = _busy_then_good(503, "3600", times=5)
    server.routes["/rss"] = route
    before = datetime.now(timezone.utc)
    report, stored, seconds = fetch_site(root, "sibuk", now=NOW + timedelta(hours=1))
    assert calls["n"] == 1 and seconds < 2  # it did not wait at all: the wait cannot fit
    assert report.outcome == "failed" and len(stored.items) == 3
    problem = report.problems[0]
    assert problem.code == "fetch_failed_kept" and problem.file == "sites/sibuk.yaml"
    why = _why(report)
    assert why.startswith("the server is busy (HTTP 503) and asks to wait 3600 s") and "try again after " in why
    when = datetime.strptime(why.rsplit("try again after ", 1)[1], "%Y-%m-%d %H:%M:%S UTC").replace(
        tzinfo=timezone.utc)
    assert before + timedelta(seconds=3590) <= when <= before + timedelta(seconds=3610)
    assert "coba lagi setelah" in _why(report, "id")


def test_busy_twice_is_retried_only_once(tmp_path, server):
    route, calls = _busy_then_good(429, "0", times=2)
    server.routes["/rss"] = route
    root = workspace(tmp_path, {"sibuk": server.url("/rss")}, timeout=3)
    report, stored, _ = fetch_site(root, "sibuk")
    assert calls["n"] == 2 and report.outcome == "failed"
    assert _why(report).startswith("the server is still busy (HTTP 429) after one wait; try again after 20")


@pytest.mark.parametrize("value", ["soon", "-5", "1.5", "Fri, 31 Feb 2026 99:00:00 GMT", ""])
def test_unreadable_retry_after_is_a_plain_http_error(tmp_path, server, value):
    route, calls = _busy_then_good(503, value)
    server.routes["/rss"] = route
    root = workspace(tmp_path, {"sibuk": server.url("/rss")}, timeout=3)
    report, _stored, _ = fetch_site(root, "sibuk")
    assert calls["n"] == 1 and report.outcome == "failed"
    assert _why(report) == "the server answered with HTTP status 503"


def test_retry_after_forms():
    now = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
    http_date = email.utils.format_datetime
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds(" 0 ") == 0
    assert retry_after_seconds(http_date(now + timedelta(minutes=2), usegmt=True), http_date(now, usegmt=True)) == 120
    assert retry_after_seconds(http_date(now - timedelta(days=1), usegmt=True), http_date(now, usegmt=True)) == 0
    assert retry_after_seconds(http_date(now + timedelta(seconds=30), usegmt=True), "",
                               now=now.timestamp()) == 30
    assert retry_after_seconds("9" * 40) == MAX_RETRY_AFTER
    assert retry_after_seconds("Fri, 31 Dec 9999 23:59:59 GMT", http_date(now, usegmt=True)) == MAX_RETRY_AFTER
    for bad in ("", "soon", "-1", "1e3", "Mon, 99 Foo 2026 00:00:00 GMT"):
        assert retry_after_seconds(bad) is None, bad


# --- 5. more hostile feeds ----------------------------------------------------------------------

def test_feed_that_redirects_to_itself_keeps_the_copy(tmp_path, server):
    server.routes["/rss"] = lambda h: send(h, GOOD_RSS)
    root = workspace(tmp_path, {"putar": server.url("/rss")})
    fetch_site(root, "putar")
    server.routes["/rss"] = lambda h: send(h, b"", status=302, Location=server.url("/rss"))
    report, stored, _ = fetch_site(root, "putar", now=NOW + timedelta(hours=1))
    assert report.outcome == "failed" and len(stored.items) == 3
    assert _why(report) == "the redirects go round in a loop"
    assert len(server.headers_for("/rss")) == 2  # one request, no endless asking


def test_body_shorter_than_its_content_length_keeps_the_copy(tmp_path, server):
    def short(handler):
        data = GOOD_RSS.encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data[: len(data) // 2])  # the connection closes half way

    server.routes["/rss"] = lambda h: send(h, GOOD_RSS)
    root = workspace(tmp_path, {"putus": server.url("/rss")})
    fetch_site(root, "putus")
    server.routes["/rss"] = short
    report, stored, _ = fetch_site(root, "putus", now=NOW + timedelta(hours=1))
    assert report.outcome == "failed" and len(stored.items) == 3
    assert _why(report).startswith("the connection broke or the server's answer is damaged")


def test_truncated_gzip_keeps_the_copy(tmp_path, server):
    packed = gzip.compress(GOOD_RSS.encode())
    server.routes["/rss"] = lambda h: send(h, GOOD_RSS)
    root = workspace(tmp_path, {"gz": server.url("/rss")})
    fetch_site(root, "gz")
    server.routes["/rss"] = lambda h: send(h, packed[: len(packed) * 2 // 3], Content_Encoding="gzip")
    report, stored, _ = fetch_site(root, "gz", now=NOW + timedelta(hours=1))
    assert report.outcome == "failed" and len(stored.items) == 3
    assert _why(report) == "the compressed (gzip/deflate) content is damaged"  # refused before parsing


def test_four_megabyte_title_is_cut(tmp_path, server):
    feed = rss([{"title": "Judul " + "panjang " * 500_000, "link": "https://x.example/a.html", "guid": "a",
                 "pubDate": "Wed, 18 Nov 2026 09:00:00 +0700"}])
    server.routes["/rss"] = lambda h: send(h, feed)
    root = workspace(tmp_path, {"judul": server.url("/rss")}, timeout=15)
    report, stored, _ = fetch_site(root, "judul")
    assert report.outcome == "ok" and len(stored.items[0].title) <= 301
    assert remote.file_for(root, "judul").stat().st_size < 10_000


def test_links_differing_only_in_form_are_one_item_within_a_feed(tmp_path, server):
    feed = rss([
        {"title": "Asli", "link": "https://kim.example/a.html", "guid": "1",
         "pubDate": "Wed, 18 Nov 2026 09:00:00 +0700"},
        {"title": "Seluler", "link": "https://kim.example/a.html?m=1", "guid": "2",
         "pubDate": "Wed, 18 Nov 2026 08:00:00 +0700"},
        {"title": "Dari WA", "link": "http://www.KIM.example/a.html?utm_source=wa#atas", "guid": "3",
         "pubDate": "Wed, 18 Nov 2026 07:00:00 +0700"},
        {"title": "Halaman lain", "link": "https://kim.example/index.php?m=berita", "guid": "4",
         "pubDate": "Wed, 18 Nov 2026 06:00:00 +0700"},
        {"title": "Halaman lain lagi", "link": "https://kim.example/index.php?m=agenda", "guid": "5",
         "pubDate": "Wed, 18 Nov 2026 05:00:00 +0700"},
    ])
    server.routes["/rss"] = lambda h: send(h, feed)
    root = workspace(tmp_path, {"bentuk": server.url("/rss")})
    report, stored, _ = fetch_site(root, "bentuk")
    assert [item.title for item in stored.items] == ["Asli", "Halaman lain", "Halaman lain lagi"]
    assert stored.extra["skipped"] == 2


def test_feed_whose_every_link_became_javascript_keeps_the_copy(tmp_path, server):
    server.routes["/rss"] = lambda h: send(h, GOOD_RSS)
    root = workspace(tmp_path, {"js": server.url("/rss")})
    fetch_site(root, "js")
    hijacked = rss([{"title": f"Klik {n}", "link": f"javascript:alert({n})", "guid": f"j{n}"} for n in range(5)])
    server.routes["/rss"] = lambda h: send(h, hijacked)
    report, stored, _ = fetch_site(root, "js", now=NOW + timedelta(hours=1))
    assert report.outcome == "failed" and len(stored.items) == 3 and _why(report) == "no article has an http(s) link"


def test_hand_edited_stored_feed_is_checked_before_use(tmp_path, server):
    """feeds/ can be committed or restored from a CI cache: bad items are dropped, the rest is used."""
    server.routes["/rss"] = lambda h: send(h, GOOD_RSS)
    root = workspace(tmp_path, {"tangan": server.url("/rss")}, members=["all"])
    fetch_site(root, "tangan")
    path = remote.file_for(root, "tangan")
    data = json.loads(path.read_text(encoding="utf-8"))
    good = data["items"][0]
    data["items"] = [
        good,
        {**data["items"][1], "published": "2026-11-17T08:00:00"},  # no offset: would break every comparison
        {**data["items"][2], "categories": "Berita"},  # a string, not a list
        "bukan item", 42, None, {"id": "x"},
        {**good, "id": "y", "first_seen": [2026]},
        {**good, "id": "z", "published": "9999-12-31T23:59:59+00:00"},  # would overflow in WIB
        {**good, "id": "w", "updated": "0001-01-01T00:00:00+00:00"},
    ]
    path.write_text(json.dumps(data), encoding="utf-8")
    stored = remote.load(root, "tangan")
    assert [item.id for item in stored.items] == [good["id"]]
    site = _build_portal(root, NOW + timedelta(days=1))
    assert card_titles(site / "index.html") == ["Musyawarah Desa"]
    for broken in ('{"format": 1, "url": "u", "items": {"a": 1}}', '{"format": 1, "url": 5}', "[" * 100_000):
        path.write_text(broken, encoding="utf-8")
        assert remote.load(root, "tangan") is None
    report, stored, _ = fetch_site(root, "tangan", now=NOW + timedelta(hours=1))
    assert report.outcome == "ok" and len(stored.items) == 3
