"""The parse stage: every Markdown source of the built KIMs, cached by content, in parallel.

Unchanged files are not even read (the cache knows their hash by size and time);
changed ones are parsed across processes and stored in the cache as they come,
so memory stays bounded however large the workspace.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Collection

from kimsite.workspace import sources
from kimsite.workspace.cache import BuildCache
from kimsite.base.problems import Problem, Problems

if TYPE_CHECKING:
    from kimsite.parse.article import ParseSettings
    from kimsite.workspace.options import BuildOptions
    from kimsite.workspace.config import SiteConfig
    from kimsite.model.model import Document

PARALLEL_PARSE_MIN = 64  # fewer changed files than this are parsed in this process
KEEP_BODIES_MAX = 20_000  # above this many documents, bodies are read back from the cache
PREFETCH_CHUNK = 64  # sources asked of the disk at once before hashing them (see sources.prefetch)


@dataclass
class KeptParse:
    """What `parse_all` found of one KIM, kept by a process that builds again and again
    (`kimsite serve`, see kimsite.build.BuildSession) for as long as the KIM's files are the ones
    it was made from, the parse settings are the same, and so is the cache (which holds the
    bodies of its documents)."""

    entries: list[sources.Entry]
    settings: ParseSettings
    documents: list[Document]
    file_hashes: list[tuple[str, str, str]]
    problems: list[Problem]

    # Pickled (kimsite.write.kept_kims) with its files as plain tuples: they are only compared
    # with the scan's (see still_holds), and a plain tuple is unpickled in half the time.
    def __reduce__(self) -> tuple:
        return (KeptParse, ([tuple(entry) for entry in self.entries], self.settings, self.documents,
                            self.file_hashes, self.problems))


def parse_all(root: Path, scan: sources.WorkspaceScan, sites: dict[str, SiteConfig], settings: ParseSettings,
              cache: BuildCache, problems: Problems, options: BuildOptions,
              while_parsing: Callable[[], None] | None = None, kept: dict[str, KeptParse] | None = None):
    """Parse every Markdown source of the built KIMs; unchanged files come from the cache.
    `while_parsing` is work for this process while worker processes parse (see parse_stream).

    Parse results (documents and problems, without bodies) are remembered per KIM, in one
    cache entry holding every source's digest and result: an edit loads 136 entries for a
    136-KIM regency, not one row per article. Bodies are stored per digest.

    `kept` (a session's, see KeptParse): KIMs found there unchanged are taken as they are,
    without looking at their files' rows or results in the cache; every other KIM is stored
    there once parsed.
    """
    from kimsite.parse.article import ParsedSource, SourceFile, source_digest

    reused = _reusable(kept, scan, sites, settings, cache)
    looked_at = [slug for slug in sorted(sites) if slug not in reused]
    # Only the rows of the files looked at (all of them in a one-shot build).
    known = cache.source_hashes(None if not reused else
                                [entry.path for slug in looked_at for entry in scan.content.get(slug, [])])
    source_rows = []
    wanted: list[tuple[sources.Entry, str | None]] = []
    file_hashes: dict[str, list[tuple[str, str, str]]] = {}
    unreadable: set[str] = set()
    for slug in looked_at:
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

    remembered = {slug: cache.get_state(_bundle_key(slug)) or {} for slug in looked_at}
    wanted = _hashed_when_remembered(root, wanted, remembered, source_rows)
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
        if raw_hash is None:
            unreadable.add(entry.site)
        else:  # an unreadable file is reported, never remembered
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
    all_known = cache.source_count() if reused else None  # before the new rows, like `known`
    cache.remember_sources(source_rows)
    _forget_stale(cache, scan, sites, remembered, digests, known, source_rows, remember_site,
                  stored=pending.keys(), whole_workspace=options is None or options.site is None,
                  all_known=all_known)

    documents: dict[str, list[Document]] = {}
    for slug in sorted(sites):  # KIM by KIM, each in the order of its files
        found = reused.get(slug)
        if found is None:
            site_documents, site_problems = [], []
            for entry in site_entries.get(slug, []):
                parsed = results.get(entry.path)
                if parsed is None:
                    continue
                site_problems.extend(parsed.problems)
                if parsed.document is not None:
                    site_documents.append(parsed.document)
            if kept is not None and cache.path is not None and slug not in unreadable and slug in scan.content:
                kept[slug] = KeptParse(scan.content[slug], settings, site_documents, file_hashes.get(slug, []),
                                       site_problems)
            elif kept is not None:  # what was kept of it no longer holds, and nothing new can be
                kept.pop(slug, None)
        else:
            site_documents, site_problems = found.documents, found.problems
            if found.file_hashes:
                file_hashes[slug] = found.file_hashes
        problems.extend(site_problems)
        if site_documents:
            documents[slug] = list(site_documents)
    file_hashes = {slug: file_hashes[slug] for slug in sorted(file_hashes)}
    return documents, bodies, file_hashes


def _reusable(kept: dict[str, KeptParse] | None, scan: sources.WorkspaceScan, sites: dict,
              settings: ParseSettings, cache: BuildCache) -> dict[str, KeptParse]:
    """The KIMs whose kept parse results still hold: their files are the ones they were made
    from (by path, role, size and time, as the cache itself knows an unchanged file) and the
    parse settings are the same. Only with a cache file, which holds their documents' bodies."""
    if not kept or cache.path is None:
        return {}
    for slug in kept.keys() - sites.keys():  # not built now: the cache may forget its bodies
        del kept[slug]
    reusable = {}
    for slug in sites:
        found, entries = kept.get(slug), scan.content.get(slug)
        if found is not None and still_holds(found, entries, settings):
            found.entries = entries
            reusable[slug] = found
    return reusable


def still_holds(found: KeptParse, entries: list[sources.Entry] | None, settings: ParseSettings) -> bool:
    """Whether kept parse results were made from these files (the same paths, roles, sizes and
    times: as the cache itself knows an unchanged file) with these parse settings."""
    return entries is not None and found.settings == settings and (found.entries is entries or found.entries == entries)


def _forget_stale(cache: BuildCache, scan: sources.WorkspaceScan, sites: dict, remembered: dict[str, dict],
                  digests: dict[str, str], known: dict, source_rows: list, remember_site: Callable[[str], None],
                  stored: Collection[str], whole_workspace: bool, all_known: int | None = None) -> None:
    """Remove from the cache what no build can use any more: the body of every source that
    changed or went away (a digest belongs to one path and one version of it), and, when the
    whole workspace was built, what is remembered of files and KIMs no longer in it.
    `remembered` holds the KIMs looked at (a kept KIM changed nothing); `all_known` is the
    number of files remembered when `known` holds only those of the KIMs looked at."""
    stale: list[str] = []
    for slug in sorted(remembered):
        old = remembered[slug]
        gone = [path for path, (digest, _result) in old.items() if digests.get(path) != digest]
        if gone:
            stale.extend(old[path][0] for path in gone)
            if slug not in stored:  # no source of it was parsed (only deletions): store it now
                remember_site(slug)
    if whole_workspace:
        scanned = sum(len(scan.content.get(slug, ())) for slug in sites)
        new_paths = {row[0] for row in source_rows} - known.keys()
        if (len(known) if all_known is None else all_known) + len(new_paths) > scanned:
            # some remembered file is not in the workspace
            if all_known is not None:
                known = cache.source_hashes()
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


def _hashed_when_remembered(root: Path, wanted: list[tuple[sources.Entry, str | None]], remembered: dict[str, dict],
                            source_rows: list) -> list[tuple[sources.Entry, str | None]]:
    """`wanted` with the content hash of every source whose size or time the cache does not know
    but whose result it remembers: a fresh checkout (every CI run: git gives each file the
    checkout's time), a copied workspace or a touched file has new times and the same bytes, and
    is then taken from the cache by the digest of its bytes instead of parsed again. Its new size
    and time are remembered (`source_rows`) so the next build knows it by them. A file that
    cannot be read here is left to the parse, which reports it."""
    unknown = [index for index, (entry, raw_hash) in enumerate(wanted)
               if raw_hash is None and entry.path in remembered.get(entry.site, ())]
    if not unknown:
        return wanted
    wanted = list(wanted)
    base = str(root)
    for start in range(0, len(unknown), PREFETCH_CHUNK):
        chunk = unknown[start:start + PREFETCH_CHUNK]
        sources.prefetch([os.path.join(base, wanted[index][0].path) for index in chunk])
        for index in chunk:
            entry = wanted[index][0]
            try:
                raw_hash = _hash_file(Path(base, entry.path))
            except OSError:
                continue
            wanted[index] = (entry, raw_hash)
            source_rows.append((entry.path, entry.mtime_ns, entry.size, raw_hash))
    return wanted


def _hash_file(path: Path) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()
