"""The pinned editor bundle's npm package, fetched once into tests/artifacts/ (git-ignored) with
`npm pack`: the machine reaches the npm registry but no CDN. Its dist file must carry the
integrity hash kimsite pins, and its JSON schema checks the generated configuration."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from artifact_lock import fetch_once

from kimsite.cms import bundle

CACHE = Path(__file__).resolve().parent / "artifacts" / "npm"


def package_dir() -> Path:
    """The unpacked package folder; fails (or skips with KIMSITE_SKIP_NPM=1) without npm."""
    folder = CACHE / f"sveltia-cms-{bundle.VERSION}"
    fetch_once(CACHE, folder / "package" / bundle.FILE, lambda: _fetch(folder))
    return folder / "package"


def _fetch(folder: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        if os.environ.get("KIMSITE_SKIP_NPM") == "1":
            pytest.skip("npm is not installed (KIMSITE_SKIP_NPM=1)")
        pytest.fail("npm is needed to fetch the editor bundle (apt-get install npm), or set KIMSITE_SKIP_NPM=1",
                    pytrace=False)
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([npm, "pack", f"{bundle.PACKAGE}@{bundle.VERSION}", "--json", "--pack-destination",
                           str(folder)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    tarball = folder / json.loads(done.stdout)[0]["filename"]
    with tarfile.open(tarball) as archive:
        archive.extractall(folder, filter="data")


def bundle_bytes() -> bytes:
    return (package_dir() / bundle.FILE).read_bytes()


def integrity_of(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def config_schema() -> dict:
    return json.loads((package_dir() / "schema" / "sveltia-cms.json").read_text(encoding="utf-8"))
