"""The output check of a build, done by child processes while this one reads the workspace.

A no-change build spends most of its time on two kinds of system call: listing and looking at
the sources (one `stat` each), and looking again at every entry of the output the last build
wrote (one `lstat` each, 43,574 of them at 10,000 articles; see freshness.look_at_output).
They do not depend on each other, so on a machine with two cores they can run side by side:
forked children each look at a part of the output's entries while the parent scans the sources,
then hand back what they saw through pipes.

The children start before the workspace lock is taken, from the list of entries the cache holds
at that moment (read without writing, see kimsite.workspace.cache_peek). The program's first
step starts one (`start_early`), before it loads the rest of kimsite and its libraries, which
takes longer than the scan: the second core would otherwise wait. It reads only the size of the
list; the child reads the list itself (2 MB at 10,000 articles: 10-25 ms that an edit build
would otherwise wait for). The build then adopts it when it looks at the output its settings
name (`adopt_early`), or starts its own children once the settings are read (`start`). Their
look is used only when, once the lock is held, it is known to be as good as one taken then: no
interrupted build was recovered, the output folder is the same folder with the same time and
marker, and what the children saw is exactly what the last build left (its identity is the
stored one, and the identity covers the list of entries: a child that read another list, a
build having run in between, is not believed; children the build started were handed the
list, and it must be the one the cache names under the lock). Otherwise the output is looked
at again under the lock, as without children.

Only where forking is safe and cheap: on Linux, with no other thread in this process (a thread
could hold a lock a child would then wait for), and for outputs large enough to gain from it.
This module loads nothing heavy at its top, for the program's first step.
"""

from __future__ import annotations

import os
import signal
import sys

from kimsite.workspace.cache_peek import peek_entries, peek_entry_sizes
from kimsite.workspace.folder_names import DEFAULT_OUTPUT, MARKER, STATE_DIR
from kimsite.write import output_lines

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see the docstring)
if TYPE_CHECKING:
    from kimsite.write.freshness import OutputLook

# Below this many entries the look takes a few milliseconds: not worth a process.
MIN_ENTRIES = 3000
# The program's first step knows only the size of the list of entries: an entry's name and its
# separator take at least about this many bytes (a KIM's page: "kim-a/2025/01/x/index.html").
_ENTRY_BYTES = 20
# Children sharing the look: with the parent scanning the sources, three processes keep the two
# cores of a small machine (a GitHub runner, a volunteer's laptop) busy until all are done.
LOOKERS = 2
# The program's first step starts one child: beside a parent that loads kimsite and scans the
# sources in the meantime, it keeps two cores busy without slowing the parent (with two, the
# no-change build at 10,000 articles took 250-260 ms instead of 190-200 ms).
# The options of `kimsite build` after which the program's first step may start the children:
# those that leave the output folder and the cache where the workspace's settings put them (a
# value follows those mapped to True). Any other option, or a mistyped one, waits for the build.
EARLY_OPTIONS = {"-q": False, "--quiet": False, "--timings": False, "--strict": False, "--drafts": False,
                  "--future": False, "--for-publish": False, "-j": True, "--jobs": True, "--lang": True,
                  "--base-url": True, "-C": True}

_HEX_DIGITS = frozenset(b"0123456789abcdef")  # of a digest a lone child sends
# Entries a child looks at between two writes to its pipe: whoever reads can use the first
# ones while it looks at the rest (see kimsite.write.up_to_date).
STREAM_STEP = 2048
_STEAL_STEP = 256  # entries the parent looks at between two reads of the pipe

_early: list[LookAhead] = []  # the children the program's first step started, until adopted


