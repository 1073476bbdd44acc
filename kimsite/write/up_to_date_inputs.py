"""The inputs a build's stamp names (see kimsite.write.up_to_date), taken as the build begins.

Every record is one line: `f` NUL path NUL size NUL time for a regular file, `d` NUL path NUL
time for a folder, `a` NUL path for a path where nothing stands. Paths inside the workspace are
relative to it; kimsite's own files are absolute. The scan's own looks are used for the sources
and the folders it listed (taken before anything was read); the rest is looked at here, before
the build reads it. Folders and absent paths come first, then files, the most recently changed
first: an edit is most often of what was edited last, and the look stops at the first change.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kimsite.workspace.sources import NOT_A_FOLDER, WorkspaceScan
from kimsite.write.up_to_date import ABSENT, FILE, FOLDER

# Folders of the workspace read whole when they are there (the editor's settings, a portal's
# stored remote feeds, the workspace's themes): every entry in them is named.
_READ_WHOLE = ("admin", "feeds", "themes")
_CODE_SKIPPED = "__pycache__"  # written by Python itself, read by no build


class _NotStampable(Exception):
    """Something a stamp cannot describe (a link, a name with a line break): no stamp."""


def collect(root: Path, scan: WorkspaceScan, theme_folders: list[Path]) -> list[str] | None:
    """The records of every input of a build of the workspace at `root` (resolved) whose scan
    is `scan`; `theme_folders`: the theme folders in use (the built-in theme's among them).
    None when any input cannot be described."""
    folders: list[str] = []
    files: list[tuple[int, str]] = []
    try:
        for name, mtime_ns in scan.folders:
            folders.append(_folder(name, mtime_ns))
        for name in ("sites", "content"):
            if name not in {folder for folder, _ in scan.folders}:
                _absent_or_fail(root, name, folders)
        for entry in scan.site_files:
            files.append((entry.mtime_ns, f"{FILE}\0{entry.path}\0{entry.size}\0{entry.mtime_ns}"))
        for slug, entries in scan.content.items():
            folders.extend(_folder(name, mtime_ns) for name, mtime_ns in scan.kim_folders.get(slug, ()))
            if slug not in scan.kim_folders:
                raise _NotStampable(slug)
            files.extend((entry.mtime_ns, f"{FILE}\0{entry.path}\0{entry.size}\0{entry.mtime_ns}")
                         for entry in entries)
        _file(root, "kimsite.yaml", files)
        if "sites" in {folder for folder, _ in scan.folders}:
            with os.scandir(root / "sites") as listing:
                for item in listing:
                    if item.name.endswith(".opml"):
                        _file(root, f"sites/{item.name}", files)
        for name in _READ_WHOLE:
            if not _absent(root, name, folders):
                _whole(root, name, folders, files)
        code = Path(__file__).resolve().parents[1]  # the kimsite package
        _whole(Path("/"), str(code).lstrip("/"), folders, files, absolute=True)
        for folder in theme_folders:
            folder = folder.resolve()
            if not folder.is_relative_to(code) and not folder.is_relative_to(root):
                _whole(Path("/"), str(folder).lstrip("/"), folders, files, absolute=True)
    except (_NotStampable, OSError):
        return None
    files.sort(key=lambda pair: pair[0], reverse=True)
    records = folders + [record for _, record in files]
    if any("\n" in record for record in records):
        return None
    return records


def _folder(name: str, mtime_ns: int) -> str:
    if mtime_ns == NOT_A_FOLDER:
        raise _NotStampable(name)
    return f"{FOLDER}\0{name}\0{mtime_ns}"


def _absent(root: Path, name: str, folders: list[str]) -> bool:
    """Records `name` as absent when nothing stands there (True); False for a folder; a link or
    anything else cannot be stamped."""
    try:
        mode = os.lstat(root / name).st_mode
    except FileNotFoundError:
        folders.append(f"{ABSENT}\0{name}")
        return True
    if not stat.S_ISDIR(mode):
        raise _NotStampable(name)
    return False


def _absent_or_fail(root: Path, name: str, folders: list[str]) -> None:
    if not _absent(root, name, folders):
        raise _NotStampable(name)  # a folder the scan did not list


def _file(root: Path, name: str, files: list[tuple[int, str]]) -> None:
    info = os.lstat(root / name)
    if not stat.S_ISREG(info.st_mode):
        raise _NotStampable(name)
    files.append((info.st_mtime_ns, f"{FILE}\0{name}\0{info.st_size}\0{info.st_mtime_ns}"))


def _whole(root: Path, name: str, folders: list[str], files: list[tuple[int, str]],
           absolute: bool = False) -> None:
    """Every entry of the folder `root/name`, itself included: folders by time, files by size
    and time (anything else, a link among them, cannot be stamped)."""
    shown = f"/{name}" if absolute else name
    info = os.lstat(root / name)
    if not stat.S_ISDIR(info.st_mode):
        raise _NotStampable(shown)
    folders.append(f"{FOLDER}\0{shown}\0{info.st_mtime_ns}")  # taken before the listing
    with os.scandir(root / name) as listing:
        items = list(listing)
    for item in items:
        if absolute and item.name == _CODE_SKIPPED:
            continue
        child = f"{name}/{item.name}"
        if item.is_dir(follow_symlinks=False):
            _whole(root, child, folders, files, absolute)
        elif item.is_file(follow_symlinks=False):
            info = item.stat(follow_symlinks=False)
            files.append((info.st_mtime_ns, f"{FILE}\0{'/' if absolute else ''}{child}\0{info.st_size}\0"
                                            f"{info.st_mtime_ns}"))
        else:
            raise _NotStampable(f"{shown}/{item.name}")
