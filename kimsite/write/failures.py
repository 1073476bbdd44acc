"""Failures of the machine while a build writes (disk full, permission denied, a name too long,
a cache that cannot be used) as messages naming the file, instead of tracebacks."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from kimsite.base.problems import Problem, error
from kimsite.write.writer import sibling

_DENIED = (errno.EACCES, errno.EPERM, errno.EROFS)


def failure_problem(exc: BaseException, root: Path, output_dir: Path, cache_file: Path | None) -> Problem:
    """The message for an OSError or sqlite3.Error that stopped a build."""
    if isinstance(exc, sqlite3.Error):
        shown = _shown(str(cache_file) if cache_file else "", root, output_dir)
        text = str(exc)
        if "full" in text:
            return error(shown, None, "disk_full", path=shown)
        if "readonly" in text or "read-only" in text:
            return error(shown, None, "write_denied", path=shown, reason=text)
        return error(shown, None, "cache_failed", path=shown, reason=text)
    assert isinstance(exc, OSError)
    shown = _shown(exc.filename or "", root, output_dir) or _shown(str(output_dir), root, output_dir)
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC or exc.errno == getattr(errno, "EDQUOT", None):
        return error(shown, None, "disk_full", path=shown)
    if exc.errno in _DENIED:
        return error(shown, None, "write_denied", path=shown, reason=reason)
    if exc.errno == errno.ENAMETOOLONG:
        return error(_shorten(shown), None, "name_too_long", path=_shorten(shown))
    return error(shown, None, "write_failed", path=shown, reason=reason)


def _shown(filename: str | bytes, root: Path, output_dir: Path) -> str:
    """A failing path as the user knows it: staging folders shown as the output folder, paths in
    the workspace relative to it."""
    path = os.fsdecode(filename)
    if not path:
        return ""
    for role in ("new", "stage", "undo", "old"):
        working = str(sibling(output_dir, role))
        if path == working or path.startswith(working + os.sep):
            path = str(output_dir) + path[len(working):]
            break
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


def _shorten(path: str) -> str:
    """Each overlong part of a path cut to its start and end, so the message stays readable."""
    return "/".join(part if len(part) <= 80 else f"{part[:40]}…{part[-30:]}" for part in path.split("/"))
