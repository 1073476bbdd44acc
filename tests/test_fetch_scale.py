"""`kimsite fetch` at the scale of a national portal: a host that stops answering costs its
feeds about one timeout in all, not one each; the whole run ends by its deadline; the workers
take hosts in turn. Feeds are served on loopback (127.0.0.1 and 127.0.0.2 are two hosts).
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import write_workspace
from safety import invoke
from test_fetch import FeedServer, rss, send
from kimsite.commands import fetch
from kimsite.commands.fetch import FeedTarget, FetchOptions, by_host_in_turn, fetch_all
from kimsite.workspace.config import load_workspace_config

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
GOOD = rss([{"title": "Kabar", "link": "https://kim.example/1", "guid": "k1",
             "pubDate": "Tue, 10 Nov 2026 09:00:00 +0700"}])


def province(tmp_path: Path, urls: list[str], fetch_lines: str = "", timeout: float = 2) -> Path:
    outlines = "".join(f'<outline text="KIM {n}" xmlUrl="{url}"/>\n' for n, url in enumerate(urls))
    return write_workspace(tmp_path / "ws", {
        "kimsite.yaml": "base_url: https://prov.example/\nlanguage: id\ntimezone: Asia/Jakarta\n"
                        f"fetch:\n  timeout: {timeout:g}\n  allow_hosts: [\"127.0.0.1\", \"127.0.0.2\"]\n{fetch_lines}",
        "sites/provinsi.yaml": "kind: portal\nname: Provinsi\nmembers:\n  - opml: sites/p.opml\n",
        "sites/p.opml": f"<opml><body>\n{outlines}</body></opml>\n",
    })


@pytest.fixture
def server():
    """A FeedServer answering on every loopback address (127.0.0.2 is then a second host)."""
    running = FeedServer({})
    handler = running.httpd.RequestHandlerClass
    running.httpd.server_close()
    running.httpd = ThreadingHTTPServer(("", 0), handler)
    running.httpd.daemon_threads = True
    running.port = running.httpd.server_address[1]
    running.thread = threading.Thread(target=running.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                      daemon=True)
    with running:
        yield running


def stall(server: FeedServer):
    return lambda handler: server.stop.wait(30)


def test_a_host_that_stops_answering_is_not_waited_for_feed_after_feed(tmp_path, server):
    server.routes.update({f"/mati/{n}.xml": stall(server) for n in range(8)})
    server.routes.update({f"/hidup/{n}.xml": (lambda h: send(h, GOOD)) for n in range(4)})
    dead = [f"http://127.0.0.2:{server.port}/mati/{n}.xml" for n in range(8)]
    alive = [server.url(f"/hidup/{n}.xml") for n in range(4)]
    root = province(tmp_path, dead + alive)
    result = fetch_all(root, FetchOptions(now=NOW, workers=4))
    outcomes = {r.target.url: r.outcome for r in result.reports}
    assert [outcomes[url] for url in alive] == ["ok"] * 4
    assert [outcomes[url] for url in dead] == ["failed"] * 8
    asked = [path for path, _headers in server.requests if path.startswith("/mati/")]
    # two timeouts mark the host down; with two of its feeds at once, at most one more was under way
    assert fetch.HOST_FAILURES <= len(asked) <= fetch.HOST_FAILURES + fetch.HOST_LIMIT - 1
    codes = [dict(p.args)["why_en"] for r in result.reports if r.target.url in dead for p in r.problems]
    assert sum("took too long" in why for why in codes) == len(asked)
    assert sum("did not answer other feeds of this run" in why for why in codes) == 8 - len(asked)
    assert all("127.0.0.2" in why for why in codes if "did not answer" in why)


def test_one_slow_feed_of_a_host_does_not_stop_its_other_feeds(tmp_path, server):
    server.routes["/lambat.xml"] = stall(server)
    server.routes.update({f"/hidup/{n}.xml": (lambda h: send(h, GOOD)) for n in range(5)})
    root = province(tmp_path, [server.url("/lambat.xml")] + [server.url(f"/hidup/{n}.xml") for n in range(5)])
    result = fetch_all(root, FetchOptions(now=NOW, workers=1))
    assert [r.outcome for r in result.reports] == ["failed"] + ["ok"] * 5


def test_nothing_starts_after_the_deadline_and_a_feed_under_way_is_cut_at_it(tmp_path, server):
    server.routes["/lambat.xml"] = stall(server)
    server.routes.update({f"/hidup/{n}.xml": (lambda h: send(h, GOOD)) for n in range(3)})
    slow = f"http://127.0.0.2:{server.port}/lambat.xml"
    root = province(tmp_path, [slow] + [server.url(f"/hidup/{n}.xml") for n in range(3)], timeout=30)
    result = fetch_all(root, FetchOptions(now=NOW, workers=1, deadline=1.5))
    # one worker: the slow feed goes first (hosts in turn), runs into the deadline, and the rest never start
    assert [r.outcome for r in result.reports] == ["failed"] * 4
    assert [path for path, _ in server.requests] == ["/lambat.xml"]
    for report in result.reports:
        (problem,) = report.problems
        assert "the whole fetch ran out of time (1.5 s" in dict(problem.args)["why_en"]
        assert problem.file == "sites/p.opml" and problem.line == report.target.line


def test_workers_take_hosts_in_turn():
    urls = ["http://a/1", "http://a/2", "http://a/3", "http://b/1", "http://c/1", "http://b/2", "bad:"]
    targets = [FeedTarget(url, url, "f") for url in urls]
    assert [urls[i] for i in by_host_in_turn(targets)] == [
        "http://a/1", "http://b/1", "http://c/1", "bad:", "http://a/2", "http://b/2", "http://a/3"]
    assert by_host_in_turn([]) == []


@pytest.mark.parametrize("lines, field", [
    ("  deadline: 5\n", "fetch.deadline"), ("  deadline: lama\n", "fetch.deadline"),
    ("  deadline: 99999\n", "fetch.deadline"), ("  workers: 0\n", "fetch.workers"),
    ("  workers: 2.5\n", "fetch.workers"), ("  workers: true\n", "fetch.workers"), ("  workers: 65\n", "fetch.workers"),
])
def test_bad_deadline_or_workers_is_an_error_on_its_line(tmp_path, lines, field):
    root = province(tmp_path, ["https://a.example/f"], lines)
    config, problems = load_workspace_config(root)
    assert [(p.severity, p.file, p.line, p.code, dict(p.args)["field"]) for p in problems] == [
        ("error", "kimsite.yaml", 7, "field_not_int", field)]
    result = invoke("fetch", "-C", str(root))
    assert result.exit_code == 1 and "kimsite.yaml:7" in result.output


def test_deadline_and_workers_are_read(tmp_path):
    root = province(tmp_path, ["https://a.example/f"], "  deadline: 120\n  workers: 16\n")
    config, problems = load_workspace_config(root)
    assert problems == [] and (config.fetch_deadline, config.fetch_workers) == (120.0, 16)
    default, _ = load_workspace_config(province(tmp_path / "b", ["https://a.example/f"]))
    assert (default.fetch_deadline, default.fetch_workers) == (900.0, 8)


def test_stored_files_are_what_dataclasses_asdict_gave(tmp_path):
    """remote.save builds its JSON without asdict's deep copies; the files stay byte for byte."""
    import json
    from dataclasses import asdict

    from kimsite.fetch import remote

    items = (remote.RemoteItem("a", "Judul", "https://kim.example/1", "ringkas", "<p>isi</p>", NOW, NOW, "Ani",
                               ("Desa", "Panen"), NOW),
             remote.RemoteItem("b", "Dua", "https://kim.example/2", "", "", NOW, NOW))
    feed = remote.RemoteFeed(url="https://kim.example/feed", title="KIM", items=items, fetched_at=NOW,
                             etag='"e"', checked_at=NOW, extra={"entries": 2, "nested": [1, {"a": None}]})
    expected = {"format": remote.FORMAT_VERSION, **asdict(feed)}
    del expected["items"][1]["first_seen"]
    text = json.dumps(expected, default=remote._encode, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    assert remote.save(tmp_path, "kim", feed).read_text(encoding="utf-8") == text
    assert remote.load(tmp_path, "kim") == feed


def test_the_command_line_deadline_is_bounded_and_accepted(tmp_path, server):
    server.routes["/ok.xml"] = lambda h: send(h, GOOD)
    root = province(tmp_path, [server.url("/ok.xml")])
    assert invoke("fetch", "-C", str(root), "--deadline", "5").exit_code == 2
    result = invoke("fetch", "-C", str(root), "--deadline", "10", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "1 fetched" in result.stdout
