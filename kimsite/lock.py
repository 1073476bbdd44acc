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

import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from kimsite.messages import Part
from kimsite.output_guard import STATE_DIR
from kimsite.problems import KimsiteError, error

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


def wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("KIMSITE_LOCK_TIMEOUT", DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


@contextmanager
def workspace_lock(root: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the workspace's build lock (waiting at most `wait` seconds for another holder)."""
    folder = checked_state_folder(root)
    path = str(folder / LOCK_FILE)
    held = _held.get(path)
    if held is not None:  # this process holds it already
        held.acquire()
        try:
            yield
        finally:
            held.release()
        return
    seconds = wait_seconds() if wait is None else wait
    try:
        folder.mkdir(exist_ok=True)
        lock = FileLock(path, timeout=seconds)
        lock.acquire()
    except Timeout:
        raise KimsiteError([error("", None, "build_locked", lock=f"{STATE_DIR}/{LOCK_FILE}",
                                  seconds=f"{seconds:g}")]) from None
    except OSError as exc:
        raise KimsiteError([error(STATE_DIR, None, "state_unwritable", folder=STATE_DIR,
                                  reason=exc.strerror or str(exc))]) from None
    _held[path] = lock
    try:
        yield
    finally:
        del _held[path]
        lock.release()
