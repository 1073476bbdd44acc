"""Where every output lives: one place maps model objects to paths and URLs.

A *location* is a path relative to the published root, "" for the root itself
and ending in "/" for a page (written as index.html) or naming a file
("maniis-harmonis/feed.xml"). `Urls` turns locations into the output file path,
the root-relative URL used in links (which carries the base path, so sub-path
hosting works), and the absolute URL used in feeds, sitemaps and share cards.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from urllib.parse import quote, urlsplit

from kimsite.base.slugs import slugify


# Folders of a KIM (and of the portal) that kimsite fills itself: no static page may take them.
PAGE_FOLDER = "halaman/"  # pagination, and static pages in the sources
SEARCH_FOLDER = "cari/"
SECTION_FOLDERS = {"klarifikasi": "cek-fakta/", "agenda": "agenda/", "produk": "potensi-desa/"}  # by article type
GENERATED_FOLDERS = frozenset({"kategori", "tag", "arsip", "profil", "media", "assets", PAGE_FOLDER.strip("/"),
                               SEARCH_FOLDER.strip("/"), *(f.strip("/") for f in SECTION_FOLDERS.values())})
CARD_NAME = "og.jpg"  # a page's own share card, beside it


@dataclass(frozen=True, slots=True)
class Urls:
    base_url: str  # absolute, ends with "/"
    base_path: str  # "/" or "/repo/"
    site_prefixes: tuple[tuple[str, str], ...]  # KIM slug -> "slug/" (or "" when built alone)
    timezone: str
    # site_prefixes as a dict, looked up for every location (hashing the tuple each time cost more)
    _prefixes: dict[str, str] = field(init=False, repr=False, compare=False, hash=False)
    # All of the above as one digest, for the keys of what each KIM's model and plan are made
    # from: with the prefixes of 136 KIMs in each of 136 keys, writing them out cost an edit 10 ms.
    places: str = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_prefixes", dict(self.site_prefixes))
        described = repr((self.base_url, self.base_path, self.site_prefixes, self.timezone)).encode()
        object.__setattr__(self, "places", hashlib.blake2b(described, digest_size=16).hexdigest())

    def prefix(self, site: str) -> str:
        prefix = self._prefixes.get(site)
        return f"{site}/" if prefix is None else prefix

    # --- locations ---------------------------------------------------------
    def home(self, site: str, page: int = 1) -> str:
        return self.prefix(site) + (f"halaman/{page}/" if page > 1 else "")

    def article(self, site: str, date: datetime, slug: str) -> str:
        return f"{self.prefix(site)}{date.year:04d}/{date.month:02d}/{slug}/"

    def page(self, site: str, slug: str) -> str:
        return f"{self.prefix(site)}{slug}/"

    def category(self, site: str, term_slug: str, page: int = 1) -> str:
        return self.prefix(site) + f"kategori/{term_slug}/" + (f"halaman/{page}/" if page > 1 else "")

    def tag(self, site: str, term_slug: str, page: int = 1) -> str:
        return self.prefix(site) + f"tag/{term_slug}/" + (f"halaman/{page}/" if page > 1 else "")

    def archive(self, site: str, year: int) -> str:
        return f"{self.prefix(site)}arsip/{year}/"

    def profile(self, site: str) -> str:
        return f"{self.prefix(site)}profil/"

    def feed(self, site: str, fmt: str, category: str | None = None) -> str:
        name = "atom.xml" if fmt == "atom" else "feed.xml"
        return self.prefix(site) + (f"kategori/{category}/" if category else "") + name

    def media(self, site: str, rel: str) -> str:
        return self.prefix(site) + rel

    def site_root(self, site: str) -> str:
        return self.prefix(site)

    def scope_root(self, scope: str) -> str:
        """A KIM's root, or the published root for "" (the portal's sections)."""
        return self.prefix(scope) if scope else ""

    def section(self, scope: str, folder: str, page: int = 1) -> str:
        return self.scope_root(scope) + folder + (f"halaman/{page}/" if page > 1 else "")

    def section_feed(self, scope: str, folder: str, fmt: str) -> str:
        return self.scope_root(scope) + folder + ("atom.xml" if fmt == "atom" else "feed.xml")

    def calendar(self, scope: str) -> str:
        return self.scope_root(scope) + "agenda.ics"

    def event_calendar(self, site: str, date: datetime, slug: str) -> str:
        """`<kim>/agenda/YYYY-MM-<slug>.ics`: unique because the article's own URL is (YYYY/MM/<slug>/)."""
        return f"{self.prefix(site)}{SECTION_FOLDERS['agenda']}{date:%Y-%m}-{slug}.ics"

    def search(self, scope: str | None) -> str:
        return (self.prefix(scope) if scope else "") + SEARCH_FOLDER

    # --- turning locations into paths and URLs -----------------------------
    @staticmethod
    def output_path(location: str) -> str:
        return location + "index.html" if location.endswith("/") or not location else location

    def url(self, location: str) -> str:
        return self.base_path + quote_path(location)

    def absolute(self, location: str) -> str:
        return self.base_url + quote_path(location)


