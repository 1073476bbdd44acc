"""A failed build leaves the previous _site/ exactly as it was: same files, same bytes, and no
staging folders left beside it — whether it fails while reading content (an impossible date)
or later, while rendering (a broken template), and whether the build is full or incremental.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kimsite.build import BuildOptions, build
from kimsite.base.problems import KimsiteError

TESTS = Path(__file__).resolve().parent
FIXTURE = TESTS / "fixtures" / "basic"
sys.path.insert(0, str(TESTS))
from regen_golden import NOW  # noqa: E402

BAD_ARTICLE = """---
title: Tanggal Mustahil
date: "2021-13-45"
---

Teks.
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def siblings(workspace: Path) -> list[str]:
    from safety import wait_for_trash

    wait_for_trash(workspace)
    return sorted(p.name for p in workspace.iterdir() if "_site" in p.name)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    workspace = tmp_path / "ws"
    shutil.copytree(FIXTURE, workspace)
    build(workspace, BuildOptions(now=NOW))
    before = snapshot(workspace / "_site")
    assert len(before) > 50
    return workspace, before


def test_content_error_leaves_site_untouched_cli(built):
    workspace, before = built
    (workspace / "content/kim-a/2025-11-30-rusak.md").write_text(BAD_ARTICLE, encoding="utf-8")
    # also change a good article, so an accidental partial write would show
    good = workspace / "content/kim-a/2025-01-15-posyandu-balita.md"
    good.write_text(good.read_text(encoding="utf-8").replace("dua ratus", "tiga ratus"), encoding="utf-8")
    env = {**os.environ, "KIMSITE_NOW": NOW.isoformat(), "KIMSITE_LANG": "id"}
    result = subprocess.run([sys.executable, "-m", "kimsite", "build", "-C", str(workspace)],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1, result.stderr
    assert 'content/kim-a/2025-11-30-rusak.md:3: galat: date: "2021-13-45"' in result.stderr
    assert "_site/ sebelumnya tidak diubah" in result.stderr
    assert snapshot(workspace / "_site") == before
    assert siblings(workspace) == ["_site"]


def test_content_error_leaves_site_untouched_api(built):
    workspace, before = built
    (workspace / "content/kim-b/2025-11-30-rusak.md").write_text(BAD_ARTICLE, encoding="utf-8")
    with pytest.raises(KimsiteError) as failure:
        build(workspace, BuildOptions(now=NOW))
    assert any(p.code == "date_invalid" and p.file == "content/kim-b/2025-11-30-rusak.md"
               for p in failure.value.problems)
    assert snapshot(workspace / "_site") == before
    assert siblings(workspace) == ["_site"]
    # Fixing the problem builds again, and the failed attempt left nothing behind in the cache.
    (workspace / "content/kim-b/2025-11-30-rusak.md").unlink()
    result = build(workspace, BuildOptions(now=NOW))
    assert snapshot(result.output_dir) == before


def _break_template(workspace: Path) -> None:
    templates = workspace / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "article.html").write_text('{% extends "default/article.html" %}'
                                            "{% block after_body %}{{ no_such_variable.attribute }}{% endblock %}",
                                            encoding="utf-8")


@pytest.mark.parametrize("use_cache", [True, False], ids=["incremental", "full"])
def test_render_error_leaves_site_untouched(built, use_cache: bool):
    workspace, before = built
    if not use_cache:
        shutil.rmtree(workspace / ".kimsite")  # no manifest: a full build into a staging folder
    _break_template(workspace)
    with pytest.raises(KimsiteError) as failure:
        build(workspace, BuildOptions(now=NOW))
    assert any(p.code == "template_error" for p in failure.value.problems)
    assert snapshot(workspace / "_site") == before
    assert siblings(workspace) == ["_site"]


def test_failure_without_earlier_output_creates_nothing(tmp_path: Path):
    workspace = tmp_path / "ws"
    shutil.copytree(FIXTURE, workspace)
    (workspace / "content/kim-a/2025-11-30-rusak.md").write_text(BAD_ARTICLE, encoding="utf-8")
    with pytest.raises(KimsiteError):
        build(workspace, BuildOptions(now=NOW))
    assert siblings(workspace) == []


