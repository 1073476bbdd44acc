"""Ctrl+C ends a command with a short message and exit code 130, never a traceback.

The `kimsite` program turns SIGINT into `Interrupted` in its own process only: worker
processes forked for a build ignore it (the terminal sends it to all of them; the main
process ends the pool), so none prints a traceback. A second Ctrl+C while a build removes its
staging folder is ignored, so that nothing of it stays beside the output. `Interrupted` is
not an Exception, so no `except Exception` swallows it; cleanups written as `except
BaseException: ...; raise` and `finally:` run as for any failure.
"""

from __future__ import annotations

import os
import signal
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Iterator

EXIT_CODE = 130  # 128 + SIGINT, what shells report for a command stopped with Ctrl+C


class Interrupted(BaseException):
    """The user pressed Ctrl+C."""


def install() -> None:
    """Handle SIGINT as described above (the program's own process, before any fork)."""
    main_pid = os.getpid()

    def on_interrupt(_signum, _frame) -> None:
        if os.getpid() != main_pid:
            return  # a forked worker: the main process stops the pool
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # let the cleanup finish
        raise Interrupted

    signal.signal(signal.SIGINT, on_interrupt)


@contextmanager
def thread_pool(workers: int, **options) -> Iterator[ThreadPoolExecutor]:
    """A ThreadPoolExecutor whose queued tasks are dropped when the caller stops with an error or
    Ctrl+C (the plain `with` would first run every one of them: a thousand downloads)."""
    pool = ThreadPoolExecutor(max_workers=workers, **options)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
