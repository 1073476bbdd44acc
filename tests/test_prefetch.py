"""Sources are asked of the disk together before they are parsed one by one
(kimsite.workspace.sources.prefetch): only a hint, which no path can turn into an error or a wait."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from kimsite.model.model import SourceFile
from kimsite.parse import parallel
from kimsite.parse.article import ParseSettings
from kimsite.workspace import sources

ARTICLE = "---\ntitle: Satu\ndate: 2026-11-30\n---\n\nIsi **artikel**.\n"


def test_prefetch_takes_any_path_without_raising_or_waiting(tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    article.write_text(ARTICLE, encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)  # opening a FIFO for reading would wait for a writer, were it not non-blocking
    paths = [str(article), str(tmp_path / "missing.md"), str(folder), str(pipe), "", "\udcff", str(tmp_path / "a.md/x")]
    done = threading.Event()
    worker = threading.Thread(target=lambda: (sources.prefetch(paths), done.set()), daemon=True)
    worker.start()
    worker.join(10)
    assert done.is_set()
    assert article.read_text(encoding="utf-8") == ARTICLE  # a hint reads nothing and changes nothing


def test_prefetch_without_fadvise_does_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "posix_fadvise", raising=False)
    opened: list[str] = []
    monkeypatch.setattr(os, "open", lambda *args, **kwargs: opened.append(args[0]))
    sources.prefetch([str(tmp_path / "a.md")])
    assert opened == []


def _items(tmp_path: Path, count: int) -> list[tuple[SourceFile, str]]:
    items = []
    for number in range(count):
        path = tmp_path / f"2026-11-{number + 1:02d}-a{number}.md"
        path.write_text(ARTICLE.replace("Satu", f"Artikel {number}"), encoding="utf-8")
        items.append((SourceFile("kim", f"content/kim/{path.name}", path.name, "article"), str(path)))
    return items


def test_each_worker_chunk_is_asked_for_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = _items(tmp_path, 5)
    asked: list[list[str]] = []
    monkeypatch.setattr(sources, "prefetch", lambda paths: asked.append(list(paths)))
    monkeypatch.setitem(parallel._SHARED, "parse", (items, ParseSettings("Asia/Jakarta", "default", "id")))
    results = parallel._parse_chunk((1, 4))
    assert asked == [[path for _source, path in items[1:4]]]
    assert [parsed.document.title for parsed, _hash in results] == ["Artikel 1", "Artikel 2", "Artikel 3"]


def test_parsing_in_this_process_asks_for_sources_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = _items(tmp_path, 3)
    asked: list[list[str]] = []
    monkeypatch.setattr(sources, "prefetch", lambda paths: asked.append(list(paths)))
    monkeypatch.setattr(parallel, "PREFETCH", 2)
    results = list(parallel.parse_stream(items, ParseSettings("Asia/Jakarta", "default", "id"), parallel=False))
    assert asked == [[items[0][1], items[1][1]], [items[2][1]]]
    assert len(results) == 3 and all(parsed.document is not None for parsed, _hash in results)
