"""Deleting files and folders the way every stage needs it: links are removed, never followed;
read-only folders kimsite made are emptied anyway."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

# Opening a folder to work inside it: never through a link, never inherited by a child process.
FOLDER_FLAGS = (os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
                | getattr(os, "O_CLOEXEC", 0))


def remove_tree(path: Path) -> None:
    """Delete a file, a link (never what it points to), or a folder with everything in it. A
    folder kimsite made may hold read-only folders: they are made writable to be emptied;
    entries that still cannot be deleted stay."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return
    if not stat.S_ISDIR(mode):
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        return
    shutil.rmtree(path, onerror=_make_writable_and_retry)


def _make_writable_and_retry(function, failed: str, _info) -> None:
    if function not in (os.rmdir, os.unlink, os.open, os.scandir, os.lstat) or not shutil.rmtree.avoids_symlink_attacks:
        return
    try:
        parent = os.path.dirname(failed)
        os.chmod(parent, os.lstat(parent).st_mode | stat.S_IRWXU)
        if function is os.open or function is os.scandir:
            os.chmod(failed, os.lstat(failed).st_mode | stat.S_IRWXU)
            shutil.rmtree(failed, ignore_errors=True)
        else:
            function(failed)
    except OSError:
        pass
