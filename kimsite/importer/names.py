"""Cleaning the names and dates old blogs export."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from kimsite.base.dates import MAX_YEAR, MIN_YEAR

# Blogger writes authors as "noreply@blogger.com (Name)"; RSS as "mail@x (Name)" or "Name <mail@x>".
_MAIL_THEN_NAME = re.compile(r"^\s*\S+@\S+\s*\((.+)\)\s*$")
_NAME_THEN_MAIL = re.compile(r"^\s*(.+?)\s*<\S+@\S+>\s*$")
_MAIL = re.compile(r"^\s*\S+@\S+\s*$")
_NOBODY = {"unknown", "anonymous", "anonim", "admin", "noreply@blogger.com"}


def clean_author(raw: str) -> str:
    """"noreply@blogger.com (Sri Wahyuni)" -> "Sri Wahyuni"; a bare address or "Unknown" -> ""."""
    text = " ".join(raw.split())
    for pattern in (_MAIL_THEN_NAME, _NAME_THEN_MAIL):
        match = pattern.match(text)
        if match:
            text = match.group(1).strip()
            break
    if not text or _MAIL.match(text) or text.lower() in _NOBODY:
        return ""
    return text[:120]


def parse_iso(text: str) -> datetime | None:
    """RFC 3339 as Atom writes it ("2019-05-21T08:30:00.000+07:00"); None when unreadable or naive."""
    text = text.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(microsecond=0) if moment.tzinfo else None


def parse_rfc822(text: str) -> datetime | None:
    """RSS pubDate ("Tue, 21 May 2019 01:30:00 +0000"); None when unreadable or without a zone."""
    try:
        moment = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return moment.replace(microsecond=0) if moment.tzinfo else None


def in_offset(moment: datetime, offset: timedelta) -> datetime:
    return moment.astimezone(timezone(offset))


def plausible(moment: datetime | None) -> datetime | None:
    """Dates kimsite accepts; others are treated as missing."""
    if moment is None or not MIN_YEAR <= moment.year <= MAX_YEAR:
        return None
    return moment
