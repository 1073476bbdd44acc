"""The process pool of a build's parallel steps: `multiprocessing.Pool` without its busy thread.

A Pool's worker-handler thread (it replaces workers that die) waits on the workers, on a queue
of its own and on the pipe that brings results back. While a result is in that pipe and not yet
read, which is most of the time when workers send large results (the parse step sends every
document's HTML), the wait returns at once: the thread loops, taking the interpreter lock from
the thread that reads the results and the processor from the workers. On a 10,000-article
build it spent 0.2–0.3 s of processor time in the parse step alone. Here it waits only on the
workers (a worker that dies still wakes it) and on its own queue (closing and ending the pool
still wake it); the thread that reads the results is not changed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


def make_pool(context: Any, workers: int, **options: Any) -> Any:
    """`context.Pool(workers, **options)`, with the worker-handler thread waiting quietly."""
    return _quiet_pool_class()(workers, context=context, **options)


@lru_cache(maxsize=None)
def _quiet_pool_class() -> type:
    from multiprocessing.pool import Pool  # (loaded only when a build has work for other processes)

    class QuietPool(Pool):
        def _get_sentinels(self) -> list:
            # Pool's own list adds the result pipe's reader (see the module's docstring).
            return [self._change_notifier._reader]

    return QuietPool
