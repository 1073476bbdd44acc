"""Every failure while making pages is a message: any exception a workspace theme's template
raises, in one process or across worker processes, and any error Pillow raises drawing a
share card. The build ends with exit 1, a message naming the template file and line (or the
site file), no traceback, the previous output exactly as it was and no staging folder left.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINIMAL_CONFIG, copy_demo
from kimsite.build import BuildOptions, build
from kimsite.base.problems import KimsiteError

THEMED = MINIMAL_CONFIG.replace("theme: default", "theme: uji")
TEMPLATE = "themes/uji/templates/profile.html"
PAGE = "uji/profil/index.html"


def make(root: Path) -> Path:
    files = {"kimsite.yaml": THEMED, "sites/uji.yaml": "name: KIM Uji\nkecamatan: Maniis\n",
             "content/uji/a.md": "---\ntitle: Judul\ndate: 2025-01-02\n---\nisi\n"}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "themes/uji/templates").mkdir(parents=True)
    return root


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    env.pop("KIMSITE_LANG", None)
    return subprocess.run([sys.executable, "-m", "kimsite", "build", "-C", str(root), *args], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=120)


# (template text, line of the failure, words of the detail)
BROKEN_TEMPLATES = {
    "division-by-zero": ("{% extends 'base.html' %}\n{% block main %}\n<p>\n{{ 1/0 }}\n</p>\n{% endblock %}\n", 4,
                         "ZeroDivisionError"),
    "unknown-filter": ("a\n{{ config.name|tidak_ada }}\n", 2, "tidak_ada"),
    "endless-recursion": ("{% macro ulang(n) %}{{ ulang(n + 1) }}{% endmacro %}\n\n{{ ulang(0) }}\n", 1,
                          "RecursionError"),
    "missing-include": ("a\nb\n{% include 'tidak-ada.html' %}\n", 3, "tidak-ada.html"),
    "undefined-attribute": ("a\n{{ config.name.tidak.ada }}\n", 2, "tidak"),
    "syntax-error": ("a\n{% for x in %}\n", 2, "expression"),
    "python-method-error": ("a\n\n{{ config.name.encode('ebcdic-tidak-ada') }}\n", 3, "LookupError"),
    "type-error": ("\n{{ none + 1 }}", 2, "TypeError"),
    "extends-itself": ("{% extends 'profile.html' %}\n", 1, "RecursionError"),
    "memory-error": ("a\n{{ 'x' * 10**15 }}\n", 2, "MemoryError"),
}


@pytest.mark.parametrize("case,lang", [(case, "id") for case in sorted(BROKEN_TEMPLATES)]
                         + [("division-by-zero", "en"), ("endless-recursion", "en")])
def test_a_broken_theme_template_is_a_message_naming_file_and_line(tmp_path, case, lang):
    text, line, words = BROKEN_TEMPLATES[case]
    root = make(tmp_path / "ws")
    build(root, BuildOptions(jobs=1))
    before = snapshot(root / "_site")
    (root / TEMPLATE).write_text(text, encoding="utf-8")
    inputs = snapshot(root / "themes") | snapshot(root / "sites") | snapshot(root / "content")
    result = run_cli(root, *(("--lang", "en") if lang == "en" else ()))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    label = "error" if lang == "en" else "galat"
    failing = [row for row in result.stderr.splitlines() if row.startswith(f"{TEMPLATE}:{line}: {label}: ")]
    assert failing and words in failing[0], result.stderr
    assert PAGE in failing[0]
    assert snapshot(root / "_site") == before
    assert snapshot(root / "themes") | snapshot(root / "sites") | snapshot(root / "content") == inputs
    assert not [p.name for p in root.iterdir() if p.name.startswith("._site")]


def test_a_failure_inside_an_included_template_names_the_included_file(tmp_path):
    root = make(tmp_path / "ws")
    (root / TEMPLATE).write_text("a\n{% include '_bagian.html' %}\n", encoding="utf-8")
    (root / "themes/uji/templates/_bagian.html").write_text("x\ny\n{{ 'ok' | upper }}\n{{ 1 // 0 }}\n",
                                                            encoding="utf-8")
    with pytest.raises(KimsiteError) as failure:
        build(root, BuildOptions(jobs=1))
    (problem,) = failure.value.problems
    assert (problem.file, problem.line, problem.code) == ("themes/uji/templates/_bagian.html", 4, "template_error")


def test_a_template_that_is_not_utf8_names_its_file(tmp_path):
    root = make(tmp_path / "ws")
    (root / TEMPLATE).write_bytes(b"\xff\xfe{{ x }}\x81")
    with pytest.raises(KimsiteError) as failure:
        build(root, BuildOptions(jobs=1))
    (problem,) = failure.value.problems
    assert (problem.file, problem.code) == (TEMPLATE, "template_error")


def test_a_layout_failing_on_every_page_is_one_message_across_worker_processes(tmp_path):
    """The demo renders hundreds of pages in worker processes; a broken base layout fails them
    all and is reported once, from the workers, with the previous output intact."""
    root = copy_demo(tmp_path / "demo")
    build(root, BuildOptions(jobs=2))
    before = snapshot(root / "_site")
    (root / "themes/default/templates").mkdir(parents=True)
    (root / "themes/default/templates/_share.html").write_text("<p>\n{{ doc.title / 0 }}\n", encoding="utf-8")
    with pytest.raises(KimsiteError) as failure:
        build(root, BuildOptions(jobs=2))
    assert {(p.file, p.line, p.code) for p in failure.value.problems} == {
        ("themes/default/templates/_share.html", 2, "template_error")}
    assert snapshot(root / "_site") == before
    assert not [p.name for p in root.iterdir() if p.name.startswith("._site")]


def test_a_pillow_error_drawing_a_share_card_names_the_site_file(tmp_path, monkeypatch):
    from kimsite.media import og_card

    root = make(tmp_path / "ws")
    (root / "kimsite.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    build(root, BuildOptions(jobs=1, use_cache=False))
    before = snapshot(root / "_site")

    def damaged_font(bold: bool, size: int):
        raise OSError("cannot open resource")  # what Pillow says about a damaged font file

    monkeypatch.setattr(og_card, "_font", damaged_font)
    shutil.rmtree(root / ".kimsite/cards")  # cards drawn before are reused, not drawn again
    og_card._background.cache_clear()
    with pytest.raises(KimsiteError) as failure:
        build(root, BuildOptions(jobs=1, use_cache=False))
    problems = {(p.file, p.line, p.code) for p in failure.value.problems}
    assert ("sites/uji.yaml", None, "card_failed") in problems
    card = next(p for p in failure.value.problems if p.code == "card_failed")
    assert "OSError: cannot open resource" in card.text("en") and "og.jpg" in card.text("en")
    assert snapshot(root / "_site") == before
    assert not [p.name for p in root.iterdir() if p.name.startswith("._site")]


def test_any_other_failure_making_a_page_names_the_site_and_the_page(tmp_path, monkeypatch):
    from kimsite.media import previews

    root = make(tmp_path / "ws")
    (root / "kimsite.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    build(root, BuildOptions(jobs=1))
    before = snapshot(root / "_site")

    def broken(*args, **kwargs):
        raise RuntimeError("sesuatu yang tak terduga")

    monkeypatch.setattr(previews, "cached_card", broken)
    with pytest.raises(KimsiteError) as failure:
        build(root, BuildOptions(jobs=1, use_cache=False))
    found = {(p.file, p.code) for p in failure.value.problems}
    assert found == {("sites/uji.yaml", "render_failed"), ("kimsite.yaml", "render_failed")}
    texts = " ".join(p.text("en") for p in failure.value.problems)
    assert "RuntimeError: sesuatu yang tak terduga" in texts and "uji/og.jpg" in texts
    assert snapshot(root / "_site") == before
    assert not [p.name for p in root.iterdir() if p.name.startswith("._site")]


def test_a_damaged_cache_met_while_rendering_still_rebuilds_instead_of_failing(tmp_path, monkeypatch):
    from kimsite.media import previews
    from kimsite.workspace.cache import CacheCorrupt

    root = make(tmp_path / "ws")
    (root / "kimsite.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    real_card, calls = previews.cached_card, []

    def damaged_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise CacheCorrupt("checksum mismatch")
        return real_card(*args, **kwargs)

    monkeypatch.setattr(previews, "cached_card", damaged_once)
    result = build(root, BuildOptions(jobs=1))
    assert any(p.code == "cache_invalid" for p in result.problems)
    assert (root / "_site/uji/og.jpg").is_file()
