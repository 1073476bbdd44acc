"""`kimsite build` once its options are read: runs the build and prints what it has to say.

The click command (kimsite.cli) runs it, and so does the program's first step for the plain
command lines it can read as click would (`plain_options`: only options that take no value or a
value there is no doubt about), without loading click and the definitions of every command:
10 ms of each one-article edit. Anything else (help, a mistyped option, a value click would
refuse or read otherwise) goes to click, which says what is wrong.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kimsite.base.language_choice import cli_language
from kimsite.base.messages import message
from kimsite.base.problems import KimsiteError, Problem

if TYPE_CHECKING:
    from kimsite.build import BuildResult

# Set when this process is the `kimsite` program itself (kimsite.program, kimsite.cli.run); not
# when tests invoke the command in their own process.
OWN_PROCESS: list[bool] = []

def plain_options(arguments: list[str]) -> dict[str, str | bool] | None:
    """The options of `kimsite build ARGUMENTS` as click would read them, by their short or only
    name (True for a flag), when each is one the program's first step reads
    (look_ahead.EARLY_OPTIONS), given once, with a value click takes as it is; None otherwise
    (click reads them, and refuses what it refuses)."""
    from kimsite.write.look_ahead import EARLY_OPTIONS, build_values

    values = build_values(arguments, EARLY_OPTIONS)
    if values is None or "" in values.values():
        return None  # (an empty value: click's rules decide)
    workspace = values.get("-C")
    if workspace is not None and os.path.exists(workspace) and not os.path.isdir(workspace):
        return None  # click refuses a file for -C
    return {name: True if value is None else value for name, value in values.items()}


def run_as_program(values: dict[str, str | bool]) -> None:
    """The `kimsite` program for `kimsite build` with the options `plain_options` read, as
    kimsite.cli.run runs a command: Ctrl+C ends it with one line, a reader that went away with
    exit code 1 (as click's)."""
    from kimsite.base import interrupt

    OWN_PROCESS.append(True)
    interrupt.install()
    try:
        run_plain(values)
    except interrupt.Interrupted:
        echo(message("interrupted", cli_language(_text(values.get("--lang")))), err=True)
        sys.exit(interrupt.EXIT_CODE)
    except BrokenPipeError:
        os._exit(1)


def run_plain(values: dict[str, str | bool]) -> None:
    """`kimsite build` with options `plain_options` read (the program's first step)."""
    jobs = values.get("-j")
    run_build(Path(str(values.get("-C", "."))), base_url=_text(values.get("--base-url")),
              drafts="--drafts" in values, future="--future" in values, strict="--strict" in values,
              jobs=int(str(jobs)) if jobs is not None else None, timings="--timings" in values,
              quiet="-q" in values, for_publish="--for-publish" in values, lang=_text(values.get("--lang")))


def _text(value: str | bool | None) -> str | None:
    return value if isinstance(value, str) else None


def run_build(workspace: Path, *, site: str | None = None, base_url: str | None = None, output: str | None = None,
              drafts: bool = False, future: bool = False, strict: bool = False, jobs: int | None = None,
              no_cache: bool = False, search: bool = False, timings: bool = False, quiet: bool = False,
              for_publish: bool = False, lang: str | None = None) -> None:
    """Build the workspace and print its problems and summary; exit code 1 on errors."""
    from kimsite.base import collector

    with collector.paused():  # see kimsite.program.run
        from kimsite.build import BuildOptions, build as run
        from kimsite.base.progress import Progress

    lang = cli_language(lang)
    progress = Progress(lang)
    options = BuildOptions(base_url=base_url, output=output, site=site, drafts=drafts, future=future,
                           strict=strict, jobs=jobs, use_cache=not no_cache, progress=progress.update,
                           search=search)
    if for_publish:
        _refuse_unpublishable(workspace, options, lang)
    try:
        result = run(workspace, options)
    except KimsiteError as exc:
        progress.finish()
        fail(exc, lang, strict)
        return
    progress.finish()
    print_problems(result.problems, lang)
    where = os.path.relpath(result.output_dir, Path.cwd()) if result.output_dir.is_relative_to(Path.cwd()) \
        else str(result.output_dir)
    seconds = f"{result.seconds:.2f}"
    size = _report_size(result, where, lang) if result.full else None
    if quiet:  # problems only: CI logs stay short
        end_build(0)
        return
    if result.up_to_date:
        echo(message("build_up_to_date", lang, output=where, seconds=seconds))
    else:
        echo(message("build_summary", lang, sites=result.sites, articles=result.articles,
                     pages=result.outputs, written=result.written, seconds=seconds, output=where))
    drafts, future = result.left_out
    if drafts or future:
        echo(message("build_left_out", lang, drafts=drafts, future=future))
    if size is not None:
        echo(size)
    if timings and result.timings:
        echo(" ".join(f"{name}={value:.2f}s" for name, value in result.timings.items()))
    end_build(0)


def echo(line: str, err: bool = False) -> None:
    """One line to standard output (or error), as click.echo writes it (nothing when the program
    was started without that stream)."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    stream.write(line + "\n")
    stream.flush()


def print_problems(problems: list[Problem], lang: str) -> None:
    for problem in sorted(dict.fromkeys(problems), key=Problem.sort_key):
        echo(problem.format(lang), err=True)


def fail(exc: KimsiteError, lang: str, strict: bool = False) -> None:
    print_problems(exc.problems, lang)
    errors = sum(1 for p in exc.problems if p.severity == "error")
    if errors:
        echo(message("build_failed", lang, count=errors), err=True)
    elif strict:
        echo(message("strict_failed", lang, count=len(exc.problems)), err=True)
    sys.exit(1)


def end_build(code: int) -> None:
    """A finished build's process ends without freeing its objects one by one: a large
    workspace's model is a million of them, which took Python 50 ms, 6% of a one-article
    edit build. Nothing is left to do; output and cache are committed and closed."""
    if OWN_PROCESS:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):  # a reader that went away, a closed stream, none
                pass
        os._exit(code)
    if code:
        sys.exit(code)


def _refuse_unpublishable(workspace: Path, options, lang: str) -> None:
    """`build --for-publish`: the base_url check of `deploy` (exit 1 before building)."""
    from kimsite.commands import deploy as publishing
    from kimsite.workspace.config import load_workspace_config

    root = workspace.resolve()
    config, _ = load_workspace_config(root)
    if config is None:
        return  # the build reports what is wrong with kimsite.yaml
    try:
        publishing.check_public_address(root, options, config.base_url, lang)
    except publishing.DeployError as exc:
        echo(str(exc), err=True)
        sys.exit(1)


def _report_size(result: BuildResult, where: str, lang: str) -> str:
    """Print warnings when the output nears its host's limits; return the size line. Only after a
    full build (every CI build: _site/ is not cached), which knows the size of every file it
    wrote (walking a large output would cost a one-article edit more than its build)."""
    from kimsite.write import output_size

    size = result.output_size or output_size.measure(result.output_dir)
    print_problems(output_size.limit_problems(size, where), lang)
    return message("build_size", lang, size=output_size.megabytes(size.bytes), files=size.files,
                   limit=output_size.megabytes(output_size.PAGES_MAX_BYTES))
