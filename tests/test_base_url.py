"""The site's public address from the start: `kimsite init` reads it from the git remote (or a
CNAME file) and otherwise writes a placeholder; `kimsite check` warns when base_url disagrees
with the repository or cannot be a live site's address."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kimsite.cli import main
from kimsite.workspace.git_remote import PLACEHOLDER_BASE_URL, pages_address, unpublishable


@pytest.fixture(autouse=True)
def plain_git(tmp_path, monkeypatch):
    """No user-wide or system git settings leak into these tests."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_CONFIG_GLOBAL"):
        monkeypatch.delenv(name, raising=False)


def git_repo(folder: Path, remote: str | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(folder)], check=True)
    if remote:
        subprocess.run(["git", "-C", str(folder), "remote", "add", "origin", remote], check=True)
    return folder


def init(folder: Path, lang: str = "id"):
    return CliRunner().invoke(main, ["init", str(folder), "--lang", lang])


def base_url_of(workspace: Path) -> str:
    return yaml.safe_load((workspace / "kimsite.yaml").read_text(encoding="utf-8"))["base_url"]


def check(workspace: Path, *args: str):
    return CliRunner().invoke(main, ["check", "-C", str(workspace), "--lang", "id", *args])


@pytest.mark.parametrize("remote,expected", [
    ("https://github.com/kim-contoh/situs.git", "https://kim-contoh.github.io/situs/"),
    ("https://github.com/kim-contoh/situs", "https://kim-contoh.github.io/situs/"),
    ("https://github.com/kim-contoh/situs/", "https://kim-contoh.github.io/situs/"),
    ("git@github.com:kim-contoh/situs.git", "https://kim-contoh.github.io/situs/"),
    ("ssh://git@github.com/kim-contoh/situs.git", "https://kim-contoh.github.io/situs/"),
    ("ssh://git@github.com:22/kim-contoh/situs", "https://kim-contoh.github.io/situs/"),
    ("https://Kim-Contoh@github.com/Kim-Contoh/Situs.KIM.git", "https://kim-contoh.github.io/Situs.KIM/"),
    ("https://github.com/kim-contoh/kim-contoh.github.io.git", "https://kim-contoh.github.io/"),
    ("git@github.com:Kim-Contoh/KIM-CONTOH.github.io.git", "https://kim-contoh.github.io/"),
])
def test_github_remotes_give_the_pages_address(remote, expected):
    assert pages_address(remote) == expected


@pytest.mark.parametrize("remote", [
    "https://gitlab.com/kim-contoh/situs.git",  # not GitHub Pages
    "https://github.com.evil.example/kim-contoh/situs.git",
    "https://evil.example/github.com/kim-contoh/situs.git",
    "https://github.com/kim-contoh/situs/tree/main",
    "https://github.com/kim-contoh",
    "https://github.com/-kim/situs",
    "https://github.com/kim-contoh/..",
    "https://github.com/kim-contoh/.git",
    "https://github.com/kim contoh/situs",
    "https://github.com/kim-contoh/situs\nbase_url: https://evil.example/",
    "/srv/git/situs.git",
    "",
])
def test_other_remotes_give_nothing(remote):
    assert pages_address(remote) is None


@pytest.mark.parametrize("address,reason", [
    ("http://localhost:8000/", "local"), ("http://127.0.0.1:8000/repo/", "local"), ("http://[::1]:8000/", "local"),
    ("http://kim.localhost/", "local"), ("http://192.168.1.10:8000/", "local"), ("http://10.0.0.5/", "local"),
    ("http://[fe80::1]/", "local"), ("http://raspberrypi.local/", "local"), ("http://203.0.113.1/", "local"),
    ("https://185.199.108.153/", None), (PLACEHOLDER_BASE_URL, "placeholder"),
    ("https://nama-akun.github.io/nama-repo", "placeholder"),
    ("https://kim-contoh.github.io/situs/", None), ("https://kimmaju.desa.id/", None),
])
def test_addresses_no_reader_can_reach(address, reason):
    assert unpublishable(address) == reason


def test_init_in_a_clone_of_a_github_repository_needs_no_editing(tmp_path):
    clone = git_repo(tmp_path / "situs", "https://github.com/kim-contoh/situs.git")
    done = init(clone)
    assert done.exit_code == 0, done.output
    assert base_url_of(clone) == "https://kim-contoh.github.io/situs/"
    assert "base_url: https://kim-contoh.github.io/situs/ (dari remote git origin" in done.output
    checked = check(clone)
    assert checked.exit_code == 0 and "0 galat, 0 peringatan" in checked.output, checked.output


def test_init_in_a_new_folder_inside_a_repository_uses_its_remote(tmp_path):
    repository = git_repo(tmp_path / "repo", "git@github.com:diskominfo-contoh/kim.git")
    done = init(repository / "situs")
    assert done.exit_code == 0, done.output
    assert base_url_of(repository / "situs") == "https://diskominfo-contoh.github.io/kim/"


def test_init_with_a_cname_file_uses_the_domain(tmp_path):
    clone = git_repo(tmp_path / "situs", "https://github.com/kim-contoh/situs.git")
    (clone / "CNAME").write_text("KimMaju.Desa.id\n", encoding="utf-8")
    assert init(clone).exit_code == 0
    assert base_url_of(clone) == "https://kimmaju.desa.id/"
    assert "0 peringatan" in check(clone).output


