"""One build at a time per workspace, and a state folder that is what it claims to be.

Every build, check and `serve` rebuild of a workspace holds the lock file
`.kimsite/lock` while it reads or writes state and output: a second one waits
(KIMSITE_LOCK_TIMEOUT seconds, 60 by default) and then stops with a message
instead of mixing its files with the first one's. The lock is an operating-system
lock (the `filelock` package), so a killed build never leaves it held.

`.kimsite` itself is checked first: a file or a link there is not kimsite's
folder, so kimsite refuses to use it (and never deletes it).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from kimsite.messages import Part
from kimsite.output_guard import STATE_DIR
from kimsite.problems import KimsiteError, error
from kimsite.writer import remove_tree

LOCK_FILE = "lock"
DEFAULT_WAIT = 60.0
_held: dict[str, FileLock] = {}  # lock path -> lock, for nested use in one process (check runs a build)


def checked_state_folder(root: Path, name: str = STATE_DIR) -> Path:
    """`root/name` when it is a real folder or absent; otherwise a KimsiteError that says why."""
    folder = root / name
    try:
        mode = os.lstat(folder).st_mode
    except FileNotFoundError:
        return folder
    except OSError as exc:
        raise KimsiteError([error(name, None, "state_unwritable", folder=name,
                                  reason=exc.strerror or str(exc))]) from None
    if stat.S_ISLNK(mode):
        raise KimsiteError([error(name, None, "state_not_folder", folder=name,
                                  kind=Part("state_kind_link", (("target", os.readlink(folder)),)))])
    if not stat.S_ISDIR(mode):
        raise KimsiteError([error(name, None, "state_not_folder", folder=name, kind=Part("state_kind_file"))])
    return folder


# Entries of .kimsite/ other modules write into: each must be what it claims to be, or a
# link there would lead their writes (and the pruning of old pictures) anywhere.
_STATE_FOLDERS = ("images", "cards", "templates", "serve-state")
_STATE_FILES = (LOCK_FILE,)


_EXPECTED = [*((name, stat.S_ISDIR) for name in _STATE_FOLDERS), *((name, stat.S_ISREG) for name in _STATE_FILES)]


def _discard_odd(folder: Path, expected: list = _EXPECTED) -> list[str]:
    """Remove (never follow) links, files or folders standing where kimsite keeps a folder or a
    file of its own; returns their names."""
    discarded = []
    for name, want in expected:
        try:
            mode = os.lstat(folder / name).st_mode
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(mode) or not want(mode):
            remove_tree(folder / name)
            discarded.append(f"{STATE_DIR}/{name}")
    return discarded


def _lock_path(root: Path, folder: Path) -> str:
    """`.kimsite/lock`; where .kimsite cannot be made (a read-only checkout built with --no-cache
    into a folder elsewhere), a lock file named after the workspace in the temporary folder."""
    try:
        folder.mkdir(exist_ok=True)
        return str(folder / LOCK_FILE)
    except OSError as exc:
        if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS) or os.path.lexists(folder):
            raise KimsiteError([error(STATE_DIR, None, "state_unwritable", folder=STATE_DIR,
                                      reason=exc.strerror or str(exc))]) from None
    digest = hashlib.blake2b(str(root).encode(), digest_size=8).hexdigest()
    user = os.getuid() if hasattr(os, "getuid") else 0
    return os.path.join(tempfile.gettempdir(), f"kimsite-{user}-{digest}.lock")


def wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("KIMSITE_LOCK_TIMEOUT", DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


@contextmanager
def workspace_lock(root: Path, wait: float | None = None) -> Iterator[list[str]]:
    """Hold the workspace's build lock (waiting at most `wait` seconds for another holder).
    Yields the entries of .kimsite/ that were not what kimsite keeps there and were removed."""
    folder = checked_state_folder(root)
    path = _lock_path(root, folder)
    held = _held.get(path)
    if held is not None:  # this process holds it already
        held.acquire()
        try:
            yield []
        finally:
            held.release()
        return
    seconds = wait_seconds() if wait is None else wait
    try:
        lock = FileLock(path, timeout=seconds)
        discarded = _discard_odd(folder, [(LOCK_FILE, stat.S_ISREG)])  # a link there: removed, not followed
        lock.acquire()
        discarded += _discard_odd(folder)  # the rest once no other build is using the folder
    except Timeout:
        shown = f"{STATE_DIR}/{LOCK_FILE}" if path == str(folder / LOCK_FILE) else path
        raise KimsiteError([error("", None, "build_locked", lock=shown, seconds=f"{seconds:g}")]) from None
    except OSError as exc:
        raise KimsiteError([error(STATE_DIR, None, "state_unwritable", folder=STATE_DIR,
                                  reason=exc.strerror or str(exc))]) from None
    _held[path] = lock
    try:
        yield discarded
    finally:
        del _held[path]
        lock.release()
