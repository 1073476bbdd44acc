"""Pictures kimsite draws (share cards, site icons), remembered in a folder of `.kimsite/` by
what they are drawn from, so that each is drawn once ever (the GitHub Actions cache keeps the
folder between runs).

What is read back is published, so a file that is not a whole picture of its kind (cut short
by a full disk, emptied, other bytes) is drawn again and replaced. Several processes may draw
the same picture at once (render workers, kimsite.media.drawn_ahead): each writes a file of its
own and moves it in place, so a reader finds the old file or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable

from kimsite.media.picture_bytes import looks_whole


def name_for(drawn_from: tuple, suffix: str) -> str:
    """The file name of a picture drawn from `drawn_from` (what its pixels depend on)."""
    return hashlib.blake2b(repr(drawn_from).encode(), digest_size=16).hexdigest() + suffix


def remembered(path: Path, draw: Callable[[], bytes]) -> bytes:
    """The picture at `path` when it is whole; else `draw()`, kept there for the next build."""
    try:
        kept = path.read_bytes()
    except OSError:
        kept = b""
    if looks_whole(kept, path.name):
        return kept
    data = draw()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only cache only costs time
    return data