def test_killed_build_leftovers_are_discarded(built):
    """A build killed before its commit point leaves a staging folder; the next run discards it."""
    from kimsite.write.writer import OutputWriter

    workspace, before = built
    output = workspace / "_site"
    writer = OutputWriter(output, workspace / ".kimsite", full=False)
    (writer.staging / "kim-a").mkdir(parents=True)
    (writer.staging / "kim-a" / "index.html").write_bytes(b"half-written")
    # the process "dies" here, before commit(): nothing of it may ever reach the output
    result = build(workspace, BuildOptions(now=NOW))
    assert snapshot(result.output_dir) == before
    assert siblings(workspace) == ["_site"]


# --- failures of the machine: disk full, permission denied, a name too long -----------------------
# Each ends with exit 1, a message naming the file, no traceback, nothing beside the output, and
# the previous output as it was (or, after a rollback that failed too, rebuilt whole next time).

import errno  # noqa: E402
import sqlite3  # noqa: E402
import tempfile  # noqa: E402

from safety import files, invoke, leftovers, run_kimsite, set_writable, unprivileged  # noqa: E402

from kimsite.write import writer  # noqa: E402
from kimsite.workspace.cache import BuildCache  # noqa: E402


def _edit(workspace: Path) -> None:
    good = workspace / "content/kim-a/2025-01-15-posyandu-balita.md"
    good.write_text(good.read_text(encoding="utf-8").replace("dua ratus", "tiga ratus"), encoding="utf-8")
    (workspace / "content/kim-b" / "2025-02-01-baru.md").write_text(
        "---\ntitle: Kabar Baru\ndate: 2025-02-01\n---\n\nIsi kabar baru.\n", encoding="utf-8")
    (workspace / "content/kim-a/2024-06-05-pelatihan-menulis.md").unlink()


def _clean_build_of(workspace: Path, tmp_path: Path) -> dict[str, bytes]:
    clean = tmp_path / "clean"
    shutil.copytree(workspace, clean, ignore=shutil.ignore_patterns("_site", ".kimsite", "._site*"))
    return files(build(clean, BuildOptions(now=NOW)).output_dir)


def _no_space(staging: Path, rel_path: str, data: bytes) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.path.join(staging, rel_path))


