"""The real-world fixture (tests/fixtures/realworld/): a workspace written with GitHub-flavoured
Markdown and Jekyll/Hugo habits, whose remote KIMs publish the feeds real blogs publish
(Blogger Atom, Blogspot RSS, FeedBurner, WordPress, a home-made feed with undated and duplicate
items). The feeds are served from 127.0.0.1, fetched through `kimsite fetch`'s own code and built.
"""

from __future__ import annotations

import shutil
import threading
from datetime import datetime, timedelta, timezone
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "realworld"
BASE_URL = "https://kim.example.id/realworld/"
# A fetch clock with microseconds: undated items are dated when first seen.
FETCHED = datetime(2026, 12, 1, 7, 14, 14, 738324, tzinfo=timezone.utc)
BUILT = datetime(2026, 12, 2, 9, 0, tzinfo=timezone(timedelta(hours=7)))


class _Quiet(SimpleHTTPRequestHandler):
    extensions_map = {".xml": "application/xml; charset=utf-8"}

    def log_message(self, *args) -> None:
        pass


def build_realworld(target: Path) -> Path:
    """Copy the fixture workspace to `target`, fetch its feeds, build it; returns the output folder."""
    from kimsite.build import BuildOptions, build
    from kimsite.commands.fetch import FetchOptions, fetch_all

    shutil.copytree(FIXTURE / "workspace", target)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(FIXTURE / "feeds")))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        for site in (target / "sites").glob("*.yaml"):
            site.write_text(site.read_text(encoding="utf-8").replace("{server}", origin), encoding="utf-8")
        fetched = fetch_all(target, FetchOptions(now=FETCHED))
    finally:
        server.shutdown()
        server.server_close()
    failed = [report.target.url for report in fetched.reports if report.outcome != "ok"]
    assert not failed, (failed, fetched.problems)
    result = build(target, BuildOptions(now=BUILT))
    errors = [problem for problem in result.problems if problem.severity == "error"]
    assert not errors, errors
    return result.output_dir
