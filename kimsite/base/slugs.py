"""Slugs: the lowercase ASCII words with dashes that become parts of URLs."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_LENGTH = 80
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")
VALID_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """"Rapat Warga: RT 03/RW 05" -> "rapat-warga-rt-03-rw-05"; "" when nothing usable is left.

    The result never contains "/", "\\", "." or "..", so it cannot leave the folder
    it is placed in.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_WORD.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG_LENGTH:
        slug = slug[:MAX_SLUG_LENGTH].rstrip("-")
    return slug


def slug_from_filename(stem: str) -> str:
    """The default article slug: the file name without its YYYY-MM-DD- prefix."""
    return slugify(_DATE_PREFIX.sub("", stem))


def date_prefix(stem: str) -> str | None:
    match = _DATE_PREFIX.match(stem)
    return match.group(0)[:-1] if match else None
