"""The README's test command on a newcomer's machine and in CI.

Without Chromium and without CI the browser tests are skipped with one reason that says how
to install it; with CI=true a missing browser fails them. `.ci/run` fails when a test fails
and when pytest collects nothing (exit 5), and sets CI so browser tests cannot be skipped.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

from conftest import REPO

BROWSER_TEST = "tests/test_browser.py::test_share_links_in_the_browser"


def _pytest(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=REPO,
                          env=environment, capture_output=True, text=True, timeout=300)


def test_missing_browser_is_skipped_with_one_reason_outside_ci():
    done = _pytest(BROWSER_TEST, "tests/test_browser.py::test_page_on_a_phone", KIMSITE_CHROMIUM="/nonexistent")
    assert done.returncode == 0, done.stdout[-3000:]
    reasons = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(reasons) == 1, reasons
    assert "apt-get install chromium chromium-driver" in reasons[0]
    assert int(re.search(r"SKIPPED \[(\d+)\]", reasons[0]).group(1)) >= 2  # all of them, on one line
    assert "browser tests: skipped" in done.stdout  # the report header says it too


def test_missing_browser_fails_in_ci():
    done = _pytest(BROWSER_TEST, KIMSITE_CHROMIUM="/nonexistent", CI="true")
    assert done.returncode == 1, done.stdout[-3000:]
    assert "Chromium not found at /nonexistent" in done.stdout
    assert "SKIPPED" not in done.stdout


def _fake_tools(folder: Path, pytest_exit: int) -> dict[str, str]:
    """pip, pytest, chromium, java and npm stand-ins: .ci/run's own logic runs, nothing is installed."""
    folder.mkdir()
    scripts = {"pip": "exit 0", "chromium": "exit 0", "java": "exit 0", "npm": "exit 0",
               "pytest": f'echo "CI=$CI args=$*" > "{folder}/pytest-ran"; exit {pytest_exit}'}
    for name, body in scripts.items():
        path = folder / name
        path.write_text(f"#!/usr/bin/env bash\n{body}\n", encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    environment["PATH"] = f"{folder}{os.pathsep}{environment.get('PATH', '')}"
    return environment


def test_ci_run_passes_only_when_tests_ran_and_passed(tmp_path):
    for pytest_exit, expected in ((0, 0), (1, 1), (2, 2), (5, 1)):
        tools = tmp_path / f"tools-{pytest_exit}"
        done = subprocess.run(["bash", str(REPO / ".ci" / "run"), "-x"], env=_fake_tools(tools, pytest_exit),
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == expected, (pytest_exit, done.stdout, done.stderr)
        assert (tools / "pytest-ran").read_text().strip() == "CI=true args=-x"
        if pytest_exit == 5:
            assert "collected no tests" in done.stderr
