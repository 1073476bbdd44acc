"""Keeping `.kimsite/` from growing without end.

The cache is meant to be kept between builds (and between CI runs), so what no build can use
any more is removed as builds go: the bodies of sources that changed or went away (see
kimsite.parse.parsing), and here the processed pictures of images no longer in the workspace, and the
share cards and icons no page shows any more. Everything removed is only a cache: a build that needs it
again makes it again.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kimsite.base.files import remove_tree


def prune_folder(folder: Path, keep: set[str]) -> None:
    """Delete the entries of `folder` whose names are not in `keep`. Unreadable or vanishing
    entries are skipped; a link standing for the folder is never followed (only kimsite's own
    entries are deleted)."""
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name not in keep:
            try:
                remove_tree(folder / name)
            except OSError:
                pass


def prune_media_caches(view, planned: list, every_output_planned: bool) -> None:
    """After a build of the whole workspace: processed pictures of images that are gone, and,
    when every output was planned (so every card and icon in use is known), the cards and icons
    nothing shows."""
    from kimsite.media.icons import icon_file_name
    from kimsite.media.images import cache_root
    from kimsite.media.og_card import card_file_name
    from kimsite.workspace.folder_names import CARDS_FOLDER, ICONS_FOLDER, STATE_DIR

    prune_folder(cache_root(view), {info.folder for info in view.images.pictures.values()})
    if every_output_planned:
        state = view.config.root / STATE_DIR
        cards = {card_file_name(*output.params) for output in planned if output.renderer == "og_card"}
        prune_folder(state / CARDS_FOLDER, cards)
        icons = {icon_file_name(output.params[2], output.params[0]) for output in planned
                 if output.renderer == "site_icon"}
        prune_folder(state / ICONS_FOLDER, icons)
