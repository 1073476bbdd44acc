"""Watching a workspace for `kimsite serve`: which changes matter, and bursts of saves debounced.

Only the inputs of a build are watched: content/, sites/, themes/, feeds/ and
kimsite.yaml. Editors' temporary and backup files (see `sources.is_ignored`),
the output folder and kimsite's own state folder never trigger a rebuild.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path, PurePosixPath
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from kimsite.workspace.sources import is_ignored

WATCHED_FOLDERS = ("content", "sites", "themes", "feeds")
WATCHED_FILES = ("kimsite.yaml",)
# An editor's save is a burst of events within a few milliseconds (write a temporary file,
# rename it, set its mode); a longer burst (a git checkout) costs at most one more rebuild,
# since changes arriving during a build are handled right after it.
DEBOUNCE_SECONDS = 0.05


def relevant(root: Path, path: str, ignored_folders: tuple[str, ...] = ()) -> str | None:
    """The workspace-relative path of a changed file when it is a build input, else None."""
    try:
        rel = PurePosixPath(Path(path).resolve().relative_to(root).as_posix())
    except ValueError:
        return None
    parts = rel.parts
    if not parts:
        return None
    text = rel.as_posix()
    if any(text == folder or text.startswith(folder + "/") for folder in ignored_folders):
        return None
    if any(is_ignored(part) for part in parts):
        return None
    if len(parts) == 1:
        return text if parts[0] in WATCHED_FILES or parts[0] in WATCHED_FOLDERS else None
    return text if parts[0] in WATCHED_FOLDERS else None


class Debouncer:
    """Calls `action(changed_paths)` once a burst of changes has been quiet for `delay` seconds.

    Changes arriving while the action runs are kept and handled by one more call
    afterwards, so nothing is lost and builds never overlap.
    """

    def __init__(self, action: Callable[[list[str]], None], delay: float = DEBOUNCE_SECONDS):
        self.action = action
        self.delay = delay
        self._pending: dict[str, None] = {}
        self._last = 0.0
        self._wake = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name="kimsite-rebuild", daemon=True)
        self._thread.start()

    def notify(self, path: str) -> None:
        with self._wake:
            self._pending[path] = None
            self._last = time.monotonic()
            self._wake.notify()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        while True:
            with self._wake:
                while not self._pending and not self._stopped:
                    self._wake.wait()
                if self._stopped:
                    return
                quiet = time.monotonic() - self._last
                if quiet < self.delay:
                    self._wake.wait(self.delay - quiet)
                    continue
                changed = list(self._pending)
                self._pending.clear()
            self.action(changed)


class _Handler(FileSystemEventHandler):
    def __init__(self, root: Path, ignored_folders: tuple[str, ...], debouncer: Debouncer):
        self.root = root
        self.ignored_folders = ignored_folders
        self.debouncer = debouncer

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # the files inside report their own changes
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if not path:
                continue
            rel = relevant(self.root, path if isinstance(path, str) else path.decode(), self.ignored_folders)
            if rel is not None:
                self.debouncer.notify(rel)


class Watcher:
    """Watches the workspace; `on_change(paths)` runs in a single background thread."""

    def __init__(self, root: Path, on_change: Callable[[list[str]], None], ignored_folders: tuple[str, ...] = (),
                 delay: float = DEBOUNCE_SECONDS):
        self.root = root.resolve()
        self.debouncer = Debouncer(on_change, delay)
        self.observer = Observer()
        handler = _Handler(self.root, ignored_folders, self.debouncer)
        # The root itself is watched without recursion (kimsite.yaml, folders appearing);
        # each input folder recursively, so _site/, .git/ and .kimsite/ cost nothing.
        self.observer.schedule(handler, str(self.root), recursive=False)
        self._handler = handler
        self._watched: set[str] = set()
        self._schedule_folders()

    def _schedule_folders(self) -> None:
        for name in WATCHED_FOLDERS:
            folder = self.root / name
            if folder.is_dir() and name not in self._watched:
                self.observer.schedule(self._handler, str(folder), recursive=True)
                self._watched.add(name)

    def refresh(self) -> None:
        """Start watching input folders created since the start (a new themes/ folder)."""
        self._schedule_folders()

    def start(self) -> None:
        self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        self.debouncer.stop()
        self.observer.join(timeout=5)
