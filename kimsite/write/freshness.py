"""Deciding whether a build has anything to do, before reading any source.

A no-change build (the common case in `serve` and CI) compares a key made of the
sizes and modification times of every input, every option and kimsite's own
code with the key stored by the last build; it also checks that the output
folder is the one that build wrote, and that no future article has come due.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from kimsite.workspace import themes
from kimsite.outputs.tokens import code_fingerprint
from kimsite.workspace.folder_names import MARKER
from kimsite.write.output_lines import entry_names, head_of, identity_digest, line, size_of

if TYPE_CHECKING:
    from kimsite.write.output_size import OutputSize  # (loaded by the builds that measure the output)
    from kimsite.model.assemble import PublishOptions
    from kimsite.workspace.options import BuildOptions, Workspace


class OutputLook:
    """What was seen of the output folder: the folder itself (`head`) and a line for each entry
    below it, by its path, in the remembered order (the line leaves out the path). Its
    identity is what the next build compares, its entries what it looks at again; an
    incremental build describes its output afterwards by looking again only at what it changed.

    A look taken in another process (kimsite.write.look_ahead) arrives with its identity and
    entries, and makes its lines only when they are asked for: a no-change build never does."""

    def __init__(self, head: tuple, lines: dict[str, str] | None = None, *,
                 make_lines: Callable[[], dict[str, str]] | None = None,
                 identity: tuple | None = None, entries: str | None = None):
        self.head = head
        self._lines = lines
        self._make_lines = make_lines
        self._identity = identity
        self._entries = entries

    @property
    def lines(self) -> dict[str, str]:
        if self._lines is None:
            assert self._make_lines is not None
            self._lines, self._make_lines = self._make_lines(), None
        return self._lines

    @property
    def identity(self) -> tuple:
        if self._identity is None:
            self._identity = (*self.head, identity_digest(self.entries, "".join(self.lines.values())))
        return self._identity

    @property
    def entries(self) -> str:
        if self._entries is None:
            self._entries = "\0".join(self.lines)  # NUL-separated: no file name holds one
        return self._entries


def look_at_output(output_dir: Path, entries: str | None) -> OutputLook | None:
    """The output folder as kimsite left it: a replaced or deleted folder differs, and so does
    one where any file or folder was added, deleted, replaced or changed in place, however
    deep. `entries` is what the last build's walk listed: each is looked at again (one lstat,
    no listing and no reading), and a folder's time changes when anything is added to it,
    removed from it or renamed in it. None when it is not a folder kimsite made (no marker, or
    a link), or when `entries` is not a list kimsite made."""
    names = entry_names(entries)
    if names is None:
        return None
    try:
        head = _head(output_dir)
        if head is None:
            return None
        return OutputLook(head, dict(zip(names, _look_again(str(output_dir), names))))
    except OSError:
        return None


def walk_output(output_dir: Path) -> tuple[OutputLook | None, OutputSize | None]:
    """What one walk of the whole output sees, and the output's size."""
    try:
        head = _head(output_dir)
        if head is None:
            return None, None
        lines, size = _walk(str(output_dir))
    except OSError:
        return None, None
    return OutputLook(head, lines), size


