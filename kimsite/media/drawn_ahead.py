"""Share cards and site icons drawn ahead of the render step, by a process of their own, on a
core the build leaves idle.

A build without `.kimsite/cards/` and `.kimsite/icons/` (a fresh clone, a new CI cache) draws a
card for every KIM, the portal and every klarifikasi (about 3.5 ms of processor time each) and
two icons for every KIM without a logo (about 2 ms): 1.3 s at 10,000 articles. Drawn by the
render workers, that time is spent while both cores are busy. Yet most of these pictures are
known long before: the KIMs' and the portal's from the settings, the verdict cards once the
documents are assembled. While the build parses (when a parse worker has finished its share),
assembles, plans and gets documents ready, one core is idle.

So a child process, at the lowest priority, draws the pictures not in those folders yet, one
by one, with the functions the render step uses (`og_card.cached_card`, `icons.cached_icon`):
the render step then finds them there. It draws what the render step would draw, under the
same names, so the site is the same with or without it; a picture it has not drawn yet when
the render step needs it is drawn there, as before. The child stops when its pipe closes: when
the build has rendered, failed or been interrupted, or when the build's process is gone.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from kimsite.workspace.folder_names import CARDS_FOLDER, ICONS_FOLDER

# The child is started only for this many missing pictures: fewer take less time than starting it.
MIN_MISSING = 8
CARD, ICON = "card", "icon"  # what the child is asked to draw: a card's or an icon's arguments
STOP_WAIT = 10.0  # seconds the child has to finish its picture once asked to stop


class DrawnAhead:
    """A build's drawing child, started when some picture it is told of is not in the cache."""

    def __init__(self, state_dir: Path):
        self.folders = {CARD: state_dir / CARDS_FOLDER, ICON: state_dir / ICONS_FOLDER}
        self.process = None
        self._names: dict[str, set[str]] = {}  # what each folder held when first looked at

    @property
    def drawing(self) -> bool:
        return self.process is not None

    def want(self, cards: list[tuple] = (), icons: list[tuple[str, int]] = ()) -> None:
        """Have the child draw the `cards` (og_card.draw_card's arguments) and `icons` ((letters,
        size)) that the cache does not hold; starts the child when enough are missing."""
        from kimsite.media.icons import icon_file_name
        from kimsite.media.og_card import card_file_name

        missing = [[CARD, *params] for params in cards if self._new(CARD, card_file_name(*params))]
        missing += [[ICON, *params] for params in icons if self._new(ICON, icon_file_name(*params))]
        if not missing or (self.process is None and len(missing) < MIN_MISSING):
            return
        if self.process is None:
            self.process = _start(self.folders[CARD].parent)
            if self.process is None:
                return
        try:
            self.process.stdin.write(_lines(missing))
            self.process.stdin.flush()
        except (OSError, ValueError):
            self.stop()  # the child is gone: the render step draws the pictures

    def _new(self, kind: str, name: str) -> bool:
        """Whether the picture named `name` is neither in its folder nor asked for already."""
        names = self._names.get(kind)
        if names is None:
            try:
                names = self._names[kind] = set(os.listdir(self.folders[kind]))
            except OSError:
                names = self._names[kind] = set()
        if name in names:
            return False
        names.add(name)
        return True

    def stop(self) -> None:
        """Ask the child to stop after the picture it is drawing, and wait for it."""
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


def _lines(asked: list[list]) -> bytes:
    import json

    # (ASCII: a title may hold any character a str can, a lone surrogate too)
    return "".join(json.dumps(item) + "\n" for item in asked).encode("ascii")


# The child's program: the parent's import path, exactly (so that it draws with the same kimsite
# and the same libraries, whatever put them there), then draw_as_asked.
_CHILD = ("import sys; sys.path[:] = sys.argv[2:]; from pathlib import Path; "
          "from kimsite.media.drawn_ahead import run_child; run_child(Path(sys.argv[1]))")


def _start(state_dir: Path):
    """The child, drawing with this process's kimsite; None when it cannot be started."""
    import subprocess

    if not sys.executable or os.name != "posix":  # (the child waits on its pipe with select)
        return None
    try:
        return subprocess.Popen([sys.executable, "-c", _CHILD, str(state_dir), *map(str, sys.path)],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                close_fds=True)
    except OSError:
        return None


def draw_as_asked(state_dir: Path, pipe: int = 0) -> None:
    """The child: draw each picture read from `pipe` (one JSON list per line: its kind, then its
    arguments) into its folder of `state_dir`, until the pipe closes. Reading waits only when
    there is nothing left to draw."""
    import json
    import select
    import signal
    from collections import deque

    from kimsite.media.icons import cached_icon
    from kimsite.media.og_card import CardFailure, cached_card

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl+C reaches the build, which closes the pipe
    try:
        os.nice(19)  # only the time no build process wants
    except OSError:
        pass
    draw = {CARD: lambda *params: cached_card(state_dir / CARDS_FOLDER, *params),
            ICON: lambda letters, size: cached_icon(state_dir / ICONS_FOLDER, letters, size)}
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
            kind, *params = waiting.popleft()
            try:
                draw[kind](*params)
            except CardFailure:
                pass  # the render step draws it again and reports it


def run_child(state_dir: Path) -> None:
    """The child's whole life (see _CHILD)."""
    try:
        draw_as_asked(state_dir)
    except Exception:  # noqa: BLE001 - whatever it could not do, the render step does
        sys.exit(1)
