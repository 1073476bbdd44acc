"""Parsing and rendering across all cores.

Worker processes are forked after the build view exists, so they share it
without copying or pickling. Work is cut into ordered chunks and results are
put back in input order, so a parallel build writes exactly what a single
process writes.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from kimsite import collector
from kimsite.article import ParsedSource, ParseSettings, parse_source
from kimsite.cache import CacheCorrupt
from kimsite.model import SourceFile
from kimsite.problems import KimsiteError, Problem, error

if TYPE_CHECKING:
    from kimsite.build import BuildOptions
    from kimsite.outputs import BuildView, Output

# Set in the parent just before forking; read by the workers.
_SHARED: dict = {}


def worker_count(options: "BuildOptions | None") -> int:
    if options is not None and options.jobs:
        return max(1, options.jobs)
    env = os.environ.get("KIMSITE_JOBS")
    if env and env.isdigit():
        return max(1, int(env))
    return os.cpu_count() or 1


def _fork_context():
    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # platforms without fork build in one process
        return None


def _chunks(count: int, workers: int, target: int) -> list[tuple[int, int]]:
    size = max(1, min(target, -(-count // (workers * 4))))
    return [(start, min(start + size, count)) for start in range(0, count, size)]


# --- parsing ---------------------------------------------------------------------------

def read_and_parse(source: SourceFile, path: str, settings: ParseSettings) -> tuple[ParsedSource, str | None]:
    """Read one source (in the worker, so the parent never holds every file's bytes) and parse it;
    returns the result and the content hash, or None when the file cannot be read."""
    from kimsite.article import content_hash
    from kimsite.sources import read_path

    try:
        raw = read_path(path)
    except OSError as exc:
        problem = error(source.path, None, "file_unreadable", reason=exc.strerror or str(exc))
        return ParsedSource(None, "", (problem,)), None
    raw_hash = content_hash(raw)
    return parse_source(source, raw, settings, raw_hash), raw_hash


def _parse_chunk(bounds: tuple[int, int]) -> list[tuple[ParsedSource, str | None]]:
    items, settings = _SHARED["parse"]
    return [read_and_parse(source, path, settings) for source, path in items[bounds[0]:bounds[1]]]


def parse_stream(items: list[tuple[SourceFile, str]], settings: ParseSettings, parallel: bool,
                 options: "BuildOptions | None" = None,
                 while_parsing: Callable[[], None] | None = None) -> Iterator[tuple[ParsedSource, str | None]]:
    """(result, content hash) per (source, file path), in input order, as they come (so callers
    can store and drop bodies). `while_parsing` runs in this process once the worker processes
    have their work, when they do (this process would otherwise only wait for them)."""
    workers = worker_count(options)
    context = _fork_context()
    if not parallel or workers == 1 or context is None:
        for done, (source, path) in enumerate(items, start=1):
            yield read_and_parse(source, path, settings)
            if done % 256 == 0:
                _report(options, "parse", done, len(items))
        return
    _SHARED["parse"] = (items, settings)
    try:
        with context.Pool(workers, initializer=collector.enable_in_worker) as pool:
            done = 0
            results = pool.imap(_parse_chunk, _chunks(len(items), workers, 64))
            if while_parsing is not None:
                while_parsing()
            for chunk in results:
                yield from chunk
                done += len(chunk)
                _report(options, "parse", done, len(items))
    finally:
        _SHARED.pop("parse", None)


# --- rendering ---------------------------------------------------------------------------

def _render_range(bounds: tuple[int, int]) -> tuple[list[tuple[str, str, bool]], list]:
    """Render outputs[start:end] into the staging folder; returns (path, digest, staged) per output."""
    from kimsite import writer
    from kimsite.outputs import render

    view, outputs, staging, manifest = _SHARED["render"]
    done: list[tuple[str, str, bool]] = []
    failures: list[Problem] = []
    for output in outputs[bounds[0]:bounds[1]]:
        try:
            data = render(view, output)
        except CacheCorrupt:
            raise  # the build starts again with a fresh cache (build.build)
        except Exception as exc:  # noqa: BLE001 - every failure is a message, never a traceback
            failures.append(render_problem(view, output, exc))
            continue
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        previous = manifest.get(output.path)
        if previous is not None and previous[1] == digest:
            done.append((output.path, digest, False))  # same bytes: leave the published file alone
            continue
        writer.stage(staging, output.path, data)
        done.append((output.path, digest, True))
    return done, failures


def run_parallel(view: "BuildView", outputs: list["Output"], staging: Path, manifest: dict,
                 options: "BuildOptions", parallel: bool) -> list[tuple[str, str, bool]]:
    """Render and stage `outputs`; raises KimsiteError naming every template that failed."""
    _SHARED["render"] = (view, outputs, staging, manifest)
    workers = worker_count(options)
    context = _fork_context()
    if parallel and workers > 1 and context is not None:
        compile_templates(view.environments)
    results: list[tuple[str, str, bool]] = []
    failures: list = []
    try:
        ranges = _chunks(len(outputs), workers, 200)
        if not parallel or workers == 1 or context is None:
            for bounds in ranges:
                done, failed = _render_range(bounds)
                results.extend(done)
                failures.extend(failed)
                _report(options, "render", len(results), len(outputs))
        else:
            with context.Pool(workers) as pool:
                for done, failed in pool.imap(_render_range, ranges):
                    results.extend(done)
                    failures.extend(failed)
                    _report(options, "render", len(results), len(outputs))
    finally:
        _SHARED.pop("render", None)
    if failures:
        # One problem per template line (a broken layout fails every page), at most 20.
        unique = {(p.file, p.line, p.code, dict(p.args).get("detail")): p for p in reversed(failures)}
        raise KimsiteError(sorted(unique.values(), key=Problem.sort_key)[:20])
    return results


def render_problem(view: "BuildView", output: "Output", exc: Exception) -> Problem:
    """The message for an output that could not be made: the template file and line, the site
    file a share card was drawn from, or the page and what Python said."""
    from kimsite.og_card import CardFailure
    from kimsite.render import TemplateFailure

    if isinstance(exc, TemplateFailure):
        template = Path(exc.template)
        root = view.config.root
        file = template.relative_to(root).as_posix() if template.is_absolute() and template.is_relative_to(root) \
            else exc.template
        return error(file, exc.line, "template_error", template=template.name, page=output.path,
                     detail=exc.detail)
    site = view.site_configs.get(output.site)
    source = site.file if site is not None else view.portal.file if view.portal is not None else "kimsite.yaml"
    if isinstance(exc, CardFailure):
        return error(source, None, "card_failed", page=output.path, detail=str(exc))
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    return error(source, None, "render_failed", page=output.path, detail=detail)


def compile_templates(environments: dict) -> None:
    """Compile every template once before forking, rather than once in every worker."""

    for environment in environments.values():
        for name in environment.list_templates(filter_func=lambda n: n.endswith(".html")):
            try:
                environment.get_template(name)
            except Exception:  # noqa: BLE001 - reported with its page when it is rendered
                pass


def _report(options: "BuildOptions | None", stage: str, done: int, total: int) -> None:
    if options is not None and options.progress is not None:
        options.progress(stage, done, total)
