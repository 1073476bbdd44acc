"""build_feed splices entries into the feed's head; the head and each entry are their shape's
template (from feedgen's bytes for a probe head or entry) filled with the escaped text, or
feedgen's own serialization for what a template cannot stand for (kimsite.pages.feed_xml).
Its bytes must be exactly feedgen's whole-tree output: checked here against a copy of the
original whole-tree implementation (fresh feedgen objects every time, no caches) and against
build_feed_tree, on varied items: with and without author, body or categories, text that needs
escaping, newlines and forbidden characters, empty text, empty feeds, mixed feeds, a full cache.
"""

from __future__ import annotations

import html
import tempfile
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from lxml import etree

from kimsite import __version__

from kimsite.pages import feed_xml, feeds
from kimsite.pages.feeds import EPOCH, FeedInfo, FeedItem, build_feed, build_feed_tree, xml_safe

set_hypothesis_home_dir(tempfile.mkdtemp(prefix="kimsite-hypothesis-"))

WIB = timezone(timedelta(hours=7))
NASTY = "A & B <b>\"kutip\"</b> 'tanda' > ]]> &amp; é ß İ 🎉 \u200b\t tab\r\nbaris\n  </item>\n<channel>\n"
BODY = ("<p>Warga &amp; <a href=\"https://kim.example.id/a/?x=1&amp;y=2\">tautan</a> 🎉</p>\n"
        "<pre>  kode\n    menjorok\n</pre>\n<ul>\n  <li>satu</li>\n</ul>\n") * 40  # ~5 KB


def reference(info: FeedInfo, items: list[FeedItem], fmt: str) -> bytes:
    """The original build_feed: one FeedGenerator tree per feed, fresh entries, load_extension."""
    from feedgen.entry import FeedEntry
    from feedgen.ext.dc import DcEntryExtension
    from feedgen.feed import FeedGenerator

    generator = FeedGenerator()
    if fmt == "rss" and any(item.author for item in items):
        generator.load_extension("dc", atom=False, rss=True)
    generator.id(info.self_url if fmt == "atom" else info.home)
    generator.title(xml_safe(info.title))
    generator.link(href=info.self_url, rel="self")
    generator.link(href=info.home, rel="alternate")
    generator.description(xml_safe(html.escape(info.description or info.title, quote=False)))
    generator.language(info.language)
    generator.generator("kimsite", version=__version__)
    newest = max((item.updated for item in items), default=EPOCH)
    generator.lastBuildDate(newest)
    generator.updated(newest)
    for item in items:
        entry = FeedEntry()
        entry.id(item.id)
        entry.guid(item.id, permalink=True)
        entry.title(item.title)
        entry.link(href=item.link)
        if item.summary:  # an item without one gets no empty <summary/> or <description/>
            entry.summary(item.summary)
            entry.description(html.escape(item.summary, quote=False))
        if item.html:
            entry.content(item.html, type="html")
        else:
            entry._FeedEntry__atom_content = None
        entry.published(item.published)
        entry.updated(item.updated)
        if item.author:
            entry.author(name=item.author)
            entry.register_extension("dc", DcEntryExtension, atom=False, rss=True)
            entry.dc.dc_creator(item.author)
        for name in item.categories:
            entry.category(term=name, label=name)
        generator.add_entry(entry, order="append")
    return generator.atom_str(pretty=True) if fmt == "atom" else generator.rss_str(pretty=True)


def make_item(n: int, *, author: str | None = "Penulis", body: str = BODY, categories: tuple[str, ...] = ("Umum",),
              title: str | None = None, summary: str = "Ringkasan", offset: int = 7) -> FeedItem:
    zone = timezone(timedelta(hours=offset))
    moment = datetime(2025, 1, 1 + n % 28, n % 24, n % 60, tzinfo=zone)
    link = f"https://kim.example.id/artikel-{n}/?a=1&b=\"2\""
    return FeedItem(id=link, title=title if title is not None else f"Artikel {n}", link=link, summary=summary,
                    html=body, published=moment, updated=moment + timedelta(hours=n % 5), author=author,
                    categories=categories)


INFO = FeedInfo(title="KIM \"Maju\" & <Jaya> 🎉", description="Kabar desa & sekitarnya <sejak 2020>",
                home="https://kim.example.id/", self_url="https://kim.example.id/feed.xml?x=1&y=2",
                language="id")


