"""Messages a volunteer can act on: run from a subfolder, drafts and future articles left out,
English plurals (Babel's rules), typos in site files."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kimsite.cli import main
from kimsite.base.i18n import ui
from kimsite.base.messages import message
from test_written_elsewhere import check, found, workspace

ARTICLE = "---\ntitle: {title}\ndate: {date}\n{extra}---\nIsi.\n"


def run_in(folder, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, KIMSITE_LANG="id")
    return subprocess.run([sys.executable, "-m", "kimsite", *args], cwd=folder, capture_output=True, text=True,
                          timeout=120, env=env)


@pytest.mark.parametrize("command", [["build"], ["check"], ["new", "--kim", "uji", "Rapat Warga"]])
def test_run_from_a_subfolder_names_the_workspace(make_workspace, command):
    root = workspace(make_workspace, {"content/uji/a.md": ARTICLE.format(title="A", date="2026-01-01", extra="")})
    result = run_in(root / "content/uji", *command)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    said = result.stdout + result.stderr
    assert f"ini subfolder dari workspace {root.resolve()}" in said
    assert "pindah ke folder itu (cd ../..)" in said and f"-C {root.resolve()}" in said
    assert 'jalankan "kimsite init"' not in said and "jalankan kimsite init dulu" not in said
    assert not (root / "content/uji/content").exists() and not (root / "content/uji/kimsite.yaml").exists()


def test_outside_any_workspace_the_advice_is_init(tmp_path):
    result = run_in(tmp_path, "build")
    assert result.returncode == 1 and 'jalankan "kimsite init"' in result.stdout + result.stderr


def test_summary_counts_drafts_and_future_articles(make_workspace):
    root = workspace(make_workspace, {
        "content/uji/a.md": ARTICLE.format(title="A", date="2026-01-01", extra=""),
        "content/uji/b.md": ARTICLE.format(title="B", date="2026-01-02", extra="draft: true\n"),
        "content/uji/c.md": ARTICLE.format(title="C", date="2099-01-02", extra=""),
        "content/uji/d.md": ARTICLE.format(title="D", date="2099-01-03", extra=""),
    })
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "1 site, 1 article, " in result.output
    assert "not published: 1 draft and 2 future-dated articles" in result.output
    again = CliRunner().invoke(main, ["build", "-C", str(root), "--lang", "id"])  # the no-change path
    assert "tidak diterbitkan: 1 draf dan 2 artikel bertanggal mendatang" in again.output
    shown = CliRunner().invoke(main, ["build", "-C", str(root), "--drafts", "--future"])
    assert "tidak diterbitkan" not in shown.output


def test_nothing_left_out_says_nothing(make_workspace):
    root = workspace(make_workspace, {"content/uji/a.md": ARTICLE.format(title="A", date="2026-01-01", extra="")})
    result = CliRunner().invoke(main, ["build", "-C", str(root)])
    assert result.exit_code == 0 and "tidak diterbitkan" not in result.output


@pytest.mark.parametrize("count, english", [(0, "0 articles"), (1, "1 article"), (2, "2 articles"),
                                            (21, "21 articles"), (101, "101 articles")])
def test_english_plurals(count, english):
    assert ui("articles_count", "en", n=count) == english
    assert ui("articles_count", "id", n=count) == f"{count} artikel"
    assert ui("portal_kims", "en", n=count) == english.replace("articles", "KIMs").replace("article", "KIM")
    assert message("check_summary", "en", errors=count, warnings=1) == \
        f"check finished: {english.replace('article', 'error')}, 1 warning"


def test_site_file_typos_get_did_you_mean(make_workspace):
    root = make_workspace({"sites/uji.yaml": "name: KIM Uji\nkecamatn: Maniis\nkontak:\n  email: a@b.id\ndesc: x\n",
                           "content/uji/a.md": ARTICLE.format(title="A", date="2026-01-01", extra="")})
    code, problems = check(root)
    assert code == 1
    assert found(problems) == {("error", "sites/uji.yaml", 2, "field_required_typo"),
                               ("warning", "sites/uji.yaml", 2, "field_unknown"),
                               ("warning", "sites/uji.yaml", 3, "field_unknown"),
                               ("warning", "sites/uji.yaml", 5, "field_unknown")}
    texts = {p["line"]: p["message"] for p in problems if p["severity"] == "warning"}
    assert 'maksud Anda "kecamatan"' in texts[2]
    assert 'maksud Anda "contact"' in texts[3]
    assert 'maksud Anda "description"' in texts[5]
    required = next(p for p in problems if p["severity"] == "error")
    assert 'tertulis "kecamatn"' in required["message"]


def test_init_inside_a_workspace_refuses(make_workspace):
    root = workspace(make_workspace, {"content/uji/a.md": ARTICLE.format(title="A", date="2026-01-01", extra="")})
    result = run_in(root / "content/uji", "init")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"ada di dalam workspace {root.resolve()}" in result.stdout + result.stderr
    assert not (root / "content/uji/kimsite.yaml").exists() and not (root / "content/uji/sites").exists()
