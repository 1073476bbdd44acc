"""The only module that writes the published output.

Every build first writes into a staging folder; the output changes only when
the build has succeeded, at `commit`:

* a full build stages the whole site beside the output folder and swaps the two
  folders (atomically on Linux, with renameat2 RENAME_EXCHANGE);
* an incremental build stages just the changed files, writes a journal listing
  them (the commit point), then moves them into place, keeping each replaced or
  removed file in an undo folder until the end. A commit that fails midway (disk
  full, permission denied) is rolled back from the undo folder; a build killed
  while moving is completed by the next run (`recover`) before anything else. The
  output is always wholly the old or wholly the new site.

The journal is state a user (or a restored CI cache) can change, so it is
checked before use: its output must be a folder kimsite made, every path in it a
plain relative path, and no link is followed while moving or removing files.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
from pathlib import Path

from kimsite.base.files import FOLDER_FLAGS, remove_tree
from kimsite.workspace.folder_names import JOURNAL, JOURNAL_WRITING, WORK_ROLES
from kimsite.workspace.output_guard import MARKER
from kimsite.write.output_lines import line
from kimsite.write.trash import discard, sweep

JOURNAL_VERSION = 2
_ROLES = WORK_ROLES  # full staging, incremental staging, swapped-out output, backups


# Folders this process has made under a staging folder, so each file costs one open and
# no failed lookups (cleared whenever a staging folder is created; workers fork after that).
_made_folders: set[str] = set()
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _CLOEXEC | _NOFOLLOW


def sibling(output_dir: Path, role: str) -> Path:
    """A working folder kimsite keeps beside the output while it builds (see _ROLES)."""
    return output_dir.parent / f".{output_dir.name}.kimsite-{role}"


def stage(staging: Path, rel_path: str, data: bytes) -> str:
    """Write one output file into the staging folder (safe to call from worker processes);
    returns the file's line as the output check compares it (kimsite.write.output_lines), so
    that a full build need not walk its new output to describe it."""
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
        return line(os.fstat(handle))
    finally:
        os.close(handle)


def same_as_published(output_dir: str, rel_path: str, data: bytes) -> bool:
    """Whether the published file at `rel_path` holds exactly `data` (an incremental build then
    leaves it alone). Compared with the file itself, so that no build has to hash all it writes
    for the next one: a full build writes every file anyway. A link, a folder or anything that
    cannot be read is not the same (nor is a pipe, which is not waited on)."""
    try:
        handle = os.open(os.path.join(output_dir, rel_path), os.O_RDONLY | _CLOEXEC | _NOFOLLOW | _NONBLOCK)
    except OSError:
        return False
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        found = bytearray()
        while len(found) <= len(data):  # one byte more than expected shows a file that grew
            chunk = os.read(handle, len(data) + 1 - len(found))
            if not chunk:
                break
            found += chunk
        return found == data
    except OSError:
        return False
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


def is_safe_rel(rel: object) -> bool:
    """A plain relative POSIX path: no root, no `..`, no empty or `.` part, no backslash or NUL."""
    if not isinstance(rel, str) or not rel or len(rel) > 4096 or rel[0] == "/" or "\\" in rel or "\0" in rel:
        return False
    return all(part not in ("", ".", "..") for part in rel.split("/"))


class OutputWriter:
    """Stages a build and commits it to `output_dir`; `full` chooses the strategy."""

    def __init__(self, output_dir: Path, state_dir: Path, full: bool):
        self.output_dir = output_dir
        self.state_dir = state_dir
        self.full = full
        self.staging = sibling(output_dir, "new" if full else "stage")
        remove_tree(self.staging)
        self.staging.mkdir(parents=True)
        if full:
            try:
                (self.staging / MARKER).mkdir()
            except OSError:
                remove_tree(self.staging)
                raise
        _made_folders.clear()
        self.removed: list[str] = []
        self.moved: list[str] = []  # what an incremental commit put in place (files, relative)
        self.committing = False  # between the commit point and the last move: only `recover` may clean up

    def remove(self, rel_path: str) -> bool:
        """Delete an output that no longer exists in the model (incremental builds). False for a
        path kimsite never writes (from a tampered manifest): it is left alone."""
        if not is_safe_rel(rel_path):
            return False
        self.removed.append(rel_path)
        return True

    def abort(self) -> None:
        if self.committing:  # interrupted while moving: the journal, staging and undo folders finish it
            return
        remove_tree(self.staging)
        remove_tree(sibling(self.output_dir, "undo"))

    def commit(self) -> None:
        if self.full:
            self._swap_folders()
        else:
            self._apply_changes()

    def _swap_folders(self) -> None:
        old = sibling(self.output_dir, "old")
        remove_tree(old)
        if os.path.lexists(self.output_dir):
            if _exchange(self.staging, self.output_dir):
                os.replace(self.staging, old)
            else:
                os.replace(self.output_dir, old)
                try:
                    os.replace(self.staging, self.output_dir)
                except OSError:
                    os.replace(old, self.output_dir)  # the previous output goes back in place
                    raise
            # The previous output is deleted by a process of its own (kimsite.write.trash):
            # a whole site takes seconds to delete, and the build is done.
            discard(old, self.output_dir)
        else:
            self.output_dir.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.staging, self.output_dir)

    def _apply_changes(self) -> None:
        moves = []
        for folder, _dirs, files in os.walk(self.staging):
            for name in files:
                full = Path(folder) / name
                moves.append(full.relative_to(self.staging).as_posix())
        self.moved = moves
        if not moves and not self.removed:
            self.abort()
            return
        journal = {"version": JOURNAL_VERSION, "output": str(self.output_dir),
                   "moves": sorted(moves), "removals": sorted(self.removed)}
        temporary = self.state_dir / JOURNAL_WRITING
        import json  # (json and ctypes are loaded where used: a no-change build uses neither)

        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(journal, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.state_dir / JOURNAL)  # the commit point
        self.committing = True
        failure = _Changes(self.output_dir, journal["moves"], journal["removals"]).apply()
        self._finish()
        if failure is not None:
            raise failure

    def _finish(self) -> None:
        (self.state_dir / JOURNAL).unlink(missing_ok=True)
        self.committing = False
        self.abort()


def recover(output_dir: Path, state_dir: Path) -> str | None:
    """Finish or discard what a killed build left behind. Returns None when there was nothing to
    do, "recovered" when something was repaired, "journal_invalid" when a journal was discarded
    unread because it did not pass the checks."""
    outcome = None
    journal_path = state_dir / JOURNAL
    if os.path.lexists(journal_path):
        journal = _read_journal(journal_path)
        if journal is None:
            outcome = "journal_invalid"
        else:
            target, moves, removals = journal
            _Changes(target, moves, removals).apply()
            for role in _ROLES:
                remove_tree(sibling(target, role))
            outcome = "recovered"
        remove_tree(journal_path)
    for role in _ROLES:
        leftover = sibling(output_dir, role)
        if os.path.lexists(leftover):
            remove_tree(leftover)
            outcome = outcome or "recovered"
    remove_tree(state_dir / JOURNAL_WRITING)
    sweep(output_dir)  # trash a killed deleter left
    return outcome


def _read_journal(path: Path) -> tuple[Path, list[str], list[str]] | None:
    """(output folder, moves, removals) of a journal that passes every check, else None."""
    import json

    try:
        if not stat.S_ISREG(os.lstat(path).st_mode) or os.lstat(path).st_size > 64 * 1024 * 1024:
            return None
        journal = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
        return None
    if not isinstance(journal, dict) or not {"output", "moves", "removals"} <= journal.keys() \
            or not journal.keys() <= {"version", "output", "staging", "moves", "removals"}:
        return None
    if journal.get("version", 1) not in (1, JOURNAL_VERSION):
        return None
    written = journal["output"]
    moves, removals = journal["moves"], journal["removals"]
    if not isinstance(written, str) or not isinstance(moves, list) or not isinstance(removals, list):
        return None
    target = Path(written)
    # The output this build writes or another one: either way a folder kimsite demonstrably made.
    if not target.is_absolute() or not _is_own_output(target):
        return None
    if "staging" in journal and journal["staging"] != str(sibling(target, "stage")):
        return None
    if not all(is_safe_rel(rel) for rel in moves) or not all(is_safe_rel(rel) for rel in removals):
        return None
    return target, moves, removals


def _is_own_output(folder: Path) -> bool:
    """A real folder (not a link) holding kimsite's marker folder, whose parents are no links."""
    try:
        if folder.resolve() != folder:
            return False
        return stat.S_ISDIR(os.lstat(folder).st_mode) and stat.S_ISDIR(os.lstat(folder / MARKER).st_mode)
    except OSError:
        return False


