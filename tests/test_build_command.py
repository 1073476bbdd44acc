"""`kimsite build` without click (kimsite.commands.build_command): the program's first step reads
the plain command lines itself, exactly as click reads them, and leaves every other one to
click; both ways the build prints the same lines and ends with the same exit code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st
from safety import ENV, fixture_copy

from kimsite import cli
from kimsite.commands.build_command import plain_options


def _click_params(arguments: list[str]) -> dict | None:
    """What click makes of `kimsite build ARGUMENTS` (None: it refuses them)."""
    try:
        context = cli.build.make_context("build", list(arguments[1:]), resilient_parsing=False)
    except Exception:  # noqa: BLE001 - click's usage errors and exits alike
        return None
    return context.params


def _as_click_would(values: dict) -> dict:
    return {"workspace": Path(values.get("-C", ".")), "site": None, "base_url": values.get("--base-url"),
            "output": None, "drafts": "--drafts" in values, "future": "--future" in values,
            "strict": "--strict" in values, "jobs": int(values["-j"]) if "-j" in values else None,
            "no_cache": False, "timings": "--timings" in values, "search": False, "quiet": "-q" in values,
            "for_publish": "--for-publish" in values, "lang": values.get("--lang")}


READ_HERE = [[], ["-q"], ["--quiet", "-j", "2"], ["--jobs=3", "--lang=en"], ["--lang", "id"],
             ["-C", "ws", "--timings", "--strict", "--drafts", "--future", "--base-url", "https://x.id/kim/"],
             ["--base-url=https://x.id/"], ["--for-publish", "-C", "."], ["-j", "64"], ["-j", "1"]]
LEFT_TO_CLICK = [["-q", "-q"], ["-j", "0"], ["-j", "65"], ["-j", "+3"], ["-j", " 3"], ["-j", "\u0663"],
                 ["--lang", "fr"], ["--lang", "EN"], ["-C"], ["-C", ""], ["--base-url", "-x"], ["--site", "a"],
                 ["--no-cache"], ["-h"], ["--help"], ["-qj2"], ["extra"], ["--jobs"], ["--timings=1"],
                 ["-o", "out"], ["--search"], ["--quiet", "--quiet"], ["-C", "a", "-C", "b"], ["--lang="]]


@pytest.mark.parametrize("options", READ_HERE, ids=" ".join)
def test_plain_command_lines_are_read_as_click_reads_them(options: list[str]):
    values = plain_options(["build", *options])
    assert values is not None
    assert _as_click_would(values) == _click_params(["build", *options])


@pytest.mark.parametrize("options", LEFT_TO_CLICK, ids=" ".join)
def test_anything_else_is_left_to_click(options: list[str]):
    assert plain_options(["build", *options]) is None


def test_other_commands_and_a_file_for_the_workspace_are_left_to_click(tmp_path: Path):
    for arguments in (["check"], ["serve"], [], ["--version"], ["Build"]):
        assert plain_options(arguments) is None
    file = tmp_path / "kimsite.yaml"
    file.write_text("x: 1\n", encoding="utf-8")
    assert plain_options(["build", "-C", str(file)]) is None
    assert _click_params(["build", "-C", str(file)]) is None  # click refuses it, and says why
    assert plain_options(["build", "-C", str(tmp_path / "not-yet")]) is not None  # the build says


TOKENS = ["-q", "--quiet", "--timings", "--strict", "--drafts", "--future", "--for-publish", "-j", "--jobs",
          "--lang", "--base-url", "-C", "id", "en", "2", "0", "99", "-1", "https://x.id/", ".", "--jobs=4",
          "--lang=en", "--base-url=", "--site", "-o", "=", "", "-", "--"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=6))
def test_whatever_is_read_here_click_reads_the_same(options: list[str]):
    values = plain_options(["build", *options])
    if values is not None:
        assert _as_click_would(values) == _click_params(["build", *options]), options


def _kimsite(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, **ENV, "PYTHONPROFILEIMPORTTIME": "1"}
    return subprocess.run([sys.executable, "-m", "kimsite", *arguments], capture_output=True, text=True,
                          env=environment, timeout=120, cwd=cwd)


def _without_import_times(stderr: str) -> str:
    return "".join(line + "\n" for line in stderr.splitlines() if not line.startswith("import time:"))


def _loaded(stderr: str) -> set[str]:
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


@pytest.mark.parametrize("case", ["built", "no workspace", "broken settings"])
def test_both_ways_print_the_same_and_end_the_same(tmp_path: Path, case: str, monkeypatch):
    root = fixture_copy(tmp_path / "ws")
    if case == "no workspace":
        (root / "kimsite.yaml").unlink()
    elif case == "broken settings":
        (root / "kimsite.yaml").write_text("base_url: [tidak, selesai\n", encoding="utf-8")
    arguments = ["build", "-C", str(root), "--timings", "--strict", "--lang", "en"]
    plain = _kimsite(arguments, tmp_path)
    assert "click" not in _loaded(plain.stderr)
    for made in ("_site", ".kimsite"):  # the same build again, not a no-change one
        shutil.rmtree(root / made, ignore_errors=True)
    monkeypatch.chdir(tmp_path)
    with_click = CliRunner().invoke(cli.main, arguments, env=ENV)
    assert plain.returncode == with_click.exit_code
    assert _numbers_out(plain.stdout) == _numbers_out(with_click.stdout)
    assert _numbers_out(_without_import_times(plain.stderr)) == _numbers_out(with_click.stderr)
    if case == "built":
        assert plain.returncode == 0 and " pages (" in plain.stdout
    else:
        assert plain.returncode == 1 and plain.stderr


def _numbers_out(text: str) -> str:
    import re

    return re.sub(r"\d+\.\d\d", "X", text)


def test_a_command_line_click_reads_still_works_and_says_what_is_wrong(tmp_path: Path):
    root = fixture_copy(tmp_path / "ws")
    done = _kimsite(["build", "-C", str(root), "-j", "0"], tmp_path)
    assert done.returncode == 2 and "click" in _loaded(done.stderr)
    assert "-j" in _without_import_times(done.stderr)
    done = _kimsite(["build", "-C", str(root), "--no-cache", "-q"], tmp_path)
    assert done.returncode == 0 and done.stdout == "" and "click" in _loaded(done.stderr)
