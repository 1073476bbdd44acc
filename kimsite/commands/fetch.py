"""`kimsite fetch`: download every remote feed of the workspace and store it for the build.

Which feeds: every site file with `feed:` (a KIM hosted on Blogspot, WordPress,
...) and every URL in a portal's `members` (portals of portals). Each feed is
downloaded by fetch_http (bounded, polite, private addresses refused), parsed
and cleaned by feed_clean (large documents in a child process that is killed
when the time is up: feed_isolate), and stored with kimsite.fetch.remote (atomic
JSON files in feeds/).

Time per feed: the download (DNS, connect, redirects, body) is cut at the
feed's timeout (kimsite.yaml `fetch: timeout:`, default 20 s, or --timeout);
parsing gets what is left of it, but at least MIN_PARSE_SECONDS. A few feeds are fetched in parallel; one broken feed never stops
the others. A feed that fails keeps its last good copy: only its status,
message and checked_at change, and it is reported as a warning naming the
site file and the URL.

A national portal fetches thousands of feeds, so one run is bounded as a whole
(`_Run`): feeds are taken host by host in turn with at most HOST_LIMIT of one
host at once (a regency's portal and its KIMs often share one host); after
HOST_FAILURES feeds of a host timed out or were refused, its other feeds keep
their last copies until the next run instead of waiting out their timeouts one
by one; and nothing starts after the total deadline (`fetch: deadline:`,
default 900 s, or --deadline), while a feed under way is cut at it.

A download never replaces a stored copy with a worse one:
- an ill-formed document (broken XML read by the lenient parser: a truncated
  download, a tag left open) replaces the stored copy only when it yields at
  least as many items; otherwise the last good copy is kept, with a warning;
- a well-formed document always replaces it (a KIM may really delete articles),
  except a well-formed feed without a single entry while the stored copy has
  items: that is far more often a broken blog than a KIM that deleted
  everything, so the copy is kept with a warning saying how to clear it;
- a server that answers 429 or 503 with Retry-After is asked again once when
  the wait fits the feed's time limit (fetch_http), else the copy is kept and
  the warning says when to try again.
Items keep the moment they were first seen (`first_seen`), whatever the URL of
the stored copy: an undated or future-dated item keeps its date (feed_clean).
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import as_completed
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from kimsite.fetch import remote
from kimsite.fetch.feed_clean import ParsedFeed
from kimsite.fetch.fetch_http import DEFAULT_MAX_BYTES, Download, FetchError, check_scheme, download
from kimsite.base.interrupt import thread_pool
from kimsite.fetch.feed_clean import MAX_ITEMS, NotAFeed
from kimsite.fetch.feed_isolate import parse_bounded
from kimsite.base.messages import message
from kimsite.workspace.opml import listed_feeds
from kimsite.base.problems import KimsiteError, Problem, error, warning
from kimsite.fetch.remote import RemoteFeed

MIN_PARSE_SECONDS = 3.0  # parsing gets what is left of the feed's time limit, but at least this
HOST_LIMIT = 2  # feeds of one host fetched at once
HOST_FAILURES = 2  # feeds of a host that timed out or were refused before its others wait for the next run
MIN_START_SECONDS = 1.0  # a feed is not started with less than this left before the deadline
_UNREACHABLE = frozenset({"timeout", "connect", "dns"})


@dataclass(frozen=True, slots=True)
class FeedTarget:
    key: str  # remote.save key: the remote KIM's slug, or the URL for a portal member
    url: str
    file: str  # the site file naming this feed
    line: int | None = None


@dataclass(frozen=True, slots=True)
class FetchOptions:
    site: str | None = None  # only this remote KIM (or this portal's member URLs)
    timeout: float | None = None  # seconds per feed, total; None: kimsite.yaml `fetch: timeout:` (20)
    deadline: float | None = None  # seconds for the whole run; None: kimsite.yaml `fetch: deadline:` (900)
    max_bytes: int = DEFAULT_MAX_BYTES
    max_items: int = MAX_ITEMS
    workers: int | None = None  # feeds at once; None: kimsite.yaml `fetch: workers:` (8)
    lang: str = "id"  # language of the `message` stored with each feed
    now: datetime | None = None  # the fetch time (tests); default: the clock


@dataclass(frozen=True, slots=True)
class FeedReport:
    target: FeedTarget
    outcome: str  # "ok", "not-modified", "failed", "gone"
    count: int  # items stored for the feed after this run
    new: int = 0  # items not stored before
    seconds: float = 0.0
    problems: tuple[Problem, ...] = ()  # the warnings about this feed
    reason: str = ""  # why it failed (a FetchError reason), "" when it did not


@dataclass
class FetchResult:
    reports: list[FeedReport]
    problems: list[Problem] = field(default_factory=list)  # workspace problems and feed warnings
    seconds: float = 0.0

    def count(self, *outcomes: str) -> int:
        return sum(1 for report in self.reports if report.outcome in outcomes)


def _line_of(root: Path, file: str, needle: str, key: bool = False) -> int | None:
    """The first line of `file` holding `needle` (with key=True: a line starting with it)."""
    try:
        lines = (root / file).read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError:
        return None
    for number, line in enumerate(lines, 1):
        if line.lstrip().startswith(needle) if key else needle in line:
            return number
    return None


def feed_targets(root: Path, sites: dict, only: str | None = None) -> tuple[list[FeedTarget], list[Problem]]:
    """Every feed to fetch, in a stable order, and warnings for member URLs that cannot be fetched."""
    targets: dict[str, FeedTarget] = {}
    problems: list[Problem] = []
    if only is not None:
        chosen = sites.get(only)
        if chosen is None:
            raise KimsiteError([error("", None, "site_unknown", slug=only, choices=", ".join(sorted(sites)))])
        if not (chosen.is_remote or chosen.role == "portal"):
            raise KimsiteError([error(chosen.file, None, "fetch_site_not_remote", slug=only)])
        sites = {only: chosen}
    for slug in sorted(sites):
        site = sites[slug]
        if site.role == "kim" and site.feed:
            line = _line_of(root, site.file, "feed:", key=True)
            targets.setdefault(slug, FeedTarget(slug, site.feed, site.file, line))
        elif site.role == "portal":
            for member in site.members:
                # Site slugs need nothing here (remote KIMs are fetched above); members that are neither
                # a slug nor an http(s) URL are reported by the portal's own checks (portal/checks.py).
                if not member.lower().startswith(("http://", "https://")):
                    continue
                line = _line_of(root, site.file, member)
                try:
                    check_scheme(member)
                except FetchError as exc:
                    problems.append(_failure_problem(site.file, line, member, exc.reason, exc.details, None))
                    continue
                targets.setdefault(member, FeedTarget(member, member, site.file, line))
            for listed in listed_feeds(root, site):  # problems in the lists come with the workspace's
                targets.setdefault(listed.url, FeedTarget(listed.url, listed.url, listed.file, listed.line))
    return list(targets.values()), problems


def _why(reason: str, details: dict, lang: str) -> str:
    if reason == "blocked" and details.get("host") == details.get("address"):
        reason = "blocked_ip"
    return message("fetch_why_" + reason, lang, **details)


def _failure_problem(file: str, line: int | None, url: str, reason: str, details: dict,
                     stored: RemoteFeed | None) -> Problem:
    """The warning for a feed that failed. Its text exists in both languages: why_id / why_en."""
    why = {"why_id": _why(reason, details, "id"), "why_en": _why(reason, details, "en")}
    prefix = "fetch_gone" if reason == "gone" else "fetch_failed"
    if stored is not None and stored.items:
        when = stored.fetched_at.date().isoformat() if stored.fetched_at else "?"
        return warning(file, line, prefix + "_kept", url=url, count=len(stored.items), date=when, **why)
    return warning(file, line, prefix + "_empty", url=url, **why)


def _previous(stored: RemoteFeed | None) -> dict[str, datetime]:
    """When each stored item was first seen, by id and by link_key."""
    seen: dict[str, datetime] = {}
    for item in stored.items if stored else ():
        seen.setdefault(item.id, item.seen)
        seen.setdefault(remote.link_key(item.link), item.seen)
    seen.pop("", None)
    return seen


def check_not_worse(parsed: ParsedFeed, stored: RemoteFeed | None, stored_file: str) -> None:
    """Raise NotAFeed when `parsed` must not replace the stored copy (see the module doc)."""
    if stored is None or not stored.items:
        return
    if not parsed.well_formed and len(parsed.items) < len(stored.items):
        raise NotAFeed("ill_formed", got=len(parsed.items), detail=parsed.xml_problem)
    if parsed.well_formed and parsed.entries == 0:
        raise NotAFeed("empty_feed", file=stored_file)


def _success(target: FeedTarget, got: Download, stored: RemoteFeed | None, seen_before: RemoteFeed | None,
             options: FetchOptions, now: datetime, parse_seconds: float) -> tuple[RemoteFeed, str, int]:
    """The feed to store after an answer with a body or a 304: (feed, outcome, new items). `stored` is
    the copy of this URL; `seen_before` the stored copy whatever its URL (for first_seen)."""
    moved = {"moved_to": got.moved_to} if got.moved_to else {}
    status = "moved" if got.moved_to else None
    if got.status == 304:
        if stored is None:
            raise FetchError("http_status", status=304)
        feed = replace(stored, status=status or "not-modified", message="", checked_at=now,
                       etag=got.etag or stored.etag, last_modified=got.last_modified or stored.last_modified,
                       final_url=got.final_url, extra={**stored.extra, **moved})
        return feed, "not-modified", 0
    parsed = parse_bounded(got.body, got.final_url, got.content_type, now, _previous(seen_before),
                           options.max_items, parse_seconds)
    check_not_worse(parsed, stored, remote.file_for(Path(), target.key).as_posix())
    known = {item.id for item in stored.items} if stored else set()
    new = sum(1 for item in parsed.items if item.id not in known)
    feed = RemoteFeed(
        url=target.url, title=parsed.title, link=parsed.link, items=parsed.items, fetched_at=now,
        etag=got.etag, last_modified=got.last_modified, final_url=got.final_url, status=status or "ok",
        message="", checked_at=now,
        extra={"entries": parsed.entries, "skipped": parsed.skipped, "truncated": parsed.truncated,
               "redirects": got.redirects, **moved,
               **({} if parsed.well_formed else {"ill_formed": parsed.xml_problem})},
    )
    return feed, "ok", new


class _Run:
    """What the feeds of one run share: its deadline, and each host's feeds under way and failures.

    A feed of a host waits while HOST_LIMIT of its feeds are under way, or while one has failed
    and another is still under way: then it starts knowing whether that one failed too, and
    after HOST_FAILURES failures it is not started at all."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline_at = time.monotonic() + seconds
        self._changed = threading.Condition()
        self._busy: dict[str, int] = {}
        self._failures: dict[str, int] = {}
        self._stopped = False

    def stop(self) -> None:
        """The run is over (Ctrl+C, an error): feeds waiting for their host start nothing."""
        with self._changed:
            self._stopped = True
            self._changed.notify_all()

    def enter(self, host: str) -> str:
        """"go" (counted as under way until `leave`), "down", "deadline" or "stopped"."""
        with self._changed:
            while True:
                failures, busy = self._failures.get(host, 0), self._busy.get(host, 0)
                if self._stopped:
                    return "stopped"
                if failures >= HOST_FAILURES:
                    return "down"
                if self.left() < MIN_START_SECONDS:
                    return "deadline"
                if busy < HOST_LIMIT and not (failures and busy):
                    self._busy[host] = busy + 1
                    return "go"
                self._changed.wait(self.left())

    def leave(self, host: str, reason: str = "") -> None:
        with self._changed:
            self._busy[host] -= 1
            if reason in _UNREACHABLE:
                self._failures[host] = self._failures.get(host, 0) + 1
            self._changed.notify_all()

    def left(self) -> float:
        return self.deadline_at - time.monotonic()


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def by_host_in_turn(targets: list[FeedTarget]) -> list[int]:
    """Indices of `targets`, one feed of each host in turn (hosts in order of first appearance), so
    that the workers spread over hosts instead of queueing on one."""
    queues: dict[str, list[int]] = {}
    for index, target in enumerate(targets):
        queues.setdefault(host_of(target.url), []).append(index)
    order: list[int] = []
    rounds = max((len(queue) for queue in queues.values()), default=0)
    for position in range(rounds):
        order.extend(queue[position] for queue in queues.values() if position < len(queue))
    return order


