"""The distributions a release uploads work on their own.

`python -m build` makes the sdist and, from it, the wheel (as the release workflow does; with
KIMSITE_TEST_DIST=DIR the distributions already in DIR are tested instead). The wheel is
installed in a fresh virtualenv outside the source tree, with its dependencies from the
package index; from yet another folder, that `kimsite` builds a copy of the demo regency and
a new `kimsite init` workspace. Themes, templates and data files must all come from the wheel.

This file imports nothing from kimsite: the release workflow runs it before kimsite is installed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO, copy_demo

pytestmark = pytest.mark.slow


def _run(args: list, cwd: Path, env: dict, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _package_files() -> set[str]:
    """What the wheel must hold: the package's modules and data, and the built-in theme."""
    wanted = {p.relative_to(REPO).as_posix() for p in (REPO / "kimsite").rglob("*")
              if p.is_file() and "__pycache__" not in p.parts and p.suffix in (".py", ".yml")}
    wanted |= {"kimsite/" + p.relative_to(REPO).as_posix() for p in (REPO / "themes").rglob("*")
               if p.is_file() and not any(part.startswith(".") for part in p.parts)}
    return wanted


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> dict[str, Path]:
    given = os.environ.get("KIMSITE_TEST_DIST")
    folder = Path(given) if given else tmp_path_factory.mktemp("dist")
    if not given:
        done = _run([sys.executable, "-m", "build", "--outdir", folder, REPO], REPO, dict(os.environ))
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    wheels = sorted(folder.glob("kimsite-*.whl"))
    sdists = sorted(folder.glob("kimsite-*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, list(folder.iterdir())
    return {"wheel": wheels[0], "sdist": sdists[0]}


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory) -> dict:
    """A virtualenv with only the wheel and its dependencies, and the environment to run it."""
    base = tmp_path_factory.mktemp("installed")
    assert not base.resolve().is_relative_to(REPO)
    environment = base / "venv"
    done = _run([sys.executable, "-m", "venv", environment], base, dict(os.environ))
    assert done.returncode == 0, done.stderr
    python = environment / "bin" / "python"
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "KIMSITE_LANG")}
    env["PATH"] = str(environment / "bin") + os.pathsep + env.get("PATH", "")
    env["KIMSITE_LANG"] = "id"
    done = _run([python, "-m", "pip", "install", "--quiet", dist["wheel"]], base, env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    return {"python": python, "env": env, "cwd": elsewhere, "base": base}


def test_wheel_and_sdist_hold_every_module_theme_file_and_template(dist):
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        names = set(wheel.namelist())
    missing = _package_files() - names
    assert not missing, sorted(missing)[:20]
    assert "kimsite/workflow_template.yml" in names
    assert any(name.startswith("kimsite/themes/default/templates/") for name in names)
    version = re.search(r"^__version__ = \"(.+)\"$", (REPO / "kimsite" / "__init__.py").read_text(), re.M).group(1)
    assert dist["wheel"].name.startswith(f"kimsite-{version}-")
    with tarfile.open(dist["sdist"]) as sdist:
        inside = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"pyproject.toml", "themes/default/templates/base.html", "kimsite/__init__.py"} <= inside


def test_installed_kimsite_is_the_wheel(venv):
    done = _run([venv["python"], "-c", "import kimsite, sys; print(kimsite.__file__); print(sys.prefix)"],
                venv["cwd"], venv["env"])
    assert done.returncode == 0, done.stderr
    module, prefix = done.stdout.split()
    assert Path(module).resolve().is_relative_to(venv["base"].resolve())
    assert not Path(module).resolve().is_relative_to(REPO)
    version = _run(["kimsite", "--version"], venv["cwd"], venv["env"])
    assert version.returncode == 0 and re.search(r"kimsite, version \d", version.stdout), version.stdout


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "stylesheet" and values.get("href"):
            self.stylesheets.append(values["href"])


def _assert_styled(site: Path, page: Path, base_path: str) -> None:
    parser = _Assets()
    parser.feed(page.read_text(encoding="utf-8"))
    assert parser.stylesheets, f"{page} links no stylesheet"
    for href in parser.stylesheets:
        assert href.startswith(base_path), href
        target = site / href[len(base_path):].split("?")[0]
        assert target.is_file() and target.stat().st_size > 1000, href


def test_installed_wheel_builds_the_demo_from_another_folder(venv, tmp_path):
    demo = copy_demo(tmp_path / "demo")
    done = _run(["kimsite", "build", "-C", demo], venv["cwd"], venv["env"])
    assert done.returncode == 0, done.stdout + done.stderr
    site = demo / "_site"
    assert (site / "index.html").is_file() and (site / "sitemap.xml").is_file()
    _assert_styled(site, site / "maniis-harmonis" / "index.html", "/kim/")
    assert not list(venv["cwd"].iterdir()), "kimsite wrote into the folder it was run from"


def test_installed_wheel_inits_and_builds_a_new_workspace(venv):
    init = _run(["kimsite", "init", "desa-saya"], venv["cwd"], venv["env"])
    assert init.returncode == 0, init.stdout + init.stderr
    workspace = venv["cwd"] / "desa-saya"
    # a wheel installed from a file on this machine cannot be installed by GitHub: the user is told
    assert "peringatan: kimsite ini dipasang dari sumber yang tidak dapat dipasang" in init.stdout
    assert (workspace / ".github" / "workflows" / "pages.yml").is_file()
    done = _run(["kimsite", "build", "-q"], workspace, venv["env"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""  # --quiet: problems only
    site = workspace / "_site"
    _assert_styled(site, site / "kim-contoh" / "index.html", "/NAMA-REPO/")
    assert (workspace / "content" / "kim-contoh" / "media" / ".gitkeep").is_file()
    assert not [p for p in site.rglob(".gitkeep")]


@pytest.mark.parametrize("shell,marker", [("bash", "complete -o nosort -F _kimsite_completion kimsite"),
                                          ("zsh", "compdef _kimsite_completion kimsite"),
                                          ("fish", "complete --no-files --command kimsite")])
def test_installed_wheel_offers_the_documented_shell_completion(venv, shell, marker):
    env = dict(venv["env"], _KIMSITE_COMPLETE=f"{shell}_source")
    done = _run(["kimsite"], venv["cwd"], env)
    assert done.returncode == 0, done.stderr
    assert marker in done.stdout
    words = _run(["kimsite"], venv["cwd"], dict(venv["env"], _KIMSITE_COMPLETE="bash_complete",
                                                 COMP_WORDS="kimsite b", COMP_CWORD="1"))
    assert "plain,build" in words.stdout.split()
    for guide in ("panduan.md", "guide.md"):  # the guides show these very lines
        assert f"_KIMSITE_COMPLETE={shell}_source kimsite" in (REPO / "docs" / guide).read_text(encoding="utf-8")
