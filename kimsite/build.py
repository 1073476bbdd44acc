"""`kimsite build`: a flat list of steps from workspace to published folder.

    load settings and site files -> discover sources -> parse (cached, parallel)
    -> assemble site models and check them -> plan outputs -> render what changed
    (parallel) -> commit through the writer -> remember state in the cache

Errors are collected across the whole workspace; any error stops the build
before the output is touched.
"""

from __future__ import annotations

import math
import os
import sqlite3
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from kimsite.workspace import cache as cache_files
from kimsite.base import collector, interrupt
from kimsite.write import freshness, up_to_date
from kimsite.write.look_ahead import LookAhead, close_early
from kimsite.media.drawn_ahead import DrawnAhead
from kimsite.workspace import output_guard, sources, themes
from kimsite.parse import parsing
from kimsite.workspace.cache import BuildCache, CacheCorrupt
from kimsite.workspace.options import BuildOptions, Workspace, build_now, load_workspace, worker_count
from kimsite.base.problems import KimsiteError, Problem, Problems, warning

# Modules needed only when something must be rebuilt are imported lazily, so that
# a no-change build (the common case in `serve` and CI) starts fast.
if TYPE_CHECKING:
    from kimsite.model.model import SiteModel
    from kimsite.outputs.contract import BuildView
    from kimsite.workspace.config import WorkspaceConfig
    from kimsite.write.output_size import OutputSize

STATE_DIR = output_guard.STATE_DIR
PREVIEW_STATE_DIR = f"{STATE_DIR}/serve-state"  # `kimsite serve` keeps its own cache and journal
PARALLEL_RENDER_MIN = 400
# Ready documents a render worker keeps when the workspace is too large to hold every body.
READY_KEPT = 500


@dataclass
class BuildResult:
    problems: list[Problem]
    output_dir: Path
    sites: int = 0
    articles: int = 0
    outputs: int = 0
    rendered: int = 0
    written: int = 0
    removed: int = 0
    seconds: float = 0.0
    up_to_date: bool = False
    full: bool = False  # the whole output was written anew (a cold build, a new output folder)
    left_out: tuple[int, int] = (0, 0)  # drafts and future-dated articles not published
    view: BuildView | None = None
    output_size: OutputSize | None = None  # bytes and files of the output after a full build
    # A build that does not write (`kimsite check`): the site models, and the body HTML the
    # build holds by document digest (others are in the cache).
    models: dict[str, SiteModel] = field(default_factory=dict)
    bodies: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per build step
    parse_errors: dict[str, list[Problem]] = field(default_factory=dict)


