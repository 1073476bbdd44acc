"""The tags every page of the default theme has in its <head>, written in one call.

`{{ head_tags() }}` in the theme's base.html writes exactly what its template text wrote (kept in
`HEAD_TEMPLATE`; tests/test_head_tags.py renders both on varied pages): the title, description,
canonical, stylesheet, icon and feed links, the Open Graph and Twitter tags and the JSON-LD
blocks, from the same variables. About twenty-five values are escaped and looked up on every page;
as Jinja template code this was a sixth of the time spent rendering pages. A theme of its own can
still write its head from those variables.
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from jinja2.filters import do_truncate
from jinja2.runtime import Context
from jinja2.utils import missing as _MISSING  # what resolve_or_missing returns for a name not found
from markupsafe import Markup, escape

# What `{{ head_tags() }}` stands for in base.html (the environment's trim_blocks and
# lstrip_blocks apply): the reference the tests render.
HEAD_TEMPLATE = """\
<title>{{ page_title }}{% if site and page_title != site.name %} – {{ site.name }}{% endif %}</title>
{% if description %}<meta name="description" content="{{ description|truncate(300) }}">
{% endif %}
{% if canonical %}<link rel="canonical" href="{{ canonical }}">
{% endif %}
<link rel="stylesheet" href="{{ css|url }}">
{% if icon_links is defined %}{{ icon_links }}{% else %}<link rel="icon" href="data:,">{% endif %}
{% for type, title, feed in feeds %}
<link rel="alternate" type="{{ type }}" title="{{ title }}" href="{{ feed|url }}">
{% endfor %}
{% if og is defined and og %}
<meta property="og:type" content="{{ og.type }}">
<meta property="og:title" content="{{ og.title }}">
{% if og.description %}<meta property="og:description" content="{{ og.description }}">
{% endif %}
<meta property="og:url" content="{{ og.url }}">
<meta property="og:site_name" content="{{ og.site_name }}">
<meta property="og:locale" content="{{ og.locale }}">
{% if og.image %}<meta property="og:image" content="{{ og.image }}">
<meta property="og:image:width" content="{{ og.image_width }}">
<meta property="og:image:height" content="{{ og.image_height }}">
<meta property="og:image:alt" content="{{ og.image_alt }}">
{% endif %}
{% if og.published %}<meta property="article:published_time" content="{{ og.published }}">
<meta property="article:modified_time" content="{{ og.modified }}">
{% endif %}
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="{{ og.title }}">
{% if og.description %}<meta name="twitter:description" content="{{ og.description }}">
{% endif %}
{% if og.image %}<meta name="twitter:image" content="{{ og.image }}">
<meta name="twitter:image:alt" content="{{ og.image_alt }}">
{% endif %}
{% endif %}
{% if jsonld is defined %}{% for block in jsonld %}
<script type="application/ld+json">{{ block|safe }}</script>
{% endfor %}{% endif %}
"""


@pass_context
def head_tags(context: Context) -> Markup:
    """HEAD_TEMPLATE rendered in `context` (a value the page does not have fails as it would
    there: the theme's variables are undefined-strict)."""
    environment = context.environment
    resolve = context.resolve_or_missing
    url = environment.filters["url"]

    def value(name: str) -> Any:
        found = resolve(name)
        return environment.undefined(name=name) if found is _MISSING else found

    page_title, site = value("page_title"), value("site")
    out = ["<title>", _text(page_title)]
    if site:
        site_name = environment.getattr(site, "name")
        if page_title != site_name:
            out += [" – ", _text(site_name)]
    out.append("</title>\n")
    description = value("description")
    if description:
        out += ['<meta name="description" content="', _text(do_truncate(environment, description, 300)), '">\n']
    canonical = value("canonical")
    if canonical:
        out += ['<link rel="canonical" href="', _text(canonical), '">\n']
    out += ['<link rel="stylesheet" href="', _text(url(value("css"))), '">\n']
    icon_links = resolve("icon_links")
    out.append('<link rel="icon" href="data:,">' if icon_links is _MISSING else _text(icon_links))
    for kind, title, feed in value("feeds"):
        out += ['<link rel="alternate" type="', _text(kind), '" title="', _text(title), '" href="',
                _text(url(feed)), '">\n']
    og = resolve("og")
    if og is not _MISSING and og:
        _open_graph(out, _fields(environment, og))
    jsonld = resolve("jsonld")
    if jsonld is not _MISSING:
        for block in jsonld:
            out += ['<script type="application/ld+json">', str(Markup(block)), "</script>\n"]
    return Markup("".join(out))


def _open_graph(out: list[str], field) -> None:
    title, description, image = field("title"), field("description"), field("image")
    out += ['<meta property="og:type" content="', _text(field("type")), '">\n',
            '<meta property="og:title" content="', _text(title), '">\n']
    if description:
        out += ['<meta property="og:description" content="', _text(description), '">\n']
    out += ['<meta property="og:url" content="', _text(field("url")), '">\n',
            '<meta property="og:site_name" content="', _text(field("site_name")), '">\n',
            '<meta property="og:locale" content="', _text(field("locale")), '">\n']
    if image:
        out += ['<meta property="og:image" content="', _text(image), '">\n',
                '<meta property="og:image:width" content="', _text(field("image_width")), '">\n',
                '<meta property="og:image:height" content="', _text(field("image_height")), '">\n',
                '<meta property="og:image:alt" content="', _text(field("image_alt")), '">\n']
    if field("published"):
        out += ['<meta property="article:published_time" content="', _text(field("published")), '">\n',
                '<meta property="article:modified_time" content="', _text(field("modified")), '">\n']
    out += ['<meta name="twitter:card" content="summary_large_image">\n',
            '<meta name="twitter:title" content="', _text(title), '">\n']
    if description:
        out += ['<meta name="twitter:description" content="', _text(description), '">\n']
    if image:
        out += ['<meta name="twitter:image" content="', _text(image), '">\n',
                '<meta name="twitter:image:alt" content="', _text(field("image_alt")), '">\n']


_OG_NAMES = ("type", "title", "description", "url", "site_name", "locale", "image", "image_width", "image_height",
             "image_alt", "published", "modified")
_PLAIN_MAPPINGS: dict[type, bool] = {}


def _fields(environment, og: Any):
    """`og.name` as Jinja finds it: for a mapping whose type has no attribute of these names
    (kimsite's media.previews.Fields), its item; otherwise, or for a name it lacks, getattr first."""
    kind = type(og)
    plain = _PLAIN_MAPPINGS.get(kind)
    if plain is None:
        plain = _PLAIN_MAPPINGS[kind] = issubclass(kind, dict) and not any(hasattr(kind, n) for n in _OG_NAMES)
    if not plain:
        return lambda name: environment.getattr(og, name)

    def field(name: str) -> Any:
        found = og.get(name, _MISSING)
        return environment.getattr(og, name) if found is _MISSING else found

    return field


def _text(value: Any) -> str:
    """What `{{ value }}` writes with autoescape (markupsafe.escape), quick for a str with
    nothing to escape."""
    if type(value) is str:
        if "&" in value or "<" in value or ">" in value or "'" in value or '"' in value:
            return (value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
                    .replace("'", "&#39;").replace('"', "&#34;"))
        return value
    return str(escape(value))
