"""`kimsite check`: every problem a build would find, without writing output."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kimsite.build import BuildOptions, build
from kimsite.messages import message
from kimsite.problems import KimsiteError, Problem


def collect(root: Path, site: str | None = None, drafts: bool = False) -> list[Problem]:
    try:
        result = build(root, BuildOptions(site=site, drafts=drafts, write=False))
    except KimsiteError as exc:
        return list(exc.problems)
    return list(result.problems)


def run_check(root: Path, site: str | None, fmt: str, strict: bool, drafts: bool, lang: str) -> int:
    problems = sorted(dict.fromkeys(collect(root, site, drafts)), key=Problem.sort_key)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    if fmt == "json":
        click.echo(json.dumps([{"severity": p.severity, "file": p.file, "line": p.line, "code": p.code,
                                "message": p.text(lang)} for p in problems], ensure_ascii=False, indent=2))
    elif fmt == "github":
        for p in problems:
            level = "error" if p.severity == "error" or strict else "warning"
            where = f"file={p.file}" + (f",line={p.line}" if p.line else "") if p.file else ""
            text = p.text(lang).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            click.echo(f"::{level} {where}::{text}".replace(" ::", "::"))
    else:
        for p in problems:
            click.echo(p.format(lang), err=True)
        click.echo(message("check_summary", lang, errors=len(errors), warnings=len(warnings)))
    return 1 if errors or (strict and warnings) else 0
