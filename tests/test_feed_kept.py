"""The feeds' templates kept in the cache (kimsite.pages.feed_kept): a build that rewrites a few
feeds uses the templates an earlier build made, without loading feedgen or lxml, and writes the
same bytes; what the cache holds is used only when it is a template of the same code and
libraries, made anew from its parts (no format field of its own), with its shape's slots."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import lxml.etree  # noqa: F401 - feedgen.util uses lxml.etree without loading it
import pytest
from feedgen.util import formatRFC2822
from safety import fixture_copy
from test_feed_bytes import INFO, reference, varied_items

from kimsite.pages import feed_kept, feed_xml, feeds
from kimsite.pages.feeds import build_feed


@pytest.fixture(autouse=True)
def fresh_templates():
    for made in (feed_xml._ENTRIES, feed_xml._TEMPLATES, feeds._HEADS):
        made.clear()
    yield
    for made in (feed_xml._ENTRIES, feed_xml._TEMPLATES, feeds._HEADS):
        made.clear()


class StateOnly:
    """The part of BuildCache feed_kept uses."""

    def __init__(self):
        self.state = {}

    def get_state(self, key):
        return self.state.get(key)

    def set_state(self, key, value):
        self.state[key] = value


DATES = [datetime(2025, month, day, hour, 7, 9, tzinfo=timezone(timedelta(hours=offset, minutes=minutes)))
         for month, day, hour, offset, minutes in [(1, 1, 0, 7, 0), (2, 28, 23, 0, 0), (3, 9, 12, -5, 0),
                                                   (7, 6, 5, 5, 45), (10, 13, 1, -3, -30), (12, 31, 23, 14, 0)]]
DATES += [datetime(1901, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=1, minutes=2, seconds=3))),
          datetime(2024, 2, 29, tzinfo=timezone.utc), datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)]
DATES += [datetime(2026, 6, day, tzinfo=timezone.utc) for day in range(1, 8)]  # every day of the week


@pytest.mark.parametrize("date", DATES, ids=str)
def test_rfc2822_is_feedgens(date: datetime):
    assert feed_xml.rfc2822(date) == formatRFC2822(date)


def test_kept_templates_write_feedgens_bytes_without_making_any(monkeypatch):
    items = varied_items()
    expected = {fmt: reference(INFO, items, fmt) for fmt in ("rss", "atom")}
    cache = StateOnly()
    after_use = feed_kept.use(cache)  # nothing kept yet
    for fmt in ("rss", "atom"):
        assert build_feed(INFO, items, fmt) == expected[fmt]
    feed_kept.keep(cache, after_use)
    kept = cache.get_state(feed_kept.KEY)
    assert kept["made_by"] == feed_kept.made_by()
    assert len(kept["entries"]) == len(feed_xml._TEMPLATES) >= 6 and len(kept["heads"]) == len(feeds._HEADS) == 2

    feed_xml._TEMPLATES.clear()
    feeds._HEADS.clear()
    after_use = feed_kept.use(cache)
    monkeypatch.setattr(feed_xml, "_make_template", lambda *shape: pytest.fail(f"template made: {shape}"))
    monkeypatch.setattr(feeds, "_make_head_template", lambda *key: pytest.fail(f"head made: {key}"))
    for fmt in ("rss", "atom"):
        assert build_feed(INFO, items, fmt) == expected[fmt]
    cache.state.clear()
    feed_kept.keep(cache, after_use)
    assert cache.state == {}, "nothing new was made: nothing is stored again"


def test_templates_kept_by_other_code_or_libraries_are_not_used():
    build_feed(INFO, varied_items(), "rss")
    cache = StateOnly()
    cache.set_state(feed_kept.KEY, {"made_by": "another", "entries": feed_xml.kept_templates(),
                                    "heads": feeds.kept_heads()})
    feed_xml._TEMPLATES.clear()
    feeds._HEADS.clear()
    feed_kept.use(cache)
    assert feed_xml._TEMPLATES == {} and feeds._HEADS == {}


def test_a_new_file_in_a_library_is_another_maker(tmp_path, monkeypatch):
    package = tmp_path / "feedlib_probe"
    (package / "ext").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "ext" / "entry.py").write_text("A = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    monkeypatch.setattr(feed_kept, "_LIBRARIES", ("feedlib_probe",))
    first = feed_kept.made_by()
    assert feed_kept.made_by() == first
    (package / "ext" / "entry.py").write_text("A = 22\n", encoding="utf-8")
    assert feed_kept.made_by() != first
    monkeypatch.setattr(feed_kept, "_LIBRARIES", ("no_such_library_anywhere",))
    assert feed_kept.made_by() != first


def test_what_is_not_a_template_is_made_anew():
    """A damaged or forged row: wrong shapes and parts are left out, and a part's text can hold
    no format field (braces are literal in a template made from parts)."""
    build_feed(INFO, varied_items()[:1], "atom")
    shape, template = next(iter(feed_xml._TEMPLATES.items()))
    slots = template.slots()
    forged = (b"<x>{0.__class__.__init__.__globals__}</x>", *template.parts)
    assert feed_xml.template_from_parts(forged, slots).fill({slot: "v" for slot in slots}).startswith(
        b"<x>{0.__class__.__init__.__globals__}</x>")
    for parts in [(b"<x>", ("nama_lain", feed_xml.TEXT)), (b"<x>", ("title", 2)), (b"\xff\xfe", *template.parts),
                  [*template.parts], "teks", None, (b"<x>", ("title",))]:
        assert feed_xml.template_from_parts(parts, slots) is None, parts
    kept = {("rss", True, False, 1): (b"<x>", ("title", feed_xml.TEXT)),  # slots of another shape
            ("json", True, True, 0): template.parts, ("atom", 1, True, 0): template.parts,
            ("atom", True, True, -1): template.parts, "atom": template.parts}
    feed_xml._TEMPLATES.clear()
    feed_xml.use_kept_templates(kept)
    assert feed_xml._TEMPLATES == {}
    feed_xml.use_kept_templates({shape: template.parts})
    assert feed_xml._TEMPLATES[shape].text == template.text
    feeds._HEADS.clear()
    feeds.use_kept_heads({("rss", "ya"): (b"<x>",), ("atom", False): (b"<x>", ("title", feed_xml.TEXT))})
    assert feeds._HEADS == {}


def _build(root: Path, *arguments: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "KIMSITE_LANG": "en", "PYTHONPROFILEIMPORTTIME": "1"}
    return subprocess.run([sys.executable, "-m", "kimsite", "build", "-C", str(root), *arguments],
                          capture_output=True, text=True, env=environment, timeout=120)


def _loaded(stderr: str) -> set[str]:
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


def test_an_edit_writes_its_feeds_without_loading_feedgen_or_lxml(tmp_path: Path):
    root = fixture_copy(tmp_path / "ws")
    first = _build(root)
    assert first.returncode == 0, first.stderr
    assert {"feedgen.feed", "lxml.etree"} <= _loaded(first.stderr)  # the templates were made here
    _edit_without_feedgen(root, tmp_path / "fresh")


def _edit_without_feedgen(root: Path, fresh: Path) -> None:
    """Edit an article of kim-a and build: its feeds are written without loading feedgen, lxml or
    dateutil, with the bytes a build without the cache writes."""
    article = root / "content" / "kim-a" / "2025-08-17-lomba-agustusan.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nSatu paragraf lagi & <tanda>.\n", encoding="utf-8")
    edit = _build(root)
    assert edit.returncode == 0, edit.stderr
    loaded = _loaded(edit.stderr)
    assert "kimsite.pages.feeds" in loaded
    assert not {name for name in loaded if name.split(".")[0] in ("feedgen", "lxml", "dateutil")}
    done = _build(root, "--no-cache", "--output", str(fresh))
    assert done.returncode == 0, done.stderr
    feeds_written = sorted(path.relative_to(root / "_site") for path in (root / "_site").rglob("*.xml"))
    assert any(path.name == "atom.xml" for path in feeds_written) and len(feeds_written) > 4
    for path in feeds_written:
        assert (root / "_site" / path).read_bytes() == (fresh / path).read_bytes(), path


def test_templates_made_by_render_workers_are_kept_for_the_next_edit(tmp_path: Path):
    """A full build renders every feed in its worker processes; the templates they made reach the
    cache, so the one-article edit that follows loads neither feedgen nor lxml."""
    root = fixture_copy(tmp_path / "ws")
    # every output rendered by two worker processes, as at 10,000 articles
    in_workers = ("import sys; import kimsite.build as build; build.PARALLEL_RENDER_MIN = 1; "
                  "from kimsite.program import run; sys.argv[0] = 'kimsite'; run()")
    environment = {**os.environ, "KIMSITE_LANG": "en", "KIMSITE_JOBS": "2"}
    first = subprocess.run([sys.executable, "-c", in_workers, "build", "-C", str(root)],
                           capture_output=True, text=True, env=environment, timeout=120)
    assert first.returncode == 0, first.stderr
    from kimsite.workspace.cache import BuildCache

    cache, _ = BuildCache.open(root / ".kimsite")
    try:
        kept = cache.get_state(feed_kept.KEY)
    finally:
        cache.close()
    # (made_by is that of the kimsite the build ran, which may be another copy than this process's)
    assert isinstance(kept["made_by"], str) and kept["entries"] and kept["heads"]
    assert {fmt for fmt, *_ in kept["entries"]} == {"rss", "atom"}
    _edit_without_feedgen(root, tmp_path / "fresh")


def test_a_worker_hands_on_only_the_templates_it_made_since_it_last_did(monkeypatch):
    monkeypatch.setattr(feed_kept, "_HANDED", [(0, 0)])
    assert feed_kept.made_since_handed() is None
    build_feed(INFO, varied_items()[:1], "rss")
    made = feed_kept.made_since_handed()
    assert made is not None and len(made[0]) == len(feed_xml._TEMPLATES) and len(made[1]) == 1
    assert feed_kept.made_since_handed() is None  # nothing new since
    build_feed(INFO, varied_items()[:1], "atom")
    entries, heads = feed_kept.made_since_handed()
    assert {shape[0] for shape in entries} == {"atom"} and {key[0] for key in heads} == {"atom"}
    # the build's process adopts them as it adopts what the cache keeps
    parts = feed_xml.kept_templates()
    feed_xml._TEMPLATES.clear()
    feeds._HEADS.clear()
    feed_kept.adopt((parts, {}))
    feed_kept.adopt(None)
    assert feed_xml.kept_templates() == parts
