"""Finding and reading the workspace's source files: the only module that reads content/.

Discovery is one walk that records each file's size and modification time, so
the cache can tell unchanged files without reading them.
"""

from __future__ import annotations

import os
import stat as stat_module
from dataclasses import dataclass, field
from pathlib import Path
from operator import itemgetter
from typing import NamedTuple

from kimsite.base.file_rules import link_target, refusal
from kimsite.base.foreign import HUGO_SECTION_PAGES, is_markdown, name_problem
from kimsite.base.problems import Problem, error, warning

PAGES_FOLDER = "halaman"
MEDIA_FOLDER = "media"


class Entry(NamedTuple):
    """One file found by the scan (a tuple: a workspace holds tens of thousands)."""

    path: str  # workspace-relative POSIX path
    site: str  # KIM slug ("" for files outside content/)
    rel: str  # path inside the KIM folder
    file_role: str  # "article", "page" or "file" (a media file or another file of the KIM); "site" for sites/*.yaml
    mtime_ns: int
    size: int


_by_path = itemgetter(0)  # Entry.path, as a sort key that runs no Python code


@dataclass
class WorkspaceScan:
    site_files: list[Entry] = field(default_factory=list)  # sites/*.yaml
    content: dict[str, list[Entry]] = field(default_factory=dict)  # KIM slug -> its files
    problems: list[Problem] = field(default_factory=list)
    kim_problems: dict[str, list[Problem]] = field(default_factory=dict)  # those found in a KIM's folder
    # (workspace-relative path, modification time) of each folder listed, taken before it was
    # listed: what a later look compares to know that no file was added, removed or renamed
    # (see kimsite.write.up_to_date). NOT_A_FOLDER where a link or anything else stood.
    folders: list[tuple[str, int]] = field(default_factory=list)  # sites/ and content/
    kim_folders: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # a KIM's own


NOT_A_FOLDER = -1


def _folder_time(path: str) -> int:
    """The modification time of the folder at `path` (not followed when a link), NOT_A_FOLDER
    for anything else or nothing."""
    try:
        info = os.lstat(path)
    except OSError:
        return NOT_A_FOLDER
    return info.st_mtime_ns if stat_module.S_ISDIR(info.st_mode) else NOT_A_FOLDER


_IGNORED_STARTS = (".", "#", "~")


def is_ignored(name: str) -> bool:
    """Hidden files and editors' temporary files are never sources."""
    return (name.startswith(_IGNORED_STARTS) or name.endswith(("~", ".swp", ".swx", ".tmp", ".part", ".crdownload"))
            or name in ("Thumbs.db", "desktop.ini", "4913"))


def scan(root: Path, previous: WorkspaceScan | None = None, changed_kims: set[str] | None = None) -> WorkspaceScan:
    """Every source of the workspace with its size and time. With `previous` (the scan of the
    last build of the same process) and `changed_kims` (the KIM folders where anything was
    created, changed, moved or deleted since, as a watcher reports them), only those KIM
    folders, and any not in `previous`, are walked again; sites/ and the list of KIM folders
    are always read anew."""
    result = WorkspaceScan()
    root = root.resolve()
    sites_dir = root / "sites"
    if sites_dir.is_dir():
        result.folders.append(("sites", _folder_time(str(sites_dir))))
        for item in sorted(os.scandir(sites_dir), key=lambda e: e.name):
            if item.name.endswith((".yaml", ".yml")) and not is_ignored(item.name):
                info = _stat(item, root, result.problems, f"sites/{item.name}")
                if info is not None:
                    result.site_files.append(Entry(f"sites/{item.name}", item.name.rsplit(".", 1)[0],
                                                   item.name, "site", *info))
    content_dir = root / "content"
    if content_dir.is_dir():
        # Where each KIM folder really is (links inside it may point only there): resolved
        # once, as KIM folders that are not links are where content/ really is.
        real_content = content_dir.resolve()
        result.folders.append(("content", _folder_time(str(content_dir))))
        for item in sorted(os.scandir(content_dir), key=lambda e: e.name):
            if item.is_dir(follow_symlinks=False) and not is_ignored(item.name):
                slug = item.name
                if (previous is not None and changed_kims is not None and slug not in changed_kims
                        and slug in previous.content):
                    entries, found = previous.content[slug], previous.kim_problems.get(slug, [])
                    folders = previous.kim_folders.get(slug, [])
                else:
                    entries, found, folders = [], [], []
                    _walk(Path(item.path), real_content / slug, slug, "", entries, found, folders)
                    entries.sort(key=_by_path)
                result.content[slug] = entries
                result.kim_folders[slug] = folders
                result.kim_problems[slug] = found
                result.problems.extend(found)
            elif item.is_symlink() and item.is_dir() and not is_ignored(item.name):
                result.problems.append(warning(f"content/{item.name}", None, "symlink_folder"))
    return result


