"""Shared test helpers: throwaway workspaces written from a dict of files."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

MINIMAL_CONFIG = """\
base_url: https://example.github.io/repo/
language: id
timezone: Asia/Jakarta
theme: default
output: _site
markdown: default
"""


def write_workspace(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create files under `root` (text is dedented); adds a kimsite.yaml when none is given."""
    root.mkdir(parents=True, exist_ok=True)
    if "kimsite.yaml" not in files:
        (root / "kimsite.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def make_workspace(tmp_path):
    def make(files: dict[str, str | bytes], name: str = "ws") -> Path:
        return write_workspace(tmp_path / name, files)

    return make


def copy_demo(target: Path) -> Path:
    """Copy the demo regency (the repository's own workspace) to `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("kimsite.yaml", "sites", "content", "feeds"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.is_file():
            shutil.copy2(source, target / name)
    return target


@pytest.fixture
def demo_copy(tmp_path) -> Path:
    """A copy of the demo regency in a temporary folder."""
    return copy_demo(tmp_path / "demo")


# --- browser tests: skipped on a newcomer's machine without Chromium, required in CI ----------

CHROMIUM = os.environ.get("KIMSITE_CHROMIUM", "/usr/bin/chromium")
BROWSER_INSTALL = "apt-get install chromium chromium-driver (Debian/Ubuntu), then pip install '.[test]'"


def browser_problem() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).is_file():
        return f"Chromium not found at {CHROMIUM}"
    if importlib.util.find_spec("playwright") is None:
        return "the Python package playwright is missing"
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


# --- what the suite needs of the checkout it runs from -----------------------------------------

GENERATED = ("_site", ".kimsite")  # a build's output and state folder (never committed)


def generated_in_fixtures() -> list[Path]:
    """Output or state a build left inside a fixture folder: the tests copy fixture folders whole,
    and a copied state folder turns a first build into a rebuild."""
    fixtures = REPO / "tests" / "fixtures"
    return sorted(path for name in GENERATED for path in fixtures.rglob(name) if path.is_dir())


def kimsite_seen_by_children() -> tuple[str, str]:
    """(the kimsite package this process imports, the one a `python -m kimsite` child started in
    another folder imports), as folders; for the child, what it said instead when it could not."""
    import kimsite

    here = str(Path(kimsite.__file__).resolve().parent)
    child = subprocess.run([sys.executable, "-c", "import kimsite, pathlib; "
                            "print(pathlib.Path(kimsite.__file__).resolve().parent)"],
                           cwd=REPO / "tests", capture_output=True, text=True, timeout=60)
    return here, child.stdout.strip() or child.stderr.strip()[-300:]


def code_digest(package: Path) -> str:
    """A digest of the Python files of a kimsite package folder (a checkout and its installed copy
    match)."""
    hasher = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*.py")):
        hasher.update(f"{path.relative_to(package).as_posix()}\0{path.stat().st_size}\0".encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def pytest_sessionstart(session):
    """Stop before running anything when the results could not be trusted."""
    if hasattr(session.config, "workerinput"):  # pytest-xdist: the controller checks once
        return
    leftovers = generated_in_fixtures()
    if leftovers:
        listed = ", ".join(str(path.relative_to(REPO)) for path in leftovers)
        pytest.exit(f"generated output inside test fixtures: {listed}. A build was run in a fixture "
                    "folder; remove these folders (they are never committed) and run again.", returncode=4)
    here, child = kimsite_seen_by_children()
    install = ("Install this checkout (pip install '.[test]' or pip install -e '.[test]'), or put it first on "
               "PYTHONPATH, and run again.")
    if not Path(child).is_dir():
        pytest.exit(f"a `python -m kimsite` child process cannot import kimsite ({child}). {install}", returncode=4)
    if here != child and code_digest(Path(here)) != code_digest(Path(child)):
        pytest.exit(f"the tests import kimsite from {here}, but `python -m kimsite` in a child process imports "
                    f"{child}, whose code differs: two versions would be tested at once. {install}", returncode=4)


def pytest_report_header(config):
    problem = browser_problem()
    if problem is None:
        return f"browser tests: Chromium at {CHROMIUM}"
    if in_ci():
        return f"browser tests: {problem} (CI is set: they fail)"
    return f"browser tests: skipped ({problem}); to run them: {BROWSER_INSTALL}"


def pytest_runtest_setup(item):
    """Skip from here (not with a marker) so the summary shows one line for all of them."""
    if item.get_closest_marker("browser") is None:
        return
    problem = browser_problem()
    if problem is not None and not in_ci():
        pytest.skip(f"browser tests need Chromium: {problem}. Install it with {BROWSER_INSTALL}; "
                    "with CI=true a missing browser fails")
