"""The feeds' templates (kimsite.pages.feed_xml, kimsite.pages.feeds) kept in the cache.

A template is made from feedgen's bytes for a probe entry and checked on awkward text before it
is used. A build that rewrites one KIM's feeds made its few templates anew each time: 10 ms,
after 15 ms loading feedgen, lxml and dateutil for them. They are kept with what made them (the
code of kimsite, and the files of feedgen and lxml as installed) and used only by the same: an
upgrade of either library makes them anew.
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import TYPE_CHECKING

from kimsite.outputs.tokens import code_fingerprint, files_under, token
from kimsite.pages import feed_xml, feeds

if TYPE_CHECKING:
    from kimsite.workspace.cache import BuildCache

KEY = "feed-templates"
_LIBRARIES = ("feedgen", "lxml")  # (lxml carries the libxml2 that writes the bytes)

# How many entry and head templates this process had when it last handed templates on: set by
# `use` in the build's process, inherited by the render workers it forks (see `made_since_handed`).
_HANDED = [(0, 0)]


def use(cache: BuildCache) -> tuple[int, int]:
    """Make the templates the cache keeps for this code and these libraries ready to use; how
    many templates this process then has (for `keep`)."""
    kept = cache.get_state(KEY)
    if isinstance(kept, dict) and kept.get("made_by") == made_by():
        feed_xml.use_kept_templates(kept.get("entries"))
        feeds.use_kept_heads(kept.get("heads"))
    _HANDED[0] = _count()
    return _count()


def made_since_handed() -> tuple[dict, dict] | None:
    """In a render worker: the templates it made since it last handed some on (None: none).

    A full build renders every feed in its worker processes, so the templates were made there,
    and the build's process had none to keep: the next build, often a one-article edit, loaded
    feedgen, lxml and dateutil to make them again. Templates are only ever added, so the new ones
    are those after the count handed on."""
    count = _count()
    if count == _HANDED[0]:
        return None
    entries, heads = _HANDED[0]
    _HANDED[0] = count
    return (dict(list(feed_xml.kept_templates().items())[entries:]),
            dict(list(feeds.kept_heads().items())[heads:]))


def adopt(made: tuple[dict, dict] | None) -> None:
    """In the build's process: templates a render worker made (`made_since_handed`), to keep."""
    if made is not None:
        feed_xml.use_kept_templates(made[0])
        feeds.use_kept_heads(made[1])


def keep(cache: BuildCache, after_use: tuple[int, int]) -> None:
    """Store the templates this process has, when it made any since `use` returned `after_use`."""
    if _count() != after_use:
        cache.set_state(KEY, {"made_by": made_by(), "entries": feed_xml.kept_templates(),
                              "heads": feeds.kept_heads()})


def _count() -> tuple[int, int]:
    return len(feed_xml.kept_templates()), len(feeds.kept_heads())


def made_by() -> str:
    """kimsite's code and the installed files of the libraries that write the feeds."""
    return token(code_fingerprint(), [_package_files(name) for name in _LIBRARIES])


def _package_files(name: str) -> list[tuple[str, list[tuple[str, int, int]]]]:
    """The folder of the installed package `name` (found, not loaded), with the size and time of
    each of its modules and extensions; [] when it cannot be found or read."""
    try:
        spec = find_spec(name)
        folders = list(spec.submodule_search_locations or ()) if spec is not None else []
        return [(folder, sorted(files_under(folder, (".py", ".so", ".pyd")))) for folder in folders]
    except (ImportError, ValueError, OSError):
        return []
