"""What a build remembers of its output, so that the next one can tell "up to date" from "altered"
without listing every folder: after a full build, the walk's entries; after an incremental one,
the previous entries plus what it moved in, less what it removed. Both must describe exactly the
folder on disk, or an altered output could pass as up to date (or every build be a full one)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from safety import NOW, files, fixture_copy

from kimsite.build import BuildOptions, build
from kimsite.workspace.cache import BuildCache
from kimsite.write.freshness import look_at_output, walk_output


def _remembered(root: Path) -> tuple[tuple, str]:
    cache, _ = BuildCache.open(root / ".kimsite")
    try:
        state = cache.get_state(f"build:{root / '_site'}")
        entries = cache.kept_entries(root / "_site")
    finally:
        cache.close()
    return state["output_identity"], entries


def _assert_remembered_as_on_disk(root: Path) -> None:
    identity, entries = _remembered(root)
    walked, _size = walk_output(root / "_site")
    assert sorted(entries.split("\0")) == sorted(walked.entries.split("\0"))
    assert look_at_output(root / "_site", entries).identity == identity


@pytest.mark.parametrize("change", ["edit", "new-article", "deleted-article", "new-kim-page", "all-three"])
def test_an_incremental_build_remembers_its_output_as_a_walk_would(tmp_path: Path, change: str):
    root = fixture_copy(tmp_path / "ws")
    assert not build(root, BuildOptions(now=NOW)).up_to_date
    _assert_remembered_as_on_disk(root)
    kim = root / "content" / "kim-a"
    if change in ("edit", "all-three"):
        article = kim / "2025-01-15-posyandu-balita.md"
        article.write_text(article.read_text(encoding="utf-8") + "\nTambahan.\n", encoding="utf-8")
    if change in ("new-article", "all-three"):
        (kim / "2025-10-01-kabar-baru.md").write_text(
            "---\ntitle: Kabar Baru\ndate: 2025-10-01\ncategory: Kategori Baru Sekali\n---\n\nIsi.\n",
            encoding="utf-8")
    if change in ("deleted-article", "all-three"):
        (kim / "2024-02-10-kerja-bakti-saluran.md").unlink()
    if change == "new-kim-page":
        (kim / "halaman" / "sejarah.md").write_text("---\ntitle: Sejarah\n---\n\nIsi.\n", encoding="utf-8")
    result = build(root, BuildOptions(now=NOW))
    assert not result.full and not result.up_to_date, "an incremental build"
    _assert_remembered_as_on_disk(root)
    assert build(root, BuildOptions(now=NOW)).up_to_date
    # and an alteration after it is still seen
    page = next(p for p in (root / "_site" / "kim-a").rglob("index.html"))
    page.with_name("stray.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    again = build(root, BuildOptions(now=NOW))
    assert not again.up_to_date and not (page.with_name("stray.html")).exists()


def test_the_output_after_incremental_builds_equals_a_clean_build(tmp_path: Path):
    root = fixture_copy(tmp_path / "ws")
    build(root, BuildOptions(now=NOW))
    kim = root / "content" / "kim-a"
    for number in range(3):
        (kim / f"2025-10-0{number + 1}-kabar-{number}.md").write_text(
            f"---\ntitle: Kabar {number}\ndate: 2025-10-0{number + 1}\ncategory: Baru {number}\n---\n\nIsi.\n",
            encoding="utf-8")
        build(root, BuildOptions(now=NOW))
        _assert_remembered_as_on_disk(root)
    (kim / "2025-10-02-kabar-1.md").unlink()
    build(root, BuildOptions(now=NOW))
    _assert_remembered_as_on_disk(root)
    clean = fixture_copy(tmp_path / "clean")
    for name in ("2025-10-01-kabar-0.md", "2025-10-03-kabar-2.md"):
        shutil.copy2(kim / name, clean / "content" / "kim-a" / name)
    assert files(root / "_site") == files(build(clean, BuildOptions(now=NOW, use_cache=False)).output_dir)
    assert not os.path.exists(root / "_site" / "kim-a" / "2025" / "10" / "kabar-1")


@pytest.mark.parametrize("altered", ["stray-file", "changed-page"])
def test_an_output_altered_while_an_incremental_build_runs_is_found_by_the_next(tmp_path: Path, monkeypatch,
                                                                                 altered: str):
    """An incremental build describes its output from what it saw at its start plus what it
    changed: whatever else changed the output meanwhile must make the next build a full one."""
    from kimsite.write.writer import OutputWriter

    root = fixture_copy(tmp_path / "ws")
    build(root, BuildOptions(now=NOW))
    untouched = root / "_site" / "kim-b"
    page = next(untouched.rglob("index.html"))
    original_commit = OutputWriter.commit

    def commit_while_altered(self) -> None:
        if altered == "stray-file":
            page.with_name("stray.html").write_text("<script>alert(1)</script>", encoding="utf-8")
        else:
            page.write_text(page.read_text(encoding="utf-8") + "<script>alert(1)</script>", encoding="utf-8")
        original_commit(self)

    article = root / "content" / "kim-a" / "2025-01-15-posyandu-balita.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nTambahan.\n", encoding="utf-8")
    monkeypatch.setattr(OutputWriter, "commit", commit_while_altered)
    result = build(root, BuildOptions(now=NOW))
    assert not result.full and not result.up_to_date
    monkeypatch.setattr(OutputWriter, "commit", original_commit)
    again = build(root, BuildOptions(now=NOW))
    assert not again.up_to_date and again.full
    assert not page.with_name("stray.html").exists() and "alert" not in page.read_text(encoding="utf-8")
    _assert_remembered_as_on_disk(root)


def test_a_full_build_remembers_its_output_as_a_walk_would_without_walking_it(tmp_path: Path, monkeypatch):
    """A full build describes its new output from the lines of the files it wrote and a look at
    each folder above them: the same entries, lines and size a walk finds."""
    from kimsite.write import freshness

    root = fixture_copy(tmp_path / "ws")

    def no_walk(output_dir: Path):
        raise AssertionError("a full build walked its output")

    monkeypatch.setattr(freshness, "walk_output", no_walk)
    result = build(root, BuildOptions(now=NOW))
    assert result.full
    monkeypatch.undo()
    walked, size = walk_output(root / "_site")
    identity, entries = _remembered(root)
    assert sorted(entries.split("\0")) == sorted(walked.entries.split("\0"))
    assert look_at_output(root / "_site", entries).lines == walked.lines
    assert look_at_output(root / "_site", entries).identity == identity
    assert result.output_size == size and size.files == len(files(root / "_site"))
    assert build(root, BuildOptions(now=NOW)).up_to_date


def test_a_full_build_whose_files_look_different_afterwards_walks_its_output(tmp_path: Path):
    """Were a file system to give a file another time once it is closed, the lines the workers
    saw would describe an output that is not there (and every next build would be a full
    one): a sample of them is looked at again, and the output walked when one differs."""
    from kimsite.write.freshness import look_after_full_build

    root = fixture_copy(tmp_path / "ws")
    build(root, BuildOptions(now=NOW))
    walked, size = walk_output(root / "_site")
    written = {name: entry for name, entry in walked.lines.items() if name.startswith(("kim-", "index"))
               and not entry.startswith(str(0o040000))}
    seen, seen_size = look_after_full_build(root / "_site", written)
    assert seen is not None and seen_size.files == len(written)
    first = next(iter(written))
    kind, length, mtime, inode = written[first].split("\0")
    written[first] = "\0".join((kind, length, str(int(mtime) + 1), inode))  # the first file is sampled
    assert look_after_full_build(root / "_site", written) == (None, None)
