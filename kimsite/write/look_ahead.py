"""The output check of a build, done by child processes while this one reads the workspace.

A no-change build spends most of its time on two kinds of system call: listing and looking at
the sources (one `stat` each), and looking again at every entry of the output the last build
wrote (one `lstat` each, 43,574 of them at 10,000 articles; see freshness.look_at_output).
They do not depend on each other, so on a machine with two cores they can run side by side:
forked children each look at a part of the output's entries while the parent scans the sources,
then hand back what they saw through pipes.

The children start before the workspace lock is taken, from the list of entries the cache holds
at that moment (read without writing, see cache.peek_state). Their look is used only when, once
the lock is held, it is known to be as good as one taken then: the cache names the same
entries, no interrupted build was recovered, the output folder is the same folder with the same
time and marker, and what the children saw is exactly what the last build left (its identity is
the stored one). Otherwise the output is looked at again under the lock, as without children.

Only where forking is safe and cheap: on Linux, with no other thread in this process (a thread
could hold a lock a child would then wait for), and for outputs large enough to gain from it.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

from kimsite.workspace.cache import peek_state
from kimsite.workspace.output_guard import MARKER
from kimsite.write import freshness

# Below this many entries the look takes a few milliseconds: not worth a process.
MIN_ENTRIES = 3000
# Children sharing the look: with the parent scanning the sources, three processes keep the two
# cores of a small machine (a GitHub runner, a volunteer's laptop) busy until all are done.
LOOKERS = 2


class LookAhead:
    """Child processes looking at the output, each at a share of its entries; `take` gives
    their look, `close` ends them."""

    def __init__(self, children: list[tuple[int, int]], entries: str):
        self.children = children  # (process id, read end of its pipe), in the order of the entries
        self.entries = entries

    @classmethod
    def start(cls, output_dir: Path, state_dir: Path, state_key: str) -> LookAhead | None:
        """Children looking at the output the cache remembers for `state_key`, or None when
        none is worth starting (or none can be)."""
        if not sys.platform.startswith("linux") or threading.active_count() != 1:
            return None
        state = peek_state(state_dir, state_key)
        entries = state.get("output_entries") if isinstance(state, dict) else None
        if not isinstance(entries, str) or entries.count("\0") + 1 < MIN_ENTRIES:
            return None
        look_ahead = cls([], entries)
        for part in _parts(entries, LOOKERS):
            child = _fork_looker(output_dir, part)
            if child is None:
                look_ahead.close()
                return None
            look_ahead.children.append(child)
        return look_ahead

    def take(self, entries: object, expected_identity: object) -> freshness.OutputLook | None:
        """The children's look when it was taken of `entries` and its identity is
        `expected_identity`; None otherwise (the caller looks for itself). Ends the children."""
        if entries != self.entries or not self.children:
            self.close()
            return None
        hasher = freshness.identity_hasher(self.entries)  # while the children finish
        shares = []
        try:
            for _pid, pipe in self.children:
                shares.append(_read_all(pipe))
        except OSError:
            return None
        finally:
            self.close()
        look = _decode(shares, self.entries, hasher)
        if look is None or look.identity != expected_identity:
            return None
        return look

    def close(self) -> None:
        """End the children (killed if still looking) and release the pipes; safe to call again."""
        children, self.children = self.children, []
        for pid, pipe in children:
            try:
                os.kill(pid, signal.SIGKILL)  # it has finished writing, or its look is not wanted
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            os.close(pipe)


def _parts(entries: str, count: int) -> list[str]:
    """`entries` cut at up to `count` - 1 of its separators into lists of entries of about the
    same length (fewer when cuts would fall on the same separator). Joined with separators they
    are `entries` again, so each is a list kimsite made exactly when all are (see
    freshness.entry_names)."""
    parts, start = [], 0
    for share in range(1, count):
        cut = entries.find("\0", max(start, len(entries) * share // count))
        if cut < 0:
            break
        parts.append(entries[start:cut])
        start = cut + 1
    parts.append(entries[start:])
    return parts


def _fork_looker(output_dir: Path, entries: str) -> tuple[int, int] | None:
    """A child looking at the output's `entries` (its process id and the read end of its pipe),
    or None when no process can be made."""
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: look, write, and leave without running anything of the parent's
        status = 1
        try:
            os.close(read_end)
            _write_all(write_end, _look(output_dir, entries))
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _look(output_dir: Path, entries: str) -> bytes:
    """In a child: the head, and the line of each of `entries` as freshness.look_at_output sees
    them; nothing when the output is not as the entries describe, or they are not entries
    kimsite made (the parent then looks itself). The entries are looked at from inside the
    very folder the head describes."""
    names = freshness.entry_names(entries)
    if names is None:
        return b""
    try:
        folder = os.open(output_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        info = os.fstat(folder)
        os.fchdir(folder)  # this process's own working folder: relative paths are walked faster
        head = freshness.head_of(info, os.lstat(MARKER))
        if head is None:
            return b""
        lines = "".join([freshness.line(os.lstat(name)) for name in names])
    except OSError:
        return b""
    return f"{' '.join(map(str, head))}\n{lines}".encode("ascii")


def _decode(shares: list[bytes], entries: str, hasher) -> freshness.OutputLook | None:
    """The look the children's shares make together, or None when any share is missing or
    they did not all see the same output folder. `hasher`: identity_hasher(entries)."""
    heads, parts = set(), []
    for share in shares:
        head_text, newline, lines = share.partition(b"\n")
        try:
            heads.add(tuple(int(number) for number in head_text.split(b" ")))
        except ValueError:
            return None
        if not newline or not lines.endswith(b"\n"):
            return None
        hasher.update(lines)
        parts.append(lines)
    if len(heads) != 1 or len(head := heads.pop()) != 4:
        return None
    try:
        lines = b"".join(parts).decode("ascii")
    except UnicodeDecodeError:
        return None
    if lines.count("\n") != entries.count("\0") + 1:
        return None

    def make_lines() -> dict[str, str]:
        # (a line holds digits and NULs only: splitlines cuts at its newlines and nowhere else;
        # the entries were checked by the children, and again by the build that read them)
        return dict(zip(entries.split("\0"), lines.splitlines(keepends=True)))

    return freshness.OutputLook(head, make_lines=make_lines, identity=(*head, hasher.hexdigest()), entries=entries)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.close(fd)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)
