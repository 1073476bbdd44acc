"""Shared test helpers: throwaway workspaces written from a dict of files."""

from __future__ import annotations

import shutil
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
