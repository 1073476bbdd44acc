"""fuzz/fuzz_rebuilds.py runs, its edits change the sources, and its comparison sees a difference."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from fuzz_helpers import FUZZ, load_tool

SCRIPT = FUZZ / "fuzz_rebuilds.py"


@pytest.mark.parametrize("way", [[], ["--session"]])
def test_the_campaign_runs_rounds(tmp_path: Path, way: list[str]) -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--minutes", "0.1", "--seed", "3", *way],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "every rebuild equals a clean build" in result.stdout
    assert int(result.stdout.split(" rounds")[0]) >= 1


def test_edits_change_the_sources(tmp_path: Path) -> None:
    fuzz = load_tool("fuzz_rebuilds")
    workspace = tmp_path / "ws"
    fuzz.copy_sources(fuzz.REPO, workspace)

    def sources() -> dict[str, bytes]:
        return {p.relative_to(workspace).as_posix(): p.read_bytes() for p in workspace.rglob("*") if p.is_file()}

    before = sources()
    rng = random.Random(1)
    done = [fuzz.edit(rng, workspace)[0] for _ in range(40)]
    after = sources()
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert len(changed) >= 10, done
    assert len({line.split(":")[0] for line in done}) >= 10  # many kinds of edit, not one


def test_output_differences_are_found(tmp_path: Path) -> None:
    fuzz = load_tool("fuzz_rebuilds")
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        (folder / "kim").mkdir(parents=True)
        (folder / "kim" / "index.html").write_text("<p>sama</p>", encoding="utf-8")
    assert fuzz.output_differences(first, second) == []
    (second / "kim" / "index.html").write_text("<p>beda</p>", encoding="utf-8")
    (first / "lama.html").write_text("x", encoding="utf-8")
    assert fuzz.output_differences(first, second) == ["only in the rebuilt output: lama.html",
                                                      "different bytes: kim/index.html"]
