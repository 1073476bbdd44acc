"""Each document is made ready for rendering once per build (kimsite.pages.ready): its body is
rewritten once, although its page and several feeds show it, and an edit build makes ready only
the documents the outputs it re-renders show."""

from __future__ import annotations

import os
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

from kimsite.base.urls import Urls
from kimsite import build as build_module
from kimsite.build import BuildOptions, build
from kimsite.pages import ready

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
from regen_golden import NOW  # noqa: E402


def _count_calls(monkeypatch, name: str) -> Counter:
    """Sources of the documents `kimsite.pages.ready.<name>` is called for in this process, counted."""
    counts: Counter = Counter()
    original = getattr(ready, name)

    def counting(view, doc):  # type: ignore[no-untyped-def]
        counts[doc.source] += 1
        return original(view, doc)

    monkeypatch.setattr(ready, name, counting)
    return counts


@pytest.fixture
def made(monkeypatch) -> Counter:
    """Sources of the documents made ready in this process, counted."""
    return _count_calls(monkeypatch, "make_ready")


@pytest.fixture
def pictured(monkeypatch) -> Counter:
    """Sources of the documents whose list picture was looked up in this process, counted."""
    return _count_calls(monkeypatch, "find_picture")


def _workspace(tmp_path: Path) -> Path:
    workspace = tmp_path / "ws"
    shutil.copytree(TESTS / "fixtures" / "basic", workspace)
    return workspace


def test_every_document_is_made_ready_once_before_rendering(tmp_path, made, pictured, monkeypatch):
    workspace = _workspace(tmp_path)
    result = build(workspace, BuildOptions(now=NOW, jobs=1))
    shown = {doc.source for doc in result.view.documents.values()}
    articles = [doc for doc in result.view.documents.values() if doc.file_role == "article"]
    assert len(articles) >= 5 and len(shown) > len(articles)  # pages (halaman) as well
    # Made in this process, before rendering, each exactly once, although an article is shown
    # by its page, an RSS and an Atom feed.
    assert set(made) == shown
    assert set(made.values()) == {1}
    # Lists (home, category, tag and archive pages) show an article's thumbnail: its picture
    # is looked up once, whichever pages list it.
    assert set(pictured) == shown and set(pictured.values()) == {1}
    listing = (result.output_dir / "kim-a" / "kategori" / "pendidikan" / "index.html").read_text(encoding="utf-8")
    assert '<a class="thumb"' in listing and "<picture>" in listing
    for doc in articles:  # what the page shows is the ready body, pictures and links rewritten
        page = result.output_dir / Urls.output_path(result.view.location(doc))
        text = page.read_text(encoding="utf-8")
        ready_doc = result.view.ready.get(doc)
        assert ready_doc.body in text
        # its share image, in the Open Graph tags and the JSON-LD the page is filled with
        image = result.view.urls.absolute(ready_doc.preview.image)
        assert f'<meta property="og:image" content="{image}">' in text and f'"image":["{image}"]' in text
    assert any('<picture>' in result.view.ready.get(doc).body for doc in articles)
    assert not any("kimsite:" in result.view.ready.get(doc).body + result.view.ready.get(doc).feed_body
                   for doc in articles)


def _log_calls(monkeypatch, name: str, log: Path) -> None:
    """Each call of `kimsite.pages.ready.<name>` appended to `log` as "pid source", in whichever
    process makes it (forked render workers too)."""
    original = getattr(ready, name)

    def logging(view, doc):  # type: ignore[no-untyped-def]
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {doc.source}\n")
        return original(view, doc)

    monkeypatch.setattr(ready, name, logging)


def test_render_workers_make_ready_what_they_show(tmp_path, monkeypatch):
    """When worker processes render, each makes ready the documents its outputs show, once in
    that process, and the main process makes none: the output is the one process's."""
    monkeypatch.setattr(build_module, "PARALLEL_RENDER_MIN", 1)  # render workers even for a few pages
    one = build(_workspace(tmp_path / "one"), BuildOptions(now=NOW, jobs=1))
    made_log, pictured_log = tmp_path / "made.log", tmp_path / "pictured.log"
    _log_calls(monkeypatch, "make_ready", made_log)
    _log_calls(monkeypatch, "find_picture", pictured_log)
    two = build(_workspace(tmp_path / "two"), BuildOptions(now=NOW, jobs=2))
    shown = {doc.source for doc in two.view.documents.values()}
    listed = {doc.source for doc in two.view.documents.values() if doc.file_role == "article"}
    # every document its page shows; the list pictures of the articles lists show
    for log, wanted in ((made_log, shown), (pictured_log, listed)):
        calls = [tuple(line.split(" ", 1)) for line in log.read_text(encoding="utf-8").splitlines()]
        processes = {pid for pid, _source in calls}
        assert str(os.getpid()) not in processes and processes  # in the workers, not here
        assert {source for _pid, source in calls} == wanted
        assert len(calls) == len(set(calls))  # never twice in one process

    def tree(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    assert tree(one.output_dir) == tree(two.output_dir)


def test_an_edit_makes_ready_only_what_it_renders(tmp_path, made):
    workspace = _workspace(tmp_path)
    build(workspace, BuildOptions(now=NOW))
    made.clear()
    assert build(workspace, BuildOptions(now=NOW)).rendered == 0
    assert not made  # a no-change build makes nothing ready

    article = workspace / "content" / "kim-a" / "2025-01-15-posyandu-balita.md"
    article.write_text(article.read_text(encoding="utf-8").replace("dua ratus", "tiga ratus"), encoding="utf-8")
    result = build(workspace, BuildOptions(now=NOW))
    edited = next(doc for doc in result.view.documents.values() if doc.rel.endswith("posyandu-balita.md"))
    assert made[edited.source] == 1
    assert set(made.values()) == {1}
    others = {doc.source for doc in result.view.documents.values() if doc.site == "kim-b" or doc.file_role == "page"}
    assert others and not others & set(made)  # other KIMs and pages in no re-rendered feed stay as they are
    assert "tiga ratus" in result.view.ready.get(edited).body


def test_too_many_bodies_to_hold_are_made_ready_by_the_workers_alike(tmp_path, made, monkeypatch):
    """Above parsing.KEEP_BODIES_MAX documents, bodies are read back from the cache and each
    render worker makes ready what it shows: the output is the same."""
    from kimsite.parse import parsing

    monkeypatch.setattr(build_module, "PARALLEL_RENDER_MIN", 1)
    held = build(_workspace(tmp_path / "held"), BuildOptions(now=NOW, jobs=2))
    made.clear()
    monkeypatch.setattr(parsing, "KEEP_BODIES_MAX", 0)
    read_back = build(_workspace(tmp_path / "read-back"), BuildOptions(now=NOW, jobs=1))
    assert set(made) == {doc.source for doc in read_back.view.documents.values()}  # made when first shown
    assert set(made.values()) == {1}

    def tree(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    assert tree(held.output_dir) == tree(read_back.output_dir)
    in_workers = build(_workspace(tmp_path / "in-workers"), BuildOptions(now=NOW, jobs=2))
    assert tree(held.output_dir) == tree(in_workers.output_dir)