@dataclass
class BuildSession:
    """What a process that builds one workspace again and again (`kimsite serve`) keeps from one
    build to the next, so that a rebuild looks again only at what changed:

    - the scan of the sources, and the KIM folders its watcher saw change since (`note_changes`):
      only those are walked again (sites/ and the list of KIM folders are always read);
    - each site file's reading while its bytes are the same, and the grouped states it loaded
      from the cache (manifest, plans) while their stored bytes are the same;
    - each KIM's parse results while its files, the parse settings and the cache are the same
      (`parsed`, see kimsite.parse.parsing.KeptParse);
    - each KIM's assembled model, with its documents' locations and problems, while everything
      they are made from is the same (kimsite.model.assemble.assemble_kim), and the portal's
      member made of it while its plan key is the same (`portal_members`);
    - what it saw of the output it last wrote (`output`): while the stored state still names
      that output and the output folder itself is the same, its entries are not looked at one
      by one.
      (The preview output is this process's own, inside .kimsite/; `kimsite build` always
      looks at every entry of the output it publishes.)

    A one-shot build keeps the parse results, models and portal members in the cache instead,
    one record per KIM (kimsite.write.kept_kims)."""

    scan: sources.WorkspaceScan | None = None
    changed_kims: set[str] = field(default_factory=set)
    # each site file's reading, by path, with the bytes it was read from (see load_workspace)
    site_files: dict[str, tuple] = field(default_factory=dict)
    # grouped states (the output manifest, the KIMs' plans) as loaded, with their stored bytes
    loaded_groups: dict[str, tuple] = field(default_factory=dict)
    # each KIM's parse results, valid with the cache named `parsed_cache` (see `parsed_with`)
    parsed: dict[str, parsing.KeptParse] = field(default_factory=dict)
    parsed_cache: str | None = None
    # each KIM's model, locations and problems, with the key and the moment they were assembled for
    assembled: dict[str, tuple] = field(default_factory=dict)
    # the portal's member made of each KIM, with the plan key it was made under (kimsite.portal.model)
    portal_members: dict[str, tuple] = field(default_factory=dict)
    output: freshness.OutputLook | None = None
    primed: bool = False  # a build of this session went the whole way (see _build)

    def parsed_with(self, cache: BuildCache) -> dict[str, parsing.KeptParse]:
        """The kept parse results, emptied when the cache is not the one they were made with
        (it was damaged and started afresh, deleted, or replaced): their bodies are in it."""
        instance = cache.instance()
        if instance is None or instance != self.parsed_cache:
            self.parsed, self.parsed_cache = {}, instance
        return self.parsed

    def note_changes(self, paths: list[str] | None) -> None:
        """Workspace-relative paths a watcher reported; None when what changed is not known."""
        for path in paths if paths is not None else ("content",):
            parts = path.split("/")
            if parts[0] != "content":
                continue  # site files, themes, feeds and settings are read by every build
            if len(parts) == 1:
                self.scan = None  # content/ itself: walk everything again
            else:
                self.changed_kims.add(parts[1])

    def take_changes(self) -> tuple[sources.WorkspaceScan | None, set[str] | None]:
        """The scan to start from and the KIM folders to walk again; the changes are taken."""
        changed, self.changed_kims = self.changed_kims, set()
        return (self.scan, changed) if self.scan is not None else (None, None)


def build(root: Path, options: BuildOptions | None = None, session: BuildSession | None = None) -> BuildResult:
    """Build the workspace at `root`, one build at a time (see kimsite.workspace.lock). A failure of the
    machine (disk full, permission denied, a name too long) ends as a KimsiteError too."""
    options = options or BuildOptions()
    started = time.perf_counter()
    root = root.resolve()
    if session is not None:
        previous_scan, changed_kims = session.take_changes()
        try:
            workspace = load_workspace(root, options, previous_scan, changed_kims, session.site_files)
        except BaseException:
            session.scan = None  # not known what it saw: the next build walks everything
            raise
        session.scan = workspace.scan
    else:
        look_ahead: list[LookAhead] = []

        def start_look_ahead(config: WorkspaceConfig) -> None:
            with interrupt.held():  # a Ctrl+C right after a fork: the child is known, then ended
                # the children the program's first step started for this output, else new ones
                started_child = (LookAhead.adopt_early(config.output_dir, root / STATE_DIR)
                                 or LookAhead.start(config.output_dir, root / STATE_DIR))
                look_ahead.extend([started_child] if started_child else [])

        may_look_ahead = options.write and options.use_cache and not options.preview
        try:
            workspace = load_workspace(root, options, before_scan=start_look_ahead if may_look_ahead else None)
            return _build_workspace(root, workspace, options, started, None, look_ahead[0] if look_ahead else None)
        finally:
            for child in look_ahead:
                child.close()
            close_early()  # not adopted (another output, no look wanted, a failure before)
    return _build_workspace(root, workspace, options, started, session, None)


def _build_workspace(root: Path, workspace: Workspace, options: BuildOptions, started: float,
                     session: BuildSession | None, look_ahead: LookAhead | None) -> BuildResult:
    from kimsite.workspace.lock import checked_state_folder, workspace_lock

    problems = Problems(list(workspace.problems))
    output_dir = workspace.config.output_dir
    with workspace_lock(root) as state_notes:
        problems.extend(state_notes)
        state_dir = checked_state_folder(root, PREVIEW_STATE_DIR) if options.preview else \
            root / STATE_DIR if options.use_cache else None
        try:
            return _build_locked(workspace, options, problems, state_dir, started, session, look_ahead)
        except KimsiteError:
            raise  # a problem in the workspace: what was parsed is in the cache (committed)
        except BaseException as exc:
            if session is not None:  # parse results kept may not have reached the cache
                session.parsed = {}
            if not isinstance(exc, (OSError, sqlite3.Error)):
                raise
            from kimsite.write.failures import failure_problem

            cache_file = state_dir / cache_files.FILE_NAME if state_dir else None
            raise KimsiteError(problems.sorted() + [failure_problem(exc, root, output_dir, cache_file)]) from None


