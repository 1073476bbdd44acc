"""Helpers for the tests of the output folder, the lock, the state folder and failures of the
machine: a copy of the fixture workspace, a snapshot of a whole folder (links included), and
`kimsite` run in this process or as a real one."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from kimsite.cli import main

TESTS = Path(__file__).resolve().parent
FIXTURE = TESTS / "fixtures" / "basic"
sys.path.insert(0, str(TESTS))
from regen_golden import NOW  # noqa: E402

ENV = {"KIMSITE_NOW": NOW.isoformat(), "KIMSITE_LANG": "en", "PYTHONHASHSEED": "0"}


def fixture_copy(target: Path) -> Path:
    shutil.copytree(FIXTURE, target)
    return target


def tree(folder: Path, left_out: tuple[str, ...] = ()) -> dict[str, object]:
    """Every entry under `folder` (links not followed): file bytes, "->target" for a link, "/"
    for a folder. Top-level names starting with one of `left_out` are not entered at all."""
    found: dict[str, object] = {}
    for current, dirs, files in os.walk(folder):
        if left_out and Path(current) == folder:
            dirs[:] = [name for name in dirs if not name.startswith(left_out)]
            files = [name for name in files if not name.startswith(left_out)]
        for name in dirs + files:
            path = Path(current) / name
            rel = path.relative_to(folder).as_posix()
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                found[rel] = "->" + os.readlink(path)
            elif stat.S_ISDIR(mode):
                found[rel] = "/"
            else:
                found[rel] = path.read_bytes()
    return found


def files(folder: Path) -> dict[str, bytes]:
    """The published files of an output folder (what a reader can download)."""
    return {rel: data for rel, data in tree(folder).items() if isinstance(data, bytes)}


def inputs(workspace: Path) -> dict[str, object]:
    """Everything in a workspace except the output and kimsite's state."""
    # (not even walked: a replaced output is deleted meanwhile by its own process)
    return tree(workspace, ("_site", ".kimsite", "._site"))


def leftovers(folder: Path) -> list[str]:
    """Working folders of a build left beside an output (`.<output>.kimsite-<role>`), once the
    previous output a full build replaced has been deleted by its own process (kimsite.write.trash)."""
    wait_for_trash(folder)
    return sorted(name for name in os.listdir(folder) if ".kimsite-" in name)


def wait_for_trash(folder: Path, timeout: float = 60) -> None:
    """Until no replaced output is left being deleted beside an output in `folder` (a trash
    folder still there after `timeout` stays, for the caller's assertion to show)."""
    import time

    deadline = time.monotonic() + timeout
    while any(".kimsite-trash-" in name for name in os.listdir(folder)) and time.monotonic() < deadline:
        time.sleep(0.05)


def join_trash_threads(timeout: float = 120) -> None:
    """Until the threads that reap the deleters of earlier tests' replaced outputs have ended
    (kimsite.write.trash): while one runs, this process forks no child to look at an output
    (look_ahead._can_fork), which tests of those children need."""
    import threading
    import time

    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread.name == "kimsite-trash":
            thread.join(max(0.0, deadline - time.monotonic()))


def invoke(*args: str, env: dict[str, str] | None = None):
    """`kimsite ARGS` in this process (exit code, stdout, stderr; exceptions are kept, not raised)."""
    return CliRunner().invoke(main, list(args), env={**ENV, **(env or {})})


def run_kimsite(*args: str, env: dict[str, str] | None = None, user: list[str] | None = None,
                timeout: float = 120, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`kimsite ARGS` as a real process (`user`: a command prefix such as setpriv)."""
    return subprocess.run([*(user or []), sys.executable, "-m", "kimsite", *args], capture_output=True, text=True,
                          env={**os.environ, **ENV, **(env or {})}, timeout=timeout, cwd=cwd)


def unprivileged() -> list[str] | None:
    """A command prefix that runs a process which permission bits apply to (root ignores them):
    [] when this is not root; `setpriv` as the user nobody when nobody can run this Python; else
    root without the capabilities that override permission bits (the interpreter may live where
    nobody cannot reach it). None when no such tool exists."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv:
        nobody = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        probe = subprocess.run([*nobody, sys.executable, "-m", "kimsite", "--version"], capture_output=True)
        if probe.returncode == 0:
            return nobody
        return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]
    runuser = shutil.which("runuser")
    if runuser:
        probe = subprocess.run([runuser, "-u", "nobody", "--", sys.executable, "-m", "kimsite", "--version"],
                               capture_output=True)
        if probe.returncode == 0:
            return [runuser, "-u", "nobody", "--"]
    return None


def set_writable(folder: Path, writable: bool) -> None:
    """Add or take away write permission on a folder and everything in it."""
    for current, dirs, names in os.walk(folder):
        for path in [Path(current), *(Path(current) / name for name in names)]:
            mode = os.lstat(path).st_mode
            if not stat.S_ISLNK(mode):
                os.chmod(path, mode | 0o200 if writable else mode & ~0o222)
