"""Ctrl+C ends a command with a short message and exit code 130, never a traceback.

The `kimsite` program turns SIGINT into `Interrupted` in its own process only: worker
processes forked for a build ignore it (the terminal sends it to all of them; the main
process ends the pool), so none prints a traceback. A second Ctrl+C while a build removes its
staging folder is ignored, so that nothing of it stays beside the output. `Interrupted` is
not an Exception, so no `except Exception` swallows it; cleanups written as `except
BaseException: ...; raise` and `finally:` run as for any failure.

Some steps must not be cut in half: a Ctrl+C while `multiprocessing.Pool()` forks its workers
would escape before the caller holds the pool, so nobody ends it; at exit multiprocessing kills
its workers, the pool's own thread forks replacements, and those outlive the program (holding
its output pipes open, so a terminal or CI job that reads them waits forever). `held()` keeps
such a Ctrl+C until the step is over; `process_pool()` holds it while the pool is made and ended.
"""

from __future__ import annotations

import os
import signal
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator

from kimsite.base import worker_pool

if TYPE_CHECKING:  # imported where a pool is made: a no-change build makes none
    from concurrent.futures import ThreadPoolExecutor

EXIT_CODE = 130  # 128 + SIGINT, what shells report for a command stopped with Ctrl+C


class Interrupted(BaseException):
    """The user pressed Ctrl+C."""


class _Hold:
    """How many `held()` blocks are open in the main process, and whether a Ctrl+C came meanwhile."""

    depth = 0
    pending = False


def install() -> None:
    """Handle SIGINT as described above (the program's own process, before any fork)."""
    main_pid = os.getpid()

    def on_interrupt(_signum, _frame) -> None:
        if os.getpid() != main_pid:
            return  # a forked worker: the main process stops the pool
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # let the cleanup finish
        if _Hold.depth:
            _Hold.pending = True  # raised when the held step is over
            return
        raise Interrupted

    signal.signal(signal.SIGINT, on_interrupt)


@contextmanager
def thread_pool(workers: int, **options) -> Iterator[ThreadPoolExecutor]:
    """A ThreadPoolExecutor whose queued tasks are dropped when the caller stops with an error or
    Ctrl+C (the plain `with` would first run every one of them: a thousand downloads)."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=workers, **options)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _start_worker(initializer: Callable[[], None] | None) -> None:
    """Ending a pool takes the lock of its task queue and sends each worker SIGTERM: a worker
    waiting for that lock must die of it. A Python handler inherited from the parent (`kimsite
    serve` has one) runs only between bytecodes, and one that arrives just before the wait
    starts is never run: the worker would wait for the lock for ever, and the pool for it."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if initializer is not None:
        initializer()


@contextmanager
def held() -> Iterator[None]:
    """Run the block whole: a Ctrl+C that comes during it is raised as `Interrupted` when it ends
    (instead of whatever else the block raised: the user asked to stop)."""
    _Hold.depth += 1
    try:
        yield
    finally:
        _Hold.depth -= 1
        if _Hold.depth == 0 and _Hold.pending:
            _Hold.pending = False
            raise Interrupted


@contextmanager
def process_pool(context: Any, workers: int, initializer: Callable[[], None] | None = None,
                 **options: Any) -> Iterator[Any]:
    """`context.Pool(workers, **options)` for a `with` block (kimsite.base.worker_pool's, whose thread
    waits quietly), made and ended whole (see above):
    on leaving the block, by error or Ctrl+C too, every worker is stopped and waited for.
    `initializer` runs in each worker once it has SIGTERM's default action back."""
    pool = None
    finished = False
    try:
        with held():  # may raise the held Ctrl+C once the pool exists: `finally` ends it
            pool = worker_pool.make_pool(context, workers, initializer=_start_worker, initargs=(initializer,), **options)
        yield pool
        finished = True
    finally:
        if pool is not None:
            with held():
                if finished:
                    # Every result was taken: the workers are told there is no more work and
                    # leave on their own. Ending them with SIGTERM instead raced with their
                    # wait for the task queue (a pool's end once hung for a minute in CI).
                    pool.close()
                    pool.join()
                else:
                    pool.terminate()  # also waits for the workers
