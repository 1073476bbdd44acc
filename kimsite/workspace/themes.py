"""Themes: where templates and static files come from, and their fingerprint.

Lookup is an ordered chain: the workspace's `themes/<name>/` first, then the
built-in `default` theme shipped inside the package. A workspace template can
extend the built-in one explicitly with `{% extends "default/base.html" %}`.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache
from pathlib import Path

from kimsite.base.file_rules import link_target
from kimsite.base.messages import Part
from kimsite.base.problems import Problem, error, warning

BUILTIN = "default"
_NAME = re.compile(r"^[^./\\:\x00-\x1f][^/\\:\x00-\x1f]{0,99}$")


@lru_cache(maxsize=1)
def builtin_themes_dir() -> Path:
    """Installed wheels carry the themes inside the package; a source checkout has them at the top."""
    packaged = Path(__file__).resolve().parents[1] / "themes"
    if (packaged / BUILTIN / "templates").is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "themes"


def valid_name(name: str) -> bool:
    """A theme is named by one folder of themes/: no path, no drive, no leading dot."""
    return bool(_NAME.match(name)) and ".." not in name


def _usable(folder: Path) -> bool:
    """A workspace theme folder kimsite may read: a real folder (not a link) whose templates
    lead nowhere outside it."""
    return folder.is_dir() and not folder.is_symlink() and not any(
        kind == "template" for _path, kind, _target in _links_leaving(folder))


def theme_chain(workspace_root: Path, name: str) -> list[Path]:
    """Theme folders to search, most specific first (duplicates removed)."""
    chain: list[Path] = []
    if valid_name(name) and name != BUILTIN:
        own = workspace_root / "themes" / name
        if _usable(own):
            chain.append(own)
    own_default = workspace_root / "themes" / BUILTIN
    if _usable(own_default):
        chain.append(own_default)
    chain.append(builtin_themes_dir() / BUILTIN)
    unique: list[Path] = []
    for folder in chain:
        if folder.resolve() not in [u.resolve() for u in unique]:
            unique.append(folder)
    return unique


def theme_exists(workspace_root: Path, name: str) -> bool:
    return name == BUILTIN or (valid_name(name) and _usable(workspace_root / "themes" / name))


def theme_problems(workspace_root: Path, names: set[str]) -> list[Problem]:
    """Warnings for the workspace theme folders in use that kimsite does not (wholly) read:
    a theme folder that is a link, links leading out of a theme folder."""
    problems: list[Problem] = []
    for name in sorted({n for n in names if valid_name(n)} | {BUILTIN}):
        folder = workspace_root / "themes" / name
        shown = f"themes/{name}"
        if folder.is_symlink():
            problems.append(warning(shown, None, "theme_symlink", value=name))
            continue
        for path, kind, target in _links_leaving(folder):
            what = Part("theme_link_template" if kind == "template" else "theme_link_skipped")
            problems.append(warning(f"{shown}/{path}", None, "theme_link_outside", target=target, what=what))
    return problems


def _links_leaving(folder: Path) -> list[tuple[str, str, str]]:
    """Symbolic links inside a theme folder that lead outside it or to a hidden file:
    (path inside the folder, "template" or "static", target)."""
    found: list[tuple[str, str, str]] = []
    if not folder.is_dir() or folder.is_symlink():
        return found
    top = folder.resolve()
    for current, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in dirs + files:
            path = Path(current) / name
            if not path.is_symlink():
                continue
            try:
                target, inside = link_target(path, top)
            except (OSError, RuntimeError):
                target, inside = path, True  # a broken link reads nothing
            if not inside:
                rel = path.relative_to(folder).as_posix()
                found.append((rel, "static" if rel.startswith("static/") else "template", str(target)))
    return found


def template_folders(chain: list[Path]) -> list[Path]:
    return [folder / "templates" for folder in chain if (folder / "templates").is_dir()]


def _files(folder: Path) -> list[Path]:
    """Regular files under `folder`, sorted: no hidden file or folder, no folder reached through
    a link, and no file link leading out of `top` or to a hidden file (see `_links_leaving`)."""
    files: list[Path] = []
    if not folder.is_dir():
        return files
    top = folder.resolve()
    for current, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.startswith("."):
                continue
            path = Path(current) / name
            if path.is_symlink():
                try:
                    if not link_target(path, top)[1]:
                        continue
                except (OSError, RuntimeError):
                    continue
            if path.is_file():
                files.append(path)
    return sorted(files)


def static_files(chain: list[Path]) -> dict[str, Path]:
    """Static file name (relative to static/) -> the file that wins in the chain."""
    files: dict[str, Path] = {}
    for folder in reversed(chain):
        static = folder / "static"
        if static.is_dir() and not static.is_symlink():
            for path in _files(static):
                files[path.relative_to(static).as_posix()] = path
    return files


def fingerprint(chain: list[Path]) -> str:
    """Changes whenever any template or static file of the chain changes."""
    hasher = hashlib.blake2b(digest_size=12)
    for folder in chain:
        for path in _files(folder):
            hasher.update(path.relative_to(folder).as_posix().encode() + b"\0")
            hasher.update(path.read_bytes())
    return hasher.hexdigest()


def stat_signature(chain: list[Path]) -> tuple:
    """A cheap stand-in for `fingerprint`: sizes and modification times only."""
    entries = []
    for folder in chain:
        for path in _files(folder):
            info = path.stat()
            entries.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(entries)


def checked_theme(value: str, file: str, line: int | None, problems: list[Problem]) -> str:
    """A `theme:` setting as written, or "" (with an error naming file and line) when it is not
    the name of one folder of themes/: never a path that could read any other folder."""
    if value and not valid_name(value):
        problems.append(error(file, line, "theme_bad_name", value=value))
        return ""
    return value
