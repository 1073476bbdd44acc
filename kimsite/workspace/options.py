"""What a build is asked to do (BuildOptions) and what it starts from (Workspace): the
settings, site files and discovered sources, read and checked before anything is parsed;
and how many worker processes the options allow."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from kimsite.base.yamlio import libyaml_problem
from kimsite.base.problems import KimsiteError, Problem, error, warning
from kimsite.workspace import output_guard, sources, themes
from kimsite.workspace.config import SiteConfig, WorkspaceConfig, load_site_config, load_workspace_config, with_fingerprint


@dataclass
class BuildOptions:
    base_url: str | None = None
    output: str | None = None
    site: str | None = None
    drafts: bool = False
    future: bool = False
    strict: bool = False
    now: datetime | None = None
    jobs: int | None = None
    use_cache: bool = True
    write: bool = True  # False for `kimsite check`
    progress: Callable[[str, int, int], None] | None = None
    search: bool = False  # index the written site with Pagefind (the kimsite[search] extra)
    preview: bool = False  # `kimsite serve`: output and state inside .kimsite/ (output_guard.PREVIEW_OUTPUT)


@dataclass
class Workspace:
    """Settings, site files and discovered sources: everything read before parsing."""

    root: Path
    config: WorkspaceConfig
    sites: dict[str, SiteConfig]
    scan: sources.WorkspaceScan
    problems: list[Problem]


def build_now(options: BuildOptions) -> datetime:
    if options.now is not None:
        return options.now
    fixed = os.environ.get("KIMSITE_NOW") or os.environ.get("SOURCE_DATE_EPOCH")
    if fixed:
        try:
            return datetime.fromtimestamp(int(fixed), timezone.utc) if fixed.isdigit() \
                else datetime.fromisoformat(fixed)
        except ValueError:
            pass
    return datetime.now(timezone.utc)


def load_workspace(root: Path, options: BuildOptions, previous_scan: sources.WorkspaceScan | None = None,
                   changed_kims: set[str] | None = None, kept_sites: dict[str, tuple] | None = None,
                   before_scan: Callable[[WorkspaceConfig], None] | None = None) -> Workspace:
    """Step 1 and 2: settings, site files, sources. Raises KimsiteError when unusable.
    `previous_scan` and `changed_kims`: see `sources.scan`. `kept_sites` (a session's): each
    site file's reading by path, reused while its bytes and the time zone are the same.
    `before_scan` is given the settings once they are known to be usable, before the sources
    are looked at (see kimsite.write.look_ahead)."""
    config, problems = load_workspace_config(root, options.base_url)
    if config is None:
        raise KimsiteError(problems)
    if options.output:
        config = with_fingerprint(replace(config, output=options.output))
    placement = output_guard.placement_problems(root, config.output, bool(options.output), options.preview)
    if placement:
        raise KimsiteError(problems + placement)
    if before_scan is not None:
        before_scan(config)
    scan = sources.scan(root, previous_scan, changed_kims)
    problems.extend(scan.problems)
    problems.extend(libyaml_problem())
    sites: dict[str, SiteConfig] = {}
    for entry in scan.site_files:
        try:
            raw = sources.read(root, entry)
        except OSError as exc:
            problems.append(error(entry.path, None, "file_unreadable", reason=exc.strerror or str(exc)))
            continue
        read_from = (entry.site, raw, config.timezone)
        kept = kept_sites.get(entry.path) if kept_sites is not None else None
        if kept is not None and kept[0] == read_from:
            site, site_problems = kept[1], list(kept[2])
        else:
            site, site_problems = load_site_config(entry.site, entry.path, raw, config.timezone)
            if kept_sites is not None:
                kept_sites[entry.path] = (read_from, site, tuple(site_problems))
        problems.extend(site_problems)
        if site is not None:
            sites[site.slug] = site
    if kept_sites is not None:
        for gone in kept_sites.keys() - {entry.path for entry in scan.site_files}:
            del kept_sites[gone]
    portals = [s for s in sites.values() if s.role == "portal"]
    for extra in portals[1:]:
        problems.append(error(extra.file, 1, "portal_twice", other=portals[0].file))
    if portals:
        from kimsite.workspace.portal_checks import check_portal

        problems.extend(check_portal(root, portals[0], sites))
    for slug in scan.content:
        site = sites.get(slug)
        if site is None and not any(e.path.endswith(f"sites/{slug}.yaml") for e in scan.site_files):
            problems.append(error(f"content/{slug}", None, "content_without_site", slug=slug))
        elif site is not None and site.is_remote:
            problems.append(error(site.file, 1, "remote_with_content", slug=slug))
    problems.extend(themes.theme_problems(root, {config.theme, *(s.theme for s in sites.values() if s.theme)}))
    if not themes.theme_exists(root, config.theme):
        problems.append(warning("kimsite.yaml", None, "theme_missing", value=config.theme))
        config = with_fingerprint(replace(config, theme=themes.BUILTIN))
    if options.site:
        if options.site not in sites:
            raise KimsiteError(problems + [error("", None, "site_unknown", slug=options.site,
                                                 choices=", ".join(sorted(sites)))])
        alone = sites[options.site]
        if not alone.is_local_kim:
            raise KimsiteError(problems + [error("", None, "site_not_kim", slug=options.site)])
        if alone.domain and not options.base_url:
            config = with_fingerprint(replace(config, base_url=f"https://{alone.domain}/"))
    return Workspace(root, config, sites, scan, problems)


def worker_count(options: BuildOptions | None) -> int:
    if options is not None and options.jobs:
        return max(1, options.jobs)
    env = os.environ.get("KIMSITE_JOBS")
    if env and env.isdigit():
        return max(1, int(env))
    return os.cpu_count() or 1


def fork_context():
    import multiprocessing  # only a build with work for other processes asks

    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # platforms without fork build in one process
        return None


def range_size(count: int, workers: int, target: int) -> int:
    """How many of `count` items a pool's task takes: `target`, or fewer so that each of the
    `workers` gets at least four tasks."""
    return max(1, min(target, -(-count // (max(1, workers) * 4))))


def work_ranges(count: int, workers: int, target: int) -> list[tuple[int, int]]:
    size = range_size(count, workers, target)
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def report_progress(options: BuildOptions | None, stage: str, done: int, total: int) -> None:
    if options is not None and options.progress is not None:
        options.progress(stage, done, total)
