"""`aliases:` in front matter: the old addresses of an article or page (a blog it moved from).

Each is a full address (`https://kim-maju.desa.id/2019/05/21/kerja-bakti/`) or a path on the
KIM's own site (`/2019/05/21/kerja-bakti/`). kimsite writes a small redirect page at each old
path that lives on the KIM's own domain (see kimsite.pages.redirects); `kimsite import` recognises
the files it wrote by them.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from kimsite.base.problems import Problem, error

MAX_ALIASES = 30
MAX_ALIAS_LENGTH = 500
_UNSAFE = re.compile(r"[\s\\\x00-\x1f\x7f<>\"]")


def read_aliases(value: object, file: str, line: int | None) -> tuple[tuple[str, ...], list[Problem]]:
    """The aliases written in front matter (one text or a list of them), and problems."""
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else None
    if items is None:
        return (), [error(file, line, "alias_invalid", value=str(value)[:80])]
    aliases: list[str] = []
    problems: list[Problem] = []
    for item in items[:MAX_ALIASES]:
        text = item.strip() if isinstance(item, str) else ""
        if not is_valid_alias(text):
            problems.append(error(file, line, "alias_invalid", value=str(item)[:80]))
        else:
            aliases.append(text)
    return tuple(dict.fromkeys(aliases)), problems


def is_valid_alias(text: str) -> bool:
    if not text or len(text) > MAX_ALIAS_LENGTH or _UNSAFE.search(text):
        return False
    if text.startswith("/"):
        return not text.startswith("//")
    try:
        parts = urlsplit(text)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def alias_path(alias: str, domain: str) -> str | None:
    """The path an old address had on the KIM's own `domain` ("/2019/05/21/x/"), or None when it
    lived elsewhere (a Blogspot address, say) or carries a query (`/?p=12` cannot be a file)."""
    if alias.startswith("/"):
        parts = urlsplit(alias)
    else:
        parts = urlsplit(alias)
        host = (parts.hostname or "").lower()
        if not domain or host.removeprefix("www.") != domain.lower().removeprefix("www."):
            return None
    if parts.query:
        return None
    return unquote(parts.path)
