"""One build at a time per workspace. Real `kimsite` processes are started at once: they take
turns on the lock `.kimsite/lock` (each ends well, the site equals a clean build), or, when
another holds the lock longer than KIMSITE_LOCK_TIMEOUT, stop with exit 1 and a message saying
so. `serve` keeps its own state folder and takes the same lock for each rebuild. A deleted or
altered output is noticed and rebuilt, never called up to date."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from safety import ENV, NOW, files, fixture_copy, leftovers, run_kimsite
from test_serve import ServeProcess

from kimsite.build import BuildOptions, build

HOLD = """
import sys, time
from pathlib import Path
from kimsite.workspace.lock import workspace_lock
with workspace_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(120)
"""


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory) -> dict[str, bytes]:
    root = fixture_copy(tmp_path_factory.mktemp("clean") / "ws")
    return files(build(root, BuildOptions(now=NOW, use_cache=False)).output_dir)


def _start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kimsite", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **ENV, **(env or {})})


class LockHolder:
    """Another process holding the workspace's build lock (as a build does) until killed."""

    def __init__(self, root: Path):
        self.process = subprocess.Popen([sys.executable, "-c", HOLD, str(root)],
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None and self.process.stdout.readline().strip() == "held"

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


def test_builds_started_at_once_take_turns(tmp_path: Path, clean_site: dict[str, bytes]):
    root = fixture_copy(tmp_path / "ws")
    builds = [_start("build", "-C", str(root)) for _ in range(3)] + [_start("check", "-C", str(root))]
    outcomes = [(process.wait(timeout=180), *process.communicate()) for process in builds]
    for code, stdout, stderr in outcomes:
        assert code == 0, stdout + stderr
        assert "Traceback" not in stderr
    assert sum("up to date" in stdout for _, stdout, _ in outcomes[:3]) >= 1  # the later ones found it done
    assert files(root / "_site") == clean_site
    assert leftovers(root) == [] and not (root / ".kimsite" / "journal.json").exists()


def test_builds_started_at_once_after_an_edit(tmp_path: Path, clean_site: dict[str, bytes]):
    """Incremental builds racing each other on an edited workspace end with the edited site."""
    root = fixture_copy(tmp_path / "ws")
    assert run_kimsite("build", "-C", str(root)).returncode == 0
    article = root / "content/kim-a/2025-01-15-posyandu-balita.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nTambahan.\n", encoding="utf-8")
    builds = [_start("build", "-C", str(root)) for _ in range(3)]
    for process in builds:
        code = process.wait(timeout=180)
        _, stderr = process.communicate()
        assert code == 0 and "Traceback" not in stderr, stderr
    page = next((root / "_site").rglob("posyandu-balita/index.html")).read_text(encoding="utf-8")
    assert "Tambahan." in page
    assert leftovers(root) == []


@pytest.mark.parametrize("command", [["build"], ["build", "--no-cache"], ["check"]])
def test_a_build_that_cannot_get_the_lock_says_so(tmp_path: Path, command: list[str]):
    root = fixture_copy(tmp_path / "ws")
    assert run_kimsite("build", "-C", str(root)).returncode == 0
    before = files(root / "_site")
    (root / "content/kim-a/2024-02-10-kerja-bakti-saluran.md").unlink()
    holder = LockHolder(root)
    try:
        result = run_kimsite(*command, "-C", str(root), env={"KIMSITE_LOCK_TIMEOUT": "0.3"})
    finally:
        holder.stop()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert ("kimsite: error: another build is running in this workspace (lock .kimsite/lock; waited 0.3 s): "
            "wait until it ends, then run again") in result.stdout + result.stderr
    assert files(root / "_site") == before and leftovers(root) == []
    assert run_kimsite("build", "-C", str(root)).returncode == 0  # the lock of a killed holder is free


def test_a_waiting_build_goes_on_when_the_lock_is_released(tmp_path: Path, clean_site: dict[str, bytes]):
    root = fixture_copy(tmp_path / "ws")
    holder = LockHolder(root)
    waiting = _start("build", "-C", str(root), env={"KIMSITE_LOCK_TIMEOUT": "60"})
    time.sleep(1.0)
    assert waiting.poll() is None  # still waiting
    holder.stop()
    assert waiting.wait(timeout=120) == 0, waiting.communicate()
    assert files(root / "_site") == clean_site


