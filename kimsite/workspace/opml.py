"""A portal's member list kept as OPML (sites/*.opml), the format every feed reader exports and
every kimsite portal publishes as kim.opml, so a province can keep one list, or merge the
kim.opml of each regency.

What an outline means:
- an outline with `xmlUrl` is one member feed: a KIM (its name from `text` or `title`, its site
  from `htmlUrl`), or, when its `category` names `portal`, a portal of its own: a *region* whose
  feed aggregates its KIMs;
- an outline without `xmlUrl` groups the outlines inside it: "Kecamatan X" (as kim.opml writes
  it) gives their kecamatan, any other text their region (the outermost such group);
- a KIM outside any region group belongs to the region named in the file's `ownerName` (kim.opml
  writes the regency there), else to none.

The file is read with defusedxml (no DTD entities, no external entities) and bounded in size
and number of feeds; a problem names the file and line.
"""

from __future__ import annotations

import xml.sax
from dataclasses import dataclass
from pathlib import Path
from xml.sax.handler import ContentHandler


from kimsite.schema import safe_links
from kimsite.schema.frontmatter import strip_control_chars
from kimsite.base.problems import Problem, error, warning
from kimsite.workspace.config import SiteConfig

MAX_BYTES = 5 * 1024 * 1024  # a national list of 10,000 feeds is about 2 MB
MAX_FEEDS = 10_000
MAX_DEPTH = 20
NAME_LIMIT = 200
URL_LIMIT = 2000
KECAMATAN_PREFIXES = ("kecamatan ", "kec. ", "district ")


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    url: str
    name: str  # "" when the outline gives none
    site_url: str  # "" when the outline gives none
    kecamatan: str
    region: str
    portal: bool  # the feed of a portal (a region), not of one KIM
    file: str
    line: int | None


def _text(value: str | None, limit: int) -> str:
    return " ".join(strip_control_chars(value or "").split())[:limit]


class _Handler(ContentHandler):
    def __init__(self, file: str):
        super().__init__()
        self.file = file
        self.locator = None
        self.feeds: list[OpmlFeed] = []
        self.problems: list[Problem] = []
        self.groups: list[tuple[str, str]] = []  # ("kecamatan" | "region" | "", name) per open outline
        self.path: list[str] = []
        self.owner: list[str] = []
        self.in_owner = False
        self.seen: set[str] = set()

    def setDocumentLocator(self, locator) -> None:  # noqa: N802 - SAX's name
        self.locator = locator

    def line(self) -> int | None:
        return self.locator.getLineNumber() if self.locator is not None else None

    def startElement(self, name: str, attrs) -> None:  # noqa: N802 - SAX's name
        if not self.path and name != "opml":
            raise _Refused("opml_not_opml", self.line(), {"tag": name[:40]})
        self.path.append(name)
        if len(self.path) > MAX_DEPTH:
            raise _Refused("opml_too_deep", self.line(), {"limit": MAX_DEPTH})
        self.in_owner = self.path[-2:] == ["head", "ownerName"]
        if name != "outline":
            return
        values = {key.lower(): attrs.get(key) for key in attrs.getNames()}
        label = _text(values.get("text") or values.get("title"), NAME_LIMIT)
        url = _text(values.get("xmlurl"), URL_LIMIT + 1)
        if not url:
            low = label.casefold()
            prefix = next((p for p in KECAMATAN_PREFIXES if low.startswith(p)), "")
            self.groups.append(("kecamatan", label[len(prefix):].strip()) if prefix else ("region", label))
            return
        self.groups.append(("", ""))
        self._feed(url, label, values)

    def _feed(self, url: str, label: str, values: dict) -> None:
        safe = safe_links.web_url(url) if len(url) <= URL_LIMIT else None
        if safe is None:
            self.problems.append(warning(self.file, self.line(), "opml_feed_bad_url", value=url[:200]))
            return
        if safe in self.seen:
            return
        if len(self.feeds) == MAX_FEEDS:
            raise _Refused("opml_too_many", self.line(), {"limit": MAX_FEEDS})
        self.seen.add(safe)
        site = _text(values.get("htmlurl"), URL_LIMIT + 1)
        categories = {part.strip().strip("/").casefold() for part in (values.get("category") or "").split(",")}
        kecamatan = next((name for kind, name in reversed(self.groups) if kind == "kecamatan"), "")
        region = next((name for kind, name in self.groups if kind == "region" and name), "")
        self.feeds.append(OpmlFeed(
            url=safe, name=label, site_url=(safe_links.web_url(site) or "") if len(site) <= URL_LIMIT else "",
            kecamatan=kecamatan[:NAME_LIMIT], region=region, portal="portal" in categories, file=self.file,
            line=self.line()))

    def endElement(self, name: str) -> None:  # noqa: N802 - SAX's name
        self.path.pop()
        self.in_owner = False
        if name == "outline" and self.groups:
            self.groups.pop()

    def characters(self, content: str) -> None:
        if self.in_owner and sum(map(len, self.owner)) < NAME_LIMIT:
            self.owner.append(content)