def _build_locked(workspace: Workspace, options: BuildOptions, problems: Problems, state_dir: Path | None,
                  started: float, session: BuildSession | None, look_ahead: LookAhead | None) -> BuildResult:
    from kimsite.write.writer import recover

    now = build_now(options)
    # A killed build's journal is finished (or a forged one discarded) even by --no-cache and
    # `kimsite check`, so that no later build replays it over a newer output.
    recovered = recover(workspace.config.output_dir, state_dir or workspace.root / STATE_DIR)
    if recovered:
        problems.add(warning("", None, "interrupted_recovered" if recovered == "recovered" else "journal_invalid"))
        if look_ahead is not None:  # it looked at the output before it was put right
            look_ahead.close()
            look_ahead = None
    cache, discarded = BuildCache.open(state_dir)
    if discarded:
        problems.add(warning("", None, "cache_invalid"))
    drawn_ahead = DrawnAhead(workspace.root / STATE_DIR)
    try:
        with collector.paused():
            return _build(workspace, options, problems, now, cache, state_dir, started, session, drawn_ahead,
                          look_ahead)
    except CacheCorrupt:
        cache.close()
        if state_dir is not None:
            cache_files.discard(state_dir)
        cache, _ = BuildCache.open(state_dir)
        problems.add(warning("", None, "cache_invalid"))
        with collector.paused():
            return _build(workspace, options, problems, now, cache, state_dir, started, session, drawn_ahead)
    finally:
        drawn_ahead.stop()
        cache.close()


