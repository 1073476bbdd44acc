"""Files of the published root: the KIM list (when there is no portal), 404.html,
sitemap.xml, robots.txt, .nojekyll and theme assets (a KIM's copied files: kimsite.media.copies).
"""

from __future__ import annotations

from kimsite.base.file_rules import picture_format
from kimsite.base.i18n import ui
from kimsite.base.xmltext import escape
from kimsite.media.images import without_metadata
from kimsite.outputs.contract import BuildView, Output, renderer
from kimsite.outputs.tokens import digest_token, token
from kimsite.outputs.environment import render_template
from kimsite.pages.layout import base_context
from kimsite.pages.kind_pages import portal_chrome, portal_sections_token


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
    return Output("sitemap.xml", "root_sitemap", "", (), (digest_token(listed),), ())


def _page_lastmod(view: BuildView, output: Output) -> str:
    if output.renderer == "kim_article" or output.renderer == "kim_page":
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
    pages = view.sitemap_pages
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
    if not output.path.endswith(".html") or output.path == "404.html" or output.renderer in NOT_LISTED:
        return None
    return _page_lastmod(view, output)


# the editor at /admin/ (kimsite.cms.publish); redirect pages at old addresses (kimsite.pages.redirects)
NOT_LISTED = frozenset({"cms_page", "redirect"})


def plan_assets(assets: dict[str, tuple[str, str]]) -> list[Output]:
    """Theme static files: published name -> (source path, content hash). Pictures are
    published without their metadata, like a KIM's."""
    return [Output(published, "theme_picture" if picture_format(source) else "copy", "", (source,), (digest,))
            for published, (source, digest) in sorted(assets.items())]


@renderer("theme_picture")
def render_theme_picture(view: BuildView, output: Output) -> bytes:
    return without_metadata(output.params[0])
