"""A full build over an existing output hands the previous output to a deleter process of its own
(kimsite.write.trash) instead of deleting it before returning; what a deleter leaves is swept by
the next build; nothing outside a trash folder is ever deleted."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kimsite.build import BuildOptions, build
from kimsite.write import trash

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
from safety import ENV, files, fixture_copy, wait_for_trash  # noqa: E402
from regen_golden import NOW  # noqa: E402


def trash_folders(workspace: Path) -> list[Path]:
    return sorted(p for p in workspace.iterdir() if p.name.startswith("._site.kimsite-trash-"))


@pytest.fixture
def built(tmp_path: Path) -> Path:
    workspace = fixture_copy(tmp_path / "ws")
    build(workspace, BuildOptions(now=NOW))
    return workspace


def test_the_previous_output_is_handed_to_a_deleter_not_deleted_before_the_build_returns(built, monkeypatch):
    started: list[Path] = []
    monkeypatch.setattr(trash, "_start_deleter", lambda folder: started.append(folder) or True)
    old = files(built / "_site")
    (built / "_site" / "kim-a" / "index.html").write_text("changed by hand", encoding="utf-8")  # a full build
    result = build(built, BuildOptions(now=NOW))
    assert result.full
    assert files(built / "_site") == old, "the new output is a clean build's"
    [folder] = trash_folders(built)
    assert started == [folder]
    assert (folder / "kim-a" / "index.html").read_text(encoding="utf-8") == "changed by hand", \
        "the previous output, whole, waits for its deleter"
    assert trash.delete_locked(folder) and not folder.exists()


def test_a_real_deleter_removes_the_previous_output_after_the_command_ended(built):
    shutil.rmtree(built / ".kimsite")  # no cache: the build starts from nothing, over an output
    result = subprocess.run([sys.executable, "-m", "kimsite", "build", "--no-cache", "-C", str(built)],
                            capture_output=True, text=True, env={**os.environ, **ENV}, timeout=120)
    assert result.returncode == 0, result.stderr
    wait_for_trash(built)
    assert trash_folders(built) == []
    assert sorted(p.name for p in built.iterdir() if "_site" in p.name) == ["_site"]
    assert (built / "_site" / "index.html").is_file()


def test_without_a_deleter_the_previous_output_is_deleted_in_place(built, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise OSError("no processes left")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    (built / "_site" / "kim-a" / "index.html").write_text("changed by hand", encoding="utf-8")
    assert build(built, BuildOptions(now=NOW)).full
    assert trash_folders(built) == [] and not (built / "._site.kimsite-old").exists()


def test_a_deleter_killed_midway_leaves_trash_the_next_build_sweeps(built):
    left = built / "._site.kimsite-trash-0123456789abcdef"
    shutil.copytree(built / "_site", left)
    build(built, BuildOptions(now=NOW))  # a no-change build: recover() sweeps first
    wait_for_trash(built)
    assert trash_folders(built) == []


def test_trash_a_deleter_is_working_on_is_left_to_it(built):
    left = built / "._site.kimsite-trash-0123456789abcdef"
    (left / "kim-a").mkdir(parents=True)
    (left / "kim-a" / "index.html").write_text("old", encoding="utf-8")
    handle = os.open(left, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running deleter holds it
        trash.sweep(built / "_site")
        assert (left / "kim-a" / "index.html").is_file()
        assert not trash.delete_locked(left), "a second deleter gives way to the first"
        assert (left / "kim-a" / "index.html").is_file()
    finally:
        os.close(handle)
    trash.sweep(built / "_site")
    wait_for_trash(built)
    assert not left.exists()


def test_a_link_under_a_trash_name_is_removed_and_what_it_points_to_is_kept(built, tmp_path: Path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "data.txt").write_text("keep me", encoding="utf-8")
    link = built / "._site.kimsite-trash-feedfacefeedface"
    link.symlink_to(precious)
    trash.sweep(built / "_site")
    assert not os.path.lexists(link)
    assert (precious / "data.txt").read_text(encoding="utf-8") == "keep me"


def test_a_link_inside_the_previous_output_is_not_followed_by_its_deleter(built, tmp_path: Path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "data.txt").write_text("keep me", encoding="utf-8")
    (built / "_site" / "kim-a" / "tautan").symlink_to(precious)  # also makes the next build full
    assert build(built, BuildOptions(now=NOW)).full
    wait_for_trash(built)
    assert trash_folders(built) == []
    assert (precious / "data.txt").read_text(encoding="utf-8") == "keep me"


def test_without_fcntl_the_previous_output_is_deleted_in_place(built, monkeypatch):
    monkeypatch.setattr(trash, "fcntl", None)  # as on Windows
    (built / "_site" / "kim-a" / "index.html").write_text("changed by hand", encoding="utf-8")
    assert build(built, BuildOptions(now=NOW)).full
    assert trash_folders(built) == [] and not (built / "._site.kimsite-old").exists()


def test_a_package_outside_a_folder_of_files_deletes_in_place(built, monkeypatch, tmp_path: Path):
    monkeypatch.setattr(trash, "__file__", str(tmp_path / "kimsite.pyz" / "kimsite" / "write" / "trash.py"))
    (built / "_site" / "kim-a" / "index.html").write_text("changed by hand", encoding="utf-8")
    assert build(built, BuildOptions(now=NOW)).full
    assert trash_folders(built) == [], "no deleter could be started: deleted before returning"


@pytest.mark.parametrize("name", ["_site", "content", "._site.kimsite-old", "trash-x"])
def test_the_deleter_deletes_nothing_but_a_trash_folder(built, name: str):
    target = built / name
    target.mkdir(exist_ok=True)
    (target / "keep.txt").write_text("keep", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kimsite.write.trash", str(target)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert (target / "keep.txt").read_text(encoding="utf-8") == "keep"
