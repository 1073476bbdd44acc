"""The build's planner for /admin/ (run by kimsite.plan).

/admin/ is published when the workspace has admin/config.yml (written by `kimsite cms`).
The page itself is always made here from the pinned bundle, whatever admin/index.html in
the workspace says, so no other script can reach the published site. It is not an
article or a page of any KIM: the sitemap, feeds and search index never list it.
"""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

from kimsite.cms import bundle
from kimsite.cms.files import CONFIG_FILE
from kimsite.cms.page import admin_page
from kimsite.outputs.contract import BuildView, Output, renderer

PAGE_OUTPUT = "admin/index.html"
CONFIG_OUTPUT = "admin/config.yml"


def workspace_config(root: Path) -> Path | None:
    """admin/config.yml when it is a regular file in a regular folder (never through a link)."""
    folder, path = root / "admin", root / CONFIG_FILE
    try:
        if not stat.S_ISDIR(folder.lstat().st_mode) or not stat.S_ISREG(path.lstat().st_mode):
            return None
    except OSError:
        return None
    return path


def plan_admin(view: BuildView) -> list[Output]:
    path = workspace_config(view.config.root)
    if path is None:
        return []
    digest = hashlib.blake2b(path.read_bytes(), digest_size=10).hexdigest()
    lang, title = view.config.language, view.config.title
    return [Output(PAGE_OUTPUT, "cms_page", "", (lang, title), (bundle.URL, bundle.INTEGRITY)),
            Output(CONFIG_OUTPUT, "cms_config", "", (str(path),), (digest,))]


@renderer("cms_page")
def render_admin_page(view: BuildView, output: Output) -> bytes:
    lang, title = output.params
    return admin_page(lang, title).encode()


@renderer("cms_config")
def render_admin_config(view: BuildView, output: Output) -> bytes:
    return Path(output.params[0]).read_bytes()