class LookAhead:
    """Child processes looking at the output, each at a share of its entries; `take` gives
    their look, `close` ends them."""

    def __init__(self, children: list[tuple[int, int]], entries: str | None, output_dir: str = "",
                 state_dir: str = ""):
        self.children = children  # (process id, read end of its pipe), in the order of the entries
        self.entries = entries  # None: a lone child read them from the cache (see start_early)
        self.output_dir, self.state_dir = output_dir, state_dir  # what the children look at, and why

    @classmethod
    def start(cls, output_dir: os.PathLike | str, state_dir: os.PathLike | str) -> LookAhead | None:
        """Children looking at `output_dir` as the cache in `state_dir` remembers it, or None
        when none is worth starting (or none can be)."""
        output_dir, state_dir = os.fspath(output_dir), os.fspath(state_dir)
        if not _can_fork():
            return None
        return cls._forked(peek_entries(state_dir).get(output_dir), output_dir, state_dir, LOOKERS)

    @classmethod
    def _forked(cls, entries: str | None, output_dir: str, state_dir: str, lookers: int) -> LookAhead | None:
        if entries is None or entries.count("\0") + 1 < MIN_ENTRIES:
            return None
        look_ahead = cls([], entries, output_dir, state_dir)
        parts = _parts(entries, lookers)
        for part in parts:
            child = _fork_looker(output_dir, part, len(parts) == 1)
            if child is None:
                look_ahead.close()
                return None
            look_ahead.children.append(child)
        return look_ahead

    @classmethod
    def adopt_early(cls, output_dir: os.PathLike | str, state_dir: os.PathLike | str) -> LookAhead | None:
        """The children the program's first step started, when they look at `output_dir` for the
        cache in `state_dir`; ended otherwise (None)."""
        early = _early[:]
        _early.clear()
        for look_ahead in early:
            if (look_ahead.output_dir, look_ahead.state_dir) == (os.fspath(output_dir), os.fspath(state_dir)):
                return look_ahead
            look_ahead.close()
        return None

    def take(self, entries: object, expected_identity: object) -> OutputLook | None:
        """The children's look when it was taken of `entries` and its identity is
        `expected_identity`; None otherwise (the caller looks for itself). Ends the children.
        (A lone child that read the entries itself made the digest of what it saw, the entries
        included: the same identity means the same entries, as they were stored with it.)"""
        handed_other = self.entries is not None and entries != self.entries
        if not isinstance(entries, str) or not self.children or handed_other:
            self.close()
            return None
        # while the children finish (a lone child makes the digest itself)
        hasher = output_lines.identity_hasher(entries) if len(self.children) > 1 else None
        shares = []
        try:
            for _pid, pipe in self.children:
                shares.append(_read_all(pipe))
        except OSError:
            return None
        finally:
            self.close()
        look = _decode(shares, entries, hasher)
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


def start_early(arguments: list[str], working_folder: str | None = None) -> None:
    """The program's first step: when `arguments` are those of a build that may use children
    (see EARLY_OPTIONS), start them now, from the cache of the workspace the build will read,
    for its output folder as far as it can be known without the settings: the only one the
    cache has a list for, else the default one. The build adopts them (`adopt_early`) when its
    settings name the same folder; `close_early` ends any left over."""
    if not _can_fork():
        return
    workspace = _workspace_of_build(arguments)
    if workspace is None:
        return
    root = os.path.realpath(os.path.join(working_folder or os.getcwd(), workspace))
    state_dir = os.path.join(root, STATE_DIR)
    sizes = peek_entry_sizes(state_dir)
    output_dir = next(iter(sizes)) if len(sizes) == 1 else os.path.join(root, DEFAULT_OUTPUT)
    if not worth_a_child(sizes.get(output_dir, 0)):
        return
    # A Ctrl+C (kimsite's own handler is not in place yet) waits until the children are known,
    # so that whatever ends the program ends them (see close_early).
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        child = _fork_looker(output_dir, None, whole=True, state_dir=state_dir)
        if child is not None:
            _early.append(LookAhead([child], None, output_dir, state_dir))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def worth_a_child(entries_size: int) -> bool:
    """Whether a list of entries of this size (bytes, or characters) is worth a child's look."""
    return entries_size >= MIN_ENTRIES * _ENTRY_BYTES


def close_early() -> None:
    """End the children the program's first step started and no build adopted."""
    while _early:
        _early.pop().close()


def adopt_identity(output_dir: str, state_dir: str) -> tuple | None:
    """The identity of the output (head numbers, then the digest), looked at together with the
    lone child the program's first step started for `output_dir` and the cache in `state_dir`;
    None when there is no such child, or the output is not as the child's entries describe.
    The child is ended either way."""
    for started in _early:
        if (started.output_dir, started.state_dir) == (output_dir, state_dir) and len(started.children) == 1:
            _early.remove(started)
            try:
                # the list as the cache holds it now (the stamp was read from it): were it not the
                # child's, the lines would not make the identity the stamp names
                entries = peek_entries(state_dir).get(output_dir) if started.entries is None else started.entries
                if not output_lines.entries_valid(entries):
                    return None
                return _look_with(started.children[0][1], output_dir, entries)
            except OSError:
                return None
            finally:
                started.close()
    return None