def _build(workspace: Workspace, options: BuildOptions, problems: Problems, now: datetime,
           cache: BuildCache, state_dir: Path | None, started: float, session: BuildSession | None,
           drawn_ahead: DrawnAhead, look_ahead: LookAhead | None = None) -> BuildResult:
    root, config = workspace.root, workspace.config
    output_dir = config.output_dir
    built_sites = {slug: site for slug, site in workspace.sites.items()
                   if site.is_local_kim and (options.site is None or slug == options.site)}
    chains = {name: themes.theme_chain(root, name) for name in
              {config.theme, *(s.theme for s in built_sites.values() if s.theme and themes.theme_exists(root, s.theme))}}
    state_key = _state_key(output_dir)

    # What this build reads, as it is before it reads it (and before the no-change key is made,
    # see _keep_stamp): the stamp that lets the next build end in the program's first step when
    # nothing changed (kimsite.write.up_to_date).
    stamp_records = _stamp_records(workspace, options, session, chains)
    # --- no-change fast path: same inputs by size and time, output untouched ---------
    quick_key = freshness.quick_key(workspace, options, built_sites, chains)
    previous = _valid_state(cache.get_state(state_key)) if options.write else None
    # Valid from the moment that build was made for until the next article comes due: a clock
    # set back (KIMSITE_NOW, SOURCE_DATE_EPOCH) may put a published article in the future again.
    # A session's first build goes the whole way even when nothing changed: what it keeps for
    # the next builds (parse results, models, plans) is then in hand before the first save.
    may_be_done = bool(previous and previous["quick"] == quick_key
                       and previous["valid_from"] <= now.timestamp() < previous["valid_until"]
                       and not problems.has_errors(options.strict) and (session is None or session.primed))
    # The look at the output is needed now only by a build that may have nothing to do (and by
    # `serve`, which keeps it). Any other build takes it once it plans: the child looking at the
    # output since the program's first step goes on while this one reads the workspace's records
    # and parses (at 10,000 articles an edit waited 0.05 s for it here, 0.005 s there).
    looked_now = may_be_done or session is not None
    output_seen = _look_at_output(output_dir, previous, cache, session, look_ahead) if looked_now else None
    if may_be_done and _left_by(output_seen, previous):
        # Nothing to do; the content warnings of the build that made this output still apply.
        if session is not None:
            session.output = output_seen
        if stamp_records is not None and problems.items == list(workspace.problems):
            # The first step did not end this build: the stamp is missing, or what changed is
            # nothing a build reads (a folder's time, an editor's passing file). Renewed, so that
            # the next one ends there again.
            _keep_stamp(cache, _stamp(workspace, options, (previous["valid_from"], previous["valid_until"]),
                                      output_seen.identity, _valid_left_out(previous.get("left_out")),
                                      problems.items + list(previous["problems"]), stamp_records))
        return BuildResult(problems.items + list(previous.get("problems", ())), output_dir,
                           sites=previous["sites"], articles=previous["articles"], outputs=previous["outputs"],
                           seconds=time.perf_counter() - started, up_to_date=True,
                           left_out=_valid_left_out(previous.get("left_out")))

    from kimsite.parse.article import ParseSettings
    from kimsite.model.assemble import PublishOptions, assemble_kim
    from kimsite.write.kept_kims import KeptKims
    from kimsite.write.parallel import compile_templates, run_parallel
    from kimsite.base.urls import Urls

    from kimsite.media import icons, previews
    from kimsite.plan import portal_of

    # The cards and icons the settings name, drawn while this process parses; by a process of
    # their own, so not when the build is to use one process (-j 1, a machine with one core).
    if options.write and worker_count(options) > 1:
        portal, single_site = portal_of(workspace, options), bool(options.site)
        drawn_ahead.want(previews.settings_cards(built_sites, portal, config.title, single_site),
                         icons.initials_icons(built_sites, portal, config.title, single_site))
    _load_date_names(cache, config.language)
    # --- parse every source (cached by content, parallel when many changed) -------------
    timer = _Timer(started)
    timer.lap("load")
    settings = ParseSettings(config.timezone, config.markdown, config.language)
    environments = _make_environments(workspace, options, chains)
    # What is kept of each KIM from one build to the next: a session's own, in memory; else the
    # records the last one-shot build left in the cache.
    kept_kims = None
    if session is None and cache.path is not None:
        kept_kims = KeptKims.load(cache, root, sorted(built_sites), workspace.scan, settings)
    kept: BuildSession | KeptKims | None = session if session is not None else kept_kims
    cache.hold_checkpoints()  # until the render workers have their work (see below)
    # Compiling the templates (a cold build's only use of them before rendering) happens in
    # this process while the worker processes parse, instead of after parsing.
    documents, bodies, file_hashes = parsing.parse_all(
        root, workspace.scan, built_sites, settings, cache, problems, options,
        while_parsing=lambda: compile_templates(environments),
        kept=session.parsed_with(cache) if session is not None else kept_kims.parsed if kept_kims else None)
    if kept_kims is not None:
        kept_kims.forget_unused(cache, sorted(built_sites))
    timer.lap("parse")
    cache.commit()  # parse results stay valid even when this build fails later
    publish = PublishOptions(now=now, drafts=options.drafts, future=options.future)

    # --- assemble models and check the workspace as a whole ------------------------------
    prefixes = tuple((slug, "" if options.site else f"{slug}/") for slug in sorted(built_sites))
    urls = Urls(config.base_url, config.base_path, prefixes, config.timezone)
    models: dict[str, SiteModel] = {}
    locations: dict[str, str] = {}
    drafts = future = 0
    next_due = math.inf
    for slug, site in sorted(built_sites.items()):
        files = [rel for rel, _path, _digest in file_hashes.get(slug, [])]
        kim = assemble_kim(site, documents.get(slug, []), files, publish, urls, kept.assembled if kept else None)
        models[slug] = kim.model
        locations.update(kim.located)
        problems.extend(kim.problems)
        drafts, future = drafts + kim.counts.drafts, future + kim.counts.future
        next_due = min(next_due, kim.counts.next_due)
    valid_until = freshness.valid_until(next_due, publish)
    left_out = (drafts, future)
    # The verdict cards too, drawn while this process plans, when the cards of the settings were
    # missing (a first build): looking for them costs an edit a few milliseconds.
    if drawn_ahead.drawing and not problems.has_errors(options.strict):
        drawn_ahead.want(cards=previews.verdict_cards(models))
    timer.lap("assemble")

    if problems.has_errors(options.strict) or not options.write:
        # what a writing build finds while planning (pictures it cannot process, SVG it refuses,
        # misnamed pictures, name collisions): `check` and a failing build report them too
        from kimsite.plan import file_problems, make_view

        view, _static = make_view(workspace, options, urls, now, models, locations, chains, built_sites,
                                  environments, file_hashes)
        problems.extend(file_problems(view))
        result = BuildResult(problems.items, output_dir, sites=len(models),
                             articles=sum(len(m.articles) for m in models.values()),
                             seconds=time.perf_counter() - started, left_out=left_out,
                             models=models, bodies=bodies)
        if problems.has_errors(options.strict):
            if options.write:
                raise KimsiteError(problems.sorted())
        cache.commit()
        return result

    from kimsite.plan import make_view, plan_outputs

    view, static = make_view(workspace, options, urls, now, models, locations, chains, built_sites, environments,
                             file_hashes, kept_members=kept.portal_members if kept else None)
    # --- plan every output and find what changed -----------------------------------------
    from kimsite.write.writer import OutputWriter

    # What the last build published, path -> signature: each KIM's plan names its own pages,
    # feeds and cards; the manifest names the rest (the portal's, the pictures, the root
    # files...). Both are stored in groups, a KIM's each (the manifest: by first folder), so
    # that an edit rewrites a few rows and reads no second copy of the KIMs' 20,000 paths.
    manifest_name, plans_name = f"manifest:{output_dir}", f"plans:{output_dir}"
    loaded = session.loaded_groups if session is not None else None
    stored_manifest = cache.get_groups(manifest_name, loaded)
    stored_plan_groups = cache.get_groups(plans_name, loaded)
    manifest = _valid_manifest(stored_manifest)
    stored_plans = stored_plan_groups if _valid_plans(stored_plan_groups) else None
    if manifest is None or stored_plans is None:
        problems.add(warning("", None, "cache_invalid"))
        manifest, stored_plans = {}, {}
    refused = None if options.preview else output_guard.ownership_problem(
        root, config.output, output_dir, bool(options.output), previous["output_identity"] if previous else None)
    if refused is not None:
        raise KimsiteError(problems.sorted() + [refused])
    if not looked_now:
        output_seen = _look_at_output(output_dir, previous, cache, session, look_ahead)
    # (the manifest always names some file after a build: the sitemap, at least)
    full = not manifest or not _left_by(output_seen, previous)
    view, plan, signatures, site_plans, site_wide = plan_outputs(view, static, file_hashes,
                                                                 {} if full else stored_plans)
    # what the last build published, but for the plans taken as they were (their files are too)
    published = {} if full else _published_before(manifest, stored_plans, site_plans)
    todo = [o for o in plan if full or published.get(o.path, ("", ""))[0] != signatures[o.path]]
    if kept_kims is not None:
        # What is kept of each KIM (they hold whether or not this build ends well), stored
        # before the render workers are forked: pickling touches every object it stores (their
        # reference counts), which would copy the memory pages this process shares with them.
        kept_kims.save(cache, sorted(built_sites), whole_workspace=options.site is None)
    timer.lap("plan")

    cache.commit()
    from kimsite.pages.ready import prepare_for, ready_index

    # What the cache has gained is copied from its log into the database while the workers
    # render, when they read nothing of it; before they start, when they read bodies from it.
    checkpoint_while_rendering: Callable[[], None] | None = cache.checkpoint
    parallel = len(todo) >= PARALLEL_RENDER_MIN  # (worker processes render, when there are cores)
    if len(view.documents) <= parsing.KEEP_BODIES_MAX or cache.path is None:
        needed = {digest for o in todo for digest in o.bodies}
        missing = needed - bodies.keys()
        if missing:
            bodies.update(cache.bodies(missing))
        view = replace(view, bodies=bodies.__getitem__)
        view = replace(view, ready=ready_index(view))
        if not (parallel and worker_count(options) > 1):
            prepare_for(view, todo)  # each document once, in the process that renders
            bodies.clear()  # what renderers show of them is in view.ready
        # else each render worker makes ready the documents its outputs show, from the bodies
        # it shares with this process: the work is split over the cores instead of waiting
        # for this one. Its outputs come KIM by KIM (kimsite.write.parallel.site_ranges), so a
        # document is made twice only when the portal shows it in the other worker's range.
    else:
        # Too many bodies to hold: each render worker makes ready the documents it shows, and
        # keeps the last few hundred (outputs come KIM by KIM: its pages, then its feeds).
        bodies.clear()
        cache.checkpoint()  # worker processes read bodies through their own connections
        checkpoint_while_rendering = None
        view = replace(view, bodies=parsing.BodyReader(cache.path))
        view = replace(view, ready=ready_index(view, keep=READY_KEPT))
    timer.lap("ready")
    from kimsite.pages import feed_kept

    templates = feed_kept.use(cache)  # before the render workers are forked: they start with them too
    writer = None
    try:
        # Made whole: a Ctrl+C that comes once the staging folder exists is raised here, inside the
        # try, so that the folder is removed (it was left behind when it came just before the try).
        with interrupt.held():
            writer = OutputWriter(output_dir, state_dir or root / STATE_DIR, full)
        collector.resume_for_rendering()
        rendered = run_parallel(view, todo, writer.staging, None if full else output_dir, options,
                                parallel=parallel, while_rendering=checkpoint_while_rendering)
        drawn_ahead.stop()  # every card and icon is drawn
        feed_kept.keep(cache, templates)
        timer.lap("render")
        staged_lines: dict[str, str] = {}  # the line of each file written (see freshness.look_after_full_build)
        for path, staged in rendered:
            if staged is not None:
                staged_lines[path] = staged
        written = len(staged_lines)
        removed = 0
        if not full:
            for path in sorted(published.keys() - signatures.keys()):
                removed += writer.remove(path)
        # Whole or not at all: a Ctrl+C during the moves would leave the output half old, half
        # new (put right only by the next build); it is raised once the commit is over.
        with interrupt.held():
            writer.commit()
    except BaseException:  # nothing of a failed or interrupted build stays beside the output
        if writer is not None:
            writer.abort()
        raise
    if options.site is None:  # a build of one KIM does not know what the others use
        from kimsite.write.prune import prune_media_caches

        prune_media_caches(view, plan, every_output_planned=full)

    searched = bool(options.search or config.search)
    if searched:  # before the output's identity is remembered: it adds files
        from kimsite.pages.search import index_sites

        search_problems = index_sites(view, output_dir)
        if search_problems:
            raise KimsiteError(problems.items + search_problems)
        timer.lap("search")
    cache.set_groups(manifest_name, _manifest_groups(site_wide), stored_manifest)
    cache.set_groups(plans_name, site_plans, stored_plan_groups)
    result = BuildResult(problems.items, output_dir, sites=len(models),
                         articles=sum(len(m.articles) for m in models.values()), outputs=len(signatures),
                         rendered=len(todo), written=written if not full else len(signatures), removed=removed,
                         seconds=0.0, full=full, view=view, left_out=left_out)
    seen = None
    if not full and not searched:  # only what this build moved or removed changed
        seen = freshness.output_identity_after_changes(output_dir, output_seen, writer.moved, writer.removed)
    elif full and not searched:  # only what this build wrote is there
        seen, result.output_size = freshness.look_after_full_build(output_dir, staged_lines)
    if seen is None:
        seen, size = freshness.walk_output(output_dir)
        if full:
            result.output_size = size
    if session is not None:
        session.output = seen
    # content warnings only: run-level ones (cache_invalid, ...) are not repeated
    kept_problems = [p for p in problems.items if p.file and p not in workspace.problems]
    cache.set_state(state_key, {"quick": quick_key, "valid_from": now.timestamp(), "valid_until": valid_until,
                                "output_identity": seen.identity if seen else None,
                                "sites": result.sites,
                                "articles": result.articles, "outputs": result.outputs, "left_out": left_out,
                                "problems": kept_problems})
    # the output's entries, kept once: for the next build's first step and for its look at the output
    cache.keep_entries_hint(output_dir, seen.entries if seen else None)
    if options.output is None:  # the output the settings name, the one a stamp is for
        stamp = None
        if stamp_records is not None and seen is not None and not problems.has_errors(options.strict):
            # what the next build prints when it finds nothing to do (see the fast path above)
            shown = list(workspace.problems) + kept_problems
            stamp = _stamp(workspace, options, (now.timestamp(), valid_until), seen.identity, left_out, shown,
                           stamp_records)
        cache.keep_text(up_to_date.KEY, stamp)  # (a new output identity: a new stamp)
    cache.commit()
    timer.lap("commit")
    if session is not None:
        session.primed = True
    result.seconds = time.perf_counter() - started
    result.timings = timer.laps
    return result


