"""The only module that writes the published output.

Every build first writes into a staging folder; the output changes only when
the build has succeeded, at `commit`:

* a full build stages the whole site beside the output folder and swaps the two
  folders (atomically on Linux, with renameat2 RENAME_EXCHANGE);
* an incremental build stages just the changed files, writes a journal listing
  them (the commit point), then moves them into place. A build killed while
  moving is completed by the next run (`recover`) before anything else, so the
  output never stays half-updated.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import sys
from pathlib import Path

JOURNAL = "journal.json"


# Folders this process has made under a staging folder, so each file costs one open and
# no failed lookups (cleared whenever a staging folder is created; workers fork after that).
_made_folders: set[str] = set()
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def stage(staging: Path, rel_path: str, data: bytes) -> None:
    """Write one output file into the staging folder (safe to call from worker processes)."""
    base = str(staging)
    folder = rel_path.rpartition("/")[0]
    if folder:
        _make_folder(base, folder)
    target = os.path.join(base, rel_path)
    try:
        handle = os.open(target, _WRITE_FLAGS, 0o666)
    except FileNotFoundError:  # the folder went away since it was made: make it again
        _made_folders.clear()
        os.makedirs(os.path.dirname(target), exist_ok=True)
        handle = os.open(target, _WRITE_FLAGS, 0o666)
    try:
        written = 0
        while written < len(data):
            written += os.write(handle, data[written:] if written else data)
    finally:
        os.close(handle)


def _make_folder(base: str, folder: str) -> None:
    key = f"{base}\0{folder}"
    if key in _made_folders:
        return
    parent = folder.rpartition("/")[0]
    if parent:
        _make_folder(base, parent)
    try:
        os.mkdir(os.path.join(base, folder))
    except FileExistsError:
        pass
    _made_folders.add(key)


def stage_copy(staging: Path, rel_path: str, source: Path) -> None:
    target = staging / rel_path
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


class OutputWriter:
    """Stages a build and commits it to `output_dir`; `full` chooses the strategy."""

    def __init__(self, output_dir: Path, state_dir: Path, full: bool):
        self.output_dir = output_dir
        self.state_dir = state_dir
        self.full = full
        if full:
            self.staging = output_dir.parent / f".{output_dir.name}.kimsite-new"
        else:
            self.staging = output_dir.parent / f".{output_dir.name}.kimsite-stage"
        remove_tree(self.staging)
        self.staging.mkdir(parents=True)
        _made_folders.clear()
        self.removed: list[str] = []

    def remove(self, rel_path: str) -> None:
        """Delete an output that no longer exists in the model (incremental builds)."""
        self.removed.append(rel_path)

    def abort(self) -> None:
        remove_tree(self.staging)

    def commit(self) -> None:
        if self.full:
            self._swap_folders()
        else:
            self._apply_changes()

    def _swap_folders(self) -> None:
        old = self.output_dir.parent / f".{self.output_dir.name}.kimsite-old"
        remove_tree(old)
        if self.output_dir.exists():
            if not _exchange(self.staging, self.output_dir):
                os.replace(self.output_dir, old)
                os.replace(self.staging, self.output_dir)
            else:
                os.replace(self.staging, old)
            remove_tree(old)
        else:
            self.output_dir.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.staging, self.output_dir)

    def _apply_changes(self) -> None:
        moves = []
        for folder, _dirs, files in os.walk(self.staging):
            for name in files:
                full = Path(folder) / name
                moves.append(full.relative_to(self.staging).as_posix())
        if not moves and not self.removed:
            self.abort()
            return
        journal = {"output": str(self.output_dir), "staging": str(self.staging),
                   "moves": sorted(moves), "removals": sorted(self.removed)}
        temporary = self.state_dir / (JOURNAL + ".tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(journal, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.state_dir / JOURNAL)  # the commit point
        _replay(journal)
        (self.state_dir / JOURNAL).unlink()
        remove_tree(self.staging)


def recover(output_dir: Path, state_dir: Path) -> bool:
    """Finish or discard what a killed build left behind; True when something was repaired."""
    repaired = False
    journal_path = state_dir / JOURNAL
    if journal_path.exists():
        try:
            journal = json.loads(journal_path.read_text(encoding="utf-8"))
            _replay(journal)
        except (OSError, ValueError, KeyError):
            pass  # an unreadable journal was never committed (it is written atomically)
        journal_path.unlink(missing_ok=True)
        repaired = True
    for leftover in (output_dir.parent / f".{output_dir.name}.kimsite-stage", output_dir.parent / f".{output_dir.name}.kimsite-new",
                     output_dir.parent / f".{output_dir.name}.kimsite-old"):
        if leftover.exists():
            remove_tree(leftover)
            repaired = True
    (state_dir / (JOURNAL + ".tmp")).unlink(missing_ok=True)
    return repaired


def _replay(journal: dict) -> None:
    """Apply a committed journal; safe to repeat (moves already done are skipped)."""
    output = Path(journal["output"])
    staging = Path(journal["staging"])
    for rel in journal["moves"]:
        source = staging / rel
        if source.exists():
            target = output / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    for rel in journal["removals"]:
        target = output / rel
        target.unlink(missing_ok=True)
        _prune_empty_parents(target.parent, output)


def _prune_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_relative_to(stop):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def remove_tree(path: Path) -> None:
    """Delete a file, a link, or a folder with everything in it (entries of a folder that cannot be
    deleted stay)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step (Linux); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return result == 0
