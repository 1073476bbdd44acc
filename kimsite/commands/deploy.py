"""Publishing on GitHub Pages, the two ways.

* `write_workflow`: the GitHub Actions workflow (`.github/workflows/pages.yml`)
  that `kimsite init` and `kimsite init --ci` add to a workspace.
* `deploy`: `kimsite deploy` for those who publish from a `gh-pages` branch:
  build, commit the output folder to the branch with ghp-import, push.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable

from kimsite.workspace.git_remote import derived_base_url, unpublishable
from kimsite.commands.install_source import InstallSource, detect
from kimsite.base.messages import Part, message
from kimsite.base.problems import KimsiteError

WORKFLOW_PATH = ".github/workflows/pages.yml"

# Current major versions of the actions the workflow uses (one place to update them).
ACTIONS = {
    "CHECKOUT": "actions/checkout@v7",
    "SETUP_PYTHON": "actions/setup-python@v7",
    "CACHE": "actions/cache@v6",
    "CONFIGURE_PAGES": "actions/configure-pages@v6",
    "UPLOAD_ARTIFACT": "actions/upload-pages-artifact@v5",
    "DEPLOY_PAGES": "actions/deploy-pages@v5",
}


# --- the GitHub Actions workflow ------------------------------------------------

def workflow_text(branch: str = "main", source: InstallSource | None = None) -> str:
    """The workflow file: installs `source` (the running kimsite by default), triggered by pushes to `branch`."""
    source = source or detect()
    text = resources.files("kimsite").joinpath("workflow_template.yml").read_text(encoding="utf-8")
    replacements = {"@@REQUIREMENT@@": source.pip_argument, "@@BRANCH@@": branch,
                    **{f"@@{key}@@": value for key, value in ACTIONS.items()}}
    for placeholder, value in replacements.items():
        text = text.replace(placeholder, value)
    return text


def default_branch(directory: Path) -> str:
    """The branch pushes should publish from: the remote's default, else the current one, else main."""
    for args in (("symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"),
                 ("symbolic-ref", "--quiet", "--short", "HEAD")):
        try:
            done = _git(directory, *args)
        except OSError:
            return "main"
        name = done.stdout.strip().removeprefix("origin/") if done.returncode == 0 else ""
        if name and all(c.isalnum() or c in "-_./" for c in name):
            return name
    return "main"


def write_workflow(directory: Path, lang: str, source: InstallSource | None = None) -> list[str]:
    """Write .github/workflows/pages.yml; an existing file is left as it is, and the user is told.

    When the running kimsite cannot be installed on a GitHub runner (a local folder or an
    unreleased build), the file is written anyway and the lines say what to change.
    """
    directory = directory.resolve()
    path = directory / WORKFLOW_PATH
    if path.exists():
        return [message("workflow_exists", lang, path=WORKFLOW_PATH)]
    source = source or detect()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(workflow_text(default_branch(directory), source), encoding="utf-8")
    lines = [message("created", lang, path=WORKFLOW_PATH)]
    if not source.installable:
        lines.append(message("label_warning", lang) + ": " + message(
            "workflow_install_local", lang, path=WORKFLOW_PATH, requirement=source.requirement,
            origin=source.origin or "-"))
    return lines + [message("workflow_next", lang)]


# --- kimsite deploy ----------------------------------------------------------------

class DeployError(Exception):
    """Publishing cannot go on; the text says why and what to do (exit code 1)."""


@dataclass
class DeployOptions:
    branch: str = "gh-pages"
    remote: str = "origin"
    push: bool = True
    message: str | None = None
    allow_dirty: bool = False


@dataclass
class DeployResult:
    committed: bool  # False when the branch already held exactly this build
    pushed: bool
    commit: str  # the branch's commit after deploying


Report = Callable[..., None]


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


def _git_out(cwd: Path, *args: str) -> str | None:
    done = _git(cwd, *args)
    return done.stdout.strip() if done.returncode == 0 else None


