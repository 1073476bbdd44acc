"""The output folder is kimsite's alone: a build refuses an output that is the workspace, holds
it, or is (or lies in, or holds) an input or tool folder, with links and `..` resolved; it
never replaces a folder it did not make; it never writes or deletes through a link someone
placed inside the output. Every refusal: exit 1, a message naming the real folder and what to
write instead, and every input untouched."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from safety import NOW, fixture_copy, files, inputs, invoke, leftovers, run_kimsite, tree

from kimsite.build import BuildOptions, build
from kimsite.base.problems import KimsiteError
from kimsite.write.writer import MARKER

CONFIG = """\
# kimsite.yaml with the output on line 4
base_url: https://kim.example.id/
language: id
output: {output}
timezone: Asia/Jakarta
per_page: 3
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = fixture_copy(tmp_path / "ws")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "pages.yml").write_text("on: push\n", encoding="utf-8")
    (root / "themes" / "mine" / "templates").mkdir(parents=True)
    (root / "themes" / "mine" / "templates" / "base.html").write_text("{% extends 'default/base.html' %}\n")
    (root / "feeds").mkdir()
    (root / "feeds" / "x.json").write_text("{}", encoding="utf-8")
    return root


def _set_output(root: Path, output: str) -> None:
    (root / "kimsite.yaml").write_text(CONFIG.format(output=output), encoding="utf-8")


@pytest.mark.parametrize("output", ["content", "sites", "themes", "feeds", ".kimsite", ".git", ".github",
                                    "kimsite.yaml", "content/kim-a/media", "content/kim-a", "sites/kim-a.yaml",
                                    ".git/hooks", "content/kim-a/../../content"])
def test_config_output_that_is_an_input_or_tool_folder_is_refused(workspace: Path, output: str):
    _set_output(workspace, output)
    before = inputs(workspace)
    result = invoke("build", "-C", str(workspace))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    if ".." in output:  # refused by the settings check: never a folder outside or above
        assert "kimsite.yaml" in result.stderr and "output" in result.stderr
    else:
        real = os.path.realpath(workspace / output)
        assert f'kimsite.yaml:4: error: the output folder "{output}" ({real}) is ' in result.stderr, result.stderr
        assert "Write output: _site" in result.stderr
    assert inputs(workspace) == before  # nothing made, moved or deleted among the inputs
    assert not (workspace / "_site").exists() and leftovers(workspace) == []


@pytest.mark.parametrize("output, what", [(".", "the workspace itself"), ("..", "a folder that holds the workspace"),
                                          ("../..", "a folder that holds the workspace"),
                                          ("content/", "content or a folder inside it"),
                                          ("./sites/../content/kim-b", "content or a folder inside it"),
                                          ("ABS", "the workspace itself"), ("ABS/..", "a folder that holds the workspace"),
                                          ("/", "a folder that holds the workspace")])
def test_command_line_output_is_refused(workspace: Path, output: str, what: str):
    output = output.replace("ABS", str(workspace))
    before = tree(workspace.parent)
    result = invoke("build", "-C", str(workspace), "-o", output)
    assert result.exit_code == 1, result.output
    real = os.path.realpath(workspace / output)
    assert f'kimsite: error: the output folder "{output}" ({real}) is {what}' in result.stderr, result.stderr
    assert tree(workspace.parent) == before


def test_output_dot_in_a_real_process_deletes_nothing(workspace: Path):
    """`kimsite build -o .` used to replace the whole workspace with the site, then crash."""
    before = tree(workspace)
    result = run_kimsite("build", "-o", ".", cwd=workspace)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f'the output folder "." ({workspace}) is the workspace itself' in result.stderr
    assert tree(workspace) == before


def test_output_through_a_link_is_judged_by_its_real_folder(workspace: Path, tmp_path: Path):
    (workspace / "_site").symlink_to(workspace / "content")
    (workspace / "out").symlink_to(workspace / "sites")
    before = tree(workspace)
    linked = invoke("build", "-C", str(workspace))
    assert linked.exit_code == 1
    assert f'the output folder "_site" is a link (symlink) to {workspace / "content"}' in linked.stderr
    below_link = invoke("build", "-C", str(workspace), "-o", "out/site")
    assert below_link.exit_code == 1
    assert f'"out/site" ({workspace / "sites" / "site"}) is sites or a folder inside it' in below_link.stderr
    assert tree(workspace) == before


