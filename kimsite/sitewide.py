"""Files of the published root: the KIM list (when there is no portal), 404.html,
sitemap.xml, robots.txt, .nojekyll, theme assets and copied media.
"""

from __future__ import annotations

import hashlib

from kimsite.file_rules import is_svg, picture_format, refusal, sniff_picture, suffix_of
from kimsite.i18n import ui
from kimsite.images import is_picture, without_metadata
from kimsite.kim_pages import base_context
from kimsite.kind_pages import portal_chrome, portal_sections_token
from kimsite.outputs import BuildView, Output, renderer, token
from kimsite.problems import KimsiteError, Problem, error
from kimsite.render import render_template
from kimsite.sources import read_path
from kimsite.svg_clean import SvgRefused, clean_svg
from kimsite.urls import Urls
from kimsite.video_location import has_location, looks_like_video
from kimsite.xmltext import escape


def plan_root(view: BuildView, has_portal_home: bool) -> list[Output]:
    kims = tuple((slug, view.site_tokens[slug], len(model.articles),
                  model.articles[0].digest if model.articles else None)
                 for slug, model in sorted(view.sites.items()))
    outputs = [
        Output("404.html", "root_404", "", (), (token(kims), portal_sections_token(view))),
        Output("robots.txt", "root_robots", "", (), ()),
        Output(".nojekyll", "root_nojekyll", "", (), ()),
    ]
    domain = cname_domain(view)
    if domain:
        outputs.append(Output("CNAME", "root_cname", "", (domain,), (domain,)))
    if not has_portal_home and not view.single_site:
        outputs.append(Output("index.html", "root_index", "", (), (kims,)))
    return outputs


def sitemap_output(view: BuildView, pages: list[tuple[str, str]]) -> Output:
    """The sitemap lists every HTML page; it depends on the set of pages and their dates."""
    listed = "\n".join(map("\0".join, pages)).encode()  # 20,000 pages: one string, hashed once
    return Output("sitemap.xml", "root_sitemap", "", (), (hashlib.blake2b(listed, digest_size=10).hexdigest(),), ())


def _lastmod_token(view: BuildView, output: Output) -> str:
    if output.kind == "kim_article" or output.kind == "kim_page":
        doc = view.documents[output.params[0]]
        moment = doc.updated or doc.date
        return moment.isoformat() if moment else ""
    return ""


@renderer("root_index")
def render_root_index(view: BuildView, output: Output) -> bytes:
    lang = view.config.language
    context = base_context(view, None, "", view.config.title, feeds=())
    kims = []
    for slug, model in sorted(view.sites.items(), key=lambda item: (item[1].config.kecamatan, item[1].config.name)):
        kims.append({"name": model.config.name, "kecamatan": model.config.kecamatan, "desa": model.config.desa,
                     "home": view.urls.home(slug), "count": len(model.articles),
                     "latest": model.articles[0] if model.articles else None})
    context.update(kims=kims, heading=ui("kim_sites", lang))
    return render_template(view.environment(""), "root.html", context).encode()


@renderer("root_404")
def render_404(view: BuildView, output: Output) -> bytes:
    lang = view.config.language
    model = view.sites[view.single_site] if view.single_site else None
    context = base_context(view, model, "404.html", ui("not_found_title", lang), feeds=())
    context["canonical"] = ""
    if model is None and view.portal is not None:  # the portal's header, menu and footer
        context.update(portal_chrome(view), portal=view.portal,
                       page_title=f"{ui('not_found_title', lang)} – {view.portal.name}")
    return render_template(view.environment(view.single_site or ""), "404.html", context).encode()


@renderer("root_robots")
def render_robots(view: BuildView, output: Output) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {view.urls.absolute('sitemap.xml')}\n".encode()


def cname_domain(view: BuildView) -> str:
    """The custom domain GitHub Pages should serve: that of the KIM built alone (or of the
    portal), when the site is built for that domain (base_url on it)."""
    from urllib.parse import urlsplit

    site = view.site_configs.get(view.single_site) if view.single_site else view.portal
    domain = site.domain if site is not None else ""
    return domain if domain and urlsplit(view.config.base_url).hostname == domain else ""


