"""Themes: where templates and static files come from, and their fingerprint.

Lookup is an ordered chain: the workspace's `themes/<name>/` first, then the
built-in `default` theme shipped inside the package. A workspace template can
extend the built-in one explicitly with `{% extends "default/base.html" %}`.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

BUILTIN = "default"


@lru_cache(maxsize=1)
def builtin_themes_dir() -> Path:
    """Installed wheels carry the themes inside the package; a source checkout has them at the top."""
    packaged = Path(__file__).parent / "themes"
    if (packaged / BUILTIN / "templates").is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "themes"


def theme_chain(workspace_root: Path, name: str) -> list[Path]:
    """Theme folders to search, most specific first (duplicates removed)."""
    chain: list[Path] = []
    own = workspace_root / "themes" / name
    if own.is_dir():
        chain.append(own)
    if name != BUILTIN:
        own_default = workspace_root / "themes" / BUILTIN
        if own_default.is_dir():
            chain.append(own_default)
    chain.append(builtin_themes_dir() / BUILTIN)
    unique: list[Path] = []
    for folder in chain:
        if folder.resolve() not in [u.resolve() for u in unique]:
            unique.append(folder)
    return unique


def theme_exists(workspace_root: Path, name: str) -> bool:
    return name == BUILTIN or (workspace_root / "themes" / name).is_dir()


def template_folders(chain: list[Path]) -> list[Path]:
    return [folder / "templates" for folder in chain if (folder / "templates").is_dir()]


def static_files(chain: list[Path]) -> dict[str, Path]:
    """Static file name (relative to static/) -> the file that wins in the chain."""
    files: dict[str, Path] = {}
    for folder in reversed(chain):
        static = folder / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files[path.relative_to(static).as_posix()] = path
    return files


def fingerprint(chain: list[Path]) -> str:
    """Changes whenever any template or static file of the chain changes."""
    hasher = hashlib.blake2b(digest_size=12)
    for folder in chain:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                hasher.update(path.relative_to(folder).as_posix().encode() + b"\0")
                hasher.update(path.read_bytes())
    return hasher.hexdigest()


def stat_signature(chain: list[Path]) -> tuple:
    """A cheap stand-in for `fingerprint`: sizes and modification times only."""
    entries = []
    for folder in chain:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = path.stat()
                entries.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(entries)
