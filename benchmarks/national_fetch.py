"""`kimsite fetch` for a national portal: 500 regency portal feeds and 2,000 KIM feeds, served
from loopback, listed in one OPML member list.

    python benchmarks/national_fetch.py                      # 500 portals, 2,000 KIMs
    python benchmarks/national_fetch.py --portals 50 --kims 200 --timeout 5

Every regency is a host of its own (127.0.A.B, all loopback on Linux) serving its portal feed
(`--portal-items` items naming four KIMs each) and four KIM feeds (`--kim-items` items); items
carry 1-2 KB of HTML, as full-content Blogspot feeds do. The feeds carry an ETag and answer
If-None-Match with 304. Runs, each `python -m kimsite fetch` as its own process:

1. cold: nothing stored yet;
2. conditional: the same again (every feed should answer 304);
3. one slow host: one regency's host (its portal and KIM feeds) answers nothing for longer
   than the feed timeout;
4. one dead host: one more host whose address accepts connections but never answers (a
   black hole; `--dead-feeds` of the KIM feeds live there, as when many KIMs share one blog host).

Printed: wall time, peak RSS of the fetch process, requests, 200s and 304s answered, and the
outcomes kimsite reports. Times are of this machine, shared with other work: compare rows of
one run.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("warga desa gotong royong posyandu panen padi musyawarah balai jalan irigasi sekolah "
         "pasar bantuan sosial kesehatan ibu anak pemuda karang taruna lomba kebersihan").split()


def host_of(index: int) -> str:
    return f"127.0.{10 + index // 250}.{1 + index % 250}"


def rss(title: str, link: str, items: list[tuple[str, str, str, str]]) -> bytes:
    parts = []
    for item_title, item_link, date, category in items:
        body = " ".join(WORDS[(len(item_title) + n) % len(WORDS)] for n in range(180))
        parts.append(f"<item><title>{item_title}</title><link>{item_link}</link><guid>{item_link}</guid>"
                     f"<pubDate>{date}</pubDate>{f'<category>{category}</category>' if category else ''}"
                     f"<description>&lt;p&gt;{body}&lt;/p&gt;</description></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>{link}</link><description>{title}</description>{''.join(parts)}</channel></rss>").encode()


def date_of(n: int) -> str:
    return f"{['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][n % 7]}, {1 + n % 28:02d} Nov 2026 09:00:00 +0700"


class Feeds:
    """The documents, by (host, path), and what the server answered."""

    def __init__(self, portals: int, kims: int, portal_items: int, kim_items: int):
        self.documents: dict[tuple[str, str], tuple[bytes, str]] = {}
        self.outlines: list[str] = []
        per_portal = max(1, kims // portals)
        for p in range(portals):
            host = host_of(p)
            names = [f"KIM {p}-{k}" for k in range(per_portal)]
            items = [(f"Kabar {p}-{n}", f"http://{host}/kabar/{n}", date_of(n), names[n % per_portal])
                     for n in range(portal_items)]
            self.add(host, "/feed.xml", rss(f"Portal Kabupaten {p}", f"http://{host}/", items))
            self.outlines.append(f'<outline text="Kabupaten {p}" category="portal" type="rss" '
                                 f'xmlUrl="http://{host}:{{port}}/feed.xml" htmlUrl="http://{host}/"/>')
            for k, name in enumerate(names):
                items = [(f"Berita {p}-{k}-{n}", f"http://{host}/kim-{k}/{n}", date_of(n), "")
                         for n in range(kim_items)]
                self.add(host, f"/kim-{k}/feed.xml", rss(name, f"http://{host}/kim-{k}/", items))
                self.outlines.append(f'<outline text="{name}" type="rss" xmlUrl="http://{host}:{{port}}/kim-{k}/'
                                     f'feed.xml"/>')
        self.lock = threading.Lock()
        self.counts = {"requests": 0, "200": 0, "304": 0}
        self.stalled: set[str] = set()

    def add(self, host: str, path: str, body: bytes) -> None:
        self.documents[(host, path)] = (body, '"' + hashlib.sha1(body).hexdigest()[:16] + '"')

    def count(self, key: str) -> None:
        with self.lock:
            self.counts[key] += 1


def serve(feeds: Feeds) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            feeds.count("requests")
            host = self.headers.get("Host", "").rsplit(":", 1)[0]
            if host in feeds.stalled:
                time.sleep(3600)
                return
            found = feeds.documents.get((host, self.path))
            if found is None:
                self.send_error(404)
                return
            body, etag = found
            if self.headers.get("If-None-Match") == etag:
                feeds.count("304")
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            feeds.count("200")
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 1024

    server = Server(("", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def black_hole() -> tuple[socket.socket, int]:
    """An address that accepts connections (the kernel's backlog) and never answers."""
    hole = socket.socket()
    hole.bind(("127.0.250.250", 0))
    hole.listen(4096)
    return hole, hole.getsockname()[1]


def workspace(folder: Path, outlines: list[str], timeout: float, extra: str) -> Path:
    (folder / "sites").mkdir(parents=True)
    (folder / "kimsite.yaml").write_text(
        "base_url: https://nasional.example/\nlanguage: id\ntimezone: Asia/Jakarta\n"
        f"fetch:\n  timeout: {timeout:g}\n{extra}  allow_hosts:\n"
        + "".join(f"    - \"{host}\"\n" for host in sorted({re.search(r'//([0-9.]+)', o).group(1) for o in outlines})),
        encoding="utf-8")
    (folder / "sites/nasional.yaml").write_text(
        "kind: portal\nname: Portal KIM Nasional\nregion: Indonesia\nmembers:\n  - opml: sites/nasional.opml\n",
        encoding="utf-8")
    (folder / "sites/nasional.opml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>Nasional</title></head><body>\n'
        + "\n".join(outlines) + "\n</body></opml>\n", encoding="utf-8")
    return folder


def run_fetch(folder: Path, feeds: Feeds) -> dict:
    before = dict(feeds.counts)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KIMSITE_LANG": "en"}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "kimsite", "fetch", "-C", str(folder)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)  # this process's own peak, not its children's
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    summary = next((line for line in reversed(output.splitlines()) if "feeds" in line or "feed" in line), "")
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "summary": summary.strip(),
            **{key: feeds.counts[key] - before[key] for key in feeds.counts}, "code": process.returncode}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--portals", type=int, default=500)
    parser.add_argument("--kims", type=int, default=2000)
    parser.add_argument("--portal-items", type=int, default=20)
    parser.add_argument("--kim-items", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=20, help="fetch: timeout: (seconds per feed)")
    parser.add_argument("--dead-feeds", type=int, default=40, help="KIM feeds on the dead host")
    parser.add_argument("--config", default="", help="more lines for the fetch: section, e.g. '  workers: 8\\n'")
    args = parser.parse_args()

    feeds = Feeds(args.portals, args.kims, args.portal_items, args.kim_items)
    server = serve(feeds)
    port = server.server_address[1]
    outlines = [line.replace("{port}", str(port)) for line in feeds.outlines]
    hole, hole_port = black_hole()
    dead = [f'<outline text="KIM mati {n}" type="rss" xmlUrl="http://127.0.250.250:{hole_port}/kim-{n}/feed.xml"/>'
            for n in range(args.dead_feeds)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="kimsite-national-") as temporary:
        folder = workspace(Path(temporary) / "ws", outlines, args.timeout, args.config.replace("\\n", "\n"))
        rows.append(("cold", run_fetch(folder, feeds)))
        rows.append(("conditional (second run)", run_fetch(folder, feeds)))
        feeds.stalled.add(host_of(0))
        rows.append((f"one slow host ({1 + max(1, args.kims // args.portals)} feeds)", run_fetch(folder, feeds)))
        feeds.stalled.clear()
        opml = folder / "sites/nasional.opml"
        opml.write_text(opml.read_text().replace("</body>", "\n".join(dead) + "\n</body>"), encoding="utf-8")
        config = folder / "kimsite.yaml"
        config.write_text(config.read_text() + "    - \"127.0.250.250\"\n", encoding="utf-8")
        rows.append((f"one dead host ({args.dead_feeds} feeds)", run_fetch(folder, feeds)))
    hole.close()
    server.shutdown()
    total = len(outlines)
    print(f"\n{args.portals} portal feeds ({args.portal_items} items) + {total - args.portals} KIM feeds "
          f"({args.kim_items} items); feed timeout {args.timeout:g} s\n")
    print("| run | seconds | peak RSS MB | requests | 200 | 304 | kimsite's summary |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, row in rows:
        print(f"| {name} | {row['seconds']:.1f} | {row['peak_mb']:.0f} | {row['requests']} | {row['200']} | "
              f"{row['304']} | {row['summary']} |")


if __name__ == "__main__":
    main()
