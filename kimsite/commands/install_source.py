"""Where the running kimsite came from, as a pip requirement another machine can install.

The generated GitHub Actions workflow installs exactly this. It is read from the
installed distribution's `direct_url.json` (PEP 610):

* no `direct_url.json`: installed from a package index → `kimsite==X`;
* `vcs_info`: installed from a repository → `kimsite @ git+URL@COMMIT` (the commit, not
  the branch, so the workflow keeps installing the same code);
* `archive_info` with an http(s) URL: a published archive → `kimsite @ URL`;
* anything on this machine (a folder, an editable checkout, a local wheel or repository),
  or a version that cannot be on an index: not installable elsewhere; the workflow gets
  `kimsite==X` and the user is told to change it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from kimsite import __version__

DISTRIBUTION = "kimsite"
# Characters a requirement URL may hold to be written, unquoted-safe, inside "…" in a shell
# line of a YAML file: no spaces, quotes, $, `, \ or !.
_SAFE_URL = re.compile(r"^[A-Za-z0-9._~:/?#\[\]@%+=&,-]+$")
_COMMIT = re.compile(r"^[0-9a-fA-F]{7,64}$")


@dataclass(frozen=True)
class InstallSource:
    requirement: str  # what `pip install` gets, e.g. kimsite==0.1.0
    method: str  # "index", "vcs", "archive" or "local"
    installable: bool  # whether a GitHub runner can install it
    origin: str = ""  # the URL or folder it was installed from, for messages

    @property
    def pip_argument(self) -> str:
        """The requirement as one shell word."""
        return self.requirement if " " not in self.requirement else f'"{self.requirement}"'


def detect(name: str = DISTRIBUTION) -> InstallSource:
    """How the running kimsite was installed."""
    try:
        distribution = metadata.distribution(name)
    except metadata.PackageNotFoundError:  # run from a source tree without installing
        return InstallSource(f"{name}=={__version__}", "local", False, str(Path(__file__).resolve().parents[2]))
    try:
        raw = distribution.read_text("direct_url.json")
    except OSError:
        raw = None
    data = None
    if raw:
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
    return from_direct_url(data if isinstance(data, dict) else None, distribution.version, name,
                           direct=bool(raw))


def from_direct_url(data: dict | None, version: str, name: str = DISTRIBUTION,
                    direct: bool | None = None) -> InstallSource:
    """The install source described by a parsed direct_url.json (None: installed from an index)."""
    pinned = f"{name}=={version}"
    if data is None:
        if direct:  # a direct_url.json that cannot be read: origin unknown
            return InstallSource(pinned, "local", False, "direct_url.json")
        return InstallSource(pinned, "index", "+" not in version, pinned)
    url = data.get("url")
    if not isinstance(url, str) or not url:
        return InstallSource(pinned, "local", False, "direct_url.json")
    url = _without_credentials(url)
    subdirectory = data.get("subdirectory")
    fragment = f"#subdirectory={subdirectory}" if isinstance(subdirectory, str) and subdirectory else ""
    vcs = data.get("vcs_info")
    if isinstance(vcs, dict):
        url = _public_github(url)
        commit = vcs.get("commit_id")
        kind = vcs.get("vcs")
        if not (isinstance(kind, str) and kind.isalpha() and isinstance(commit, str) and _COMMIT.match(commit)):
            return InstallSource(pinned, "vcs", False, _local_path(url))
        target = f"{kind}+{url}@{commit}{fragment}"
        if _reachable(url) and _SAFE_URL.match(target):
            return InstallSource(f"{name} @ {target}", "vcs", True, url)
        return InstallSource(pinned, "vcs", False, _local_path(url))
    if isinstance(data.get("archive_info"), dict):
        target = url + fragment
        if _reachable(url) and _SAFE_URL.match(target):
            return InstallSource(f"{name} @ {target}", "archive", True, url)
        return InstallSource(pinned, "archive", False, _local_path(url))
    return InstallSource(pinned, "local", False, _local_path(url))


def _without_credentials(url: str) -> str:
    """A URL without user:password@ (a token must never end up in a workflow file)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    if parts.scheme == "ssh" and parts.username and parts.password is None:
        return url  # ssh://git@host/…: a login name, not a secret
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def _public_github(url: str) -> str:
    """ssh://git@github.com/OWNER/REPO → https://github.com/OWNER/REPO: a runner has no ssh key."""
    parts = urlsplit(url)
    if parts.scheme == "ssh" and (parts.hostname or "").lower() == "github.com":
        return urlunsplit(("https", "github.com", parts.path, "", ""))
    return url


def _reachable(url: str) -> bool:
    """Whether another machine can fetch the URL (not a file on this one, no login needed)."""
    return urlsplit(url).scheme in ("https", "http")


def _local_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path if parts.scheme == "file" else url
