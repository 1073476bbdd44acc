"""`kimsite deploy` against a local bare repository: the gh-pages branch holds exactly the
built site, nothing is committed twice, --no-push keeps the remote as it was, and a dirty
tree or a failed build is refused."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from kimsite.cli import main

ARTICLE = """\
---
title: {title}
date: 2025-03-0{day} 08:00
category: Berita Desa
---

{body}
"""

FILES = {
    "sites/kim-uji.yaml": "name: KIM Uji Coba\nkecamatan: Maniis\ndesa: Citamiang\n",
    "content/kim-uji/2025-03-01-kerja-bakti.md": ARTICLE.format(title="Kerja Bakti", day=1,
                                                               body="Warga membersihkan saluran."),
    "content/kim-uji/2025-03-02-posyandu.md": ARTICLE.format(title="Posyandu Balita", day=2,
                                                            body="Jadwal posyandu bulan ini."),
    "content/kim-uji/halaman/tentang.md": "---\ntitle: Tentang Kami\n---\n\nKIM uji coba.\n",
    ".gitignore": "_site/\n.kimsite/\n",
}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout.strip()


def remote_ref(remote: Path, ref: str = "gh-pages") -> str | None:
    done = subprocess.run(["git", "--git-dir", str(remote), "rev-parse", "--verify", "--quiet", ref],
                          capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def branch_files(repo: Path, ref: str) -> set[str]:
    out = subprocess.run(["git", "--git-dir", str(repo), "ls-tree", "-r", "--name-only", ref],
                         capture_output=True, text=True, check=True).stdout
    return set(out.splitlines())


def site_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


@pytest.fixture
def repo(make_workspace, tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A committed workspace whose `origin` is a bare repository in tmp_path."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # no user-wide git settings
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(name, raising=False)
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    workspace = make_workspace(FILES)
    git(workspace, "init", "-q", "-b", "main")
    git(workspace, "config", "user.name", "Admin KIM")
    git(workspace, "config", "user.email", "admin@kim.example.id")
    git(workspace, "remote", "add", "origin", str(remote))
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "Isi awal")
    return workspace, remote


def deploy(workspace: Path, *args: str):
    return CliRunner().invoke(main, ["deploy", "-C", str(workspace), "--lang", "id", *args])


def test_deploy_publishes_exactly_the_built_site(repo):
    workspace, remote = repo
    done = deploy(workspace)
    assert done.exit_code == 0, done.output
    built = site_files(workspace / "_site")
    assert ".nojekyll" in built and "kim-uji/index.html" in built
    assert branch_files(remote, "gh-pages") == built
    head = git(workspace, "rev-parse", "--short", "HEAD")
    subject = subprocess.run(["git", "--git-dir", str(remote), "log", "-1", "--format=%s", "gh-pages"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert subject == f"Terbitkan situs dari {head}"
    blob = subprocess.run(["git", "--git-dir", str(remote), "show", "gh-pages:kim-uji/index.html"],
                          capture_output=True, check=True).stdout
    assert blob == (workspace / "_site" / "kim-uji" / "index.html").read_bytes()
    assert "terkirim ke origin/gh-pages" in done.output
    # the source branch is untouched and the working tree still clean
    assert git(workspace, "symbolic-ref", "--short", "HEAD") == "main"
    assert git(workspace, "status", "--porcelain") == ""


def test_second_deploy_without_change_makes_no_commit(repo):
    workspace, remote = repo
    assert deploy(workspace).exit_code == 0
    first = remote_ref(remote)
    again = deploy(workspace)
    assert again.exit_code == 0, again.output
    assert "tidak ada yang berubah" in again.output
    assert remote_ref(remote) == first
    assert git(workspace, "rev-parse", "gh-pages") == first
    assert git(workspace, "rev-list", "--count", "gh-pages") == "1"


def test_no_push_commits_locally_and_leaves_the_remote(repo):
    workspace, remote = repo
    assert deploy(workspace).exit_code == 0
    published = remote_ref(remote)
    article = workspace / "content/kim-uji/2025-03-02-posyandu.md"
    article.unlink()
    (workspace / "content/kim-uji/2025-03-03-lomba.md").write_text(
        ARTICLE.format(title="Lomba Agustusan", day=3, body="Pendaftaran dibuka."), encoding="utf-8")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "Artikel baru")

    local = deploy(workspace, "--no-push")
    assert local.exit_code == 0, local.output
    assert "git push origin gh-pages" in local.output
    assert remote_ref(remote) == published
    assert git(workspace, "rev-parse", "gh-pages") != published
    files = branch_files(workspace / ".git", "gh-pages")
    assert files == site_files(workspace / "_site")
    assert "kim-uji/2025/03/lomba/index.html" in files
    assert "kim-uji/2025/03/posyandu/index.html" not in files  # removed pages leave the branch

    pushed = deploy(workspace)
    assert pushed.exit_code == 0, pushed.output
    assert branch_files(remote, "gh-pages") == site_files(workspace / "_site")
    assert remote_ref(remote) == git(workspace, "rev-parse", "gh-pages")


def test_dirty_tree_is_refused(repo):
    workspace, remote = repo
    article = workspace / "content/kim-uji/2025-03-01-kerja-bakti.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nTambahan.\n", encoding="utf-8")
    done = deploy(workspace)
    assert done.exit_code == 1
    assert "content/kim-uji/2025-03-01-kerja-bakti.md" in done.output
    assert "--allow-dirty" in done.output
    assert remote_ref(remote) is None
    assert not (workspace / "_site").exists()  # refused before building

    allowed = deploy(workspace, "--allow-dirty")
    assert allowed.exit_code == 0, allowed.output
    subject = subprocess.run(["git", "--git-dir", str(remote), "log", "-1", "--format=%s", "gh-pages"],
                             capture_output=True, text=True, check=True).stdout
    assert "belum di-commit" in subject


def test_new_uncommitted_article_is_dirty(repo):
    workspace, remote = repo
    (workspace / "content/kim-uji/2025-03-04-baru.md").write_text(
        ARTICLE.format(title="Baru", day=4, body="Belum di-commit."), encoding="utf-8")
    done = deploy(workspace)
    assert done.exit_code == 1 and "2025-03-04-baru.md" in done.output
    assert remote_ref(remote) is None


def test_failed_build_is_not_deployed(repo):
    workspace, remote = repo
    (workspace / "content/kim-uji/2025-03-05-rusak.md").write_text("---\ndate: 2025-03-05\n---\n\nTanpa judul.\n",
                                                                 encoding="utf-8")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "Artikel rusak")
    done = deploy(workspace)
    assert done.exit_code == 1
    assert "2025-03-05-rusak.md" in done.output
    assert remote_ref(remote) is None
    assert subprocess.run(["git", "rev-parse", "--verify", "--quiet", "gh-pages"], cwd=workspace,
                          capture_output=True).returncode != 0


def test_custom_message_and_branch(repo):
    workspace, remote = repo
    done = deploy(workspace, "--branch", "terbit", "--message", "Rilis Maret")
    assert done.exit_code == 0, done.output
    assert branch_files(remote, "terbit") == site_files(workspace / "_site")
    subject = subprocess.run(["git", "--git-dir", str(remote), "log", "-1", "--format=%s", "terbit"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert subject == "Rilis Maret"


def test_refuses_the_checked_out_branch_and_missing_remote(repo):
    workspace, remote = repo
    same = deploy(workspace, "--branch", "main")
    assert same.exit_code == 1 and "--branch" in same.output
    missing = deploy(workspace, "--remote", "cadangan")
    assert missing.exit_code == 1 and "git remote add cadangan" in missing.output
    assert remote_ref(remote) is None


def test_outside_a_git_repository(make_workspace):
    workspace = make_workspace({k: v for k, v in FILES.items() if k != ".gitignore"}, name="bukan-git")
    done = CliRunner().invoke(main, ["deploy", "-C", str(workspace), "--lang", "en"])
    assert done.exit_code == 1
    assert "not a git repository" in done.output


def test_repeated_no_push_without_change_makes_no_commit(repo):
    workspace, remote = repo
    assert deploy(workspace, "--no-push").exit_code == 0
    first = git(workspace, "rev-parse", "gh-pages")
    again = deploy(workspace, "--no-push")
    assert again.exit_code == 0 and "tidak ada yang berubah" in again.output
    assert git(workspace, "rev-parse", "gh-pages") == first
    assert remote_ref(remote) is None


def test_workspace_in_a_subfolder_of_the_repository(tmp_path, monkeypatch, make_workspace):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    repository = tmp_path / "repo"
    workspace = make_workspace(FILES, name="repo/situs")
    git(repository, "init", "-q", "-b", "main")
    git(repository, "config", "user.name", "Admin KIM")
    git(repository, "config", "user.email", "admin@kim.example.id")
    (repository / "catatan.txt").write_text("bukan bagian situs\n", encoding="utf-8")
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", "Isi awal")
    (repository / "catatan.txt").write_text("diubah, di luar workspace\n", encoding="utf-8")
    article = workspace / "content/kim-uji/2025-03-01-kerja-bakti.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nTambahan.\n", encoding="utf-8")

    dirty = deploy(workspace, "--no-push")
    assert dirty.exit_code == 1
    assert "(content/kim-uji/2025-03-01-kerja-bakti.md)" in dirty.output  # relative to the workspace
    git(repository, "checkout", "-q", "--", "situs")
    done = deploy(workspace, "--no-push")
    assert done.exit_code == 0, done.output  # changes outside the workspace do not count
    assert branch_files(repository / ".git", "gh-pages") == site_files(workspace / "_site")


def _set_base_url(workspace: Path, value: str) -> None:
    config = workspace / "kimsite.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://example.github.io/repo/", value),
                      encoding="utf-8")
    git(workspace, "commit", "-q", "-am", "base_url")


@pytest.mark.parametrize("value", ["http://localhost:8000/", "http://127.0.0.1:8000/kim/",
                                   "https://NAMA-AKUN.github.io/NAMA-REPO/"])
def test_an_address_no_reader_can_reach_is_refused(repo, value):
    workspace, remote = repo
    _set_base_url(workspace, value)
    done = deploy(workspace)
    assert done.exit_code == 1
    assert f"base_url {value} (kimsite.yaml)".lower() in done.output.lower()  # the host as normalized
    assert "base_url: https://AKUN.github.io/REPO/" in done.output  # what to write (origin is not on GitHub)
    assert "--base-url" in done.output
    assert not (workspace / "_site").exists()  # refused before building
    assert remote_ref(remote) is None
    assert subprocess.run(["git", "rev-parse", "--verify", "--quiet", "gh-pages"], cwd=workspace,
                          capture_output=True).returncode != 0

    fixed = deploy(workspace, "--base-url", "https://kim-uji.github.io/situs/")
    assert fixed.exit_code == 0, fixed.output
    assert "https://kim-uji.github.io/situs/kim-uji/" in (workspace / "_site" / "sitemap.xml").read_text()


def test_refusal_names_the_address_of_a_github_remote(repo):
    workspace, _ = repo
    _set_base_url(workspace, "http://localhost:8000/")
    git(workspace, "remote", "set-url", "origin", "git@github.com:kim-uji/situs-kim.git")
    done = CliRunner().invoke(main, ["deploy", "-C", str(workspace), "--lang", "en", "--no-push"])
    assert done.exit_code == 1
    assert "is this computer's own address" in done.output
    assert "base_url: https://kim-uji.github.io/situs-kim/" in done.output


def test_a_local_base_url_option_is_refused_too(repo):
    workspace, remote = repo
    done = deploy(workspace, "--base-url", "http://127.0.0.1:8000/")
    assert done.exit_code == 1 and "(--base-url)" in done.output
    assert remote_ref(remote) is None


def test_a_kim_on_its_own_domain_needs_no_base_url(repo):
    workspace, remote = repo
    site = workspace / "sites" / "kim-uji.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "domain: kimuji.desa.id\n", encoding="utf-8")
    git(workspace, "commit", "-q", "-am", "domain")
    _set_base_url(workspace, "http://localhost:8000/")
    assert deploy(workspace).exit_code == 1  # the whole workspace still needs its address
    alone = deploy(workspace, "--site", "kim-uji")
    assert alone.exit_code == 0, alone.output
    assert (workspace / "_site" / "CNAME").read_text(encoding="utf-8").strip() == "kimuji.desa.id"
    assert branch_files(remote, "gh-pages") == site_files(workspace / "_site")
