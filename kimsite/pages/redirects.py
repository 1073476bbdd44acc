"""Redirect pages at a KIM's old addresses (front matter `aliases:`).

When a KIM moves from its own-domain WordPress (or Blogger with a custom domain) to kimsite
on the same domain, the old addresses (`/2019/05/21/kerja-bakti/`, `/2019/05/kerja-bakti.html`)
keep working: a small page at each old path sends the reader on. It carries no script: a
`<link rel="canonical">`, a `<meta http-equiv="refresh">` and a plain link. Old addresses on
another host (a Blogspot address) cannot be answered from here; `kimsite import` lists them.

An old path is written only when no other output claims it (the site's own pages come first)
and only as a page (`.../` or `....html`), never over a file kimsite writes itself.
"""

from __future__ import annotations

from html import escape

from kimsite.schema.aliases import alias_path
from kimsite.outputs.contract import BuildView, Output, renderer
from kimsite.base.urls import Urls

_RESERVED = frozenset({"404.html", "index.html"})
_MOVED = {"id": "Halaman ini pindah ke", "en": "This page has moved to"}


def redirect_location(prefix: str, path: str) -> str | None:
    """The location (under the KIM's `prefix`) of a redirect page for the old `path`, or None."""
    segments = path.strip("/").split("/")
    if not path.strip("/") or any(not part or part in (".", "..") or part.startswith(".") for part in segments):
        return None
    if path.endswith("/"):
        location = "/".join(segments) + "/"
    elif segments[-1].lower().endswith((".html", ".htm")):
        location = "/".join(segments)
    elif "." in segments[-1]:
        return None  # a picture, a feed, a .php script: not a page kimsite can stand in for
    else:
        location = "/".join(segments) + "/"
    location = prefix + location
    return None if Urls.output_path(location) in _RESERVED else location


def plan_redirects(view: BuildView) -> list[Output]:
    outputs: list[Output] = []
    # every page's path: made once an alias is met (an edit of a workspace without any is spared
    # 10,000 paths)
    claimed: set[str] | None = None
    lang = view.config.language
    for slug, model in sorted(view.sites.items()):
        config = view.site_configs.get(slug)
        domain = config.domain if config is not None else ""
        prefix = view.urls.prefix(slug)
        for doc in (*model.articles, *model.pages):
            for alias in doc.aliases:
                path = alias_path(alias, domain)
                location = redirect_location(prefix, path) if path else None
                if location is None:
                    continue
                output_path = Urls.output_path(location)
                if claimed is None:
                    claimed = {Urls.output_path(page) for page in view.locations.values()}
                if output_path in claimed:
                    continue
                claimed.add(output_path)
                target = view.locations[doc.source]
                outputs.append(Output(output_path, "redirect", slug, (target, doc.title, lang)))
    return outputs


@renderer("redirect")
def render_redirect(view: BuildView, output: Output) -> bytes:
    target, title, lang = output.params
    url = escape(view.urls.url(target), quote=True)
    absolute = escape(view.urls.absolute(target), quote=True)
    moved = _MOVED.get(lang, _MOVED["id"])
    return (f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<title>{escape(title)}</title>\n<meta name="robots" content="noindex">\n'
            f'<link rel="canonical" href="{absolute}">\n'
            f'<meta http-equiv="refresh" content="0; url={url}">\n</head>\n'
            f'<body>\n<p>{moved} <a href="{url}">{escape(title)}</a>.</p>\n</body>\n</html>\n').encode()



