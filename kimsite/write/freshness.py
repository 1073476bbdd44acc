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
from typing import TYPE_CHECKING

from kimsite.workspace import themes
from kimsite.outputs.tokens import code_fingerprint
from kimsite.workspace.output_guard import MARKER
from kimsite.write.output_size import OutputSize

if TYPE_CHECKING:
    from kimsite.model.assemble import PublishOptions
    from kimsite.workspace.options import BuildOptions, Workspace
    from kimsite.model.model import Document


def output_identity(output_dir: Path) -> tuple | None:
    """Identifies the output folder as kimsite left it: a replaced or deleted folder differs,
    and so does one where any file or folder was added, deleted, replaced or changed in place,
    however deep (by name, kind, size, time and inode: one lstat per entry, no reading). None
    when it is not a folder kimsite made (no marker, or a link)."""
    return output_identity_and_size(output_dir)[0]


def output_identity_and_size(output_dir: Path) -> tuple[tuple | None, OutputSize | None]:
    """output_identity, and the output's size as its host counts it (kimsite.write.output_size),
    from the same walk: after a build both are wanted, and a large output is slow to walk."""
    try:
        info = os.lstat(output_dir)
        marker = os.lstat(output_dir / MARKER)
        if not stat.S_ISDIR(info.st_mode) or not stat.S_ISDIR(marker.st_mode):
            return None, None
        tree, size = _tree_digest(str(output_dir))
    except OSError:
        return None, None
    return (info.st_dev, info.st_ino, info.st_mtime_ns, marker.st_ino, tree), size


def _tree_digest(top: str) -> tuple[str, OutputSize]:
    """A digest of every entry below `top` (links are not followed), and the bytes and files
    below it."""
    hasher = hashlib.blake2b(digest_size=16)
    total = files = 0
    pending = [top]
    while pending:
        folder = pending.pop()
        lines = []
        with os.scandir(folder) as found:
            for entry in found:
                if entry.is_dir(follow_symlinks=False):  # its entries are listed in turn: no stat needed
                    lines.append(f"{entry.name}/{entry.inode()}")
                    pending.append(entry.path)
                    continue
                info = entry.stat(follow_symlinks=False)
                total += info.st_size
                files += 1
                # the kind of entry, not its permission bits: a read-only output is still this output
                lines.append(f"{entry.name}\0{stat.S_IFMT(info.st_mode)}\0{info.st_size}\0{info.st_mtime_ns}"
                             f"\0{info.st_ino}")
        lines.sort()
        hasher.update(f"{folder[len(top):]}\n{chr(10).join(lines)}\n\n".encode("utf-8", "surrogateescape"))
    return hasher.hexdigest(), OutputSize(total, files)


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


def next_change(documents: dict[str, list[Document]], publish: PublishOptions) -> float:
    """When time alone will change the output: the next future article becoming due."""
    upcoming = [doc.date.timestamp() for docs in documents.values() for doc in docs
                if doc.date is not None and doc.date > publish.now]
    horizon = publish.now.timestamp() + 3600 * 24  # daily: activity windows move with the date
    return min([*upcoming, horizon]) if not publish.future else horizon
