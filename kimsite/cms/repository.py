"""The GitHub repository and branch the editor writes to, read from the workspace's git remote
(through kimsite.workspace.git_remote, as `init` reads it) or else from a github.io base_url."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kimsite.workspace.git_remote import pages_address, remote_url

_OWNER_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$")


@dataclass(frozen=True)
class Repository:
    repo: str  # "owner/name", or "" when unknown
    branch: str
    prefix: str = ""  # the workspace's folder inside the repository ("" at its root, else "site/")


def valid_repo(value: str) -> bool:
    """"owner/name" as GitHub spells repositories."""
    return bool(_OWNER_NAME.match(value)) and not value.endswith(".git")


def repo_from_pages_url(base_url: str) -> str | None:
    """"https://owner.github.io/repo/" -> "owner/repo"; the user site "https://owner.github.io/"
    -> "owner/owner.github.io"; None for other hosts."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    if not host.endswith(".github.io") or host.count(".") != 2:
        return None
    owner = host.split(".", 1)[0]
    first = parts.path.strip("/").split("/", 1)[0]
    repo = f"{owner}/{first or host}"
    return repo if valid_repo(repo) else None


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def find_repository(root: Path, base_url: str = "") -> Repository:
    """The `origin` remote's GitHub repository, the checked-out branch (main by default) and
    where the workspace sits in the repository (the editor names files from its root). Without
    a GitHub remote, a github.io base_url names the repository."""
    remote = remote_url(root)
    address = pages_address(remote) if remote else None
    repo = (repo_from_pages_url(address) if address else None) or repo_from_pages_url(base_url) or ""
    branch = _git(root, "symbolic-ref", "--short", "-q", "HEAD") or "main"
    return Repository(repo, branch, _git(root, "rev-parse", "--show-prefix"))
