"""Parsing large feeds in a child process that is killed when its time is up.

feedparser is pure Python and some inputs make it slow far beyond their size
(deeply nested tags are quadratic: 5 MB of them takes minutes). A thread
cannot be stopped, so documents larger than IN_PROCESS_LIMIT are parsed by
`python -m kimsite.fetch.feed_isolate`, which gets the bytes on stdin, answers JSON
on stdout, runs with a memory limit, and is killed at the deadline. Small
documents (most feeds) are parsed in the process itself: at that size even
the slowest input takes well under a second.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from kimsite.fetch.feed_clean import NotAFeed, ParsedFeed, parse_feed
from kimsite.fetch.remote import RemoteItem

IN_PROCESS_LIMIT = 64 * 1024  # bytes
MEMORY_LIMIT = 2 * 1024 ** 3  # address space of the child process


def parse_bounded(data: bytes, feed_url: str, content_type: str, now: datetime,
                  previous: dict[str, datetime], max_items: int, seconds: float) -> ParsedFeed:
    """parse_feed, finished within `seconds` (NotAFeed("parse_timeout") otherwise)."""
    if len(data) <= IN_PROCESS_LIMIT:
        return parse_feed(data, feed_url, content_type, now, previous, max_items)
    header = {"feed_url": feed_url, "content_type": content_type, "now": now.isoformat(),
              "previous": {key: value.isoformat() for key, value in previous.items()}, "max_items": max_items}
    payload = json.dumps(header).encode("utf-8") + b"\n" + data
    package_parent = str(Path(__file__).resolve().parents[2])
    search_path = os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": search_path}
    try:
        done = subprocess.run([sys.executable, "-m", "kimsite.fetch.feed_isolate"], input=payload, capture_output=True,
                              timeout=seconds, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise NotAFeed("parse_timeout", seconds=f"{seconds:.0f}") from None
    except OSError as exc:
        raise NotAFeed("parse_failed", detail=str(exc)[:160]) from None
    try:
        answer = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise NotAFeed("parse_failed", detail=(lines[-1] if lines else f"exit {done.returncode}")[:160]) from None
    if not answer.get("ok"):
        raise NotAFeed(str(answer.get("reason", "not_a_feed")))
    items = tuple(
        RemoteItem(**{**item, "published": datetime.fromisoformat(item["published"]),
                      "updated": datetime.fromisoformat(item["updated"]),
                      "first_seen": datetime.fromisoformat(item["first_seen"]),
                      "categories": tuple(item["categories"])})
        for item in answer["items"]
    )
    return ParsedFeed(title=answer["title"], link=answer["link"], items=items, entries=answer["entries"],
                      skipped=answer["skipped"], truncated=answer["truncated"], well_formed=answer["well_formed"],
                      xml_problem=answer["xml_problem"])


def _child() -> int:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):
        pass
    raw = sys.stdin.buffer.read()
    head, _, data = raw.partition(b"\n")
    header = json.loads(head)
    previous = {key: datetime.fromisoformat(value) for key, value in header["previous"].items()}
    try:
        parsed = parse_feed(data, header["feed_url"], header["content_type"],
                            datetime.fromisoformat(header["now"]), previous, header["max_items"])
    except NotAFeed as exc:
        answer: dict = {"ok": False, "reason": exc.reason}
    else:
        answer = {"ok": True, **asdict(parsed)}
    sys.stdout.write(json.dumps(answer, default=lambda value: value.isoformat(), ensure_ascii=True))
    return 0


if __name__ == "__main__":
    sys.exit(_child())