# urllib.parse.quote's result for each ASCII character: letters, digits, "_.-~" and "/" stay.
_QUOTED_ASCII = {code: (chr(code) if chr(code).isalnum() or chr(code) in "_.-~/" else f"%{code:02X}")
                 for code in range(128)}


@lru_cache(maxsize=1 << 16)  # a location is quoted on every page that links to it
def quote_path(text: str) -> str:
    """`urllib.parse.quote(text)`: one str.translate for ASCII text (nearly every location)."""
    if text.isascii():
        return text.translate(_QUOTED_ASCII)
    return quote(text)


@lru_cache(maxsize=65536)
def term_slug(name: str) -> str:
    """Slug of a category or tag name (names repeat across thousands of articles: cached)."""
    return slugify(name) or "lainnya"


_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_NOT_IN_URL = frozenset('"<>\\`{}|^')


def base_url_problem(value: str) -> str | None:
    """Why `value` cannot be a site's base_url (a message key), or None when it can: an
    absolute http(s) address with a valid host and port, and no query, fragment, user name,
    white space or control characters."""
    value = value.strip()
    if len(value) > 500:
        return "base_url_too_long"
    if any(character.isspace() or ord(character) < 32 or 127 <= ord(character) < 160 or character in _NOT_IN_URL
           for character in value):
        return "base_url_characters"
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:  # an unclosed "[", a port that is not a number or out of range
        return "base_url_host_or_port"
    if parts.scheme.lower() not in ("http", "https") or not value.lower().startswith(parts.scheme.lower() + "://"):
        return "base_url_not_web"
    if not parts.hostname or port == 0 or "@" in parts.netloc or parts.netloc.endswith(":"):
        return "base_url_host_or_port"
    if parts.query or parts.fragment or "?" in value or "#" in value:
        return "base_url_query"
    segments = parts.path.split("/")[1:-1] if parts.path.endswith("/") else parts.path.split("/")[1:]
    if any(segment in ("", ".", "..") or segment.lower() in ("%2e", "%2e%2e", ".%2e", "%2e.")
           for segment in segments):
        return "base_url_path"  # "//x/" would make every link point to the host x
    host = parts.hostname
    if ":" in host:  # an IPv6 address: urlsplit checked it
        return None
    try:
        ascii_host = host.encode("idna").decode("ascii")  # bücher.example -> xn--bcher-kva.example
    except UnicodeError:
        return "base_url_host_or_port"
    if not all(_HOST_LABEL.match(label) for label in ascii_host.rstrip(".").split(".")):
        return "base_url_host_or_port"
    return None


# The regency portal's own pages and files, at the root of the output.
PORTAL_HOME = ""
PORTAL_DIRECTORY = "direktori/"
PORTAL_DATA = "data/"
PORTAL_RSS, PORTAL_ATOM, PORTAL_OPML = "feed.xml", "atom.xml", "kim.opml"
PORTAL_CSV_KIMS, PORTAL_CSV_MONTHS, PORTAL_JSON_DATA = \
    "data/aktivitas-kim.csv", "data/artikel-per-bulan.csv", "data/data-angka.json"


def is_feed_url(value: str) -> bool:
    """A portal member given as a feed address rather than a KIM's slug."""
    return value.lower().startswith(("http://", "https://"))
