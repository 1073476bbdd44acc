"""What a build adds to its cache reaches the database file while the render workers work
(kimsite.workspace.cache.BuildCache.hold_checkpoints): the parse results are committed right
after parsing, as before, and survive a build that fails later; the cache a build leaves is
whole, and the workers that read bodies from it read everything this build parsed."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from kimsite import build as build_module
from kimsite.build import BuildOptions, build
from kimsite.base.problems import KimsiteError
from kimsite.parse import parallel, parsing
from kimsite.workspace.cache import BuildCache

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
from regen_golden import NOW  # noqa: E402
from safety import files  # noqa: E402


def _workspace(tmp_path: Path, name: str = "ws") -> Path:
    workspace = tmp_path / name
    shutil.copytree(TESTS / "fixtures" / "basic", workspace)
    return workspace


@pytest.fixture
def commits(monkeypatch) -> list[tuple[str, int]]:
    """Each commit and checkpoint of a cache in this process, with the automatic checkpoint
    threshold in force at that moment (0: held)."""
    seen: list[tuple[str, int]] = []
    commit, checkpoint = BuildCache.commit, BuildCache.checkpoint

    def threshold(cache: BuildCache) -> int:
        return cache.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]

    def recorded_commit(self: BuildCache) -> None:
        seen.append(("commit", threshold(self)))
        commit(self)

    def recorded_checkpoint(self: BuildCache) -> None:
        seen.append(("checkpoint", threshold(self)))
        checkpoint(self)

    monkeypatch.setattr(BuildCache, "commit", recorded_commit)
    monkeypatch.setattr(BuildCache, "checkpoint", recorded_checkpoint)
    return seen


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_log_is_checked_in_once_while_rendering(tmp_path: Path, monkeypatch, commits, jobs: int):
    workspace = _workspace(tmp_path)
    monkeypatch.setattr(build_module, "PARALLEL_RENDER_MIN", 1)  # render workers even for a few pages
    build(workspace, BuildOptions(now=NOW, jobs=jobs))
    # the parse results committed without copying the log; the log copied once, then as usual
    assert commits[0] == ("commit", 0)
    assert [event for event, _threshold in commits].count("checkpoint") == 1
    after = commits[[event for event, _ in commits].index("checkpoint") + 1:]
    assert after and all(threshold == 1000 for _event, threshold in after)
    # the build closed its cache: nothing is left in the log, and the database holds it all
    log = workspace / ".kimsite" / "cache.sqlite-wal"
    assert not log.exists() or log.stat().st_size == 0
    assert build(workspace, BuildOptions(now=NOW, jobs=jobs)).up_to_date


def test_parse_results_outlive_a_build_that_fails_before_rendering(tmp_path: Path, monkeypatch):
    """A build stopped by its content's errors (two articles at one address, found once every
    KIM is assembled) keeps what it parsed: the next build parses only what changed."""
    workspace = _workspace(tmp_path)
    kim = workspace / "content" / "kim-a"
    copy = kim / "2024-02-10-kerja-bakti-saluran-salinan.md"
    copy.write_text((kim / "2024-02-10-kerja-bakti-saluran.md").read_text(encoding="utf-8").replace(
        "title:", "slug: kerja-bakti-saluran\ntitle:", 1), encoding="utf-8")
    with pytest.raises(KimsiteError) as failed:
        build(workspace, BuildOptions(now=NOW, jobs=1))
    assert {problem.code for problem in failed.value.problems} == {"url_conflict"}
    log = workspace / ".kimsite" / "cache.sqlite-wal"
    assert not log.exists() or log.stat().st_size == 0  # the failed build's close checked it in
    copy.unlink()
    parsed: list[str] = []
    read_and_parse = parallel.read_and_parse

    def counting(source, path, settings):  # type: ignore[no-untyped-def]
        parsed.append(path)
        return read_and_parse(source, path, settings)

    monkeypatch.setattr(parallel, "read_and_parse", counting)
    result = build(workspace, BuildOptions(now=NOW, jobs=1))
    assert result.articles >= 5 and parsed == [], "nothing parsed again: the failed build's results were kept"


def test_workers_reading_bodies_from_the_cache_read_this_builds(tmp_path: Path, monkeypatch, commits):
    """Above KEEP_BODIES_MAX documents the render workers read bodies through their own
    connections: the log is copied in before they start, and they show what this build parsed."""
    workspace = _workspace(tmp_path)
    clean = build(_workspace(tmp_path, "clean"), BuildOptions(now=NOW, jobs=1, use_cache=False))
    monkeypatch.setattr(build_module, "PARALLEL_RENDER_MIN", 1)
    monkeypatch.setattr(parsing, "KEEP_BODIES_MAX", 0)
    result = build(workspace, BuildOptions(now=NOW, jobs=2))
    assert ("checkpoint", 0) in commits
    assert files(result.output_dir) == files(clean.output_dir)
    assert os.path.exists(workspace / ".kimsite" / "cache.sqlite")
