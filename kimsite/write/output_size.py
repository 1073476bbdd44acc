"""How big the published output is, and warnings before it nears GitHub Pages' limits.

GitHub Pages publishes a site of at most 1 GB and stops a deployment that takes longer
than 10 minutes; it publishes no limit on the number of files, but every file is packed,
uploaded and unpacked, so a site of a hundred thousand files is slow to deploy long before
it is large (GitLab Pages stops at 200,000 files). A regency of a few hundred KIMs stays far
below both; a workspace that grows towards them is split (the warning says how).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kimsite.base.problems import Problem, warning

PAGES_MAX_BYTES = 1024 ** 3  # "Published GitHub Pages sites may be no larger than 1 GB."
PAGES_MAX_FILES = 100_000  # kimsite's own bound: deployments of more files get slow (see above)
WARN_SHARE = 0.8  # warn when the output reaches this share of a limit


@dataclass(frozen=True, slots=True)
class OutputSize:
    bytes: int
    files: int


@dataclass(frozen=True, slots=True)
class HostLimits:
    bytes: int
    files: int
    warn_share: float = WARN_SHARE


def pages_limits() -> HostLimits:
    return HostLimits(PAGES_MAX_BYTES, PAGES_MAX_FILES, WARN_SHARE)


def measure(folder: Path) -> OutputSize:
    """The bytes and files under `folder`, counted as the host stores them (apparent sizes,
    links not followed)."""
    total = files = 0
    pending = [str(folder)]
    while pending:
        try:
            entries = os.scandir(pending.pop())
        except OSError:
            continue
        with entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                    else:
                        total += entry.stat(follow_symlinks=False).st_size
                        files += 1
                except OSError:
                    continue
    return OutputSize(total, files)


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def limit_problems(size: OutputSize, where: str, limits: HostLimits | None = None) -> list[Problem]:
    """Warnings for an output of `size` published from the folder `where` (GitHub Pages' limits
    unless `limits` are given), each saying how to split the workspace."""
    limits = limits or pages_limits()
    problems: list[Problem] = []
    args = {"limit": megabytes(limits.bytes), "size": megabytes(size.bytes)}
    if size.bytes > limits.bytes:
        problems.append(warning(where, None, "output_over_size", **args))
    elif size.bytes >= limits.bytes * limits.warn_share:
        problems.append(warning(where, None, "output_near_size", percent=round(100 * size.bytes / limits.bytes),
                                **args))
    if size.files >= limits.files * limits.warn_share:
        problems.append(warning(where, None, "output_many_files", files=size.files, limit=limits.files))
    return problems
