"""What a one-shot build keeps of each KIM in the cache (kimsite.write.kept_kims): an edit takes
the KIMs it did not touch as they are, and a record that no longer holds, or that is not what a
build stores, is never used."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from kimsite.build import BuildOptions, build
from kimsite.model import assemble
from kimsite.workspace.cache import BuildCache, _is_named_tuple
from kimsite.write.kept_kims import RECORD_PREFIX

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
from regen_golden import NOW  # noqa: E402
from test_incremental import FIXTURE, assert_equals_clean, edit, edit_body, snapshot  # noqa: E402


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(FIXTURE, ws)
    build(ws, BuildOptions(now=NOW))
    return ws


def _records(ws: Path) -> dict[str, bytes]:
    with sqlite3.connect(ws / ".kimsite" / "cache.sqlite") as db:
        return {key: value for key, value in
                db.execute("SELECT key, value FROM state WHERE key LIKE ?", (RECORD_PREFIX + "%",))}


def _counting_assembly(monkeypatch) -> list[str]:
    assembled: list[str] = []
    original = assemble.assemble_site

    def counting(site, *args, **kwargs):
        assembled.append(site.slug)
        return original(site, *args, **kwargs)

    monkeypatch.setattr(assemble, "assemble_site", counting)
    return assembled


def _counting_bundles(monkeypatch) -> list[str]:
    read: list[str] = []
    original = BuildCache.get_state

    def counting(self, key):
        if key.startswith("parsed-site:"):
            read.append(key)
        return original(self, key)

    monkeypatch.setattr(BuildCache, "get_state", counting)
    return read


def test_a_build_keeps_a_record_of_each_kim(workspace: Path):
    assert sorted(_records(workspace)) == [f"{RECORD_PREFIX}kim-a", f"{RECORD_PREFIX}kim-b"]


def test_an_edit_assembles_and_reads_only_the_edited_kim(workspace: Path, tmp_path: Path, monkeypatch):
    before = _records(workspace)
    assembled, bundles = _counting_assembly(monkeypatch), _counting_bundles(monkeypatch)
    edit_body(workspace)
    result = build(workspace, BuildOptions(now=NOW))
    assert not result.up_to_date
    assert assembled == ["kim-a"] and bundles == ["parsed-site:kim-a"]
    after = _records(workspace)
    # the edited KIM's record is written again; the other one is left as it was
    assert after[f"{RECORD_PREFIX}kim-b"] == before[f"{RECORD_PREFIX}kim-b"]
    assert after[f"{RECORD_PREFIX}kim-a"] != before[f"{RECORD_PREFIX}kim-a"]
    monkeypatch.undo()
    assert_equals_clean(workspace, tmp_path)


def test_an_edit_of_a_site_file_assembles_that_kim_again(workspace: Path, tmp_path: Path, monkeypatch):
    assembled = _counting_assembly(monkeypatch)
    site_file = next((workspace / "sites").glob("kim-b.*"))
    text = site_file.read_text(encoding="utf-8")
    site_file.write_text(text.replace("name: ", "name: Baru ", 1), encoding="utf-8")
    build(workspace, BuildOptions(now=NOW))
    assert assembled == ["kim-b"]
    monkeypatch.undo()
    assert_equals_clean(workspace, tmp_path)


@pytest.mark.parametrize("record", [
    None, 42, "text", (), ("a", None, None), ("/elsewhere", None, None, None),
    ("ROOT", ["not", "parse results"], None, None),
    ("ROOT", None, ("key", 1.0, "not a model"), None),
    ("ROOT", None, None, ("key", "not a member")),
], ids=["none", "int", "text", "empty", "three-parts", "no-parts", "parsed", "assembled", "member"])
def test_a_record_not_of_the_shape_a_build_stores_is_not_used(workspace: Path, tmp_path: Path, record,
                                                               monkeypatch):
    if isinstance(record, tuple) and record and record[0] == "ROOT":
        record = (str(workspace.resolve()), *record[1:])
    cache, _ = BuildCache.open(workspace / ".kimsite")
    cache.set_state(f"{RECORD_PREFIX}kim-b", record)
    cache.commit()
    cache.close()
    assembled = _counting_assembly(monkeypatch)
    edit_body(workspace)
    result = build(workspace, BuildOptions(now=NOW))
    assert sorted(assembled) == ["kim-a", "kim-b"]
    assert "cache_invalid" not in {problem.code for problem in result.problems}
    monkeypatch.undo()
    assert_equals_clean(workspace, tmp_path)
    # and the next build stores a good one again
    assembled = _counting_assembly(monkeypatch)
    edit(workspace / "content/kim-a/2025-01-15-posyandu-balita.md", "tiga ratus", "empat ratus")
    build(workspace, BuildOptions(now=NOW))
    assert assembled == ["kim-a"]


def test_a_workspace_moved_with_its_cache_reads_its_files_where_they_are_now(workspace: Path, tmp_path: Path,
                                                                             monkeypatch):
    """The parse results kept name each file of a KIM by its full path: a workspace copied
    elsewhere with its state folder (times kept), its first folder gone, copies its files from
    the new place."""
    moved = tmp_path / "moved"
    shutil.copytree(workspace, moved)  # (copy2: the files keep their times)
    shutil.rmtree(workspace)
    assembled = _counting_assembly(monkeypatch)
    edit_body(moved)
    result = build(moved, BuildOptions(now=NOW))
    assert not [p for p in result.problems if p.level == "error"]
    assert sorted(assembled) == ["kim-a", "kim-b"]
    monkeypatch.undo()
    assert_equals_clean(moved, tmp_path)


def test_the_record_of_a_kim_no_longer_in_the_workspace_is_removed(workspace: Path, tmp_path: Path):
    shutil.rmtree(workspace / "content" / "kim-b")
    for site_file in (workspace / "sites").glob("kim-b.*"):
        site_file.unlink()
    build(workspace, BuildOptions(now=NOW))
    assert sorted(_records(workspace)) == [f"{RECORD_PREFIX}kim-a"]
    assert_equals_clean(workspace, tmp_path)


def test_a_build_of_one_kim_keeps_the_records_of_the_others(workspace: Path, tmp_path: Path):
    before = _records(workspace)
    edit_body(workspace)
    build(workspace, BuildOptions(now=NOW, site="kim-a", output=str(tmp_path / "one")))
    after = _records(workspace)
    assert after.keys() == before.keys()
    assert after[f"{RECORD_PREFIX}kim-b"] == before[f"{RECORD_PREFIX}kim-b"]
    build(workspace, BuildOptions(now=NOW))
    assert_equals_clean(workspace, tmp_path)


def test_serve_sessions_keep_their_own_and_store_no_record(workspace: Path):
    from kimsite.build import BuildSession

    before = _records(workspace)
    edit_body(workspace)
    build(workspace, BuildOptions(now=NOW, preview=True), BuildSession())
    assert _records(workspace) == before


class _Named(NamedTuple):
    a: int


class _NewMade(_Named):
    def __new__(cls, *args):  # a subclass may run anything while it is built
        return super().__new__(cls, *args)


def test_only_plain_named_tuples_are_records_the_cache_may_build():
    assert _is_named_tuple(_Named)
    assert not _is_named_tuple(_NewMade) and not _is_named_tuple(tuple) and not _is_named_tuple(str)


def test_an_edit_with_records_equals_one_without(workspace: Path, tmp_path: Path):
    """The same edit, built once with the records and once after they were deleted."""
    other = tmp_path / "other"
    shutil.copytree(workspace, other)
    with sqlite3.connect(other / ".kimsite" / "cache.sqlite") as db:
        db.execute("DELETE FROM state WHERE key LIKE ?", (RECORD_PREFIX + "%",))
    for ws in (workspace, other):
        edit_body(ws)
        build(ws, BuildOptions(now=NOW))
    assert snapshot(workspace / "_site") == snapshot(other / "_site")


def test_state_keys_are_those_that_start_with_the_prefix(tmp_path: Path):
    cache, _ = BuildCache.open(tmp_path / "state")
    for key in ("kept-kim:a", "kept-kim:b", "kept-kim;", "kept-kim", "kept-kimx", "kept-kin:a", "kept-kim:\U0010fffe"):
        cache.set_state(key, 1)
    assert sorted(cache.state_keys("kept-kim:")) == ["kept-kim:a", "kept-kim:b", "kept-kim:\U0010fffe"]
    assert len(cache.state_keys("")) >= 7
    cache.close()


def test_files_with_new_times_keep_nothing_of_the_records_then_renew_them(workspace: Path, tmp_path: Path,
                                                                             monkeypatch):
    """A fresh checkout (a CI run with .kimsite/ restored) gives every file a new time: the
    records' parse results no longer hold, and nothing of them is kept, not even the models
    (they would hold a second copy of every document). The next edit uses the renewed ones."""
    import os

    later = NOW.timestamp() + 3600
    for path in (workspace / "content").rglob("*"):
        if path.is_file():
            os.utime(path, (later, later))
    shutil.rmtree(workspace / "_site")
    assembled = _counting_assembly(monkeypatch)
    build(workspace, BuildOptions(now=NOW))
    assert sorted(assembled) == ["kim-a", "kim-b"]
    assembled.clear()
    edit_body(workspace)
    build(workspace, BuildOptions(now=NOW))
    assert assembled == ["kim-a"]
    monkeypatch.undo()
    assert_equals_clean(workspace, tmp_path)


@pytest.mark.parametrize("forge", ["elsewhere", "missing", "extra", "not-a-hash"])
def test_a_record_naming_a_kim_file_anywhere_else_is_not_used(workspace: Path, tmp_path: Path, forge: str,
                                                               monkeypatch):
    """The parse results kept name the files a build copies and reads pictures from: a forged
    record pointing one of them outside the KIM's folder must not publish that file."""
    secret = tmp_path / "secret.txt"
    secret.write_text("rahasia", encoding="utf-8")
    cache, _ = BuildCache.open(workspace / ".kimsite")
    key = f"{RECORD_PREFIX}kim-a"
    root, parsed, assembled, member = cache.get_state(key)
    files = list(parsed.file_hashes)
    assert any(rel == "media/materi.txt" for rel, _path, _hash in files)
    if forge == "elsewhere":
        files = [(rel, str(secret) if rel == "media/materi.txt" else path, digest) for rel, path, digest in files]
    elif forge == "missing":
        files = files[1:]
    elif forge == "extra":
        files = files + [("media/lain.txt", str(secret), "0" * 32)]
    else:
        files = [(rel, path, None) for rel, path, _digest in files]
    parsed.file_hashes = files
    cache.set_state(key, (root, parsed, assembled, member))
    cache.commit()
    cache.close()
    assembled_now = _counting_assembly(monkeypatch)
    # another KIM changes, so that the build runs: kim-a's record is taken, or not
    (workspace / "content/kim-b").joinpath("2099-01-01-baru.md").write_text(
        "---\ntitle: Baru\ndate: 2025-01-01 08:00\n---\n\nIsi baru.\n", encoding="utf-8")
    build(workspace, BuildOptions(now=NOW))
    assert "kim-a" in assembled_now
    published = [p for p in (workspace / "_site").rglob("*") if p.is_file()]
    assert not any(p.read_bytes() == b"rahasia" for p in published)
    monkeypatch.undo()
    assert_equals_clean(workspace, tmp_path)


def test_a_record_that_no_longer_held_is_gone_even_when_the_build_fails(workspace: Path, tmp_path: Path):
    """An edit drops from the cache the body of the source's old version. Should the build then
    fail (an error in another KIM), the old record must not survive to be used again when the file
    comes back with its old size and time (a backup copied with `cp -p`): its document's body is
    gone."""
    import os

    source = workspace / "content/kim-a/2025-01-15-posyandu-balita.md"
    original, times = source.read_bytes(), source.stat()
    edit_body(workspace)
    broken = workspace / "content/kim-b/2099-01-01-rusak.md"
    broken.write_text("---\ntitle: [tidak ditutup\n---\n\nIsi.\n", encoding="utf-8")
    with pytest.raises(Exception):
        build(workspace, BuildOptions(now=NOW))
    source.write_bytes(original)
    os.utime(source, ns=(times.st_atime_ns, times.st_mtime_ns))
    broken.unlink()
    shutil.rmtree(workspace / "_site")  # every page made again: the body is needed
    build(workspace, BuildOptions(now=NOW))
    assert_equals_clean(workspace, tmp_path)