def varied_items() -> list[FeedItem]:
    return [
        make_item(1),
        make_item(2, author=None),
        make_item(3, body=""),
        make_item(4, author=None, body="", categories=()),
        make_item(5, categories=("Pemerintahan", "umkm", NASTY, "", "jalan desa")),
        make_item(6, author=NASTY, title=NASTY, summary=NASTY, body=NASTY + BODY + "\n\n"),
        make_item(7, title="  spasi  \n", summary="\n", body="\n", offset=-5),
        make_item(8, title="Judul\x01 dengan\x0b karakter\x1f terlarang", summary="Isi\x00", body="<p>a\x08</p>",
                  author="Nama\x0c"),
        make_item(9, author="", categories=("💡", "ümlaut & <tag>")),
        make_item(10, summary="", body="<p>" + "x" * 20000 + "</p>", offset=0),
    ]


@pytest.fixture(autouse=True)
def fresh_cache():
    feed_xml._ENTRIES.clear()
    feed_xml._TEMPLATES.clear()
    feeds._HEADS.clear()
    yield
    feed_xml._ENTRIES.clear()
    feed_xml._TEMPLATES.clear()
    feeds._HEADS.clear()


def test_escaping_matches_libxml2_for_every_character():
    valid = "".join(map(chr, [9, 10, 13, *range(0x20, 0xD800), *range(0xE000, 0xFFFE), *range(0x10000, 0x110000)]))
    element = etree.Element("a", b=valid)
    element.text = valid
    written = etree.tostring(element, encoding="UTF-8").decode("utf-8")
    assert written == f'<a b="{feed_xml.escape_attr(valid)}">{feed_xml.escape_text(valid)}</a>'


def test_regular_items_use_templates(monkeypatch):
    """Items as a build makes them (every text non-empty) are filled in, not serialized by feedgen
    one by one (templates are made from _new_entry; the per-item feedgen path goes via _entry)."""
    items = [make_item(1), make_item(2, author=None, body=""), make_item(3, categories=())]
    expected = {fmt: reference(INFO, items, fmt) for fmt in ("rss", "atom")}
    monkeypatch.setattr(feed_xml, "feedgen_entry", lambda item: pytest.fail("feedgen entry for a regular item"))
    for fmt in ("rss", "atom"):
        assert build_feed(INFO, items, fmt) == expected[fmt]
    assert len(feed_xml._TEMPLATES) == 6 and all(t is not None for t in feed_xml._TEMPLATES.values())


def test_heads_use_templates(monkeypatch):
    """Once made, a head's template is filled in: feedgen writes no head of a feed whose own
    fields are all given, whatever their text."""
    items = [make_item(1), make_item(2, author=None)]
    other = FeedInfo(title=NASTY, description=NASTY, home="https://kim.example.id/?a=1&b=\"2\"",
                     self_url="https://kim.example.id/f.xml?x=<1>", language="en")
    expected = {(info, fmt, n): reference(info, items[n:], fmt)
                for info in (INFO, other) for fmt in ("rss", "atom") for n in (0, 1, 2)}
    for fmt in ("rss", "atom"):
        for n in (0, 1):
            build_feed(INFO, items[n:], fmt)  # makes the templates (with and without dc)
    assert len(feeds._HEADS) == 3 and all(t is not None for t in feeds._HEADS.values())
    monkeypatch.setattr(feeds, "_feedgen_head", lambda *args: pytest.fail("feedgen head for a regular feed"))
    for (info, fmt, n), data in expected.items():
        assert build_feed(info, items[n:], fmt) == data, (info.title, fmt, n)


def test_a_template_that_differs_from_feedgen_is_not_used(monkeypatch):
    """If escaping ever disagreed with libxml2, the template's own check turns it off."""
    monkeypatch.setattr(feed_xml, "_ESCAPE", (lambda text: text, feed_xml.escape_attr))
    items = varied_items()
    for fmt in ("rss", "atom"):
        assert build_feed(INFO, items, fmt) == reference(INFO, items, fmt)
    assert feed_xml._TEMPLATES and all(template is None for template in feed_xml._TEMPLATES.values())
    assert feeds._HEADS and all(template is None for template in feeds._HEADS.values())


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_each_item_alone_and_empty(fmt: str):
    assert build_feed(INFO, [], fmt) == reference(INFO, [], fmt)
    for item in varied_items():
        assert build_feed(INFO, [item], fmt) == reference(INFO, [item], fmt), item.title


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_mixed_feeds_equal_feedgen_whole_tree(fmt: str):
    items = varied_items()
    for feed in (items, items[::-1], [i for i in items if not i.author], [items[0], items[0]], items[1:4]):
        expected = reference(INFO, feed, fmt)
        assert build_feed(INFO, feed, fmt) == expected
        assert build_feed(INFO, feed, fmt) == expected  # again, with templates and entries made
        assert build_feed_tree(INFO, feed, fmt) == expected


