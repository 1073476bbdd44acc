"""A failed build leaves the previous _site/ exactly as it was: same files, same bytes, and no
staging folders left beside it — whether it fails while reading content (an impossible date)
or later, while rendering (a broken template), and whether the build is full or incremental.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kimsite.build import BuildOptions, build
from kimsite.problems import KimsiteError

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
    from kimsite.writer import OutputWriter

    workspace, before = built
    output = workspace / "_site"
    writer = OutputWriter(output, workspace / ".kimsite", full=False)
    (writer.staging / "kim-a").mkdir(parents=True)
    (writer.staging / "kim-a" / "index.html").write_bytes(b"half-written")
    # the process "dies" here, before commit(): nothing of it may ever reach the output
    result = build(workspace, BuildOptions(now=NOW))
    assert snapshot(result.output_dir) == before
    assert siblings(workspace) == ["_site"]