@pytest.mark.parametrize("remote", [None, "https://gitlab.com/kim-contoh/situs.git", "/srv/git/situs.git"])
def test_init_without_a_github_remote_writes_the_placeholder(tmp_path, remote):
    folder = git_repo(tmp_path / "situs", remote) if remote else tmp_path / "situs"
    done = init(folder, "en")
    assert done.exit_code == 0, done.output
    assert base_url_of(folder) == PLACEHOLDER_BASE_URL
    assert "there is no GitHub remote yet" in done.output and "https://ACCOUNT.github.io/REPO/" in done.output
    checked = check(folder)
    assert checked.exit_code == 0  # a warning: the site still builds and previews
    assert "kimsite.yaml:4: peringatan: base_url https://NAMA-AKUN.github.io/NAMA-REPO/ bukan alamat" \
        in checked.output
    assert "kimsite deploy menolaknya" in checked.output


def test_check_names_the_address_of_a_remote_added_after_init(tmp_path):
    folder = tmp_path / "situs"
    assert init(folder).exit_code == 0
    git_repo(folder, "https://github.com/kim-contoh/situs.git")
    checked = check(folder, "--format", "github")
    assert checked.exit_code == 0
    assert ("::warning file=kimsite.yaml,line=4,title=kimsite base_url_remote_mismatch::base_url "
            "https://NAMA-AKUN.github.io/NAMA-REPO/ berbeda") in checked.output
    assert "tulis base_url: https://kim-contoh.github.io/situs/" in checked.output
    assert check(folder, "--strict").exit_code == 1

    config = folder / "kimsite.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(PLACEHOLDER_BASE_URL,
                      "https://Kim-Contoh.github.io/situs"), encoding="utf-8")
    assert "0 peringatan" in check(folder).output  # same address, written differently


@pytest.mark.parametrize("value,warns", [
    ("https://orang-lain.github.io/situs/", True),  # another account's Pages
    ("https://kim-contoh.github.io/situs-lama/", True),  # the repository was renamed
    ("http://localhost:8000/", True),
    ("https://kimmaju.desa.id/", False),  # a custom domain set in Settings → Pages: cannot be seen here
])
def test_check_compares_base_url_with_the_remote(tmp_path, value, warns):
    folder = git_repo(tmp_path / "situs", "https://github.com/kim-contoh/situs.git")
    assert init(folder).exit_code == 0
    config = folder / "kimsite.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://kim-contoh.github.io/situs/", value),
                      encoding="utf-8")
    checked = check(folder)
    assert checked.exit_code == 0
    assert ("base_url_remote_mismatch" in check(folder, "--format", "json").output) == warns, checked.output


def test_check_of_one_kim_on_its_own_domain_says_nothing_about_base_url(tmp_path):
    folder = tmp_path / "situs"
    assert init(folder).exit_code == 0
    assert "base_url" not in check(folder, "--site", "kim-contoh").output


@pytest.mark.parametrize("cname", ["https://kimmaju.desa.id/", "kimmaju desa id", "localhost", "-kim.desa.id",
                                   "kimmaju.desa.id/\nbase_url: https://evil.example/", "", "\x00\xff"])
def test_an_unusable_cname_file_is_ignored(tmp_path, cname):
    clone = git_repo(tmp_path / "situs", "https://github.com/kim-contoh/situs.git")
    (clone / "CNAME").write_text(cname, encoding="utf-8", errors="surrogateescape")
    assert init(clone).exit_code == 0
    assert base_url_of(clone) == "https://kim-contoh.github.io/situs/"
    assert "evil" not in (clone / "kimsite.yaml").read_text(encoding="utf-8")


def test_a_remote_with_a_token_gives_the_address_but_never_the_token(tmp_path):
    clone = git_repo(tmp_path / "situs", "https://relawan:ghp_RAHASIA@github.com/kim-contoh/situs.git")
    done = init(clone)
    assert done.exit_code == 0
    assert base_url_of(clone) == "https://kim-contoh.github.io/situs/"
    assert "RAHASIA" not in done.output + (clone / "kimsite.yaml").read_text(encoding="utf-8")
    config = clone / "kimsite.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("kim-contoh.github.io", "lain.github.io"),
                      encoding="utf-8")
    assert "RAHASIA" not in check(clone).output


@pytest.mark.parametrize("value", ["http://localhost:8000/", "http://192.168.1.5/kim/", PLACEHOLDER_BASE_URL])
def test_build_for_publish_refuses_what_deploy_refuses(tmp_path, value):
    from conftest import write_workspace

    root = write_workspace(tmp_path / "ws", {
        "kimsite.yaml": f"base_url: {value}\nlanguage: id\ntimezone: Asia/Jakarta\n",
        "sites/kim-a.yaml": "name: KIM A\nkecamatan: Maniis\n",
        "content/kim-a/2025-01-01-a.md": "---\ntitle: A\ndate: 2025-01-01\n---\nIsi.\n",
    })
    refused = CliRunner().invoke(main, ["build", "--for-publish", "-C", str(root), "--lang", "en"])
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert f"base_url {value} (kimsite.yaml)".lower() in refused.output.lower()
    assert not (root / "_site").exists()  # refused before building
    # the Pages address given on the command line (as the Actions workflow does) is accepted
    fixed = CliRunner().invoke(main, ["build", "--for-publish", "-C", str(root), "--base-url",
                                      "https://kim-contoh.github.io/situs/"])
    assert fixed.exit_code == 0, fixed.output
    assert "https://kim-contoh.github.io/situs/kim-a/" in (root / "_site" / "sitemap.xml").read_text(encoding="utf-8")
    # without the flag a local preview build is still allowed
    assert CliRunner().invoke(main, ["build", "-C", str(root)]).exit_code == 0
