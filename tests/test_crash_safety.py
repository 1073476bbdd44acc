"""A build killed at any moment never leaves a broken site, and the next build repairs everything.

The demo regency is built once; then 200 generated articles are added and `kimsite build`
runs as a user runs it (a subprocess, workers included) and is killed with SIGKILL at
seeded random moments. After each kill:

* the output is byte-identical to the previous site (the kill came before the commit
  point), or byte-identical to a clean build of the new input (the kill came after it);
  for an incremental build killed while it moves committed files into place, the journal
  in .kimsite/ must exist (the next run finishes the moves);
* the next `kimsite build` succeeds (exit 0) and its output equals a clean build of the
  same input, byte for byte, file list included; nothing is left next to the output.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import copy_demo

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-06-01T10:00:00+07:00"
GENERATED = 200
KIM = "content/maniis-harmonis"
SEED = 20261123
KILLS = 3


def run_build(workspace: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kimsite", "build", "-C", str(workspace), *args],
                          capture_output=True, text=True, env=_env(), timeout=timeout)


def _env() -> dict[str, str]:
    return {**os.environ, "KIMSITE_NOW": NOW, "KIMSITE_LANG": "en", "PYTHONHASHSEED": "0"}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of a folder by relative path -> content hash."""
    return {p.relative_to(folder).as_posix(): hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def describe_difference(got: dict[str, str], want: dict[str, str]) -> str:
    missing, extra = sorted(want.keys() - got.keys()), sorted(got.keys() - want.keys())
    changed = sorted(p for p in want.keys() & got.keys() if want[p] != got[p])
    return (f"missing {missing[:5]} ({len(missing)}), extra {extra[:5]} ({len(extra)}), "
            f"changed {changed[:5]} ({len(changed)})")


def copy_sources(source: Path, target: Path, with_state: bool) -> Path:
    """A copy of a workspace; with its output and cache (`with_state`) or sources only."""
    ignore = None if with_state else shutil.ignore_patterns("_site", ".kimsite", ".*kimsite-*")
    shutil.copytree(source, target, symlinks=True, ignore=ignore)
    return target


def clean_output(workspace: Path, scratch: Path) -> dict[str, str]:
    """The output of a clean build (fresh copy: no cache, no previous output) of `workspace`'s sources."""
    fresh = copy_sources(workspace, scratch, with_state=False)
    result = run_build(fresh)
    assert result.returncode == 0, result.stderr
    return snapshot(fresh / "_site")


def add_articles(workspace: Path, count: int, start: int = 0, marker: str = "") -> None:
    folder = workspace / KIM
    for i in range(start, start + count):
        month, day = 1 + i % 12, 1 + i % 28
        (folder / f"2024-{month:02d}-{day:02d}-uji-{i:04d}.md").write_text(
            f"---\ntitle: Artikel uji {i}{marker}\ndate: 2024-{month:02d}-{day:02d} 08:{i % 60:02d}\n"
            f"category: Uji {i % 5}\ntags: [t{i % 7}]\n---\n\n" + f"Paragraf {i}{marker} berisi teks. " * 30 + "\n",
            encoding="utf-8")


def leftovers(workspace: Path) -> list[str]:
    from safety import wait_for_trash

    wait_for_trash(workspace)  # a replaced output is deleted by a process of its own
    return sorted(p.name for p in workspace.iterdir() if "kimsite-" in p.name)


def kill_during_build(workspace: Path, after: float) -> bool:
    """Start a build and SIGKILL it (with its workers) after `after` seconds; True if it was still running."""
    process = subprocess.Popen([sys.executable, "-m", "kimsite", "build", "-C", str(workspace)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(),
                               start_new_session=True)
    try:
        process.wait(timeout=after)
        return False  # finished before the kill
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return True


@pytest.fixture(scope="module")
def states(tmp_path_factory) -> dict:
    """Built workspaces and the outputs they must have: before, after the change, after an edit."""
    base = tmp_path_factory.mktemp("crash")
    demo = base / "demo"
    copy_demo(demo)
    first = run_build(demo)
    assert first.returncode == 0, first.stderr
    old = snapshot(demo / "_site")
    add_articles(demo, GENERATED)  # the larger change, not built yet
    new = clean_output(demo, base / "clean-new")
    # How long the build that the tests kill takes (previous output and cache present).
    probe = copy_sources(demo, base / "probe-full", with_state=True)
    started = time.perf_counter()
    assert run_build(probe).returncode == 0
    full_seconds = time.perf_counter() - started
    assert snapshot(probe / "_site") == new

    built = copy_sources(demo, base / "built", with_state=True)
    done = run_build(built)
    assert done.returncode == 0, done.stderr
    assert snapshot(built / "_site") == new
    # An incremental change: 60 articles edited, 20 removed, 20 added.
    for i in range(60):
        path = next((built / KIM).glob(f"*-uji-{i:04d}.md"))
        path.write_text(path.read_text(encoding="utf-8").replace("berisi teks", "berisi teks baru"),
                        encoding="utf-8")
    for i in range(60, 80):
        next((built / KIM).glob(f"*-uji-{i:04d}.md")).unlink()
    add_articles(built, 20, start=GENERATED, marker=" (baru)")
    edited = clean_output(built, base / "clean-edited")
    probe = copy_sources(built, base / "probe-incremental", with_state=True)
    started = time.perf_counter()
    assert run_build(probe).returncode == 0
    incremental_seconds = time.perf_counter() - started
    assert snapshot(probe / "_site") == edited
    return {"demo": demo, "old": old, "new": new, "full_seconds": full_seconds, "built": built,
            "edited": edited, "incremental_seconds": incremental_seconds}


def _moments(seconds: float, salt: int) -> list[float]:
    """KILLS moments spread over the build (one per equal slice, seeded), the process start excluded."""
    rng = random.Random(SEED + salt)
    start, end = 0.4, max(0.8, seconds * 0.85)
    width = (end - start) / KILLS
    return [round(start + width * (i + rng.random()), 2) for i in range(KILLS)]


@pytest.mark.parametrize("index", range(KILLS))
def test_killed_full_build_leaves_previous_site(states: dict, tmp_path: Path, index: int) -> None:
    moment = _moments(states["full_seconds"], 0)[index]
    workspace = copy_sources(states["demo"], tmp_path / "ws", with_state=True)
    assert snapshot(workspace / "_site") == states["old"]
    killed = kill_during_build(workspace, moment)
    after_kill = snapshot(workspace / "_site")
    # Before the commit point the previous site is untouched; after it, the site is the new one.
    assert after_kill in (states["old"], states["new"]), (
        f"killed at {moment} s: the site is neither the previous one nor the new one: "
        f"{describe_difference(after_kill, states['old'])}")
    if not killed:
        assert after_kill == states["new"]
    print(f"full build killed at {moment} s of {states['full_seconds']:.1f} s: site is "
          f"{'the previous one' if after_kill == states['old'] else 'the new one'}{'' if killed else ' (finished)'}")
    result = run_build(workspace)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    got = snapshot(workspace / "_site")
    assert got == states["new"], describe_difference(got, states["new"])
    assert leftovers(workspace) == []


@pytest.mark.parametrize("index", range(KILLS))
def test_killed_incremental_build_is_completed_by_the_next(states: dict, tmp_path: Path, index: int) -> None:
    moment = _moments(states["incremental_seconds"], 1)[index]
    workspace = copy_sources(states["built"], tmp_path / "ws", with_state=True)
    before = snapshot(workspace / "_site")
    assert before == states["new"]
    kill_during_build(workspace, moment)
    after_kill = snapshot(workspace / "_site")
    if after_kill not in (states["new"], states["edited"]):
        # Only allowed between the commit point and the end of the moves: the journal is there.
        assert (workspace / ".kimsite" / "journal.json").is_file(), (
            f"killed at {moment} s: half-updated site without a journal: "
            f"{describe_difference(after_kill, states['new'])}")
    state = ("the previous one" if after_kill == states["new"] else "the new one" if after_kill == states["edited"]
             else "half-moved, journal present")
    print(f"incremental build killed at {moment} s of {states['incremental_seconds']:.1f} s: site is {state}")
    result = run_build(workspace)
    assert result.returncode == 0, result.stderr
    got = snapshot(workspace / "_site")
    assert got == states["edited"], describe_difference(got, states["edited"])
    assert leftovers(workspace) == []
    assert not (workspace / ".kimsite" / "journal.json").exists()


def test_kill_right_at_start_and_twice_in_a_row(states: dict, tmp_path: Path) -> None:
    """Two kills before any build completes (a second interruption during recovery) still repair."""
    workspace = copy_sources(states["demo"], tmp_path / "ws", with_state=True)
    kill_during_build(workspace, 0.2)
    kill_during_build(workspace, max(0.5, states["full_seconds"] * 0.5))
    assert snapshot(workspace / "_site") in (states["old"], states["new"])
    result = run_build(workspace)
    assert result.returncode == 0, result.stderr
    assert snapshot(workspace / "_site") == states["new"]
    assert leftovers(workspace) == []


def test_interrupted_build_leaves_usable_cache(states: dict, tmp_path: Path) -> None:
    """After a kill, a no-change rebuild following the repair does nothing (the cache was kept consistent)."""
    workspace = copy_sources(states["demo"], tmp_path / "ws", with_state=True)
    kill_during_build(workspace, max(0.5, states["full_seconds"] * 0.6))
    assert run_build(workspace).returncode == 0
    again = run_build(workspace)
    assert again.returncode == 0, again.stderr
    assert "up to date" in again.stdout or "up-to-date" in again.stdout or "mutakhir" in again.stdout, again.stdout
    assert snapshot(workspace / "_site") == states["new"]


# --- kills while another build waits for the lock; `kimsite check` after a kill -------------------

def _start_build(workspace: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kimsite", "build", "-C", str(workspace)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
                            start_new_session=True)


@pytest.mark.parametrize("kind", ["full", "incremental"])
def test_build_waiting_for_a_killed_build_finishes_its_work(states: dict, tmp_path: Path, kind: str) -> None:
    """Two builds started at once; the one holding the lock is killed at a random moment. The
    other one takes the lock (a killed process holds none), repairs and builds: exit 0 and the
    right site."""
    source, seconds, want = ((states["demo"], states["full_seconds"], states["new"]) if kind == "full"
                             else (states["built"], states["incremental_seconds"], states["edited"]))
    workspace = copy_sources(source, tmp_path / "ws", with_state=True)
    first = _start_build(workspace)
    time.sleep(0.3)  # the first one takes the lock
    second = _start_build(workspace)
    moment = _moments(seconds, 2 if kind == "full" else 3)[0]
    try:
        first.wait(timeout=moment)
    except subprocess.TimeoutExpired:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    _, stderr = second.communicate(timeout=300)
    assert second.returncode == 0, stderr
    assert "Traceback" not in stderr
    got = snapshot(workspace / "_site")
    assert got == want, describe_difference(got, want)
    assert leftovers(workspace) == [] and not (workspace / ".kimsite" / "journal.json").exists()


def test_check_after_a_killed_incremental_build_finishes_the_commit(states: dict, tmp_path: Path) -> None:
    moment = _moments(states["incremental_seconds"], 4)[1]
    workspace = copy_sources(states["built"], tmp_path / "ws", with_state=True)
    kill_during_build(workspace, moment)
    result = subprocess.run([sys.executable, "-m", "kimsite", "check", "-C", str(workspace)],
                            capture_output=True, text=True, env=_env(), timeout=300)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    assert not (workspace / ".kimsite" / "journal.json").exists() and leftovers(workspace) == []
    # The site is wholly one of the two: check finished the moves, or the kill came before them.
    assert snapshot(workspace / "_site") in (states["new"], states["edited"])
    assert run_build(workspace).returncode == 0
    assert snapshot(workspace / "_site") == states["edited"]
