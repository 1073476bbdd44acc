"""Which files of a KIM folder may be published, and how.

Browsers run script in some file types when they are opened from the site's own
address (HTML, XML, JavaScript, ...): such files are refused, never copied.
Pictures that can carry EXIF, XMP or GPS are re-encoded without it (kimsite.media.images);
formats kimsite cannot re-encode are refused. SVG is cleaned by kimsite.media.svg_clean.
Everything else (PDF, audio, text, ...) is copied as it is.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

# Documents and programs a browser (or a web server) would run on the site's origin.
ACTIVE_SUFFIXES = frozenset({
    ".html", ".htm", ".xhtml", ".xht", ".shtml", ".shtm", ".stm", ".mht", ".mhtml",
    ".xml", ".xsl", ".xslt", ".rss", ".atom", ".rdf", ".svgz", ".xul", ".xbl",
    ".js", ".mjs", ".cjs", ".jsx", ".wasm", ".swf", ".hta", ".htc", ".vbs", ".wsf", ".jnlp",
    ".php", ".php3", ".php4", ".php5", ".phtml", ".phar", ".asp", ".aspx", ".jsp", ".jspx", ".cgi", ".pl",
    ".appcache",
})

# Pictures published as a responsive set (kimsite.media.images.process): suffix -> Pillow format.
RESPONSIVE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".jpe": "JPEG", ".jfif": "JPEG",
                      ".png": "PNG", ".webp": "WEBP"}
# Pictures published once, in their own format, re-encoded without metadata (animation kept).
PLAIN_FORMATS = {".gif": "GIF", ".bmp": "BMP", ".tif": "TIFF", ".tiff": "TIFF", ".avif": "AVIF",
                 ".avifs": "AVIF", ".apng": "PNG"}
# Pictures that may carry location data and that kimsite cannot re-encode: refused.
REFUSED_PICTURES = frozenset({
    ".heic", ".heif", ".hif", ".jxl", ".jp2", ".j2k", ".j2c", ".jpc", ".jpf", ".jpx", ".jpm",
    ".dng", ".cr2", ".cr3", ".crw", ".nef", ".nrw", ".arw", ".srf", ".sr2", ".orf", ".rw2", ".raf",
    ".srw", ".pef", ".x3f", ".3fr", ".erf", ".kdc", ".mrw", ".psd", ".psb", ".mpo", ".xcf",
})
SVG_SUFFIX = ".svg"
# What a product's `foto:` may name (kimsite.schema.article_types; the message photo_not_image
# lists them): the picture formats phones and browsers show, whether resized or published once.
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", SVG_SUFFIX)


def link_target(link: Path, top: Path) -> tuple[Path, bool]:
    """Where the symbolic link `link` leads, and whether that stays inside the folder `top`
    (resolved) without reaching a hidden file or folder. Raises OSError or RuntimeError for a
    broken or looping link."""
    target = link.resolve(strict=True)
    inside = target.is_relative_to(top) and not any(part.startswith(".") for part in target.relative_to(top).parts)
    return target, inside


def suffix_of(rel: str) -> str:
    """The lower-case extension as a web server sees it (trailing dots and spaces ignored)."""
    return posixpath.splitext(rel.rstrip(". "))[1].lower()


def refusal(rel: str) -> tuple[str, dict[str, str]] | None:
    """(message code, arguments) when the file must never be published, else None."""
    suffix = suffix_of(rel)
    if suffix in ACTIVE_SUFFIXES:
        return "file_active_content", {"suffix": suffix}
    if suffix in REFUSED_PICTURES:
        return "picture_format_refused", {"suffix": suffix}
    return None


def picture_format(rel: str) -> str | None:
    """The Pillow format a picture is re-encoded in, or None for files that are not pictures."""
    suffix = suffix_of(rel)
    return RESPONSIVE_FORMATS.get(suffix) or PLAIN_FORMATS.get(suffix)


def is_picture(rel: str) -> bool:
    """A picture kimsite re-encodes (responsive or plain): never copied as it is."""
    return picture_format(rel) is not None


def is_responsive_picture(rel: str) -> bool:
    """A picture published as a responsive set (full size, narrower variants, share preview)."""
    return suffix_of(rel) in RESPONSIVE_FORMATS


def is_plain_picture(rel: str) -> bool:
    """A picture published once, in its own format, without its metadata."""
    return suffix_of(rel) in PLAIN_FORMATS


def is_svg(rel: str) -> bool:
    return suffix_of(rel) == SVG_SUFFIX


_FTYP_PICTURES = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1",
                  b"avif", b"avis", b"crx ")


def sniff_picture(head: bytes) -> str | None:
    """The picture format the first bytes of a file announce (None when they announce none).
    A picture under another name would be published with its EXIF and GPS."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WebP"
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return "TIFF"
    if head[4:8] == b"ftyp" and head[8:12] in _FTYP_PICTURES:
        return "HEIF/AVIF"
    if head.startswith((b"\xff\x0a", b"\x00\x00\x00\x0cJXL \r\n\x87\n")):
        return "JPEG XL"
    if head.startswith(b"\x00\x00\x00\x0cjP  \r\n\x87\n") or head.startswith(b"\xff\x4f\xff\x51"):
        return "JPEG 2000"
    return None
