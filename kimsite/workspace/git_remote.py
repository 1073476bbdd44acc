"""The public address a workspace will have, read from its git remote.

`kimsite init` writes it as `base_url`; `kimsite check` warns when `base_url` says
otherwise; `kimsite deploy` refuses addresses that can never be the live site
(localhost, the placeholder `init` writes when it cannot tell).
"""

from __future__ import annotations

import ipaddress
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

# What `init` writes when there is no GitHub remote yet: a valid URL (builds and previews
# work), but one `deploy` refuses and `check` points out.
PLACEHOLDER_BASE_URL = "https://NAMA-AKUN.github.io/NAMA-REPO/"

_OWNER = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})"
_REPO = r"[A-Za-z0-9._-]{1,100}"
# https://github.com/OWNER/REPO(.git), ssh://git@github.com[:22]/OWNER/REPO, git@github.com:OWNER/REPO
_GITHUB_REMOTE = re.compile(
    rf"^(?:(?:https?|ssh|git)://(?:[^@/]+@)?(?:www\.)?github\.com(?::\d+)?/|[A-Za-z0-9_.-]+@github\.com:)"
    rf"(?P<owner>{_OWNER})/(?P<repo>{_REPO}?)(?:\.git)?/?$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_LOCAL_HOSTS = frozenset({"localhost", "0.0.0.0", "::1"})


def remote_url(directory: Path, remote: str = "origin") -> str | None:
    """`git config --get remote.<remote>.url`, run in the nearest existing folder; None without one."""
    where = directory.resolve()
    while not where.is_dir() and where != where.parent:
        where = where.parent
    try:
        done = subprocess.run(["git", "config", "--get", f"remote.{remote}.url"], cwd=where,
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    url = done.stdout.strip()
    return url if done.returncode == 0 and url else None


def pages_address(remote: str) -> str | None:
    """The GitHub Pages address of a GitHub remote, or None for any other remote."""
    match = _GITHUB_REMOTE.match(remote.strip())
    if not match:
        return None
    owner, repo = match.group("owner").lower(), match.group("repo")
    if repo in ("", ".", "..", ".git") or owner.endswith("-"):
        return None
    if repo.lower() == f"{owner}.github.io":
        return f"https://{owner}.github.io/"
    return f"https://{owner}.github.io/{repo}/"


def cname_domain(directory: Path) -> str | None:
    """The custom domain in a CNAME file at the workspace root (GitHub Pages' own convention)."""
    try:
        lines = (directory / "CNAME").read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return None
    domain = lines[0].strip().lower().rstrip(".") if lines else ""
    return domain if _DOMAIN.match(domain) else None


def derived_base_url(directory: Path) -> str | None:
    """The site's public address: a CNAME file's domain, else the Pages address of `origin`."""
    domain = cname_domain(directory)
    if domain:
        return f"https://{domain}/"
    remote = remote_url(directory)
    return pages_address(remote) if remote else None


def unpublishable(base_url: str) -> str | None:
    """Why `base_url` cannot be a live site's address ("local" or "placeholder"), or None."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    if host in _LOCAL_HOSTS or host.endswith((".localhost", ".local")) or _private_ip(host):
        return "local"
    return "placeholder" if same_address(base_url, PLACEHOLDER_BASE_URL) else None


def _private_ip(host: str) -> bool:
    """127.0.0.1, 192.168.x.x, 10.x.x.x, fe80::…: addresses only this computer or its network reach."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def same_address(first: str, second: str) -> bool:
    """Equal as GitHub Pages serves them: scheme and host case-insensitive, trailing slash optional."""
    a, b = urlsplit(first), urlsplit(second)
    return ((a.hostname or "").lower() == (b.hostname or "").lower()
            and a.path.rstrip("/").lower() == b.path.rstrip("/").lower())


def base_url_problems(root: Path) -> list:
    """`kimsite check`: a warning on kimsite.yaml's base_url line when the address disagrees with
    the repository's (CNAME file or GitHub remote), or cannot be a live site's address."""
    from kimsite.base.messages import Part
    from kimsite.base.problems import warning
    from kimsite.base.yamlio import load_mapping

    try:
        text = (root / "kimsite.yaml").read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return []
    doc, _ = load_mapping(text, "kimsite.yaml")
    value = doc.data.get("base_url") if doc is not None else None
    if not isinstance(value, str) or not value.strip():
        return []  # the build reports a missing or invalid base_url
    value = value.strip()
    line = doc.lines.get("base_url")
    expected = derived_base_url(root)
    if expected:
        host = (urlsplit(value).hostname or "").lower()
        own_domain = not host.endswith(".github.io") and not unpublishable(value)
        if same_address(value, expected) or (own_domain and not cname_domain(root)):
            return []  # a custom domain set in the Pages settings cannot be seen from here
        return [warning("kimsite.yaml", line, "base_url_remote_mismatch", value=value, expected=expected)]
    if unpublishable(value):
        return [warning("kimsite.yaml", line, "base_url_not_public", value=value, suggestion=Part("base_url_example"))]
    return []
