"""The parse stage: every Markdown source of the built KIMs, cached by content, in parallel.

Unchanged files are not even read (the cache knows their hash by size and time);
changed ones are parsed across processes and stored in the cache as they come,
so memory stays bounded however large the workspace.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from kimsite import sources
from kimsite.cache import BuildCache
from kimsite.problems import Problems

if TYPE_CHECKING:
    from kimsite.article import ParseSettings
    from kimsite.build import BuildOptions
    from kimsite.config import SiteConfig
    from kimsite.model import Document

PARALLEL_PARSE_MIN = 64  # fewer changed files than this are parsed in this process
KEEP_BODIES_MAX = 20_000  # above this many documents, bodies are read back from the cache


def parse_all(root: Path, scan: sources.WorkspaceScan, sites: dict[str, SiteConfig], settings: ParseSettings,
               cache: BuildCache, problems: Problems, options: BuildOptions):
    """Parse every Markdown source of the built KIMs; unchanged files come from the cache."""
    from kimsite.article import ParsedSource, SourceFile, source_digest

    known = cache.source_hashes()
    source_rows = []
    wanted: list[tuple[sources.Entry, str | None]] = []
    file_hashes: dict[str, list[tuple[str, str, str]]] = {}
    for slug in sorted(sites):
        for entry in scan.content.get(slug, []):
            cached = known.get(entry.path)
            raw_hash = cached[2] if cached and cached[0] == entry.mtime_ns and cached[1] == entry.size else None
            if entry.kind == "file":
                if raw_hash is None:
                    raw_hash = _hash_file(root / entry.path)
                    source_rows.append((entry.path, entry.mtime_ns, entry.size, raw_hash))
                file_hashes.setdefault(slug, []).append((entry.rel, str(root / entry.path), raw_hash))
            else:
                wanted.append((entry, raw_hash))

    digests = {entry.path: source_digest(raw_hash, settings, entry.path) for entry, raw_hash in wanted if raw_hash}
    stored = cache.parsed(list(digests.values())) if digests else {}
    results: dict[str, ParsedSource] = {}
    changed: list[sources.Entry] = []
    for entry, raw_hash in wanted:
        digest = digests.get(entry.path)
        if digest and digest in stored:
            results[entry.path] = stored[digest]
        else:
            changed.append(entry)
    to_parse = [(SourceFile(entry.site, entry.path, entry.rel, entry.kind), str(sources.absolute(root, entry)))
                for entry in changed]

    from kimsite.parallel import parse_stream

    # Bodies stay in memory for ordinary workspaces; very large ones keep them only in the
    # cache, where renderers read them back (memory stays bounded at any corpus size).
    keep_bodies = len(wanted) <= KEEP_BODIES_MAX or cache.path is None
    bodies: dict[str, str] = {}
    store_rows = []
    stream = parse_stream(to_parse, settings, parallel=len(to_parse) >= PARALLEL_PARSE_MIN, options=options)
    for entry, (parsed, raw_hash) in zip(changed, stream):
        slim = ParsedSource(parsed.document, "", parsed.problems)
        results[entry.path] = slim
        if raw_hash is None:  # unreadable: reported, never cached
            continue
        source_rows.append((entry.path, entry.mtime_ns, entry.size, raw_hash))
        if parsed.document is not None:
            if keep_bodies:
                bodies[parsed.document.digest] = parsed.body_html
            store_rows.append((parsed.document.digest, slim, parsed.body_html))
        else:
            store_rows.append((source_digest(raw_hash, settings, entry.path), slim, ""))
        if len(store_rows) >= 500:
            cache.store_parsed(store_rows)
            store_rows = []
    cache.store_parsed(store_rows)
    cache.remember_sources(source_rows)

    documents: dict[str, list[Document]] = {}
    for entry, _ in wanted:
        parsed = results.get(entry.path)
        if parsed is None:
            continue
        problems.extend(parsed.problems)
        if parsed.document is not None:
            documents.setdefault(entry.site, []).append(parsed.document)
    return documents, bodies, file_hashes


class BodyReader:
    """Body HTML by digest, read from the cache file; one connection per process, small LRU."""

    def __init__(self, path: Path | None):
        self.path = path
        self.pid = -1
        self.cache: BuildCache | None = None
        self.recent: dict[str, str] = {}

    def __call__(self, digest: str) -> str:
        body = self.recent.get(digest)
        if body is not None:
            return body
        if self.pid != os.getpid():
            self.cache = BuildCache.reader(self.path)
            self.pid = os.getpid()
            self.recent = {}
        body = self.cache.bodies([digest]).get(digest, "")
        if len(self.recent) > 256:
            self.recent.pop(next(iter(self.recent)))
        self.recent[digest] = body
        return body


def _hash_file(path: Path) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()
