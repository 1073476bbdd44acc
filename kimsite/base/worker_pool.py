"""The process pool of a build's parallel steps: `multiprocessing.Pool` without its busy thread.

A Pool's worker-handler thread (it replaces workers that die) waits on the workers, on a queue
of its own and on the pipe that brings results back. While a result is in that pipe and not yet
read, which is most of the time when workers send large results (the parse step sends every
document's HTML), the wait returns at once: the thread loops, taking the interpreter lock from
the thread that reads the results and the processor from the workers. On a 10,000-article
build it spent 0.2–0.3 s of processor time in the parse step alone. Here it waits only on the
workers (a worker that dies still wakes it) and on its own queue (closing and ending the pool
still wake it); the thread that reads the results is not changed.

The pipe that brings results back is also widened from 64 KB to 1 MB where Linux allows it: a
parse worker's result (a chunk of documents with their HTML) is about 350 KB, and with the
narrow pipe a worker waited, unable to start its next chunk, until this process had read most
of it (the parse step at 10,000 articles: 1.88–1.96 s, then 1.81–1.83 s).
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
        def _setup_queues(self) -> None:
            super()._setup_queues()
            _widen(self._outqueue._writer)

        def _get_sentinels(self) -> list:
            # Pool's own list adds the result pipe's reader (see the module's docstring).
            return [self._change_notifier._reader]

    return QuietPool


RESULT_PIPE_BYTES = 1 << 20  # Linux's default /proc/sys/fs/pipe-max-size


def _widen(connection: Any) -> None:
    """Give the pipe under `connection` RESULT_PIPE_BYTES of buffer (Linux only; a smaller
    system limit, or another system, leaves it as it is)."""
    try:
        import fcntl

        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, RESULT_PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass
