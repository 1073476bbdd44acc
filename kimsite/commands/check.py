"""`kimsite check`: every problem a build would find, without writing output, plus the
checks of kimsite.lint.rules (required summaries, titles for sharing, alt text, media).

Reports as text (default), JSON (`--format json`) or GitHub Actions annotations
(`--format github`). `--strict` counts warnings as errors. Exit codes: 0 nothing
wrong, 1 content or configuration problems, 2 a wrong command line (unknown --site).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import click

from kimsite.workspace import sources
from kimsite.parse.article import ParseSettings, content_hash, parse_source, source_digest
from kimsite.model.assemble import PublishOptions, is_published
from kimsite.build import STATE_DIR, build
from kimsite.workspace.options import BuildOptions, build_now, load_workspace
from kimsite.workspace.cache import BuildCache, CacheCorrupt
from kimsite.lint.rules import Checked, load_settings, logo_rule, run_rules
from kimsite.workspace.git_remote import base_url_problems
from kimsite.base.messages import message
from kimsite.model.model import SourceFile
from kimsite.base.problems import KimsiteError, Problem

FORMATS = ("text", "json", "github")
_USAGE_CODES = frozenset({"site_unknown", "site_not_kim"})


def collect(root: Path, site: str | None = None, drafts: bool = False, future: bool = False) -> list[Problem]:
    """Every problem of the workspace, sorted, each once."""
    root = root.resolve()
    options = BuildOptions(site=site, drafts=drafts, future=future, write=False)
    try:
        result = build(root, options)
    except KimsiteError as exc:
        return sorted(dict.fromkeys(exc.problems), key=Problem.sort_key)
    problems = list(result.problems)
    if site is None:  # a KIM checked alone may live on its own domain
        problems.extend(base_url_problems(root))
    settings, setting_problems = load_settings(root)
    problems.extend(setting_problems)
    checked, files = published_documents(root, options)
    problems.extend(run_rules(checked, settings))
    logos = result.logos or {}
    for site, site_files in sorted(files.items()):
        problems.extend(logo_rule(root, site, logos.get(site, ""), site_files))
    return sorted(dict.fromkeys(problems), key=Problem.sort_key)


def published_documents(root: Path, options: BuildOptions) -> tuple[list[Checked], dict[str, frozenset[str]]]:
    """The published articles and pages of the checked KIMs, with body HTML and source text,
    and the other files of each KIM (relative to its folder).

    Parse results come from the build cache the check's build has just filled;
    anything missing there is parsed again.
    """
    workspace = load_workspace(root, options)
    config = workspace.config
    settings = ParseSettings(config.timezone, config.markdown, config.language)
    publish = PublishOptions(now=build_now(options), drafts=options.drafts, future=options.future)
    wanted: list[tuple[sources.Entry, bytes, str, frozenset[str]]] = []
    files_by_site: dict[str, frozenset[str]] = {}
    for slug, site in sorted(workspace.sites.items()):
        if not site.is_local_kim or (options.site and slug != options.site):
            continue
        entries = workspace.scan.content.get(slug, [])
        files = frozenset(entry.rel for entry in entries if entry.kind == "file")
        files_by_site[slug] = files
        for entry in entries:
            if entry.kind == "file":
                continue
            try:
                raw = sources.read(root, entry)
            except OSError:
                continue  # the build already reported it
            wanted.append((entry, raw, source_digest(content_hash(raw), settings, entry.path), files))

    stored, bodies = _from_cache(root, [(entry.site, digest) for entry, _, digest, _ in wanted])
    checked: list[Checked] = []
    for entry, raw, digest, files in wanted:
        parsed = stored.get(digest)
        body = bodies.get(digest)
        if parsed is None or parsed.document is None or body is None:
            parsed = parse_source(SourceFile(entry.site, entry.path, entry.rel, entry.kind), raw, settings)
            body = parsed.body_html
        doc = parsed.document
        if doc is None or not is_published(doc, publish):
            continue
        checked.append(Checked(doc, body, raw.decode("utf-8", "replace"), files))
    return checked, files_by_site


def _from_cache(root: Path, wanted: list[tuple[str, str]]) -> tuple[dict, dict[str, str]]:
    """Parse results and bodies the last build remembered, by digest, for (site, digest) pairs."""
    from kimsite.parse.parsing import remembered_results

    state_dir = root / STATE_DIR
    if not wanted or not state_dir.is_dir():
        return {}, {}
    try:
        cache, _ = BuildCache.open(state_dir)
    except (OSError, sqlite3.Error):  # the build has reported an unusable cache already
        return {}, {}
    try:
        digests = [digest for _, digest in wanted]
        return remembered_results(cache, {site for site, _ in wanted}, set(digests)), cache.bodies(digests)
    except (CacheCorrupt, sqlite3.Error):
        return {}, {}
    finally:
        cache.close()


def _promote(problems: list[Problem]) -> list[Problem]:
    """--strict: every warning counts (and is shown) as an error."""
    from dataclasses import replace

    return [replace(p, severity="error") if p.severity == "warning" else p for p in problems]


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem, lang: str) -> str:
    """`::error file=…,line=…,title=…::message`, as GitHub Actions reads it from a step's output."""
    properties = []
    if problem.file:
        properties.append(f"file={_escape_property(problem.file)}")
        if problem.line:
            properties.append(f"line={problem.line}")
    properties.append(f"title={_escape_property('kimsite ' + problem.code)}")
    return f"::{problem.severity} {','.join(properties)}::{_escape_data(problem.text(lang))}"


def report(problems: list[Problem], fmt: str, lang: str) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    summary = message("check_summary", lang, errors=errors, warnings=warnings)
    if fmt == "json":
        return json.dumps({
            "errors": errors, "warnings": warnings,
            "problems": [{"severity": p.severity, "file": p.file, "line": p.line, "code": p.code,
                          "message": p.text(lang)} for p in problems],
        }, ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join([*(github_annotation(p, lang) for p in problems), summary])
    return "\n".join([*(p.format(lang) for p in problems), summary])


def run_check(root: Path, site: str | None, fmt: str, strict: bool, drafts: bool, lang: str,
              future: bool = False) -> int:
    problems = collect(root, site, drafts, future)
    usage = [p for p in problems if p.code in _USAGE_CODES]
    if usage:
        for problem in usage:
            click.echo(problem.format(lang), err=True)
        return 2
    if strict:
        problems = _promote(problems)
    click.echo(report(problems, fmt, lang))
    return 1 if any(p.severity == "error" for p in problems) else 0