def _stamp_records(workspace: Workspace, options: BuildOptions, session: BuildSession | None,
                   chains: dict) -> list[str] | None:
    """The inputs of a build whose outcome the program's first step can answer for next time:
    a one-shot build of the whole workspace into the output its settings name, with the cache,
    at the time of the clock (see kimsite.write.up_to_date._request for its options)."""
    if (session is not None or not options.write or not options.use_cache or options.preview
            or options.site is not None or options.output is not None or options.search or options.now is not None
            or os.environ.get("KIMSITE_NOW") or os.environ.get("SOURCE_DATE_EPOCH")):
        return None
    from kimsite.write import up_to_date_inputs

    theme_folders = list(dict.fromkeys(folder for chain in chains.values() for folder in chain))
    return up_to_date_inputs.collect(workspace.root, workspace.scan, theme_folders)


def _keep_stamp(cache: BuildCache, stamp: str | None) -> None:
    """Keep `stamp` (None: none) in the cache, written only when it is not the one there (a
    build that found nothing to do)."""
    kept = cache.kept_text(up_to_date.KEY)
    if kept != stamp:
        cache.keep_text(up_to_date.KEY, stamp)
        cache.commit()


def _stamp(workspace: Workspace, options: BuildOptions, valid: tuple[float, float], identity: tuple,
           left_out: tuple[int, int], shown: list[Problem], records: list[str]) -> str | None:
    """The stamp of this build (see kimsite.write.up_to_date), with what a build that finds
    nothing to do prints, as kimsite.cli prints it: the warnings `shown`, then the summary."""
    from kimsite.base.messages import message

    drafts, future = left_out
    lines = {lang: (message("build_up_to_date", lang, output=up_to_date.OUTPUT_MARK, seconds=up_to_date.SECONDS_MARK),
                    message("build_left_out", lang, drafts=drafts, future=future) if drafts or future else "")
             for lang in ("id", "en")}
    ordered = sorted(dict.fromkeys(shown), key=Problem.sort_key)
    warned = {lang: [problem.format(lang) for problem in ordered] for lang in ("id", "en")}
    key = up_to_date.options_key(options.drafts, options.future, options.strict, options.base_url)
    return up_to_date.stamp_text(str(workspace.root), key, valid, str(workspace.config.output_dir), identity,
                                 lines, warned, records)


def _state_key(output_dir: Path) -> str:
    return f"build:{output_dir}"


def _look_at_output(output_dir: Path, previous: dict | None, cache: BuildCache, session: BuildSession | None,
                    look_ahead: LookAhead | None) -> freshness.OutputLook | None:
    """What the output is now (see freshness.look_at_output); None without a previous build.
    A child's look (see kimsite.write.look_ahead) is taken when it is as good as one taken now."""
    kept = None
    if session is not None:  # taken: a build that fails from here on leaves the output unknown
        kept, session.output = session.output, None
    if previous is None:
        if look_ahead is not None:
            look_ahead.close()
        return None
    if (kept is not None and previous["output_identity"] == kept.identity
            and freshness.head_unchanged(output_dir, kept)):
        return kept
    entries = cache.kept_entries(output_dir)
    if look_ahead is not None:
        seen = look_ahead.take(entries, previous["output_identity"])
        if seen is not None and freshness.head_unchanged(output_dir, seen):
            return seen
    return freshness.look_at_output(output_dir, entries)


def _left_by(output_seen: freshness.OutputLook | None, previous: dict | None) -> bool:
    """Whether the output looked at is the one the remembered build left (its identity known)."""
    return (previous is not None and output_seen is not None and output_seen.identity is not None
            and output_seen.identity == previous["output_identity"])


