"""Deleting a replaced output tree without making the build wait for it.

A full build over an existing output swaps the new tree in and is left holding the old one: at
10,000 articles that is 21,000 files in 22,000 folders, which took 2–5 s to delete, about as
long as rendering them. The old tree is renamed to a trash folder beside the output (same file
system, so the rename is instant) and deleted by a detached, isolated process (`python -I`
running `main` below) that holds a lock on the folder while it works. A deleter that was killed
leaves its folder unlocked: the next build or check hands it to a new deleter (`sweep`, from
`writer.recover`). Where no process can be started (no `fcntl` (Windows), this package not in a
folder of files, the system refusing), the tree is deleted in place as before.

A trash folder is named `.<output>.kimsite-trash-<random>`: a name only kimsite makes.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from kimsite.base.files import FOLDER_FLAGS, remove_tree

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

ROLE = "trash"


def trash_prefix(output_dir: Path) -> str:
    return f".{output_dir.name}.kimsite-{ROLE}-"


def discard(folder: Path, output_dir: Path) -> None:
    """Delete `folder` (beside `output_dir`) without waiting: moved to a trash folder and given
    to a deleter process; deleted here where that cannot be done."""
    if not os.path.lexists(folder):
        return
    if fcntl is None or not _is_plain_folder(folder):
        remove_tree(folder)
        return
    import secrets  # here: every build imports this module, few discard a whole output

    trash = output_dir.parent / f"{trash_prefix(output_dir)}{secrets.token_hex(8)}"
    try:
        os.rename(folder, trash)
    except OSError:
        remove_tree(folder)
        return
    if not _start_deleter(trash):
        remove_tree(trash)


def sweep(output_dir: Path) -> None:
    """Hand every trash folder of `output_dir` that no deleter holds (its process was killed, or
    the machine stopped) to a new deleter."""
    prefix = trash_prefix(output_dir)
    try:
        names = [name for name in os.listdir(output_dir.parent) if name.startswith(prefix)]
    except OSError:
        return
    for name in names:
        folder = output_dir.parent / name
        if fcntl is None or not _is_plain_folder(folder):
            remove_tree(folder)  # a link or file under a trash name: only the name itself goes
        elif not _held(folder) and not _start_deleter(folder):
            remove_tree(folder)


def _is_plain_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _held(folder: Path) -> bool:
    """Whether a deleter is working on `folder` now (it holds the folder's lock)."""
    if not os.path.lexists(folder):
        return True  # gone: nothing to hand over
    handle = _locked(folder)
    if handle is None:
        return True
    os.close(handle)  # releases the lock taken just now
    return False


def _locked(folder: Path) -> int | None:
    """`folder` opened with its lock taken (released when the handle is closed); None when it
    cannot be opened or another process holds the lock."""
    try:
        handle = os.open(folder, FOLDER_FLAGS)
    except OSError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(handle)
        return None
    return handle


def _start_deleter(folder: Path) -> bool:
    """A detached process deleting `folder`; False when it could not be started."""
    import subprocess
    import threading

    # Isolated (-I): nothing in the workspace or the environment can stand in for a module; this
    # package is found where this process found it, after the standard library.
    package_parent = Path(__file__).resolve().parent.parent.parent
    if not (package_parent / "kimsite" / "write" / "trash.py").is_file():  # e.g. run from a zip
        return False
    program = (f"import sys; sys.path.append({str(package_parent)!r}); "
               "from kimsite.write.trash import main; sys.exit(main(sys.argv[1:]))")
    try:
        process = subprocess.Popen(
            [sys.executable, "-I", "-c", program, os.path.abspath(folder)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, close_fds=True, cwd="/")
    except (OSError, ValueError, subprocess.SubprocessError):
        return False
    # Reaped when it ends, so that a long-lived `kimsite serve` gathers no finished processes.
    threading.Thread(target=process.wait, name="kimsite-trash", daemon=True).start()
    return True


def delete_locked(folder: Path) -> bool:
    """The deleter's work: take the folder's lock (another deleter has it: nothing to do) and
    delete the folder. Returns whether this process deleted it."""
    handle = _locked(folder)
    if handle is None:
        return False
    try:
        try:
            os.nice(10)  # the reader's next build comes first
        except OSError:
            pass
        remove_tree(folder)
        return True
    finally:
        os.close(handle)


def main(arguments: list[str]) -> int:
    if len(arguments) != 1 or fcntl is None:
        return 2
    folder = Path(arguments[0])
    if not folder.name.startswith(".") or f".kimsite-{ROLE}-" not in folder.name:
        return 2  # only ever a trash folder
    delete_locked(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
