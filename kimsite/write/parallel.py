"""Rendering across all cores.

Worker processes are forked after the build view exists, so they share it
without copying or pickling. Work is cut into ordered chunks and results are
put back in input order, so a parallel build writes exactly what a single
process writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from kimsite.base.interrupt import process_pool
from kimsite.base.problems import KimsiteError, Problem, error
from kimsite.workspace.cache import CacheCorrupt
from kimsite.workspace.options import BuildOptions, fork_context, range_size, report_progress, worker_count

if TYPE_CHECKING:
    from kimsite.outputs.contract import BuildView, Output

# Set in the parent just before forking; read by the workers.
_SHARED: dict = {}


Rendered = tuple[str, "str | None"]  # (path, the staged file's line or None: left alone)


def _render_range(bounds: tuple[int, int]) -> tuple[list[Rendered], list, tuple | None]:
    """Render outputs[start:end] into the staging folder; returns (path, line) per output, the
    line of the file staged (see kimsite.write.output_lines), or None when the published file
    has the same bytes and is left alone (an incremental build's, whose output is as the last
    build left it); then the problems, and the feed templates made since the last range (see
    kimsite.pages.feed_kept.made_since_handed)."""
    from kimsite.pages import feed_kept
    from kimsite.write import writer
    from kimsite.outputs.contract import render

    view, outputs, staging, published = _SHARED["render"]
    done: list[Rendered] = []
    failures: list[Problem] = []
    for output in outputs[bounds[0]:bounds[1]]:
        try:
            data = render(view, output)
        except CacheCorrupt:
            raise  # the build starts again with a fresh cache (build.build)
        except Exception as exc:  # noqa: BLE001 - every failure is a message, never a traceback
            failures.append(render_problem(view, output, exc))
            continue
        if published is not None and writer.same_as_published(published, output.path, data):
            done.append((output.path, None))  # same bytes: leave the published file alone
            continue
        done.append((output.path, writer.stage(staging, output.path, data)))
    return done, failures, feed_kept.made_since_handed()


def run_parallel(view: "BuildView", outputs: list["Output"], staging: Path, published: Path | None,
                 options: "BuildOptions", parallel: bool,
                 while_rendering: Callable[[], None] | None = None) -> list[Rendered]:
    """Render and stage `outputs`; raises KimsiteError naming every template that failed.
    `published`: the output folder an incremental build leaves a file alone in when its bytes are
    already there (None: a full build stages every file). `while_rendering` runs in this process
    once the worker processes have their work (before rendering, when this process renders)."""
    _SHARED["render"] = (view, outputs, staging, None if published is None else str(published))
    workers = worker_count(options)
    # (multiprocessing is loaded only when there is work for other processes)
    context = fork_context() if parallel and workers > 1 else None
    if context is not None:
        compile_templates(view.environments)
    results: list[Rendered] = []
    failures: list = []
    try:
        ranges = site_ranges([output.site for output in outputs], workers, 200)
        if context is None:
            if while_rendering is not None:
                while_rendering()
            for bounds in ranges:
                done, failed, _made_here = _render_range(bounds)
                results.extend(done)
                failures.extend(failed)
                report_progress(options, "render", len(results), len(outputs))
        else:
            from kimsite.pages import feed_kept

            with process_pool(context, workers) as pool:
                rendering = pool.imap(_render_range, ranges)
                if while_rendering is not None:
                    while_rendering()
                for done, failed, templates in rendering:
                    results.extend(done)
                    failures.extend(failed)
                    feed_kept.adopt(templates)  # kept by the build (feed_kept.keep) for the next one
                    report_progress(options, "render", len(results), len(outputs))
    finally:
        _SHARED.pop("render", None)
    if failures:
        # One problem per template line (a broken layout fails every page), at most 20.
        unique = {(p.file, p.line, p.code, dict(p.args).get("detail")): p for p in reversed(failures)}
        raise KimsiteError(sorted(unique.values(), key=Problem.sort_key)[:20])
    return results


def site_ranges(sites: list[str], workers: int, target: int) -> list[tuple[int, int]]:
    """Consecutive ranges of outputs, one per task of the render pool, cut where the KIM changes.

    Each worker process remembers what it has made of a KIM's documents (their cards in lists,
    their feed entries, the KIM's masthead): a range cut inside a KIM's outputs makes the other
    worker make them again. A range aims at `target` outputs (fewer when there are few, so that
    every worker gets several): it ends at the first change of KIM once it holds half that many,
    and is cut anyway at twice that many (a KIM with very many outputs)."""
    count = len(sites)
    size = range_size(count, workers, target)
    ranges: list[tuple[int, int]] = []
    start = 0
    for end in range(1, count + 1):
        length = end - start
        if end == count or length >= 2 * size or (2 * length >= size and sites[end] != sites[end - 1]):
            ranges.append((start, end))
            start = end
    return ranges


def render_problem(view: "BuildView", output: "Output", exc: Exception) -> Problem:
    """The message for an output that could not be made: the template file and line, the site
    file a share card was drawn from, or the page and what Python said."""
    from kimsite.media.og_card import CardFailure
    from kimsite.outputs.environment import TemplateFailure

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
    """Compile every template pages may use once before forking, rather than once in every
    worker (a template left out would still be compiled where it is first used)."""
    from kimsite.outputs.environment import pages_may_use

    for environment in environments.values():
        for name in environment.list_templates(filter_func=lambda n: n.endswith(".html")):
            if not pages_may_use(environment, name):
                continue
            try:
                environment.get_template(name)
            except Exception:  # noqa: BLE001 - reported with its page when it is rendered
                pass