def _valid_left_out(value: object) -> tuple[int, int]:
    if isinstance(value, tuple) and len(value) == 2 and all(type(n) is int for n in value):
        return value
    return (0, 0)


_STATE_TYPES = {"quick": str, "valid_from": (int, float), "valid_until": (int, float), "output_identity": tuple,
                "sites": int, "articles": int,
                "outputs": int, "problems": list}


def _valid_state(state: object) -> dict | None:
    """The remembered outcome of the last build when it has the expected shape, else None."""
    if not isinstance(state, dict):
        return None
    if not all(isinstance(state.get(key), kinds) for key, kinds in _STATE_TYPES.items()):
        return None
    return state if all(isinstance(p, Problem) for p in state["problems"]) else None


def _valid_manifest(groups: dict) -> dict[str, tuple] | None:
    """The stored manifest (path -> (signature, "")) as one dict; None when an entry has an
    unexpected shape. (Its paths are checked where they are used: see OutputWriter.remove.)"""
    manifest: dict[str, tuple] = {}
    for group in groups.values():
        if not isinstance(group, dict):
            return None
        manifest.update(group)
    return manifest if all(type(v) is tuple and len(v) == 2 for v in manifest.values()) else None


def _valid_plans(groups: dict) -> bool:
    """Whether the stored plans have the shape plan_outputs stores: slug -> (key, [(path,
    signature, lastmod or None)]). (Their paths are checked where they are used, as the
    manifest's.)"""
    for plan in groups.values():
        if not (type(plan) is tuple and len(plan) == 2 and type(plan[0]) is str and type(plan[1]) is list):
            return False
        for entry in plan[1]:
            if not (type(entry) is tuple and len(entry) == 3 and type(entry[0]) is str and type(entry[1]) is str):
                return False
    return True