def check_repository(root: Path, options: DeployOptions, lang: str, output: str = "_site") -> bool:
    """Everything that must hold before building; returns whether the tree is dirty (allowed)."""
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree")
    except OSError:
        raise DeployError(message("deploy_git_missing", lang)) from None
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise DeployError(message("deploy_not_git", lang, path=root))
    current = _git_out(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    if current == options.branch:
        raise DeployError(message("deploy_branch_is_current", lang, branch=options.branch))
    if not (os.environ.get("GIT_COMMITTER_NAME") or _git_out(root, "config", "user.name")) or \
            not (os.environ.get("GIT_COMMITTER_EMAIL") or _git_out(root, "config", "user.email")):
        raise DeployError(message("deploy_no_identity", lang))
    if options.push and _git_out(root, "remote", "get-url", options.remote) is None:
        raise DeployError(message("deploy_no_remote", lang, remote=options.remote))
    dirty = dirty_files(root, output)
    if dirty and not options.allow_dirty:
        shown = ", ".join(dirty[:3]) + (", …" if len(dirty) > 3 else "")
        raise DeployError(message("deploy_dirty", lang, count=len(dirty), files=shown))
    return bool(dirty)


INPUTS = ("content/", "sites/", "themes/", "kimsite.yaml")


def dirty_files(root: Path, output: str = "_site") -> list[str]:
    """Workspace files with uncommitted changes: tracked files changed, or new source files.

    Paths are relative to the workspace. The output folder and kimsite's own state
    (.kimsite/, feeds/) do not count: they are produced, not written by hand.
    """
    prefix = _git_out(root, "rev-parse", "--show-prefix") or ""
    done = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", ".")
    entries = done.stdout.split("\0")
    found: list[str] = []
    skip_next = False
    for entry in entries:
        if skip_next:
            skip_next = False
            continue
        if len(entry) < 4:
            continue
        status, path = entry[:2], entry[3:]
        if status[0] in "RC":
            skip_next = True  # the original name follows a rename or copy
        rel = path[len(prefix):] if path.startswith(prefix) else path
        if rel.startswith((output.rstrip("/") + "/", ".kimsite/", "feeds/")):
            continue
        if status == "??" and not rel.startswith(INPUTS):
            continue
        found.append(rel)
    return sorted(found)


def commit_message(root: Path, options: DeployOptions, dirty: bool, lang: str) -> str:
    if options.message:
        return options.message
    sha = _git_out(root, "rev-parse", "--short", "HEAD")
    text = message("deploy_commit_message", lang, sha=sha) if sha else message("deploy_commit_message_first", lang)
    return text + (message("deploy_dirty_suffix", lang) if dirty else "")


def publish(root: Path, output_dir: Path, options: DeployOptions, dirty: bool, lang: str,
            report: Report) -> DeployResult:
    """Commit `output_dir` to the branch (no new commit when nothing changed), then push."""
    ref = f"refs/heads/{options.branch}"
    if options.push:  # start from what the remote holds, so the push is a fast-forward
        _git(root, "fetch", "--quiet", options.remote,
             f"+{ref}:refs/remotes/{options.remote}/{options.branch}")
    before = _git_out(root, "rev-parse", "--verify", "--quiet", ref)
    command = [sys.executable, "-m", "ghp_import", "--no-jekyll", "--branch", options.branch,
               "--remote", options.remote, "--message", commit_message(root, options, dirty, lang),
               str(output_dir)]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True)
    after = _git_out(root, "rev-parse", "--verify", "--quiet", ref)
    if done.returncode != 0 or after is None:  # (the same commit again is possible: same second)
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise DeployError(message("deploy_commit_failed", lang, branch=options.branch,
                                  reason=reason[-1] if reason else "git fast-import"))
    # ghp-import always commits (on top of the remote's branch when there is one). A commit
    # whose tree equals its parent's changes nothing: put the branch back. Without a push, the
    # local branch as it was before counts too (an unpushed deploy of the same build).
    parent = _git_out(root, "rev-parse", "--verify", "--quiet", f"{after}^")
    candidates = (parent,) if options.push else (parent, before)
    same = before if after == before else next(
        (c for c in candidates if c and _tree(root, c) == _tree(root, after)), None)
    committed = same is None
    if same is not None:
        _git(root, "update-ref", ref, same, after)
        after = same
        report(message("deploy_unchanged", lang, branch=options.branch))
    else:
        count = len((_git_out(root, "ls-tree", "-r", "--name-only", after) or "").splitlines())
        report(message("deploy_committed", lang, branch=options.branch, sha=after[:7], count=count))
    pushed = False
    if options.push:
        done = _git(root, "push", "--quiet", options.remote, f"{ref}:{ref}")
        if done.returncode != 0:
            reason = done.stderr.strip().splitlines()
            raise DeployError(message("deploy_push_failed", lang, remote=options.remote, branch=options.branch,
                                      reason=reason[-1] if reason else done.returncode))
        pushed = True
        report(message("deploy_pushed", lang, remote=options.remote, branch=options.branch))
    else:
        report(message("deploy_not_pushed", lang, remote=options.remote, branch=options.branch))
    return DeployResult(committed, pushed, after)


def _tree(root: Path, commit: str) -> str | None:
    return _git_out(root, "rev-parse", f"{commit}^{{tree}}")


def check_public_address(root: Path, build_options, configured: str, lang: str) -> None:
    """Refuse a base_url no reader can reach (localhost, the placeholder of `kimsite init`):
    every page would load its CSS and links from there."""
    base_url = build_options.base_url or configured
    if build_options.site and not build_options.base_url:
        from kimsite.workspace.options import BuildOptions, load_workspace

        try:  # a KIM built alone on its own domain gets https://DOMAIN/
            base_url = load_workspace(root, BuildOptions(site=build_options.site, write=False)).config.base_url
        except KimsiteError:
            pass  # the build reports what is wrong
    reason = unpublishable(base_url)
    if reason is None:
        return
    where = "--base-url" if build_options.base_url else "kimsite.yaml"
    derived = derived_base_url(root)
    suggestion = derived if derived and not unpublishable(derived) else Part("base_url_example")
    raise DeployError(message(f"deploy_base_url_{reason}", lang, value=base_url, where=where,
                              suggestion=suggestion))


def deploy(root: Path, build_options, options: DeployOptions, lang: str, report: Report) -> DeployResult:
    """`kimsite deploy`: check the repository, build (a failed build raises KimsiteError), publish."""
    from kimsite.build import build
    from kimsite.workspace.config import load_workspace_config

    root = root.resolve()
    config, _ = load_workspace_config(root)
    if config is not None:
        check_public_address(root, build_options, config.base_url, lang)
    output = build_options.output or (config.output if config else "_site")
    dirty = check_repository(root, options, lang, output)
    result = build(root, build_options)  # raises KimsiteError: nothing is committed
    for problem in result.problems:
        report(problem.format(lang), err=True)
    report(message("build_summary", lang, sites=result.sites, articles=result.articles, pages=result.outputs,
                   written=result.written, seconds=f"{result.seconds:.2f}", output=result.output_dir.name)
           if not result.up_to_date else
           message("build_up_to_date", lang, output=result.output_dir.name, seconds=f"{result.seconds:.2f}"))
    return publish(root, result.output_dir, options, dirty, lang, report)