def look_after_full_build(output_dir: Path, written: dict[str, str]) -> tuple[OutputLook | None, OutputSize | None]:
    """After a full build, what one walk of its output would see, without walking it: the
    build put in place a folder it made empty (under the workspace lock) and wrote into it
    only its marker and the files `written` (path -> the line each had once written, see
    kimsite.write.writer.stage). Every folder above them is looked at again (its time changed
    as files were added); the files' lines are taken as written, after a sample of them is
    looked at again. (None, None) when the sample differs (a file system whose times settle
    after a file is closed) or the output cannot be looked at: the caller then walks it."""
    top = str(output_dir)
    folders: dict[str, None] = {MARKER: None}
    for rel in written:
        folder = rel.rpartition("/")[0]
        while folder and folder not in folders:  # an ancestor of a folder seen is seen too
            folders[folder] = None
            folder = folder.rpartition("/")[0]
    names = list(written)
    try:
        head = _head(output_dir)
        if head is None:
            return None, None
        for name in names[::max(1, len(names) // _SAMPLED_FILES)]:
            if line(os.lstat(f"{top}/{name}")) != written[name]:
                return None, None
        lines = dict(zip(folders, _look_again(top, list(folders))))
    except OSError:
        return None, None
    lines.update(written)
    from kimsite.write.output_size import OutputSize

    total = sum(size_of(entry) for entry in written.values())
    return OutputLook(head, lines), OutputSize(total, len(written))


_SAMPLED_FILES = 64  # files looked at again after a full build (about)


def head_unchanged(output_dir: Path, seen: OutputLook) -> bool:
    """Whether the output folder is still the one `seen` was taken of (the folder itself, its
    own time and its marker), without looking at anything inside."""
    try:
        return _head(output_dir) == seen.head
    except OSError:
        return False


def output_identity_after_changes(output_dir: Path, seen: OutputLook | None, moved: list[str],
                                  removed: list[str]) -> OutputLook | None:
    """After an incremental build, without listing the whole output again: what it is, from what
    the no-change check saw at the start of this build (`seen`), looking again only at what
    this build changed: the files it put in place or removed and every folder above them (made,
    emptied and pruned, or given a new time). None when that cannot be known (then the caller
    walks the output).

    The build holds the workspace lock, so only this build changes the output; a change by
    anything else while it ran leaves a line that no longer matches, and the next build finds
    the output altered (a full build), never the other way round."""
    if seen is None:
        return None
    lines = dict(seen.lines)  # remembered order kept; new entries at the end
    changed: dict[str, None] = {}
    for rel in (*moved, *removed):
        parts = rel.split("/")
        for depth in range(1, len(parts) + 1):
            changed["/".join(parts[:depth])] = None
    top = str(output_dir)
    same_entries = True  # no entry added or removed: the list is the one seen (not joined again)
    try:
        head = _head(output_dir)
        if head is None:
            return None
        for name in changed:
            try:
                found = line(os.lstat(f"{top}/{name}"))
            except (FileNotFoundError, NotADirectoryError):
                same_entries = same_entries and name not in lines
                lines.pop(name, None)  # removed (or its emptied folder pruned) by this build
                continue
            same_entries = same_entries and name in lines
            lines[name] = found
    except OSError:
        return None
    # (Were an entry left whose folder is gone, the next check could not look at it and would
    # find the output altered: a full build, never a missed change.)
    return OutputLook(head, lines, entries=seen.entries if same_entries else None)


def _head(output_dir: Path) -> tuple | None:
    return head_of(os.lstat(output_dir), os.lstat(output_dir / MARKER))


def _look_again(top: str, names: list[str]) -> list[str]:
    """The lines of the entries `names` below `top` (one lstat each); an entry that is gone
    raises FileNotFoundError."""
    return [line(os.lstat(f"{top}/{name}")) for name in names]


def _walk(top: str) -> tuple[dict[str, str], OutputSize]:
    """The line of every entry below `top` (links are not followed) by relative path, and the
    bytes and files below it."""
    lines: dict[str, str] = {}
    total = files = 0
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(f"{top}/{folder}" if folder else top) as found:
            for entry in found:
                name = f"{folder}/{entry.name}" if folder else entry.name
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISDIR(info.st_mode):
                    pending.append(name)
                else:
                    total += info.st_size
                    files += 1
                lines[name] = line(info)
    from kimsite.write.output_size import OutputSize

    return lines, OutputSize(total, files)


def quick_key(workspace: Workspace, options: BuildOptions, sites: dict, chains: dict) -> str:
    """Sizes and times of every input plus every option: equal keys mean nothing to do."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(repr((code_fingerprint(), workspace.config, options.site, options.drafts, options.future,
                        options.strict, options.search, sorted(sites),
                        [themes.stat_signature(chain) for _, chain in sorted(chains.items())])).encode())
    config_file = workspace.root / "kimsite.yaml"
    info = config_file.stat()
    hasher.update(repr((info.st_size, info.st_mtime_ns)).encode())
    for entry in workspace.scan.site_files:
        hasher.update(repr((entry.path, entry.size, entry.mtime_ns)).encode())
    for site, entries in sorted(workspace.scan.content.items()):
        hasher.update("".join([f"{entry.path}\0{entry.size}\0{entry.mtime_ns}\n" for entry in entries]).encode())
    for extra in workspace_extra_inputs(workspace.root):
        hasher.update(extra.encode())
    return hasher.hexdigest()


def workspace_extra_inputs(root: Path) -> list[str]:
    """Inputs beside content/ and the site files that shape the output (a portal's OPML member
    lists, stored remote feeds, the editor's admin/config.yml)."""
    items = []
    editor_config = root / "admin" / "config.yml"
    if editor_config.is_file():
        info = editor_config.stat()
        items.append(f"{editor_config}\0{info.st_size}\0{info.st_mtime_ns}")
    for member_list in sorted((root / "sites").glob("*.opml")):  # a portal's member lists
        try:
            info = member_list.lstat()
        except OSError:
            continue
        items.append(f"{member_list}\0{info.st_size}\0{info.st_mtime_ns}")
    folder = root / "feeds"
    if not folder.is_dir():
        return items
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            info = path.stat()
            items.append(f"{path}\0{info.st_size}\0{info.st_mtime_ns}")
    return items


def valid_until(next_due: float, publish: PublishOptions) -> float:
    """When time alone will change the output: the next future article becoming due
    (`next_due`, see kimsite.model.assemble.publication_counts), at the latest in a day."""
    horizon = publish.now.timestamp() + 3600 * 24  # daily: activity windows move with the date
    return min(next_due, horizon) if not publish.future else horizon
