"""Pictures the old blog hosted come home to the KIM's media/ folder.

Blogger keeps pictures on blogger.googleusercontent.com, *.bp.blogspot.com and
*.googleusercontent.com; WordPress under /wp-content/uploads/ (or *.files.wordpress.com).
Each is downloaded once through kimsite's guarded HTTP client (size, redirect and
private-address limits as in `kimsite fetch`), checked to be a picture, and saved under a
name taken from its address. A failed download keeps the remote address and is reported.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from kimsite.fetch.fetch_http import FetchError, download
from kimsite.importer.writer import write_file
from kimsite.base.interrupt import thread_pool
from kimsite.base.messages import Part
from kimsite.base.slugs import slugify

MAX_PICTURE_BYTES = 20 * 1024 * 1024  # what the build accepts
PICTURE_HOSTS = ("blogger.googleusercontent.com",)
PICTURE_HOST_SUFFIXES = (".bp.blogspot.com", ".googleusercontent.com", ".files.wordpress.com", ".wp.com")
_BLOGGER_SIZE_PATH = re.compile(r"/(?:s\d{2,4}(?:-[a-z0-9-]*)?|w\d{2,4}-h\d{2,4}(?:-[a-z0-9-]*)?)/(?=[^/]+$)")
_BLOGGER_SIZE_SUFFIX = re.compile(r"=(?:s\d{2,4}|w\d{2,4}-h\d{2,4})(?:-[a-z0-9-]*)?$")
_WORDPRESS_SIZE = re.compile(r"-\d{2,5}x\d{2,5}(\.(?:jpe?g|png|gif|webp))$", re.IGNORECASE)
_KINDS = ((b"\xff\xd8\xff", ".jpg"), (b"\x89PNG\r\n\x1a\n", ".png"), (b"GIF87a", ".gif"), (b"GIF89a", ".gif"))


def is_old_blog_picture(url: str, extra_hosts: tuple[str, ...] = ()) -> bool:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    return (host in PICTURE_HOSTS or host.endswith(PICTURE_HOST_SUFFIXES) or host in extra_hosts
            or "/wp-content/uploads/" in parts.path)


def largest_version(url: str) -> str:
    """Blogger serves a picture at the size its address asks for: ask for the full 1600 pixels.
    WordPress names its smaller copies `foto-300x200.jpg`: ask for `foto.jpg`."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if "/wp-content/uploads/" in parts.path or host.endswith(".files.wordpress.com"):
        return _WORDPRESS_SIZE.sub(r"\1", url)
    if not (host.endswith("googleusercontent.com") or host.endswith(".bp.blogspot.com")):
        return url
    if _BLOGGER_SIZE_SUFFIX.search(url):
        return _BLOGGER_SIZE_SUFFIX.sub("=s1600", url)
    return _BLOGGER_SIZE_PATH.sub("/s1600/", url)


def picture_kind(data: bytes) -> str | None:
    """The file extension for picture bytes, or None when they are not a picture."""
    for magic, extension in _KINDS:
        if data.startswith(magic):
            return extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    return None


@dataclass
class PictureResults:
    local: dict[str, str] = field(default_factory=dict)  # remote address -> file name in media/
    failed: dict[str, Part] = field(default_factory=dict)  # remote address -> why
    downloaded: int = 0
    reused: int = 0


@dataclass(frozen=True)
class PictureSettings:
    media: Path  # the KIM's media/ folder
    timeout: float
    allow_hosts: tuple[str, ...]
    jobs: int = 4
    write: bool = True  # False for --dry-run


def bring_home(urls: list[str], settings: PictureSettings) -> PictureResults:
    """Download every address in `urls` (in parallel) and save the pictures in media/."""
    results = PictureResults()
    unique = list(dict.fromkeys(urls))
    with thread_pool(max(1, settings.jobs)) as pool:
        fetched = list(pool.map(lambda url: _fetch(url, settings), unique))
    taken = {path.name.lower() for path in settings.media.iterdir()} if settings.media.is_dir() else set()
    for url, (data, why) in zip(unique, fetched):
        if data is None:
            results.failed[url] = why
            continue
        name, reused = _place(url, data, settings.media, taken)
        if not reused and settings.write:
            write_file(settings.media / name, data)
        results.local[url] = name
        results.downloaded += 1
        results.reused += reused
    return results


def _fetch(url: str, settings: PictureSettings) -> tuple[bytes | None, Part]:
    """The picture's bytes, trying its largest version first; or None and why it failed."""
    why = Part("")
    for candidate in dict.fromkeys((largest_version(url), url)):
        try:
            body = download(candidate, timeout=settings.timeout, max_bytes=MAX_PICTURE_BYTES,
                            allow_hosts=settings.allow_hosts).body
        except FetchError as exc:
            why = _why(exc)
            continue
        if picture_kind(body) is not None:
            return body, Part("")
        why = Part("import_picture_not_picture")
    return None, why


# Reasons whose `kimsite fetch` wording speaks of a feed; the others read right for a picture.
_PICTURE_REASONS = {"too_large": "import_picture_too_large", "timeout": "import_picture_timeout",
                    "gone": "import_picture_gone"}


def _why(exc: FetchError) -> Part:
    key = _PICTURE_REASONS.get(exc.reason, "fetch_why_" + exc.reason)
    return Part(key, tuple(sorted(exc.details.items())))


def _place(url: str, data: bytes, media: Path, taken: set[str]) -> tuple[str, bool]:
    """A free file name in media/ for the picture at `url` (or the name of an identical file there)."""
    stem = slugify(posixpath.splitext(unquote(urlsplit(url).path.rsplit("/", 1)[-1]))[0])[:60] or "gambar"
    extension = picture_kind(data) or ".jpg"
    for number in range(1, 10_000):
        name = f"{stem}{extension}" if number == 1 else f"{stem}-{number}{extension}"
        if name.lower() not in taken:
            taken.add(name.lower())
            return name, False
        existing = media / name
        if existing.is_file() and existing.stat().st_size == len(data) and existing.read_bytes() == data:
            return name, True
    raise RuntimeError("no free picture name")  # pragma: no cover - 10,000 pictures of one name