@pytest.mark.parametrize("args", [[], ["--no-cache"]], ids=["incremental", "no-cache"])
def test_disk_full_while_writing_the_output(built, monkeypatch, args: list[str]):
    workspace, before = built
    _edit(workspace)
    monkeypatch.setattr(writer, "stage", _no_space)
    result = invoke("build", "-C", str(workspace), *args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert re.search(r"^_site/\S+: error: the disk is full while writing _site/\S+: free some disk space",
                     result.stderr, re.MULTILINE), result.stderr
    assert "The previous _site/ was left unchanged." in result.stderr
    assert snapshot(workspace / "_site") == before
    assert siblings(workspace) == ["_site"] and not (workspace / ".kimsite" / writer.JOURNAL).exists()


def test_disk_full_in_the_cache(built, monkeypatch, tmp_path: Path):
    workspace, before = built
    _edit(workspace)

    def full(self):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(BuildCache, "commit", full)
    result = invoke("build", "-C", str(workspace))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert ".kimsite/cache.sqlite: error: the disk is full while writing .kimsite/cache.sqlite" in result.stderr
    assert snapshot(workspace / "_site") == before and siblings(workspace) == ["_site"]
    monkeypatch.undo()
    assert invoke("build", "-C", str(workspace)).exit_code == 0
    assert files(workspace / "_site") == _clean_build_of(workspace, tmp_path)


_real_move = writer._move


def _failing_moves(monkeypatch, after: int, error: int, forever: bool = False) -> None:
    """The commit's file moves fail from the `after`-th on (once, or every time)."""
    real_move, calls = writer._move, []

    def move(source, target, rel):
        calls.append(rel)
        if len(calls) == after or forever and len(calls) > after:
            raise OSError(error, os.strerror(error), str(target.path / rel))
        real_move(source, target, rel)

    monkeypatch.setattr(writer, "_move", move)


@pytest.mark.parametrize("error", [errno.EACCES, errno.ENOSPC, errno.EROFS])
def test_incremental_commit_failing_midway_rolls_back(built, monkeypatch, tmp_path: Path, error: int):
    workspace, before = built
    _edit(workspace)
    _failing_moves(monkeypatch, after=5, error=error)
    result = invoke("build", "-C", str(workspace))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert ": error: " in result.stderr and "_site/" in result.stderr
    assert snapshot(workspace / "_site") == before  # wholly the old site
    assert siblings(workspace) == ["_site"] and not (workspace / ".kimsite" / writer.JOURNAL).exists()
    monkeypatch.undo()
    again = invoke("build", "-C", str(workspace))
    assert again.exit_code == 0, again.output
    assert files(workspace / "_site") == _clean_build_of(workspace, tmp_path)


def test_commit_that_can_be_neither_finished_nor_undone_is_rebuilt_whole(built, monkeypatch, tmp_path: Path):
    workspace, _ = built
    _edit(workspace)
    _failing_moves(monkeypatch, after=5, error=errno.EIO, forever=True)
    result = invoke("build", "-C", str(workspace))
    assert result.exit_code == 1 and "cannot be written" in result.stderr
    monkeypatch.undo()
    again = invoke("build", "-C", str(workspace))
    assert again.exit_code == 0 and "up to date" not in again.stdout
    assert files(workspace / "_site") == _clean_build_of(workspace, tmp_path)
    assert siblings(workspace) == ["_site"]


def test_full_swap_failing_puts_the_previous_output_back(built, monkeypatch):
    workspace, before = built
    _edit(workspace)
    real_replace = os.replace
    monkeypatch.setattr(writer, "_exchange", lambda first, second: False)

    def replace(source, target, **kwargs):
        if str(target) == str(workspace / "_site") and ".kimsite-new" in str(source):
            raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(target))
        return real_replace(source, target, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    result = invoke("build", "-C", str(workspace), "--no-cache")
    monkeypatch.undo()
    assert result.exit_code == 1 and "not allowed to write _site" in result.stderr, result.output
    assert snapshot(workspace / "_site") == before and siblings(workspace) == ["_site"]


def test_file_name_too_long_for_the_file_system(built):
    workspace, before = built
    media = workspace / "content/kim-a/media"
    long_name = "foto-" + "panjang" * 35 + ".png"  # 254 characters: its resized versions cannot be named
    shutil.copyfile(media / "foto.png", media / long_name)
    result = run_kimsite("build", "-C", str(workspace))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "error: a file name is too long for the file system: _site/kim-a/media/foto-panjang" in result.stderr
    assert "shorten the name of its source file in content/" in result.stderr
    assert snapshot(workspace / "_site") == before and siblings(workspace) == ["_site"]


def test_permissions_are_obeyed_by_a_user_they_apply_to():
    """Real permission bits, as a non-root user (root ignores them): a read-only output folder, a
    state folder that cannot be written, a cache that cannot be read."""
    prefix = unprivileged()
    if prefix is None:
        assert os.environ.get("CI") != "true", "CI must run the permission tests: install setpriv (util-linux)"
        pytest.skip("neither setpriv nor runuser is installed: permission bits cannot be tested as root")
    base = Path(tempfile.mkdtemp(prefix="kimsite-permissions-"))
    try:
        os.chmod(base, 0o755)
        workspace = base / "ws"
        shutil.copytree(FIXTURE, workspace)
        if "--reuid=65534" in prefix or "nobody" in prefix:
            for current, dirs, names in os.walk(base):
                for name in [current, *(os.path.join(current, n) for n in dirs + names)]:
                    os.lchown(name, 65534, 65534)
        assert run_kimsite("build", "-C", str(workspace), user=prefix).returncode == 0
        before = snapshot(workspace / "_site")
        _edit(workspace)

        set_writable(workspace / "_site", False)  # a read-only output folder
        result = run_kimsite("build", "-C", str(workspace), user=prefix)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        assert re.search(r"error: not allowed to write _site/\S+ \(Permission denied\)", result.stderr), result.stderr
        assert snapshot(workspace / "_site") == before
        assert leftovers(workspace) == [] and not (workspace / ".kimsite" / writer.JOURNAL).exists()
        set_writable(workspace / "_site", True)

        set_writable(workspace / ".kimsite", False)  # a state folder that cannot be written
        result = run_kimsite("build", "-C", str(workspace), user=prefix)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert "error: not allowed to write .kimsite/" in result.stderr or \
            "error: the folder .kimsite/ cannot be written" in result.stderr, result.stderr
        assert snapshot(workspace / "_site") == before and leftovers(workspace) == []
        set_writable(workspace / ".kimsite", True)

        os.chmod(workspace / ".kimsite" / "cache.sqlite", 0)  # a cache that cannot be read
        result = run_kimsite("build", "-C", str(workspace), user=prefix)
        assert result.returncode == 0, result.stderr
        assert "the cache in .kimsite/ was damaged or stale and is rebuilt" in result.stderr
        assert snapshot(workspace / "_site") != before and leftovers(workspace) == []

        shutil.rmtree(workspace / ".kimsite")  # a read-only checkout, built into a folder elsewhere
        set_writable(workspace, False)
        result = run_kimsite("build", "-C", str(workspace), "--no-cache", "-o", str(base / "elsewhere"),
                             user=prefix)
        # The lock goes to the temporary folder; the picture cache still needs .kimsite/: a message.
        assert "Traceback" not in result.stderr and not (workspace / ".kimsite").exists()
        assert result.returncode == 0 and (base / "elsewhere" / "index.html").is_file() or \
            result.returncode == 1 and "error: not allowed to write .kimsite (Permission denied)" in result.stderr
    finally:
        set_writable(base, True)
        shutil.rmtree(base, ignore_errors=True)


def test_commit_touching_more_folders_than_are_kept_open(tmp_path: Path):
    """The commit opens folders without following links and keeps at most a few hundred open:
    a commit into 700 folders, then its rollback, both complete."""
    output = tmp_path / "_site"
    (output / writer.MARKER).mkdir(parents=True)
    moves = [f"kim-{i % 7}/{i}/index.html" for i in range(700)]
    for rel in moves[::2]:  # half of them replace published files
        (output / rel).parent.mkdir(parents=True, exist_ok=True)
        (output / rel).write_text("old", encoding="utf-8")
    before = snapshot(output)
    state = tmp_path / ".kimsite"
    state.mkdir()
    staged = writer.OutputWriter(output, state, full=False)
    for rel in moves:
        writer.stage(staged.staging, rel, b"new")
    staged.commit()
    assert snapshot(output) == {**before, **{rel: b"new" for rel in moves}}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".kimsite", "_site"]
    changes = writer._Changes(output, moves, [])
    (output.parent / "._site.kimsite-undo").mkdir()
    changes.roll_back()  # nothing in the undo folder and nothing staged: every moved file is taken away
    assert snapshot(output) == {}


def test_commits_without_folder_descriptors(built, monkeypatch, tmp_path: Path):
    """Where the system has no folder descriptors (Windows), commits check each path instead:
    the same rollback and the same refusal to write through a link."""
    monkeypatch.setattr(writer, "_FD_MODE", False)
    test_commit_touching_more_folders_than_are_kept_open(tmp_path / "many")
    workspace, before = built
    _edit(workspace)
    _failing_moves(monkeypatch, after=5, error=errno.EACCES)
    assert invoke("build", "-C", str(workspace)).exit_code == 1
    assert snapshot(workspace / "_site") == before and siblings(workspace) == ["_site"]
    monkeypatch.setattr(writer, "_move", _real_move)
    outside = tmp_path / "outside"
    outside.mkdir()
    kim = workspace / "_site" / "kim-a"
    target = next(p.parent for p in kim.rglob("index.html") if p.parent.name == "posyandu-balita")
    shutil.rmtree(target)
    target.symlink_to(outside)
    assert invoke("build", "-C", str(workspace)).exit_code == 0
    assert list(outside.iterdir()) == [] and not target.is_symlink()
    assert files(workspace / "_site") == _clean_build_of(workspace, tmp_path)