class _Refused(Exception):
    def __init__(self, code: str, line: int | None, details: dict):
        super().__init__(code)
        self.code, self.line, self.details = code, line, details


def parse_opml(data: bytes, file: str) -> tuple[list[OpmlFeed], list[Problem]]:
    """The member feeds of one OPML document, and its problems (an unreadable file: one error)."""
    if len(data) > MAX_BYTES:
        return [], [error(file, None, "opml_too_large", size=f"{len(data) / 1048576:.1f}",
                          limit=MAX_BYTES // 1048576)]
    # defusedxml brings urllib and http.client: imported only where a member list is read
    from defusedxml import DefusedXmlException
    from defusedxml.sax import parseString

    handler = _Handler(file)
    try:
        parseString(data, handler, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except _Refused as exc:
        return [], [error(file, exc.line, exc.code, **exc.details)]
    except DefusedXmlException:
        return [], [error(file, handler.line(), "opml_entities")]
    except xml.sax.SAXParseException as exc:
        return [], [error(file, exc.getLineNumber(), "opml_bad_xml", detail=exc.getMessage()[:120])]
    except (xml.sax.SAXException, ValueError, UnicodeError, RecursionError) as exc:
        return [], [error(file, handler.line(), "opml_bad_xml", detail=str(exc)[:120])]
    owner = _text("".join(handler.owner), NAME_LIMIT)
    feeds = [feed if feed.region or feed.portal or not owner else _with_region(feed, owner)
             for feed in handler.feeds]
    problems = handler.problems
    if not feeds:
        problems.append(warning(file, None, "opml_no_feeds"))
    return feeds, problems


def _with_region(feed: OpmlFeed, region: str) -> OpmlFeed:
    return OpmlFeed(feed.url, feed.name, feed.site_url, feed.kecamatan, region, feed.portal, feed.file, feed.line)


def read_member_lists(root: Path, site_file: str, lists: tuple[tuple[str, int | None], ...]
                      ) -> tuple[list[OpmlFeed], list[Problem]]:
    """Every feed of a portal's member lists, in order, each URL once."""
    feeds: list[OpmlFeed] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for path, line in lists:
        target = root / path
        try:
            if target.is_symlink() or not target.is_file():
                raise FileNotFoundError(path)
            with open(target, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError:
            problems.append(error(site_file, line, "opml_missing", path=path))
            continue
        found, file_problems = parse_opml(data, path)
        problems.extend(file_problems)
        for feed in found:
            if feed.url not in seen:
                seen.add(feed.url)
                feeds.append(feed)
    return feeds, problems


_CACHE: dict[tuple, tuple[list[OpmlFeed], list[Problem]]] = {}


def member_lists(root: Path, site_file: str, lists: tuple[tuple[str, int | None], ...]
                 ) -> tuple[list[OpmlFeed], list[Problem]]:
    """read_member_lists, once per state of the files (check, build and fetch each ask)."""
    key_parts: list[object] = [str(root), site_file, lists]
    for path, _line in lists:
        try:
            info = (root / path).lstat()
            key_parts.append((info.st_size, info.st_mtime_ns, info.st_ino))
        except OSError:
            key_parts.append(None)
    key = tuple(key_parts)
    if key not in _CACHE:
        if len(_CACHE) > 16:
            _CACHE.clear()
        _CACHE[key] = read_member_lists(root, site_file, lists)
    return _CACHE[key]


def listed_feeds(root: Path, portal: SiteConfig) -> list[OpmlFeed]:
    """The feeds of a portal's OPML member lists (their problems are reported by portal_checks)."""
    return member_lists(root, portal.file, portal.members_opml)[0] if portal.members_opml else []
