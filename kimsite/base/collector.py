"""Python's cyclic garbage collector, paused while a build loads and plans.

An edit build of a 10,000-article workspace loads about a million objects that
live until the build ends (remembered documents, the output manifest, the
plans) and creates no reference cycles worth collecting; each automatic
collection of the older generations walks all of them again, which took about
15% of such a build. The collector is paused while they are loaded, and before
rendering (where templates do create cycles) they are frozen, so collections
and forked workers leave them alone.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside the block (see resume_for_rendering); the
    collector's previous state is restored on the way out."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()  # objects frozen by resume_for_rendering become collectable again
        if enabled:
            gc.enable()


def resume_for_rendering() -> None:
    """Freeze what exists now (kept until the build ends) and collect again from here on."""
    gc.freeze()
    gc.enable()


def enable_in_worker() -> None:
    """Worker processes forked while the collector is paused collect as usual."""
    gc.enable()
