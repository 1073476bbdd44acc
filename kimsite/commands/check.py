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

from kimsite.parse.article import ParseSettings, parse_source
from kimsite.build import STATE_DIR, BuildResult, build
from kimsite.workspace.config import load_workspace_config
from kimsite.workspace.options import BuildOptions
from kimsite.workspace.cache import BuildCache, CacheCorrupt
from kimsite.lint.rules import Checked, load_settings, run_rules
from kimsite.cms.collections import hidden_from_editor
from kimsite.cms.publish import workspace_config
from kimsite.workspace.git_remote import base_url_problems
from kimsite.base.messages import message
from kimsite.model.model import Document, SourceFile
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
    checked = published_documents(root, result)
    problems.extend(run_rules(checked, settings))
    if workspace_config(root) is not None:  # the workspace has the web editor
        problems.extend(hidden_from_editor([item.doc.source for item in checked]))
    return sorted(dict.fromkeys(problems), key=Problem.sort_key)


def published_documents(root: Path, result: BuildResult) -> list[Checked]:
    """The published articles and pages of the checked KIMs, as the check's build assembled
    them, with body HTML, source text and the other files of their KIM. Bodies the build does
    not hold come from the cache it has just filled; a source whose body is in neither is
    parsed again."""
    documents = [doc for _, model in sorted(result.models.items()) for doc in (*model.articles, *model.pages)]
    bodies = dict(result.bodies)
    bodies.update(_cached_bodies(root, [doc.digest for doc in documents if doc.digest not in bodies]))
    files_by_site = {slug: frozenset(model.media) for slug, model in result.models.items()}
    checked: list[Checked] = []
    for doc in documents:
        try:
            raw = (root / doc.source).read_bytes()
        except OSError:
            continue  # the build read it a moment ago; what changed since is for the next check
        body = bodies.get(doc.digest)
        if body is None:  # the cache could not be read
            body = _parse_again(root, doc, raw)
        checked.append(Checked(doc, body, raw.decode("utf-8", "replace"), files_by_site[doc.site]))
    return checked


def _parse_again(root: Path, doc: Document, raw: bytes) -> str:
    """The body HTML of `doc` from its source bytes ("" when the settings became unreadable)."""
    config, _ = load_workspace_config(root)
    if config is None:
        return ""
    settings = ParseSettings(config.timezone, config.markdown, config.language)
    return parse_source(SourceFile(doc.site, doc.source, doc.rel, doc.file_role), raw, settings).body_html


def _cached_bodies(root: Path, digests: list[str]) -> dict[str, str]:
    """Body HTML the last build stored, by digest."""
    state_dir = root / STATE_DIR
    if not digests or not state_dir.is_dir():
        return {}
    try:
        cache, _ = BuildCache.open(state_dir)
    except (OSError, sqlite3.Error):  # the build has reported an unusable cache already
        return {}
    try:
        return cache.bodies(digests)
    except (CacheCorrupt, sqlite3.Error):
        return {}
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
