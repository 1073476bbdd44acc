"""A progress bar for long builds on a terminal; silent elsewhere (CI logs stay clean)."""

from __future__ import annotations

import sys
import time

_LABELS = {"id": {"parse": "membaca", "render": "menulis"}, "en": {"parse": "parsing", "render": "rendering"}}


class Progress:
    def __init__(self, lang: str, stream=None, min_total: int = 500):
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.lang = lang
        self.min_total = min_total
        self.last = 0.0
        self.shown = False

    def update(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total < self.min_total:
            return
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        width = 30
        filled = int(width * done / max(total, 1))
        label = _LABELS.get(self.lang, _LABELS["id"]).get(stage, stage)
        self.stream.write(f"\r{label:<9} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
            self.shown = False
