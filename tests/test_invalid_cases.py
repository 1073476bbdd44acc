"""Every folder in tests/fixtures/invalid/ is a broken workspace with the messages it must produce.

The CLI is run as a user runs it (`python -m kimsite build -C <copy>`); each expected line
(or line start) must appear on stderr, and the exit code must be 1 when an error is expected,
0 when the case only warns. The same cases run once more with `--lang en`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CASES_DIR = Path(__file__).parent / "fixtures" / "invalid"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "expected.txt").is_file())
NOW = "2025-12-01T10:00:00+07:00"

# Cases the core does not handle yet: (case, lang) -> reason. Strict xfail, so a fix is noticed.
KNOWN_BUGS: dict[tuple[str, str], str] = {
}

PARAMS = [pytest.param(case, lang, id=f"{case}-{lang}",
                       marks=[pytest.mark.xfail(reason=KNOWN_BUGS[(case, lang)], strict=True)]
                       if (case, lang) in KNOWN_BUGS else [])
          for case in CASES for lang in ("id", "en")]


def run_cli(workspace: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KIMSITE_NOW": NOW, "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    env.pop("KIMSITE_LANG", None)
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    return subprocess.run([sys.executable, "-m", "kimsite", "build", "-C", str(workspace), *args],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)


def expected_lines(case: str, lang: str) -> list[str]:
    name = "expected.txt" if lang == "id" else "expected.en.txt"
    text = (CASES_DIR / case / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def test_every_case_has_both_languages():
    assert len(CASES) >= 7
    for case in CASES:
        assert (CASES_DIR / case / "expected.en.txt").is_file(), case
        assert (CASES_DIR / case / "kimsite.yaml").is_file(), case


@pytest.mark.parametrize("case,lang", PARAMS)
def test_invalid_case(case: str, lang: str, tmp_path: Path):
    workspace = tmp_path / case
    shutil.copytree(CASES_DIR / case, workspace, ignore=shutil.ignore_patterns("expected*.txt"))
    args = () if lang == "id" else ("--lang", "en")  # Indonesian must be the default
    result = run_cli(workspace, *args)
    assert "Traceback" not in result.stderr, result.stderr
    lines = expected_lines(case, lang)
    error_label = ": galat: " if lang == "id" else ": error: "
    expects_error = any(error_label in line for line in lines)
    assert result.returncode == (1 if expects_error else 0), result.stderr
    stderr_lines = result.stderr.splitlines()
    for line in lines:
        assert any(got.startswith(line) for got in stderr_lines), \
            f"missing on stderr: {line!r}\n--- stderr ---\n{result.stderr}"
    other_labels = (": error: ", ": warning: ") if lang == "id" else (": galat: ", ": peringatan: ")
    assert not any(label in result.stderr for label in other_labels), result.stderr
    if expects_error:
        assert not (workspace / "_site").exists(), "a failed build must not create the output"
    else:
        assert (workspace / "_site" / "kim-a" / "index.html").is_file()
