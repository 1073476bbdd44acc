"""A build with nothing to do, known in the program's first step, before kimsite is loaded.

Loading kimsite and its libraries, reading the settings and every KIM's site file take a
no-change build more than half of its time, only to find what the last build already knew.
So every build that wrote the output without an error leaves a stamp in the cache: the size
and time of every input it read (each source and site file, the settings, each folder listed,
the themes, stored feeds and kimsite's own code), the options, the output's identity, when time
alone would change the output, and what a build that finds nothing to do prints (its warnings,
then its summary). `kimsite build` then starts by comparing that
stamp with the workspace (one `lstat` per input) while a child process looks at the output (see
kimsite.write.look_ahead). When everything is as the stamp says, the build ends there, with the
same lines a no-change build prints; when anything differs, or cannot be known, the build runs
as always. The stamp describes only what it saw: a stamp that no longer matches is never used.

It is read under the workspace lock, as text (never unpickled: it is read before anything could
check it, and the cache may come from elsewhere); what a forged one could claim is what the
build's own remembered state could: that the output in place is the one the inputs make.
This module loads only `os`, `stat`, `sys`, `time`, `fcntl` and `sqlite3`.
"""

from __future__ import annotations

import os
import stat
import sys
import time

from kimsite import __version__
from kimsite.base.language_choice import cli_language
from kimsite.workspace import cache_peek
from kimsite.workspace.folder_names import (JOURNAL, JOURNAL_WRITING, LOCK_FILE, MARKER, STATE_DIR,
                                            STATE_FOLDERS, WORK_ROLES)
from kimsite.write import look_ahead, output_lines

FORMAT = "kimsite-up-to-date-2"
KEY = "up-to-date"  # the stamp's row in the cache (one per workspace: the output its settings name)
# Record kinds: a regular file (size, time), a folder (time), nothing at all.
FILE, FOLDER, ABSENT = "f", "d", "a"
# Where the printed lines take the output folder and the seconds (filled in seconds first: a
# folder's name could hold anything but a NUL).
OUTPUT_MARK, SECONDS_MARK = "\x01", "\x02"
_HEADER_LINES = 11

# The options of `kimsite build` a stamp can answer for (True: a value follows): the rest
# (--output, --site, --no-cache, --search, --timings, --for-publish, ...) wait for the build.
_OPTIONS = {"-C": True, "-q": False, "--quiet": False, "--strict": False, "--drafts": False, "--future": False,
            "-j": True, "--jobs": True, "--lang": True, "--base-url": True}


def options_key(drafts: bool, future: bool, strict: bool, base_url: str | None) -> str:
    """The options that shape a build's output or its outcome, as one line."""
    return f"{drafts:d}{future:d}{strict:d}" + ("" if base_url is None else f"={base_url}")


# The folder of this kimsite package: a stamp lists the files of the kimsite that made it, and
# another copy of the same version (a second checkout, another environment) may differ.
_PACKAGE = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # as the stamp lists its files


def interpreter() -> str:
    """The Python and kimsite a stamp was made by: another one may read inputs differently."""
    return f"{__version__}\0{_PACKAGE}\0{sys.executable}\0{sys.version}".replace("\n", " ")


def stamp_text(root: str, options: str, valid: tuple[float, float], output_dir: str, identity: tuple,
               lines: dict[str, tuple[str, str]], problems: dict[str, list[str]], records: list[str]) -> str | None:
    """The stamp of a build; None when any part cannot be written as a line of text.
    `lines`: by language, the line a no-change build prints (with OUTPUT_MARK and SECONDS_MARK)
    and the line about articles left out ("" for none); `problems`: by language, the warnings it
    prints, in order. `records`: see kimsite.write.up_to_date_inputs."""
    shown = (root, options, output_dir, *lines["id"], *lines["en"], *problems["id"], *problems["en"])
    if any("\n" in part or "\0" in part for part in shown):
        return None
    header = [FORMAT, interpreter(), root, options, f"{valid[0]!r}\0{valid[1]!r}", output_dir,
              "\0".join(map(str, identity)), "\0".join(lines["id"]), "\0".join(lines["en"]),
              "\0".join(problems["id"]), "\0".join(problems["en"])]
    text = "\n".join(header + records)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a name that is not UTF-8: the stamp is not worth the trouble
        return None
    return text