def _walk(folder: Path, kim_root: Path, site: str, prefix: str, out: list[Entry], problems: list[Problem],
          folders: list[tuple[str, int]]) -> None:
    """Files of one KIM folder. Dotfiles and dot-folders are skipped; symbolic links are
    followed only to files inside the KIM's own folder (`kim_root`, resolved); files a
    browser would run as script are reported as errors and left out."""
    # The inner loop of every build (a no-change build too): one pass per file, no Path objects,
    # and for the usual file (an article or page named `*.md`, not a link) no function of ours.
    folders.append((f"content/{site}/{prefix}".rstrip("/"), _folder_time(str(folder))))
    try:
        with os.scandir(folder) as listing:
            items = list(listing)
    except OSError:
        return
    in_media = prefix.startswith(MEDIA_FOLDER + "/")
    pages_level = prefix == PAGES_FOLDER + "/"
    markdown_role = "file" if in_media else "page" if pages_level else "article"
    folder_path = f"content/{site}/{prefix}"
    make_entry = tuple.__new__  # Entry(...) without the Python-level __new__ of a NamedTuple
    for item in items:
        name = item.name
        if (name.endswith(".md") and not name.startswith(_IGNORED_STARTS)
                and item.is_file(follow_symlinks=False)
                and (in_media or name.lower() not in HUGO_SECTION_PAGES)):
            # A plain file, not ignored (no ignored name ends in ".md"), Markdown by its name.
            try:
                stat = item.stat()
            except OSError:
                continue  # gone since the folder was listed
            out.append(make_entry(Entry, (folder_path + name, site, prefix + name, markdown_role,
                                          stat.st_mtime_ns, stat.st_size)))
            continue
        if is_ignored(name):
            continue
        rel = prefix + name
        path = folder_path + name
        if item.is_dir(follow_symlinks=False):
            _walk(Path(item.path), kim_root, site, rel + "/", out, problems, folders)
            continue
        if item.is_symlink():
            info = _stat(item, kim_root, problems, path, f"content/{site}/")
            if info is None:
                continue
            mtime_ns, size = info
        else:
            try:
                stat = item.stat()
            except OSError:
                continue  # gone since the folder was listed
            if not item.is_file():
                continue
            mtime_ns, size = stat.st_mtime_ns, stat.st_size
        if is_markdown(name) and (in_media or name.lower() not in HUGO_SECTION_PAGES):  # most files
            role = markdown_role
        else:
            near_miss = None if in_media else name_problem(name)
            if near_miss is not None:
                code, args = near_miss
                problems.append(warning(path, None, code, **args))
                continue
            refused = refusal(name)
            if refused is not None:
                code, args = refused
                problems.append(error(path, None, code, **args))
                continue
            role = "file"
        out.append(Entry(path, site, rel, role, mtime_ns, size))


def _stat(item: os.DirEntry, root: Path, problems: list[Problem], path: str,
          folder: str = "") -> tuple[int, int] | None:
    """(mtime_ns, size) of a regular file; symlinks only to files inside `root` (resolved; shown
    to the user as `folder`, "" for the workspace). A link to a folder is never followed."""
    try:
        if item.is_symlink():
            target, inside = link_target(Path(item.path), root)
            if not inside:
                problems.append(warning(path, None, "symlink_outside", target=str(target), folder=folder or "./"))
                return None
            if target.is_dir():
                problems.append(warning(path, None, "symlink_folder"))
                return None
        stat = item.stat()
    except (OSError, RuntimeError):
        problems.append(warning(path, None, "symlink_loop"))
        return None
    if not item.is_file():
        return None
    return stat.st_mtime_ns, stat.st_size


def read(root: Path, entry: Entry) -> bytes:
    return (root / entry.path).read_bytes()


def read_path(path: str) -> bytes:
    """Bytes of a file the model refers to by absolute path (media copied to the output)."""
    with open(path, "rb", buffering=0) as handle:  # unbuffered: half the time of Path.read_bytes
        return handle.readall()


def prefetch(paths: list[str]) -> None:
    """Ask the kernel to start reading `paths` now (POSIX_FADV_WILLNEED), all at once, so that
    reading them one after another does not wait for the disk each time: sources that are not
    in the page cache (a runner's fresh disk, files pushed out by other work) took 0.74 s to read
    one by one at 10,000 articles, and 0.07 s once asked for together. Only a hint: a file that
    cannot be opened is left for the read that follows to report."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:  # not on every system (macOS)
        return
    for path in paths:
        try:
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            advise(descriptor, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(descriptor)

