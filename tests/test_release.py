"""The release workflow (.github/workflows/release.yml): valid for GitHub, publishes only what it
built and tested, with trusted publishing; and the version is written in one place."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from kimsite import __version__
from kimsite.commands.deploy import ACTIONS

RELEASE = REPO / ".github" / "workflows" / "release.yml"


@pytest.fixture(scope="module")
def release() -> dict:
    data = yaml.safe_load(RELEASE.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _schema_check(path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(path)], capture_output=True, text=True, env=env)


def test_release_workflow_validates_against_github_schema():
    done = _schema_check(RELEASE)
    assert done.returncode == 0, done.stdout + done.stderr


def test_schema_check_rejects_a_broken_release_workflow(tmp_path):
    broken = tmp_path / "release.yml"
    broken.write_text(RELEASE.read_text(encoding="utf-8").replace("    needs: build\n", "    needs: [[build]]\n"))
    assert _schema_check(broken).returncode == 1


def test_runs_on_version_tags_only(release):
    assert set(release["on"]) == {"push"}
    assert release["on"]["push"] == {"tags": ["v[0-9]*"]}
    assert release["permissions"] == {"contents": "read"}  # nothing more, except where a job asks


def test_build_job_builds_both_distributions_and_tests_the_wheel(release):
    build = release["jobs"]["build"]
    steps = build["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert uses[0] == ACTIONS["CHECKOUT"] and uses[1] == ACTIONS["SETUP_PYTHON"]  # same versions as Pages
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "python -m build --outdir dist/" in runs  # sdist and, from it, the wheel
    test_step = next(step for step in steps if "tests/test_wheel_install.py" in step.get("run", ""))
    assert test_step["env"]["KIMSITE_TEST_DIST"] == "dist"
    assert "KIMSITE_TEST_DIST" in (REPO / "tests" / "test_wheel_install.py").read_text(encoding="utf-8")
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "dist/" and upload["with"]["if-no-files-found"] == "error"
    assert "permissions" not in build and "environment" not in build


def test_publish_job_uses_trusted_publishing(release):
    publish = release["jobs"]["publish"]
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    assert publish["environment"]["url"] == "https://pypi.org/project/kimsite/"
    download, upload = publish["steps"]
    assert download["uses"].startswith("actions/download-artifact@") and download["with"]["name"] == "dist"
    assert upload["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert "with" not in upload  # no password or token: PyPI trusts the job's OIDC identity
    assert "secrets." not in RELEASE.read_text(encoding="utf-8")
    for job in release["jobs"].values():
        for step in job["steps"]:
            ref = step.get("uses", "")
            assert not ref or re.fullmatch(r"[\w.-]+/[\w.-]+@[\w./-]+", ref), ref


def _tag_check(release: dict) -> str:
    return next(s["run"] for s in release["jobs"]["build"]["steps"] if "GITHUB_REF_NAME" in s.get("run", ""))


@pytest.mark.parametrize("tag,ok", [(f"v{__version__}", True), ("v0.0.0-salah", False), (__version__, False)])
def test_the_tag_must_name_the_version(release, tag, ok):
    done = subprocess.run(["bash", "-e", "-c", _tag_check(release)], cwd=REPO, capture_output=True, text=True,
                          env=dict(os.environ, GITHUB_REF_NAME=tag))
    assert (done.returncode == 0) == ok, done.stdout + done.stderr
    if not ok:
        assert f"::error file=kimsite/__init__.py::tag {tag} does not match" in done.stdout


def test_version_is_written_in_one_place():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "kimsite/__init__.py"
    assert re.fullmatch(r"\d+\.\d+\.\d+((a|b|rc)\d+)?", __version__)
    written = [path for path in (REPO / "kimsite").rglob("*.py")
               if re.search(rf"['\"]{re.escape(__version__)}['\"]", path.read_text(encoding="utf-8"))]
    assert written == [REPO / "kimsite" / "__init__.py"]
    assert "build>=" in " ".join(project["project"]["optional-dependencies"]["test"])


def test_release_steps_are_documented():
    text = (REPO / "docs" / "release.md").read_text(encoding="utf-8")
    for needed in ("kimsite/__init__.py", "git tag v", "Trusted Publisher", "release.yml", "pypi",
                   "id-token"):
        assert needed in text, needed