@renderer("root_cname")
def render_cname(view: BuildView, output: Output) -> bytes:
    return f"{output.params[0]}\n".encode()


@renderer("root_nojekyll")
def render_nojekyll(view: BuildView, output: Output) -> bytes:
    return b""


@renderer("root_sitemap")
def render_sitemap(view: BuildView, output: Output) -> bytes:
    pages: list[tuple[str, str]] = view.extra["sitemap_pages"]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path, lastmod in pages:
        location = path[: -len("index.html")] if path.endswith("index.html") else path
        lines.append(f"  <url><loc>{escape(view.urls.absolute(location))}</loc>"
                     + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def lastmod_of(view: BuildView, output: Output) -> str | None:
    """The sitemap's lastmod of an HTML page ("" when unknown); None for files not listed."""
    if not output.path.endswith(".html") or output.path == "404.html" or output.kind in NOT_LISTED:
        return None
    return _lastmod_token(view, output)


# the editor at /admin/ (kimsite.cms.publish); redirect pages at old addresses (kimsite.redirects)
NOT_LISTED = frozenset({"cms_page", "redirect"})


@renderer("copy")
def render_copy(view: BuildView, output: Output) -> bytes:
    return read_path(output.params[0])


@renderer("svg")
def render_svg(view: BuildView, output: Output) -> bytes:
    return clean_svg(read_path(output.params[0]))


def plan_copies(view: BuildView, files: dict[str, list[tuple[str, str, str]]]) -> list[Output]:
    """The files of each KIM that are published as they are: (site, rel, source path, content
    hash). Pictures are re-encoded by kimsite.images and never copied; SVG is published
    cleaned (kimsite.svg_clean); a file refused by kimsite.file_rules is never published.
    Raises KimsiteError for the problems of `copy_problems`."""
    problems = copy_problems(view)
    if problems:
        raise KimsiteError(problems)
    outputs = []
    for site, entries in sorted(files.items()):
        for rel, source, digest in entries:
            if is_picture(rel) or refusal(rel) is not None:
                continue
            outputs.append(Output(Urls.output_path(view.urls.media(site, rel)), "svg" if is_svg(rel) else "copy",
                                  site, (source,), (digest,)))
    return outputs


def copy_problems(view: BuildView) -> list[Problem]:
    """Files of the built KIMs that cannot be published as they are: SVG that cannot be cleaned,
    pictures under another name, videos that hold a location. Checked once per build (the
    picture planner reports them together with its own)."""
    found = view.extra.get("copy_problems")
    if found is None:
        found = view.extra["copy_problems"] = _check_copies(view)
    return found


def _check_copies(view: BuildView) -> list[Problem]:
    problems: list[Problem] = []
    content = view.config.root / "content"
    for site in sorted(view.file_hashes):
        for rel in sorted(view.file_hashes[site]):
            if is_picture(rel) or refusal(rel) is not None:
                continue
            file, source = f"content/{site}/{rel}", str(content / site / rel)
            if is_svg(rel):
                try:
                    clean_svg(read_path(source))
                except SvgRefused as refused:
                    problems.append(error(file, None, refused.code, **refused.args_))
                except OSError as exc:
                    problems.append(error(file, None, "file_unreadable", reason=exc.strerror or str(exc)))
                continue
            head = _head(source)
            announced = sniff_picture(head)
            if announced is not None:
                problems.append(error(file, None, "picture_misnamed", format=announced, suffix=suffix_of(rel) or rel))
            elif looks_like_video(head, suffix_of(rel)) and has_location(source):
                problems.append(error(file, None, "video_has_location"))
    return problems


def _head(source: str) -> bytes:
    """The first bytes of the file at `source`, where formats announce themselves."""
    try:
        with open(source, "rb") as handle:
            return handle.read(16)
    except OSError:
        return b""


def plan_assets(assets: dict[str, tuple[str, str]]) -> list[Output]:
    """Theme static files: published name -> (source path, content hash). Pictures are
    published without their metadata, like a KIM's."""
    return [Output(published, "theme_picture" if picture_format(source) else "copy", "", (source,), (digest,))
            for published, (source, digest) in sorted(assets.items())]


@renderer("theme_picture")
def render_theme_picture(view: BuildView, output: Output) -> bytes:
    return without_metadata(output.params[0])
