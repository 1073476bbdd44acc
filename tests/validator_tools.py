"""The independent validators the suite runs over built sites: the W3C Feed Validation Service's
code (tests/validators/) and the Nu HTML Checker (npm package vnu-jar, run with Java).

A validator that cannot run here skips its tests with the reason, unless CI is set: then the
test fails, so a CI machine missing Java or npm cannot pass by skipping.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from artifact_lock import fetch_once

TESTS = Path(__file__).resolve().parent
FEED_VALIDATOR = TESTS / "validators" / "validate_feeds.py"
VNU_PACKAGE = "vnu-jar"
VNU_VERSION = "26.9.27"
VNU_CACHE = TESTS / "artifacts" / "npm" / f"vnu-jar-{VNU_VERSION}"
VNU_JAR = VNU_CACHE / "package" / "build" / "dist" / "vnu.jar"


def unavailable(reason: str) -> None:
    """Skip (on a newcomer's machine) or fail (in CI) a test whose validator cannot run."""
    if os.environ.get("CI"):
        pytest.fail(f"validator unavailable in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def feed_problems(site: Path, base_url: str) -> tuple[list[str], str]:
    """(errors, whole report) of the W3C feed validator over every feed and OPML file of `site`."""
    missing = [name for name in ("lxml", "html5lib", "rdflib") if importlib.util.find_spec(name) is None]
    if missing:
        unavailable(f"the feed validator needs {', '.join(missing)}: pip install '.[test]'")
    done = subprocess.run([sys.executable, str(FEED_VALIDATOR), str(site), base_url], capture_output=True,
                          text=True, timeout=600)
    report = done.stdout + done.stderr
    if done.returncode not in (0, 1) or not done.stdout.strip():
        pytest.fail(f"the feed validator did not run (exit {done.returncode}):\n{report[-3000:]}")
    errors = [line for line in done.stdout.splitlines() if ": error: " in line]
    assert (done.returncode == 1) == bool(errors), report[-3000:]
    return errors, report


def vnu_jar() -> Path:
    """vnu.jar from the pinned npm package, fetched once into tests/artifacts/ with `npm pack`."""
    return fetch_once(VNU_CACHE.parent, VNU_JAR, _fetch_vnu)


def _fetch_vnu() -> None:
    npm = shutil.which("npm")
    if npm is None:
        unavailable("npm is needed to fetch the Nu HTML Checker (apt-get install npm)")
    VNU_CACHE.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([npm, "pack", f"{VNU_PACKAGE}@{VNU_VERSION}", "--json", "--pack-destination",
                           str(VNU_CACHE)], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        unavailable(f"npm pack {VNU_PACKAGE}@{VNU_VERSION} failed: {done.stderr.strip()[-500:]}")
    tarball = VNU_CACHE / json.loads(done.stdout)[0]["filename"]
    with tarfile.open(tarball) as archive:
        archive.extractall(VNU_CACHE, filter="data")
    tarball.unlink()


def html_problems(*sites: Path) -> list[str]:
    """Every error the Nu HTML Checker finds in the HTML pages of `sites` (one Java run for all)."""
    java = shutil.which("java")
    if java is None:
        unavailable("Java is needed for the Nu HTML Checker (apt-get install default-jre-headless)")
    jar = vnu_jar()
    done = subprocess.run([java, "-Xss4m", "-jar", str(jar), "--errors-only", "--skip-non-html", "--format", "json",
                           *map(str, sites)], capture_output=True, text=True, timeout=900)
    output = done.stderr or done.stdout or "{}"
    try:  # the JSON report, after any line Java itself prints first ("Picked up JAVA_TOOL_OPTIONS…")
        report = re.search(r"^\{.*", output, re.MULTILINE | re.DOTALL)
        messages = json.loads(report.group(0) if report else output)["messages"]
    except (json.JSONDecodeError, KeyError, TypeError):
        pytest.fail(f"the Nu HTML Checker did not run (exit {done.returncode}):\n{(done.stderr or done.stdout)[-3000:]}")
    if done.returncode not in (0, 1):
        pytest.fail(f"the Nu HTML Checker failed (exit {done.returncode}): {done.stderr[-3000:]}")
    return [f"{m.get('url', '?')}:{m.get('lastLine', '?')}: {m.get('message', '')}"
            for m in messages if m.get("type") in ("error", "non-document-error")]