def fetch_one(root: Path, target: FeedTarget, options: FetchOptions, allow_hosts: tuple[str, ...],
              timeout: float, now: datetime, run: _Run | None = None) -> FeedReport:
    """Fetch, clean and store one feed. Never raises for a bad feed: failures become warnings."""
    if run is None:
        return _fetch_one(root, target, options, allow_hosts, timeout, now, None)
    host = host_of(target.url)
    started = time.monotonic()
    state = run.enter(host)
    if state == "stopped":
        return FeedReport(target, "failed", 0)
    if state != "go":
        reason, details = ("host_down", {"host": host}) if state == "down" else \
            ("deadline", {"seconds": f"{run.seconds:g}"})
        return _keep_last_copy(root, target, remote.load(root, target.key), reason, details, options, now, started)
    report = None
    try:
        report = _fetch_one(root, target, options, allow_hosts, timeout, now, run)
    finally:
        run.leave(host, report.reason if report is not None else "")
    return report


def _fetch_one(root: Path, target: FeedTarget, options: FetchOptions, allow_hosts: tuple[str, ...],
               timeout: float, now: datetime, run: _Run | None) -> FeedReport:
    started = time.monotonic()
    stored = remote.load(root, target.key)
    same = stored is not None and stored.url == target.url
    cut = run is not None and run.left() < timeout
    if run is not None:
        timeout = min(timeout, run.left())
    try:
        got = download(target.url, etag=stored.etag if same else "",
                       last_modified=stored.last_modified if same else "", timeout=timeout,
                       max_bytes=options.max_bytes, allow_hosts=allow_hosts)
        parse_seconds = max(timeout - (time.monotonic() - started), MIN_PARSE_SECONDS)
        feed, outcome, new = _success(target, got, stored if same else None, stored, options, now, parse_seconds)
    except (FetchError, NotAFeed) as exc:
        reason, details = exc.reason, exc.details
        if run is not None and cut and reason == "timeout":
            return replace(_keep_last_copy(root, target, stored, "deadline", {"seconds": f"{run.seconds:g}"},
                                           options, now, started), reason=reason)
        return _keep_last_copy(root, target, stored, reason, details, options, now, started)
    except Exception as exc:  # a bug must not stop the other feeds; reported with its type
        detail = f"{type(exc).__name__}: {exc}"[:160]
        return _keep_last_copy(root, target, stored, "internal", {"detail": detail}, options, now, started)
    problems: tuple[Problem, ...] = ()
    if got.moved_to:
        problem = warning(target.file, target.line, "fetch_moved", url=target.url, new_url=got.moved_to)
        feed = replace(feed, message=problem.text(options.lang))
        problems = (problem,)
    remote.save(root, target.key, feed)
    return FeedReport(target, outcome, len(feed.items), new, time.monotonic() - started, problems)


