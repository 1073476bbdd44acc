"""The feeds' templates (kimsite.pages.feed_xml, kimsite.pages.feeds) kept in the cache.

A template is made from feedgen's bytes for a probe entry and checked on awkward text before it
is used. A build that rewrites one KIM's feeds made its few templates anew each time: 10 ms,
after 15 ms loading feedgen, lxml and dateutil for them. They are kept with what made them (the
code of kimsite, and the files of feedgen and lxml as installed) and used only by the same: an
upgrade of either library makes them anew.
"""

from __future__ import annotations

import os
from importlib.util import find_spec
from typing import TYPE_CHECKING

from kimsite.outputs.tokens import code_fingerprint, token
from kimsite.pages import feed_xml, feeds

if TYPE_CHECKING:
    from kimsite.workspace.cache import BuildCache

KEY = "feed-templates"
_LIBRARIES = ("feedgen", "lxml")  # (lxml carries the libxml2 that writes the bytes)

_kept: list[tuple[int, int]] = []  # how many templates the cache gave this process


def use(cache: BuildCache) -> None:
    """Make the templates the cache keeps for this code and these libraries ready to use."""
    kept = cache.get_state(KEY)
    if isinstance(kept, dict) and kept.get("made_by") == made_by():
        feed_xml.use_kept_templates(kept.get("entries"))
        feeds.use_kept_heads(kept.get("heads"))
    _kept[:] = [(len(feed_xml.kept_templates()), len(feeds.kept_heads()))]


def keep(cache: BuildCache) -> None:
    """Store the templates this process has, when it made any since `use`."""
    entries, heads = feed_xml.kept_templates(), feeds.kept_heads()
    if _kept and _kept[0] == (len(entries), len(heads)):
        return
    cache.set_state(KEY, {"made_by": made_by(), "entries": entries, "heads": heads})
    _kept[:] = [(len(entries), len(heads))]


def made_by() -> str:
    """kimsite's code and the installed files of the libraries that write the feeds."""
    return token(code_fingerprint(), [_package_files(name) for name in _LIBRARIES])


def _package_files(name: str) -> list[tuple[str, int, int]]:
    """(path, size, time) of each file of the installed package `name` (found, not loaded)."""
    try:
        spec = find_spec(name)
    except (ImportError, ValueError):
        return []
    folders = list(spec.submodule_search_locations or ()) if spec is not None else []
    files = []
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                for item in listing:
                    if item.is_dir(follow_symlinks=False):
                        if item.name != "__pycache__":
                            folders.append(item.path)
                    elif item.name.endswith((".py", ".so", ".pyd")):
                        info = item.stat()
                        files.append((item.path, info.st_size, info.st_mtime_ns))
        except OSError:
            continue
    return sorted(files)