def _force_full_build(output_dir: Path) -> None:
    """After a commit that could be neither finished nor undone, make the next build a full one:
    a new marker changes the output's identity (see freshness.look_at_output)."""
    try:
        marker = output_dir / MARKER
        if stat.S_ISDIR(os.lstat(marker).st_mode):
            os.rmdir(marker)
        os.mkdir(marker)
    except OSError:
        pass


# Where the system can (Linux, macOS), folders are opened and files moved relative to open
# folders, so that no link can be swapped in along the way; elsewhere each step checks paths.
# (os.replace takes the same folder descriptors as os.rename: both are renameat.)
_FD_MODE = {os.open, os.rename, os.stat, os.mkdir, os.unlink, os.rmdir} <= os.supports_dir_fd \
    and hasattr(os, "O_DIRECTORY") and hasattr(os, "O_NOFOLLOW")
Handle = int | str  # an open folder (descriptor) or, without descriptors, its path


def _at(folder: Handle, name: str) -> tuple[str, dict]:
    """Arguments naming `name` inside `folder` for an os function that takes dir_fd."""
    return (name, {"dir_fd": folder}) if isinstance(folder, int) else (os.path.join(folder, name), {})


class _Tree:
    """A folder whose sub-folders are reached without following links. When making folders, a
    link found where a folder belongs is replaced by a real folder (never followed)."""

    MAX_OPEN = 256

    def __init__(self, root: Path, create: bool = False):
        if create:
            os.makedirs(root, exist_ok=True)
        self.path = root
        if _FD_MODE:
            self.root: Handle = os.open(root, FOLDER_FLAGS)
        elif stat.S_ISDIR(os.lstat(root).st_mode):
            self.root = str(root)
        else:
            raise OSError(errno.ENOTDIR, "not a folder (or a link)", str(root))
        self.opened: dict[str, Handle] = {}

    def folder(self, rel: str, create: bool) -> Handle | None:
        """Folder `rel` ("" for the root), or None when it is not there."""
        if not rel:
            return self.root
        found = self.opened.get(rel)
        if found is not None:
            return found
        parent_rel, _, name = rel.rpartition("/")
        parent = self.folder(parent_rel, create)
        if parent is None:
            return None
        opened = self._open(parent, name, create)
        if opened is not None:
            if len(self.opened) >= self.MAX_OPEN:
                self._close_folders()
            self.opened[rel] = opened
        return opened

    def _open(self, parent: Handle, name: str, create: bool) -> Handle | None:
        path, where = _at(parent, name)
        try:
            mode = os.stat(path, follow_symlinks=False, **where).st_mode
        except FileNotFoundError:
            mode = None
        if mode is not None and not stat.S_ISDIR(mode):
            if not create:
                return None  # a link or a file where a folder belongs: nothing of ours inside
            if not stat.S_ISLNK(mode):
                raise OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
            os.unlink(path, **where)  # someone's link inside the output: replaced, not followed
            mode = None
        if mode is None:
            if not create:
                return None
            os.mkdir(path, 0o777, **where)
        return os.open(path, FOLDER_FLAGS, **where) if _FD_MODE else path

    def has(self, rel: str) -> bool:
        folder, _, name = rel.rpartition("/")
        handle = self.folder(folder, create=False)
        if handle is None:
            return False
        path, where = _at(handle, name)
        try:
            os.stat(path, follow_symlinks=False, **where)
            return True
        except FileNotFoundError:
            return False

    def prune_empty(self, rel: str) -> None:
        """Remove the folders of `rel` that became empty, deepest first (never the root)."""
        folder = rel.rpartition("/")[0]
        while folder:
            parent_rel, _, name = folder.rpartition("/")
            handle = self.folder(parent_rel, create=False)
            if handle is None:
                return
            self._forget(folder)
            path, where = _at(handle, name)
            try:
                os.rmdir(path, **where)
            except OSError:
                return
            folder = parent_rel

    def _forget(self, rel: str) -> None:
        for key in [k for k in self.opened if k == rel or k.startswith(rel + "/")]:
            _close(self.opened.pop(key))

    def _close_folders(self) -> None:
        for handle in self.opened.values():
            _close(handle)
        self.opened.clear()

    def close(self) -> None:
        self._close_folders()
        _close(self.root)


