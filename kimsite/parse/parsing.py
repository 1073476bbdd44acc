"""The parse stage: every Markdown source of the built KIMs, cached by content, in parallel.

Unchanged files are not even read (the cache knows their hash by size and time);
changed ones are parsed across processes and stored in the cache as they come,
so memory stays bounded however large the workspace.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Collection

from kimsite.workspace import sources
from kimsite.workspace.cache import BuildCache
from kimsite.base.problems import Problems

if TYPE_CHECKING:
    from kimsite.parse.article import ParseSettings
    from kimsite.workspace.options import BuildOptions
    from kimsite.workspace.config import SiteConfig
    from kimsite.model.model import Document

PARALLEL_PARSE_MIN = 64  # fewer changed files than this are parsed in this process
KEEP_BODIES_MAX = 20_000  # above this many documents, bodies are read back from the cache


def parse_all(root: Path, scan: sources.WorkspaceScan, sites: dict[str, SiteConfig], settings: ParseSettings,
               cache: BuildCache, problems: Problems, options: BuildOptions,
               while_parsing: Callable[[], None] | None = None):
    """Parse every Markdown source of the built KIMs; unchanged files come from the cache.
    `while_parsing` is work for this process while worker processes parse (see parse_stream).

    Parse results (documents and problems, without bodies) are remembered per KIM, in one
    cache entry holding every source's digest and result: an edit loads 136 entries for a
    136-KIM regency, not one row per article. Bodies are stored per digest.
    """
    from kimsite.parse.article import ParsedSource, SourceFile, source_digest

    known = cache.source_hashes()
    source_rows = []
    wanted: list[tuple[sources.Entry, str | None]] = []
    file_hashes: dict[str, list[tuple[str, str, str]]] = {}
    for slug in sorted(sites):
        for entry in scan.content.get(slug, []):
            cached = known.get(entry.path)
            raw_hash = cached[2] if cached and cached[0] == entry.mtime_ns and cached[1] == entry.size else None
            if entry.file_role == "file":
                if raw_hash is None:
                    raw_hash = _hash_file(root / entry.path)
                    source_rows.append((entry.path, entry.mtime_ns, entry.size, raw_hash))
                file_hashes.setdefault(slug, []).append((entry.rel, str(root / entry.path), raw_hash))
            else:
                wanted.append((entry, raw_hash))

    remembered = {slug: cache.get_state(_bundle_key(slug)) or {} for slug in sorted(sites)}
    digests: dict[str, str] = {}  # source path -> digest of its result (known once its bytes are)
    results: dict[str, ParsedSource] = {}
    changed: list[sources.Entry] = []
    for entry, raw_hash in wanted:
        if raw_hash is not None:
            digest = digests[entry.path] = source_digest(raw_hash, settings, entry.path)
            found = remembered[entry.site].get(entry.path)
            if found is not None and found[0] == digest:
                results[entry.path] = found[1]
                continue
        changed.append(entry)
    base = str(root)  # plain strings: pathlib costs more than parsing for large workspaces
    to_parse = [(SourceFile(entry.site, entry.path, entry.rel, entry.file_role), os.path.join(base, entry.path))
                for entry in changed]
    pending: dict[str, int] = {}
    for entry in changed:
        pending[entry.site] = pending.get(entry.site, 0) + 1
    site_entries: dict[str, list[sources.Entry]] = {}
    for entry, _ in wanted:
        site_entries.setdefault(entry.site, []).append(entry)

    def remember_site(slug: str) -> None:
        """Store the KIM's results as one entry once all its sources are known."""
        bundle = {entry.path: (digests[entry.path], results[entry.path])
                  for entry in site_entries.get(slug, []) if entry.path in digests and entry.path in results}
        cache.set_state(_bundle_key(slug), bundle)

    from kimsite.parse.parallel import parse_stream

    # Bodies stay in memory for ordinary workspaces; very large ones keep them only in the
    # cache, where renderers read them back (memory stays bounded at any corpus size).
    keep_bodies = len(wanted) <= KEEP_BODIES_MAX or cache.path is None
    bodies: dict[str, str] = {}
    body_rows = []
    stream = parse_stream(to_parse, settings, parallel=len(to_parse) >= PARALLEL_PARSE_MIN, options=options,
                          while_parsing=while_parsing)
    for entry, (parsed, raw_hash) in zip(changed, stream):
        results[entry.path] = ParsedSource(parsed.document, "", parsed.problems)
        if raw_hash is not None:  # an unreadable file is reported, never remembered
            source_rows.append((entry.path, entry.mtime_ns, entry.size, raw_hash))
            digests[entry.path] = source_digest(raw_hash, settings, entry.path)
            if parsed.document is not None:
                if keep_bodies:
                    bodies[parsed.document.digest] = parsed.body_html
                body_rows.append((parsed.document.digest, parsed.body_html))
                if len(body_rows) >= 500:
                    cache.store_bodies(body_rows)
                    body_rows = []
        pending[entry.site] -= 1
        if pending[entry.site] == 0:  # sources arrive KIM by KIM: store each as it completes
            remember_site(entry.site)
    cache.store_bodies(body_rows)
    cache.remember_sources(source_rows)
    _forget_stale(cache, scan, sites, remembered, digests, known, source_rows, remember_site,
                  stored=pending.keys(), whole_workspace=options is None or options.site is None)

    documents: dict[str, list[Document]] = {}
    for entry, _ in wanted:
        parsed = results.get(entry.path)
        if parsed is None:
            continue
        if parsed.problems:
            problems.extend(parsed.problems)
        if parsed.document is not None:
            site_documents = documents.get(entry.site)
            if site_documents is None:
                site_documents = documents[entry.site] = []
            site_documents.append(parsed.document)
    return documents, bodies, file_hashes