def _look_with(pipe: int, output_dir: str, entries: str) -> tuple | None:
    """The identity of the output, looked at with the child writing to `pipe`: it looks from
    the first entry on, this process from the last one back, until they meet. This process
    starts once the child has written its head: the child has then checked the entries (see
    `_stream_look`), and it looks at the same output folder."""
    received = [_read_head(pipe)]
    if not received[0]:
        return None  # the entries or the output are not as kimsite made them
    os.set_blocking(pipe, False)
    counts = [received[0].count(b"\n") - 1]  # entry lines in each piece received (the head's not)
    got = counts[0]  # entry lines received (then the digest's)
    end = entries.count("\0") + 1  # the entries from `end` on are looked at here
    cut = len(entries)  # where in `entries` those start, with the NUL before them
    mine: list[str] = []  # their lines, the last ones first
    child_done = False
    folder = os.open(output_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        head = output_lines.head_of(os.fstat(folder), os.lstat(MARKER, dir_fd=folder))
        if head is None:
            return None
        line, lstat = output_lines.line, os.lstat
        while got < end:
            while not child_done:  # what the child has sent meanwhile
                try:
                    data = os.read(pipe, 1 << 20)
                except BlockingIOError:
                    break
                if not data:
                    child_done = True
                    break
                received.append(data)
                counts.append(data.count(b"\n"))
                got += counts[-1]
            step = min(_STEAL_STEP, end - got)
            if step <= 0:
                break
            start = cut
            for _ in range(step):
                start = entries.rfind("\0", 0, start)
            names = entries[start + 1:cut].split("\0")
            mine.append("".join([line(lstat(name, dir_fd=folder)) for name in names]))
            end, cut = end - step, start
    finally:
        os.close(folder)
    if not mine:  # the child looked at all of them, and makes the digest
        if not child_done:  # (its last line may still be on its way)
            os.set_blocking(pipe, True)
            received.append(_read_all(pipe))
        seen = identity_of(b"".join(received))
        return seen if seen is not None and tuple(seen[:4]) == head else None
    theirs = _first_lines(received, counts, end)
    if theirs is None or not received[0].startswith(" ".join(map(str, head)).encode("ascii") + b"\n"):
        return None  # cut short, or the child looked at another folder
    return (*head, output_lines.identity_digest(entries, theirs + "".join(reversed(mine)).encode("ascii")))


def _first_lines(received: list[bytes], counts: list[int], wanted: int) -> bytes | None:
    """The first `wanted` entry lines of the pieces `received` (the first begins with the head
    line; `counts`: the entry lines that end in each piece), without splitting them all."""
    pieces, left = [received[0][received[0].find(b"\n") + 1:]], wanted
    for index, piece in enumerate(received):
        if index:
            pieces.append(piece)
        if counts[index] < left:
            left -= counts[index]
            continue
        last, position = pieces[-1], -1
        for _ in range(left):
            position = last.find(b"\n", position + 1)
        pieces[-1] = last[:position + 1]
        return b"".join(pieces)
    return None


def _read_head(pipe: int) -> bytes:
    """The child's first line, newline included (and whatever came with it); b"" when it wrote
    none."""
    data = b""
    while b"\n" not in data:
        chunk = os.read(pipe, 1 << 20)
        if not chunk:
            return b""
        data += chunk
    return data


def identity_of(share: bytes) -> tuple | None:
    """(head numbers..., digest) of a look at all of an output's entries (see `look`)."""
    split = _split_share(share)
    if split is None:
        return None
    head, _lines, digest = split
    if len(digest) != output_lines.IDENTITY_DIGITS or not set(digest) <= _HEX_DIGITS:
        return None
    try:
        numbers = tuple(int(number) for number in head.split(b" "))
    except ValueError:
        return None
    return (*numbers, digest.decode("ascii")) if len(numbers) == 4 else None


def _workspace_of_build(arguments: list[str]) -> str | None:
    """The workspace folder (`-C FOLDER`) of `kimsite build` given only options of
    EARLY_OPTIONS (long ones also as `--name=value`), else None."""
    given = build_options(arguments, EARLY_OPTIONS)
    if given is None:
        return None  # not known to leave the output where the settings put it
    return next((value for name, value in reversed(given) if name == "-C"), ".")


def build_options(arguments: list[str], known: dict[str, bool]) -> list[tuple[str, str | None]] | None:
    """The options of `kimsite build ...` as (name, value) pairs in order (None for a flag), when
    every one is in `known` (True: a value follows, also as `--name=value` for a long one); else
    None. Read in the program's first step, before click is loaded; click reads them again."""
    if not arguments or arguments[0] != "build":
        return None
    given: list[tuple[str, str | None]] = []
    rest = iter(arguments[1:])
    for argument in rest:
        name, equals, value = argument.partition("=") if argument.startswith("--") else (argument, "", "")
        takes_value = known.get(name)
        if takes_value is None or (equals and not takes_value):
            return None
        if takes_value and not equals:
            value = next(rest, None)
            if value is None:
                return None
        given.append((name, value if takes_value else None))
    return given


_SAME_OPTION = {"--quiet": "-q", "--jobs": "-j"}  # the long names of options with a short one


def build_values(arguments: list[str], known: dict[str, bool]) -> dict[str, str | None] | None:
    """The options of `kimsite build ...` by their short or only name (None for a flag), when
    `build_options` reads them, each is given at most once, and each value is one click takes as
    it is (not beginning with "-"; `-j` a number from 1 to 64; `--lang` id or en); else None:
    click's rules decide."""
    given = build_options(arguments, known)
    if given is None:
        return None
    values: dict[str, str | None] = {}
    for name, value in given:
        name = _SAME_OPTION.get(name, name)
        if name in values or (value is not None and value.startswith("-")):
            return None  # said twice, or a value click may read otherwise
        values[name] = value
    jobs = values.get("-j")
    if jobs is not None and not (jobs.isdigit() and jobs.isascii() and 1 <= int(jobs) <= 64):
        return None
    if values.get("--lang") not in (None, "id", "en"):
        return None
    return values


def _can_fork() -> bool:
    """On Linux, with no other thread in this process (none can run before `threading` is
    loaded; one could hold a lock a child would then wait for)."""
    threading = sys.modules.get("threading")
    return sys.platform.startswith("linux") and (threading is None or threading.active_count() == 1)


def _parts(entries: str, count: int) -> list[str]:
    """`entries` cut at up to `count` - 1 of its separators into lists of entries of about the
    same length (fewer when cuts would fall on the same separator). Joined with separators they
    are `entries` again, so each is a list kimsite made exactly when all are (see
    output_lines.entry_names)."""
    parts, start = [], 0
    for share in range(1, count):
        cut = entries.find("\0", max(start, len(entries) * share // count))
        if cut < 0:
            break
        parts.append(entries[start:cut])
        start = cut + 1
    parts.append(entries[start:])
    return parts


def _fork_looker(output_dir: str, entries: str | None, whole: bool = False,
                 state_dir: str = "") -> tuple[int, int] | None:
    """A child looking at the output's `entries` (its process id and the read end of its pipe),
    or None when no process can be made. `whole`: they are all the entries (see `look`). None
    for `entries`: the child reads them from the cache in `state_dir`, and writes nothing when
    there are none."""
    read_end, write_end = os.pipe()
    try:
        import fcntl

        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 1 << 20)  # the child seldom waits for its reader
    except (ImportError, AttributeError, OSError):  # not Linux, or a smaller limit
        pass
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: look, write, and leave without running anything of the parent's
        status = 1
        try:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked by start_early
            os.close(read_end)
            pipe = _PipeWriter(write_end)
            if entries is None:
                entries = peek_entries(state_dir).get(output_dir)
            if entries is not None:
                _stream_look(pipe.write, output_dir, entries, whole)
            pipe.finish()
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def look(output_dir: str, entries: str, whole: bool = False) -> bytes:
    """What `_stream_look` writes, as one piece of bytes (a small output's, looked at here)."""
    chunks: list[bytes] = []
    _stream_look(chunks.append, output_dir, entries, whole)
    return b"".join(chunks)


def _stream_look(write, output_dir: str, entries: str, whole: bool = False) -> None:
    """`write` the head line, the line of each of `entries` as freshness.look_at_output sees
    them, a few thousand at a time, and last the digest of the output's identity when `entries`
    are all its entries (else an empty line). Nothing more is written once the output is not as
    the entries describe, or they are not entries kimsite made (whoever reads it then looks
    itself). The entries are looked at from inside the very folder the head describes."""
    names = output_lines.entry_names(entries)
    if names is None:
        return
    try:
        folder = os.open(output_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return
    try:
        head = output_lines.head_of(os.fstat(folder), os.lstat(MARKER, dir_fd=folder))
    except OSError:
        head = None
    if head is None:
        os.close(folder)
        return
    write(f"{' '.join(map(str, head))}\n".encode("ascii"))
    # A lone child makes the digest itself, while the parent is still reading the workspace.
    hasher = output_lines.identity_hasher(entries) if whole else None
    line, lstat = output_lines.line, os.lstat
    try:
        for start in range(0, len(names), STREAM_STEP):
            chunk = "".join([line(lstat(name, dir_fd=folder)) for name in names[start:start + STREAM_STEP]])
            data = chunk.encode("ascii")
            write(data)
            if hasher is not None:
                hasher.update(data)
    except OSError:
        return
    finally:
        os.close(folder)
    write(f"{hasher.hexdigest() if hasher is not None else ''}\n".encode("ascii"))


def _decode(shares: list[bytes], entries: str, hasher) -> OutputLook | None:
    """The look the children's shares make together, or None when any share is missing or
    they did not all see the same output folder. `hasher`: identity_hasher(entries), or None
    when one child looked at all of them and made the digest."""
    heads, digests, parts = set(), [], []
    for share in shares:
        split = _split_share(share)
        if split is None:
            return None
        head, lines, digest = split  # (lines: a megabyte, copied once)
        try:
            heads.add(tuple(int(number) for number in head.split(b" ")))
        except ValueError:
            return None
        if not lines.isascii():
            return None
        digests.append(digest)
        parts.append(lines)
    if len(heads) != 1 or len(head := heads.pop()) != 4:
        return None
    if sum(part.count(b"\n") for part in parts) != entries.count("\0") + 1:
        return None
    if hasher is None:
        if len(parts) != 1 or len(digests[0]) != output_lines.IDENTITY_DIGITS or not set(digests[0]) <= _HEX_DIGITS:
            return None
        identity = digests[0].decode("ascii")
    else:
        for part in parts:
            hasher.update(part)
        identity = hasher.hexdigest()
    from kimsite.write import freshness

    def make_lines() -> dict[str, str]:
        # (a line holds digits and NULs only: splitlines cuts at its newlines and nowhere else;
        # the entries were checked by the children, and again by the build that read them)
        return dict(zip(entries.split("\0"), b"".join(parts).decode("ascii").splitlines(keepends=True)))

    return freshness.OutputLook(head, make_lines=make_lines, identity=(*head, identity), entries=entries)


def _split_share(share: bytes) -> tuple[bytes, bytes, bytes] | None:
    """(head, lines, digest) of a child's whole share; None when it was cut short."""
    first = share.find(b"\n")
    last = share.rfind(b"\n", 0, len(share) - 1)
    if first < 0 or last < first or not share.endswith(b"\n"):
        return None
    return share[:first], share[first + 1:last + 1], share[last + 1:-1]


class _PipeWriter:
    """A child's end of its pipe: what the pipe cannot take yet waits here, and the child looks
    on meanwhile (its reader may read only at the end)."""

    def __init__(self, fd: int):
        self.fd = fd
        self.pending = bytearray()
        os.set_blocking(fd, False)

    def write(self, data: bytes) -> None:
        self.pending += data
        try:
            while self.pending:
                del self.pending[:os.write(self.fd, self.pending)]
        except BlockingIOError:
            pass

    def finish(self) -> None:
        """Write what waits (waiting for the reader), then close the pipe."""
        os.set_blocking(self.fd, True)
        view = memoryview(self.pending)
        while view:
            view = view[os.write(self.fd, view):]
        os.close(self.fd)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)