def exit_when_up_to_date(arguments: list[str], started: float) -> None:
    """The program's first step: when `arguments` are a build the stamp answers for and nothing
    changed, print what a no-change build prints and end the program (exit code 0); otherwise
    return, having changed nothing, and the build runs as always."""
    found = lines_when_up_to_date(arguments, started)
    if found is None:
        return
    look_ahead.close_early()
    for stream, lines in zip((sys.stderr, sys.stdout), found):
        try:
            for line in lines:
                stream.write(line + "\n")
            stream.flush()
        except (OSError, ValueError, AttributeError):  # a reader that went away, a closed stream, none
            pass
    os._exit(0)


def lines_when_up_to_date(arguments: list[str], started: float,
                          working_folder: str | None = None) -> tuple[list[str], list[str]] | None:
    """What a no-change build given `arguments` prints (its warnings, then its summary), when the
    stamp answers for it and nothing changed; None otherwise. `started`: when the program
    started (time.perf_counter)."""
    request = _request(arguments)
    if request is None or os.environ.get("KIMSITE_NOW") or os.environ.get("SOURCE_DATE_EPOCH"):
        return None  # a clock set by hand: the build decides
    workspace, quiet, options, lang = request
    cwd = working_folder or os.getcwd()
    root = os.path.realpath(os.path.join(cwd, workspace))
    state_dir = os.path.join(root, STATE_DIR)
    found = _with_lock(state_dir, lambda: _up_to_date(root, state_dir, options))
    if found is None:
        return None
    output_dir, lines, problems = found
    if quiet:  # problems only: CI logs stay short
        return problems[lang], []
    done, left_out = lines[lang]
    where = os.path.relpath(output_dir, cwd) if _inside(output_dir, cwd) else output_dir
    seconds = f"{time.perf_counter() - started:.2f}"
    return problems[lang], [done.replace(SECONDS_MARK, seconds).replace(OUTPUT_MARK, where)] + \
        ([left_out] if left_out else [])


def _request(arguments: list[str]) -> tuple[str, bool, str, str] | None:
    """(workspace folder, quiet, options key, message language) of `kimsite build` given only
    options of _OPTIONS, each at most once and with a value click would take; else None."""
    values = look_ahead.build_values(arguments, _OPTIONS)
    if values is None:
        return None
    return (values.get("-C") or ".", "-q" in values,
            options_key("--drafts" in values, "--future" in values, "--strict" in values, values.get("--base-url")),
            cli_language(values.get("--lang")))