def test_entries_shared_across_feeds_and_formats():
    """Items in several feeds, formats in either order, with and without dc on the root."""
    items = varied_items()
    other = FeedInfo(title="Kategori", description="", home="https://kim.example.id/kategori/umum/",
                     self_url="https://kim.example.id/kategori/umum/atom.xml", language="en")
    feeds_ = [(INFO, items[:5]), (other, items[3:]), (INFO, [items[1], items[3]]), (other, items[::2])]
    for fmt_order in (("atom", "rss"), ("rss", "atom")):
        feed_xml._ENTRIES.clear()
        for info, feed in feeds_:
            for fmt in fmt_order:
                assert build_feed(info, feed, fmt) == reference(info, feed, fmt), (info.title, fmt)


def test_whole_tree_rendering_between_fast_ones():
    """build_feed_tree (which registers extensions on cached entries) leaves build_feed unchanged."""
    items = varied_items()
    for fmt in ("rss", "atom"):
        assert build_feed_tree(INFO, items, fmt) == reference(INFO, items, fmt)
        assert build_feed(INFO, [i for i in items if not i.author], fmt) == \
            reference(INFO, [i for i in items if not i.author], fmt)
        assert build_feed(INFO, items, fmt) == reference(INFO, items, fmt)


def test_dates_without_offset_are_refused_as_feedgen_does():
    from dataclasses import replace

    item = replace(make_item(1), published=datetime(2025, 1, 2, 3, 4))
    for fmt in ("rss", "atom"):
        with pytest.raises(ValueError):
            reference(INFO, [item], fmt)
        with pytest.raises(ValueError):
            build_feed(INFO, [item], fmt)


def test_full_cache_evicts_and_stays_equal(monkeypatch):
    monkeypatch.setattr(feed_xml, "_ENTRIES_MAX", 3)
    items = [make_item(n, author=None if n % 3 else "P", body="" if n % 2 else BODY) for n in range(12)]
    for start in range(0, 12, 2):
        feed = items[start:start + 5]
        for fmt in ("rss", "atom"):
            assert build_feed(INFO, feed, fmt) == reference(INFO, feed, fmt)
    assert len(feed_xml._ENTRIES) <= 3


text = st.text(alphabet=st.sampled_from(list("aZ09 &<>\"';:/?#=\t\n\r]]é🎉\u200bİ")) | st.characters(), max_size=60)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(text, text, text, st.one_of(st.none(), text), st.lists(text, max_size=3)),
                max_size=4), text, st.sampled_from(["rss", "atom"]))
def test_random_items_equal_feedgen(fields, title, fmt):
    items = []
    for n, (item_title, summary, body, author, categories) in enumerate(fields):
        items.append(make_item(n, title=item_title, summary=summary, body=body, author=author,
                               categories=tuple(categories)))
    info = FeedInfo(title=title or "t", description=title, home="https://a.example/", self_url="https://a.example/f",
                    language="id")
    feed_xml._ENTRIES.clear()
    try:
        expected = reference(info, items, fmt)
    except ValueError:  # feedgen refuses some inputs (an empty title): so must build_feed
        with pytest.raises(ValueError):
            build_feed(info, items, fmt)
        return
    assert build_feed(info, items, fmt) == expected


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(text, text, text, text, st.sampled_from(["id", "en", "", "x\"<&"]), st.booleans(),
       st.sampled_from(["rss", "atom"]))
def test_random_heads_equal_feedgen(title, description, home, self_url, language, authored, fmt):
    """A feed's own fields as any text (feedgen refuses some, leaves out others: so must build_feed)."""
    info = FeedInfo(title=title, description=description, home=home, self_url=self_url, language=language)
    for items in ([], [make_item(1, author="A" if authored else None)]):
        try:
            expected = reference(info, items, fmt)
        except ValueError:
            with pytest.raises(ValueError):
                build_feed(info, items, fmt)
            continue
        assert build_feed(info, items, fmt) == expected
