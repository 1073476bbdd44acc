"""One test process at a time fetches a pinned npm package into tests/artifacts/: the suite runs
in several processes (pytest-xdist), and on a fresh clone two of them may need the same package
at once. The second waits for the first's `npm pack`, then finds the package unpacked."""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator


def fetch_once(folder: Path, fetched: Path, fetch: Callable[[], None]) -> Path:
    """`fetched` (a file the package holds), fetched by `fetch` unless it is there already or
    another test process fetched it while this one waited for the lock in `folder`."""
    if not fetched.is_file():
        with _fetching(folder):
            if not fetched.is_file():
                fetch()
    return fetched


@contextmanager
def _fetching(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".fetching.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