def _with_lock(state_dir: str, action):
    """`action()` while holding the workspace lock (as kimsite.workspace.lock takes it), or None
    when the lock is held by another build or cannot be taken here."""
    try:
        import fcntl
    except ImportError:
        return None
    try:
        if not stat.S_ISDIR(os.lstat(state_dir).st_mode):
            return None
        fd = os.open(os.path.join(state_dir, LOCK_FILE), os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return action()
    except OSError:
        return None
    finally:
        os.close(fd)  # (releases the lock)


def _up_to_date(root: str, state_dir: str, options: str) -> tuple[str, dict, dict] | None:
    """(output folder, lines by language, warnings by language) when the stamp answers for this
    build and everything is as it says; None otherwise."""
    if not _state_folder_as_kept(state_dir):
        return None
    text = cache_peek.peek_text(state_dir, KEY)
    if text is None:
        return None
    records = text.split("\n")
    if len(records) < _HEADER_LINES:
        return None
    form, made_by, stamped_root, stamped_options, valid, output_dir, identity, in_id, in_en, warned_id, warned_en = \
        records[:_HEADER_LINES]
    if (form, made_by, stamped_root, stamped_options) != (FORMAT, interpreter(), root, options):
        return None
    lines = {"id": in_id.split("\0"), "en": in_en.split("\0")}
    problems = {"id": warned_id.split("\0") if warned_id else [], "en": warned_en.split("\0") if warned_en else []}
    if any(len(pair) != 2 for pair in lines.values()) or len(problems["id"]) != len(problems["en"]):
        return None
    valid_from, _, valid_until = valid.partition("\0")
    if not float(valid_from) <= time.time() < float(valid_until):
        return None  # an article may have come due, or the date moved on
    if not os.path.isabs(output_dir) or _work_left_beside(output_dir):
        return None
    if not _inputs_unchanged(root, records, _HEADER_LINES):
        return None
    if _identity_now(output_dir, state_dir) != identity:
        return None
    return output_dir, lines, problems


def _state_folder_as_kept(state_dir: str) -> bool:
    """No interrupted build to put right, and nothing a build would remove from .kimsite/."""
    for name in (JOURNAL, JOURNAL_WRITING):
        if os.path.lexists(os.path.join(state_dir, name)):
            return False
    for name in STATE_FOLDERS:
        try:
            if not stat.S_ISDIR(os.lstat(os.path.join(state_dir, name)).st_mode):
                return False
        except FileNotFoundError:
            continue
    return True


def _work_left_beside(output_dir: str) -> bool:
    """Whether a killed build left a working folder beside the output (see writer.recover)."""
    parent, name = os.path.split(output_dir)
    return any(os.path.lexists(os.path.join(parent, f".{name}.kimsite-{role}")) for role in WORK_ROLES)


def _inputs_unchanged(root: str, records: list[str], start: int) -> bool:
    """Whether every record from `start` on is as the workspace is now (paths not starting with
    "/" are inside `root`; links are never followed: a link is not what any record says)."""
    try:
        top = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    lstat, is_file, is_folder = os.lstat, stat.S_ISREG, stat.S_ISDIR
    try:
        for index in range(start, len(records)):
            kind, _, rest = records[index].partition("\0")
            if kind == FILE:
                path, _, expected = rest.partition("\0")
                info = lstat(path, dir_fd=top)
                if not is_file(info.st_mode) or f"{info.st_size}\0{info.st_mtime_ns}" != expected:
                    return False
            elif kind == FOLDER:
                path, _, expected = rest.partition("\0")
                info = lstat(path, dir_fd=top)
                if not is_folder(info.st_mode) or str(info.st_mtime_ns) != expected:
                    return False
            elif kind == ABSENT:
                try:
                    lstat(rest, dir_fd=top)
                except FileNotFoundError:
                    continue
                return False
            else:
                return False
    except (OSError, ValueError):
        return False
    finally:
        os.close(top)
    return True


def _identity_now(output_dir: str, state_dir: str) -> str | None:
    """The output's identity as a stamp writes it: from the child the program's first step
    started for this output, else looked at here (a small output); None when unknown."""
    seen = look_ahead.adopt_identity(output_dir, state_dir)
    if seen is None:
        entries = cache_peek.peek_entries(state_dir).get(output_dir)
        if entries is None or look_ahead.worth_a_child(len(entries.encode("utf-8", "surrogateescape"))):
            return None  # a child would have looked (the first step's own measure): it could not be started
        seen = look_ahead.identity_of(look_ahead.look(output_dir, entries, whole=True))
        if seen is None:
            return None
    try:  # the output folder is still the one looked at
        head = output_lines.head_of(os.lstat(output_dir), os.lstat(os.path.join(output_dir, MARKER)))
    except OSError:
        return None
    if head is None or tuple(seen[:4]) != head:
        return None
    return "\0".join(map(str, seen))


def _inside(path: str, folder: str) -> bool:
    """Path.is_relative_to for absolute paths, without loading pathlib."""
    folder = folder.rstrip("/") or "/"
    return path == folder or path.startswith(folder if folder == "/" else folder + "/")
