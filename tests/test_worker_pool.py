"""The build's process pool (kimsite.base.worker_pool): results in order, and a worker-handler
thread that does not spin while large results wait in the pipe."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

from kimsite.base.interrupt import process_pool

LARGE = 1 << 20  # bytes per result: more than the pipe holds, so each waits there to be read


def _large_result(number: int) -> tuple[int, bytes]:
    return number, bytes([number % 251]) * LARGE


def _thread_cpu_seconds(native_id: int) -> float:
    fields = open(f"/proc/self/task/{native_id}/stat").read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_results_come_in_order_and_whole():
    with process_pool(multiprocessing.get_context("fork"), 2) as pool:
        results = list(pool.imap(_large_result, range(12)))
    assert [number for number, _data in results] == list(range(12))
    assert all(data == bytes([number % 251]) * LARGE for number, data in results)


def test_the_worker_handler_waits_quietly_while_results_wait_to_be_read():
    """The main thread here is busy between results, as the build's is while it stores documents
    or compiles templates; meanwhile results wait in the pipe for the thread that reads them,
    and multiprocessing.Pool's own handler thread spun (tried: 0.07–0.13 s of processor time; this one never wakes)."""
    before = {thread.native_id for thread in threading.enumerate()}
    busy = 0.0
    with process_pool(multiprocessing.get_context("fork"), 2) as pool:
        handler = next(thread for thread in threading.enumerate()
                       if thread.native_id not in before and "handle_workers" in thread.name)
        for number, data in pool.imap(_large_result, range(40)):
            assert len(data) == LARGE
            busy += _keep_busy(0.02)
        spent = _thread_cpu_seconds(handler.native_id)
    assert busy >= 0.6
    assert spent <= 0.02, f"the worker-handler thread used {spent:.2f} s of processor time in {busy:.2f} s"


def _keep_busy(seconds: float) -> float:
    """Hold the interpreter for `seconds` (as Python code does, giving it up only every few
    milliseconds); returns the time taken."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        sum(range(1000))
    return time.perf_counter() - started


def test_the_result_pipe_holds_a_whole_parse_result():
    """A parse worker's result (about 350 KB) fits in the pipe, so the worker starts its next
    chunk without waiting for this process to read it (Linux allows 1 MB to any process unless
    /proc/sys/fs/pipe-max-size says less)."""
    import fcntl

    from kimsite.base.worker_pool import RESULT_PIPE_BYTES

    with open("/proc/sys/fs/pipe-max-size") as limit:
        allowed = int(limit.read())
    with process_pool(multiprocessing.get_context("fork"), 2) as pool:
        size = fcntl.fcntl(pool._outqueue._writer.fileno(), fcntl.F_GETPIPE_SZ)
        assert [number for number, _data in pool.imap(_large_result, range(3))] == [0, 1, 2]
    assert size == (RESULT_PIPE_BYTES if allowed >= RESULT_PIPE_BYTES else 65536)
