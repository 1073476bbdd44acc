"""One build at a time per workspace, and a state folder that is what it claims to be.

Every build, check and `serve` rebuild of a workspace holds the lock file
`.kimsite/lock` while it reads or writes state and output: a second one waits
(KIMSITE_LOCK_TIMEOUT seconds, 60 by default) and then stops with a message
instead of mixing its files with the first one's. The lock is an operating-system
lock, so a killed build never leaves it held: a POSIX record lock (fcntl.lockf,
which forked worker processes do not inherit, so none of them can keep it after
the build is gone), or the `filelock` package where fcntl is missing (Windows).

`.kimsite` itself is checked first: a file or a link there is not kimsite's
folder, so kimsite moves it aside (never deleting or following it) to `.kimsite.bak-N`
with a warning and builds as a clean build would.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from kimsite.base.messages import Part
from kimsite.workspace.folder_names import LOCK_FILE, STATE_DIR, STATE_FOLDERS
from kimsite.base.problems import KimsiteError, Problem, error, warning
from kimsite.base.files import remove_tree

DEFAULT_WAIT = 60.0
_held: dict[str, int] = {}  # lock path -> depth, for nested use in one process (check runs a build)


class LockBusy(Exception):
    pass


class _RecordLock:
    """An exclusive POSIX record lock on a file (waits in steps of 50 ms)."""

    def __init__(self, path: str):
        self.path = path
        self.fd: int | None = None

    def acquire(self, seconds: float) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0),
                     0o644)
        deadline = time.monotonic() + seconds
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() >= deadline:
                    os.close(fd)
                    if exc.errno in (errno.EAGAIN, errno.EACCES):
                        raise LockBusy from None
                    raise
                time.sleep(0.05)
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the file ends the process's record locks on it
            self.fd = None


class _PackageLock:
    """The `filelock` package's lock, where fcntl is missing."""

    def __init__(self, path: str):
        from filelock import FileLock

        self.lock = FileLock(path)

    def acquire(self, seconds: float) -> None:
        from filelock import Timeout

        try:
            self.lock.acquire(timeout=seconds)
        except Timeout:
            raise LockBusy from None

    def release(self) -> None:
        self.lock.release()


def checked_state_folder(root: Path, name: str = STATE_DIR, notes: list[Problem] | None = None) -> Path:
    """`root/name` when it is a real folder or absent. A file or a link standing there is renamed
    to `name.bak-N` (a warning in `notes`), so that the build proceeds as a clean one and the
    user's file is kept; without `notes` it is a KimsiteError that says why."""
    folder = root / name
    try:
        mode = os.lstat(folder).st_mode
    except FileNotFoundError:
        return folder
    except OSError as exc:
        raise KimsiteError([error(name, None, "state_unwritable", folder=name,
                                  reason=exc.strerror or str(exc))]) from None
    if stat.S_ISDIR(mode):
        return folder
    kind = Part("state_kind_link", (("target", os.readlink(folder)),)) if stat.S_ISLNK(mode) \
        else Part("state_kind_file")
    if notes is None:
        raise KimsiteError([error(name, None, "state_not_folder", folder=name, kind=kind)])
    aside = _move_aside(folder)
    notes.append(warning(name, None, "state_moved_aside", folder=name, kind=kind, aside=aside.name))
    return folder


def _move_aside(path: Path) -> Path:
    """Rename `path` (a link itself, not what it leads to) to the first free `path.bak-N`."""
    for number in range(1, 10_000):
        aside = path.with_name(f"{path.name}.bak-{number}")
        if os.path.lexists(aside):
            continue
        try:
            os.rename(path, aside)  # POSIX rename would replace a file there: checked just before
        except OSError as exc:
            raise _unwritable(exc) from None
        return aside
    raise _unwritable(FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST)))


# Entries of .kimsite/ other modules write into: each must be what it claims to be, or a
# link there would lead their writes (and the pruning of old pictures) anywhere.
_STATE_FILES = (LOCK_FILE,)


_EXPECTED = [*((name, stat.S_ISDIR) for name in STATE_FOLDERS), *((name, stat.S_ISREG) for name in _STATE_FILES)]


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
            raise _unwritable(exc) from None
    import tempfile  # (here only: loading it costs every build a few milliseconds)

    digest = hashlib.blake2b(str(root).encode(), digest_size=8).hexdigest()
    user = os.getuid() if hasattr(os, "getuid") else 0
    return os.path.join(tempfile.gettempdir(), f"kimsite-{user}-{digest}.lock")


def _unwritable(exc: OSError) -> KimsiteError:
    return KimsiteError([error(STATE_DIR, None, "state_unwritable", folder=STATE_DIR, reason=exc.strerror or str(exc))])


def wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("KIMSITE_LOCK_TIMEOUT", DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


@contextmanager
def workspace_lock(root: Path, wait: float | None = None) -> Iterator[list[Problem]]:
    """Hold the workspace's build lock (waiting at most `wait` seconds for another holder).
    Yields warnings for what stood where kimsite keeps its state: a `.kimsite` that was not a
    folder (moved aside) and entries of .kimsite/ that were not what kimsite keeps there (removed)."""
    notes: list[Problem] = []
    folder = checked_state_folder(root, notes=notes)
    path = _lock_path(root, folder)
    if path in _held:  # this process holds it already
        _held[path] += 1
        try:
            yield []
        finally:
            _held[path] -= 1
        return
    seconds = wait_seconds() if wait is None else wait
    lock = _RecordLock(path) if fcntl is not None else _PackageLock(path)
    try:
        discarded = _discard_odd(folder, [(LOCK_FILE, stat.S_ISREG)])  # a link there: removed, not followed
        lock.acquire(seconds)
    except LockBusy:
        shown = f"{STATE_DIR}/{LOCK_FILE}" if path == str(folder / LOCK_FILE) else path
        raise KimsiteError([error("", None, "build_locked", lock=shown, seconds=f"{seconds:g}")]) from None
    except OSError as exc:
        raise _unwritable(exc) from None
    try:
        discarded += _discard_odd(folder)  # the rest once no other build is using the folder
    except OSError as exc:
        lock.release()
        raise _unwritable(exc) from None
    _held[path] = 1
    try:
        yield notes + [warning(name, None, "state_entry_discarded", path=name) for name in discarded]
    finally:
        del _held[path]
        lock.release()
