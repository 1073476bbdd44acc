"""`kimsite cms`: a browser editor (Sveltia CMS) at /admin/, configured from the workspace.

    inputs.py       settings, KIMs and their categories, read with kimsite's parser
    repository.py   the GitHub repository and branch from the git remote
    widgets.py      editor fields that can only produce what kimsite accepts
    collections.py  the configuration: one collection per KIM and article type, plus pages
    page.py         admin/index.html, loading the pinned bundle (bundle.py) with its hash
    files.py        writing both files, refusing to overwrite hand edits, merging
                    admin/config.extra.yml
    publish.py      the build's planner publishing /admin/
"""

from __future__ import annotations

from pathlib import Path

from kimsite.base.messages import message
from kimsite.base.problems import KimsiteError, UsageError
from kimsite.workspace.config import missing_workspace


def write_cms(root: Path, lang: str, repo: str | None = None) -> list[str]:
    """Write admin/config.yml and admin/index.html; returns the lines to show."""
    from kimsite.cms.collections import editor_config
    from kimsite.cms.files import CONFIG_FILE, PAGE_FILE, Planned, config_text, merge_extra, read_extra, write_files
    from kimsite.cms.inputs import read_inputs
    from kimsite.cms.page import admin_page
    from kimsite.cms.repository import Repository, find_repository, valid_repo

    root = root.resolve()
    if not (root / "kimsite.yaml").is_file():
        code, args = missing_workspace(root, "cms_no_workspace")
        raise UsageError(message(code, lang, **args), exit_code=1)
    try:
        inputs = read_inputs(root)
    except KimsiteError as exc:
        raise UsageError("\n".join(problem.format(lang) for problem in exc.problems), exit_code=1) from None
    repository = find_repository(root, inputs.base_url)
    if repo is not None:
        if not valid_repo(repo):
            raise UsageError(message("cms_bad_repo", lang, value=repo))
        repository = Repository(repo, repository.branch, repository.prefix)
    config = merge_extra(editor_config(inputs, repository), read_extra(root, lang))
    planned = [Planned(CONFIG_FILE, config_text(config, lang)), Planned(PAGE_FILE, admin_page(inputs.language, inputs.title))]
    lines = write_files(root, planned, lang)
    if not repository.repo:
        lines.append(message("cms_no_remote", lang, file=CONFIG_FILE))
    lines.append(message("cms_done", lang, kims=len(inputs.kims), repo=repository.repo or "OWNER/REPO",
                         branch=repository.branch, url=inputs.base_url + "admin/"))
    return lines
