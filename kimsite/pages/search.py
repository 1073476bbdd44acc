"""Full-text search with Pagefind, an optional extra (pip install 'kimsite[search]').

Every KIM gets a search page `<kim>/cari/` (and the published root one at `cari/`). It
always works: without an index it offers the categories, the archive and a web search
limited to the site. `kimsite build --search` runs Pagefind once over the published root
after the build is committed: one index and one copy of Pagefind's files (`pagefind/`) serve
every search page, a KIM's own page filtering the results on its name (each article carries
it as a Pagefind filter). The search page loads those files from the same site (nothing from
another host), and only that page carries JavaScript.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kimsite.pages.layout import base_context, search_enabled as enabled, search_location, web_site
from kimsite.outputs.contract import BuildView, Output, renderer
from kimsite.base.problems import Problem, error
from kimsite.outputs.environment import render_template
from kimsite.base.urls import Urls
from kimsite.pages.kind_pages import portal_chrome, portal_sections_token

BUNDLE = "pagefind"


def plan_search(view: BuildView) -> list[Output]:
    flag = enabled(view)
    outputs = [Output(Urls.output_path(search_location(view, slug)), "search_page", slug, (),
                      (view.site_tokens[slug], flag, tuple((t.slug, t.name) for t in model.categories),
                       tuple(year for year, _ in model.years)))
               for slug, model in sorted(view.sites.items())]
    if not view.single_site:
        outputs.append(Output(Urls.output_path(search_location(view, None)), "search_page", "", (),
                              (flag, tuple((slug, view.site_tokens[slug]) for slug in sorted(view.sites)),
                               portal_sections_token(view))))
    return outputs


@renderer("search_page")
def render_search(view: BuildView, output: Output) -> bytes:
    from kimsite.base.i18n import ui

    model = view.sites.get(output.site) if output.site else None
    location = search_location(view, output.site or None)
    lang = view.config.language
    context = base_context(view, model, location, ui("search", lang), feeds=() if model is None else None)
    root = view.urls.site_root(output.site) if output.site else ""
    context.update(
        search_enabled=enabled(view),
        bundle=BUNDLE + "/",  # one index and one copy of Pagefind's files for every KIM
        search_root="",
        search_filter=model.config.name if model is not None and not view.single_site else "",
        web_site=web_site(view, root),
        categories=[(t.name, view.urls.category(model.slug, t.slug)) for t in model.categories] if model else [],
        years=[(year, view.urls.archive(model.slug, year)) for year, _ in model.years] if model else [],
        kims=[(m.config.name, view.urls.home(slug)) for slug, m in sorted(view.sites.items())] if not model else [],
    )
    if model is None and view.portal is not None:  # the portal's header, menu and footer
        context.update(portal_chrome(view), portal=view.portal,
                       page_title=f"{ui('search', lang)} – {view.portal.name}")
    return render_template(view.environment(output.site), "search.html", context).encode("utf-8")


def pagefind_command() -> list[str] | None:
    """How to run Pagefind here, or None when the extra is not installed."""
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-m", "pagefind"]


def index_sites(view: BuildView, output_dir: Path) -> list[Problem]:
    """Run Pagefind once over the published root: one index (each article marked with its KIM,
    which a KIM's search page filters on) and one copy of Pagefind's scripts for every site."""
    import subprocess  # (only a build with search runs another program)

    command = pagefind_command()
    if command is None:
        return [error("", None, "search_unavailable", reason="No module named 'pagefind'")]
    try:
        done = subprocess.run([*command, "--site", str(output_dir), "--output-subdir", BUNDLE, "--silent"],
                              capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [error("", None, "search_failed", folder=str(output_dir), reason=str(exc))]
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        return [error("", None, "search_failed", folder=str(output_dir), reason=reason[0])]
    return []
