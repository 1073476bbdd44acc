"""The build cache's file, and the two things read from it in the program's first step: the
list of entries each output had when a build last wrote it (see kimsite.write.look_ahead), and
the stamp of the last build (see kimsite.write.up_to_date).

Kept apart from kimsite.workspace.cache, loading only `os`, `stat` and `sqlite3`, because the
program's first step reads it before it has loaded anything else. Both are stored as text,
not pickled: they are read before anything could check them, and the cache may come from
elsewhere. The list is only a hint: the build uses what the children it starts see only when
the cache read under the lock names the very same entries.
"""

from __future__ import annotations

import os
import sqlite3
import stat

from kimsite import __version__

SCHEMA = f"kimsite-cache-9:{__version__}"
FILE_NAME = "cache.sqlite"
# The key of an output's list of entries: this prefix, then the output folder's path.
ENTRIES_PREFIX = "entries:"
_ENTRIES_END = ENTRIES_PREFIX[:-1] + chr(ord(ENTRIES_PREFIX[-1]) + 1)  # the first key after them


def files_of(path: str) -> list[str]:
    """The database at `path` and SQLite's own files beside it."""
    return [path + suffix for suffix in ("", "-wal", "-shm", "-journal")]


def odd_files(path: str) -> list[str]:
    """The cache's files (the database and SQLite's own beside it) that are not plain files."""
    return [p for p in files_of(path) if os.path.lexists(p) and not stat.S_ISREG(os.lstat(p).st_mode)]


def peek_entries(state_dir: str) -> dict[str, str]:
    """Each output's list of entries by the output folder's path, as the cache in `state_dir`
    holds them now, read without the workspace lock and without writing anything; empty when
    they cannot be read, for whatever reason. Only plain files are opened, as by
    BuildCache.open."""
    rows = _read_rows(state_dir, "SELECT key, value FROM state WHERE key >= ? AND key < ?",
                      (ENTRIES_PREFIX, _ENTRIES_END))
    return {key[len(ENTRIES_PREFIX):]: value.decode("utf-8", "surrogateescape")
            for key, value in rows if isinstance(value, bytes)}


def peek_entry_sizes(state_dir: str) -> dict[str, int]:
    """The size in bytes of each output's list of entries (see peek_entries), read as it reads
    but without the lists themselves (SQLite answers length() from the row's header): the
    program's first step decides with it whether a child should look at the output, and the
    child reads the list."""
    rows = _read_rows(state_dir, "SELECT key, length(value) FROM state WHERE key >= ? AND key < ?",
                      (ENTRIES_PREFIX, _ENTRIES_END))
    return {key[len(ENTRIES_PREFIX):]: size for key, size in rows if isinstance(size, int)}


def peek_text(state_dir: str, key: str) -> str | None:
    """The text kept under `key` (see BuildCache.keep_text), read as peek_entries reads; None
    when there is none or it cannot be read."""
    rows = _read_rows(state_dir, "SELECT key, value FROM state WHERE key = ?", (key,))
    if len(rows) != 1 or not isinstance(rows[0][1], bytes):
        return None
    try:
        return rows[0][1].decode("utf-8")
    except UnicodeDecodeError:
        return None


def _read_rows(state_dir: str, query: str, parameters: tuple) -> list[tuple]:
    """The rows `query` finds in the cache in `state_dir`, opened read-only; none when the
    cache cannot be read, for whatever reason."""
    path = os.path.join(state_dir, FILE_NAME)
    try:
        if not stat.S_ISDIR(os.lstat(state_dir).st_mode) or odd_files(path) or not os.path.isfile(path):
            return []
        connection = sqlite3.connect(f"file://{_quoted(os.path.abspath(path))}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if not row or row[0] != SCHEMA:
                return []
            return connection.execute(query, parameters).fetchall()
        finally:
            connection.close()
    except Exception:  # unreadable in any way: no hint (the build reads the cache as always)
        return []


_URI_PLAIN = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")


def _quoted(path: str) -> str:
    """Absolute `path` as in a file: URI (pathlib's as_uri, without loading pathlib)."""
    return "".join(chr(byte) if byte in _URI_PLAIN else f"%{byte:02X}" for byte in os.fsencode(path))