def _close(handle: Handle) -> None:
    if isinstance(handle, int):
        os.close(handle)


def _move(source: _Tree, target: _Tree, rel: str) -> None:
    folder, _, name = rel.rpartition("/")
    try:
        from_path, from_where = _at(source.folder(folder, create=False), name)
        to_path, to_where = _at(target.folder(folder, create=True), name)
        os.replace(from_path, to_path, src_dir_fd=from_where.get("dir_fd"), dst_dir_fd=to_where.get("dir_fd"))
    except OSError as exc:  # name the whole path: the call saw only a name inside a folder
        raise OSError(exc.errno, exc.strerror, str(target.path / rel)) from exc


def _unlink(tree: _Tree, rel: str) -> None:
    folder, _, name = rel.rpartition("/")
    try:
        path, where = _at(tree.folder(folder, create=False), name)
        os.unlink(path, **where)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(tree.path / rel)) from exc


class _Changes:
    """The moves and removals of one journal, applied (or undone) on the output folder."""

    def __init__(self, output_dir: Path, moves: list[str], removals: list[str]):
        self.output_dir = output_dir
        self.moves, self.removals = moves, removals

    def _trees(self) -> tuple[_Tree, _Tree | None, _Tree]:
        staging = sibling(self.output_dir, "stage")
        return (_Tree(self.output_dir),
                _Tree(staging) if os.path.isdir(staging) and not os.path.islink(staging) else None,
                _Tree(sibling(self.output_dir, "undo"), create=True))

    def apply(self) -> OSError | None:
        """Roll forward; when that fails, roll back (when even that fails, make the next build a
        full one) and return the failure."""
        try:
            self.roll_forward()
            return None
        except OSError as failure:
            try:
                self.roll_back()
            except OSError:
                _force_full_build(self.output_dir)
            return failure

    def roll_forward(self) -> None:
        """Apply the journal; safe to repeat after a kill (what was done is skipped)."""
        output, staging, undo = self._trees()
        try:
            for rel in self.moves:
                if staging is None or not staging.has(rel):
                    continue  # moved already
                if output.has(rel) and not undo.has(rel):
                    _move(output, undo, rel)
                _move(staging, output, rel)
            for rel in self.removals:
                if not output.has(rel):
                    continue
                if undo.has(rel):
                    _unlink(output, rel)
                else:
                    _move(output, undo, rel)
                output.prune_empty(rel)
        finally:
            for tree in (output, staging, undo):
                if tree is not None:
                    tree.close()

    def roll_back(self) -> None:
        """Put back every replaced or removed file and take away every new one."""
        output, staging, undo = self._trees()
        try:
            for rel in self.removals:
                if undo.has(rel):
                    _move(undo, output, rel)
            for rel in reversed(self.moves):
                if undo.has(rel):
                    _move(undo, output, rel)
                elif (staging is None or not staging.has(rel)) and output.has(rel):
                    _unlink(output, rel)
                    output.prune_empty(rel)
        finally:
            for tree in (output, staging, undo):
                if tree is not None:
                    tree.close()


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step (Linux); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return result == 0
