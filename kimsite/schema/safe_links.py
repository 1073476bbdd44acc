"""Links written from site files: only web, e-mail, telephone and WhatsApp addresses.

A site file's `url`, `feed`, `contact` and `social` values end up in `href` attributes.
Each check returns the value to publish, or None when it is not an address of its kind;
`javascript:`, `data:`, `vbscript:`, relative paths and addresses hiding a scheme behind
white space, control characters or HTML entities are all None.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from kimsite.schema.article_types import whatsapp_number

# Anything a browser strips or reads specially inside a URL: spaces, controls, quotes, angle
# brackets, backslashes (read as "/"), and "&#" / "&name;" (entities in an attribute).
_UNSAFE_IN_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f\"'<>\\`]|&#|&[A-Za-z][A-Za-z0-9]*;")
_HOST = re.compile(r"^(?=.{1,253}$)(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)*[^\W_](?:[\w-]{0,61}[^\W_])?$")
# The local part without "?" and "#", which would start headers (cc=, body=) or a fragment in a mailto: link.
_EMAIL = re.compile(r"^[A-Za-z0-9.!$%&*+/=^_{|}~-]{1,64}@[^\W_](?:[\w.-]{0,251}[^\W_])?\.[^\W\d_]{2,63}$")
_PHONE = re.compile(r"^\+?[0-9 ().\-/]{4,30}$")
_HANDLE = re.compile(r"^@?[\w.\-]{1,100}$")
_WA_ME = re.compile(r"^(?:https?://)?(?:api\.)?wa\.me/\+?([0-9]{6,20})/?$", re.IGNORECASE)


def web_url(value: str) -> str | None:
    """An absolute http(s) address with a real host name, as written (trimmed)."""
    value = value.strip()
    if not value or _UNSAFE_IN_URL.search(value):
        return None
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:  # "https://[::1/", a port that is not a number or out of range
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or port == 0:
        return None
    host = parts.hostname
    if not (_HOST.match(host) or host.startswith("[") or ":" in host):  # IPv6 hosts are checked by urlsplit
        return None
    return value


def email_address(value: str) -> str | None:
    """An e-mail address, written with or without "mailto:"; returned without it."""
    value = value.strip()
    if value.lower().startswith("mailto:"):
        value = value[len("mailto:"):]
    return value if _EMAIL.match(value) else None


def whatsapp(value: str) -> str | None:
    """A mobile number (0812..., +62 812-...) or a wa.me link; returned as the number written,
    or "+<digits>" for a wa.me link."""
    value = value.strip()
    found = _WA_ME.match(value)
    if found:
        return "+" + found.group(1)
    return value if whatsapp_number(value) else None


def phone(value: str) -> str | None:
    """A telephone number, written with or without "tel:"; returned without it."""
    value = value.strip()
    if value.lower().startswith("tel:"):
        value = value[len("tel:"):].strip()
    return value if _PHONE.match(value) and sum(c.isdigit() for c in value) >= 4 else None


def social_link(value: str) -> str | None:
    """A profile address (http/https) or a handle such as @kimmaniis (shown as text)."""
    value = value.strip()
    return web_url(value) or (value if _HANDLE.match(value) else None)


def local_or_web(value: str) -> str | None:
    """A web address, or a path inside the KIM's folder (media/logo.png)."""
    value = value.strip()
    if web_url(value):
        return value
    if not value or _UNSAFE_IN_URL.search(value) or ":" in value or value.startswith("/"):
        return None
    parts = value.split("/")
    return None if ".." in parts or "" in parts[:-1] else value
