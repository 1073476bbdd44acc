"""`{{ head_tags() }}` (kimsite.outputs.head) writes what its template text, HEAD_TEMPLATE, wrote
in the default theme's base.html: rendered both ways in the same environment, on pages with and
without each variable, with values that need escaping, numbers, markup and other kinds of
objects; and a page lacking a variable fails both ways."""

from __future__ import annotations

from types import SimpleNamespace

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from kimsite.media.previews import Fields
from kimsite.outputs.environment import make_environment
from kimsite.outputs.head import HEAD_TEMPLATE, _text
from kimsite.workspace.themes import theme_chain

NAMES = ("type", "title", "description", "url", "site_name", "locale", "image", "image_width", "image_height",
         "image_alt", "published", "modified")


@pytest.fixture(scope="module")
def environment(tmp_path_factory) -> jinja2.Environment:
    return make_environment(theme_chain(tmp_path_factory.mktemp("ws"), "default"), "id", "Asia/Jakarta", "/kim/")


@pytest.fixture(scope="module")
def templates(environment) -> tuple[jinja2.Template, jinja2.Template]:
    return environment.from_string(HEAD_TEMPLATE), environment.from_string("{{ head_tags() }}")


def both(templates: tuple[jinja2.Template, jinja2.Template], context: dict) -> tuple[object, object]:
    """What the template text and the call write (or the type of exception each raises)."""
    results = []
    for template in templates:
        try:
            results.append(template.render(context))
        except Exception as exc:  # noqa: BLE001 - compared: both must fail alike
            results.append(type(exc))
    return results[0], results[1]


text = st.text(alphabet=st.sampled_from(list("aZ 09&<>\"'/?=#–é🎉\n\t")) | st.characters(blacklist_categories=("Cs",)),
               max_size=40)
scalar = st.one_of(text, st.integers(-5, 2000), st.none(), st.booleans(), text.map(Markup), st.just(""))


def og_values(draw, kind: str):
    values = {name: draw(scalar) for name in NAMES if draw(st.integers(0, 9))}  # now and then one is missing
    if kind == "fields":
        return Fields(values)
    if kind == "dict":
        return values
    return SimpleNamespace(**values)


@st.composite
def pages(draw) -> dict:
    context: dict = {}
    optional = {"page_title": scalar, "description": st.one_of(scalar, st.text(" ab&<", min_size=250, max_size=400)),
                "canonical": scalar, "css": text}
    for name, values in optional.items():
        if draw(st.integers(0, 19)):  # a page lacking one now and then: both fail
            context[name] = draw(values)
    site = draw(st.sampled_from(["none", "named", "same"]))
    if site == "named":
        context["site"] = SimpleNamespace(name=draw(scalar))
    elif site == "same":
        context["site"] = SimpleNamespace(name=context.get("page_title", "x"))
    else:
        context["site"] = None
    if draw(st.booleans()):
        context["icon_links"] = draw(st.one_of(text.map(Markup), text, st.just("")))
    context["feeds"] = draw(st.lists(st.tuples(text, text, text), max_size=3))
    kind = draw(st.sampled_from(["absent", "empty", "fields", "dict", "object"]))
    if kind == "empty":
        context["og"] = Fields()
    elif kind != "absent":
        context["og"] = og_values(draw, kind)
    if draw(st.booleans()):
        context["jsonld"] = tuple(draw(st.lists(text, max_size=3)))
    return context


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_head_tags_write_what_the_template_text_wrote(templates, page):
    reference, call = both(templates, page)
    assert call == reference


def test_a_page_as_kimsite_makes_it(templates):
    og = Fields({"type": "article", "title": "Jalan \"baru\" & <desa>", "description": "Warga 'kerja' bakti",
                 "url": "https://kim.example.id/a/", "site_name": "KIM A", "locale": "id_ID",
                 "image": "https://kim.example.id/a/card.jpg", "image_width": 1200, "image_height": 630,
                 "image_alt": "Kartu", "published": "2025-01-02T03:04:05+07:00",
                 "modified": "2025-01-03T03:04:05+07:00", "section": "", "tags": ()})
    page = {"page_title": "Jalan baru", "site": SimpleNamespace(name="KIM A"), "description": "x " * 200,
            "canonical": "https://kim.example.id/a/", "css": "style.abc.css", "icon_links": Markup('<link rel="icon">'),
            "feeds": [("application/rss+xml", "KIM A (RSS)", "a/rss.xml")], "og": og,
            "jsonld": ('{"@type": "NewsArticle", "name": "a</script>"}',)}
    reference, call = both(templates, page)
    assert isinstance(reference, str) and call == reference
    assert 'href="/kim/a/rss.xml"' in call and "og:image:alt" in call and "twitter:description" in call


@pytest.mark.parametrize("name", ["page_title", "site", "description", "canonical", "css", "feeds"])
def test_a_page_lacking_a_variable_fails_both_ways(templates, name):
    page = {"page_title": "t", "site": None, "description": "", "canonical": "", "css": "s.css", "feeds": ()}
    del page[name]
    reference, call = both(templates, page)
    assert reference is jinja2.UndefinedError and call is jinja2.UndefinedError


@settings(max_examples=300, deadline=None, database=None)
@given(st.one_of(text, st.integers(), st.none(), text.map(Markup), st.floats(allow_nan=False)))
def test_text_escapes_as_markupsafe(value):
    assert _text(value) == str(escape(value))
