"""`.kimsite/` does not grow without end: what no build can use any more is removed as builds go
(bodies of changed and deleted sources, forgotten files and KIMs, pictures of removed images,
share cards and icons nothing shows), and the output stays what a clean build makes."""

from __future__ import annotations

import pickle
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from kimsite.build import BuildOptions, build

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
from test_incremental import (A, NOW, assert_equals_clean, delete_article, edit, edit_body,  # noqa: E402
                              workspace)

__all__ = ["workspace"]  # the fixture, used by the tests below


def cache_rows(ws: Path) -> tuple[set[str], set[str], dict[str, set[str]]]:
    """(body digests, source paths, digests remembered per KIM) in the workspace's cache."""
    with sqlite3.connect(ws / ".kimsite" / "cache.sqlite") as db:
        bodies = {digest for (digest,) in db.execute("SELECT digest FROM parsed")}
        sources = {path for (path,) in db.execute("SELECT path FROM sources")}
        bundles = {key.split(":", 1)[1]: {digest for digest, _result in pickle.loads(value).values()}
                   for key, value in db.execute("SELECT key, value FROM state WHERE key LIKE 'parsed-site:%'")}
    return bodies, sources, bundles


def documents_with_bodies(bundles: dict[str, set[str]], bodies: set[str]) -> set[str]:
    return {digest for digests in bundles.values() for digest in digests} & bodies


def test_an_edit_leaves_one_body_per_source(workspace: Path, tmp_path: Path):
    bodies, _sources, bundles = cache_rows(workspace)
    assert bodies and bodies == documents_with_bodies(bundles, bodies)
    edit_body(workspace)
    build(workspace, BuildOptions(now=NOW))
    after, _sources, bundles_after = cache_rows(workspace)
    assert len(after) == len(bodies)
    assert after == documents_with_bodies(bundles_after, after)
    assert len(bodies - after) == 1  # the edited article's previous body is gone
    assert_equals_clean(workspace, tmp_path)


def test_a_deleted_article_is_forgotten(workspace: Path, tmp_path: Path):
    bodies, sources, _bundles = cache_rows(workspace)
    delete_article(workspace)
    build(workspace, BuildOptions(now=NOW))
    after, sources_after, bundles = cache_rows(workspace)
    assert sources - sources_after == {f"{A}/2025-08-17-lomba-agustusan.md"}
    assert len(bodies - after) == 1 and after <= bodies
    assert after == documents_with_bodies(bundles, after)
    assert_equals_clean(workspace, tmp_path)


def test_a_removed_kim_is_forgotten(workspace: Path, tmp_path: Path):
    _bodies, _sources, bundles = cache_rows(workspace)
    kim_b = bundles["kim-b"]
    shutil.rmtree(workspace / "content" / "kim-b")
    (workspace / "sites" / "kim-b.yaml").unlink()
    build(workspace, BuildOptions(now=NOW))
    bodies, sources, bundles = cache_rows(workspace)
    assert "kim-b" not in bundles
    assert not kim_b & bodies
    assert not [path for path in sources if path.startswith("content/kim-b/")]
    assert_equals_clean(workspace, tmp_path)


def test_a_build_of_one_kim_keeps_what_the_others_use(workspace: Path, tmp_path: Path):
    cards = set(os_names(workspace / ".kimsite" / "cards"))
    (workspace / "content" / "kim-b" / "2024-03-12-jembatan-gantung.md").unlink()
    build(workspace, BuildOptions(now=NOW, site="kim-a", output="_kim_a"))
    assert set(os_names(workspace / ".kimsite" / "cards")) == cards  # kim-b's cards too
    _bodies, sources, bundles = cache_rows(workspace)
    assert "content/kim-b/2024-03-12-jembatan-gantung.md" in sources
    assert len(bundles["kim-b"]) == 3  # two articles and a page
    build(workspace, BuildOptions(now=NOW))  # the whole workspace: now it is forgotten
    bodies, sources, bundles = cache_rows(workspace)
    assert "content/kim-b/2024-03-12-jembatan-gantung.md" not in sources
    assert len(bundles["kim-b"]) == 2 and bodies == documents_with_bodies(bundles, bodies)
    assert_equals_clean(workspace, tmp_path)


def test_pictures_of_a_removed_image_are_removed(workspace: Path, tmp_path: Path):
    pictures = workspace / ".kimsite" / "images"
    assert len(list(pictures.iterdir())) == 1  # media/foto.png
    edit(workspace / A / "2024-06-05-pelatihan-menulis.md", "foto.png", "foto-lain.png")
    (workspace / A / "media" / "foto.png").rename(workspace / A / "media" / "foto-lain.png")
    build(workspace, BuildOptions(now=NOW))
    assert len(list(pictures.iterdir())) == 1  # the same bytes: the same processed pictures
    (workspace / A / "media" / "foto-lain.png").write_bytes((TESTS / "fixtures" / "basic" / A / "media" /
                                                             "foto.png").read_bytes() + b"\0")
    build(workspace, BuildOptions(now=NOW))
    assert len(list(pictures.iterdir())) == 1  # other bytes: the old pictures went
    assert_equals_clean(workspace, tmp_path)


@pytest.mark.parametrize("folder", ["cards", "icons"])
def test_pictures_nothing_shows_are_removed_by_a_full_build(workspace: Path, tmp_path: Path, folder: str):
    """A new title draws a new card (with a card drawn for every article), a KIM's new name new
    icons (its initials, in two sizes): the old ones go once a build plans every output."""
    config = workspace / "kimsite.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "share_cards: article\n", encoding="utf-8")
    build(workspace, BuildOptions(now=NOW))
    drawn = workspace / ".kimsite" / folder
    before = set(os_names(drawn))
    if folder == "cards":
        edit(workspace / A / "2025-01-15-posyandu-balita.md", "title: ", "title: Kabar Terbaru ")
    else:
        edit(workspace / "sites" / "kim-b.yaml", "name: ", "name: Zebra ")
    changed = 1 if folder == "cards" else 2
    build(workspace, BuildOptions(now=NOW))  # incremental: the old picture may still be shown elsewhere
    assert len(set(os_names(drawn)) - before) == changed
    shutil.rmtree(workspace / "_site")  # the next build plans every output
    build(workspace, BuildOptions(now=NOW))
    kept = set(os_names(drawn))
    assert len(kept) == len(before) and len(before - kept) == changed
    assert_equals_clean(workspace, tmp_path)
    assert kept == set(os_names(tmp_path / "clean" / ".kimsite" / folder))  # what a clean build draws


def os_names(folder: Path) -> list[str]:
    return [path.name for path in folder.iterdir()]