def test_output_link_to_an_unrelated_folder_is_not_followed(workspace: Path, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine", encoding="utf-8")
    (workspace / "_site").symlink_to(elsewhere)
    result = invoke("build", "-C", str(workspace))
    assert result.exit_code == 1 and "is a link (symlink)" in result.stderr
    assert tree(elsewhere) == {"keep.txt": b"mine"}


def test_existing_folder_kimsite_did_not_make_is_never_replaced(workspace: Path):
    _set_output(workspace, "docs")
    (workspace / "docs").mkdir()
    (workspace / "docs" / "panduan.md").write_text("# Panduan\n", encoding="utf-8")
    before = tree(workspace)
    result = invoke("build", "-C", str(workspace))
    assert result.exit_code == 1
    assert (f'kimsite.yaml:4: error: the output folder "docs" ({workspace / "docs"}) already holds files kimsite '
            "did not make") in result.stderr
    assert {k: v for k, v in tree(workspace).items() if not k.startswith(".kimsite")} == before
    assert leftovers(workspace) == []
    # The same folder emptied is taken, marked, and rebuilt afterwards.
    (workspace / "docs" / "panduan.md").unlink()
    assert invoke("build", "-C", str(workspace)).exit_code == 0
    assert (workspace / "docs" / MARKER).is_dir() and (workspace / "docs" / "index.html").is_file()
    (workspace / "content/kim-a/2024-02-10-kerja-bakti-saluran.md").unlink()
    again = invoke("build", "-C", str(workspace))
    assert again.exit_code == 0, again.output


def test_output_that_is_a_file_is_refused(workspace: Path):
    (workspace / "README.md").write_text("# KIM\n", encoding="utf-8")
    result = invoke("build", "-C", str(workspace), "-o", "README.md")
    assert result.exit_code == 1
    assert f'the output "README.md" ({workspace / "README.md"}) is a file, not a folder' in result.stderr
    assert (workspace / "README.md").read_text(encoding="utf-8") == "# KIM\n"


def test_outputs_made_before_the_marker_existed_are_still_kimsites(workspace: Path):
    """An output from an earlier kimsite (no marker) is recognised by the identity the build state
    recorded; without that record it is refused rather than replaced."""
    first = build(workspace, BuildOptions(now=NOW))
    (first.output_dir / MARKER).rmdir()
    (workspace / "content/kim-a/2024-02-10-kerja-bakti-saluran.md").unlink()
    build(workspace, BuildOptions(now=NOW))
    assert (first.output_dir / MARKER).is_dir()
    (first.output_dir / MARKER).rmdir()
    with pytest.raises(KimsiteError) as refused:
        build(workspace, BuildOptions(now=NOW, use_cache=False))
    assert [p.code for p in refused.value.problems if p.severity == "error"] == ["output_not_ours"]


def _link_in_place_of_article(output: Path, slug: str, outside: Path) -> Path:
    """Replace an article's folder in the output by a link to `outside` (holding a file of its
    own); returns the folder's path."""
    outside.mkdir()
    (outside / "index.html").write_text("not kimsite's", encoding="utf-8")
    folder = next(p.parent for p in output.rglob("index.html") if p.parent.name == slug)
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    folder.symlink_to(outside)
    return folder


def test_incremental_build_replaces_a_link_inside_the_output_instead_of_writing_through_it(
        workspace: Path, tmp_path: Path):
    output = build(workspace, BuildOptions(now=NOW)).output_dir
    outside = tmp_path / "outside"
    folder = _link_in_place_of_article(output, "posyandu-balita", outside)
    article = workspace / "content/kim-a/2025-01-15-posyandu-balita.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nParagraf baru.\n", encoding="utf-8")
    result = build(workspace, BuildOptions(now=NOW))
    # The output is not as the last build left it: the link is noticed and the site written whole.
    assert not result.up_to_date and result.full
    assert (outside / "index.html").read_text(encoding="utf-8") == "not kimsite's"
    assert not folder.is_symlink() and "Paragraf baru." in (folder / "index.html").read_text(encoding="utf-8")