def _published_before(manifest: dict[str, tuple], stored_plans: dict[str, tuple],
                      site_plans: dict[str, tuple]) -> dict[str, tuple]:
    """path -> (signature, "") of what the last build published (`manifest` and the files of
    `stored_plans`), less the files of the plans this build took as they were (`site_plans`
    holds those very objects): an output now planned is never one of them, nor is a file to
    remove. (A cache of an earlier version names every file in its manifest: the same.)"""
    published = dict(manifest)
    for slug, plan in stored_plans.items():
        if site_plans.get(slug) is not plan:
            published.update((path, (signature, "")) for path, signature, _lastmod in plan[1])
    return published


def _manifest_groups(signatures: dict[str, str]) -> dict[str, dict[str, tuple]]:
    """The manifest (path -> (signature, "")) grouped by the first folder of its paths ("" for
    files at the root). (The second place held a digest of the file's bytes, which an
    incremental build now compares with the published file itself: writer.same_as_published.)"""
    groups: dict[str, dict[str, tuple]] = {}
    last_folder: str | None = None
    group: dict[str, tuple] = {}
    for path, signature in signatures.items():
        folder, slash, _ = path.partition("/")
        if not slash:
            folder = ""
        if folder != last_folder:  # outputs come KIM by KIM: a group is looked up once per run of them
            group = groups.setdefault(folder, {})
            last_folder = folder
        group[path] = (signature, "")
    return groups


def _load_date_names(cache: BuildCache, lang: str) -> None:
    """Weekday and month names from the cache when a build with this babel version read them
    (set before worker processes are forked, so none of them loads babel's data either)."""
    from kimsite.base import dates

    key = dates.names_cache_key(lang)
    names = cache.get_state(key)
    if isinstance(names, tuple) and len(names) == 2 and len(names[0]) == 7 and len(names[1]) == 12:
        dates.remember_date_names(lang, names)
    else:
        cache.set_state(key, dates.date_names(lang))


class _Timer:
    """Seconds spent in each step, for `kimsite build --timings` and the benchmark."""

    def __init__(self, started: float):
        self.last = started
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self.last
        self.last = now


def _make_environments(workspace: Workspace, options: BuildOptions, chains: dict) -> dict:
    """One Jinja environment per theme chain in use."""
    from kimsite.outputs.environment import make_environment
    from kimsite.outputs.tokens import templates_token

    config = workspace.config
    # One folder per combination of what compiled templates depend on besides their source.
    compiled_dir = (workspace.root / STATE_DIR / "templates" / templates_token(config)
                    if options.use_cache else None)
    return {name: make_environment(chain, config.language, config.timezone, config.base_path, compiled_dir)
            for name, chain in chains.items()}