def _forget_stale(cache: BuildCache, scan: sources.WorkspaceScan, sites: dict, remembered: dict[str, dict],
                  digests: dict[str, str], known: dict, source_rows: list, remember_site: Callable[[str], None],
                  stored: Collection[str], whole_workspace: bool) -> None:
    """Remove from the cache what no build can use any more: the body of every source that
    changed or went away (a digest belongs to one path and one version of it), and, when the
    whole workspace was built, what is remembered of files and KIMs no longer in it."""
    stale: list[str] = []
    for slug in sorted(sites):
        old = remembered[slug]
        gone = [path for path, (digest, _result) in old.items() if digests.get(path) != digest]
        if gone:
            stale.extend(old[path][0] for path in gone)
            if slug not in stored:  # no source of it was parsed (only deletions): store it now
                remember_site(slug)
    if whole_workspace:
        scanned = sum(len(scan.content.get(slug, ())) for slug in sites)
        new_paths = {row[0] for row in source_rows} - known.keys()
        if len(known) + len(new_paths) > scanned:  # some remembered file is not in the workspace
            present = {entry.path for slug in sites for entry in scan.content.get(slug, ())}
            cache.forget_sources([path for path in known if path not in present])
            prefix = _bundle_key("")
            for key in cache.state_keys(prefix):
                if key[len(prefix):] not in sites:
                    stale.extend(digest for digest, _result in (cache.get_state(key) or {}).values())
                    cache.delete_state(key)
    if stale:
        cache.forget_bodies(stale)


BUNDLE_PREFIX = "parsed-site:"


def _bundle_key(slug: str) -> str:
    return f"{BUNDLE_PREFIX}{slug}"


def remembered_results(cache: BuildCache, sites: set[str], digests: set[str]) -> dict:
    """Remembered parse results (without bodies) of the given KIMs, by digest."""
    found = {}
    for slug in sorted(sites):
        for digest, result in (cache.get_state(_bundle_key(slug)) or {}).values():
            if digest in digests:
                found[digest] = result
    return found


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