def test_removing_an_article_never_deletes_through_a_link(workspace: Path, tmp_path: Path):
    output = build(workspace, BuildOptions(now=NOW)).output_dir
    outside = tmp_path / "outside"
    folder = _link_in_place_of_article(output, "lomba-agustusan", outside)
    (workspace / "content/kim-a/2025-08-17-lomba-agustusan.md").unlink()
    build(workspace, BuildOptions(now=NOW))
    assert tree(outside) == {"index.html": b"not kimsite's"}
    clean = fixture_copy(tmp_path / "clean")
    (clean / "content/kim-a/2025-08-17-lomba-agustusan.md").unlink()
    want = files(build(clean, BuildOptions(now=NOW)).output_dir)
    got = {k: v for k, v in files(output).items() if not k.startswith(folder.relative_to(output).as_posix())}
    assert got == want


def test_serve_preview_output_is_allowed_only_to_serve(workspace: Path):
    result = invoke("build", "-C", str(workspace), "-o", ".kimsite/serve")
    assert result.exit_code == 1 and ".kimsite or a folder inside it" in result.stderr
    built = build(workspace, BuildOptions(now=NOW, output=".kimsite/serve", preview=True))
    assert (built.output_dir / "index.html").is_file()
    assert (workspace / ".kimsite" / "serve-state" / "cache.sqlite").is_file()
    assert not (workspace / ".kimsite" / "cache.sqlite").exists()  # serve keeps its own state


def test_inputs_untouched_by_every_refusal(workspace: Path):
    """All refusals above leave the sources as they were; a normal build afterwards is fine."""
    before = inputs(workspace)
    for output in (".", "..", "content", "kimsite.yaml", ".git"):
        assert invoke("build", "-C", str(workspace), "-o", output).exit_code == 1
    result = invoke("build", "-C", str(workspace))
    assert result.exit_code == 0, result.output
    assert re.search(r"→ _site|_site", result.stdout)
    assert inputs(workspace) == before


def test_a_link_at_the_top_of_the_output_is_replaced_with_the_whole_output(workspace: Path, tmp_path: Path):
    output = build(workspace, BuildOptions(now=NOW)).output_dir
    before = files(output)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("not kimsite's", encoding="utf-8")
    for path in sorted((output / "kim-a").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    (output / "kim-a").rmdir()
    (output / "kim-a").symlink_to(outside)
    result = build(workspace, BuildOptions(now=NOW))
    assert not result.up_to_date
    assert tree(outside) == {"index.html": b"not kimsite's"}
    assert not (output / "kim-a").is_symlink() and files(output) == before


def test_deploy_refuses_the_same_outputs(workspace: Path):
    """`kimsite deploy` builds before it publishes: the same refusal, nothing committed."""
    import shutil
    import subprocess

    shutil.rmtree(workspace / ".git")
    git = ["git", "-c", "user.email=kim@example.id", "-c", "user.name=KIM"]
    subprocess.run(["git", "init", "-q", str(workspace)], check=True)
    _set_output(workspace, "sites")
    subprocess.run([*git, "-C", str(workspace), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(workspace), "commit", "-qm", "awal"], check=True)
    before = inputs(workspace)
    result = run_kimsite("deploy", "-C", str(workspace), "--no-push")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f'kimsite.yaml:4: error: the output folder "sites" ({workspace / "sites"}) is sites' in result.stderr
    assert inputs(workspace) == before
    branches = subprocess.run(["git", "-C", str(workspace), "branch", "--list", "gh-pages"], capture_output=True,
                              text=True, check=True).stdout
    assert branches == ""


def test_a_marker_that_is_a_link_does_not_make_a_folder_kimsites(workspace: Path, tmp_path: Path):
    """Only a real marker folder counts: a link named like it (to any folder) does not."""
    (workspace / "docs").mkdir()
    (workspace / "docs" / "catatan.md").write_text("milik saya", encoding="utf-8")
    (workspace / "docs" / MARKER).symlink_to(tmp_path)
    result = invoke("build", "-C", str(workspace), "-o", "docs")
    assert result.exit_code == 1 and "already holds files kimsite did not make" in result.stderr
    assert (workspace / "docs" / "catatan.md").read_text(encoding="utf-8") == "milik saya"