def test_serve_keeps_its_own_state_and_takes_turns_with_build(tmp_path: Path, clean_site: dict[str, bytes],
                                                              monkeypatch):
    root = fixture_copy(tmp_path / "ws")
    monkeypatch.setenv("KIMSITE_LOCK_TIMEOUT", "0.5")
    holder = LockHolder(root)
    server = ServeProcess(root)
    try:
        server.wait_for_output("pembangunan lain sedang berjalan di workspace ini")  # its first build waited
        server.wait_for_output("pratinjau siap")
        holder.stop()
        article = root / "content/kim-a/2025-01-15-posyandu-balita.md"
        article.write_text(article.read_text(encoding="utf-8") + "\nDari serve.\n", encoding="utf-8")
        server.wait_for_output("galat sudah diperbaiki")
        # While serve runs and rebuilds, builds of the published site run too, each in turn.
        monkeypatch.setenv("KIMSITE_LOCK_TIMEOUT", "60")
        built = [_start("build", "-C", str(root)) for _ in range(2)]
        article.write_text(article.read_text(encoding="utf-8") + "\nLagi.\n", encoding="utf-8")
        for process in built:
            assert process.wait(timeout=180) == 0, process.communicate()
        page = next((root / ".kimsite" / "serve").rglob("posyandu-balita/index.html"))
        deadline = time.monotonic() + 60
        while "Lagi." not in page.read_text(encoding="utf-8") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "Lagi." in page.read_text(encoding="utf-8")
    finally:
        server.stop()
        holder.stop()
    assert "Traceback" not in "".join(server.log)
    state = root / ".kimsite"
    assert (state / "serve-state" / "cache.sqlite").is_file() and (state / "cache.sqlite").is_file()
    assert not (state / "journal.json").exists() and not (state / "serve-state" / "journal.json").exists()
    assert run_kimsite("build", "-C", str(root)).returncode == 0
    assert "Lagi." in next((root / "_site").rglob("posyandu-balita/index.html")).read_text(encoding="utf-8")


DEEP_PAGE = "kim-a/2025/01/posyandu-balita/index.html"


def _alter_in_place(path: Path) -> None:
    """The same size, one byte different (an editor saving over the page, or a broken disk)."""
    data = bytearray(path.read_bytes())
    data[-2] = ord("X") if data[-2] != ord("X") else ord("Y")
    with open(path, "r+b") as handle:
        handle.write(bytes(data))


DAMAGES = ["output", "top-file", "kim-file", "kim-folder", "marker", "deep-edited", "deep-deleted", "deep-added",
           "deep-link", "deep-folder-deleted", "deep-named-pipe", "deep-folder-added", "deep-replaced-same-size"]


def damage_output(output: Path, damage: str, elsewhere: Path) -> None:
    """One of DAMAGES done to a built output of the fixture workspace (`elsewhere`: a folder
    outside the workspace, for a link's target)."""
    import shutil

    if damage == "output":
        shutil.rmtree(output)
    elif damage == "top-file":
        (output / "sitemap.xml").unlink()
    elif damage == "kim-file":
        (output / "kim-a" / "feed.xml").unlink()
    elif damage == "kim-folder":
        shutil.rmtree(output / "kim-b")
    elif damage == "marker":
        (output / ".kimsite-output").rmdir()
    elif damage == "deep-edited":
        _alter_in_place(output / DEEP_PAGE)
    elif damage == "deep-deleted":
        (output / DEEP_PAGE).unlink()
    elif damage == "deep-added":
        (output / DEEP_PAGE).with_name("stray.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    elif damage == "deep-link":
        (elsewhere / "secret.txt").write_text("secret", encoding="utf-8")
        (output / DEEP_PAGE).unlink()
        (output / DEEP_PAGE).symlink_to(elsewhere / "secret.txt")
    elif damage == "deep-named-pipe":
        (output / DEEP_PAGE).unlink()
        os.mkfifo(output / DEEP_PAGE)
    elif damage == "deep-folder-added":
        (output / DEEP_PAGE).parent.joinpath("lampiran").mkdir()
    elif damage == "deep-replaced-same-size":  # another file of the same size and time moved over it
        page = output / DEEP_PAGE
        data = bytearray(page.read_bytes())
        data[-2] = ord("X") if data[-2] != ord("X") else ord("Y")
        other = page.with_name("lain.html")
        other.write_bytes(bytes(data))
        times = os.stat(page)
        os.utime(other, ns=(times.st_atime_ns, times.st_mtime_ns))
        os.replace(other, page)
    else:
        assert damage == "deep-folder-deleted", damage
        shutil.rmtree((output / DEEP_PAGE).parent)


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_deleted_or_altered_output_is_rebuilt_not_up_to_date(tmp_path: Path, damage: str,
                                                             clean_site: dict[str, bytes]):
    root = fixture_copy(tmp_path / "ws")
    assert run_kimsite("build", "-C", str(root)).returncode == 0
    output = root / "_site"
    damage_output(output, damage, tmp_path)
    result = run_kimsite("build", "-C", str(root))
    assert result.returncode == 0, result.stderr
    assert "up to date" not in result.stdout
    assert files(output) == clean_site
    assert "up to date" in run_kimsite("build", "-C", str(root)).stdout


def test_lock_through_the_filelock_package_where_fcntl_is_missing(tmp_path: Path):
    """Windows has no fcntl: the same wait-then-refuse through the `filelock` package."""
    from kimsite.workspace import lock

    first, second = lock._PackageLock(str(tmp_path / "lock")), lock._PackageLock(str(tmp_path / "lock"))
    first.acquire(1)
    with pytest.raises(lock.LockBusy):
        second.acquire(0.2)
    first.release()
    second.acquire(1)
    second.release()
