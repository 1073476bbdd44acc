"""`kimsite check` on fixture workspaces (tests/fixtures/check/<case>/), one per kind of problem,
in each output format, with and without --strict, and its exit codes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kimsite.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "check"
ARTICLE = "content/kim-uji/2021-12-21-gotong-royong.md"

# case -> expected (severity, file, line, code) and exit code without --strict
EXPECTED: dict[str, tuple[set[tuple[str, str, int | None, str]], int]] = {
    "clean": (set(), 0),
    "broken_link": ({("warning", ARTICLE, 10, "link_missing_article"),
                     ("warning", ARTICLE, 12, "link_missing")}, 0),
    "missing_media": ({("error", ARTICLE, 6, "picture_missing"),
                       ("error", "content/kim-uji/2021-12-23-keripik.md", 9, "picture_missing")}, 1),
    "duplicate_url": ({("error", ARTICLE, 1, "url_conflict"),
                       ("error", "content/kim-uji/2021-12-28-gotong-royong-lagi.md", 6, "url_conflict"),
                       # HTML and XML files (they would also land on addresses kimsite generates)
                       ("error", "content/kim-uji/feed.xml", None, "file_active_content"),
                       ("error", "content/kim-uji/kategori/berita-desa/index.html", None, "file_active_content"),
                       ("error", "content/kim-uji/kontak/index.html", None, "file_active_content")}, 1),
    "summary_required": ({("error", "content/kim-uji/2021-12-21-hoaks.md", 4, "summary_required")}, 1),
    "long_title": ({("warning", "content/kim-uji/2021-12-21-judul-panjang.md", 2, "title_too_long_share")}, 0),
    "alt_missing": ({("warning", ARTICLE, 6, "image_alt_field_missing"),
                     ("warning", ARTICLE, 11, "image_alt_missing")}, 0),
    "invalid": ({("error", ARTICLE, 3, "date_invalid")}, 1),
    # a corrupt picture the build would refuse: named where it is used, or at the file itself
    "bad_image": ({("error", ARTICLE, 10, "image_corrupt"),
                   ("error", "content/kim-uji/media/lain.png", None, "image_corrupt")}, 1),
}


@pytest.fixture
def workspace(tmp_path):
    def copy(case: str) -> Path:
        target = tmp_path / case
        shutil.copytree(FIXTURES / case, target)
        return target

    return copy


def run(root: Path, *args: str):
    result = CliRunner().invoke(main, ["check", "-C", str(root), "--lang", "id", *args])
    return result.exit_code, result.stdout, result.stderr


def as_json(root: Path, *args: str) -> tuple[int, dict]:
    code, out, _ = run(root, "--format", "json", *args)
    return code, json.loads(out)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_kind_of_problem_in_json(workspace, case):
    root = workspace(case)
    expected, exit_code = EXPECTED[case]
    code, report = as_json(root)
    found = {(p["severity"], p["file"], p["line"], p["code"]) for p in report["problems"]}
    assert found == expected
    assert code == exit_code
    assert report["errors"] == sum(1 for p in expected if p[0] == "error")
    assert report["warnings"] == sum(1 for p in expected if p[0] == "warning")
    assert all(p["message"] for p in report["problems"])
    assert not (root / "_site").exists(), "check never writes output"


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_kind_of_problem_in_text(workspace, case):
    root = workspace(case)
    expected, exit_code = EXPECTED[case]
    code, out, _ = run(root)
    assert code == exit_code
    lines = out.strip().splitlines()
    assert re.match(r"pemeriksaan selesai: \d+ galat, \d+ peringatan", lines[-1])
    shown = lines[:-1]
    assert len(shown) == len(expected)
    for severity, file, line, _code in expected:
        label = "galat" if severity == "error" else "peringatan"
        where = f"{file}:{line}" if line else file
        assert any(text.startswith(f"{where}: {label}: ") for text in shown), (file, line, shown)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_kind_of_problem_in_github_format(workspace, case):
    root = workspace(case)
    expected, exit_code = EXPECTED[case]
    code, out, _ = run(root, "--format", "github")
    assert code == exit_code
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    parsed = set()
    for line in annotations:
        match = re.match(r"^::(error|warning) file=([^,]+),(?:line=(\d+),)?title=kimsite (\w+)::(.+)$", line)
        assert match, line
        number = int(match.group(3)) if match.group(3) else None
        parsed.add((match.group(1), match.group(2), number, match.group(4)))
    assert parsed == expected


def test_strict_turns_warnings_into_errors(workspace):
    root = workspace("broken_link")
    code, report = as_json(root, "--strict")
    assert code == 1
    assert report["errors"] == 2 and report["warnings"] == 0
    code, out, _ = run(root, "--strict", "--format", "github")
    assert code == 1
    assert out.count("::error file=") == 2 and "::warning" not in out
    code, out, _ = run(root, "--strict")
    assert code == 1 and ": galat: " in out and "peringatan:" not in out.splitlines()[0]


def test_strict_on_a_clean_workspace_passes(workspace):
    code, out, _ = run(workspace("clean"), "--strict")
    assert code == 0
    assert "0 galat, 0 peringatan" in out


def test_github_annotations_escape_special_characters(workspace):
    from kimsite.commands.check import github_annotation
    from kimsite.base.problems import warning

    line = github_annotation(warning("content/a,b.md", 3, "link_missing", target="x:%\ny"), "en")
    assert line.startswith("::warning file=content/a%2Cb.md,line=3,title=kimsite link_missing::")
    assert "%25" in line and "%0A" in line and "\n" not in line


def test_unknown_site_is_a_usage_error(workspace):
    code, _, err = run(workspace("clean"), "--site", "tidak-ada")
    assert code == 2
    assert "tidak-ada" in err


def test_wrong_format_is_a_usage_error(workspace):
    code, _, _ = run(workspace("clean"), "--format", "xml")
    assert code == 2


def test_missing_workspace_is_reported(tmp_path):
    code, out, _ = run(tmp_path / "kosong")
    assert code == 1
    assert "kimsite.yaml" in out


def test_messages_in_english(workspace):
    root = workspace("summary_required")
    code, out, _ = run(root, "--lang", "en")
    assert code == 1
    assert 'the category "Cek Fakta" requires a summary' in out
    assert "check finished: 1 error, 0 warnings" in out


def test_invalid_check_settings(workspace):
    root = workspace("clean")
    config = root / "kimsite.yaml"
    config.write_text(config.read_text() + "check:\n  summary_required: Cek Fakta\n  unknown_rule: 1\n")
    code, report = as_json(root)
    codes = {p["code"] for p in report["problems"]}
    assert codes == {"field_unknown"}  # a single category name is accepted; the unknown key warns
    config.write_text(config.read_text().replace("summary_required: Cek Fakta", "summary_required: {a: 1}"))
    code, report = as_json(root)
    assert code == 1
    assert "check_config_invalid" in {p["code"] for p in report["problems"]}


def test_drafts_are_checked_only_with_drafts(workspace):
    root = workspace("long_title")
    article = root / "content/kim-uji/2021-12-21-judul-panjang.md"
    article.write_text(article.read_text().replace("category:", "draft: true\ncategory:", 1))
    assert as_json(root)[1]["problems"] == []
    codes = [p["code"] for p in as_json(root, "--drafts")[1]["problems"]]
    assert codes == ["title_too_long_share"]


def test_demo_workspace_is_clean(demo_copy):
    code, out, _ = run(demo_copy, "--format", "json")
    report = json.loads(out)
    assert report["errors"] == 0, report["problems"]
    assert code == 0


# --- message consistency -------------------------------------------------------------------

def _placeholders(template: str) -> set[str]:
    import string

    from kimsite.base.plurals import choose_forms

    template = choose_forms(template, "en", {})  # "{n|article|articles}": the forms of a count
    names = {field for _, field, _, _ in string.Formatter().parse(template) if field}
    return {name.removesuffix("_id").removesuffix("_en") for name in names}


def test_every_message_has_both_languages_with_the_same_placeholders():
    from kimsite.base.messages import MESSAGES

    for key, (indonesian, english) in MESSAGES.items():
        assert indonesian.strip() and english.strip(), key
        assert _placeholders(indonesian) == _placeholders(english), key


def test_every_message_code_used_in_the_code_exists():
    from kimsite.base.messages import MESSAGES

    package = Path(__file__).resolve().parent.parent / "kimsite"
    call = re.compile(r'\b(?:error|warning)\(\s*[^,()]+(?:\([^()]*\))?[^,()]*,\s*[^,()]+(?:\([^()]*\))?[^,()]*,'
                      r'\s*"([a-z0-9_]+)"|\bmessage\(\s*"([a-z0-9_]+)"')
    used = set()
    for path in package.rglob("*.py"):
        for match in call.finditer(path.read_text(encoding="utf-8")):
            code = match.group(1) or match.group(2)
            if not code.endswith("_"):  # a prefix completed at run time (label_error, ...)
                used.add((path.name, code))
    assert len(used) > 50
    missing = sorted((name, code) for name, code in used if code not in MESSAGES)
    assert missing == []
