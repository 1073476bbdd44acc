"""Share cards drawn ahead of the render step, by a process of their own, on a core the build
leaves idle.

A build without cards in `.kimsite/cards/` (a fresh clone, a new CI cache) draws one for every
KIM, the portal and every klarifikasi: about 3.5 ms of processor time each, a second at 10,000
articles. Drawn by the render workers, that second is spent while both cores are busy. Yet
most of these cards are known long before: the KIMs' and the portal's from the settings, the
verdict cards once the documents are assembled. While the build parses (when a parse worker
has finished its share), assembles, plans and gets documents ready, one core is idle.

So a child process, at the lowest priority, draws the cards not in the cache folder yet, one
by one, into that folder, with `og_card.cached_card` itself: the render step then finds them
there. It draws what the render step would draw, under the same names, so the site is the
same with or without it; a card it has not drawn yet when the render step needs it is drawn
there, as before. The child stops when its pipe closes: when the build has rendered, failed
or been interrupted, or when the build's process is gone.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# The child is started only for this many missing cards: fewer take less time than starting it.
MIN_MISSING = 8
STOP_WAIT = 10.0  # seconds the child has to finish its card once asked to stop


class CardsAhead:
    """A build's card-drawing child, started when some card it is told of is not in the cache."""

    def __init__(self, cards_dir: Path):
        self.cards_dir = cards_dir
        self.process = None
        self._names: set[str] | None = None  # what the cache folder held when first looked at

    @property
    def drawing(self) -> bool:
        return self.process is not None

    def want(self, wanted: list[tuple]) -> None:
        """Have the child draw the cards of `wanted` (og_card.draw_card's arguments) that the cache
        folder does not hold; starts the child when enough are missing."""
        from kimsite.media.og_card import card_file_name

        if self._names is None:
            try:
                self._names = set(os.listdir(self.cards_dir))
            except OSError:
                self._names = set()
        missing = []
        for params in wanted:
            name = card_file_name(*params)
            if name not in self._names:
                self._names.add(name)
                missing.append(params)
        if not missing or (self.process is None and len(missing) < MIN_MISSING):
            return
        if self.process is None:
            self.process = _start(self.cards_dir)
            if self.process is None:
                return
        try:
            self.process.stdin.write(_lines(missing))
            self.process.stdin.flush()
        except (OSError, ValueError):
            self.stop()  # the child is gone: the render step draws the cards

    def stop(self) -> None:
        """Ask the child to stop after the card it is drawing, and wait for it."""
        process, self.process = self.process, None
        if process is None:
            return
        try:
            process.stdin.close()
        except OSError:
            pass
        from subprocess import TimeoutExpired

        try:
            process.wait(STOP_WAIT)
        except TimeoutExpired:  # it did not stop: ended
            process.kill()
            process.wait()
        except BaseException:  # the wait was interrupted: the child does not outlive the build
            process.kill()
            process.wait()
            raise


def _lines(cards: list[tuple]) -> bytes:
    import json

    return "".join(json.dumps(list(params), ensure_ascii=False) + "\n" for params in cards).encode()


def _start(cards_dir: Path):
    """The child, running this module with the same kimsite; None when it cannot be started."""
    import subprocess

    if not sys.executable:
        return None
    package_parent = str(Path(__file__).resolve().parents[2])
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, (package_parent, environment.get("PYTHONPATH"))))
    try:
        return subprocess.Popen([sys.executable, "-m", "kimsite.media.cards_ahead", str(cards_dir)],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                cwd=package_parent, env=environment, close_fds=True)
    except OSError:
        return None


def draw_as_asked(cards_dir: Path, pipe: int = 0) -> None:
    """The child: draw each card read from `pipe` (one JSON list per line) into `cards_dir`,
    until the pipe closes. Reading waits only when there is nothing left to draw."""
    import json
    import select
    import signal
    from collections import deque

    from kimsite.media.og_card import CardFailure, cached_card

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl+C reaches the build, which closes the pipe
    try:
        os.nice(19)  # only the time no build process wants
    except OSError:
        pass
    waiting: deque = deque()
    unread = b""
    while True:
        ready, _, _ = select.select([pipe], [], [], 0 if waiting else None)
        if ready:
            chunk = os.read(pipe, 1 << 16)
            if not chunk:
                return  # the build has rendered, failed or gone
            *lines, unread = (unread + chunk).split(b"\n")
            waiting.extend(json.loads(line) for line in lines if line)
        if waiting:
            try:
                cached_card(cards_dir, *waiting.popleft())
            except CardFailure:
                pass  # the render step draws it again and reports it


if __name__ == "__main__":
    try:
        draw_as_asked(Path(sys.argv[1]))
    except Exception:  # noqa: BLE001 - whatever it could not do, the render step does
        sys.exit(1)