def _keep_last_copy(root: Path, target: FeedTarget, stored: RemoteFeed | None, reason: str, details: dict,
                    options: FetchOptions, now: datetime, started: float) -> FeedReport:
    problem = _failure_problem(target.file, target.line, target.url, reason, details, stored)
    status = "gone" if reason == "gone" else "failed"
    text = problem.text(options.lang)
    if stored is None:
        feed = RemoteFeed(url=target.url, status=status, message=text, checked_at=now,
                          extra={"problem": reason})
    else:
        feed = replace(stored, status=status, message=text, checked_at=now,
                       extra={**stored.extra, "problem": reason})
    remote.save(root, target.key, feed)
    return FeedReport(target, status, len(feed.items), 0, time.monotonic() - started, (problem,), reason)


def fetch_all(root: Path, options: FetchOptions | None = None,
              on_report: Callable[[FeedReport], None] | None = None) -> FetchResult:
    """Fetch every remote feed of the workspace at `root`. Raises KimsiteError when it cannot be read."""
    from kimsite.workspace.options import BuildOptions, load_workspace

    options = options or FetchOptions()
    started = time.monotonic()
    workspace = load_workspace(root, BuildOptions())
    config_problems = [p for p in workspace.problems
                       if p.file == "kimsite.yaml" or p.file.startswith("sites/") or not p.file]
    targets, problems = feed_targets(root, workspace.sites, options.site)
    timeout = options.timeout or workspace.config.fetch_timeout
    run = _Run(options.deadline or workspace.config.fetch_deadline)
    workers = options.workers or workspace.config.fetch_workers
    now = (options.now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    reports: list[FeedReport] = []
    if targets:
        try:
            with thread_pool(max(1, min(workers, len(targets))), thread_name_prefix="kimsite-fetch") as pool:
                futures = {pool.submit(fetch_one, root, targets[index], options, workspace.config.allow_hosts,
                                       timeout, now, run): index for index in by_host_in_turn(targets)}
                done: dict[int, FeedReport] = {}
                for future in as_completed(futures):
                    report = future.result()
                    done[futures[future]] = report
                    if on_report is not None:
                        on_report(report)
                reports = [done[index] for index in range(len(targets))]
        except BaseException:
            run.stop()
            raise
    for report in reports:
        problems.extend(report.problems)
    return FetchResult(reports, config_problems + problems, time.monotonic() - started)


def report_line(report: FeedReport, lang: str) -> list[str]:
    """The lines `kimsite fetch` prints for one feed."""
    lines: list[str] = []
    target = report.target
    if report.outcome == "ok":
        lines.append(message("fetch_line_ok", lang, file=target.file, url=target.url, count=report.count,
                             new=report.new, seconds=f"{report.seconds:.1f}"))
    elif report.outcome == "not-modified":
        lines.append(message("fetch_line_not_modified", lang, file=target.file, url=target.url,
                             count=report.count, seconds=f"{report.seconds:.1f}"))
    lines.extend(problem.format(lang) for problem in report.problems)
    return lines
