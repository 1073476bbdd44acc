"""Parsing across all cores: worker processes are forked with the list of sources and read
and parse ordered chunks of it; results come back in input order."""

from __future__ import annotations

from typing import Callable, Iterator

from kimsite.base import collector
from kimsite.base.interrupt import process_pool
from kimsite.base.problems import error
from kimsite.model.model import SourceFile
from kimsite.parse.article import ParsedSource, ParseSettings, parse_source
from kimsite.workspace.options import BuildOptions, fork_context, report_progress, work_ranges, worker_count

# Sources asked of the disk at once by a process that parses one by one (see sources.prefetch).
PREFETCH = 64

# Set in the parent just before forking; read by the workers.
_SHARED: dict = {}


def read_and_parse(source: SourceFile, path: str, settings: ParseSettings) -> tuple[ParsedSource, str | None]:
    """Read one source (in the worker, so the parent never holds every file's bytes) and parse it;
    returns the result and the content hash, or None when the file cannot be read."""
    from kimsite.parse.article import content_hash
    from kimsite.workspace.sources import read_path

    try:
        raw = read_path(path)
    except OSError as exc:
        problem = error(source.path, None, "file_unreadable", reason=exc.strerror or str(exc))
        return ParsedSource(None, "", (problem,)), None
    raw_hash = content_hash(raw)
    return parse_source(source, raw, settings, raw_hash), raw_hash


def _parse_chunk(bounds: tuple[int, int]) -> list[tuple[ParsedSource, str | None]]:
    from kimsite.workspace.sources import prefetch

    items, settings = _SHARED["parse"]
    chunk = items[bounds[0]:bounds[1]]
    prefetch([path for _source, path in chunk])
    return [read_and_parse(source, path, settings) for source, path in chunk]


def parse_stream(items: list[tuple[SourceFile, str]], settings: ParseSettings, parallel: bool,
                 options: "BuildOptions | None" = None,
                 while_parsing: Callable[[], None] | None = None) -> Iterator[tuple[ParsedSource, str | None]]:
    """(result, content hash) per (source, file path), in input order, as they come (so callers
    can store and drop bodies). `while_parsing` runs in this process once the worker processes
    have their work, when they do (this process would otherwise only wait for them)."""
    workers = worker_count(options)
    # (multiprocessing is loaded only when there is work for other processes)
    context = fork_context() if parallel and workers > 1 else None
    if context is None:
        from kimsite.workspace.sources import prefetch

        for done, (source, path) in enumerate(items, start=1):
            if done % PREFETCH == 1:
                prefetch([path for _source, path in items[done - 1:done - 1 + PREFETCH]])
            yield read_and_parse(source, path, settings)
            if done % 256 == 0:
                report_progress(options, "parse", done, len(items))
        return
    _SHARED["parse"] = (items, settings)
    try:
        with process_pool(context, workers, initializer=collector.enable_in_worker) as pool:
            done = 0
            results = pool.imap(_parse_chunk, work_ranges(len(items), workers, 64))
            if while_parsing is not None:
                while_parsing()
            for chunk in results:
                yield from chunk
                done += len(chunk)
                report_progress(options, "parse", done, len(items))
    finally:
        _SHARED.pop("parse", None)
