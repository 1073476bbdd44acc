"""The persistent build cache in .kimsite/cache.sqlite.

It remembers, between builds: each source file's content hash (by size and
modification time, so unchanged files are not even read), each KIM's parse
results and each body (by digest), and named states (what a build kept of each KIM, see
kimsite.write.kept_kims; the output manifest).
SQLite keeps it consistent when a build is killed; anything unreadable or from
another kimsite version is detected and the cache is started afresh.
"""

from __future__ import annotations

import dataclasses
import enum
import io
import os
import pickle
import sqlite3
import zlib
from pathlib import Path
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from kimsite.base.dates import DateOnly
from kimsite.base.files import remove_tree
from kimsite.workspace.cache_peek import ENTRIES_PREFIX, FILE_NAME, SCHEMA, files_of, odd_files


class CacheCorrupt(Exception):
    pass


class BuildCache:
    def __init__(self, connection: sqlite3.Connection, path: Path | None):
        self.db = connection
        self.path = path
        # the entries kept_entries read, by output folder: what the row holds until this build
        # writes it (it holds the workspace lock), so keeping them again needs no second read
        self._entries_read: dict[str, str] = {}

    @classmethod
    def open(cls, state_dir: Path | None) -> tuple["BuildCache", bool]:
        """Open (or create) the cache; the flag is True when a damaged or stale cache was discarded."""
        if state_dir is None:
            cache = cls(_connect(":memory:"), None)
            cache._create()
            return cache, False
        state_dir.mkdir(parents=True, exist_ok=True)
        path = state_dir / FILE_NAME
        # SQLite follows links and cannot open folders: anything but plain files is discarded.
        odd = [Path(found) for found in odd_files(str(path))]
        for found in odd:
            remove_tree(found)
        existed = bool(odd) or path.is_file() and path.stat().st_size > 0
        try:
            if odd:
                raise CacheCorrupt
            cache = cls(_connect(str(path)), path)
            if cache._schema() != SCHEMA:
                cache.close()
                raise CacheCorrupt
            return cache, False
        except (sqlite3.DatabaseError, CacheCorrupt, OSError):
            # Damaged, from another kimsite version, or new: start afresh; only an existing
            # cache that could not be used is worth telling the user about.
            discard(state_dir)
            cache = cls(_connect(str(path)), path)
            cache._create()
            return cache, existed

    @classmethod
    def reader(cls, path: Path | None) -> "BuildCache":
        """A separate connection to an existing cache, for worker processes."""
        return cls(sqlite3.connect(str(path) if path else ":memory:"), path)

    def instance(self) -> str | None:
        """A name of this cache that no other cache has (a deleted and recreated cache file, or
        one replaced by another, has another); None for a cache in memory."""
        if self.path is None:
            return None
        row = self.db.execute("SELECT value FROM meta WHERE key = 'instance'").fetchone()
        if row is None:
            token = os.urandom(16).hex()
            self.db.execute("INSERT INTO meta VALUES ('instance', ?)", (token,))
            return token
        return row[0]

    def _schema(self) -> str | None:
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError:
            return None
        return row[0] if row else None

    def _create(self) -> None:
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE IF NOT EXISTS sources (path TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER,
                                                hash TEXT);
            CREATE TABLE IF NOT EXISTS parsed (digest TEXT PRIMARY KEY, body TEXT);
            CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value BLOB, checksum TEXT);
            """
        )
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA,))
        self.db.commit()

    # --- sources -------------------------------------------------------------
    def source_hashes(self, paths: list[str] | None = None) -> dict[str, tuple[int, int, str]]:
        """(mtime_ns, size, hash) of every remembered source file, or of those of `paths`."""
        if paths is None:
            return {path: (mtime, size, digest) for path, mtime, size, digest
                    in self.db.execute("SELECT path, mtime_ns, size, hash FROM sources")}
        found: dict[str, tuple[int, int, str]] = {}
        for chunk in _chunks(paths, 500):
            marks = ",".join("?" * len(chunk))
            found.update((path, (mtime, size, digest)) for path, mtime, size, digest in self.db.execute(
                f"SELECT path, mtime_ns, size, hash FROM sources WHERE path IN ({marks})", chunk))
        return found

    def source_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM sources").fetchone()[0]

    def remember_sources(self, rows: Iterable[tuple[str, int, int, str]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?)", rows)

    def forget_sources(self, paths: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM sources WHERE path = ?", ((p,) for p in paths))

    # --- bodies of parsed sources ---------------------------------------------
    # (Parse results themselves are remembered per KIM as named states, see kimsite.parse.parsing.)
    def bodies(self, digests: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in _chunks(list(digests), 500):
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(f"SELECT digest, body FROM parsed WHERE digest IN ({marks})", chunk))
        return found

    def store_bodies(self, rows: Iterable[tuple[str, str]]) -> None:
        """rows: (digest, body HTML)."""
        self.db.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?)", rows)

    def forget_bodies(self, digests: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM parsed WHERE digest = ?", ((d,) for d in digests))

    # --- named states ----------------------------------------------------------
    def get_state(self, key: str) -> Any:
        row = self.db.execute("SELECT value, checksum FROM state WHERE key = ?", (key,)).fetchone()
        if not row:
            return None
        return _unpickle(row[0], row[1])

    def set_state(self, key: str, value: Any) -> None:
        blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.db.execute("INSERT OR REPLACE INTO state VALUES (?, ?, ?)", (key, blob, _checksum(blob)))

    def _entries_row(self, output_dir: Path) -> tuple | None:
        """(value, checksum) of the row keeping the entries of `output_dir`, or None."""
        return self.db.execute("SELECT value, checksum FROM state WHERE key = ?",
                               (f"{ENTRIES_PREFIX}{output_dir}",)).fetchone()

    def kept_entries(self, output_dir: Path) -> str | None:
        """The entries of `output_dir` kept by the last build (see keep_entries_hint), or None
        when there are none or their checksum is not theirs (the build then takes the output as
        unknown and builds it whole)."""
        row = self._entries_row(output_dir)
        if row is None or not isinstance(row[0], bytes) or _checksum(row[0]) != row[1]:
            return None
        entries = self._entries_read[str(output_dir)] = row[0].decode("utf-8", "surrogateescape")
        return entries

    def keep_entries_hint(self, output_dir: Path, entries: str | None) -> None:
        """Keep `entries` (NUL-separated paths of the output's entries) as text, the one list of
        them: for the next build's first step (see kimsite.workspace.cache_peek) and its look at
        the output (kept_entries). Rewritten only when the row is not already these bytes with
        their checksum: an edit build seldom adds or removes a file."""
        key = f"{ENTRIES_PREFIX}{output_dir}"
        if entries is not None and entries is self._entries_read.get(str(output_dir)):
            return  # the very text read from the row (an edit that added and removed nothing)
        self._entries_read.pop(str(output_dir), None)
        if entries is None:
            self.db.execute("DELETE FROM state WHERE key = ?", (key,))
            return
        text = entries.encode("utf-8", "surrogateescape")
        row = self._entries_row(output_dir)
        if row is None or row[0] != text or row[1] != _checksum(text):
            self.db.execute("INSERT OR REPLACE INTO state VALUES (?, ?, ?)", (key, text, _checksum(text)))

    def kept_text(self, key: str) -> str | None:
        """The text kept under `key` (see keep_text), or None."""
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        if row is None or not isinstance(row[0], bytes):
            return None
        try:
            return row[0].decode("utf-8")
        except UnicodeDecodeError:
            return None

    def keep_text(self, key: str, text: str | None) -> None:
        """Keep `text` under `key` as UTF-8 text, not pickled, for the program's first step to
        read (kimsite.workspace.cache_peek.peek_text); None removes it."""
        if text is None:
            self.db.execute("DELETE FROM state WHERE key = ?", (key,))
            return
        data = text.encode("utf-8")
        self.db.execute("INSERT OR REPLACE INTO state VALUES (?, ?, ?)", (key, data, _checksum(data)))

    def delete_state(self, key: str) -> None:
        self.db.execute("DELETE FROM state WHERE key = ?", (key,))

    def state_keys(self, prefix: str) -> list[str]:
        """The keys of the states whose key starts with `prefix`, their values left unread."""
        if not prefix:
            return [key for key, in self.db.execute("SELECT key FROM state")]
        # a key range the primary key's index finds (prefix <= key < the prefix's successor)
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return [key for key, in self.db.execute("SELECT key FROM state WHERE key >= ? AND key < ?", (prefix, after))]

    def _states_under(self, prefix: str) -> list[tuple[str, bytes, str]]:
        """(key, value, checksum) of every state whose key starts with `prefix`."""
        if prefix.endswith(GROUP_SEPARATOR):  # a key range the primary key's index finds
            return self.db.execute("SELECT key, value, checksum FROM state WHERE key >= ? AND key < ?",
                                   (prefix, prefix[:-1] + chr(ord(GROUP_SEPARATOR) + 1))).fetchall()
        return self.db.execute("SELECT key, value, checksum FROM state WHERE substr(key, 1, ?) = ?",
                               (len(prefix), prefix)).fetchall()

    # --- states kept in groups ---------------------------------------------------
    # A large state (the output manifest: one row per published file) is stored as one entry
    # per group (a KIM's folder), so that a build rewrites only the groups that changed.
    def get_groups(self, name: str, loaded: dict[str, tuple[bytes, Any]] | None = None) -> dict[str, Any]:
        """Every group of a grouped state, by group name. `loaded` (kept by a process that builds
        again and again): groups unpickled before, handed out again while their stored bytes
        are the very same; the caller never changes what it gets."""
        prefix = _group_prefix(name)
        groups: dict[str, Any] = {}
        for key, value, checksum in self._states_under(prefix):
            kept = loaded.get(key) if loaded is not None else None
            if kept is not None and kept[0] == value:
                groups[key[len(prefix):]] = kept[1]
                continue
            groups[key[len(prefix):]] = found = _unpickle(value, checksum)
            if loaded is not None:
                loaded[key] = (value, found)
        if loaded is not None:
            for gone in [key for key in loaded if key.startswith(prefix) and key[len(prefix):] not in groups]:
                del loaded[gone]
        return groups

    def set_groups(self, name: str, groups: dict[str, Any], previous: dict[str, Any]) -> None:
        """Store the groups that differ from `previous` (what get_groups returned) and delete
        those that are gone."""
        prefix = _group_prefix(name)
        for group, value in groups.items():
            if previous.get(group) != value:
                self.set_state(prefix + group, value)
        for group in previous.keys() - groups.keys():
            self.delete_state(prefix + group)

    def commit(self) -> None:
        self.db.commit()

    def hold_checkpoints(self) -> None:
        """Until `checkpoint`, a commit only appends to the write-ahead log. Copying the log into
        the database, and the two fsyncs that come with it (a quarter of a second after a cold
        build's parse at 10,000 articles), then happen when the build would otherwise wait."""
        self.db.execute("PRAGMA wal_autocheckpoint=0")

    def checkpoint(self) -> None:
        """Copy what the write-ahead log holds into the database, and check it in as SQLite
        does by default again (every 1,000 pages)."""
        self.db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        self.db.execute("PRAGMA wal_autocheckpoint=1000")

    def close(self) -> None:
        self.db.close()


def discard(state_dir: Path) -> None:
    """Delete the cache database of a state folder (whatever stands at its names)."""
    for found in files_of(str(state_dir / FILE_NAME)):
        remove_tree(Path(found))


def _connect(target: str) -> sqlite3.Connection:
    connection = sqlite3.connect(target)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()  # fails on a damaged file
    return connection


GROUP_SEPARATOR = "\x1f"  # a character no path or name contains: groups of "a" never match "ab"


def _group_prefix(name: str) -> str:
    return f"{name}{GROUP_SEPARATOR}"


def _checksum(blob: bytes) -> str:
    """What finds a value damaged in the cache file (not a forged one: see _StateUnpickler).
    CRC-32 finds every damage of up to 32 bits in a row and misses one of 4 billion others;
    an edit build checks about 20 MB of state at 10,000 articles, which BLAKE2b took 0.02 s for."""
    return f"{zlib.crc32(blob):08x}"


def _unpickle(blob: bytes, checksum: str) -> Any:
    if _checksum(blob) != checksum:
        raise CacheCorrupt("checksum mismatch")
    try:
        return _StateUnpickler(io.BytesIO(blob)).load()
    except Exception as exc:  # any failure to load means the cache cannot be trusted
        raise CacheCorrupt(str(exc)) from exc


# The cache may come from elsewhere (a restored CI cache, a file added to the repository), and
# unpickling can call any function a pickle names: only the types kimsite stores are allowed.
_SAFE_GLOBALS = {("datetime", name) for name in ("date", "datetime", "time", "timedelta", "timezone")} | {
    ("zoneinfo", "ZoneInfo"), ("pathlib", "PosixPath"), ("pathlib", "PurePosixPath"), ("pathlib", "WindowsPath"),
    ("pathlib", "PureWindowsPath"), ("kimsite.model.model", "_document_from_state"),
    (DateOnly.__module__, DateOnly.__name__)}


def _zoneinfo_getattr(owner: object, name: str) -> Any:
    """The only attribute a stored value is rebuilt through: ZoneInfo._unpickle (see ZoneInfo.__reduce__)."""
    if owner is not ZoneInfo or name != "_unpickle":
        raise pickle.UnpicklingError(f"attribute {name!r} is not allowed in the cache")
    return ZoneInfo._unpickle


_allowed: dict[tuple[str, str], Any] = {}  # what find_class allowed, by name: asked 2,000 times by an edit


class _StateUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        found = _allowed.get((module, name))
        if found is None:  # (what is refused raises, and is not kept)
            found = _allowed[module, name] = self._allowed_global(module, name)
        return found

    def _allowed_global(self, module: str, name: str) -> Any:
        if (module, name) == ("builtins", "getattr"):
            return _zoneinfo_getattr
        if (module, name) in _SAFE_GLOBALS:
            return super().find_class(module, name)
        if module.startswith("kimsite.") and "." not in name and not module.endswith("__main__"):
            found = super().find_class(module, name)  # importing a kimsite module runs nothing of note
            if isinstance(found, type) and found.__module__ == module and \
                    (dataclasses.is_dataclass(found) or issubclass(found, enum.Enum) or _is_named_tuple(found)):
                return found  # records: building one has no effect beyond the object itself
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def _is_named_tuple(found: type) -> bool:
    """A class made by typing.NamedTuple, whose instances are plain tuples with names (its
    __new__ cannot be replaced)."""
    return found.__bases__ == (tuple,) and isinstance(getattr(found, "_fields", None), tuple)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]
